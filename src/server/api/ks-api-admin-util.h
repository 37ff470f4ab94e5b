/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-admin-util.h: what the admin handlers share: the council of a new or
 * existing object, reading body members (texts, flags, ids, permissions), the
 * audit details of a change, answering one object or a list of a kind, and the
 * write transaction of routes that open their own. */
#pragma once

#include "http/ks-request.h"
#include "api/ks-api-util.h"
#include "store/ks-store-admin.h"

G_BEGIN_DECLS

#define KS_API_MAX_NAME_LENGTH  200
#define KS_API_MAX_CODE_LENGTH  64
#define KS_API_MAX_TEXT_LENGTH  8000
#define KS_API_MAX_EMAIL_LENGTH 254
#define KS_API_MAX_POSITION     1000000
#define KS_API_MAX_PAGE         200
#define KS_API_DEFAULT_PAGE     50

/* The council a new object goes to: the staff member's own; platform operators
 * name it with "body_id" in the body. */
gboolean ks_api_admin_target_body (KsRequest *req, JsonObject *obj, gint64 *out);
/* The object must exist and belong to the principal's council (404 otherwise,
 * so that other councils' objects are not revealed). */
gboolean ks_api_admin_find (KsRequest *req, KsAdminObject kind, gint64 id, gint64 *out_body_id);

/* A string member that, when present, must not be blank. */
gboolean ks_api_admin_get_text (KsRequest *req, JsonObject *obj, const char *name,
                                gboolean required, gsize max_len, const char **out);
/* A member that may be null (to clear it): *set tells whether it was given. */
gboolean ks_api_admin_get_nullable_text (KsRequest *req, JsonObject *obj, const char *name,
                                         gsize max_len, gboolean *set, const char **out);
/* A flag: *out -1 when absent, else 0 or 1. */
gboolean ks_api_admin_get_flag (KsRequest *req, JsonObject *obj, const char *name, int *out);
/* An array of positive ids (duplicates dropped); *out stays NULL when absent. */
gboolean ks_api_admin_get_ids  (KsRequest *req, JsonObject *obj, const char *name, GArray **out);
/* An array of permission ids ("view_report", ...): unknown ones answer 422. */
gboolean ks_api_admin_get_permissions (KsRequest *req, JsonObject *obj, const char *name,
                                       gboolean required, gboolean *present,
                                       KsPermissionSet *out);

gboolean ks_api_looks_like_email (const char *s);
gboolean ks_api_is_code (const char *s);

/* {"<extra_key>": extra_value, "fields": [the members of the body among names]},
 * for the audit log. */
char    *ks_api_admin_changed_fields (JsonObject *obj, const char * const *names,
                                      const char *extra_key, const char *extra_value);
/* {"name": name}, for the audit log. */
char    *ks_api_admin_name_details (const char *name);

/* Answers status with one object of a kind as the store has it. */
void     ks_api_admin_answer_object (KsRequest *req, guint status, KsAdminObject kind, gint64 id);
/* Audits a create or update of an object (verb: the kind's; details: the members
 * of obj among the kind's audit fields, beside extra_key when given) and answers
 * the object as it now is with status. */
void     ks_api_admin_audit_and_answer (KsRequest *req, KsAdminObject kind, const char *verb,
                                        JsonObject *obj, const char *extra_key,
                                        const char *extra_value, gint64 body_id, gint64 id,
                                        guint status);
/* Answers a list of a kind. */
void     ks_api_admin_answer_list (KsRequest *req, KsAdminObject kind, gint64 body_id,
                                   const KsAdminQuery *query);

/* Answers 422 and returns FALSE when the signed-in staff member would lose
 * manage_staff through the change just made (the transaction then rolls back). */
gboolean ks_api_admin_keeps_own_manage_staff (KsRequest *req);

/* After a change that may change who sees a category's reports (the category's
 * "assigned_only", or what staff and roles are assigned or may do): tells
 * syncing apps (category_id 0: every restricted category of the council).
 * Answers 500 and returns FALSE on failure. */
gboolean ks_api_admin_visibility_changed (KsRequest *req, gint64 body_id, gint64 category_id);
/* TRUE when the request sets any of the members that decide which restricted
 * categories a staff member or role sees. */
gboolean ks_api_admin_changes_visibility (const KsAdminRow *in);

/* Transactions of routes that manage their own (KS_ROUTE_NO_TXN): opens the write
 * transaction and answers a replayed idempotency key; FALSE when answered. */
gboolean ks_api_admin_own_write_begin (KsRequest *req);
/* Commits when the answer is 2xx (with the idempotency record), else rolls back. */
void     ks_api_admin_own_write_finish (KsRequest *req);

/* The generic handlers of a kind's routes: GET (the council's list), POST,
 * PATCH {id} and DELETE {id}, each audited with the kind's verbs. */
void     ks_api_admin_list   (KsRequest *req, KsAdminObject kind);
void     ks_api_admin_create (KsRequest *req, KsAdminObject kind);
void     ks_api_admin_update (KsRequest *req, KsAdminObject kind);
void     ks_api_admin_delete (KsRequest *req, KsAdminObject kind);

/* Reads the members of a kind's fields from obj into row (create: the required
 * ones must be there) and checks their values; the fields flagged custom are
 * the caller's. FALSE when answered. */
gboolean ks_api_admin_parse_row (KsRequest *req, JsonObject *obj, gboolean create,
                                 KsAdminRow *row);
/* The ids the row links to must be objects of their kind in the council (422). */
gboolean ks_api_admin_check_links (KsRequest *req, const KsAdminRow *row, gint64 body_id);

G_END_DECLS

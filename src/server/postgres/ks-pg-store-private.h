/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-private.h: what the PostgreSQL store's domain files share: the
 * store's connections (ks-pg-db.h), statement parameters (ks-pg-args.h), result
 * getters, and the functions that fill in the store's table. */
#pragma once

#include "postgres/ks-pg-args.h"
#include "postgres/ks-pg-db.h"
#include "postgres/ks-pg-store.h"
#include "ks-error.h"

#include <stdlib.h>

G_BEGIN_DECLS

/* The store's database (connections per thread). */
KsPgDb   *ks_pg_store_db    (KsStore *store);

/* Runs a prepared statement with args (may be NULL: no parameters). */
PGresult *ks_pg_store_query (KsStore              *store,
                             const KsPgStatement  *stmt,
                             KsPgArgs             *args,
                             GError              **error);
/* Runs SQL built at run time, unprepared. */
PGresult *ks_pg_store_query_sql (KsStore     *store,
                                 const char  *sql,
                                 KsPgArgs    *args,
                                 GError     **error);
/* Runs a statement whose rows do not matter; TRUE on success. n_changed (may be
 * NULL): the rows it inserted, updated or deleted. */
gboolean  ks_pg_store_exec  (KsStore              *store,
                             const KsPgStatement  *stmt,
                             KsPgArgs             *args,
                             gint64               *n_changed,
                             GError              **error);

/* Getters of a text-format result (row, col). */
static inline gboolean ks_pg_null (const PGresult *r, int row, int col) { return PQgetisnull (r, row, col); }
static inline gint64 ks_pg_int (const PGresult *r, int row, int col) { return ks_pg_get_int64 (r, row, col); }
static inline const char *ks_pg_text (const PGresult *r, int row, int col) { return ks_pg_get_text (r, row, col); }
static inline double ks_pg_double (const PGresult *r, int row, int col) { return PQgetisnull (r, row, col) ? 0.0 : g_ascii_strtod (PQgetvalue (r, row, col), NULL); }
static inline gboolean ks_pg_bool (const PGresult *r, int row, int col) { return !PQgetisnull (r, row, col) && PQgetvalue (r, row, col)[0] == 't'; }

/* Reads row of a result into out (a struct of the caller's). */
typedef void (*KsPgLoadRow) (const PGresult *res, int row, gpointer out);
/* Column 0 of every row (ids), in a new GArray of gint64. */
GArray    *ks_pg_collect_ids  (const PGresult *res);
/* Each row loaded into a new zeroed element appended to out (a GArray of structs). */
void       ks_pg_load_structs (const PGresult *res, GArray *out, KsPgLoadRow load);
/* Each row loaded into a new g_malloc0'd struct of size, in a new GPtrArray that
 * frees them with free_func. */
GPtrArray *ks_pg_load_ptrs    (const PGresult *res, gsize size, KsPgLoadRow load,
                               GDestroyNotify free_func);

/* A condition on the report r: its category is not one the principal may not
 * see (the list given with ks_pg_args_hidden). */
#define KS_PG_SEES(param) "r.category_id <> ALL (" param "::bigint[])"
int  ks_pg_args_hidden (KsPgArgs *args, const KsPrincipal *who);

/* The domain implementations fill in their virtual function tables. */
void ks_pg_store_auth_init    (KsStoreAuthVTable    *vtable);
void ks_pg_store_reports_init (KsStoreReportsVTable *vtable);
void ks_pg_store_actions_init (KsStoreActionsVTable *vtable);
/* The assignees' entries of the actions table (ks-pg-store-assignees.c). */
void ks_pg_store_assignees_init (KsStoreActionsVTable *vtable);
void ks_pg_store_moderation_init (KsStoreActionsVTable *vtable);
/* The corrections' share of the actions table (ks-pg-store-corrections.c). */
void ks_pg_store_corrections_init (KsStoreActionsVTable *vtable);
/* Response priorities' share of the actions and admin tables (ks-pg-store-response.c). */
void ks_pg_store_response_init (KsStoreActionsVTable *vtable, KsStoreAdminVTable *admin);
void ks_pg_store_admin_init   (KsStoreAdminVTable   *vtable);
void ks_pg_store_open311_init (KsStoreOpen311VTable *vtable);
/* Idempotency-Key on Open311 clients' POSTs (ks-pg-store-open311-idempotency.c). */
void ks_pg_store_open311_idempotency_init (KsStoreOpen311VTable *vtable);
void ks_pg_store_privacy_init (KsStorePrivacyVTable *vtable);
void ks_pg_store_duplicates_init (KsStoreDuplicatesVTable *vtable);
void ks_pg_store_photos_init (KsStorePhotosVTable *vtable);
/* Staff areas' entries of the auth and admin tables (ks-pg-store-areas.c). */
void ks_pg_store_areas_init (KsStoreAuthVTable *auth, KsStoreAdminVTable *admin);
void ks_pg_store_lookup_init (KsStoreLookupVTable *vtable);
void ks_pg_store_notices_init (KsStoreNoticesVTable *vtable);
void ks_pg_store_councils_init (KsStoreCouncilsVTable *vtable);
void ks_pg_store_retention_init (KsStoreRetentionVTable *vtable);
void ks_pg_store_abuse_init (KsStoreAbuseVTable *vtable);
void ks_pg_store_sendings_init (KsStoreSendingsVTable *vtable);
void ks_pg_store_hidden_people_init (KsStoreHiddenPeopleVTable *vtable);

G_END_DECLS

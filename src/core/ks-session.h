/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session.h: the signed-in context passed to every widget: client, cache,
 * sync engine, outbox, models, the user and their permissions, the reference
 * lists, and one async method per staff action (through the outbox). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "ks-permissions.h"
#include "ks-client.h"
#include "ks-cache.h"
#include "ks-sync.h"
#include "ks-outbox.h"
#include "ks-bulk-result.h"
#include "ks-report.h"
#include "ks-report-store.h"
#include "ks-report-filter.h"

G_BEGIN_DECLS

#define KS_TYPE_SESSION (ks_session_get_type ())
G_DECLARE_FINAL_TYPE (KsSession, ks_session, KS, SESSION, GObject)

KsSession    *ks_session_new            (void);

/* Signs in with email + password (POST /auth/login, then /me), stores the token
 * in the keyring (a keyring failure is not fatal: see "keyring-error"), opens the
 * cache and starts the first sync in the background. */
void          ks_session_sign_in_async  (KsSession           *self,
                                         const char          *server_url,
                                         const char          *email,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      ks_session_sign_in_finish (KsSession *self, GAsyncResult *result, GError **error);

/* Sign-in for accounts with two-factor authentication: ks_session_sign_in_finish()
 * (and the email code below) fails with KS_ERROR_TWO_FACTOR_REQUIRED (message:
 * the server's sentence) and keeps a challenge; then send the authenticator's
 * code. Finish with ks_session_sign_in_finish(). A wrong or used code fails with
 * the server's sentence and may be tried again; an expired challenge forgets it
 * (ks_session_has_challenge() FALSE: start again with the password). */
void          ks_session_sign_in_code_async  (KsSession           *self,
                                              const char          *code,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      ks_session_has_challenge       (KsSession *self);
/* "Use a different account": drops the challenge. */
void          ks_session_forget_challenge    (KsSession *self);

/* Sign-in by email: asks the server to send a single-use code. Finishes with
 * the server's sentence, the same whether or not the account exists. A new
 * password is chosen after signing in with the code: for a short time the
 * session may set one without the current password (/me's
 * "password_reset_expires", see ks_account_change_password_async()). */
void          ks_session_request_email_code_async  (KsSession           *self,
                                                    const char          *server_url,
                                                    const char          *email,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char         *ks_session_request_email_code_finish (KsSession *self, GAsyncResult *result, GError **error);
/* Signs in with the emailed code; finish with ks_session_sign_in_finish(). */
void          ks_session_sign_in_email_code_async  (KsSession           *self,
                                                    const char          *server_url,
                                                    const char          *email,
                                                    const char          *code,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

/* TRUE when the server accepted the sign-in but the council (or a platform
 * operator account) requires 2FA and it is not set up: nothing runs and
 * ks_session_is_signed_in() is FALSE until ks_session_update_me() gets a /me
 * without two_factor_setup_required (see ks-account.h). Sign-in and resume
 * finish TRUE in this state; check this first. */
gboolean      ks_session_get_two_factor_setup_required (KsSession *self);
/* Takes a fresh /me (after enabling or disabling 2FA, ...). Completes a sign-in
 * that waited for 2FA setup (emits "signed-in"). */
gboolean      ks_session_update_me           (KsSession   *self,
                                              JsonObject  *me,
                                              GError     **error);

/* Silent sign-in with the keyring's token. Users with view_offline get the cached
 * reports at once, even without a network. Finishes FALSE with no error when
 * there is no stored session (show the sign-in page); FALSE with an error when
 * the stored session was refused or the keyring failed. */
void          ks_session_resume_async   (KsSession           *self,
                                         const char          *server_url,
                                         const char          *email,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean      ks_session_resume_finish  (KsSession *self, GAsyncResult *result, GError **error);
/* Starts reading the cache of the account a resume will ask for, on a worker
 * thread, before the resume itself (while the window is being built, say):
 * ks_session_resume_async() for the same server and email takes the read
 * over instead of starting its own. Nothing is signed in by this alone. */
void          ks_session_read_cache_ahead (KsSession  *self,
                                           const char *server_url,
                                           const char *email);

/* Revokes the session on the server (best effort), clears the keyring entry and,
 * without view_offline, deletes the cache. Emits "signed-out" (NULL message). */
void          ks_session_sign_out_async  (KsSession           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      ks_session_sign_out_finish (KsSession *self, GAsyncResult *result, GError **error);

gboolean      ks_session_is_signed_in    (KsSession *self);
gboolean      ks_session_can             (KsSession *self, KsPermission perm);
KsPermissionSet ks_session_get_permissions (KsSession *self);
const char   *ks_session_get_server_url  (KsSession *self);
gint64        ks_session_get_user_id     (KsSession *self);
const char   *ks_session_get_user_name   (KsSession *self);
const char   *ks_session_get_user_email  (KsSession *self);
/* The /me object (user, body, roles, permissions); NULL when signed out. */
JsonObject   *ks_session_get_me          (KsSession *self);
/* The area the person works in (/me's "wards" and "category_ids": their own
 * and their roles'): interned ward names (a new NULL-terminated array of
 * them, empty when none) and category ids (a new array of gint64). */
const char  **ks_session_get_area_wards  (KsSession *self);
GArray       *ks_session_get_area_category_ids (KsSession *self);

/* Adds "body_id=ID" (after "?" or "&") to a request's path for a platform
 * operator, naming the council they work in (ks_session_get_council_id());
 * nothing for staff. */
void          ks_session_append_council  (KsSession *self, GString *path);
/* The council the session works in: staff, their own (from /me); a platform
 * operator (superuser), the one chosen (0 before any is). */
gboolean      ks_session_is_superuser    (KsSession *self);
gint64        ks_session_get_council_id  (KsSession *self);
/* Platform operators: works in another council from now on (its own cache,
 * sync, reference lists; every request names it). The council left keeps its
 * cache only when the user may keep data offline. Refused while writes wait in
 * the outbox. Emits "lists-changed" and "council-changed"; the reports of the
 * new council arrive from its cache at once and from the sync after. */
gboolean      ks_session_switch_council  (KsSession *self, gint64 council_id, GError **error);
/* Platform operators: the council to start in at the next sign-in (the app
 * remembers the last one), when it still exists; else their own council, else
 * the first by name. 0: no preference. */
void          ks_session_set_preferred_council (KsSession *self, gint64 council_id);

KsClient      *ks_session_get_client     (KsSession *self);
KsCache       *ks_session_get_cache      (KsSession *self);
KsSyncEngine  *ks_session_get_sync       (KsSession *self);
KsOutbox      *ks_session_get_outbox     (KsSession *self);
/* Every cached report (GListModel of KsReport), never NULL (empty when signed out). */
GListModel    *ks_session_get_reports    (KsSession *self);
KsReportStore *ks_session_get_report_store (KsSession *self);
/* The shared filtered model that the map and the list show. */
KsReportFilter *ks_session_get_filter    (KsSession *self);
KsReport      *ks_session_lookup_report  (KsSession *self, gint64 id);
/* A report created here and not yet sent shows as a placeholder (its id below
 * zero: KS_OUTBOX_PLACEHOLDER_ID of its outbox entry). */
gboolean       ks_session_is_placeholder (gint64 report_id);
/* The queued create behind a placeholder (a copy, free with
 * ks_outbox_entry_free), or NULL when report_id is not one. */
KsOutboxEntry *ks_session_get_placeholder_entry (KsSession *self, gint64 report_id);

/* Reference lists as fetched from /categories, /priorities, /templates and
 * /states (cached; refreshed at each sign-in/resume). Never NULL. Objects as in
 * the API (categories: id, name, group, ...; priorities: id, name, categories,
 * ...; templates: id, title, text, state, categories, ...). */
JsonArray    *ks_session_get_categories  (KsSession *self);
JsonArray    *ks_session_get_priorities  (KsSession *self);
JsonArray    *ks_session_get_templates   (KsSession *self);
JsonArray    *ks_session_get_states      (KsSession *self);
/* Priorities / templates that apply to a category (new array of the same objects). */
JsonArray    *ks_session_get_priorities_for_category (KsSession *self, gint64 category_id);
JsonArray    *ks_session_get_templates_for_category  (KsSession *self, gint64 category_id);
/* The staff reports can be assigned to, from /assignees (cached like the lists):
 * objects {id, name, can_hold, held}, by name. */
JsonArray    *ks_session_get_assignees   (KsSession *self);
/* The council's area and wards from /boundaries (cached like the lists): the
 * object as the API gives it ({"area": {name, bbox, geometry} or null, "wards":
 * [{name, bbox, geometry}, ...]}); NULL before the first answer. */
JsonObject   *ks_session_get_boundaries  (KsSession *self);
/* The names of the council's wards from its boundaries, by name (a new array of
 * interned strings); empty when it has none imported. */
GPtrArray    *ks_session_get_ward_names  (KsSession *self);
/* The name of a member of staff holding reports, or NULL when not known. */
const char   *ks_session_get_assignee_name (KsSession *self, gint64 user_id);
/* Name of a priority id ("" for 0 or unknown). */
const char   *ks_session_get_priority_name (KsSession *self, gint64 priority_id);
/* Refetches the reference lists. */
void          ks_session_refresh_lists_async  (KsSession *self, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean      ks_session_refresh_lists_finish (KsSession *self, GAsyncResult *result, GError **error);

/* The full detail of a report (GET /reports/{id}: detail, reporter, updates,
 * moderation...). Also refreshes the cached report. */
void          ks_session_fetch_report_async  (KsSession *self, gint64 report_id,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
JsonObject   *ks_session_fetch_report_finish (KsSession *self, GAsyncResult *result, GError **error);

/* Actions. Each is applied to the cached report at once, queued in the outbox
 * and sent; finish with ks_session_action_finish(). */
void ks_session_acknowledge_async   (KsSession *self, gint64 report_id,
                                     const char *text,           /* nullable: a public reply */
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
void ks_session_add_update_async    (KsSession *self, gint64 report_id,
                                     const char *text, gboolean is_public,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* The same with a photo (JPEG or PNG bytes, nullable), sent as base64 and kept in
 * the outbox with the rest of the update. */
void ks_session_add_update_with_photo_async (KsSession *self, gint64 report_id,
                                     const char *text, gboolean is_public, GBytes *photo,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* The largest photo the server takes, in bytes. */
#define KS_SESSION_MAX_PHOTO_BYTES (5 * 1024 * 1024)
/* TRUE when photo can be sent: a JPEG or PNG image of at most
 * KS_SESSION_MAX_PHOTO_BYTES; otherwise an error sentence saying what to do. */
gboolean ks_session_check_photo     (GBytes *photo, GError **error);
void ks_session_set_state_async     (KsSession *self, gint64 report_id,
                                     const char *state,
                                     const char *text,           /* nullable: a public update */
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
void ks_session_set_priority_async  (KsSession *self, gint64 report_id,
                                     gint64 priority_id,         /* 0: none */
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* title/detail NULL: unchanged; show_name -1: unchanged, 0/1: hide/show. */
void ks_session_moderate_async      (KsSession *self, gint64 report_id,
                                     const char *title, const char *detail,
                                     int show_name, gboolean remove_photo,
                                     const char *reason,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
void ks_session_hide_async          (KsSession *self, gint64 report_id,
                                     const char *reason,         /* nullable */
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* Publishes a hidden report again, in the state it had before (the server
 * knows which). */
void ks_session_unhide_async        (KsSession *self, gint64 report_id,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* The photos of a report (ks-session-photos.c), each sent through the outbox:
 * adding JPEG or PNG files to the report (update_report; check each with
 * ks_session_check_photo() first); redacting one, photo being its address in the
 * detail's "photos", rects n_rects quadruples (x, y, width, height) in the
 * photo's pixels (moderate_report); restoring a redacted one's original
 * (moderate_report). */
void ks_session_add_photos_async    (KsSession *self, gint64 report_id,
                                     GBytes * const *photos, guint n_photos,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
void ks_session_redact_photo_async  (KsSession *self, gint64 report_id, const char *photo,
                                     const int *rects, guint n_rects, const char *reason,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
void ks_session_restore_photo_async (KsSession *self, gint64 report_id, const char *photo,
                                     const char *reason,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
/* Moderating one update of a report's timeline (ks-session-moderation.c): a new
 * text with a reason (moderate_report), or hidden / shown again with a reason
 * (hide_report). Applied to the cached report at once, sent through the outbox. */
void ks_session_moderate_update_async (KsSession *self, gint64 report_id, gint64 update_id,
                                       const char *text, const char *reason,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
void ks_session_set_update_hidden_async (KsSession *self, gint64 report_id, gint64 update_id,
                                         gboolean hidden, const char *reason,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* "Hide everywhere" (hide_report): hides all of the report's reporter's reports
 * and updates in the council at once, or shows again what that hid, with a
 * reason; sent through the outbox. The other reports change at the next sync. */
void ks_session_set_reporter_hidden_async (KsSession *self, gint64 report_id, gboolean hidden,
                                           const char *reason, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
void ks_session_request_info_async  (KsSession *self, gint64 report_id,
                                     const char *text,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
void ks_session_set_shortlisted_async (KsSession *self, gint64 report_id,
                                       gboolean shortlisted,
                                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* Applies a template: its text as a public update (acknowledge when the report is
 * not acknowledged yet), and its state when it has one. Placeholders filled. */
/* Puts the report on a colleague's shortlist (user_id; the user's own id puts it on
 * theirs). take: also when someone else holds it. Queued through the outbox. */
void ks_session_assign_async (KsSession *self, gint64 report_id, gint64 user_id,
                              gboolean take, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
/* Reorders the user's shortlist: report_ids, n of them, must be all of it. The
 * new order is the reports' shortlist_position at once; the write is queued
 * through the outbox. */
void ks_session_reorder_shortlist_async (KsSession *self, const gint64 *report_ids,
                                         guint n, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
/* The user's shortlist, in its order: a new array of gint64 report ids. */
GArray *ks_session_get_shortlist_ids (KsSession *self);
/* Moves the report from a colleague's shortlist onto the user's own. */
void ks_session_take_over_shortlist_async (KsSession *self, gint64 report_id,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* apply_state: a template that sets a state sets it; FALSE keeps the report's. */
void ks_session_use_template_async  (KsSession *self, gint64 report_id, gint64 template_id,
                                     gboolean apply_state,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* Duplicates (ks-session-duplicates.c). Marks report_id as a duplicate of
 * original_id (it closes as "duplicate"), or undoes that (it gets back the state
 * it had); finish with ks_session_action_finish(). */
void ks_session_mark_duplicate_async   (KsSession *self, gint64 report_id, gint64 original_id,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
void ks_session_unmark_duplicate_async (KsSession *self, gint64 report_id,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* The open reports of the same category near a report (itself left out) or near a
 * point, nearest first: finish with ks_session_nearby_finish(), which gives the
 * server's answer, {"radius": metres, "reports": [list items + "distance"]}
 * (unref it). When the server cannot be reached, the same worked out from the
 * reports the app holds (the category's radius from the catalogue), with
 * "offline": true; a report the app does not hold is then an error. */
void ks_session_nearby_async           (KsSession *self, gint64 report_id,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
void ks_session_nearby_point_async     (KsSession *self, double lat, double lon,
                                        gint64 category_id,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
JsonObject *ks_session_nearby_finish   (KsSession *self, GAsyncResult *result, GError **error);
/* Sends the report on again to the destination of one of its sendings (the
 * detail's "sendings"); needs the server. Finish gives the answer, {"report":
 * detail} (unref it). */
void ks_session_resend_async           (KsSession *self, gint64 report_id, gint64 sending_id,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
JsonObject *ks_session_resend_finish   (KsSession *self, GAsyncResult *result, GError **error);
/* Returns TRUE when the server accepted the write, or when it is queued for later
 * (*out_queued = TRUE, nullable); FALSE with error when refused (KS_ERROR_CONFLICT:
 * kept as a conflict in the outbox; others: kept as rejected). */
gboolean ks_session_action_finish   (KsSession *self, GAsyncResult *result,
                                     gboolean *out_queued, GError **error);

/* Bulk: one action over many reports, each on the version the list has of it, as
 * ONE outbox entry (one request, one idempotency key). action: "state" (params
 * {"state", "text"?}), "priority" ({"priority_id": id or null}), "template"
 * ({"template_id"}), "acknowledge"; params is not consumed. Finish returns the
 * result item by item (transfer full), or NULL with *out_queued TRUE when it waits
 * for the network: the outbox's "sent" then carries the answer in entry->current. */
#define KS_SESSION_BULK_MAX 5000
void ks_session_bulk_async          (KsSession *self, const char *action, JsonObject *params,
                                     const gint64 *report_ids, guint n_reports,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
KsBulkResult *ks_session_bulk_finish (KsSession *self, GAsyncResult *result,
                                      gboolean *out_queued, GError **error);
/* Corrections (update_status or moderate_report; ks-session-corrections.c).
 * Finish each with ks_session_action_finish(). attributes (nullable for the
 * category): answers as the API takes them, {"CODE": "value"} (a list of values
 * for a multivaluelist, null or "" to leave a question unanswered). */
void ks_session_change_category_async (KsSession *self, gint64 report_id, gint64 category_id,
                                       JsonObject *attributes, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* The server sets the ward that goes with the new point. address: NULL keeps
 * the report's, "" clears it. */
void ks_session_change_location_async (KsSession *self, gint64 report_id, double lat, double lon,
                                       const char *address, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* current (nullable): the report's answers as the detail has them ("attributes"),
 * for the change shown before the server answers. */
void ks_session_set_attributes_async  (KsSession *self, gint64 report_id, JsonObject *attributes,
                                       JsonArray *current, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);

/* A report entered on someone's behalf. reporter_* nullable (NULL name: the
 * council itself). */
void ks_session_create_report_async (KsSession *self, gint64 category_id,
                                     const char *title, const char *detail,
                                     double lat, double lon,
                                     const char *reporter_name,
                                     const char *reporter_email,
                                     const char *reporter_phone,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* The same with a photo (JPEG or PNG bytes, nullable); finish with
 * ks_session_create_report_finish(). */
void ks_session_create_report_with_photo_async (KsSession *self, gint64 category_id,
                                     const char *title, const char *detail,
                                     double lat, double lon,
                                     const char *reporter_name,
                                     const char *reporter_email,
                                     const char *reporter_phone,
                                     GBytes *photo,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* The same from the body's fields as the API takes them (category_id, title,
 * detail, lat, lon, address, reporter or as_council, attributes); photo nullable.
 * Finish with ks_session_create_report_finish(). */
void ks_session_create_report_from_json_async (KsSession *self, JsonObject *fields,
                                     GBytes *photo,
                                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* *out_id: the new report's id; while it waits to be sent (*out_queued), its
 * placeholder's (below zero, see ks_session_is_placeholder()). */
gboolean ks_session_create_report_finish (KsSession *self, GAsyncResult *result,
                                          gint64 *out_id, gboolean *out_queued, GError **error);

/* Fills {{placeholders}} of a template text from a report: {{id}}, {{title}},
 * {{category}}, {{ward}}, {{state}}, {{user}} (the signed-in name), {{council}}. */
char *ks_session_expand_template (KsSession *self, const char *text, KsReport *report);

/* Signals:
 * "signed-in": after sign-in or resume succeeded.
 * "signed-out" (const char *message): after sign-out (message NULL) or when the
 *   server refused the session (message: the server's sentence, e.g. expired).
 * "keyring-error" (GError *error): the token could not be stored or read; the
 *   session still works but the next start needs the password.
 * "two-factor-setup-required" (const char *message, nullable): the session waits
 *   for 2FA setup (at sign-in, or when the council starts requiring it while
 *   signed in: everything stops until ks_session_update_me() completes it).
 * "lists-changed": the catalogue (categories, priorities, templates, states)
 *   arrived from the server; what shows it fills itself again.
 * "council-changed": a platform operator switched councils: what shows
 *   council-wide things (the map's place, the filters, open windows) starts again.
 * "waiting" (const char *path, guint seconds, const char *code): the server
 *   answered a request 503 with Retry-After (code "busy" for a sign-in it had
 *   no time to check, "unavailable" for its database away); it is sent again
 *   in that many seconds (the client's "waiting").
 * Properties: "signed-in" (gboolean), "user-name" (string). */

G_END_DECLS

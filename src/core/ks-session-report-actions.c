/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-report-actions.c: what staff do to reports through the session:
 * fetch a report's detail, and each action (acknowledge, update, state,
 * priority, moderate, hide, shortlist, template, create), applied to the cached
 * report at once and sent through the outbox. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"
#include "ks-object-int64.h"
#include "ks-report-private.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

/* Reports */

/* Writes fields into the cached report and the model (optimistic changes and
 * answers from the server alike). */
static void
apply_fields (KsSession  *self,
              JsonObject *fields)
{
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(KsReport) report = NULL;
  g_autoptr(GPtrArray) one = NULL;
  gint64 id;

  if (self->cache == NULL || fields == NULL || !json_object_has_member (fields, "id"))
    return;
  id = json_object_get_int_member (fields, "id");
  if (!ks_cache_put_report (self->cache, fields, NULL))
    return;
  full = ks_cache_get_report_json (self->cache, id);
  if (full == NULL || (report = ks_report_new_from_json (full, NULL)) == NULL)
    return;
  one = g_ptr_array_new ();
  g_ptr_array_add (one, report);
  ks_report_store_upsert (self->store, one);
}

static void
fetched_answer (KsClient *client,
                GTask    *task,
                JsonNode *node)
{
  KsSession *self = g_task_get_source_object (task);
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent a report the app cannot read. Try again later.");
      return;
    }
  obj = json_node_get_object (node);
  if (json_object_has_member (obj, "report") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "report")))
    obj = json_object_get_object_member (obj, "report");
  apply_fields (self, obj);
  g_task_return_pointer (task, json_object_ref (obj), (GDestroyNotify) json_object_unref);
}

void
ks_session_fetch_report_async (KsSession           *self,
                               gint64               report_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = ks_client_task_new (self, ks_session_fetch_report_async, cancellable, callback, user_data);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in to see this report.");
      return;
    }
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
  ks_client_call (self->client, task, "GET", path, NULL, fetched_answer);
}

JsonObject *
ks_session_fetch_report_finish (KsSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return ks_client_task_finish_pointer (self, result, error);
}

/* Actions */

static void
on_enqueued (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  g_autoptr(JsonNode) answer = ks_outbox_enqueue_finish (KS_OUTBOX (source), result, &queued, &error);

  if (answer == NULL && !queued)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data (G_OBJECT (task), "queued", GINT_TO_POINTER (queued));
  /* A create that waits: the placeholder that stands for it meanwhile. */
  if (queued && g_task_get_source_tag (task) == ks_session_create_report_async)
    ks_object_set_int64 (task, "id", KS_OUTBOX_PLACEHOLDER_ID (ks_outbox_enqueue_get_entry_id (result)));
  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *obj = json_node_get_object (answer);
      if (json_object_has_member (obj, "report") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "report")))
        obj = json_object_get_object_member (obj, "report");
      if (json_object_has_member (obj, "id"))
        ks_object_set_int64 (task, "id", json_object_get_int_member (obj, "id"));
    }
  g_task_return_boolean (task, TRUE);
}

/* Applies the optimistic fields (may be NULL), queues the write, and finishes
 * the task when the outbox has news. */
static void
run_action (KsSession           *self,
            const char          *action,
            gint64               report_id,
            const char          *method,
            const char          *path,
            JsonObject          *body,
            gboolean             send_version,
            JsonObject          *optimistic,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (self, source_tag, cancellable, callback, user_data);
  KsReport *report = NULL;
  gint64 version = 0;

  if (!self->signed_in || self->outbox == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in to make changes.");
      return;
    }
  if (report_id < 0)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "This report has not reached the server yet. Act on it once it has been sent.");
      return;
    }
  if (report_id > 0)
    {
      report = ks_report_store_lookup (self->store, report_id);
      if (report == NULL)
        {
          g_task_return_new_error (task, KS_ERROR, KS_ERROR_NOT_FOUND,
                                   "Report %" G_GINT64_FORMAT " is not in your list. Refresh and try again.",
                                   report_id);
          return;
        }
      version = send_version ? report->version : 0;
    }
  if (optimistic != NULL && report_id > 0)
    {
      json_object_set_int_member (optimistic, "id", report_id);
      apply_fields (self, optimistic);
    }
  ks_outbox_enqueue_async (self->outbox, action, report_id, method, path, body, version,
                           NULL, on_enqueued, g_object_ref (task));
}

void
ks_session_apply_report_fields (KsSession  *self,
                                JsonObject *fields)
{
  apply_fields (self, fields);
}

void
ks_session_run_action (KsSession *self, const char *action, gint64 report_id,
                       const char *method, const char *path, JsonObject *body,
                       gboolean send_version, JsonObject *optimistic, gpointer source_tag,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  run_action (self, action, report_id, method, path, body, send_version, optimistic,
              source_tag, cancellable, callback, user_data);
}

gboolean
ks_session_action_finish (KsSession     *self,
                          GAsyncResult  *result,
                          gboolean      *out_queued,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (out_queued != NULL)
    *out_queued = g_object_get_data (G_OBJECT (result), "queued") != NULL;
  return ks_client_task_finish (self, result, error);
}

static char *
report_path (gint64 report_id, const char *action)
{
  return g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/%s", report_id, action);
}

void
ks_session_acknowledge_async (KsSession *self, gint64 report_id, const char *text,
                              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "acknowledge");
  KsReport *r;

  g_return_if_fail (KS_IS_SESSION (self));
  if (text != NULL && *text != '\0')
    json_object_set_string_member (body, "text", text);
  r = ks_report_store_lookup (self->store, report_id);
  if (r != NULL && r->acknowledged == 0)
    json_object_set_int_member (opt, "acknowledged", ks_time_now ());
  run_action (self, "acknowledge", report_id, "POST", path, body, TRUE, opt,
              ks_session_acknowledge_async, cancellable, callback, user_data);
}

gboolean
ks_session_check_photo (GBytes  *photo,
                        GError **error)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize len = 0;
  const guint8 *data = photo ? g_bytes_get_data (photo, &len) : NULL;

  if (len > KS_SESSION_MAX_PHOTO_BYTES)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_TOO_LARGE,
                   "The photo is larger than %d MB. Choose a smaller photo, or scale it down first.",
                   KS_SESSION_MAX_PHOTO_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (data == NULL ||
      !((len >= 16 && memcmp (data, png, sizeof png) == 0) ||
        (len >= 4 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The photo is not a JPEG or PNG image. Choose a JPEG or PNG file.");
      return FALSE;
    }
  return TRUE;
}

/* Adds "photo" (base64) to a request body when there is one. */
static void
set_photo (JsonObject *body,
           GBytes     *photo)
{
  g_autofree char *encoded = NULL;
  gsize len;
  const guint8 *data;

  if (photo == NULL)
    return;
  data = g_bytes_get_data (photo, &len);
  encoded = g_base64_encode (data, len);
  json_object_set_string_member (body, "photo", encoded);
}

void
ks_session_add_update_async (KsSession *self, gint64 report_id, const char *text, gboolean is_public,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  ks_session_add_update_with_photo_async (self, report_id, text, is_public, NULL,
                                          cancellable, callback, user_data);
}

void
ks_session_add_update_with_photo_async (KsSession *self, gint64 report_id, const char *text,
                                        gboolean is_public, GBytes *photo,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = report_path (report_id, "updates");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "text", text ? text : "");
  json_object_set_boolean_member (body, "public", is_public);
  set_photo (body, photo);
  run_action (self, "update", report_id, "POST", path, body, TRUE, NULL,
              ks_session_add_update_async, cancellable, callback, user_data);
}

void
ks_session_set_state_async (KsSession *self, gint64 report_id, const char *state, const char *text,
                            GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "state");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "state", state);
  if (text != NULL && *text != '\0')
    json_object_set_string_member (body, "text", text);
  json_object_set_string_member (opt, "state", state);
  run_action (self, "state", report_id, "POST", path, body, TRUE, opt,
              ks_session_set_state_async, cancellable, callback, user_data);
}

void
ks_session_set_priority_async (KsSession *self, gint64 report_id, gint64 priority_id,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "priority");

  g_return_if_fail (KS_IS_SESSION (self));
  if (priority_id > 0)
    {
      json_object_set_int_member (body, "priority_id", priority_id);
      json_object_set_int_member (opt, "priority_id", priority_id);
    }
  else
    {
      json_object_set_null_member (body, "priority_id");
      json_object_set_null_member (opt, "priority_id");
    }
  run_action (self, "priority", report_id, "POST", path, body, TRUE, opt,
              ks_session_set_priority_async, cancellable, callback, user_data);
}

void
ks_session_moderate_async (KsSession *self, gint64 report_id, const char *title, const char *detail,
                           int show_name, gboolean remove_photo, const char *reason,
                           GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "moderate");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "reason", reason ? reason : "");
  if (title != NULL)
    {
      json_object_set_string_member (body, "title", title);
      json_object_set_string_member (opt, "title", title);
    }
  if (detail != NULL)
    {
      json_object_set_string_member (body, "detail", detail);
      json_object_set_string_member (opt, "detail", detail);
    }
  if (show_name >= 0)
    json_object_set_boolean_member (body, "show_name", show_name != 0);
  if (remove_photo)
    {
      json_object_set_boolean_member (body, "remove_photo", TRUE);
      json_object_set_boolean_member (opt, "has_photo", FALSE);
    }
  run_action (self, "moderate", report_id, "POST", path, body, TRUE, opt,
              ks_session_moderate_async, cancellable, callback, user_data);
}

void
ks_session_hide_async (KsSession *self, gint64 report_id, const char *reason,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "hide");

  g_return_if_fail (KS_IS_SESSION (self));
  if (reason != NULL && *reason != '\0')
    json_object_set_string_member (body, "reason", reason);
  json_object_set_string_member (opt, "state", "hidden");
  run_action (self, "hide", report_id, "POST", path, body, TRUE, opt,
              ks_session_hide_async, cancellable, callback, user_data);
}

void
ks_session_unhide_async (KsSession *self, gint64 report_id,
                         GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = report_path (report_id, "unhide");

  g_return_if_fail (KS_IS_SESSION (self));
  /* No optimistic state: the server restores the one from before the hide, and
   * its answer reaches the store. */
  run_action (self, "unhide", report_id, "POST", path, body, TRUE, NULL,
              ks_session_unhide_async, cancellable, callback, user_data);
}

void
ks_session_request_info_async (KsSession *self, gint64 report_id, const char *text,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "request-info");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "text", text ? text : "");
  json_object_set_string_member (opt, "state", "awaiting_information");
  run_action (self, "request_info", report_id, "POST", path, body, TRUE, opt,
              ks_session_request_info_async, cancellable, callback, user_data);
}

void
ks_session_set_shortlisted_async (KsSession *self, gint64 report_id, gboolean shortlisted,
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  if (shortlisted)
    {
      body = json_object_new ();
      json_object_set_int_member (body, "report_id", report_id);
      path = g_strdup ("/api/v1/shortlist");
      json_object_set_int_member (opt, "shortlist_user", self->user_id);
    }
  else
    {
      path = g_strdup_printf ("/api/v1/shortlist/%" G_GINT64_FORMAT, report_id);
      json_object_set_int_member (opt, "shortlist_user", 0);
    }
  run_action (self, shortlisted ? "shortlist_add" : "shortlist_remove", report_id,
              shortlisted ? "POST" : "DELETE", path, body, FALSE, opt,
              ks_session_set_shortlisted_async, cancellable, callback, user_data);
}

void
ks_session_take_over_shortlist_async (KsSession *self, gint64 report_id,
                                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_int_member (body, "report_id", report_id);
  json_object_set_boolean_member (body, "take", TRUE);
  json_object_set_int_member (opt, "shortlist_user", self->user_id);
  run_action (self, "shortlist_take", report_id, "POST", "/api/v1/shortlist", body, FALSE, opt,
              ks_session_take_over_shortlist_async, cancellable, callback, user_data);
}

void
ks_session_use_template_async (KsSession *self, gint64 report_id, gint64 template_id, gboolean apply_state,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = NULL;
  JsonObject *template;
  const char *template_state = NULL;
  KsReport *report;
  gboolean update = ks_session_can (self, KS_PERM_UPDATE_REPORT);

  g_return_if_fail (KS_IS_SESSION (self));
  /* An update with the template applies its state too; without the permission
   * to post updates, the template is the acknowledgement's reply. */
  path = report_path (report_id, update ? "updates" : "acknowledge");
  json_object_set_int_member (body, "template_id", template_id);
  template = ks_session_find_by_id (self->templates, template_id);
  if (update && template != NULL && json_object_has_member (template, "state") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (template, "state")))
    template_state = json_object_get_string_member (template, "state");
  report = ks_report_store_lookup (self->store, report_id);
  if (template_state != NULL && apply_state)
    json_object_set_string_member (opt, "state", template_state);
  else if (template_state != NULL && report != NULL)
    {
      /* Keep the report's state: name it, so the template's is not applied.
       * A state that cannot be named (hidden) gets the template's text alone. */
      if (ks_state_is_public (ks_report_get_state (report)))
        json_object_set_string_member (body, "state", ks_report_get_state (report));
      else
        {
          g_autofree char *text = ks_session_expand_template (
            self, json_object_get_string_member_with_default (template, "text", ""), report);

          json_object_remove_member (body, "template_id");
          json_object_set_string_member (body, "text", text);
        }
    }
  run_action (self, update ? "update" : "acknowledge", report_id, "POST", path, body, TRUE, opt,
              ks_session_use_template_async, cancellable, callback, user_data);
}

static void
copy_member (JsonObject  *from,
             const char  *name,
             JsonNode    *node,
             gpointer     to)
{
  json_object_set_member (to, name, json_node_copy (node));
}

void
ks_session_create_report_async (KsSession *self, gint64 category_id, const char *title,
                                const char *detail, double lat, double lon,
                                const char *reporter_name, const char *reporter_email,
                                const char *reporter_phone,
                                GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  ks_session_create_report_with_photo_async (self, category_id, title, detail, lat, lon,
                                             reporter_name, reporter_email, reporter_phone,
                                             NULL, cancellable, callback, user_data);
}

void
ks_session_create_report_with_photo_async (KsSession *self, gint64 category_id, const char *title,
                                           const char *detail, double lat, double lon,
                                           const char *reporter_name, const char *reporter_email,
                                           const char *reporter_phone, GBytes *photo,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_int_member (body, "category_id", category_id);
  json_object_set_string_member (body, "title", title ? title : "");
  json_object_set_string_member (body, "detail", detail ? detail : "");
  json_object_set_double_member (body, "lat", lat);
  json_object_set_double_member (body, "lon", lon);
  if (reporter_name != NULL && *reporter_name != '\0')
    {
      JsonObject *reporter = json_object_new ();
      json_object_set_string_member (reporter, "name", reporter_name);
      if (reporter_email != NULL && *reporter_email != '\0')
        json_object_set_string_member (reporter, "email", reporter_email);
      if (reporter_phone != NULL && *reporter_phone != '\0')
        json_object_set_string_member (reporter, "phone", reporter_phone);
      json_object_set_object_member (body, "reporter", reporter);
    }
  else
    json_object_set_boolean_member (body, "as_council", TRUE);
  set_photo (body, photo);
  run_action (self, "create", 0, "POST", "/api/v1/reports", body, FALSE, NULL,
              ks_session_create_report_async, cancellable, callback, user_data);
}

void
ks_session_create_report_from_json_async (KsSession *self, JsonObject *fields, GBytes *photo,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_foreach_member (fields, copy_member, body);
  set_photo (body, photo);
  run_action (self, "create", 0, "POST", "/api/v1/reports", body, FALSE, NULL,
              ks_session_create_report_async, cancellable, callback, user_data);
}

gboolean
ks_session_create_report_finish (KsSession     *self,
                                 GAsyncResult  *result,
                                 gint64        *out_id,
                                 gboolean      *out_queued,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (out_id != NULL)
    *out_id = ks_object_get_int64 (result, "id");
  return ks_session_action_finish (self, result, out_queued, error);
}


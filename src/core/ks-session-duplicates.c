/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-duplicates.c: duplicates through the session: marking a report as
 * a duplicate of another and undoing it (through the outbox, so that they wait
 * there while the server cannot be reached), and the open reports of the same
 * category near a report or a point (from the server, which knows each
 * category's radius). */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"

void
ks_session_mark_duplicate_async (KsSession           *self,
                                 gint64               report_id,
                                 gint64               original_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/duplicate", report_id);
  json_object_set_int_member (body, "of", original_id);
  json_object_set_string_member (opt, "state", "duplicate");
  ks_session_run_action (self, "duplicate", report_id, "POST", path, body, TRUE, opt,
                         ks_session_mark_duplicate_async, cancellable, callback,
                         user_data);
}

void
ks_session_unmark_duplicate_async (KsSession           *self,
                                   gint64               report_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/duplicate", report_id);
  /* The outbox adds the version the change was based on. */
  ks_session_run_action (self, "unduplicate", report_id, "DELETE", path, body, TRUE, NULL,
                         ks_session_unmark_duplicate_async, cancellable, callback,
                         user_data);
}

static void
nearby_call (KsSession           *self,
             const char          *path,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (self, source_tag, cancellable, callback, user_data);

  if (self->client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                               "Sign in to see the reports nearby.");
      return;
    }
  ks_client_call (self->client, task, "GET", path, NULL, ks_client_answer_object);
}

void
ks_session_nearby_async (KsSession           *self,
                         gint64               report_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/nearby", report_id);
  nearby_call (self, path, ks_session_nearby_async, cancellable, callback, user_data);
}

void
ks_session_nearby_point_async (KsSession           *self,
                               double               lat,
                               double               lon,
                               gint64               category_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  char lat_s[G_ASCII_DTOSTR_BUF_SIZE], lon_s[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  g_ascii_formatd (lat_s, sizeof lat_s, "%.7f", lat);
  g_ascii_formatd (lon_s, sizeof lon_s, "%.7f", lon);
  path = g_strdup_printf ("/api/v1/nearby?lat=%s&lon=%s&category_id=%" G_GINT64_FORMAT,
                          lat_s, lon_s, category_id);
  nearby_call (self, path, ks_session_nearby_point_async, cancellable, callback, user_data);
}

JsonObject *
ks_session_nearby_finish (KsSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ks_client_task_finish_pointer (self, result, error);
}

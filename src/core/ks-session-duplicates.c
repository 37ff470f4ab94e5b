/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-duplicates.c: duplicates through the session: marking a report as
 * a duplicate of another and undoing it (through the outbox, so that they wait
 * there while the server cannot be reached). The reports nearby are in
 * ks-session-nearby.c. */
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
  json_object_set_int_member (opt, "duplicate_of", original_id);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-sendings.c: sending a report on again to one of its destinations
 * (a team's email, a contractor's Open311 service). It needs the server: a
 * resend is about the server's own sending, so it is not kept in the outbox. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"

void
ks_session_resend_async (KsSession           *self,
                         gint64               report_id,
                         gint64               sending_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (self, ks_session_resend_async, cancellable,
                                              callback, user_data);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  if (self->client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in to resend.");
      return;
    }
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/sendings/%" G_GINT64_FORMAT
                          "/resend", report_id, sending_id);
  ks_client_call (self->client, task, "POST", path, body, ks_client_answer_object);
}

JsonObject *
ks_session_resend_finish (KsSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ks_client_task_finish_pointer (self, result, error);
}

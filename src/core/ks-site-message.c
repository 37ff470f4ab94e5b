/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-site-message.c: the council's site message over the staff API (see
 * ks-site-message.h). */
#define G_LOG_DOMAIN "ks-site-message"

#include "ks-site-message.h"
#include "ks-error.h"
#include "ks-time.h"

#include <glib/gi18n.h>

#define PATH "/api/v1/site-message"

const char *
ks_site_message_text (JsonNode *node)
{
  JsonObject *o = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  return o ? json_object_get_string_member_with_default (o, "text", NULL) : NULL;
}

gint64
ks_site_message_until (JsonNode *node)
{
  JsonObject *o = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *until = o ? json_object_get_string_member_with_default (o, "until", NULL) : NULL;
  gint64 t = 0;

  return until != NULL && ks_time_parse_iso (until, &t) ? t : 0;
}

/* {"site_message": {...} | null} becomes the task's node. */
static void
answer_message (KsClient *client,
                GTask    *task,
                JsonNode *answer)
{
  JsonObject *o = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  JsonNode *message = o ? json_object_get_member (o, "site_message") : NULL;

  if (message == NULL || !(JSON_NODE_HOLDS_NULL (message) || JSON_NODE_HOLDS_OBJECT (message)))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED, "%s",
                               _("The server's answer about the site message could not be read."));
      return;
    }
  g_task_return_pointer (task, json_node_copy (message), (GDestroyNotify) json_node_unref);
}

static void
answer_none (KsClient *client,
             GTask    *task,
             JsonNode *answer)
{
  g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
}

static void
call (KsClient            *client,
      gpointer             tag,
      const char          *method,
      JsonObject          *body,
      KsClientAnswerFunc   answer,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (client, tag, cancellable, callback, user_data);
  g_autofree char *path = ks_client_council_path (client, PATH);

  ks_client_call (client, task, method, path, body, answer);
}

void
ks_site_message_get_async (KsClient            *client,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (KS_IS_CLIENT (client));
  call (client, ks_site_message_get_async, "GET", NULL, answer_message, cancellable, callback, user_data);
}

void
ks_site_message_set_async (KsClient            *client,
                           const char          *text,
                           gint64               until,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (KS_IS_CLIENT (client));
  json_object_set_string_member (body, "text", text ? text : "");
  if (until > 0)
    {
      char buf[KS_TIME_ISO_BUF_SIZE];

      ks_time_format_iso (until, buf);
      json_object_set_string_member (body, "until", buf);
    }
  call (client, ks_site_message_set_async, "PUT", body, answer_message, cancellable, callback, user_data);
}

void
ks_site_message_clear_async (KsClient            *client,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (KS_IS_CLIENT (client));
  call (client, ks_site_message_clear_async, "DELETE", NULL, answer_none, cancellable, callback, user_data);
}

JsonNode *
ks_site_message_finish (KsClient      *client,
                        GAsyncResult  *result,
                        GError       **error)
{
  return ks_client_task_finish_pointer (client, result, error);
}

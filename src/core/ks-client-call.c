/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-client-call.c: the async call helper of KsClient: one GTask per method,
 * the request sent for it, failures returned, answers handed on. */
#define G_LOG_DOMAIN "ks-client"

#include "ks-client.h"
#include "ks-error.h"

GTask *
ks_client_task_new (gpointer             source_object,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

typedef struct {
  GTask              *task;
  KsClientAnswerFunc  answer;
  KsClientFailFunc    failed;
} Call;

static void
on_call_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GTask) task = call->task;
  KsClientAnswerFunc answer = call->answer;
  KsClientFailFunc failed = call->failed;
  GError *error = NULL;
  g_autoptr(JsonNode) error_body = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result,
                                                       failed ? &error_body : NULL, &error);

  g_free (call);
  if (node == NULL && failed != NULL)
    failed (KS_CLIENT (source), task, error, error_body);
  else if (node == NULL)
    g_task_return_error (task, error);
  else if (answer != NULL)
    answer (KS_CLIENT (source), task, node);
  else
    g_task_return_boolean (task, TRUE);
}

void
ks_client_call_full (KsClient           *self,
                     GTask              *task,
                     const char         *method,
                     const char         *path,
                     JsonNode           *body,
                     GCancellable       *cancellable,
                     KsClientAnswerFunc  answer,
                     KsClientFailFunc    failed)
{
  Call *call;

  g_return_if_fail (KS_IS_CLIENT (self));
  g_return_if_fail (G_IS_TASK (task));

  call = g_new (Call, 1);
  call->task = g_object_ref (task);
  call->answer = answer;
  call->failed = failed;
  ks_client_request_async (self, method, path, body, NULL, cancellable, on_call_answer, call);
}

void
ks_client_call (KsClient           *self,
                GTask              *task,
                const char         *method,
                const char         *path,
                JsonObject         *body,
                KsClientAnswerFunc  answer)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (G_IS_TASK (task));

  if (body != NULL)
    node = json_node_init_object (json_node_alloc (), body);
  ks_client_call_full (self, task, method, path, node, g_task_get_cancellable (task), answer, NULL);
}

void
ks_client_answer_object (KsClient *client,
                         GTask    *task,
                         JsonNode *answer)
{
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent an answer the app cannot read. Try again later.");
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (answer)),
                         (GDestroyNotify) json_object_unref);
}

JsonArray *
ks_client_answer_array (JsonNode   *answer,
                        const char *name)
{
  JsonObject *obj;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  obj = json_node_get_object (answer);
  if (!json_object_has_member (obj, name) || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, name)))
    return NULL;
  return json_object_get_array_member (obj, name);
}

gboolean
ks_client_task_finish (gpointer       source_object,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
ks_client_task_finish_pointer (gpointer       source_object,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-dashboard.c: the dashboard's requests (summary, timeline, statistics,
 * CSV export) and the checks on what they answer. */
#define G_LOG_DOMAIN "ks-dashboard"

#include "ks-dashboard.h"
#include "ks-error.h"
#include "ks-time.h"

/* The path of a dashboard endpoint; platform operators name their council. */
static char *
dashboard_path (KsSession  *session,
                const char *what,
                const char *query)
{
  GString *path = g_string_new ("/api/v1/dashboard/");

  g_string_append (path, what);
  if (query && *query)
    g_string_append_printf (path, "?%s", query);
  ks_session_append_council (session, path);
  return g_string_free (path, FALSE);
}

/* The task of a dashboard request, or NULL when signed out (the task failed). */
static GTask *
begin (KsSession           *session,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, source_tag, cancellable, callback, user_data);

  if (ks_session_get_client (session) == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                               "You are not signed in any more. Sign in again.");
      return NULL;
    }
  return g_steal_pointer (&task);
}

/* GET the dashboard endpoint what (query nullable) for the method source_tag. */
static void
get (KsSession           *session,
     gpointer             source_tag,
     const char          *what,
     const char          *query,
     KsClientAnswerFunc   answer,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  g_autoptr(GTask) task = begin (session, source_tag, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  if (task == NULL)
    return;
  path = dashboard_path (session, what, query);
  ks_client_call (ks_session_get_client (session), task, "GET", path, NULL, answer);
}

/* The "name" array of the answer, or the sentence saying that it cannot be read. */
static void
return_array (GTask      *task,
              JsonNode   *answer,
              const char *name,
              const char *unreadable)
{
  JsonArray *array = ks_client_answer_array (answer, name);

  if (array == NULL)
    g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED, "%s", unreadable);
  else
    g_task_return_pointer (task, json_array_ref (array), (GDestroyNotify) json_array_unref);
}

/* Summary */

static void
summary_answer (KsClient *client,
                GTask    *task,
                JsonNode *answer)
{
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent a summary this app cannot read. Try again later.");
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (answer)),
                         (GDestroyNotify) json_object_unref);
}

void
ks_dashboard_get_summary_async (KsSession           *session,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KS_IS_SESSION (session));
  get (session, ks_dashboard_get_summary_async, "summary", NULL, summary_answer,
       cancellable, callback, user_data);
}

JsonObject *
ks_dashboard_get_summary_finish (KsSession     *session,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

/* Timeline */

static void
timeline_answer (KsClient *client,
                 GTask    *task,
                 JsonNode *answer)
{
  return_array (task, answer, "timeline",
                "The server sent a timeline this app cannot read. Try again later.");
}

void
ks_dashboard_get_timeline_async (KsSession           *session,
                                 guint                days,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *query = g_strdup_printf ("days=%u", days);

  g_return_if_fail (KS_IS_SESSION (session));
  get (session, ks_dashboard_get_timeline_async, "timeline", query, timeline_answer,
       cancellable, callback, user_data);
}

JsonArray *
ks_dashboard_get_timeline_finish (KsSession     *session,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

/* Statistics */

static void
stats_answer (KsClient *client,
              GTask    *task,
              JsonNode *answer)
{
  return_array (task, answer, "rows",
                "The server sent statistics this app cannot read. Try again later.");
}

void
ks_dashboard_get_stats_async (KsSession           *session,
                              const char          *by,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *query = NULL;

  g_return_if_fail (KS_IS_SESSION (session));
  g_return_if_fail (by != NULL);
  query = g_strdup_printf ("by=%s", by);
  get (session, ks_dashboard_get_stats_async, "stats", query, stats_answer,
       cancellable, callback, user_data);
}

JsonArray *
ks_dashboard_get_stats_finish (KsSession     *session,
                               GAsyncResult  *result,
                               GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

/* Response times */

static void
response_times_answer (KsClient *client,
                       GTask    *task,
                       JsonNode *answer)
{
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      ks_client_answer_array (answer, "priorities") == NULL ||
      !json_object_has_member (json_node_get_object (answer), "overall") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (answer), "overall")))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent response times this app cannot read. Try "
                               "again later.");
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (answer)),
                         (GDestroyNotify) json_object_unref);
}

void
ks_dashboard_get_response_times_async (KsSession           *session,
                                       guint                days,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *when = ks_time_to_iso (ks_time_now () - (gint64) days * 86400);
  g_autofree char *query = g_strdup_printf ("from=%s", when);

  g_return_if_fail (KS_IS_SESSION (session));
  get (session, ks_dashboard_get_response_times_async, "response-times", query,
       response_times_answer, cancellable, callback, user_data);
}

JsonObject *
ks_dashboard_get_response_times_finish (KsSession     *session,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

/* Export */

static void
on_csv (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes = ks_client_get_bytes_finish (KS_CLIENT (source), result, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
ks_dashboard_export_csv_async (KsSession           *session,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (session));
  if ((task = begin (session, ks_dashboard_export_csv_async, cancellable, callback, user_data)) == NULL)
    return;
  path = dashboard_path (session, "export.csv", NULL);
  ks_client_get_bytes_async (ks_session_get_client (session), path, cancellable,
                             on_csv, g_object_ref (task));
}

GBytes *
ks_dashboard_export_csv_finish (KsSession     *session,
                                GAsyncResult  *result,
                                GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

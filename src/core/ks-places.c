/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places.c: the gazetteer search and the caller's reports, asked of the
 * server with the session's client. */
#define G_LOG_DOMAIN "ks-places"

#include "ks-places.h"
#include "ks-error.h"

/* The task of a request, or NULL when it already failed: signed out, or the
 * client knows the server cannot be reached now (a request would wait for
 * its timeout). */
static GTask *
begin (KsSession           *session,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, source_tag, cancellable, callback, user_data);
  KsClient *client = ks_session_get_client (session);

  if (client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                               "You are not signed in any more. Sign in again.");
      return NULL;
    }
  if (!ks_client_get_reachable (client))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAVAILABLE,
                               "The server cannot be reached now, so this search "
                               "cannot be made. Try again when you are back online.");
      return NULL;
    }
  return g_steal_pointer (&task);
}

static gboolean
has_alnum (const char *text)
{
  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Places */

static void
places_answer (KsClient *client,
               GTask    *task,
               JsonNode *answer)
{
  JsonArray *places = ks_client_answer_array (answer, "places");

  if (places == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent places this app cannot read. Try again later.");
      return;
    }
  g_task_return_pointer (task, json_array_ref (places), (GDestroyNotify) json_array_unref);
}

void
ks_places_search_async (KsSession           *session,
                        const char          *text,
                        guint                limit,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *q = NULL;
  GString *path;

  g_return_if_fail (KS_IS_SESSION (session));
  g_return_if_fail (text != NULL);

  if (!has_alnum (text))
    {
      task = ks_client_task_new (session, ks_places_search_async, cancellable, callback, user_data);
      g_task_return_pointer (task, json_array_new (), (GDestroyNotify) json_array_unref);
      return;
    }
  task = begin (session, ks_places_search_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  q = g_uri_escape_string (text, NULL, FALSE);
  path = g_string_new (NULL);
  g_string_printf (path, "/api/v1/places?q=%s&limit=%u", q, CLAMP (limit, 1, KS_PLACES_MAX));
  ks_session_append_council (session, path);
  ks_client_call (ks_session_get_client (session), task, "GET", path->str, NULL, places_answer);
  g_string_free (path, TRUE);
}

JsonArray *
ks_places_search_finish (KsSession     *session,
                         GAsyncResult  *result,
                         GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

/* A caller's reports */

static void
caller_answer (KsClient *client,
               GTask    *task,
               JsonNode *answer)
{
  if (ks_client_answer_array (answer, "reports") == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent a list of reports this app cannot read. Try again later.");
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (answer)),
                         (GDestroyNotify) json_object_unref);
}

void
ks_places_find_caller_reports_async (KsSession           *session,
                                     const char          *text,
                                     const char          *by,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *q = NULL;
  g_autofree char *field = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (session));
  g_return_if_fail (text != NULL);

  task = begin (session, ks_places_find_caller_reports_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  q = g_uri_escape_string (text, NULL, FALSE);
  field = by ? g_uri_escape_string (by, NULL, FALSE) : NULL;
  path = g_strdup_printf ("/api/v1/caller-reports?q=%s%s%s", q,
                          field ? "&by=" : "", field ? field : "");
  ks_client_call (ks_session_get_client (session), task, "GET", path, NULL, caller_answer);
}

JsonObject *
ks_places_find_caller_reports_finish (KsSession     *session,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

char *
ks_places_describe (JsonObject *place)
{
  const char *name = json_object_get_string_member_with_default (place, "name", "");
  const char *context = json_object_get_string_member_with_default (place, "context", "");

  if (context == NULL || *context == '\0')
    return g_strdup (name ? name : "");
  return g_strdup_printf ("%s, %s", name ? name : "", context);
}

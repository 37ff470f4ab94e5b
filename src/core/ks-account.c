/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-account.c: the signed-in person's own account (the /account endpoints). */
#define G_LOG_DOMAIN "ks-account"

#include "ks-account.h"
#include "ks-error.h"

#include <string.h>

/* Sends a request with the session's client for task, or fails it at once. */
static void
send_request (KsSession          *session,
              GTask              *task,
              const char         *method,
              const char         *path,
              JsonObject         *body,
              KsClientAnswerFunc  answer)
{
  KsClient *client = ks_session_get_client (session);

  if (client == NULL || ks_client_get_token (client) == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                               "You are not signed in any more. Sign in again.");
      return;
    }
  ks_client_call (client, task, method, path, body, answer);
}

/* /me */

static void
me_answer (KsClient *client,
           GTask    *task,
           JsonNode *node)
{
  KsSession *session = g_task_get_source_object (task);
  GError *error = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent an answer the app cannot read. Try again later.");
      return;
    }
  if (!ks_session_update_me (session, json_node_get_object (node), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (node)),
                         (GDestroyNotify) json_object_unref);
}

void
ks_account_refresh_async (KsSession           *session,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_refresh_async, cancellable, callback, user_data);

  send_request (session, task, "GET", "/api/v1/me", NULL, me_answer);
}

JsonObject *
ks_account_refresh_finish (KsSession     *session,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

/* Two-factor authentication */

void
ks_account_two_factor_setup_async (KsSession           *session,
                                   const char          *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_two_factor_setup_async, cancellable, callback, user_data);
  g_autoptr(JsonObject) body = json_object_new ();

  if (password != NULL && *password == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter your password to confirm that it is you.");
      return;
    }
  if (password != NULL)
    json_object_set_string_member (body, "password", password);
  send_request (session, task, "POST", "/api/v1/account/2fa/setup", body, ks_client_answer_object);
}

JsonObject *
ks_account_two_factor_setup_finish (KsSession     *session,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

static JsonObject *
code_body (const char *code)
{
  JsonObject *body = json_object_new ();
  GString *digits = g_string_new (NULL);

  /* People paste codes as "123 456" or "123-456". */
  for (const char *p = code ? code : ""; *p; p++)
    if (!g_ascii_isspace (*p) && *p != '-')
      g_string_append_c (digits, *p);
  json_object_set_string_member (body, "code", digits->str);
  g_string_free (digits, TRUE);
  return body;
}

static gboolean
check_code (GTask      *task,
            const char *code)
{
  if (code == NULL || *code == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "Enter the 6-digit code from your authenticator app.");
      return FALSE;
    }
  return TRUE;
}

static char **strings_of (JsonObject *obj, const char *name);

/* The recovery codes are kept by the task, never in the session's /me. */
static void
enabled_answer (KsClient *client,
                GTask    *task,
                JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *me = json_node_get_object (node);
      g_task_set_task_data (task, strings_of (me, "recovery_codes"), (GDestroyNotify) g_strfreev);
      json_object_remove_member (me, "recovery_codes");
    }
  me_answer (client, task, node);
}

void
ks_account_two_factor_enable_async (KsSession           *session,
                                    const char          *code,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_two_factor_enable_async, cancellable, callback, user_data);
  g_autoptr(JsonObject) body = NULL;

  if (!check_code (task, code))
    return;
  body = code_body (code);
  /* The answer is /me with two_factor_enabled (and the recovery codes). */
  send_request (session, task, "POST", "/api/v1/account/2fa/enable", body, enabled_answer);
}

/* The strings of array member name of obj, NULL-terminated (empty when none). */
static char **
strings_of (JsonObject *obj,
            const char *name)
{
  JsonArray *array = obj && json_object_has_member (obj, name) &&
                     JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, name))
                     ? json_object_get_array_member (obj, name) : NULL;
  GStrvBuilder *builder = g_strv_builder_new ();
  char **out;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

gboolean
ks_account_two_factor_enable_finish (KsSession     *session,
                                     GAsyncResult  *result,
                                     char        ***out_recovery_codes,
                                     GError       **error)
{
  g_autoptr(JsonObject) me = ks_client_task_finish_pointer (session, result, error);

  if (out_recovery_codes != NULL)
    *out_recovery_codes = me != NULL && g_task_get_task_data (G_TASK (result)) != NULL
                          ? g_strdupv (g_task_get_task_data (G_TASK (result)))
                          : (me != NULL ? g_new0 (char *, 1) : NULL);
  return me != NULL;
}

/* Recovery codes */

static void
renewed_me_answer (KsClient *client,
                   GTask    *task,
                   JsonNode *node)
{
  KsSession *session = g_task_get_source_object (task);
  GError *error = NULL;

  /* The codes are shown whatever /me says; a /me that fails leaves the count old. */
  if (JSON_NODE_HOLDS_OBJECT (node) &&
      !ks_session_update_me (session, json_node_get_object (node), &error))
    g_clear_error (&error);
  g_task_return_pointer (task, g_strdupv (g_task_get_task_data (task)), (GDestroyNotify) g_strfreev);
}

static void
renewed_answer (KsClient *client,
                GTask    *task,
                JsonNode *node)
{
  KsSession *session = g_task_get_source_object (task);
  char **codes = JSON_NODE_HOLDS_OBJECT (node) ? strings_of (json_node_get_object (node), "recovery_codes") : NULL;

  if (codes == NULL || codes[0] == NULL)
    {
      g_strfreev (codes);
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent no recovery codes. Try again later.");
      return;
    }
  g_task_set_task_data (task, codes, (GDestroyNotify) g_strfreev);
  send_request (session, task, "GET", "/api/v1/me", NULL, renewed_me_answer);
}

void
ks_account_renew_recovery_codes_async (KsSession           *session,
                                       const char          *password,
                                       const char          *code,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_renew_recovery_codes_async, cancellable, callback, user_data);
  g_autoptr(JsonObject) body = NULL;

  if (code != NULL && *code != '\0')
    body = code_body (code);
  else if (password != NULL && *password != '\0')
    {
      body = json_object_new ();
      json_object_set_string_member (body, "password", password);
    }
  else
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "Enter your password, or a code from your authenticator app, to confirm that it is you.");
      return;
    }
  send_request (session, task, "POST", "/api/v1/account/2fa/recovery-codes", body, renewed_answer);
}

char **
ks_account_renew_recovery_codes_finish (KsSession     *session,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

gint64
ks_account_recovery_codes_left (KsSession *session)
{
  JsonObject *me = ks_session_get_me (session);

  return me ? json_object_get_int_member_with_default (me, "recovery_codes_left", 0) : 0;
}

static void
disabled_answer (KsClient *client,
                 GTask    *task,
                 JsonNode *node)
{
  KsSession *session = g_task_get_source_object (task);

  send_request (session, task, "GET", "/api/v1/me", NULL, me_answer);
}

void
ks_account_two_factor_disable_async (KsSession           *session,
                                     const char          *code,
                                     const char          *password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_two_factor_disable_async, cancellable, callback, user_data);
  g_autoptr(JsonObject) body = NULL;

  if (!check_code (task, code))
    return;
  if (password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter your password to confirm that it is you.");
      return;
    }
  body = code_body (code);
  json_object_set_string_member (body, "password", password);
  send_request (session, task, "POST", "/api/v1/account/2fa/disable", body, disabled_answer);
}

gboolean
ks_account_two_factor_disable_finish (KsSession     *session,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_autoptr(JsonObject) me = ks_client_task_finish_pointer (session, result, error);

  return me != NULL;
}

/* Password */

void
ks_account_change_password_async (KsSession           *session,
                                  const char          *current_password,
                                  const char          *new_password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_change_password_async, cancellable, callback, user_data);
  g_autoptr(JsonObject) body = json_object_new ();

  if (current_password != NULL && *current_password == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter your current password.");
      return;
    }
  if (new_password == NULL || *new_password == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter a new password.");
      return;
    }
  if (current_password != NULL)
    json_object_set_string_member (body, "current_password", current_password);
  json_object_set_string_member (body, "new_password", new_password);
  send_request (session, task, "POST", "/api/v1/account/password", body, NULL);
}

gboolean
ks_account_change_password_finish (KsSession     *session,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return ks_client_task_finish (session, result, error);
}

/* Sessions */

static void
sessions_answer (KsClient *client,
                 GTask    *task,
                 JsonNode *node)
{
  JsonArray *sessions;

  if ((sessions = ks_client_answer_array (node, "sessions")) == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent a list of sessions the app cannot read. Try again later.");
      return;
    }
  g_task_return_pointer (task, json_array_ref (sessions), (GDestroyNotify) json_array_unref);
}

void
ks_account_list_sessions_async (KsSession           *session,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_list_sessions_async, cancellable, callback, user_data);

  send_request (session, task, "GET", "/api/v1/account/sessions", NULL, sessions_answer);
}

JsonArray *
ks_account_list_sessions_finish (KsSession     *session,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return ks_client_task_finish_pointer (session, result, error);
}

void
ks_account_revoke_session_async (KsSession           *session,
                                 gint64               session_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_revoke_session_async, cancellable, callback, user_data);
  g_autofree char *path = g_strdup_printf ("/api/v1/account/sessions/%" G_GINT64_FORMAT, session_id);

  send_request (session, task, "DELETE", path, NULL, NULL);
}

gboolean
ks_account_revoke_session_finish (KsSession     *session,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return ks_client_task_finish (session, result, error);
}

typedef struct {
  guint   pending;
  guint   count;
  GError *error;
} RevokeData;

static void
revoke_data_free (RevokeData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
revoke_other_done (GTask *task)
{
  RevokeData *data = g_task_get_task_data (task);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
other_revoke_failed (KsClient *client,
                     GTask    *task,
                     GError   *failure,
                     JsonNode *error_body)
{
  RevokeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = failure;

  /* A session that ended meanwhile is gone anyway. */
  if (error == NULL || g_error_matches (error, KS_ERROR, KS_ERROR_NOT_FOUND))
    data->count++;
  else if (data->error == NULL)
    data->error = g_steal_pointer (&error);
  if (--data->pending == 0)
    revoke_other_done (task);
}

static void
other_revoked (KsClient *client,
               GTask    *task,
               JsonNode *node)
{
  other_revoke_failed (client, task, NULL, NULL);
}

static void
sessions_to_revoke_answer (KsClient *client,
                           GTask    *task,
                           JsonNode *node)
{
  RevokeData *data = g_task_get_task_data (task);
  JsonArray *sessions;

  if ((sessions = ks_client_answer_array (node, "sessions")) == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent a list of sessions the app cannot read. Try again later.");
      return;
    }
  /* One extra count, so that the task finishes once all are sent. */
  data->pending = 1;
  for (guint i = 0; i < json_array_get_length (sessions); i++)
    {
      JsonObject *one = json_array_get_object_element (sessions, i);
      g_autofree char *path = NULL;

      if (one == NULL || json_object_get_boolean_member_with_default (one, "current", FALSE))
        continue;
      path = g_strdup_printf ("/api/v1/account/sessions/%" G_GINT64_FORMAT,
                              json_object_get_int_member_with_default (one, "id", 0));
      data->pending++;
      ks_client_call_full (client, task, "DELETE", path, NULL, g_task_get_cancellable (task),
                           other_revoked, other_revoke_failed);
    }
  if (--data->pending == 0)
    revoke_other_done (task);
}

void
ks_account_revoke_other_sessions_async (KsSession           *session,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (session, ks_account_revoke_other_sessions_async, cancellable, callback, user_data);

  g_task_set_task_data (task, g_new0 (RevokeData, 1), (GDestroyNotify) revoke_data_free);
  send_request (session, task, "GET", "/api/v1/account/sessions", NULL, sessions_to_revoke_answer);
}

gboolean
ks_account_revoke_other_sessions_finish (KsSession     *session,
                                         GAsyncResult  *result,
                                         guint         *out_count,
                                         GError       **error)
{
  RevokeData *data;

  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);
  data = g_task_get_task_data (G_TASK (result));
  if (out_count != NULL)
    *out_count = data ? data->count : 0;
  return ks_client_task_finish (session, result, error);
}

/* Text helpers */

/* The version after "Name/" up to the next space. */
static char *
product_version (const char *ua,
                 const char *product)
{
  const char *p = strstr (ua, product);
  const char *end;

  if (p == NULL)
    return NULL;
  p += strlen (product);
  if (*p != '/')
    return g_strdup ("");
  p++;
  for (end = p; *end && !g_ascii_isspace (*end) && *end != ';' && *end != ')'; end++)
    ;
  return g_strndup (p, end - p);
}

char *
ks_account_describe_user_agent (const char *user_agent)
{
  static const struct {
    const char *token;
    const char *name;
  } browsers[] = {
    { "Edg", "Edge" }, { "Firefox", "Firefox" }, { "Chrome", "Chrome" }, { "Safari", "Safari" },
  };
  g_autofree char *version = NULL;

  if (user_agent == NULL || *user_agent == '\0')
    return g_strdup ("Unknown app");
  if (g_str_has_prefix (user_agent, "Kerbside/"))
    {
      version = product_version (user_agent, "Kerbside");
      return g_strdup_printf ("Kerbside desktop app %s", version);
    }
  if (g_str_has_prefix (user_agent, "Mozilla/"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (browsers); i++)
        if (strstr (user_agent, browsers[i].token) != NULL)
          return g_strdup_printf ("Web browser (%s)", browsers[i].name);
      return g_strdup ("Web browser");
    }
  /* "curl/7.88.1", "python-requests/2.28": name and version. */
  {
    const char *slash = strchr (user_agent, '/');
    const char *end = user_agent;
    g_autofree char *name = NULL;

    while (*end && !g_ascii_isspace (*end) && *end != '/')
      end++;
    name = g_strndup (user_agent, end - user_agent);
    if (slash != NULL && slash == end)
      {
        version = product_version (user_agent, name);
        return g_strdup_printf ("%s %s", name, version);
      }
    return g_steal_pointer (&name);
  }
}

char *
ks_account_group_secret (const char *secret)
{
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = secret ? secret : ""; *p; p++)
    {
      if (g_ascii_isspace (*p) || *p == '=')
        continue;
      if (n > 0 && n % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, g_ascii_toupper (*p));
      n++;
    }
  return g_string_free (out, FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-sign-in.c: how a session starts and ends: sign-in by password,
 * two-factor code or emailed code, waiting for 2FA setup, silent resume from
 * the keyring, sign-out, and losing the session to the server. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-cache-preload.h"
#include "ks-credentials.h"
#include "ks-error.h"

#include <string.h>

/* Signing in */

static gboolean
me_has (JsonObject   *me,
        KsPermission  perm,
        KsPermissionSet *out_set)
{
  KsPermissionSet set = 0;
  JsonArray *perms = NULL;

  if (me != NULL && json_object_has_member (me, "permissions") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (me, "permissions")))
    perms = json_object_get_array_member (me, "permissions");
  for (guint i = 0; perms && i < json_array_get_length (perms); i++)
    {
      KsPermission p;
      JsonNode *n = json_array_get_element (perms, i);
      if (JSON_NODE_HOLDS_VALUE (n) && ks_permission_from_id (json_node_get_string (n), &p))
        set |= 1u << p;
    }
  if (out_set != NULL)
    *out_set = set;
  return KS_PERMISSION_SET_HAS (set, perm);
}

/* Whether the cache file of server + email belongs to a user with view_offline. */
static gboolean
cached_user_keeps_data (KsCache *cache)
{
  g_autofree char *text = ks_cache_get_string (cache, "me");
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  return me_has (json_node_get_object (json_parser_get_root (parser)), KS_PERM_VIEW_OFFLINE, NULL);
}

static void
set_me (KsSession  *self,
        JsonObject *me)
{
  g_clear_pointer (&self->me, json_object_unref);
  self->me = json_object_ref (me);
  me_has (me, KS_PERM_VIEW_OFFLINE, &self->perms);
  self->user_id = json_object_has_member (me, "id") ? json_object_get_int_member (me, "id") : 0;
  g_free (self->user_name);
  self->user_name = g_strdup (json_object_has_member (me, "name") ? json_object_get_string_member (me, "name") : self->email);
  g_object_notify_by_pspec (G_OBJECT (self), ks_session_properties[KS_SESSION_PROP_USER_NAME]);
  if (self->cache != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), me);
      g_autofree char *text = json_to_string (node, FALSE);
      ks_cache_set_string (self->cache, "me", text, NULL);
    }
}

static void
session_lost (KsSession  *self,
              const char *message)
{
  gboolean keep;

  if (!self->signed_in && !self->setup_pending)
    return;
  /* Keep queued writes for the next sign-in; otherwise the same rule as signing out. */
  keep = ks_session_can (self, KS_PERM_VIEW_OFFLINE) ||
         (self->outbox != NULL && ks_outbox_get_n_pending (self->outbox) > 0);
  ks_credentials_clear_async (self->server_url, self->email, NULL, NULL, NULL);
  if (!keep && self->cache != NULL)
    ks_cache_wipe (self->cache, NULL);
  ks_session_teardown (self);
  g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_SIGNED_OUT], 0, message);
}

static void
on_unauthorized (KsClient   *client,
                 const char *message,
                 KsSession  *self)
{
  g_autofree char *copy = g_strdup (message);

  session_lost (self, copy);
}

static gboolean
me_requires_setup (JsonObject *me)
{
  return me != NULL && json_object_get_boolean_member_with_default (me, "two_factor_setup_required", FALSE);
}

static void connect_client (KsSession *self);

/* Signed in on the server, but nothing else is allowed until 2FA is set up:
 * nothing runs, the token and /me are kept. */
static void
enter_setup_pending (KsSession  *self,
                     JsonObject *me,
                     const char *message)
{
  g_autoptr(JsonObject) keep = json_object_ref (me);

  ks_session_stop_running (self);
  set_me (self, keep);
  self->setup_pending = TRUE;
  connect_client (self);
  g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_TWO_FACTOR_SETUP_REQUIRED], 0, message);
}

static void
on_client_setup_required (KsClient   *client,
                          const char *message,
                          KsSession  *self)
{
  g_autofree char *copy = g_strdup (message);

  /* Several requests may be refused at once: the first one stops everything,
   * as a 401 does, before its caller hears of the error. */
  if (self->signed_in && self->me != NULL)
    {
      g_autoptr(JsonObject) me = json_object_ref (self->me);
      enter_setup_pending (self, me, copy);
    }
}

/* The server answered 503 with Retry-After: the request is sent again then. */
static void
on_client_waiting (KsClient   *client,
                   const char *path,
                   guint       seconds,
                   const char *code,
                   KsSession  *self)
{
  g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_WAITING], 0, path, seconds, code);
}

static void
connect_client (KsSession *self)
{
  if (self->unauthorized_handler == 0)
    self->unauthorized_handler = g_signal_connect (self->client, "unauthorized",
                                                   G_CALLBACK (on_unauthorized), self);
  if (self->setup_required_handler == 0)
    self->setup_required_handler = g_signal_connect (self->client, "two-factor-setup-required",
                                                     G_CALLBACK (on_client_setup_required), self);
}

static void
on_lists_refreshed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ks_session_refresh_lists_finish (KS_SESSION (source), result, &error))
    g_debug ("lists: %s", error->message);
}

static void
on_background_sync (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ks_sync_engine_sync_finish (KS_SYNC_ENGINE (source), result, &error))
    g_debug ("sync: %s", error->message);
}

/* Opens the cache, loads the cached reports and starts the engines. */
static gboolean
start_session (KsSession  *self,
               GError    **error)
{
  g_autoptr(GPtrArray) reports = NULL;
  gboolean offline = ks_session_can (self, KS_PERM_VIEW_OFFLINE) ||
                     KS_PERMISSION_SET_HAS (self->perms, KS_PERM_VIEW_OFFLINE);

  ks_session_choose_start_council (self);
  if (self->cache != NULL && self->council_id > 0)
    {
      /* Resumed from the account's own cache: a platform operator's reports are
       * in the chosen council's. */
      g_autofree char *path = ks_cache_path_for_council (self->server_url, self->email,
                                                         self->council_id);
      if (g_strcmp0 (path, ks_cache_get_path (self->cache)) != 0)
        {
          g_clear_object (&self->cache);
          g_clear_object (&self->preloaded);
        }
    }
  if (self->cache == NULL &&
      (self->cache = ks_cache_open_for_council (self->server_url, self->email, self->council_id,
                                                error)) == NULL)
    return FALSE;
  if (self->me != NULL)
    {
      g_autoptr(JsonObject) me = json_object_ref (self->me);
      set_me (self, me);
    }
  /* Read already while the keyring answered (the resume), or now. */
  if (self->preloaded != NULL)
    {
      ks_report_store_take_from (self->store, self->preloaded);
      g_clear_object (&self->preloaded);
    }
  else
    {
      if ((reports = ks_cache_load_reports (self->cache, error)) == NULL)
        return FALSE;
      ks_report_store_replace_all (self->store, reports);
    }
  ks_session_load_lists_from_cache (self);

  self->cancellable = g_cancellable_new ();
  self->sync = ks_sync_engine_new (self->client, self->cache, self->store, offline);
  g_signal_connect_object (self->sync, "finished", G_CALLBACK (ks_session_follow_shortlist_order),
                           self, G_CONNECT_SWAPPED);
  self->outbox = ks_outbox_new (self->client, self->cache, self->store);
  g_hash_table_remove_all (self->placeholders);
  g_signal_connect_object (self->outbox, "changed", G_CALLBACK (ks_session_sync_placeholders),
                           self, G_CONNECT_SWAPPED);
  ks_session_sync_placeholders (self);
  connect_client (self);
  self->setup_pending = FALSE;
  self->signed_in = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), ks_session_properties[KS_SESSION_PROP_SIGNED_IN]);
  return TRUE;
}

gboolean
ks_session_start (KsSession  *self,
                  GError    **error)
{
  return start_session (self, error);
}

void
ks_session_start_background (KsSession *self)
{
  /* A platform operator who has not chosen a council yet starts in the first. */
  if (ks_session_is_superuser (self) && self->council_id == 0)
    {
      ks_session_start_first_council (self);
      return;
    }
  ks_session_refresh_lists_async (self, self->cancellable, on_lists_refreshed, NULL);
  ks_sync_engine_sync_async (self->sync, NULL, on_background_sync, NULL);
  ks_outbox_flush (self->outbox);
}

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* Not fatal: the session works, only the next start needs the password. */
  if (!ks_credentials_store_finish (result, &error))
    g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_KEYRING_ERROR], 0, error);
  g_clear_error (&error);

  if (me_requires_setup (self->me))
    {
      g_autoptr(JsonObject) me = json_object_ref (self->me);

      enter_setup_pending (self, me, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!start_session (self, &error))
    {
      ks_session_teardown (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_SIGNED_IN], 0);
  ks_session_start_background (self);
  g_task_return_boolean (task, TRUE);
}

/* A sign-in step failed: nothing of it stays. */
static void
sign_in_failed (KsClient *client,
                GTask    *task,
                GError   *error,
                JsonNode *error_body)
{
  ks_session_teardown (g_task_get_source_object (task));
  g_task_return_error (task, error);
}

static void
sign_in_me_answer (KsClient *client,
                   GTask    *task,
                   JsonNode *node)
{
  KsSession *self = g_task_get_source_object (task);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sign_in_failed (client, task,
                      g_error_new (KS_ERROR, KS_ERROR_FAILED,
                                   "The server sent an answer the app cannot read. Check the server address."),
                      NULL);
      return;
    }
  me_has (json_node_get_object (node), KS_PERM_VIEW_OFFLINE, &self->perms);
  self->me = json_object_ref (json_node_get_object (node));
  ks_credentials_store_async (self->server_url, self->email, ks_client_get_token (self->client),
                              NULL, on_token_stored, g_object_ref (task));
}

static void
login_answer (KsClient *client,
              GTask    *task,
              JsonNode *node)
{
  KsSession *self = g_task_get_source_object (task);
  JsonObject *obj;

  obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (obj != NULL && json_object_get_boolean_member_with_default (obj, "two_factor_required", FALSE) &&
      json_object_get_string_member_with_default (obj, "challenge", NULL) != NULL)
    {
      /* The password (or emailed code) was right: a code from the authenticator comes next. */
      g_free (self->challenge);
      self->challenge = g_strdup (json_object_get_string_member (obj, "challenge"));
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_TWO_FACTOR_REQUIRED, "%s",
                               json_object_get_string_member_with_default (obj, "message",
                                                                           "Enter the 6-digit code from your authenticator app."));
      return;
    }
  if (obj == NULL || !json_object_has_member (obj, "token"))
    {
      ks_session_teardown (self);
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server did not start a session. Check that the address is your council's Kerbside server.");
      return;
    }
  ks_client_set_token (self->client, json_object_get_string_member (obj, "token"));
  ks_client_call_full (self->client, task, "GET", "/api/v1/me", NULL, g_task_get_cancellable (task),
                       sign_in_me_answer, sign_in_failed);
}

static gboolean
prepare (KsSession   *self,
         const char  *server_url,
         const char  *email,
         GError     **error)
{
  g_autofree char *url = NULL;

  if (self->signed_in)
    ks_session_teardown (self);
  if ((url = ks_client_normalise_url (server_url, error)) == NULL)
    return FALSE;
  if (email == NULL || strchr (email, '@') == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "Enter your work email address, like name@council.gov.uk.");
      return FALSE;
    }
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&url);
  g_free (self->email);
  self->email = g_utf8_strdown (email, -1);
  g_strstrip (self->email);
  g_clear_object (&self->client);
  self->generation++;
  self->client = ks_client_new (self->server_url, error);
  if (self->client != NULL)
    g_signal_connect_object (self->client, "waiting", G_CALLBACK (on_client_waiting), self, 0);
  return self->client != NULL;
}

/* The task of a step that starts with a server address and an email, or NULL
 * when they are wrong (the task is answered with the sentence). */
static GTask *
begin_with_email (KsSession           *self,
                  const char          *server_url,
                  const char          *email,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (self, source_tag, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  if (!prepare (self, server_url, email, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  return g_steal_pointer (&task);
}

void
ks_session_sign_in_async (KsSession           *self,
                          const char          *server_url,
                          const char          *email,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = begin_with_email (self, server_url, email, ks_session_sign_in_async,
                           cancellable, callback, user_data);
  if (task == NULL)
    return;
  if (password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter your password.");
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, self->email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  ks_client_call_full (self->client, task, "POST", "/api/v1/auth/login", body, cancellable,
                       login_answer, sign_in_failed);
}

gboolean
ks_session_sign_in_finish (KsSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ks_client_task_finish (self, result, error);
}

static void
code_failed (KsClient *client,
             GTask    *task,
             GError   *error,
             JsonNode *error_body)
{
  KsSession *self = g_task_get_source_object (task);

  /* A wrong code can be tried again on the same challenge; an expired one cannot. */
  if (g_strcmp0 (ks_client_error_code (error_body), "challenge_expired") == 0)
    g_clear_pointer (&self->challenge, g_free);
  g_task_return_error (task, error);
}

static void
code_answer (KsClient *client,
             GTask    *task,
             JsonNode *node)
{
  KsSession *self = g_task_get_source_object (task);

  g_clear_pointer (&self->challenge, g_free);
  login_answer (client, task, node);
}

void
ks_session_sign_in_code_async (KsSession           *self,
                               const char          *code,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = ks_client_task_new (self, ks_session_sign_in_code_async, cancellable, callback, user_data);
  if (self->client == NULL || self->challenge == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                               "This sign-in has expired. Enter your email address and password again.");
      return;
    }
  if (code == NULL || *code == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "Enter the 6-digit code from your authenticator app.");
      return;
    }
  json_object_set_string_member (obj, "challenge", self->challenge);
  json_object_set_string_member (obj, "code", code);
  body = json_node_init_object (json_node_alloc (), obj);
  ks_client_call_full (self->client, task, "POST", "/api/v1/auth/login/2fa", body, cancellable,
                       code_answer, code_failed);
}

gboolean
ks_session_has_challenge (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  return self->challenge != NULL;
}

void
ks_session_forget_challenge (KsSession *self)
{
  g_return_if_fail (KS_IS_SESSION (self));
  g_clear_pointer (&self->challenge, g_free);
  if (!self->signed_in && !self->setup_pending)
    ks_session_teardown (self);
}

static void
email_requested_answer (KsClient *client,
                        GTask    *task,
                        JsonNode *node)
{
  const char *message = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    message = json_object_get_string_member_with_default (json_node_get_object (node), "message", NULL);
  g_task_return_pointer (task,
                         g_strdup (message ? message : "If there is an account for this address, a code is on its way."),
                         g_free);
}

void
ks_session_request_email_code_async (KsSession           *self,
                                     const char          *server_url,
                                     const char          *email,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));

  task = begin_with_email (self, server_url, email, ks_session_request_email_code_async,
                           cancellable, callback, user_data);
  if (task == NULL)
    return;
  json_object_set_string_member (body, "email", self->email);
  ks_client_call (self->client, task, "POST", "/api/v1/auth/email", body, email_requested_answer);
}

char *
ks_session_request_email_code_finish (KsSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return ks_client_task_finish_pointer (self, result, error);
}

void
ks_session_sign_in_email_code_async (KsSession           *self,
                                     const char          *server_url,
                                     const char          *email,
                                     const char          *code,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = begin_with_email (self, server_url, email, ks_session_sign_in_email_code_async,
                           cancellable, callback, user_data);
  if (task == NULL)
    return;
  if (code == NULL || *code == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter the code from the email.");
      return;
    }
  json_object_set_string_member (obj, "email", self->email);
  json_object_set_string_member (obj, "code", code);
  body = json_node_init_object (json_node_alloc (), obj);
  ks_client_call_full (self->client, task, "POST", "/api/v1/auth/email/verify", body, cancellable,
                       login_answer, sign_in_failed);
}

gboolean
ks_session_get_two_factor_setup_required (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  return self->setup_pending;
}

gboolean
ks_session_update_me (KsSession   *self,
                      JsonObject  *me,
                      GError     **error)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (me != NULL, FALSE);

  if (self->setup_pending && !me_requires_setup (me))
    {
      /* 2FA is set up now: the sign-in that waited for it goes on. */
      g_clear_pointer (&self->me, json_object_unref);
      self->me = json_object_ref (me);
      me_has (me, KS_PERM_VIEW_OFFLINE, &self->perms);
      if (!start_session (self, error))
        {
          ks_session_stop_running (self);
          return FALSE;
        }
      g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_SIGNED_IN], 0);
      ks_session_start_background (self);
      return TRUE;
    }
  if (self->signed_in && me_requires_setup (me))
    {
      enter_setup_pending (self, me, NULL);
      return TRUE;
    }
  if (self->signed_in || self->setup_pending)
    set_me (self, me);
  return TRUE;
}

/* Offline users already started from the cache, and their task has been
 * answered: /me only confirms (or ends) the session, and never answers again. */
static gboolean
answered_from_cache (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), "ks-answered-from-cache") != NULL;
}

static void
resume_me_failed (KsClient *client,
                  GTask    *task,
                  GError   *failure,
                  JsonNode *error_body)
{
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = failure;
  gboolean started = answered_from_cache (task);

  if (started && !self->signed_in && !self->setup_pending)
    return;   /* signed out meanwhile */
  if (g_error_matches (error, KS_ERROR, KS_ERROR_UNAUTHORIZED))
    {
      /* The stored session was refused: forget it. */
      ks_credentials_clear_async (self->server_url, self->email, NULL, NULL, NULL);
      if (started)
        session_lost (self, error->message);
      else
        {
          g_autoptr(KsCache) cache = ks_cache_open (self->server_url, self->email, NULL);
          if (cache != NULL && !cached_user_keeps_data (cache))
            ks_cache_wipe (cache, NULL);
          ks_session_teardown (self);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      return;
    }
  if (started)
    return;   /* offline: keep working from the cache */
  ks_session_teardown (self);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
resume_me_answer (KsClient *client,
                  GTask    *task,
                  JsonNode *node)
{
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean started = answered_from_cache (task);

  if (started && !self->signed_in && !self->setup_pending)
    return;   /* signed out meanwhile */

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      resume_me_failed (client, task,
                        g_error_new (KS_ERROR, KS_ERROR_FAILED,
                                     "The server sent an answer the app cannot read. Check the server address."),
                        NULL);
      return;
    }
  if (me_requires_setup (json_node_get_object (node)))
    {
      enter_setup_pending (self, json_node_get_object (node), NULL);
      if (!started)
        g_task_return_boolean (task, TRUE);
      return;
    }
  set_me (self, json_node_get_object (node));
  if (!started && !start_session (self, &error))
    {
      ks_session_teardown (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!started)
    g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_SIGNED_IN], 0);
  ks_session_start_background (self);
  if (!g_task_get_completed (task) && !g_task_had_error (task) && !started)
    g_task_return_boolean (task, TRUE);
}

/* A resume waits for two things at once: the token from the keyring and the
 * account's cache, read on a worker thread. */
typedef struct {
  guint           pending;
  char           *token;
  GError         *error;     /* the keyring's */
  KsCachePreload *preload;   /* NULL: no cache, or it could not be read */
} ResumeWait;

static void
resume_wait_free (ResumeWait *wait)
{
  g_free (wait->token);
  g_clear_error (&wait->error);
  ks_cache_preload_free (wait->preload);
  g_free (wait);
}

/* The cached /me of a user who may keep reports offline, or NULL. */
static JsonObject *
kept_me (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !me_has (json_node_get_object (json_parser_get_root (parser)), KS_PERM_VIEW_OFFLINE, NULL))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
resume_with_token (GTask      *task,
                   ResumeWait *wait)
{
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autofree char *cache_path = NULL;

  if (wait->token == NULL)
    {
      /* No stored session: nothing of a user without view_offline may stay on disk. */
      KsCache *cache = wait->preload ? wait->preload->cache : NULL;

      if (cache != NULL && !cached_user_keeps_data (cache))
        ks_cache_wipe (cache, NULL);
      ks_session_teardown (self);
      if (wait->error != NULL)
        g_task_return_error (task, g_steal_pointer (&wait->error));
      else
        g_task_return_boolean (task, FALSE);
      return;
    }

  ks_client_set_token (self->client, wait->token);
  if (wait->preload != NULL && (me = kept_me (wait->preload->me)) != NULL)
    {
      /* Start at once from the cache; /me confirms the session meanwhile. */
      self->me = json_object_ref (me);
      me_has (self->me, KS_PERM_VIEW_OFFLINE, &self->perms);
      self->cache = g_steal_pointer (&wait->preload->cache);
      self->preloaded = g_steal_pointer (&wait->preload->reports);
      if (start_session (self, &error))
        {
          g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_SIGNED_IN], 0);
          g_object_set_data (G_OBJECT (task), "ks-answered-from-cache", GINT_TO_POINTER (1));
          ks_client_call_full (self->client, task, "GET", "/api/v1/me", NULL, NULL,
                               resume_me_answer, resume_me_failed);
          g_task_return_boolean (task, TRUE);
          return;
        }
      ks_session_teardown (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&wait->preload, ks_cache_preload_free);
  ks_client_call_full (self->client, task, "GET", "/api/v1/me", NULL, g_task_get_cancellable (task),
                       resume_me_answer, resume_me_failed);
}

static void
resume_one_done (GTask *task)
{
  ResumeWait *wait = g_object_get_data (G_OBJECT (task), "ks-resume-wait");

  if (--wait->pending > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    return;
  resume_with_token (task, wait);
}

static void
on_resume_token (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResumeWait *wait = g_object_get_data (G_OBJECT (task), "ks-resume-wait");

  wait->token = ks_credentials_lookup_finish (result, &wait->error);
  resume_one_done (task);
}

static void
on_resume_preloaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResumeWait *wait = g_object_get_data (G_OBJECT (task), "ks-resume-wait");
  g_autoptr(GError) error = NULL;

  wait->preload = ks_cache_preload_finish (result, &error);
  if (wait->preload == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("resume: the cache could not be read: %s", error->message);
  resume_one_done (task);
}

/* A read of the cache started before the resume (ks_session_read_cache_ahead()). */
typedef struct _KsCacheReadAhead {
  char           *path;
  KsCachePreload *preload;   /* once read; NULL when it could not be */
  gboolean        done;
  gboolean        dropped;   /* nobody will take it: freed when the read ends */
  GTask          *resume;    /* the resume waiting for it, or NULL */
} KsCacheReadAhead;

static void
read_ahead_free (KsCacheReadAhead *ahead)
{
  g_free (ahead->path);
  ks_cache_preload_free (ahead->preload);
  g_clear_object (&ahead->resume);
  g_free (ahead);
}

static void
on_read_ahead (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KsCacheReadAhead *ahead = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  ResumeWait *wait;

  ahead->preload = ks_cache_preload_finish (result, &error);
  ahead->done = TRUE;
  if (ahead->preload == NULL)
    g_debug ("resume: the cache could not be read: %s", error->message);
  if (ahead->resume != NULL)
    {
      /* A resume waits for it: handed over. */
      task = g_steal_pointer (&ahead->resume);
      wait = g_object_get_data (G_OBJECT (task), "ks-resume-wait");
      wait->preload = g_steal_pointer (&ahead->preload);
      if (!ahead->dropped)
        ((KsSession *) g_task_get_source_object (task))->read_ahead = NULL;
      read_ahead_free (ahead);
      resume_one_done (task);
    }
  else if (ahead->dropped)
    read_ahead_free (ahead);
  /* else the resume takes it when it starts. */
}

void
ks_session_drop_read_ahead (KsSession *self)
{
  KsCacheReadAhead *ahead = g_steal_pointer (&self->read_ahead);

  if (ahead == NULL)
    return;
  if (ahead->done)
    read_ahead_free (ahead);
  else
    ahead->dropped = TRUE;
}

void
ks_session_read_cache_ahead (KsSession  *self,
                             const char *server_url,
                             const char *email)
{
  g_autofree char *url = NULL;
  g_autofree char *address = NULL;
  KsCacheReadAhead *ahead;

  g_return_if_fail (KS_IS_SESSION (self));

  ks_session_drop_read_ahead (self);
  if (server_url == NULL || email == NULL || strchr (email, '@') == NULL ||
      (url = ks_client_normalise_url (server_url, NULL)) == NULL)
    return;
  /* The account's cache as prepare() and the resume name it. */
  address = g_strstrip (g_utf8_strdown (email, -1));
  ahead = g_new0 (KsCacheReadAhead, 1);
  ahead->path = ks_cache_path_for (url, address);
  if (!g_file_test (ahead->path, G_FILE_TEST_EXISTS))
    {
      read_ahead_free (ahead);
      return;
    }
  self->read_ahead = ahead;
  ks_cache_preload_async (ahead->path, NULL, on_read_ahead, ahead);
}

/* The resume takes the read started ahead when it is of the same cache
 * (TRUE: wait->preload is set, or will be before the wait ends). */
static gboolean
take_read_ahead (KsSession  *self,
                 GTask      *task,
                 ResumeWait *wait,
                 const char *cache_path)
{
  KsCacheReadAhead *ahead = self->read_ahead;

  if (ahead == NULL || !g_str_equal (ahead->path, cache_path))
    {
      ks_session_drop_read_ahead (self);
      return FALSE;
    }
  if (ahead->done)
    {
      wait->preload = g_steal_pointer (&ahead->preload);
      self->read_ahead = NULL;
      read_ahead_free (ahead);
      return TRUE;
    }
  wait->pending++;
  g_set_object (&ahead->resume, task);
  return TRUE;
}

void
ks_session_resume_async (KsSession           *self,
                         const char          *server_url,
                         const char          *email,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_path = NULL;
  ResumeWait *wait;

  g_return_if_fail (KS_IS_SESSION (self));

  task = ks_client_task_new (self, ks_session_resume_async, cancellable, callback, user_data);
  if (server_url == NULL || *server_url == '\0' || email == NULL || *email == '\0')
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (!prepare (self, server_url, email, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  wait = g_new0 (ResumeWait, 1);
  wait->pending = 1;
  g_object_set_data_full (G_OBJECT (task), "ks-resume-wait", wait, (GDestroyNotify) resume_wait_free);
  /* The cache is read while the keyring answers (and the window draws). */
  cache_path = ks_cache_path_for (self->server_url, self->email);
  if (take_read_ahead (self, task, wait, cache_path))
    ;   /* read already, or being read */
  else if (g_file_test (cache_path, G_FILE_TEST_EXISTS))
    {
      wait->pending++;
      ks_cache_preload_async (cache_path, cancellable, on_resume_preloaded, g_object_ref (task));
    }
  ks_credentials_lookup_async (self->server_url, self->email, cancellable,
                               on_resume_token, g_object_ref (task));
}

gboolean
ks_session_resume_finish (KsSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ks_client_task_finish (self, result, error);
}

/* Signing out */

static void
on_credentials_cleared (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "ks-generation"));
  g_autoptr(GError) error = NULL;
  gboolean keep = ks_session_can (self, KS_PERM_VIEW_OFFLINE);

  if (generation != self->generation)
    {
      /* A new sign-in began meanwhile: finish this sign-out on its own data (the
       * old cache of a user without view_offline still goes) and leave the new
       * session be. */
      const char *old_cache = g_object_get_data (G_OBJECT (task), "ks-cache-path");
      gboolean old_keep = g_object_get_data (G_OBJECT (task), "ks-keep") != NULL;

      ks_credentials_clear_finish (result, NULL);
      if (!old_keep && old_cache != NULL && g_file_test (old_cache, G_FILE_TEST_EXISTS))
        {
          g_autoptr(KsCache) cache = ks_cache_open_path (old_cache, NULL);
          if (cache != NULL && !ks_cache_wipe (cache, &error))
            g_warning ("%s", error->message);
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!ks_credentials_clear_finish (result, &error))
    g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_KEYRING_ERROR], 0, error);
  g_clear_error (&error);
  if (!keep && self->cache != NULL && !ks_cache_wipe (self->cache, &error))
    g_warning ("%s", error->message);
  ks_session_teardown (self);
  g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_SIGNED_OUT], 0, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
logout_answer (KsClient *client,
               GTask    *task,
               JsonNode *node)
{
  KsSession *self = g_task_get_source_object (task);

  ks_credentials_clear_async (self->server_url, self->email, NULL,
                              on_credentials_cleared, g_object_ref (task));
}

/* Best effort: the keyring entry and the cache go all the same. */
static void
logout_failed (KsClient *client,
               GTask    *task,
               GError   *error,
               JsonNode *error_body)
{
  g_debug ("sign-out on the server: %s", error->message);
  g_error_free (error);
  logout_answer (client, task, NULL);
}

void
ks_session_sign_out_async (KsSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = ks_client_task_new (self, ks_session_sign_out_async, cancellable, callback, user_data);
  if (!self->signed_in && !self->setup_pending)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->sync != NULL)
    ks_sync_engine_stop (self->sync);
  if (self->outbox != NULL)
    ks_outbox_stop (self->outbox);
  g_clear_signal_handler (&self->unauthorized_handler, self->client);
  g_object_set_data (G_OBJECT (task), "ks-generation", GUINT_TO_POINTER (self->generation));
  g_object_set_data_full (G_OBJECT (task), "ks-cache-path",
                          ks_cache_path_for (self->server_url, self->email), g_free);
  if (ks_session_can (self, KS_PERM_VIEW_OFFLINE))
    g_object_set_data (G_OBJECT (task), "ks-keep", GINT_TO_POINTER (1));
  ks_client_call_full (self->client, task, "POST", "/api/v1/auth/logout", NULL, NULL,
                       logout_answer, logout_failed);
}

gboolean
ks_session_sign_out_finish (KsSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return ks_client_task_finish (self, result, error);
}

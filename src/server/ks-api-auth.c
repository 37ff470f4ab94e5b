/* ks-api-auth.c: sign-in, sign-out, who am I, and the static tables. */
#define G_LOG_DOMAIN "ks-api-auth"

#include "ks-router.h"
#include "ks-server-config.h"
#include "ks-password-hash.h"
#include "ks-states.h"
#include "ks-time.h"
#include "ks-token.h"

#include <string.h>

#define MAX_EMAIL_LENGTH 254

/* Refuses with 429 when the scope/key has too many recent failures. */
static gboolean
check_throttle (KsRequest  *req,
                const char *scope,
                const char *key,
                int         limit,
                gint64      now)
{
  g_autoptr(GError) error = NULL;
  gint64 window = req->config->throttle_window;
  gint64 oldest = 0;
  int count = 0;

  if (key == NULL || limit <= 0)
    return TRUE;
  if (!ks_store_auth_count_failures (req->store, scope, key, now - window, &count, &oldest, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (count >= limit)
    {
      gint64 wait = MAX (1, oldest + window - now);
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
      gint64 minutes = (wait + 59) / 60;

      ks_request_error (req, 429, "throttled",
                        "Too many failed sign-in attempts. Wait %" G_GINT64_FORMAT " %s and try again.",
                        minutes, minutes == 1 ? "minute" : "minutes");
      ks_request_add_header (req, "Retry-After", retry);
      return FALSE;
    }
  return TRUE;
}

static void
record_failure (KsRequest  *req,
                const char *account,
                gint64      now)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_auth_add_failure (req->store, "account", account, now, &error) ||
      (req->principal.address &&
       !ks_store_auth_add_failure (req->store, "address", req->principal.address, now, &error)))
    g_warning ("Could not record a failed sign-in: %s", error->message);
}

static void
handle_login (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_autofree char *account = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  const char *email = NULL, *password = NULL;
  gboolean found = FALSE, needs_rehash = FALSE;
  gint64 now = ks_time_now ();
  gint64 session_id = 0, expires;
  JsonObject *obj;
  KsJsonWriter w;
  int cost = req->config->bcrypt_cost;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "email", TRUE, MAX_EMAIL_LENGTH, &email) ||
      !ks_request_get_string (req, obj, "password", TRUE, 1024, &password))
    return;

  account = g_utf8_strdown (email, -1);
  g_strstrip (account);

  if (!check_throttle (req, "account", account, req->config->throttle_account, now) ||
      !check_throttle (req, "address", req->principal.address, req->config->throttle_address, now))
    return;

  if (!ks_store_auth_find_user_by_email (req->store, account, &found, &user, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  if (!found || !user.active || user.password_hash == NULL)
    {
      /* The same work as a real check, so that timing does not tell which accounts exist. */
      ks_password_verify_dummy (password, cost);
      record_failure (req, account, now);
      ks_request_error (req, 401, "bad_credentials",
                        "The email address or password is not right. Check them and try again.");
      return;
    }

  if (!ks_password_verify (password, user.password_hash, cost, &needs_rehash))
    {
      record_failure (req, account, now);
      ks_request_error (req, 401, "bad_credentials",
                        "The email address or password is not right. Check them and try again.");
      return;
    }

  /* Rehash outside the write transaction: bcrypt is slow. */
  g_autofree char *new_hash = needs_rehash ? ks_password_hash (password, cost, NULL) : NULL;

  token = ks_token_generate ();
  token_hash = ks_token_hash (token);
  expires = now + req->config->session_idle;

  if (!ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  req->principal.user_id = user.id;
  req->principal.body_id = user.body_id;
  req->principal.is_superuser = user.is_superuser;

  if ((new_hash != NULL && !ks_store_auth_set_password_hash (req->store, user.id, new_hash, &error)) ||
      !ks_store_auth_clear_failures (req->store, "account", account, &error) ||
      !ks_store_auth_create_session (req->store, user.id, token_hash, expires,
                                     req->principal.address, req->user_agent, &session_id, &error) ||
      !ks_store_audit (req->store, &req->principal, user.body_id, "login", "user", user.id,
                       new_hash ? "{\"rehashed\":true}" : NULL, &error) ||
      !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return;
    }

  /* Fill in the principal to write the user as /me would. */
  {
    g_autofree char *addr = g_strdup (req->principal.address);
    if (!ks_store_auth_resolve_session (req->store, token, req->config->session_idle,
                                        &req->principal, &error))
      {
        ks_request_gerror (req, error);
        return;
      }
    g_free (req->principal.address);
    req->principal.address = g_steal_pointer (&addr);
  }

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "token", token);
  ks_json_writer_member_timestamp (&w, "expires", expires);
  ks_json_writer_member_int (&w, "session_id", session_id);
  ks_json_writer_key (&w, "user");
  if (!ks_store_auth_write_me (req->store, &req->principal, &w, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_end_object (&w);
}

static void
handle_logout (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_auth_revoke_session (req->store, req->principal.session_id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_request_audit (req, 0, "logout", "user", req->principal.user_id, NULL))
    return;
  ks_request_no_content (req);
}

static void
handle_logout_everywhere (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_auth_revoke_user_sessions (req->store, req->principal.user_id, 0, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_request_audit (req, 0, "logout_everywhere", "user", req->principal.user_id, NULL))
    return;
  ks_request_no_content (req);
}

static void
handle_me (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  if (!ks_store_auth_write_me (req->store, &req->principal, &w, &error))
    ks_request_gerror (req, error);
}

static void
handle_permissions (KsRequest *req)
{
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "permissions");
  ks_json_writer_begin_array (&w);
  for (guint p = 0; p < KS_N_PERMISSIONS; p++)
    {
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "id", ks_permission_id (p));
      ks_json_writer_member_string (&w, "label", ks_permission_label (p));
      ks_json_writer_end_object (&w);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_key (&w, "default_roles");
  ks_json_writer_begin_array (&w);
  for (guint r = 0; r < KS_N_DEFAULT_ROLES; r++)
    {
      KsPermissionSet set = ks_default_role_permissions (r);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "name", ks_default_role_name (r));
      ks_json_writer_key (&w, "permissions");
      ks_json_writer_begin_array (&w);
      for (guint p = 0; p < KS_N_PERMISSIONS; p++)
        if (KS_PERMISSION_SET_HAS (set, p))
          ks_json_writer_string (&w, ks_permission_id (p));
      ks_json_writer_end_array (&w);
      ks_json_writer_end_object (&w);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

static void
handle_states (KsRequest *req)
{
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "states");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "id", s->id);
      ks_json_writer_member_string (&w, "label", s->label);
      ks_json_writer_member_string (&w, "kind", ks_state_kind_id (s->kind));
      ks_json_writer_member_string (&w, "colour", s->colour);
      ks_json_writer_end_object (&w);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

static void
handle_health (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = ks_store_current_seq (req->store, &error);
  KsJsonWriter w;

  if (seq < 0)
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "status", "ok");
  ks_json_writer_member_string (&w, "api", "v1");
  ks_json_writer_end_object (&w);
}

void
ks_api_auth_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/health", KS_ROUTE_PUBLIC, KS_PERM_NONE, handle_health);
  ks_router_add (router, "POST", "/api/v1/auth/login",
                 KS_ROUTE_PUBLIC | KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_login);
  ks_router_add (router, "POST", "/api/v1/auth/logout", 0, KS_PERM_NONE, handle_logout);
  ks_router_add (router, "POST", "/api/v1/auth/logout-everywhere", 0, KS_PERM_NONE, handle_logout_everywhere);
  ks_router_add (router, "GET", "/api/v1/me", 0, KS_PERM_NONE, handle_me);
  ks_router_add (router, "GET", "/api/v1/permissions", 0, KS_PERM_NONE, handle_permissions);
  ks_router_add (router, "GET", "/api/v1/states", 0, KS_PERM_NONE, handle_states);
}

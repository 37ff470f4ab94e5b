/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-account.c: a staff member's own account: two-factor authentication,
 * password change, sessions; and an administrator's 2FA reset. */
#define G_LOG_DOMAIN "ks-api-account"

#include "api/ks-api.h"
#include "api/ks-api-auth.h"
#include "auth/ks-password-hash.h"
#include "ks-password-policy.h"
#include "http/ks-router.h"
#include "api/ks-wire-account.h"
#include "http/ks-server-config.h"
#include "ks-time.h"
#include "auth/ks-totp.h"
#include "auth/ks-recovery-codes.h"

static gboolean
load_self (KsRequest  *req,
           KsUserAuth *user)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!ks_store_auth_get_user (req->store, req->principal.user_id, &found, user, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!found)
    {
      ks_request_error (req, 401, "unauthorized", "Your account no longer exists.");
      return FALSE;
    }
  return TRUE;
}

/* Checks a TOTP code for user and uses it up (each code once). Once 2FA is on,
 * one of the person's recovery codes does as well (used up too). */
static gboolean
use_code (KsRequest        *req,
          const KsUserAuth *user,
          const char       *secret,
          const char       *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digits = ks_api_auth_strip_spaces (code);
  g_autofree char *account = g_utf8_strdown (user->email, -1);
  gint64 now = ks_time_now ();
  gint64 step = 0;
  gboolean accepted = FALSE;

  if (!ks_api_auth_check_throttles (req, account, now))
    return FALSE;
  if (user->totp_enabled && ks_recovery_code_shape (digits))
    {
      if (!ks_recovery_codes_take (req->store, user->id, digits, req->config->bcrypt_cost,
                                   &accepted, &error))
        {
          ks_request_gerror (req, error);
          return FALSE;
        }
      if (!accepted)
        {
          ks_api_auth_record_failure (req, account, now);
          ks_request_error (req, 422, "bad_code",
                            "That recovery code is not right, or it has been used. "
                            "Each recovery code works once: enter another one.");
          return FALSE;
        }
      return ks_request_audit (req, user->body_id, "recovery_code_used", "user", user->id, NULL);
    }
  if (!ks_totp_check (secret, digits, now, &step))
    {
      ks_api_auth_record_failure (req, account, now);
      ks_request_error (req, 422, "bad_code",
                        "That code is not right. Enter the current 6-digit code from your authenticator app.");
      return FALSE;
    }
  if (!ks_store_auth_advance_totp_step (req->store, user->id, step, &accepted, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!accepted)
    {
      ks_request_error (req, 422, "code_used",
                        "That code has already been used. Wait for the next code and enter it.");
      return FALSE;
    }
  return TRUE;
}

static void
reset_refused (KsRequest *req)
{
  ks_request_error (req, 422, "current_password_required",
                    "Enter your current password. (Without it, a new password can be chosen only "
                    "within 15 minutes of signing in with a code sent by email.)");
}

/* TRUE when this session still holds the reset grant of an email sign-in
 * (consume: and uses it up); else answers 422 (or the store's error). */
static gboolean
session_may_reset (KsRequest *req,
                   gboolean   consume)
{
  g_autoptr(GError) error = NULL;
  gboolean live = FALSE;

  if (!ks_store_auth_take_password_reset (req->store, req->principal.session_id, consume, &live, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!live)
    reset_refused (req);
  return live;
}

/* Turning 2FA on or off needs the password again (a stolen session alone is
 * not enough): `password` in the body, checked and throttled like a sign-in.
 * A session that signed in by email within its reset grant (every factor
 * proven moments ago) may leave it out. */
static gboolean
confirm_password (KsRequest        *req,
                  JsonObject       *obj,
                  const KsUserAuth *user)
{
  g_autofree char *account = g_utf8_strdown (user->email, -1);
  const char *password = NULL;
  gint64 now = ks_time_now ();

  if (!ks_request_get_string (req, obj, "password", FALSE, 1024, &password))
    return FALSE;
  if (password == NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean live = FALSE;

      if (!ks_store_auth_take_password_reset (req->store, req->principal.session_id, FALSE, &live, &error))
        {
          ks_request_gerror (req, error);
          return FALSE;
        }
      if (!live)
        ks_request_error (req, 422, "password_required",
                          "Enter your password to confirm that it is you.");
      return live;
    }
  if (!ks_api_auth_check_throttles (req, account, now))
    return FALSE;
  if (user->password_hash == NULL ||
      !ks_password_verify (password, user->password_hash, req->config->bcrypt_cost, NULL))
    {
      ks_api_auth_record_failure (req, account, now);
      ks_request_error (req, 422, "bad_credentials",
                        "Your password is not right. Nothing was changed.");
      return FALSE;
    }
  return TRUE;
}

static void
handle_2fa_setup (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_autofree char *secret = NULL;
  g_autofree char *uri = NULL;
  JsonObject *obj;
  KsJsonWriter w;

  if ((obj = ks_request_json_object (req)) == NULL || !load_self (req, &user))
    return;
  if (user.totp_enabled)
    {
      ks_request_error (req, 409, "conflict",
                        "Two-factor authentication is already on. Turn it off first to set up a new device.");
      return;
    }
  if (!confirm_password (req, obj, &user) || !ks_request_check_fields (req))
    return;
  secret = ks_totp_new_secret ();
  uri = ks_totp_uri (secret, user.email);
  if (!ks_store_begin_write (req->store, &error) ||
      !ks_store_auth_set_totp (req->store, user.id, secret, FALSE, &error) ||
      !ks_store_audit (req->store, &req->principal, user.body_id, "two_factor_setup_started", "user",
                       user.id, NULL, &error) ||
      !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "secret", secret);
  ks_json_writer_member_string (&w, "otpauth_uri", uri);
  ks_json_writer_member_string (&w, "issuer", KS_TOTP_ISSUER);
  ks_json_writer_member_string (&w, "account", user.email);
  ks_json_writer_member_int (&w, "digits", KS_TOTP_DIGITS);
  ks_json_writer_member_int (&w, "period", KS_TOTP_STEP);
  ks_json_writer_end_object (&w);
}

static void
handle_2fa_enable (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_auto(GStrv) codes = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  const char *code = NULL;
  JsonObject *obj;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "code", TRUE, 32, &code) ||
      !load_self (req, &user))
    return;
  if (user.totp_enabled)
    {
      ks_request_error (req, 409, "conflict", "Two-factor authentication is already on.");
      return;
    }
  if (user.totp_secret == NULL)
    {
      ks_request_error (req, 409, "conflict",
                        "Start the set-up first: it gives you the code to scan.");
      return;
    }
  if (!ks_request_check_fields (req) || !use_code (req, &user, user.totp_secret, code))
    return;
  /* The recovery codes are hashed before the write transaction: bcrypt is slow. */
  codes = ks_recovery_codes_generate ();
  hashes = ks_recovery_codes_hash (codes, req->config->bcrypt_cost, &error);
  if (hashes == NULL ||
      !ks_store_begin_write (req->store, &error) ||
      !ks_store_auth_set_totp (req->store, user.id, user.totp_secret, TRUE, &error) ||
      !ks_store_auth_replace_recovery_codes (req->store, user.id,
                                             (const char *const *) hashes->pdata, hashes->len,
                                             &error) ||
      !ks_store_audit (req->store, &req->principal, user.body_id, "two_factor_enabled", "user",
                       user.id, NULL, &error) ||
      !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return;
    }
  req->principal.needs_2fa_setup = FALSE;
  {
    KsJsonWriter w;
    ks_request_begin_json (req, 200, &w);
    if (!ks_wire_account_write_me_with_codes (req->store, &req->principal,
                                              (const char *const *) codes, &w, &error))
      ks_request_gerror (req, error);
  }
}

static void
handle_2fa_disable (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  const char *code = NULL;
  JsonObject *obj;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "code", TRUE, 32, &code) ||
      !load_self (req, &user))
    return;
  if (!user.totp_enabled)
    {
      ks_request_error (req, 409, "conflict", "Two-factor authentication is not on.");
      return;
    }
  if (user.require_2fa)
    {
      ks_request_error (req, 422, "two_factor_required",
                        user.is_superuser
                        ? "Platform operators must keep two-factor authentication on."
                        : "Your council requires two-factor authentication, so it cannot be turned off.");
      return;
    }
  if (!confirm_password (req, obj, &user) ||
      !ks_request_check_fields (req) ||
      !use_code (req, &user, user.totp_secret, code))
    return;
  if (!ks_store_begin_write (req->store, &error) ||
      !ks_store_auth_set_totp (req->store, user.id, NULL, FALSE, &error) ||
      !ks_store_auth_replace_recovery_codes (req->store, user.id, NULL, 0, &error) ||
      !ks_store_audit (req->store, &req->principal, user.body_id, "two_factor_disabled", "user",
                       user.id, NULL, &error) ||
      !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return;
    }
  ks_request_no_content (req);
}

/* New recovery codes in place of the old ones (lost, or running out): with the
 * password, or with a code (from the authenticator, or a recovery code). */
static void
handle_recovery_codes (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_auto(GStrv) codes = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  const char *code = NULL;
  JsonObject *obj;
  KsJsonWriter w;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "code", FALSE, 32, &code) ||
      !load_self (req, &user))
    return;
  if (!user.totp_enabled)
    {
      ks_request_error (req, 409, "conflict",
                        "Two-factor authentication is not on. Recovery codes are given when you turn it on.");
      return;
    }
  if (code != NULL)
    {
      if (!ks_request_check_fields (req) || !use_code (req, &user, user.totp_secret, code))
        return;
    }
  else if (!confirm_password (req, obj, &user) || !ks_request_check_fields (req))
    return;
  codes = ks_recovery_codes_generate ();
  hashes = ks_recovery_codes_hash (codes, req->config->bcrypt_cost, &error);
  if (hashes == NULL ||
      !ks_store_begin_write (req->store, &error) ||
      !ks_store_auth_replace_recovery_codes (req->store, user.id,
                                             (const char *const *) hashes->pdata, hashes->len,
                                             &error) ||
      !ks_store_audit (req->store, &req->principal, user.body_id, "recovery_codes_renewed", "user",
                       user.id, NULL, &error) ||
      !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "recovery_codes");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; codes[i] != NULL; i++)
    ks_json_writer_string (&w, codes[i]);
  ks_json_writer_end_array (&w);
  ks_json_writer_member_int (&w, "recovery_codes_left", hashes->len);
  ks_json_writer_end_object (&w);
}

/* Sets a new password. With the current password; or, without it, from a
 * session that signed in by email and still holds its reset grant (used up
 * here). Every other session of the person ends. */
static void
handle_password_change (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_autofree char *account = NULL;
  g_autofree char *hash = NULL;
  const char *current = NULL, *new_password = NULL;
  const char *words[5];
  gint64 now = ks_time_now ();
  KsPasswordVerdict verdict;
  JsonObject *obj;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "current_password", FALSE, 1024, &current) ||
      !ks_request_get_string (req, obj, "new_password", TRUE, 1024, &new_password) ||
      !ks_request_check_fields (req) ||
      !load_self (req, &user))
    return;

  account = g_utf8_strdown (user.email, -1);
  if (current != NULL)
    {
      if (!ks_api_auth_check_throttles (req, account, now))
        return;
      if (user.password_hash == NULL ||
          !ks_password_verify (current, user.password_hash, req->config->bcrypt_cost, NULL))
        {
          ks_api_auth_record_failure (req, account, now);
          ks_request_error (req, 422, "bad_credentials",
                            "Your current password is not right. Nothing was changed.");
          return;
        }
    }
  else if (!session_may_reset (req, FALSE))
    return;

  words[0] = user.email;
  words[1] = user.name;
  words[2] = user.body_name;
  words[3] = words[2] ? user.body_area : NULL;
  words[4] = NULL;
  ks_password_check (new_password, user.password_min_length, words, &verdict);
  if (!verdict.acceptable)
    {
      ks_request_error (req, 422, "weak_password", "%s", verdict.reason);
      ks_password_verdict_clear (&verdict);
      return;
    }
  ks_password_verdict_clear (&verdict);

  hash = ks_password_hash (new_password, req->config->bcrypt_cost, &error);
  if (hash == NULL)
    {
      ks_request_gerror (req, error);
      return;
    }

  if (!ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  /* The grant is used up in the same transaction that sets the password. */
  if (current == NULL && !session_may_reset (req, TRUE))
    {
      ks_store_rollback (req->store);
      return;
    }
  if (!ks_store_auth_set_password_hash (req->store, user.id, hash, &error) ||
      !ks_store_auth_revoke_user_sessions (req->store, user.id, req->principal.session_id, &error) ||
      !ks_store_audit (req->store, &req->principal, user.body_id, "password_changed", "user",
                       user.id, current != NULL ? "{\"other_sessions_revoked\":true}"
                                                : "{\"other_sessions_revoked\":true,\"method\":\"email\"}",
                       &error) ||
      !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return;
    }
  ks_request_no_content (req);
}

static void
handle_sessions (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  if (!ks_wire_account_write_sessions (req->store, req->principal.user_id,
                                       req->principal.session_id, &w, &error))
    ks_request_gerror (req, error);
}

static void
handle_session_delete (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;
  gint64 id;

  if (!ks_request_param_id (req, "id", &id))
    return;
  if (!ks_store_auth_revoke_own_session (req->store, req->principal.user_id, id, &found, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!found)
    {
      ks_request_error (req, 404, "not_found", "You have no such session (it may have ended already).");
      return;
    }
  if (!ks_request_audit (req, 0, "session_revoked", "session", id, NULL))
    return;
  ks_request_no_content (req);
}

static void
handle_reset_2fa (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  gboolean found = FALSE;
  gint64 id;

  if (!ks_request_param_id (req, "id", &id))
    return;
  if (!ks_store_auth_get_user (req->store, id, &found, &user, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!found || (!req->principal.is_superuser &&
                 (user.body_id != req->principal.body_id || user.is_superuser)))
    {
      ks_request_error (req, 404, "not_found", "There is no such staff member.");
      return;
    }
  if (!ks_store_auth_set_totp (req->store, id, NULL, FALSE, &error) ||
      !ks_store_auth_replace_recovery_codes (req->store, id, NULL, 0, &error) ||
      !ks_store_auth_revoke_user_sessions (req->store, id, 0, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_request_audit (req, user.body_id, "two_factor_reset", "user", id, NULL))
    return;
  ks_request_no_content (req);
}

void
ks_api_account_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/account/2fa/setup",
                 KS_ROUTE_SETUP_OK | KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_2fa_setup);
  ks_router_add (router, "POST", "/api/v1/account/2fa/enable",
                 KS_ROUTE_SETUP_OK | KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_2fa_enable);
  ks_router_add (router, "POST", "/api/v1/account/2fa/recovery-codes",
                 KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_recovery_codes);
  ks_router_add (router, "POST", "/api/v1/account/2fa/disable",
                 KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_2fa_disable);
  ks_router_add (router, "POST", "/api/v1/account/password",
                 KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_password_change);
  ks_router_add (router, "GET", "/api/v1/account/sessions", KS_ROUTE_SETUP_OK, KS_PERM_NONE, handle_sessions);
  ks_router_add (router, "DELETE", "/api/v1/account/sessions/{id}", KS_ROUTE_SETUP_OK, KS_PERM_NONE,
                 handle_session_delete);
  ks_router_add (router, "POST", "/api/v1/staff/{id}/reset-2fa", 0, KS_PERM_MANAGE_STAFF, handle_reset_2fa);
}

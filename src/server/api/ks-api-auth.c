/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-auth.c: sign-in, sign-out, who am I, and the static tables. */
#define G_LOG_DOMAIN "ks-api-auth"

#include "api/ks-api.h"
#include "api/ks-api-auth.h"
#include "http/ks-router.h"
#include "api/ks-wire-account.h"
#include "auth/ks-totp.h"
#include "auth/ks-recovery-codes.h"
#include "mail/ks-mailer.h"
#include "ks-password-policy.h"
#include "http/ks-server-config.h"
#include "auth/ks-password-hash.h"
#include "ks-states.h"
#include "api/ks-api-states.h"
#include "api/ks-api-util.h"
#include "open311/ks-open311-status.h"
#include "ks-time.h"
#include "auth/ks-token.h"

#include <string.h>
#include <sys/random.h>

#define MAX_EMAIL_LENGTH 254
#define KS_CHALLENGE_LIFETIME 300

/* Refuses with 429 when scope/key (from address, when not NULL) has had limit
 * failures in the throttling window. */
static gboolean
check_limit (KsRequest  *req,
             const char *scope,
             const char *key,
             const char *address,
             int         limit,
             gint64      now)
{
  g_autoptr(GError) error = NULL;
  gint64 window = req->config->throttle_window;
  gint64 oldest = 0;
  int count = 0;

  if (key == NULL || limit <= 0)
    return TRUE;
  if (!ks_store_auth_count_failures (req->store, scope, key, address, now - window, &count, &oldest, &error))
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

gboolean
ks_api_auth_check_throttle (KsRequest  *req,
                            const char *scope,
                            const char *key,
                            int         limit,
                            gint64      now)
{
  return check_limit (req, scope, key, NULL, limit, now);
}

gboolean
ks_api_auth_check_scope_throttles (KsRequest  *req,
                                   const char *scope,
                                   const char *account,
                                   gint64      now)
{
  g_autoptr(GError) error = NULL;
  gint64 oldest = 0;
  int total = 0;

  /* This account from this address, then anything from this address. */
  if (!check_limit (req, scope, account, req->principal.address ? req->principal.address : "",
                    req->config->throttle_account, now) ||
      !check_limit (req, "address", req->principal.address, NULL, req->config->throttle_address, now))
    return FALSE;

  /* Guesses at one account from many addresses: slow every attempt down rather
   * than lock the owner out. The answer is held back after the handler (see
   * answer_delay_us), so the bcrypt thread goes on to other people's sign-ins. */
  if (req->config->throttle_account > 0 && account != NULL &&
      ks_store_auth_count_failures (req->store, scope, account, NULL,
                                    now - req->config->throttle_window, &total, &oldest, &error) &&
      total >= req->config->throttle_account * KS_THROTTLE_ACCOUNT_FACTOR)
    req->answer_delay_us = MAX (req->answer_delay_us, KS_THROTTLE_SLOWDOWN_US);
  return TRUE;
}

gboolean
ks_api_auth_check_throttles (KsRequest  *req,
                             const char *account,
                             gint64      now)
{
  return ks_api_auth_check_scope_throttles (req, "account", account, now);
}

void
ks_api_auth_record_scope_failure (KsRequest  *req,
                                  const char *scope,
                                  const char *account,
                                  gint64      now)
{
  g_autoptr(GError) error = NULL;
  const char *address = req->principal.address ? req->principal.address : "";

  if ((account != NULL && !ks_store_auth_add_failure (req->store, scope, account, address, now, &error)) ||
      (req->principal.address &&
       !ks_store_auth_add_failure (req->store, "address", req->principal.address, NULL, now, &error)))
    g_warning ("Could not record a failed sign-in: %s", error->message);
}

void
ks_api_auth_record_failure (KsRequest  *req,
                            const char *account,
                            gint64      now)
{
  ks_api_auth_record_scope_failure (req, "account", account, now);
}

static char *
normalise_email (const char *email)
{
  char *account = g_utf8_strdown (email, -1);
  return g_strstrip (account);
}

/* Creates a session for user and answers {token, expires, session_id,
 * password_reset_expires, user}. grant_reset (every factor proven with an
 * emailed code) lets the new session set a password without the current one
 * for a short time, once. */
static void
issue_session (KsRequest        *req,
               const KsUserAuth *user,
               const char       *account,
               gboolean          grant_reset,
               const char       *how)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ks_token_generate ();
  g_autofree char *token_hash = ks_token_hash (token);
  g_autofree char *details = g_strdup_printf ("{\"method\":\"%s\"}", how);
  gint64 now = ks_time_now ();
  gint64 expires = now + req->config->session_idle;
  gint64 reset_until = grant_reset ? now + KS_PASSWORD_RESET_LIFETIME : 0;
  gint64 session_id = 0;
  KsJsonWriter w;

  if (!ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  req->principal.user_id = user->id;
  req->principal.body_id = user->body_id;
  req->principal.is_superuser = user->is_superuser;

  if (!ks_store_auth_clear_failures (req->store, "account", account,
                                     req->principal.address ? req->principal.address : "", &error) ||
      !ks_store_auth_create_session (req->store, user->id, token_hash, expires,
                                     req->principal.address, req->user_agent, &session_id, &error) ||
      (grant_reset && !ks_store_auth_grant_password_reset (req->store, session_id, reset_until, &error)) ||
      !ks_store_audit (req->store, &req->principal, user->body_id, "login", "user", user->id,
                       details, &error) ||
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
  ks_json_writer_key (&w, "password_reset_expires");
  if (grant_reset)
    ks_json_writer_timestamp (&w, reset_until);
  else
    ks_json_writer_null (&w);
  ks_json_writer_key (&w, "user");
  if (!ks_wire_account_write_me (req->store, &req->principal, &w, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_end_object (&w);
}

/* For accounts with 2FA: answers a challenge to present with a code. */
static void
issue_challenge (KsRequest        *req,
                 const KsUserAuth *user,
                 const char       *method)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *challenge = ks_token_generate ();
  g_autofree char *challenge_hash = ks_token_hash (challenge);
  KsJsonWriter w;

  if (!ks_store_auth_create_challenge (req->store, user->id, challenge_hash, method,
                                       ks_time_now () + KS_CHALLENGE_LIFETIME, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_bool (&w, "two_factor_required", TRUE);
  ks_json_writer_member_string (&w, "challenge", challenge);
  ks_json_writer_member_int (&w, "expires_in", KS_CHALLENGE_LIFETIME);
  ks_json_writer_member_string (&w, "message",
                                "Enter the 6-digit code from your authenticator app, or one of your recovery codes.");
  ks_json_writer_end_object (&w);
}

/* People type codes as "123 456". */
char *
ks_api_auth_strip_spaces (const char *code)
{
  GString *out = g_string_new (NULL);
  for (const char *p = code; *p; p++)
    if (!g_ascii_isspace (*p) && *p != '-')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
bad_credentials (KsRequest *req)
{
  ks_request_error (req, 401, "bad_credentials",
                    "The email address or password is not right. Check them and try again.");
}

static void
handle_login (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_autofree char *account = NULL;
  g_autofree char *new_hash = NULL;
  const char *email = NULL, *password = NULL;
  gboolean found = FALSE, needs_rehash = FALSE;
  gint64 now = ks_time_now ();
  JsonObject *obj;
  int cost = req->config->bcrypt_cost;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "email", TRUE, MAX_EMAIL_LENGTH, &email) ||
      !ks_request_get_string (req, obj, "password", TRUE, 1024, &password) ||
      !ks_request_check_fields (req))
    return;

  account = normalise_email (email);
  if (!ks_api_auth_check_throttles (req, account, now))
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
      ks_api_auth_record_failure (req, account, now);
      bad_credentials (req);
      return;
    }

  if (!ks_password_verify (password, user.password_hash, cost, &needs_rehash))
    {
      ks_api_auth_record_failure (req, account, now);
      bad_credentials (req);
      return;
    }

  /* Rehash outside the write transaction: bcrypt is slow. */
  if (needs_rehash)
    new_hash = ks_password_hash (password, cost, NULL);

  if (new_hash != NULL && !ks_store_auth_set_password_hash (req->store, user.id, new_hash, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  if (user.totp_enabled)
    issue_challenge (req, &user, "password");
  else
    issue_session (req, &user, account, FALSE, "password");
}

static void
handle_login_2fa (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_autofree char *challenge_hash = NULL;
  g_autofree char *account = NULL;
  g_autofree char *method = NULL;
  const char *challenge = NULL, *code = NULL;
  gint64 now = ks_time_now ();
  gint64 user_id = 0, step = 0;
  gboolean found = FALSE, accepted = FALSE;
  JsonObject *obj;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "challenge", TRUE, 128, &challenge) ||
      !ks_request_get_string (req, obj, "code", TRUE, 32, &code) ||
      !ks_request_check_fields (req))
    return;

  challenge_hash = ks_token_hash (challenge);
  if (!ks_store_auth_find_challenge (req->store, challenge_hash, FALSE, &user_id, NULL, &error) ||
      (user_id != 0 && !ks_store_auth_get_user (req->store, user_id, &found, &user, &error)))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (user_id == 0 || !found || !user.active)
    {
      ks_request_error (req, 401, "challenge_expired",
                        "This sign-in has expired. Enter your email address and password again.");
      return;
    }

  account = normalise_email (user.email);
  if (!ks_api_auth_check_throttles (req, account, now))
    return;

  {
    g_autofree char *digits = ks_api_auth_strip_spaces (code);

    /* One of the person's recovery codes instead of the authenticator's: used up. */
    if (ks_recovery_code_shape (digits))
      {
        if (!ks_recovery_codes_take (req->store, user.id, digits, req->config->bcrypt_cost,
                                     &accepted, &error) ||
            (accepted && !ks_store_auth_find_challenge (req->store, challenge_hash, TRUE,
                                                        &user_id, &method, &error)))
          {
            ks_request_gerror (req, error);
            return;
          }
        if (!accepted)
          {
            ks_api_auth_record_failure (req, account, now);
            ks_request_error (req, 401, "bad_code",
                              "That recovery code is not right, or it has been used. "
                              "Each recovery code works once: enter another one, or the "
                              "6-digit code from your authenticator app.");
            return;
          }
        if (user_id == 0)
          {
            ks_request_error (req, 401, "challenge_expired",
                              "This sign-in has expired. Enter your email address and password again.");
            return;
          }
        /* The login's audit entry names the method. */
        if (g_strcmp0 (method, "email") == 0)
          issue_session (req, &user, account, TRUE, "email+recovery_code");
        else
          issue_session (req, &user, account, FALSE, "password+recovery_code");
        return;
      }
    if (!ks_totp_check (user.totp_secret, digits, now, &step))
      {
        ks_api_auth_record_failure (req, account, now);
        ks_request_error (req, 401, "bad_code",
                          "That code is not right. Enter the current 6-digit code from your authenticator app.");
        return;
      }
  }

  /* Each code once: the step must be later than the last one accepted. */
  if (!ks_store_auth_advance_totp_step (req->store, user.id, step, &accepted, &error) ||
      (accepted && !ks_store_auth_find_challenge (req->store, challenge_hash, TRUE, &user_id,
                                                  &method, &error)))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!accepted)
    {
      ks_api_auth_record_failure (req, account, now);
      ks_request_error (req, 401, "code_used",
                        "That code has already been used. Wait for the next code and enter it.");
      return;
    }
  if (user_id == 0)
    {
      ks_request_error (req, 401, "challenge_expired",
                        "This sign-in has expired. Enter your email address and password again.");
      return;
    }
  /* Both factors are proven now: only then may a sign-in by email choose a new
   * password. */
  if (g_strcmp0 (method, "email") == 0)
    issue_session (req, &user, account, TRUE, "email+totp");
  else
    issue_session (req, &user, account, FALSE, "password+totp");
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
  if (!ks_wire_account_write_me (req->store, &req->principal, &w, &error))
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
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0;
  KsJsonWriter w;

  /* Platform operators may name one council (body_id): its states only. */
  if (!ks_api_request_body (req, FALSE, &body_id))
    return;
  /* Read again: another server instance may have changed them. */
  if (!ks_api_states_load (req->store, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "states");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);

      /* The built-in states, then the caller's council's own. */
      if (s->body_id != 0 && (!ks_principal_in_body (&req->principal, s->body_id) ||
                              (body_id != 0 && s->body_id != body_id)))
        continue;
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "id", s->id);
      ks_json_writer_member_string (&w, "label", s->label);
      ks_json_writer_member_string (&w, "kind", ks_state_kind_id (s->kind));
      ks_json_writer_member_string (&w, "colour", s->colour);
      if (s->body_id != 0)
        {
          ks_json_writer_member_int (&w, "body_id", s->body_id);
          ks_json_writer_member_string (&w, "open311_status",
                                        ks_open311_status_of_state (s->id));
          ks_json_writer_member_bool (&w, "active", !s->inactive);
        }
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

/* Sign-in by email ------------------------------------------------------- */

#define KS_EMAIL_CODE_LIFETIME (24 * 3600)
/* Asking for a code takes at least this long whatever happens, so that timing
 * does not tell whether an account exists. */
#define KS_EMAIL_REQUEST_FLOOR_US (400 * 1000)

static char *
random_digits (guint n)
{
  GString *out = g_string_new (NULL);

  while (out->len < n)
    {
      guint8 b;
      if (getrandom (&b, 1, 0) != 1)
        g_error ("The kernel's random number generator is not available.");
      if (b < 250) /* no modulo bias */
        g_string_append_c (out, '0' + b % 10);
    }
  return g_string_free (out, FALSE);
}

static char *
email_code_hash (gint64 user_id, const char *code)
{
  g_autofree char *salted = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", user_id, code);
  return ks_token_hash (salted);
}

static void
send_email_code (KsRequest        *req,
                 const KsUserAuth *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = random_digits (8);
  g_autofree char *link_token = ks_token_generate ();
  g_autofree char *code_hash = email_code_hash (user->id, code);
  g_autofree char *link_hash = ks_token_hash (link_token);
  g_autofree char *body = NULL;

  if (!ks_store_begin_write (req->store, &error) ||
      !ks_store_auth_create_email_code (req->store, user->id, code_hash, link_hash,
                                        ks_time_now () + KS_EMAIL_CODE_LIFETIME, &error) ||
      !ks_store_audit (req->store, &req->principal, user->body_id, "email_code_requested", "user",
                       user->id, NULL, &error) ||
      !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      g_warning ("Could not record a sign-in code: %s", error->message);
      return;
    }

  body = g_strdup_printf ("Hello %s,\n\n"
                          "Your Kerbside sign-in code is:\n\n    %.4s %.4s\n\n"
                          "Enter it in Kerbside, or open this link:\n\n    %s/sign-in/email?token=%s\n\n"
                          "If you have forgotten your password, you can choose a new one in "
                          "Kerbside once you are signed in with this code.\n\n"
                          "The code works once, for one day. If you did not ask for it, you can "
                          "ignore this email: nothing changes until the code is used.\n",
                          user->name, code, code + 4, req->config->public_url, link_token);
  if (!ks_mailer_send (req->config, req->store, user->email, "Your Kerbside sign-in code",
                       body, TRUE, 0, &error))
    g_warning ("Could not send the sign-in code: %s", error->message);
}

static void
handle_email_request (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_autofree char *account = NULL;
  const char *email = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 now = ks_time_now ();
  gboolean found = FALSE;
  JsonObject *obj;
  KsJsonWriter w;

  if ((obj = ks_request_json_object (req)) == NULL)
    return;
  /* Anyone can ask for a code for any address: what they send must never change
   * the account. A new password is chosen after signing in with the code. */
  if (json_object_has_member (obj, "new_password"))
    {
      ks_request_error (req, 422, "new_password_not_allowed",
                        "A new password cannot be sent with the request for a sign-in code. "
                        "Ask for the code with your email address only, sign in with it, "
                        "then choose a new password.");
      return;
    }
  if (!ks_request_get_string (req, obj, "email", TRUE, MAX_EMAIL_LENGTH, &email) ||
      !ks_request_check_fields (req))
    return;
  if (strchr (email, '@') == NULL)
    {
      ks_request_error (req, 422, "invalid", "Enter a full email address, such as name@council.gov.uk.");
      return;
    }
  account = normalise_email (email);

  /* Asking for codes is limited per client address like failed sign-ins. */
  if (!ks_api_auth_check_throttle (req, "email-request", req->principal.address,
                                   req->config->throttle_address, now))
    return;
  if (req->principal.address)
    ks_store_auth_add_failure (req->store, "email-request", req->principal.address, NULL, now, NULL);

  if (!ks_store_auth_find_user_by_email (req->store, account, &found, &user, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (found && user.active)
    send_email_code (req, &user);

  {
    gint64 elapsed = g_get_monotonic_time () - started;
    if (elapsed < KS_EMAIL_REQUEST_FLOOR_US)
      g_usleep (KS_EMAIL_REQUEST_FLOOR_US - elapsed);
  }

  ks_request_begin_json (req, 202, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "message",
                                "If there is a Kerbside account for this address, a sign-in code is on "
                                "its way to it. The code works once, for one day.");
  ks_json_writer_end_object (&w);
}

static void
handle_email_verify (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_autofree char *account = NULL;
  g_autofree char *code_hash = NULL;
  g_autofree char *link_hash = NULL;
  const char *email = NULL, *code = NULL, *token = NULL;
  gint64 now = ks_time_now ();
  gint64 user_id = 0;
  gboolean found = FALSE;
  JsonObject *obj;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "email", FALSE, MAX_EMAIL_LENGTH, &email) ||
      !ks_request_get_string (req, obj, "code", FALSE, 32, &code) ||
      !ks_request_get_string (req, obj, "token", FALSE, 128, &token) ||
      !ks_request_check_fields (req))
    return;

  if (token == NULL && (email == NULL || code == NULL))
    {
      ks_request_error (req, 422, "invalid",
                        "Give the email address and the code from the email, or the link's token.");
      return;
    }

  if (token != NULL)
    {
      if (!ks_api_auth_check_throttle (req, "address", req->principal.address,
                                       req->config->throttle_address, now))
        return;
      link_hash = ks_token_hash (token);
    }
  else
    {
      account = normalise_email (email);
      if (!ks_api_auth_check_scope_throttles (req, "email-code", account, now))
        return;
      if (!ks_store_auth_find_user_by_email (req->store, account, &found, &user, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      if (found)
        {
          g_autofree char *digits = ks_api_auth_strip_spaces (code);
          code_hash = email_code_hash (user.id, digits);
        }
    }

  if ((link_hash != NULL || found) &&
      !ks_store_auth_take_email_code (req->store, found ? user.id : 0, code_hash, link_hash,
                                      &user_id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  if (user_id == 0)
    {
      ks_api_auth_record_scope_failure (req, "email-code", account, now);
      ks_request_error (req, 401, "bad_code",
                        "That code is not right, has been used, or is more than a day old. "
                        "Check the latest email, or ask for a new code.");
      return;
    }

  if (account == NULL)
    {
      if (!ks_store_auth_get_user (req->store, user_id, &found, &user, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      account = normalise_email (user.email);
    }
  if (!found || !user.active)
    {
      ks_request_error (req, 401, "bad_code", "This account cannot sign in. Ask your administrator.");
      return;
    }

  /* The code stands in for the password. Nothing about the account changes
   * here: with 2FA on, the second factor comes next, and only a session that
   * proved every factor may choose a new password. */
  if (user.totp_enabled)
    issue_challenge (req, &user, "email");
  else
    issue_session (req, &user, account, TRUE, "email");
}

void
ks_api_auth_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/health", KS_ROUTE_PUBLIC, KS_PERM_NONE, handle_health);
  ks_router_add (router, "POST", "/api/v1/auth/login",
                 KS_ROUTE_PUBLIC | KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_login);
  ks_router_add (router, "POST", "/api/v1/auth/email",
                 KS_ROUTE_PUBLIC | KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_email_request);
  ks_router_add (router, "POST", "/api/v1/auth/email/verify",
                 KS_ROUTE_PUBLIC | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_email_verify);
  ks_router_add (router, "POST", "/api/v1/auth/login/2fa",
                 KS_ROUTE_PUBLIC | KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, KS_PERM_NONE, handle_login_2fa);
  ks_router_add (router, "POST", "/api/v1/auth/logout", KS_ROUTE_SETUP_OK, KS_PERM_NONE, handle_logout);
  ks_router_add (router, "POST", "/api/v1/auth/logout-everywhere", KS_ROUTE_SETUP_OK, KS_PERM_NONE, handle_logout_everywhere);
  ks_router_add (router, "GET", "/api/v1/me", KS_ROUTE_SETUP_OK, KS_PERM_NONE, handle_me);
  ks_router_add (router, "GET", "/api/v1/permissions", KS_ROUTE_SETUP_OK, KS_PERM_NONE, handle_permissions);
  ks_router_add (router, "GET", "/api/v1/states", KS_ROUTE_SETUP_OK, KS_PERM_NONE, handle_states);
}

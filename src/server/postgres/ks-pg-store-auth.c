/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-auth.c: the PostgreSQL store's accounts, sessions, sign-in throttling, two-factor and email codes.
 *
 * All of it lives in the database, so every instance on it sees the same: a
 * session revoked on one is refused on the others, failed sign-ins count across
 * all of them, and whatever may be used once (a TOTP step, a challenge, an
 * emailed code, a password reset grant) is taken by one conditional UPDATE whose
 * condition PostgreSQL checks again on the row it locks, so two instances racing
 * for it cannot both win. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "ks-time.h"
#include "auth/ks-token.h"

#include <string.h>

/* users.email is byte-ordered text; lower() under "C" folds A-Z only, as
 * SQLite's NOCASE does (and the users_email index is on lower (email)). */
#define USER_AUTH_COLUMNS \
  "SELECT u.id, u.body_id, u.email, u.name, u.password_hash, u.active, u.is_superuser, " \
  "       u.totp_enabled, u.totp_secret, u.totp_last_step, " \
  "       coalesce (b.require_2fa, 0), coalesce (b.password_min_length, 8), b.name, b.area_name " \
  "FROM users u LEFT JOIN bodies b ON b.id = u.body_id "

static gboolean
load_user (PGresult *res, gboolean *found, KsUserAuth *out)
{
  *found = PQntuples (res) > 0;
  if (!*found)
    return TRUE;
  out->id = ks_pg_int (res, 0, 0);
  out->body_id = ks_pg_int (res, 0, 1);
  out->email = g_strdup (ks_pg_text (res, 0, 2));
  out->name = g_strdup (ks_pg_text (res, 0, 3));
  out->password_hash = g_strdup (ks_pg_text (res, 0, 4));
  out->active = ks_pg_int (res, 0, 5) != 0;
  out->is_superuser = ks_pg_int (res, 0, 6) != 0;
  out->totp_enabled = ks_pg_int (res, 0, 7) != 0;
  out->totp_secret = g_strdup (ks_pg_text (res, 0, 8));
  out->totp_last_step = ks_pg_int (res, 0, 9);
  out->require_2fa = out->is_superuser || ks_pg_int (res, 0, 10) != 0;
  out->password_min_length = (guint) ks_pg_int (res, 0, 11);
  out->body_name = g_strdup (ks_pg_text (res, 0, 12));
  out->body_area = g_strdup (ks_pg_text (res, 0, 13));
  return TRUE;
}

static gboolean
find_user_by_email (KsStore *store, const char *email, gboolean *found,
                    KsUserAuth *out, GError **error)
{
  static const KsPgStatement stmt = { "auth_find_user_by_email",
    USER_AUTH_COLUMNS "WHERE lower (u.email) = lower ($1 COLLATE \"C\")" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_text (&args, email);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  return load_user (res, found, out);
}

static gboolean
get_user (KsStore *store, gint64 user_id, gboolean *found, KsUserAuth *out, GError **error)
{
  static const KsPgStatement stmt = { "auth_get_user", USER_AUTH_COLUMNS "WHERE u.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, user_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  return load_user (res, found, out);
}

static gboolean
set_password_hash (KsStore *store, gint64 user_id, const char *hash, GError **error)
{
  static const KsPgStatement stmt = { "auth_set_password_hash",
    "UPDATE users SET password_hash = $1, updated = $2 WHERE id = $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, hash);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, user_id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

static gboolean
count_failures (KsStore *store, const char *scope, const char *key, const char *address,
                gint64 since, int *out_count, gint64 *out_oldest, GError **error)
{
  static const KsPgStatement from_address = { "auth_count_failures_address",
    "SELECT count(*), min(at) FROM login_failures "
    "WHERE scope = $1 AND key = $2 AND at >= $3 AND address = $4" };
  static const KsPgStatement from_anywhere = { "auth_count_failures",
    "SELECT count(*), min(at) FROM login_failures WHERE scope = $1 AND key = $2 AND at >= $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_text (&args, scope);
  ks_pg_args_text (&args, key);
  ks_pg_args_int (&args, since);
  if (address != NULL)
    ks_pg_args_text (&args, address);
  res = ks_pg_store_query (store, address != NULL ? &from_address : &from_anywhere, &args, error);
  if (res == NULL)
    return FALSE;
  *out_count = (int) ks_pg_int (res, 0, 0);
  *out_oldest = ks_pg_int (res, 0, 1);
  return TRUE;
}

static gboolean
add_failure (KsStore *store, const char *scope, const char *key, const char *address, gint64 at,
             GError **error)
{
  static const KsPgStatement insert = { "auth_add_failure",
    "INSERT INTO login_failures (scope, key, address, at) VALUES ($1, $2, $3, $4)" };
  static const KsPgStatement prune = { "auth_prune_failures",
    "DELETE FROM login_failures WHERE at < $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) prune_args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, scope);
  ks_pg_args_text (&args, key);
  ks_pg_args_text (&args, address);
  ks_pg_args_int (&args, at);
  if (!ks_pg_store_exec (store, &insert, &args, NULL, error))
    return FALSE;
  /* Keep the table small: nothing older than a day is ever consulted. */
  ks_pg_args_int (&prune_args, at - 24 * 3600);
  return ks_pg_store_exec (store, &prune, &prune_args, NULL, error);
}

static gboolean
clear_failures (KsStore *store, const char *scope, const char *key, const char *address,
                GError **error)
{
  static const KsPgStatement from_address = { "auth_clear_failures_address",
    "DELETE FROM login_failures WHERE scope = $1 AND key = $2 AND address = $3" };
  static const KsPgStatement from_anywhere = { "auth_clear_failures",
    "DELETE FROM login_failures WHERE scope = $1 AND key = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, scope);
  ks_pg_args_text (&args, key);
  if (address != NULL)
    ks_pg_args_text (&args, address);
  return ks_pg_store_exec (store, address != NULL ? &from_address : &from_anywhere, &args,
                           NULL, error);
}

static gboolean
create_session (KsStore *store, gint64 user_id, const char *token_hash, gint64 expires,
                const char *address, const char *user_agent, gint64 *out_session_id,
                GError **error)
{
  static const KsPgStatement insert = { "auth_create_session",
    "INSERT INTO sessions (user_id, token_hash, created, last_used, expires, address, user_agent) "
    "VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id" };
  static const KsPgStatement login = { "auth_last_login",
    "UPDATE users SET last_login = $1 WHERE id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) login_args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  gint64 now = ks_time_now ();

  ks_pg_args_int (&args, user_id);
  ks_pg_args_text (&args, token_hash);
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, expires);
  ks_pg_args_text (&args, address);
  ks_pg_args_text (&args, user_agent);
  res = ks_pg_store_query (store, &insert, &args, error);
  if (res == NULL)
    return FALSE;
  *out_session_id = ks_pg_int (res, 0, 0);
  ks_pg_args_int (&login_args, now);
  ks_pg_args_int (&login_args, user_id);
  return ks_pg_store_exec (store, &login, &login_args, NULL, error);
}

static gboolean
touch_session (KsStore *store, gint64 session_id, gint64 now, gint64 idle_seconds,
               GError **error)
{
  /* The row may have moved on another instance meanwhile: only forward. */
  static const KsPgStatement touch = { "auth_touch_session",
    "UPDATE sessions SET last_used = $1, expires = $2 WHERE id = $3 AND last_used < $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, now + idle_seconds);
  ks_pg_args_int (&args, session_id);
  return ks_pg_store_exec (store, &touch, &args, NULL, error);
}

static gboolean
auth_epoch (KsStore *store, gint64 *out, GError **error)
{
  static const KsPgStatement stmt = { "auth_epoch", "SELECT n FROM auth_epoch WHERE id = 1" };
  g_autoptr(PGresult) res = ks_pg_store_query (store, &stmt, NULL, error);

  if (res == NULL)
    return FALSE;
  /* Without its row (a database emptied by hand) nothing is kept: -1. */
  *out = PQntuples (res) == 1 ? ks_pg_int (res, 0, 0) : -1;
  return TRUE;
}

static gboolean
resolve_session (KsStore *store, const char *token, gint64 idle_seconds,
                 KsPrincipal *out, GError **error)
{
  static const KsPgStatement stmt = { "auth_resolve_session",
    "SELECT s.id, s.last_used, s.expires, s.revoked, u.id, u.body_id, u.is_superuser, "
    "       u.active, u.email, u.name, u.totp_enabled, coalesce (b.require_2fa, 0), s.created, "
    /* The user's permissions (ks_pg_user_permissions) in the same round trip. */
    "       CASE WHEN u.is_superuser = 0 THEN array_to_string (ARRAY ("
    "         SELECT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id "
    "         WHERE ur.user_id = u.id "
    "         UNION SELECT permission FROM user_permissions WHERE user_id = u.id), ',') END, "
    /* And the council's categories restricted to their assigned staff that
     * the user is not assigned (ks-pg-store-areas.c's hidden_categories):
     * read afresh each request, so an assignment changed is seen by the next. */
    "       CASE WHEN u.is_superuser = 0 AND u.body_id IS NOT NULL THEN array_to_string (ARRAY ("
    "         SELECT c.id FROM categories c WHERE c.body_id = u.body_id AND c.assigned_only <> 0 "
    "         AND c.id NOT IN (SELECT category_id FROM user_categories WHERE user_id = u.id "
    "           UNION SELECT rc.category_id FROM role_categories rc "
    "           JOIN user_roles ur ON ur.role_id = rc.role_id WHERE ur.user_id = u.id) "
    "         ORDER BY c.id), ',') END "
    "FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN bodies b ON b.id = u.body_id "
    "WHERE s.token_hash = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *hash = NULL;
  gint64 now = ks_time_now ();
  gint64 session_id, last_used, expires;

  if (token == NULL || *token == '\0' || strlen (token) > 128)
    goto invalid;
  hash = ks_token_hash (token);
  ks_pg_args_text (&args, hash);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    goto invalid;
  session_id = ks_pg_int (res, 0, 0);
  last_used = ks_pg_int (res, 0, 1);
  expires = ks_pg_int (res, 0, 2);
  if (ks_pg_int (res, 0, 3) != 0)
    goto invalid;
  if (expires <= now)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                   "Your session has expired. Sign in again.");
      return FALSE;
    }
  if (ks_pg_int (res, 0, 7) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                   "This account has been deactivated. Ask your administrator.");
      return FALSE;
    }
  out->session_id = session_id;
  out->session_created = ks_pg_int (res, 0, 12);
  out->user_id = ks_pg_int (res, 0, 4);
  out->body_id = ks_pg_int (res, 0, 5);
  out->is_superuser = ks_pg_int (res, 0, 6) != 0;
  g_free (out->email);
  out->email = g_strdup (ks_pg_text (res, 0, 8));
  g_free (out->name);
  out->name = g_strdup (ks_pg_text (res, 0, 9));
  out->needs_2fa_setup = ks_pg_int (res, 0, 10) == 0 &&
                         (out->is_superuser || ks_pg_int (res, 0, 11) != 0);

  if (out->is_superuser)
    out->perms = KS_PERMISSION_SET_ALL;
  else
    {
      g_auto(GStrv) ids = g_strsplit (ks_pg_text (res, 0, 13), ",", -1);

      out->perms = 0;
      for (guint i = 0; ids[i] != NULL; i++)
        {
          KsPermission p;
          if (ks_permission_from_id (ids[i], &p))
            out->perms |= 1u << p;
        }
    }
  g_clear_pointer (&out->hidden_categories, g_array_unref);
  if (!PQgetisnull (res, 0, 14))
    {
      g_auto(GStrv) ids = g_strsplit (ks_pg_text (res, 0, 14), ",", -1);

      out->hidden_categories = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; ids[i] != NULL; i++)
        if (*ids[i] != '\0')
          {
            gint64 id = g_ascii_strtoll (ids[i], NULL, 10);

            g_array_append_val (out->hidden_categories, id);
          }
    }

  out->session_last_used = last_used;
  out->session_expires = expires;
  /* Move the idle expiry forward, at most once a minute per session. */
  if (now - last_used >= 60)
    {
      if (touch_session (store, session_id, now, idle_seconds, NULL))
        {
          out->session_last_used = now;
          out->session_expires = now + idle_seconds;
        }
      else
        g_debug ("Could not move session %" G_GINT64_FORMAT " forward", session_id);
    }
  return TRUE;

invalid:
  g_set_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED,
               "You are signed out (the session is not valid any more). Sign in again.");
  return FALSE;
}

static gboolean
revoke_session (KsStore *store, gint64 session_id, GError **error)
{
  static const KsPgStatement stmt = { "auth_revoke_session",
    "UPDATE sessions SET revoked = 1 WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, session_id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

static gboolean
revoke_user_sessions (KsStore *store, gint64 user_id, gint64 except_session_id, GError **error)
{
  static const KsPgStatement stmt = { "auth_revoke_user_sessions",
    "UPDATE sessions SET revoked = 1 WHERE user_id = $1 AND id != $2 AND revoked = 0" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, user_id);
  ks_pg_args_int (&args, except_session_id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

/* "password_reset_expires": until when this session may set a new password
 * without the current one (after signing in by email), or null. */
static gboolean
get_me (KsStore *store, const KsPrincipal *who, KsMe *out, GError **error)
{
  static const KsPgStatement user_stmt = { "auth_me_user",
    "SELECT u.id, u.email, u.name, u.phone, u.is_superuser, u.totp_enabled, u.last_login, "
    "       b.id, b.name, b.slug, b.area_name, b.min_lat, b.min_lon, b.max_lat, b.max_lon, "
    "       b.require_2fa, b.password_min_length "
    "FROM users u LEFT JOIN bodies b ON b.id = u.body_id WHERE u.id = $1" };
  static const KsPgStatement reset_stmt = { "auth_me_reset",
    "SELECT reset_until FROM sessions WHERE id = $1 AND revoked = 0 AND reset_until > $2" };
  static const KsPgStatement roles_stmt = { "auth_me_roles",
    "SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id "
    "WHERE ur.user_id = $1 ORDER BY r.name" };
  g_auto(KsPgArgs) user_args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) reset_args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) roles_args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) u = NULL;
  g_autoptr(PGresult) reset = NULL;
  g_autoptr(PGresult) roles = NULL;

  ks_pg_args_int (&user_args, who->user_id);
  u = ks_pg_store_query (store, &user_stmt, &user_args, error);
  if (u == NULL)
    return FALSE;
  if (PQntuples (u) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Your account no longer exists.");
      return FALSE;
    }
  out->id = ks_pg_int (u, 0, 0);
  out->email = g_strdup (ks_pg_text (u, 0, 1));
  out->name = g_strdup (ks_pg_text (u, 0, 2));
  out->phone = g_strdup (ks_pg_text (u, 0, 3));
  out->is_superuser = ks_pg_int (u, 0, 4) != 0;
  out->totp_enabled = ks_pg_int (u, 0, 5) != 0;
  out->last_login = ks_pg_int (u, 0, 6);
  if (!ks_pg_null (u, 0, 7))
    {
      out->body_id = ks_pg_int (u, 0, 7);
      out->body_name = g_strdup (ks_pg_text (u, 0, 8));
      out->body_slug = g_strdup (ks_pg_text (u, 0, 9));
      out->body_area_name = g_strdup (ks_pg_text (u, 0, 10));
      out->body_has_bbox = !ks_pg_null (u, 0, 11);
      out->body_bbox.min_lat = ks_pg_double (u, 0, 11);
      out->body_bbox.min_lon = ks_pg_double (u, 0, 12);
      out->body_bbox.max_lat = ks_pg_double (u, 0, 13);
      out->body_bbox.max_lon = ks_pg_double (u, 0, 14);
      out->body_require_2fa = ks_pg_int (u, 0, 15) != 0;
      out->body_password_min_length = ks_pg_int (u, 0, 16);
    }

  /* Whether this session may set a new password without the current one. */
  ks_pg_args_int (&reset_args, who->session_id);
  ks_pg_args_int (&reset_args, ks_time_now ());
  reset = ks_pg_store_query (store, &reset_stmt, &reset_args, error);
  if (reset == NULL)
    return FALSE;
  if (PQntuples (reset) > 0)
    out->password_reset_until = ks_pg_int (reset, 0, 0);

  ks_pg_args_int (&roles_args, who->user_id);
  roles = ks_pg_store_query (store, &roles_stmt, &roles_args, error);
  if (roles == NULL)
    return FALSE;
  out->roles = ks_role_refs_new ();
  for (int i = 0; i < PQntuples (roles); i++)
    {
      KsRoleRef role = { ks_pg_int (roles, i, 0), g_strdup (ks_pg_text (roles, i, 1)) };
      g_array_append_val (out->roles, role);
    }
  return TRUE;
}

static gboolean
set_totp (KsStore *store, gint64 user_id, const char *secret, gboolean enabled, GError **error)
{
  static const KsPgStatement stmt = { "auth_set_totp",
    "UPDATE users SET totp_secret = $1, totp_enabled = $2, updated = $3 WHERE id = $4" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, secret);
  ks_pg_args_int (&args, enabled ? 1 : 0);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, user_id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

/* Used once across every instance: a second UPDATE of the row waits for the
 * first to commit and then finds totp_last_step no longer below step. */
static gboolean
advance_totp_step (KsStore *store, gint64 user_id, gint64 step, gboolean *accepted, GError **error)
{
  static const KsPgStatement stmt = { "auth_advance_totp_step",
    "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 changed = 0;

  *accepted = FALSE;
  ks_pg_args_int (&args, step);
  ks_pg_args_int (&args, user_id);
  if (!ks_pg_store_exec (store, &stmt, &args, &changed, error))
    return FALSE;
  *accepted = changed == 1;
  return TRUE;
}

static gboolean
create_challenge (KsStore *store, gint64 user_id, const char *token_hash, const char *method,
                  gint64 expires, GError **error)
{
  static const KsPgStatement prune = { "auth_prune_challenges",
    "DELETE FROM login_challenges WHERE expires < $1" };
  static const KsPgStatement insert = { "auth_create_challenge",
    "INSERT INTO login_challenges (user_id, token_hash, method, created, expires) "
    "VALUES ($1, $2, $3, $4, $5)" };
  g_auto(KsPgArgs) prune_args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&prune_args, ks_time_now () - 3600);
  if (!ks_pg_store_exec (store, &prune, &prune_args, NULL, error))
    return FALSE;
  ks_pg_args_int (&args, user_id);
  ks_pg_args_text (&args, token_hash);
  ks_pg_args_text (&args, method);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, expires);
  return ks_pg_store_exec (store, &insert, &args, NULL, error);
}

static gboolean
find_challenge (KsStore *store, const char *token_hash, gboolean consume,
                gint64 *out_user_id, char **out_method, GError **error)
{
  static const KsPgStatement take = { "auth_take_challenge",
    "UPDATE login_challenges SET used = 1 WHERE token_hash = $1 AND used = 0 AND expires > $2 "
    "RETURNING user_id, method" };
  static const KsPgStatement find = { "auth_find_challenge",
    "SELECT user_id, method FROM login_challenges "
    "WHERE token_hash = $1 AND used = 0 AND expires > $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_user_id = 0;
  ks_pg_args_text (&args, token_hash);
  ks_pg_args_int (&args, ks_time_now ());
  res = ks_pg_store_query (store, consume ? &take : &find, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *out_user_id = ks_pg_int (res, 0, 0);
      if (out_method != NULL)
        {
          g_free (*out_method);
          *out_method = g_strdup (ks_pg_text (res, 0, 1));
        }
    }
  return TRUE;
}

static gboolean
create_email_code (KsStore *store, gint64 user_id, const char *code_hash, const char *link_hash,
                   gint64 expires, GError **error)
{
  static const KsPgStatement stmt = { "auth_create_email_code",
    "INSERT INTO email_codes (user_id, code_hash, link_hash, created, expires) "
    "VALUES ($1, $2, $3, $4, $5)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, user_id);
  ks_pg_args_text (&args, code_hash);
  ks_pg_args_text (&args, link_hash);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, expires);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

static gboolean
take_email_code (KsStore *store, gint64 user_id, const char *code_hash, const char *link_hash,
                 gint64 *out_user_id, GError **error)
{
  static const KsPgStatement by_link = { "auth_take_email_code_link",
    "UPDATE email_codes SET used = 1 WHERE link_hash = $1 AND used = 0 AND expires > $2 "
    "RETURNING user_id" };
  /* The outer "used = 0" is what a racing instance is checked against again
   * once the winner commits (the subquery is not evaluated again). */
  static const KsPgStatement by_code = { "auth_take_email_code",
    "UPDATE email_codes SET used = 1 WHERE used = 0 AND id = (SELECT id FROM email_codes "
    "WHERE user_id = $1 AND code_hash = $2 AND used = 0 AND expires > $3 ORDER BY id DESC LIMIT 1) "
    "RETURNING user_id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_user_id = 0;
  if (link_hash != NULL)
    {
      ks_pg_args_text (&args, link_hash);
      ks_pg_args_int (&args, ks_time_now ());
    }
  else
    {
      ks_pg_args_int (&args, user_id);
      ks_pg_args_text (&args, code_hash);
      ks_pg_args_int (&args, ks_time_now ());
    }
  res = ks_pg_store_query (store, link_hash != NULL ? &by_link : &by_code, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    *out_user_id = ks_pg_int (res, 0, 0);
  return TRUE;
}

static gboolean
grant_password_reset (KsStore *store, gint64 session_id, gint64 until, GError **error)
{
  static const KsPgStatement stmt = { "auth_grant_password_reset",
    "UPDATE sessions SET reset_until = $1 WHERE id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, until);
  ks_pg_args_int (&args, session_id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

static gboolean
take_password_reset (KsStore *store, gint64 session_id, gboolean consume, gboolean *live,
                     GError **error)
{
  static const KsPgStatement take = { "auth_take_password_reset",
    "UPDATE sessions SET reset_until = 0 WHERE id = $1 AND revoked = 0 AND reset_until > $2 "
    "RETURNING id" };
  static const KsPgStatement peek = { "auth_peek_password_reset",
    "SELECT id FROM sessions WHERE id = $1 AND revoked = 0 AND reset_until > $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *live = FALSE;
  ks_pg_args_int (&args, session_id);
  ks_pg_args_int (&args, ks_time_now ());
  res = ks_pg_store_query (store, consume ? &take : &peek, &args, error);
  if (res == NULL)
    return FALSE;
  *live = PQntuples (res) > 0;
  return TRUE;
}

static gboolean
sessions (KsStore *store, gint64 user_id, KsSessionRowFunc func, gpointer user_data,
          GError **error)
{
  /* id breaks ties as SQLite's scan of the table in rowid order does. */
  static const KsPgStatement stmt = { "auth_sessions",
    "SELECT id, created, last_used, expires, address, user_agent FROM sessions "
    "WHERE user_id = $1 AND revoked = 0 AND expires > $2 ORDER BY last_used DESC, id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, user_id);
  ks_pg_args_int (&args, ks_time_now ());
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsSessionRow row = {
        .id = ks_pg_int (res, i, 0),
        .created = ks_pg_int (res, i, 1),
        .last_used = ks_pg_int (res, i, 2),
        .expires = ks_pg_int (res, i, 3),
        .address = ks_pg_text (res, i, 4),
        .user_agent = ks_pg_text (res, i, 5),
      };
      func (&row, user_data);
    }
  return TRUE;
}

static gboolean
revoke_own_session (KsStore *store, gint64 user_id, gint64 session_id, gboolean *found,
                    GError **error)
{
  static const KsPgStatement stmt = { "auth_revoke_own_session",
    "UPDATE sessions SET revoked = 1 WHERE id = $1 AND user_id = $2 AND revoked = 0" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 changed = 0;

  *found = FALSE;
  ks_pg_args_int (&args, session_id);
  ks_pg_args_int (&args, user_id);
  if (!ks_pg_store_exec (store, &stmt, &args, &changed, error))
    return FALSE;
  *found = changed == 1;
  return TRUE;
}

static gboolean
body_names (KsStore *store, gint64 body_id, char **out_name, char **out_area, GError **error)
{
  static const KsPgStatement stmt = { "auth_body_names",
    "SELECT name, area_name FROM bodies WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_name = *out_area = NULL;
  ks_pg_args_int (&args, body_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *out_name = g_strdup (ks_pg_text (res, 0, 0));
      *out_area = g_strdup (ks_pg_text (res, 0, 1));
    }
  return TRUE;
}

/* ---- two-factor recovery codes ---- */

static gboolean
replace_recovery_codes (KsStore *store, gint64 user_id, const char *const *hashes, guint n,
                        GError **error)
{
  static const KsPgStatement del = { "auth_delete_recovery_codes",
    "DELETE FROM recovery_codes WHERE user_id = $1" };
  static const KsPgStatement insert = { "auth_insert_recovery_code",
    "INSERT INTO recovery_codes (user_id, code_hash, created) VALUES ($1, $2, $3)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 now = ks_time_now ();

  ks_pg_args_int (&args, user_id);
  if (!ks_pg_store_exec (store, &del, &args, NULL, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_auto(KsPgArgs) row = KS_PG_ARGS_INIT;
      ks_pg_args_int (&row, user_id);
      ks_pg_args_text (&row, hashes[i]);
      ks_pg_args_int (&row, now);
      if (!ks_pg_store_exec (store, &insert, &row, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
unused_recovery_codes (KsStore *store, gint64 user_id, GArray **out_ids, GPtrArray **out_hashes,
                       GError **error)
{
  static const KsPgStatement stmt = { "auth_unused_recovery_codes",
    "SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used = 0 ORDER BY id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);

  ks_pg_args_int (&args, user_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 id = ks_pg_int (res, i, 0);
      g_array_append_val (ids, id);
      g_ptr_array_add (hashes, g_strdup (ks_pg_text (res, i, 1)));
    }
  *out_ids = g_steal_pointer (&ids);
  *out_hashes = g_steal_pointer (&hashes);
  return TRUE;
}

/* Used once across every instance, as a TOTP step is. */
static gboolean
use_recovery_code (KsStore *store, gint64 code_id, gint64 at, gboolean *used, GError **error)
{
  static const KsPgStatement stmt = { "auth_use_recovery_code",
    "UPDATE recovery_codes SET used = $1 WHERE id = $2 AND used = 0" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 changed = 0;

  *used = FALSE;
  ks_pg_args_int (&args, at);
  ks_pg_args_int (&args, code_id);
  if (!ks_pg_store_exec (store, &stmt, &args, &changed, error))
    return FALSE;
  *used = changed == 1;
  return TRUE;
}

static gboolean
count_recovery_codes (KsStore *store, gint64 user_id, gint64 *out_left, GError **error)
{
  static const KsPgStatement stmt = { "auth_count_recovery_codes",
    "SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used = 0" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_left = 0;
  ks_pg_args_int (&args, user_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    *out_left = ks_pg_int (res, 0, 0);
  return TRUE;
}

void
ks_pg_store_auth_init (KsStoreAuthVTable *vtable)
{
  vtable->find_user_by_email = find_user_by_email;
  vtable->set_password_hash = set_password_hash;
  vtable->count_failures = count_failures;
  vtable->add_failure = add_failure;
  vtable->clear_failures = clear_failures;
  vtable->create_session = create_session;
  vtable->resolve_session = resolve_session;
  vtable->auth_epoch = auth_epoch;
  vtable->touch_session = touch_session;
  vtable->revoke_session = revoke_session;
  vtable->revoke_user_sessions = revoke_user_sessions;
  vtable->get_me = get_me;
  vtable->get_user = get_user;
  vtable->set_totp = set_totp;
  vtable->advance_totp_step = advance_totp_step;
  vtable->create_challenge = create_challenge;
  vtable->find_challenge = find_challenge;
  vtable->create_email_code = create_email_code;
  vtable->take_email_code = take_email_code;
  vtable->grant_password_reset = grant_password_reset;
  vtable->take_password_reset = take_password_reset;
  vtable->sessions = sessions;
  vtable->revoke_own_session = revoke_own_session;
  vtable->body_names = body_names;
  vtable->replace_recovery_codes = replace_recovery_codes;
  vtable->unused_recovery_codes = unused_recovery_codes;
  vtable->use_recovery_code = use_recovery_code;
  vtable->count_recovery_codes = count_recovery_codes;
}

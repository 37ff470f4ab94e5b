/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-auth.c: accounts, sessions and throttling in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "sqlite/ks-sqlite-permissions.h"
#include "ks-time.h"
#include "auth/ks-token.h"

#include <string.h>

#define USER_AUTH_COLUMNS \
  "SELECT u.id, u.body_id, u.email, u.name, u.password_hash, u.active, u.is_superuser, " \
  "       u.totp_enabled, u.totp_secret, u.totp_last_step, " \
  "       coalesce (b.require_2fa, 0), coalesce (b.password_min_length, 8), b.name, b.area_name " \
  "FROM users u LEFT JOIN bodies b ON b.id = u.body_id "

static gboolean
load_user (KsStmt *st, gboolean *found, KsUserAuth *out, GError **error)
{
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (!*found)
    return TRUE;
  out->id = ks_col_int (st, 0);
  out->body_id = ks_col_int (st, 1);
  out->email = g_strdup (ks_col_text (st, 2));
  out->name = g_strdup (ks_col_text (st, 3));
  out->password_hash = g_strdup (ks_col_text (st, 4));
  out->active = ks_col_int (st, 5) != 0;
  out->is_superuser = ks_col_int (st, 6) != 0;
  out->totp_enabled = ks_col_int (st, 7) != 0;
  out->totp_secret = g_strdup (ks_col_text (st, 8));
  out->totp_last_step = ks_col_int (st, 9);
  out->require_2fa = out->is_superuser || ks_col_int (st, 10) != 0;
  out->password_min_length = (guint) ks_col_int (st, 11);
  out->body_name = g_strdup (ks_col_text (st, 12));
  out->body_area = g_strdup (ks_col_text (st, 13));
  return TRUE;
}

static gboolean
find_user_by_email (KsStore *store, const char *email, gboolean *found,
                    KsUserAuth *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, USER_AUTH_COLUMNS "WHERE u.email = ?", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, email);
  return load_user (st, found, out, error);
}

static gboolean
get_user (KsStore *store, gint64 user_id, gboolean *found, KsUserAuth *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, USER_AUTH_COLUMNS "WHERE u.id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  return load_user (st, found, out, error);
}

static gboolean
set_password_hash (KsStore *store, gint64 user_id, const char *hash, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE users SET password_hash = ?, updated = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, hash);
  sqlite3_bind_int64 (st, 2, ks_time_now ());
  sqlite3_bind_int64 (st, 3, user_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
count_failures (KsStore *store, const char *scope, const char *key, const char *address,
                gint64 since, int *out_count, gint64 *out_oldest, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, address != NULL
    ? "SELECT count(*), min(at) FROM login_failures WHERE scope = ? AND key = ? AND at >= ? AND address = ?"
    : "SELECT count(*), min(at) FROM login_failures WHERE scope = ? AND key = ? AND at >= ?", error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, scope);
  ks_bind_text (st, 2, key);
  sqlite3_bind_int64 (st, 3, since);
  if (address != NULL)
    ks_bind_text (st, 4, address);
  if (sqlite3_step (st) != SQLITE_ROW)
    return ks_sqlite_stmt_fail (st, error);
  *out_count = sqlite3_column_int (st, 0);
  *out_oldest = ks_col_int (st, 1);
  return TRUE;
}

static gboolean
add_failure (KsStore *store, const char *scope, const char *key, const char *address, gint64 at,
             GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO login_failures (scope, key, address, at) VALUES (?, ?, ?, ?)", error);
  g_autoptr(KsStmt) prune = NULL;

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, scope);
  ks_bind_text (st, 2, key);
  ks_bind_text (st, 3, address);
  sqlite3_bind_int64 (st, 4, at);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  /* Keep the table small: nothing older than a day is ever consulted. */
  prune = ks_sqlite_stmt (store, "DELETE FROM login_failures WHERE at < ?", error);
  if (prune == NULL)
    return FALSE;
  sqlite3_bind_int64 (prune, 1, at - 24 * 3600);
  return ks_sqlite_step_done (prune, error);
}

static gboolean
clear_failures (KsStore *store, const char *scope, const char *key, const char *address,
                GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, address != NULL
    ? "DELETE FROM login_failures WHERE scope = ? AND key = ? AND address = ?"
    : "DELETE FROM login_failures WHERE scope = ? AND key = ?", error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, scope);
  ks_bind_text (st, 2, key);
  if (address != NULL)
    ks_bind_text (st, 3, address);
  return ks_sqlite_step_done (st, error);
}

static gboolean
create_session (KsStore *store, gint64 user_id, const char *token_hash, gint64 expires,
                const char *address, const char *user_agent, gint64 *out_session_id,
                GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO sessions (user_id, token_hash, created, last_used, expires, address, user_agent) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  g_autoptr(KsStmt) login = NULL;
  gint64 now = ks_time_now ();

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  ks_bind_text (st, 2, token_hash);
  sqlite3_bind_int64 (st, 3, now);
  sqlite3_bind_int64 (st, 4, now);
  sqlite3_bind_int64 (st, 5, expires);
  ks_bind_text (st, 6, address);
  ks_bind_text (st, 7, user_agent);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_session_id = ks_sqlite_last_insert_rowid (store);
  login = ks_sqlite_stmt (store, "UPDATE users SET last_login = ? WHERE id = ?", error);
  if (login == NULL)
    return FALSE;
  sqlite3_bind_int64 (login, 1, now);
  sqlite3_bind_int64 (login, 2, user_id);
  return ks_sqlite_step_done (login, error);
}

static gboolean
touch_session (KsStore *store, gint64 session_id, gint64 now, gint64 idle_seconds,
               GError **error)
{
  g_autoptr(KsStmt) touch = ks_sqlite_stmt (store,
    "UPDATE sessions SET last_used = ?1, expires = ?2 WHERE id = ?3 AND last_used < ?1", error);

  if (touch == NULL)
    return FALSE;
  sqlite3_bind_int64 (touch, 1, now);
  sqlite3_bind_int64 (touch, 2, now + idle_seconds);
  sqlite3_bind_int64 (touch, 3, session_id);
  return ks_sqlite_step_done (touch, error);
}

static gboolean
auth_epoch (KsStore *store, gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "SELECT n FROM auth_epoch WHERE id = 1", error);
  int rc;

  if (st == NULL)
    return FALSE;
  rc = sqlite3_step (st);
  /* Without its row (a database emptied by hand) nothing is kept: -1. */
  if (rc == SQLITE_DONE)
    {
      *out = -1;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return ks_sqlite_stmt_fail (st, error);
  *out = ks_col_int (st, 0);
  return TRUE;
}

static gboolean
resolve_session (KsStore *store, const char *token, gint64 idle_seconds,
                 KsPrincipal *out, GError **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(KsStmt) st = NULL;
  gint64 now = ks_time_now ();
  gint64 session_id, last_used, expires;
  int rc;

  if (token == NULL || *token == '\0' || strlen (token) > 128)
    goto invalid;
  hash = ks_token_hash (token);
  st = ks_sqlite_stmt (store,
    "SELECT s.id, s.last_used, s.expires, s.revoked, u.id, u.body_id, u.is_superuser, "
    "       u.active, u.email, u.name, u.totp_enabled, coalesce (b.require_2fa, 0), s.created "
    "FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN bodies b ON b.id = u.body_id "
    "WHERE s.token_hash = ?", error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, hash);
  rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    goto invalid;
  if (rc != SQLITE_ROW)
    return ks_sqlite_stmt_fail (st, error);
  session_id = ks_col_int (st, 0);
  last_used = ks_col_int (st, 1);
  expires = ks_col_int (st, 2);
  if (ks_col_int (st, 3) != 0)
    goto invalid;
  if (expires <= now)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                   "Your session has expired. Sign in again.");
      return FALSE;
    }
  if (ks_col_int (st, 7) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                   "This account has been deactivated. Ask your administrator.");
      return FALSE;
    }
  out->session_id = session_id;
  out->session_created = ks_col_int (st, 12);
  out->user_id = ks_col_int (st, 4);
  out->body_id = ks_col_int (st, 5);
  out->is_superuser = ks_col_int (st, 6) != 0;
  g_free (out->email);
  out->email = g_strdup (ks_col_text (st, 8));
  g_free (out->name);
  out->name = g_strdup (ks_col_text (st, 9));
  out->needs_2fa_setup = ks_col_int (st, 10) == 0 && (out->is_superuser || ks_col_int (st, 11) != 0);
  ks_stmt_release (g_steal_pointer (&st));

  if (out->is_superuser)
    out->perms = KS_PERMISSION_SET_ALL;
  else if (!ks_sqlite_user_permissions (store, out->user_id, &out->perms, error))
    return FALSE;

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
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE sessions SET revoked = 1 WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, session_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
revoke_user_sessions (KsStore *store, gint64 user_id, gint64 except_session_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND id != ? AND revoked = 0", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  sqlite3_bind_int64 (st, 2, except_session_id);
  return ks_sqlite_step_done (st, error);
}

/* "password_reset_expires": until when this session may set a new password
 * without the current one (after signing in by email), or null. */
static gboolean
get_me (KsStore *store, const KsPrincipal *who, KsMe *out, GError **error)
{
  g_autoptr(KsStmt) u = ks_sqlite_stmt (store,
    "SELECT u.id, u.email, u.name, u.phone, u.is_superuser, u.totp_enabled, u.last_login, "
    "       b.id, b.name, b.slug, b.area_name, b.min_lat, b.min_lon, b.max_lat, b.max_lon, "
    "       b.require_2fa, b.password_min_length "
    "FROM users u LEFT JOIN bodies b ON b.id = u.body_id WHERE u.id = ?", error);
  g_autoptr(KsStmt) st = NULL;
  int rc;

  if (u == NULL)
    return FALSE;
  sqlite3_bind_int64 (u, 1, who->user_id);
  if (sqlite3_step (u) != SQLITE_ROW)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Your account no longer exists.");
      return FALSE;
    }
  out->id = ks_col_int (u, 0);
  out->email = g_strdup (ks_col_text (u, 1));
  out->name = g_strdup (ks_col_text (u, 2));
  out->phone = g_strdup (ks_col_text (u, 3));
  out->is_superuser = ks_col_int (u, 4) != 0;
  out->totp_enabled = ks_col_int (u, 5) != 0;
  out->last_login = ks_col_int (u, 6);
  if (!ks_col_null (u, 7))
    {
      out->body_id = ks_col_int (u, 7);
      out->body_name = g_strdup (ks_col_text (u, 8));
      out->body_slug = g_strdup (ks_col_text (u, 9));
      out->body_area_name = g_strdup (ks_col_text (u, 10));
      out->body_has_bbox = !ks_col_null (u, 11);
      out->body_bbox.min_lat = ks_col_double (u, 11);
      out->body_bbox.min_lon = ks_col_double (u, 12);
      out->body_bbox.max_lat = ks_col_double (u, 13);
      out->body_bbox.max_lon = ks_col_double (u, 14);
      out->body_require_2fa = ks_col_int (u, 15) != 0;
      out->body_password_min_length = ks_col_int (u, 16);
    }

  /* Whether this session may set a new password without the current one. */
  st = ks_sqlite_stmt (store,
    "SELECT reset_until FROM sessions WHERE id = ? AND revoked = 0 AND reset_until > ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, who->session_id);
  sqlite3_bind_int64 (st, 2, ks_time_now ());
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    out->password_reset_until = ks_col_int (st, 0);
  else if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  ks_stmt_release (g_steal_pointer (&st));

  st = ks_sqlite_stmt (store,
    "SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id "
    "WHERE ur.user_id = ? ORDER BY r.name", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, who->user_id);
  out->roles = ks_role_refs_new ();
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsRoleRef role = { ks_col_int (st, 0), g_strdup (ks_col_text (st, 1)) };
      g_array_append_val (out->roles, role);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
set_totp (KsStore *store, gint64 user_id, const char *secret, gboolean enabled, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE users SET totp_secret = ?, totp_enabled = ?, updated = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, secret);
  sqlite3_bind_int (st, 2, enabled ? 1 : 0);
  sqlite3_bind_int64 (st, 3, ks_time_now ());
  sqlite3_bind_int64 (st, 4, user_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
advance_totp_step (KsStore *store, gint64 user_id, gint64 step, gboolean *accepted, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, step);
  sqlite3_bind_int64 (st, 2, user_id);
  sqlite3_bind_int64 (st, 3, step);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *accepted = ks_sqlite_changes (store) == 1;
  return TRUE;
}

static gboolean
create_challenge (KsStore *store, gint64 user_id, const char *token_hash, const char *method,
                  gint64 expires, GError **error)
{
  g_autoptr(KsStmt) prune = ks_sqlite_stmt (store,
    "DELETE FROM login_challenges WHERE expires < ?", error);
  g_autoptr(KsStmt) st = NULL;

  if (prune == NULL)
    return FALSE;
  sqlite3_bind_int64 (prune, 1, ks_time_now () - 3600);
  if (!ks_sqlite_step_done (prune, error))
    return FALSE;
  st = ks_sqlite_stmt (store,
    "INSERT INTO login_challenges (user_id, token_hash, method, created, expires) VALUES (?, ?, ?, ?, ?)",
    error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  ks_bind_text (st, 2, token_hash);
  ks_bind_text (st, 3, method);
  sqlite3_bind_int64 (st, 4, ks_time_now ());
  sqlite3_bind_int64 (st, 5, expires);
  return ks_sqlite_step_done (st, error);
}

static gboolean
find_challenge (KsStore *store, const char *token_hash, gboolean consume,
                gint64 *out_user_id, char **out_method, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, consume
    ? "UPDATE login_challenges SET used = 1 WHERE token_hash = ? AND used = 0 AND expires > ? "
      "RETURNING user_id, method"
    : "SELECT user_id, method FROM login_challenges WHERE token_hash = ? AND used = 0 AND expires > ?",
    error);
  int rc;

  *out_user_id = 0;
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, token_hash);
  sqlite3_bind_int64 (st, 2, ks_time_now ());
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    {
      *out_user_id = ks_col_int (st, 0);
      if (out_method != NULL)
        {
          g_free (*out_method);
          *out_method = g_strdup (ks_col_text (st, 1));
        }
      /* RETURNING rows must be stepped to the end for the change to complete. */
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        ;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
create_email_code (KsStore *store, gint64 user_id, const char *code_hash, const char *link_hash,
                   gint64 expires, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO email_codes (user_id, code_hash, link_hash, created, expires) "
    "VALUES (?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  ks_bind_text (st, 2, code_hash);
  ks_bind_text (st, 3, link_hash);
  sqlite3_bind_int64 (st, 4, ks_time_now ());
  sqlite3_bind_int64 (st, 5, expires);
  return ks_sqlite_step_done (st, error);
}

static gboolean
take_email_code (KsStore *store, gint64 user_id, const char *code_hash, const char *link_hash,
                 gint64 *out_user_id, GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  int rc;

  *out_user_id = 0;
  if (link_hash != NULL)
    {
      st = ks_sqlite_stmt (store,
        "UPDATE email_codes SET used = 1 WHERE link_hash = ? AND used = 0 AND expires > ? "
        "RETURNING user_id", error);
      if (st == NULL)
        return FALSE;
      ks_bind_text (st, 1, link_hash);
      sqlite3_bind_int64 (st, 2, ks_time_now ());
    }
  else
    {
      st = ks_sqlite_stmt (store,
        "UPDATE email_codes SET used = 1 WHERE id = (SELECT id FROM email_codes WHERE user_id = ? "
        "AND code_hash = ? AND used = 0 AND expires > ? ORDER BY id DESC LIMIT 1) "
        "RETURNING user_id", error);
      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, user_id);
      ks_bind_text (st, 2, code_hash);
      sqlite3_bind_int64 (st, 3, ks_time_now ());
    }
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    {
      *out_user_id = ks_col_int (st, 0);
      /* RETURNING rows must be stepped to the end for the change to complete. */
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        ;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
grant_password_reset (KsStore *store, gint64 session_id, gint64 until, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE sessions SET reset_until = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, until);
  sqlite3_bind_int64 (st, 2, session_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
take_password_reset (KsStore *store, gint64 session_id, gboolean consume, gboolean *live,
                     GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, consume
    ? "UPDATE sessions SET reset_until = 0 WHERE id = ? AND revoked = 0 AND reset_until > ? RETURNING id"
    : "SELECT id FROM sessions WHERE id = ? AND revoked = 0 AND reset_until > ?", error);
  int rc;

  *live = FALSE;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, session_id);
  sqlite3_bind_int64 (st, 2, ks_time_now ());
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    *live = TRUE;
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
sessions (KsStore *store, gint64 user_id, KsSessionRowFunc func, gpointer user_data,
          GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id, created, last_used, expires, address, user_agent FROM sessions "
    "WHERE user_id = ? AND revoked = 0 AND expires > ? ORDER BY last_used DESC", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  sqlite3_bind_int64 (st, 2, ks_time_now ());
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsSessionRow row = {
        .id = ks_col_int (st, 0),
        .created = ks_col_int (st, 1),
        .last_used = ks_col_int (st, 2),
        .expires = ks_col_int (st, 3),
        .address = ks_col_text (st, 4),
        .user_agent = ks_col_text (st, 5),
      };
      func (&row, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
revoke_own_session (KsStore *store, gint64 user_id, gint64 session_id, gboolean *found,
                    GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE sessions SET revoked = 1 WHERE id = ? AND user_id = ? AND revoked = 0", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, session_id);
  sqlite3_bind_int64 (st, 2, user_id);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *found = ks_sqlite_changes (store) == 1;
  return TRUE;
}

static gboolean
body_names (KsStore *store, gint64 body_id, char **out_name, char **out_area, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "SELECT name, area_name FROM bodies WHERE id = ?", error);
  int rc;

  *out_name = *out_area = NULL;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    {
      *out_name = g_strdup (ks_col_text (st, 0));
      *out_area = g_strdup (ks_col_text (st, 1));
    }
  else if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* ---- two-factor recovery codes ---- */

static gboolean
replace_recovery_codes (KsStore *store, gint64 user_id, const char *const *hashes, guint n,
                        GError **error)
{
  g_autoptr(KsStmt) del = ks_sqlite_stmt (store,
    "DELETE FROM recovery_codes WHERE user_id = ?", error);
  gint64 now = ks_time_now ();

  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, user_id);
  if (!ks_sqlite_step_done (del, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "INSERT INTO recovery_codes (user_id, code_hash, created) VALUES (?, ?, ?)", error);
      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, user_id);
      ks_bind_text (st, 2, hashes[i]);
      sqlite3_bind_int64 (st, 3, now);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
unused_recovery_codes (KsStore *store, gint64 user_id, GArray **out_ids, GPtrArray **out_hashes,
                       GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used = 0 ORDER BY id", error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 id = ks_col_int (st, 0);
      g_array_append_val (ids, id);
      g_ptr_array_add (hashes, g_strdup (ks_col_text (st, 1)));
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  *out_ids = g_steal_pointer (&ids);
  *out_hashes = g_steal_pointer (&hashes);
  return TRUE;
}

static gboolean
use_recovery_code (KsStore *store, gint64 code_id, gint64 at, gboolean *used, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE recovery_codes SET used = ? WHERE id = ? AND used = 0", error);

  *used = FALSE;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, at);
  sqlite3_bind_int64 (st, 2, code_id);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *used = ks_sqlite_changes (store) == 1;
  return TRUE;
}

static gboolean
count_recovery_codes (KsStore *store, gint64 user_id, gint64 *out_left, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used = 0", error);
  gboolean found = FALSE;

  *out_left = 0;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (found)
    *out_left = ks_col_int (st, 0);
  return TRUE;
}

void
ks_sqlite_store_auth_init (KsStoreAuthVTable *vtable)
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

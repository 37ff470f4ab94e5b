/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pg-auth.c: the PostgreSQL store's accounts and sessions as several
 * server instances see them (two stores, each with its own connections, on one
 * database in a cluster run by tests/pg/pgcluster.py): a sign-out on one is
 * refused on the other, failed sign-ins count across both, and what may be used
 * once (a TOTP step, a two-factor challenge, an emailed code, a password reset
 * grant) is won by one of two instances that race for it. */
#include "postgres/ks-pg-db.h"
#include "postgres/ks-pg-store.h"
#include "store/ks-store.h"
#include "auth/ks-token.h"
#include "ks-error.h"
#include "ks-time.h"

#include <glib.h>

typedef struct {
  KsStore *one;       /* two instances on one database */
  KsStore *two;
  KsPgDb  *watch;     /* a third connection, to see who waits for a lock */
  gint64   user_id;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) admin = ks_pg_db_new (g_getenv ("KS_PG_URI"), &error);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *conninfo = NULL;
  static const KsPgStatement add_user = { "test_add_user",
    "INSERT INTO users (email, name, created, updated) VALUES ('Staff@Example.org', 'Staff', 0, 0) "
    "RETURNING id" };

  g_assert_no_error (error);
  g_assert_true (ks_pg_db_exec (admin, "DROP DATABASE IF EXISTS auth_test", &error));
  g_assert_true (ks_pg_db_exec (admin, "CREATE DATABASE auth_test", &error));
  g_assert_no_error (error);
  conninfo = g_strdup_printf ("host=%s user=postgres dbname=auth_test", g_getenv ("KS_PG_HOST"));
  f->one = ks_pg_store_new (conninfo, NULL, &error);
  g_assert_no_error (error);
  f->two = ks_pg_store_new (conninfo, NULL, &error);
  g_assert_no_error (error);
  f->watch = ks_pg_db_new (conninfo, &error);
  g_assert_no_error (error);
  res = ks_pg_db_query (f->watch, &add_user, 0, NULL, &error);
  g_assert_no_error (error);
  f->user_id = ks_pg_get_int64 (res, 0, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->one);
  g_clear_object (&f->two);
  g_clear_pointer (&f->watch, ks_pg_db_free);
}

/* Takes the thing raced for on store; *won: it was this caller's. */
typedef gboolean (*TakeFunc) (Fixture *f, KsStore *store, gboolean *won, GError **error);

typedef struct {
  Fixture  *f;
  TakeFunc  take;
  gboolean  won;
  GError   *error;
} Racer;

static gpointer
race_second (gpointer data)
{
  Racer *r = data;

  r->take (r->f, r->f->two, &r->won, &r->error);
  return NULL;
}

/* How many connections to the test database wait for a lock. */
static gint64
lock_waiters (Fixture *f)
{
  static const KsPgStatement st = { "test_lock_waiters",
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database () AND wait_event_type = 'Lock'" };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = ks_pg_db_query (f->watch, &st, 0, NULL, &error);

  g_assert_no_error (error);
  return ks_pg_get_int64 (res, 0, 0);
}

/* Instance one takes it in a transaction that is still open when instance two
 * tries: two must wait, and once one commits, find it gone. */
static void
race (Fixture *f, TakeFunc take)
{
  g_autoptr(GError) error = NULL;
  Racer second = { f, take, TRUE, NULL };
  GThread *thread;
  gboolean won = FALSE;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (ks_store_begin_write (f->one, &error));
  g_assert_true (take (f, f->one, &won, &error));
  g_assert_no_error (error);
  g_assert_true (won);

  thread = g_thread_new ("second", race_second, &second);
  while (lock_waiters (f) < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
  g_assert_true (ks_store_commit (f->one, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  g_assert_no_error (second.error);
  g_assert_false (second.won);

  /* And afterwards, plainly used. */
  won = TRUE;
  g_assert_true (take (f, f->two, &won, &error));
  g_assert_no_error (error);
  g_assert_false (won);
}

static gboolean
take_totp_step (Fixture *f, KsStore *store, gboolean *won, GError **error)
{
  return ks_store_auth_advance_totp_step (store, f->user_id, 58000000, won, error);
}

static void
test_totp_step_used_once (Fixture *f, gconstpointer data)
{
  race (f, take_totp_step);
}

static gboolean
take_challenge (Fixture *f, KsStore *store, gboolean *won, GError **error)
{
  gint64 user_id = -1;
  g_autofree char *method = NULL;

  if (!ks_store_auth_find_challenge (store, "challenge-hash", TRUE, &user_id, &method, error))
    return FALSE;
  *won = user_id != 0;
  if (*won)
    {
      g_assert_cmpint (user_id, ==, f->user_id);
      g_assert_cmpstr (method, ==, "email");
    }
  return TRUE;
}

static void
test_challenge_used_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 user_id = 0;

  g_assert_true (ks_store_auth_create_challenge (f->one, f->user_id, "challenge-hash", "email",
                                                 ks_time_now () + 300, &error));
  g_assert_no_error (error);
  /* Looking does not use it up. */
  g_assert_true (ks_store_auth_find_challenge (f->two, "challenge-hash", FALSE, &user_id, NULL, &error));
  g_assert_cmpint (user_id, ==, f->user_id);
  race (f, take_challenge);
}

static gboolean
take_code (Fixture *f, KsStore *store, gboolean *won, GError **error)
{
  gint64 user_id = -1;

  if (!ks_store_auth_take_email_code (store, f->user_id, "code-hash", NULL, &user_id, error))
    return FALSE;
  *won = user_id == f->user_id;
  return TRUE;
}

static gboolean
take_link (Fixture *f, KsStore *store, gboolean *won, GError **error)
{
  gint64 user_id = -1;

  if (!ks_store_auth_take_email_code (store, 0, NULL, "link-hash", &user_id, error))
    return FALSE;
  *won = user_id == f->user_id;
  return TRUE;
}

static void
test_email_code_used_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean won = TRUE;

  /* Typed in: found by (user, code). */
  g_assert_true (ks_store_auth_create_email_code (f->one, f->user_id, "code-hash", "link-hash",
                                                  ks_time_now () + 3600, &error));
  g_assert_no_error (error);
  race (f, take_code);
  /* The code and its link are one: the link went with the code. */
  g_assert_true (take_link (f, f->two, &won, &error));
  g_assert_no_error (error);
  g_assert_false (won);
}

static void
test_email_link_used_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean won = TRUE;

  /* Followed from the email: found by its link. */
  g_assert_true (ks_store_auth_create_email_code (f->one, f->user_id, "code-hash", "link-hash",
                                                  ks_time_now () + 3600, &error));
  g_assert_no_error (error);
  race (f, take_link);
  g_assert_true (take_code (f, f->two, &won, &error));
  g_assert_no_error (error);
  g_assert_false (won);
}

static gboolean
take_reset (Fixture *f, KsStore *store, gboolean *won, GError **error)
{
  gint64 session_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (f->one), "session"));

  return ks_store_auth_take_password_reset (store, session_id, TRUE, won, error);
}

static gint64
sign_in (Fixture *f, KsStore *store, const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = ks_token_hash (token);
  gint64 session_id = 0;

  g_assert_true (ks_store_begin_write (store, &error));
  g_assert_true (ks_store_auth_create_session (store, f->user_id, hash, ks_time_now () + 3600,
                                               "192.0.2.1", "test", &session_id, &error));
  g_assert_true (ks_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (session_id, >, 0);
  return session_id;
}

static void
test_password_reset_used_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 session_id = sign_in (f, f->one, "reset-token");
  gboolean live = FALSE;

  g_object_set_data (G_OBJECT (f->one), "session", GSIZE_TO_POINTER (session_id));
  g_assert_true (ks_store_auth_grant_password_reset (f->one, session_id, ks_time_now () + 600, &error));
  g_assert_no_error (error);
  g_assert_true (ks_store_auth_take_password_reset (f->two, session_id, FALSE, &live, &error));
  g_assert_true (live);
  race (f, take_reset);
}

static void
test_sign_out_everywhere (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KsPrincipal who = { 0 };
  gint64 session_id = sign_in (f, f->one, "the-token");
  gboolean found = FALSE;
  gint64 other = sign_in (f, f->two, "other-token");

  g_assert_true (ks_store_auth_resolve_session (f->two, "the-token", 3600, &who, &error));
  g_assert_no_error (error);
  g_assert_cmpint (who.session_id, ==, session_id);
  g_assert_cmpint (who.user_id, ==, f->user_id);
  g_assert_cmpuint (who.perms, ==, 0);

  g_assert_true (ks_store_auth_revoke_session (f->one, session_id, &error));
  g_assert_false (ks_store_auth_resolve_session (f->two, "the-token", 3600, &who, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Signed out from the other session's list, on the other instance. */
  g_assert_true (ks_store_auth_revoke_own_session (f->two, f->user_id, other, &found, &error));
  g_assert_true (found);
  g_assert_true (ks_store_auth_revoke_own_session (f->one, f->user_id, other, &found, &error));
  g_assert_false (found);
  g_assert_false (ks_store_auth_resolve_session (f->one, "other-token", 3600, &who, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED);
  ks_principal_clear (&who);
}

/* A session's permissions: its user's roles' and their single ones. */
static void
test_session_permissions (Fixture *f, gconstpointer data)
{
  static const KsPgStatement grant = { "test_grant",
    "WITH b AS (INSERT INTO bodies (name, slug, created) VALUES ('Council', 'council', 0) RETURNING id), "
    "r AS (INSERT INTO roles (body_id, name) SELECT id, 'Inspectors' FROM b RETURNING id), "
    "rp AS (INSERT INTO role_permissions (role_id, permission) "
    "       SELECT id, unnest (ARRAY['view_report', 'shortlist', 'no_such_permission']) FROM r), "
    "ur AS (INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM r) "
    "INSERT INTO user_permissions (user_id, permission) VALUES ($1, 'edit_templates'), ($1, 'view_report')" };
  static const KsPgStatement superuser = { "test_superuser",
    "UPDATE users SET is_superuser = 1 WHERE id = $1" };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->user_id);
  const char *values[] = { id };
  g_autoptr(PGresult) res = ks_pg_db_query (f->watch, &grant, 1, values, &error);
  KsPrincipal who = { 0 };
  KsPermission p;
  KsPermissionSet want = 0;

  g_assert_no_error (error);
  sign_in (f, f->one, "perm-token");
  g_assert_true (ks_store_auth_resolve_session (f->two, "perm-token", 3600, &who, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (ks_permission_from_id ((const char *[]) { "view_report", "shortlist", "edit_templates" }[i], &p));
      want |= 1u << p;
    }
  g_assert_cmpuint (who.perms, ==, want);
  g_clear_pointer (&res, PQclear);
  res = ks_pg_db_query (f->watch, &superuser, 1, values, &error);
  g_assert_no_error (error);
  g_assert_true (ks_store_auth_resolve_session (f->one, "perm-token", 3600, &who, &error));
  g_assert_cmpuint (who.perms, ==, KS_PERMISSION_SET_ALL);
  ks_principal_clear (&who);
}

static void
test_failures_count_across (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = ks_time_now ();
  gint64 oldest = 0;
  int count = 0;

  g_assert_true (ks_store_auth_add_failure (f->one, "account", "staff@example.org", "192.0.2.1", now - 10, &error));
  g_assert_true (ks_store_auth_add_failure (f->two, "account", "staff@example.org", "192.0.2.1", now, &error));
  g_assert_true (ks_store_auth_add_failure (f->two, "account", "staff@example.org", "192.0.2.2", now, &error));
  g_assert_no_error (error);

  g_assert_true (ks_store_auth_count_failures (f->one, "account", "staff@example.org", "192.0.2.1",
                                               now - 900, &count, &oldest, &error));
  g_assert_cmpint (count, ==, 2);
  g_assert_cmpint (oldest, ==, now - 10);
  g_assert_true (ks_store_auth_count_failures (f->one, "account", "staff@example.org", NULL,
                                               now - 900, &count, &oldest, &error));
  g_assert_cmpint (count, ==, 3);

  /* A sign-in from one address forgets that address's failures only. */
  g_assert_true (ks_store_auth_clear_failures (f->two, "account", "staff@example.org", "192.0.2.1", &error));
  g_assert_true (ks_store_auth_count_failures (f->one, "account", "staff@example.org", NULL,
                                               now - 900, &count, &oldest, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 1);
}

static void
test_email_ignores_case (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsUserAuth) user = { 0 };
  g_auto(KsUserAuth) none = { 0 };
  gboolean found = FALSE;

  g_assert_true (ks_store_auth_find_user_by_email (f->one, "staff@example.ORG", &found, &user, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpint (user.id, ==, f->user_id);
  g_assert_cmpstr (user.email, ==, "Staff@Example.org");
  g_assert_true (ks_store_auth_find_user_by_email (f->one, "staff@example.or", &found, &none, &error));
  g_assert_false (found);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("KS_PG_URI") == NULL)
    {
      g_printerr ("Run through tests/pg/pgcluster.py run (KS_PG_URI is not set).\n");
      return 77;
    }
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pg-auth/email-ignores-case", test_email_ignores_case);
  ADD ("/pg-auth/sign-out-everywhere", test_sign_out_everywhere);
  ADD ("/pg-auth/session-permissions", test_session_permissions);
  ADD ("/pg-auth/failures-count-across", test_failures_count_across);
  ADD ("/pg-auth/totp-step-used-once", test_totp_step_used_once);
  ADD ("/pg-auth/challenge-used-once", test_challenge_used_once);
  ADD ("/pg-auth/email-code-used-once", test_email_code_used_once);
  ADD ("/pg-auth/email-link-used-once", test_email_link_used_once);
  ADD ("/pg-auth/password-reset-used-once", test_password_reset_used_once);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-server.c: runs the real kerbside-server on a demo database for the
 * core and GUI tests and the app benchmarks. */
#define _GNU_SOURCE /* nftw */
#define G_LOG_DOMAIN "ks-test"

#include "ks-test-server.h"

#include <ftw.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sqlite3.h>

#include "ks-time.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("KERBSIDE_SERVER");

  if (path == NULL)
    g_error ("Set KERBSIDE_SERVER to the kerbside-server binary.");
  return path;
}

/* The temp dirs made here, removed when the process exits normally. A test
 * that fails aborts, so its dir (the server's database, the app's cache) is
 * kept to look at. */
static GPtrArray *tmp_dirs;

static int
remove_entry (const char        *path,
              const struct stat *st,
              int                flag,
              struct FTW        *ftw)
{
  return remove (path) == 0 ? 0 : -1;
}

static void
remove_tmp_dirs (void)
{
  for (guint i = 0; tmp_dirs != NULL && i < tmp_dirs->len; i++)
    if (nftw (g_ptr_array_index (tmp_dirs, i), remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
      g_printerr ("Could not remove %s\n", (char *) g_ptr_array_index (tmp_dirs, i));
}

char *
ks_test_make_tmp (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  if (tmp_dirs == NULL)
    {
      tmp_dirs = g_ptr_array_new ();
      atexit (remove_tmp_dirs);
    }
  g_ptr_array_add (tmp_dirs, g_strdup (dir));
  return dir;
}

char *
ks_test_init_dirs (void)
{
  char *dir = ks_test_make_tmp ("kerbside-core");
  static const char *const names[] = { "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *sub = g_build_filename (dir, names[i], NULL);
      g_mkdir_with_parents (sub, 0700);
      g_setenv (names[i], sub, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  return dir;
}

/* The pinned clock's offset from the real time, moved with the servers'. */
static gboolean pinned;
static double pinned_offset;

void
ks_test_pin_clock (void)
{
  const char *text = g_getenv ("KS_TEST_NOW");
  gint64 at = KS_TEST_NOW_DEFAULT;

  g_assert_false (pinned);
  if (text != NULL)
    {
      char *end = NULL;

      at = g_ascii_strtoll (text, &end, 10);
      if (end == text || *end != '\0' || at <= 0)
        g_error ("KS_TEST_NOW must be a time in Unix seconds, such as %" G_GINT64_FORMAT,
                 KS_TEST_NOW_DEFAULT);
    }
  pinned_offset = (double) at - g_get_real_time () / (double) G_USEC_PER_SEC;
  ks_time_set_test_offset (pinned_offset);
  pinned = TRUE;
}

char *
ks_test_init_env (void)
{
  char *dir = ks_test_init_dirs ();

  ks_test_pin_clock ();
  return dir;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
spawn_serve (KsTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port_file = g_build_filename (server->dir, "port", NULL);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_autofree char *text = NULL;
  g_autofree char *cost = g_strdup_printf ("%d", server->bcrypt_cost > 0 ? server->bcrypt_cost : 4);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

  g_unlink (port_file);
  /* The server goes when the test goes, even when the test aborts. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  for (const char *const *a = (const char *const[]) { server_binary (), "serve", "--db", server->db,
                                                       "--listen", listen, "--port-file", port_file,
                                                       "--bcrypt-cost", cost, NULL }; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  if (server->clock)
    {
      g_ptr_array_add (argv, "--test-clock");
      g_ptr_array_add (argv, server->clock);
    }
  if (server->config)
    {
      g_ptr_array_add (argv, "--config");
      g_ptr_array_add (argv, server->config);
    }
  g_ptr_array_add (argv, NULL);
  server->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  while (!g_file_get_contents (port_file, &text, NULL, NULL) || text[0] == '\0')
    {
      g_clear_pointer (&text, g_free);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  server->port = (guint) g_ascii_strtoull (text, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  g_free (server->url);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
}

static KsTestServer *
server_new (const char *dir,
            int         n_reports,
            gboolean    clock)
{
  KsTestServer *server = g_new0 (KsTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *n = g_strdup_printf ("%d", n_reports);
  int status = 0;
  const char *argv[] = { server_binary (), "demo", "--db", NULL, "--reports", n,
                         "--bcrypt-cost", "4", NULL };
  g_auto(GStrv) env = g_get_environ ();

  server->dir = g_strdup (dir);
  server->db = g_build_filename (dir, "server.db", NULL);
  argv[3] = server->db;
  if (clock || pinned)
    {
      server->clock = g_build_filename (dir, "clock", NULL);
      server->clock_offset = pinned ? pinned_offset : 0;
      ks_test_server_move_clock (server, 0);
    }
  if (pinned)
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, ks_test_server_now (server));

      env = g_environ_setenv (env, "KERBSIDE_DEMO_NOW", now, TRUE);
    }
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  spawn_serve (server);
  return server;
}

KsTestServer *
ks_test_server_new (const char *dir,
                    int         n_reports)
{
  return server_new (dir, n_reports, FALSE);
}

KsTestServer *
ks_test_server_new_with_clock (const char *dir,
                               int         n_reports)
{
  return server_new (dir, n_reports, TRUE);
}

void
ks_test_server_move_clock (KsTestServer *server,
                           double        seconds)
{
  g_autoptr(GError) error = NULL;
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_nonnull (server->clock);
  server->clock_offset += seconds;
  g_ascii_dtostr (text, sizeof text, server->clock_offset);
  /* Written whole (a new file renamed over the old), and only ours to write. */
  g_assert_true (g_file_set_contents_full (server->clock, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                           0600, &error));
  g_assert_no_error (error);
  if (pinned)
    {
      pinned_offset = server->clock_offset;
      ks_time_set_test_offset (pinned_offset);
    }
}

gint64
ks_test_server_now (KsTestServer *server)
{
  return (gint64) (g_get_real_time () / (double) G_USEC_PER_SEC + server->clock_offset);
}

void
ks_test_server_stop (KsTestServer *server)
{
  if (server->proc == NULL)
    return;
  g_subprocess_send_signal (server->proc, SIGTERM);
  g_subprocess_wait (server->proc, NULL, NULL);
  g_clear_object (&server->proc);
}

void
ks_test_server_start (KsTestServer *server)
{
  g_assert_null (server->proc);
  spawn_serve (server);
}

void
ks_test_server_free (KsTestServer *server)
{
  ks_test_server_stop (server);
  g_free (server->dir);
  g_free (server->db);
  g_free (server->url);
  g_free (server->clock);
  g_free (server->config);
  g_free (server);
}

/* The server's database, opened beside the server (read-only or not). */
static sqlite3 *
open_db (KsTestServer *server,
         int           flags)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (server->db, &db, flags, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

void
ks_test_server_exec (KsTestServer *server,
                     const char   *sql)
{
  sqlite3 *db = open_db (server, SQLITE_OPEN_READWRITE);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

gint64
ks_test_server_query_int (KsTestServer *server,
                          const char   *sql)
{
  sqlite3 *db = open_db (server, SQLITE_OPEN_READONLY);
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

void
ks_test_server_import_places (KsTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *council = NULL;
  const char *file = g_getenv ("KS_TEST_PLACES");

  if (file == NULL)
    g_error ("Set KS_TEST_PLACES to a gazetteer file (tests/data/os-open-names-sample.csv).");
  council = g_strdup_printf ("%" G_GINT64_FORMAT,
                             ks_test_server_query_int (server, "SELECT min(id) FROM bodies"));
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                           server_binary (), "places", "import", "--db", server->db,
                           "--council", council, file, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("places import failed: %s", out);
}

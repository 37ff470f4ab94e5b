/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: how the server's SQLite store opens its connections. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include "sqlite/ks-sqlite-store-private.h"

static char *
pragma_text (KsStore *store, const char *pragma)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = ks_sqlite_db (store, &error);
  sqlite3_stmt *st = NULL;
  char *value;

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (sqlite3_prepare_v2 (db, pragma, -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return value;
}

static gpointer
worker_synchronous (gpointer data)
{
  return pragma_text (data, "PRAGMA synchronous");
}

/* Every connection (one per thread) is in WAL mode with synchronous = FULL (2):
 * a commit is on disk before the server answers it. */
static void
test_durable_commits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kerbside-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(KsStore) store = NULL;
  g_autofree char *sync_main = NULL, *sync_worker = NULL, *journal = NULL;
  GThread *thread;

  g_assert_no_error (error);
  path = g_build_filename (dir, "kerbside.db", NULL);
  store = ks_sqlite_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  journal = pragma_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  sync_main = pragma_text (store, "PRAGMA synchronous");
  g_assert_cmpstr (sync_main, ==, "2");
  thread = g_thread_new ("worker", worker_synchronous, store);
  sync_worker = g_thread_join (thread);
  g_assert_cmpstr (sync_worker, ==, "2");

  g_clear_object (&store);
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *f = g_strconcat (path, *suffix, NULL);
      g_unlink (f);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/durable-commits", test_durable_commits);
  return g_test_run ();
}

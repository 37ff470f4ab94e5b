/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: how the server's SQLite store opens its connections, and the
 * store-neutral parts of the report list both stores share. */
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

static gpointer
worker_mmap_size (gpointer data)
{
  return pragma_text (data, "PRAGMA mmap_size");
}

/* Every connection (one per thread) is in WAL mode with synchronous = FULL (2):
 * a commit is on disk before the server answers it. None maps the database
 * into memory: a commit would make every other connection unmap it and fault
 * its pages in again. */
static void
test_durable_commits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kerbside-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(KsStore) store = NULL;
  g_autofree char *sync_main = NULL, *sync_worker = NULL, *journal = NULL;
  g_autofree char *mmap_main = NULL, *mmap_worker = NULL;
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
  mmap_main = pragma_text (store, "PRAGMA mmap_size");
  g_assert_cmpstr (mmap_main, ==, "0");
  thread = g_thread_new ("worker", worker_mmap_size, store);
  mmap_worker = g_thread_join (thread);
  g_assert_cmpstr (mmap_worker, ==, "0");

  g_clear_object (&store);
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *f = g_strconcat (path, *suffix, NULL);
      g_unlink (f);
    }
  g_rmdir (dir);
}

/* The words of a search are runs of letters and digits: punctuation between them
 * splits them ("A-5", "3.5", addresses), accents and marks stay with their word. */
static void
test_search_words (void)
{
  g_auto(GStrv) words = ks_report_search_words ("  A-5, 3.5m caf\xc3\xa9's \"x\" e\xcc\x81t\xc3\xa9 roads@council.example ");
  const char *const want[] = { "A", "5", "3", "5m", "caf\xc3\xa9", "s", "x",
                               "e\xcc\x81t\xc3\xa9", "roads", "council", "example", NULL };
  g_autoptr(GString) many = g_string_new (NULL);
  g_auto(GStrv) capped = NULL;

  g_assert_nonnull (words);
  g_assert_cmpstrv (words, want);
  g_assert_null (ks_report_search_words (""));
  g_assert_null (ks_report_search_words ("\"*\" -- ( ) ^ \xe2\x80\x94"));

  for (int i = 0; i < 40; i++)
    g_string_append_printf (many, "w%d ", i);
  capped = ks_report_search_words (many->str);
  g_assert_cmpuint (g_strv_length (capped), ==, KS_REPORT_SEARCH_MAX_WORDS);
  g_assert_cmpstr (capped[KS_REPORT_SEARCH_MAX_WORDS - 1], ==, "w31");
}

/* Text that is only a number (spaces aside) also names a report. */
static void
test_search_number (void)
{
  gint64 n = 0;

  g_assert_true (ks_report_search_number (" 0042 ", &n));
  g_assert_cmpint (n, ==, 42);
  g_assert_true (ks_report_search_number ("123456789012345678", &n));
  g_assert_cmpint (n, ==, G_GINT64_CONSTANT (123456789012345678));
  g_assert_false (ks_report_search_number ("1234567890123456789", &n));
  g_assert_false (ks_report_search_number ("12a", &n));
  g_assert_false (ks_report_search_number ("1 2", &n));
  g_assert_false (ks_report_search_number ("  ", &n));
  g_assert_false (ks_report_search_number ("-5", &n));
}

/* The cells of the map grid a box covers: every point of the box is in one. */
static void
test_cell_range (void)
{
  KsBBox box = { .min_lon = -1.26, .min_lat = 51.74, .max_lon = -1.23, .max_lat = 51.76 };
  KsBBox city = { .min_lon = -1.4, .min_lat = 51.6, .max_lon = -1.1, .max_lat = 51.9 };
  gint64 lat0, lat1, lon0, lon1;

  g_assert_true (ks_report_cell_range (&box, &lat0, &lat1, &lon0, &lon1));
  g_assert_cmpint (lat0, ==, (gint64) ((51.74 + 90.0) * 400.0));
  g_assert_cmpint (lat1, ==, (gint64) ((51.76 + 90.0) * 400.0));
  g_assert_cmpint (lon0, ==, (gint64) ((-1.26 + 180.0) * 250.0));
  g_assert_cmpint (lon1, ==, (gint64) ((-1.23 + 180.0) * 250.0));
  g_assert_cmpint ((lat1 - lat0 + 1) * (lon1 - lon0 + 1), <=, KS_REPORT_MAX_CELLS);
  for (double lat = box.min_lat; lat <= box.max_lat; lat += 0.001)
    for (double lon = box.min_lon; lon <= box.max_lon; lon += 0.001)
      {
        gint64 a = (gint64) ((lat + 90.0) * KS_REPORT_CELL_LAT_SCALE);
        gint64 b = (gint64) ((lon + 180.0) * KS_REPORT_CELL_LON_SCALE);
        g_assert_true (a >= lat0 && a <= lat1 && b >= lon0 && b <= lon1);
      }
  /* A city is too many cells. */
  g_assert_false (ks_report_cell_range (&city, &lat0, &lat1, &lon0, &lon1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/durable-commits", test_durable_commits);
  g_test_add_func ("/store/search-words", test_search_words);
  g_test_add_func ("/store/search-number", test_search_number);
  g_test_add_func ("/store/cell-range", test_cell_range);
  return g_test_run ();
}

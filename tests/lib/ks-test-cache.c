/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-cache.c: reading and altering the app's cache file in tests. */
#include "ks-test-cache.h"
#include "ks-cache.h"

#include <sqlite3.h>

KsReport *
ks_test_cached_report (const char *path,
                       gint64      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = ks_cache_open_path (path, &error);
  g_autoptr(GPtrArray) reports = NULL;

  g_assert_no_error (error);
  reports = ks_cache_load_reports (cache, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < reports->len; i++)
    if (ks_report_get_id (g_ptr_array_index (reports, i)) == id)
      return g_object_ref (g_ptr_array_index (reports, i));
  g_assert_not_reached ();
}

void
ks_test_sql_on (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

void
ks_test_cache_json_in_rows (const char *path)
{
  ks_test_sql_on (path,
                  "ALTER TABLE reports ADD COLUMN json TEXT NOT NULL DEFAULT '{}';"
                  "UPDATE reports SET json = (SELECT j.json FROM report_json AS j WHERE j.slot = reports.slot);"
                  "DROP TABLE report_json;"
                  "PRAGMA user_version = 4");
}

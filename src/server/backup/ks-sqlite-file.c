/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-file.c: a Kerbside SQLite database file opened by an operator's
 * command (see ks-sqlite-file.h). */
#include "backup/ks-sqlite-file.h"

#include "ks-error.h"

gboolean
ks_sqlite_file_fail (sqlite3     *db,
                     const char  *what,
                     GError     **error)
{
  g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "%s: %s", what,
               db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

char *
ks_sqlite_file_query (sqlite3    *db,
                      const char *sql)
{
  sqlite3_stmt *st = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step (st) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return value;
}

sqlite3 *
ks_sqlite_file_open (const char  *path,
                     gboolean    *wal,
                     GError     **error)
{
  sqlite3 *db = NULL;
  g_autofree char *has_migrations = NULL, *mode = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no database file %s. Give the file the server serves with --db.",
                   path);
      return NULL;
    }
  /* Read and write (a backup never writes): a read-only connection cannot
   * always join a WAL database that no server has open. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      ks_sqlite_file_fail (db, "Could not open the database", error);
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 10000);
  has_migrations = ks_sqlite_file_query (db, "SELECT count(*) FROM sqlite_master "
                                             "WHERE type = 'table' AND name = 'schema_migrations'");
  if (has_migrations == NULL || g_strcmp0 (has_migrations, "1") != 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s is not a Kerbside database (it has no schema_migrations table).", path);
      sqlite3_close_v2 (db);
      return NULL;
    }
  mode = ks_sqlite_file_query (db, "PRAGMA journal_mode");
  *wal = g_strcmp0 (mode, "wal") == 0;
  return db;
}

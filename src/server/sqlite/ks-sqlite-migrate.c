/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-migrate.c: the schema migrations of a store's database, and the
 * first query statistics. */
#define G_LOG_DOMAIN "ks-sqlite-migrate"

#include "sqlite/ks-sqlite-migrate.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

/* Migrations: data/sql/NNNN-*.sql, compiled into the binary as resources, applied
 * in order, each inside its own transaction, and recorded in schema_migrations so
 * that each is applied exactly once whatever order branches added them in.
 * PRAGMA user_version holds the highest one applied, for tools. */
gboolean
ks_sqlite_migrate (KsStore  *store,
                   int      *out_version,
                   GError  **error)
{
  sqlite3 *db = ks_sqlite_db (store, error);
  g_auto(GStrv) names = NULL;
  g_autoptr(GHashTable) applied = g_hash_table_new (g_direct_hash, g_direct_equal);
  sqlite3_stmt *st;
  int highest = 0;
  guint n;

  if (db == NULL)
    return FALSE;

  if (sqlite3_exec (db, "PRAGMA journal_mode = WAL;"
                        "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        "  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL);",
                    NULL, NULL, NULL) != SQLITE_OK)
    return ks_sqlite_fail (db, error);

  if (sqlite3_prepare_v2 (db, "SELECT version FROM schema_migrations", -1, &st, NULL) != SQLITE_OK)
    return ks_sqlite_fail (db, error);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      int v = sqlite3_column_int (st, 0);
      g_hash_table_add (applied, GINT_TO_POINTER (v));
      highest = MAX (highest, v);
    }
  sqlite3_finalize (st);

  names = g_resources_enumerate_children ("/org/kerbside/server/sql", 0, error);
  if (names == NULL)
    return FALSE;
  /* Apply in file name order (NNNN- prefixes). */
  n = g_strv_length (names);
  for (guint i = 0; i + 1 < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (strcmp (names[i], names[j]) > 0)
        {
          char *t = names[i];
          names[i] = names[j];
          names[j] = t;
        }

  /* Two files with one number: the second would never be applied. */
  for (guint i = 0; i + 1 < n; i++)
    if (atoi (names[i]) > 0 && atoi (names[i]) == atoi (names[i + 1]))
      {
        g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                     "The database migrations %s and %s have the same number. Give one of "
                     "them the next free number.", names[i], names[i + 1]);
        return FALSE;
      }

  for (guint i = 0; names[i]; i++)
    {
      int number = atoi (names[i]);
      g_autofree char *res_path = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *record = NULL;

      if (number <= 0 || g_hash_table_contains (applied, GINT_TO_POINTER (number)))
        continue;
      res_path = g_strconcat ("/org/kerbside/server/sql/", names[i], NULL);
      bytes = g_resources_lookup_data (res_path, 0, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      highest = MAX (highest, number);
      record = sqlite3_mprintf ("INSERT INTO schema_migrations (version, name, applied) "
                                "VALUES (%d, %Q, strftime('%%s','now')); PRAGMA user_version = %d;",
                                number, names[i], highest);

      if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        {
          sqlite3_free (record);
          record = NULL;
          return ks_sqlite_fail (db, error);
        }
      if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (db, record, NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                       "Could not apply database migration %s: %s", names[i], sqlite3_errmsg (db));
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          sqlite3_free (g_steal_pointer (&record));
          return FALSE;
        }
      sqlite3_free (g_steal_pointer (&record));
      if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return ks_sqlite_fail (db, error);
      g_debug ("Applied migration %s", names[i]);
    }
  *out_version = highest;

  /* The query planner needs statistics to choose well between the indexes (some
   * list shapes are a hundred times slower without). Gather approximate ones
   * quickly when there are none yet; `kerbside-server demo` runs a full ANALYZE. */
  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'",
                          -1, &st, NULL) == SQLITE_OK)
    {
      gboolean have_stats = sqlite3_step (st) == SQLITE_ROW && sqlite3_column_int (st, 0) > 0;
      sqlite3_finalize (st);
      if (!have_stats &&
          sqlite3_exec (db, "PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA analysis_limit = 0;",
                        NULL, NULL, NULL) != SQLITE_OK)
        g_warning ("Could not gather query statistics: %s", sqlite3_errmsg (db));
    }
  return TRUE;
}

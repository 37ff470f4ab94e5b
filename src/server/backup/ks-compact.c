/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compact.c: a SQLite installation's database rewritten without its free
 * space (see ks-compact.h). */
#include "backup/ks-compact.h"

#include "backup/ks-sqlite-file.h"
#include "ks-error.h"

#include <stdlib.h>

/* Its page size and its size in bytes. */
static void
measure (sqlite3 *db,
         int     *page_size,
         gint64  *bytes)
{
  g_autofree char *size = ks_sqlite_file_query (db, "PRAGMA page_size");
  g_autofree char *count = ks_sqlite_file_query (db, "PRAGMA page_count");

  *page_size = size ? atoi (size) : 0;
  *bytes = (gint64) *page_size * (count ? g_ascii_strtoll (count, NULL, 10) : 0);
}

/* Sets the journal mode; TRUE when the database is in it afterwards. */
static gboolean
set_journal_mode (sqlite3    *db,
                  const char *mode)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  g_autofree char *now = ks_sqlite_file_query (db, sql);

  return g_strcmp0 (now, mode) == 0;
}

gboolean
ks_compact_sqlite (const char       *path,
                   int               page_size,
                   KsCompactResult  *out,
                   GError          **error)
{
  KsCompactResult result = { 0 };
  g_autofree char *sql = NULL;
  sqlite3 *db;
  gboolean wal = FALSE, ok = FALSE;

  if ((db = ks_sqlite_file_open (path, &wal, error)) == NULL)
    return FALSE;
  measure (db, &result.page_size_before, &result.bytes_before);

  /* SQLite changes the page size only outside WAL mode, and leaves WAL mode
   * only when no other connection has the database open: a running server
   * keeps it so, and is not waited for. */
  sqlite3_busy_timeout (db, 1000);
  if (!set_journal_mode (db, "delete"))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
                   "%s is in use: stop the server (and anything else that has the database "
                   "open) first. Nothing was changed.", path);
      goto out;
    }

  sql = g_strdup_printf ("PRAGMA page_size = %d; VACUUM;",
                         page_size > 0 ? page_size : result.page_size_before);
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      ks_sqlite_file_fail (db, "Could not rewrite the database (it is as it was)", error);
      set_journal_mode (db, "wal");
      goto out;
    }
  if (!set_journal_mode (db, "wal"))
    {
      ks_sqlite_file_fail (db, "The database was rewritten, but could not be put back in WAL mode "
                               "(the server does so when it starts)", error);
      goto out;
    }
  measure (db, &result.page_size_after, &result.bytes_after);
  if (out)
    *out = result;
  ok = TRUE;

out:
  sqlite3_close_v2 (db);
  return ok;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compact-command.c: `kerbside-server compact --db FILE`: a stopped server's
 * SQLite database rewritten in the pages new databases get. */
#include "backup/ks-compact-command.h"

#include "backup/ks-compact.h"
#include "ks-store-open.h"
#include "sqlite/ks-sqlite-db.h"

#include <glib.h>

int
ks_compact_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("- rewrite a SQLite database in the server's page size, while no server has it open");
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  KsCompactResult result;
  gint64 started;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database file (no server may have it open)", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server compact: %s\n", error->message);
      return 2;
    }
  if (db == NULL || argc > 1)
    {
      g_printerr ("kerbside-server compact: give the database file and nothing else, e.g.\n"
                  "  kerbside-server compact --db kerbside.db\n");
      return 2;
    }
  if (ks_store_db_is_postgresql (db))
    {
      g_printerr ("kerbside-server compact: %s is a PostgreSQL database; this command rewrites "
                  "a SQLite database file. PostgreSQL keeps its own pages (VACUUM, "
                  "docs/deploy.md).\n", db);
      return 1;
    }

  if (g_file_test (db, G_FILE_TEST_IS_REGULAR))
    g_print ("Compacting %s: it needs free space of about twice its size, and takes about "
             "15 s a GB.\n", db);
  started = g_get_monotonic_time ();
  if (!ks_compact_sqlite (db, KS_SQLITE_PAGE_SIZE, &result, &error))
    {
      g_printerr ("kerbside-server compact: %s\n", error->message);
      return 1;
    }
  g_print ("Compacted %s in %.1f s: %.1f MB in pages of %d bytes before, %.1f MB in pages of "
           "%d bytes now.\n", db, (g_get_monotonic_time () - started) / 1e6,
           result.bytes_before / 1e6, result.page_size_before,
           result.bytes_after / 1e6, result.page_size_after);
  return 0;
}

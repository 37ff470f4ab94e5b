/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compact-command.c: `kerbside-server compact --db FILE [--page-size N]`: a
 * stopped server's SQLite database rewritten without free space, its pages
 * filled, in its page size or another. */
#include "backup/ks-compact-command.h"

#include "backup/ks-compact.h"
#include "ks-store-open.h"

#include <glib.h>

int
ks_compact_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("- rewrite a SQLite database without its free space, while no server has it open");
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  KsCompactResult result;
  gint64 started;
  int page_size = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database file (no server may have it open)", "FILE" },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size,
      "Pages of N bytes, a power of two from 4096 to 65536 (default: the size it has, 4096 for a database the server made)", "N" },
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
      g_printerr ("kerbside-server compact: give the database file (and, if you like, the page "
                  "size) and nothing else, e.g.\n"
                  "  kerbside-server compact --db kerbside.db\n");
      return 2;
    }
  if (page_size != 0 && (page_size < 4096 || page_size > 65536 || (page_size & (page_size - 1)) != 0))
    {
      g_printerr ("kerbside-server compact: --page-size must be a power of two from 4096 to 65536 "
                  "(4096, 8192, 16384, 32768 or 65536), not %d.\n", page_size);
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
    g_print ("Compacting %s: this needs free space of about twice its size.\n", db);
  started = g_get_monotonic_time ();
  if (!ks_compact_sqlite (db, page_size, &result, &error))
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-backup-command.c: `kerbside-server backup --db FILE --to COPY`: a consistent
 * copy of a served SQLite database and its photos, with progress. */
#include "backup/ks-backup-command.h"

#include "backup/ks-backup.h"
#include "ks-store-open.h"

#include <glib.h>

typedef struct {
  const char *name;
  int         shown;       /* the last tenth shown */
} Progress;

static void
show_progress (int done, int total, gpointer data)
{
  Progress *p = data;
  int tenth = total > 0 ? (int) ((gint64) done * 10 / total) : 10;

  if (tenth == p->shown)
    return;
  p->shown = tenth;
  g_printerr ("Backing up %s: %d%% (%d of %d pages)\n", p->name, tenth * 10, done, total);
}

int
ks_backup_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("- a consistent copy of a SQLite database while it is served");
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL, *to = NULL, *media = NULL, *media_copy = NULL;
  int pages = 1024, total = 0;
  gboolean no_media = FALSE;
  guint n_photos = 0;
  Progress progress = { NULL, -1 };
  gint64 started;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database file to back up (it may be being served)", "FILE" },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, "The copy: a new file (never overwritten); photos go to COPY.media", "COPY" },
    { "media", 0, 0, G_OPTION_ARG_FILENAME, &media, "Directory of the photos (default DB.media)", "DIR" },
    { "no-media", 0, 0, G_OPTION_ARG_NONE, &no_media, "Copy the database only, not the photos", NULL },
    { "pages-per-step", 0, 0, G_OPTION_ARG_INT, &pages, "Pages copied at a time (default 1024)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server backup: %s\n", error->message);
      return 2;
    }
  if (db == NULL || to == NULL)
    {
      g_printerr ("kerbside-server backup: give the database and the copy, e.g.\n"
                  "  kerbside-server backup --db kerbside.db --to kerbside-2026-12-03.db\n");
      return 2;
    }
  if (ks_store_db_is_postgresql (db))
    {
      g_printerr ("kerbside-server backup: %s is a PostgreSQL database; this command copies a "
                  "SQLite database file. Back a PostgreSQL database up with pg_dump "
                  "(docs/deploy.md).\n", db);
      return 1;
    }
  if (pages < 1)
    {
      g_printerr ("kerbside-server backup: --pages-per-step must be 1 or more.\n");
      return 2;
    }
  if (media == NULL)
    media = g_strconcat (db, ".media", NULL);
  media_copy = g_strconcat (to, ".media", NULL);
  if (!no_media && g_file_test (media, G_FILE_TEST_IS_DIR) &&
      g_file_test (media_copy, G_FILE_TEST_EXISTS))
    {
      g_printerr ("kerbside-server backup: %s exists already. Give the backup a new name: "
                  "it never overwrites anything.\n", media_copy);
      return 1;
    }

  started = g_get_monotonic_time ();
  progress.name = db;
  if (!ks_backup_sqlite (db, to, pages, show_progress, &progress, &total, &error))
    {
      g_printerr ("kerbside-server backup: %s\n", error->message);
      return 1;
    }
  if (!no_media && g_file_test (media, G_FILE_TEST_IS_DIR) &&
      !ks_backup_media (media, media_copy, &n_photos, &error))
    {
      g_printerr ("kerbside-server backup: the database was copied to %s, but not its photos: %s\n",
                  to, error->message);
      return 1;
    }
  g_print ("Backed up %s to %s (%d pages", db, to, total);
  if (!no_media && g_file_test (media, G_FILE_TEST_IS_DIR))
    g_print (", %u photos in %s", n_photos, media_copy);
  g_print (") in %.1f s.\n", (g_get_monotonic_time () - started) / 1e6);
  return 0;
}

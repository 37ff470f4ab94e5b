/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-migrate-store-command.c: `kerbside-server migrate-store --from FILE --to URI`:
 * a whole installation from SQLite into PostgreSQL, verified, with progress; the
 * photos to the directory the PostgreSQL instances share. */
#include "config.h"
#include "migrate/ks-migrate-store-command.h"

#include "backup/ks-backup.h"
#include "http/ks-server-config.h"
#include "ks-error.h"
#include "ks-store-open.h"
#include "migrate/ks-migrate-store.h"

#include <glib.h>
#include <string.h>

typedef struct {
  gint64 last_shown;    /* monotonic time of the last line shown */
} Progress;

static void
show_progress (const char *table,
               gint64      done,
               gint64      total,
               gpointer    data)
{
  Progress *p = data;
  gint64 now = g_get_monotonic_time ();

  /* A line a second at most, and the end of every table. */
  if (done < total && now - p->last_shown < G_USEC_PER_SEC)
    return;
  p->last_shown = now;
  g_printerr ("Copying %s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " rows (%d%%)\n", table,
              done, total, total > 0 ? (int) (done * 100 / total) : 100);
}

int
ks_migrate_store_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("- copy a whole installation from SQLite into PostgreSQL, and verify it");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *from = NULL, *to = NULL, *config_file = NULL, *media_from = NULL, *media_to = NULL;
  g_autofree char *password = NULL, *display = NULL;
  KsServerConfig config;
  Progress progress = { 0 };
  gint64 started, rows = 0;
  guint n_photos = 0;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "The SQLite database to copy (stop the server first, or it is copied as it was when the copy began)", "FILE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The empty PostgreSQL database (no password here: PGPASSWORD, ~/.pgpass or --config)", "URI" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, "Configuration file whose [database] group names the PostgreSQL database and its password-file", "FILE" },
    { "media-from", 0, 0, G_OPTION_ARG_FILENAME, &media_from, "Directory of the photos (default FILE.media)", "DIR" },
    { "media-to", 0, 0, G_OPTION_ARG_FILENAME, &media_to, "Copy the photos to this new directory (the one the PostgreSQL instances share)", "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server migrate-store: %s\n", error->message);
      return 2;
    }

  ks_server_config_init_defaults (&config);
  if (config_file != NULL && !ks_server_config_load_file (&config, config_file, &error))
    {
      g_printerr ("kerbside-server migrate-store: could not read %s: %s\n", config_file, error->message);
      ks_server_config_clear (&config);
      return 2;
    }
  if (to == NULL && config_file != NULL && config.db_path != NULL)
    to = g_strdup (config.db_path);
  if (from == NULL || to == NULL)
    {
      g_printerr ("kerbside-server migrate-store: give the SQLite database and the PostgreSQL one, e.g.\n"
                  "  kerbside-server migrate-store --from kerbside.db --to postgresql://kerbside@db.example/kerbside\n");
      ks_server_config_clear (&config);
      return 2;
    }
  if (!ks_store_db_is_postgresql (to))
    {
      g_printerr ("kerbside-server migrate-store: --to must be a postgresql:// URI.\n");
      ks_server_config_clear (&config);
      return 2;
    }
  if (config_file == NULL && ks_store_db_has_password (to))
    {
      g_printerr ("kerbside-server migrate-store: do not put the database password in --to: every "
                  "user of this machine can read a command line. Use PGPASSWORD, ~/.pgpass, or "
                  "--config with a [database] password-file.\n");
      return 2;
    }
  if (config.db_password_file != NULL)
    {
      password = ks_store_read_password_file (config.db_password_file, &error);
      if (password == NULL)
        {
          g_printerr ("kerbside-server migrate-store: %s\n", error->message);
          ks_server_config_clear (&config);
          return 2;
        }
    }
  ks_server_config_clear (&config);
  if (media_from == NULL)
    media_from = g_strconcat (from, ".media", NULL);
  if (media_to != NULL && g_file_test (media_to, G_FILE_TEST_EXISTS))
    {
      g_printerr ("kerbside-server migrate-store: %s exists already: give a new directory for the "
                  "photos (nothing is overwritten).\n", media_to);
      return 2;
    }

  display = ks_store_db_display (to);
  g_printerr ("Copying %s into %s\n", from, display);
  started = g_get_monotonic_time ();
#if HAVE_POSTGRESQL
  if (!ks_migrate_store (from, to, password, show_progress, &progress, &tables, &error))
#else
  g_set_error (&error, KS_ERROR, KS_ERROR_FAILED,
               "this kerbside-server was built without PostgreSQL (install libpq-dev and build it again)");
  if (TRUE)
#endif
    {
      if (password != NULL)
        explicit_bzero (password, strlen (password));
      g_printerr ("kerbside-server migrate-store: %s\n", error->message);
      return 1;
    }
  if (password != NULL)
    explicit_bzero (password, strlen (password));

  for (guint i = 0; i < tables->len; i++)
    {
      KsMigratedTable *t = g_ptr_array_index (tables, i);
      g_print ("%-24s %10" G_GINT64_FORMAT " rows  checksum %016" G_GINT64_MODIFIER "x  verified\n",
               t->table, t->rows, t->checksum);
      rows += t->rows;
    }
  if (media_to != NULL && g_file_test (media_from, G_FILE_TEST_IS_DIR) &&
      !ks_backup_media (media_from, media_to, &n_photos, &error))
    {
      g_printerr ("kerbside-server migrate-store: the database was copied and verified, but not "
                  "its photos: %s\n", error->message);
      return 1;
    }
  g_print ("Copied and verified %u tables, %" G_GINT64_FORMAT " rows", tables->len, rows);
  if (media_to != NULL)
    g_print (", %u photos into %s", n_photos, media_to);
  g_print (", in %.1f s.\n", (g_get_monotonic_time () - started) / 1e6);
  if (media_to == NULL && g_file_test (media_from, G_FILE_TEST_IS_DIR))
    g_print ("The photos stay in %s: serve with --media pointing at them (or a copy every "
             "instance shares).\n", media_from);
  return 0;
}

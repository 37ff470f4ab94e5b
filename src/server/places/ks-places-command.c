/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places-command.c: `kerbside-server places import --db DB --council ID FILE`:
 * replaces a council's gazetteer with the places of a file, with progress. */
#include "places/ks-places-command.h"

#include "places/ks-places-import.h"
#include "ks-command-store.h"

#include <stdio.h>
#include <string.h>

static void
show_progress (gint64 n_read, gpointer data)
{
  g_printerr ("%" G_GINT64_FORMAT " places read\n", n_read);
}

int
ks_places_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("import FILE - replace a council's places (streets, postcodes) with a file's");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *council = NULL, *format_text = NULL;
  KsPlacesFormat format = KS_PLACES_FORMAT_AUTO;
  KsPlacesImportResult result;
  gint64 body_id, started;
  int status;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "council", 0, 0, G_OPTION_ARG_STRING, &council, "The council: its id or its slug", "ID" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "os-open-names, csv or geojson (default: from the file)", "FORMAT" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server places: %s\n", error->message);
      return 2;
    }
  if (argc != 3 || strcmp (argv[1], "import") != 0 || council == NULL)
    {
      g_printerr ("kerbside-server places: say import, the database, the council and the file, e.g.\n"
                  "  kerbside-server places import --db kerbside.db --council 1 OS_Open_Names_SP.csv\n"
                  "  kerbside-server places import --db kerbside.db --council oxford streets.geojson\n");
      return 2;
    }
  if (format_text != NULL && !ks_places_format_from_string (format_text, &format))
    {
      g_printerr ("kerbside-server places import: --format must be os-open-names, csv or "
                  "geojson, not “%s”.\n", format_text);
      return 2;
    }
  if ((store = ks_command_open_store ("places", &where, &status)) == NULL)
    return status;
  if ((body_id = ks_command_find_council (store, "places import", council)) == 0)
    return 1;

  started = g_get_monotonic_time ();
  if (!ks_places_import (store, NULL, body_id, argv[2], format, show_progress, NULL,
                         &result, &error))
    {
      g_printerr ("kerbside-server places import: %s\nNothing was changed.\n", error->message);
      return 1;
    }
  g_print ("Imported %" G_GINT64_FORMAT " places (%s) for council %" G_GINT64_FORMAT
           " in %.1f s; they replace the %" G_GINT64_FORMAT " it had.",
           result.added, ks_places_format_to_string (result.format), body_id,
           (g_get_monotonic_time () - started) / 1e6, result.removed);
  if (result.duplicates > 0)
    g_print (" %" G_GINT64_FORMAT " repeated rows were left out.", result.duplicates);
  if (result.skipped > 0)
    g_print (" %" G_GINT64_FORMAT " features with no point or line were left out.",
             result.skipped);
  g_print ("\n");
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the kerbside desktop app. */
#define G_LOG_DOMAIN "kerbside"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ks-application.h"
#include "ks-process.h"
#include "ks-settings.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KsApplication) app = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  ks_process_prepare ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, NULL);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Without its schema GSettings would abort: say what to do instead. */
  if ((schema = ks_settings_lookup_schema (&error)) == NULL)
    {
      g_printerr ("kerbside: %s\n", error->message);
      return 1;
    }

  app = ks_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

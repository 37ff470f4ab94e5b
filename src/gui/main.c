/* main.c: the kerbside desktop app. */
#define G_LOG_DOMAIN "kerbside"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ks-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, NULL);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ks_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

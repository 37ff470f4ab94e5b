/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-cache.c: a full cache for the app benchmarks, filled by a first
 * process that signs in and syncs every report. */
#define G_LOG_DOMAIN "ks-test"

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test-cache.h"
#include "ks-sign-in-page.h"

#define PREPARE "--prepare"
/* The line the first process gives its figures on: ms from its launch, then
 * from the sign-in. */
#define RESULT "RESULT app_sync_from_launch="
#define FROM_SIGN_IN " app_sync="

static KsWindow *window;

static gboolean
all_synced (gpointer data)
{
  return ks_gui_reports_ready (window, GPOINTER_TO_UINT (data), TRUE);
}

/* The first process: sign in and sync everything into the cache. */
static int
prepare (const char *url,
         guint       n,
         gboolean    time,
         gint64      launched)
{
  g_autoptr(KsApplication) app = ks_gui_test_app_new (url, NULL);
  KsSignInPage *page;
  gint64 t0;

  window = ks_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
  ks_sign_in_page_set_server (page, url);
  ks_sign_in_page_set_email (page, "inspector@demo.invalid");
  ks_sign_in_page_set_password (page, KS_TEST_PASSWORD);

  t0 = g_get_monotonic_time ();
  ks_sign_in_page_submit (page, FALSE);
  if (!ks_test_wait_for (all_synced, GUINT_TO_POINTER (n), 900))
    {
      g_printerr ("The first sync did not finish.\n");
      return 1;
    }
  /* The monotonic clock is the system's: the parent's launch time holds here. */
  if (time)
    {
      gint64 now = g_get_monotonic_time ();

      printf ("first sync of %u reports through the app: %.0f ms from the sign-in, "
              "%.0f ms from the launch\n",
              g_list_model_get_n_items (ks_session_get_reports (ks_window_get_session (window))),
              (now - t0) / 1000.0, (now - launched) / 1000.0);
      printf (RESULT "%.1f" FROM_SIGN_IN "%.1f\n", (now - launched) / 1000.0, (now - t0) / 1000.0);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

gboolean
ks_gui_test_fill_cache_child (int    argc,
                              char **argv,
                              int   *status)
{
  if (argc != 6 || !g_str_equal (argv[1], PREPARE))
    return FALSE;
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();
  *status = prepare (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10), g_str_equal (argv[4], "time"),
                     g_ascii_strtoll (argv[5], NULL, 10));
  return TRUE;
}

double
ks_gui_test_fill_cache (const char *self,
                        const char *url,
                        guint       n,
                        gboolean    time,
                        double     *from_sign_in)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  g_autofree char *launched = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  g_autofree char *out = NULL;
  const char *at;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self, PREPARE, url, n_text, time ? "time" : "quiet", launched, NULL);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (child))
    g_error ("Preparing the cache failed: %s", error ? error->message : "the process failed");
  /* The sentence for the reader; the figure from its own line, kept out of
   * this process's output (whose RESULT lines are the benchmark's). */
  at = strstr (out, RESULT);
  fwrite (out, 1, at != NULL ? (gsize) (at - out) : strlen (out), stdout);
  fflush (stdout);
  if (from_sign_in != NULL)
    {
      const char *f = at != NULL ? strstr (at, FROM_SIGN_IN) : NULL;

      *from_sign_in = f != NULL ? g_ascii_strtod (f + strlen (FROM_SIGN_IN), NULL) : -1;
    }
  return at != NULL ? g_ascii_strtod (at + strlen (RESULT), NULL) : -1;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-app.c: the desktop app with a large cache. A first process signs in
 * as an inspector (who may keep reports offline) and syncs every report from a
 * local server; then this process starts the app again, as a person would the
 * next morning, and measures the time from launch to the first frame that
 * shows reports, and the memory in use once they are loaded.
 *
 * Run under tests/gui/run-gui-test.sh (X server and keyring). KS_BENCH_REPORTS
 * sets the number of reports (default 100000). */
#define G_LOG_DOMAIN "bench-app"

#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test-cache.h"
#include "ks-gui-test.h"

static KsWindow *window;

/* The main page and the reports in the model. */
static gboolean
reports_ready (gpointer data)
{
  return ks_gui_reports_ready (window, GPOINTER_TO_UINT (data), FALSE);
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

int
main (int   argc,
      char *argv[])
{
  int status;
  g_autoptr(KsApplication) app = NULL;
  g_autofree char *dir = NULL;
  KsTestServer *server;
  guint n = 100000;
  gint64 t0, t_main, t_frame;
  long rss;

  if (g_getenv ("KS_BENCH_REPORTS"))
    n = (guint) g_ascii_strtoull (g_getenv ("KS_BENCH_REPORTS"), NULL, 10);
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (ks_gui_test_fill_cache_child (argc, argv, &status))
    return status;

  dir = ks_test_init_env ();
  t0 = g_get_monotonic_time ();
  server = ks_test_server_new (dir, (int) n);
  printf ("demo database of %u reports: %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);

  ks_gui_test_fill_cache (argv[0], server->url, n, TRUE);

  /* The measured start: the cache holds every report. */
  t0 = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();
  app = ks_gui_test_app_new (server->url, "inspector@demo.invalid");
  window = ks_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  if (!ks_test_wait_for (reports_ready, GUINT_TO_POINTER (1), 120))
    g_error ("The app did not show the cached reports.");
  t_main = g_get_monotonic_time ();

  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  t_frame = g_get_monotonic_time ();
  rss = rss_kib ();

  printf ("reports shown: %u\n",
          g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)))));
  printf ("launch to reports in the model: %.0f ms\n", (t_main - t0) / 1000.0);
  printf ("launch to first frame with reports: %.0f ms\n", (t_frame - t0) / 1000.0);
  printf ("RSS after load: %.1f MiB\n", rss / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  ks_test_server_free (server);
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-idle.c: what the desktop app costs while nobody touches it. A first
 * process signs in as an inspector and syncs every report from a local server
 * into the cache; this process then starts the app on that cache (silent
 * sign-in from the keyring), waits until the reports are shown and drawn, and
 * lets the main loop run untouched for 60 s, measuring the process's CPU time
 * (getrusage: user + system) and main-loop wake-ups over that minute, in
 * 10-second slices. The target is under 1% of one core.
 *
 * Run under tests/gui/run-gui-test.sh (X server and keyring). KS_BENCH_REPORTS
 * sets the number of reports (default 100000), KS_BENCH_IDLE_SECONDS the idle
 * time (default 60). */
#define G_LOG_DOMAIN "bench-idle"

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <sys/resource.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test-cache.h"
#include "ks-gui-test.h"

#define SLICE_SECONDS 10

static KsWindow *window;

/* The main page and the reports in the model, every one synced. */
static gboolean
reports_ready (gpointer data)
{
  return ks_gui_reports_ready (window, GPOINTER_TO_UINT (data), TRUE);
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static guint wakeups;

static gboolean
on_slice (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
count_wakeup (GMainContext *context)
{
  wakeups++;
}

int
main (int   argc,
      char *argv[])
{
  int status;
  g_autoptr(KsApplication) app = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *dir = NULL;
  KsTestServer *server;
  guint n = 100000, seconds = 60, slices;
  double total = 0, worst = 0;
  guint total_wakeups = 0;

  if (g_getenv ("KS_BENCH_REPORTS"))
    n = (guint) g_ascii_strtoull (g_getenv ("KS_BENCH_REPORTS"), NULL, 10);
  if (g_getenv ("KS_BENCH_IDLE_SECONDS"))
    seconds = MAX (SLICE_SECONDS, (guint) g_ascii_strtoull (g_getenv ("KS_BENCH_IDLE_SECONDS"), NULL, 10));
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (ks_gui_test_fill_cache_child (argc, argv, &status))
    return status;

  dir = ks_test_init_dirs ();
  server = ks_test_server_new (dir, (int) n);
  ks_gui_test_fill_cache (argv[0], server->url, n, FALSE, NULL);

  gtk_init ();
  adw_init ();
  app = ks_gui_test_app_new (server->url, "inspector@demo.invalid");
  window = ks_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  if (!ks_test_wait_for (reports_ready, GUINT_TO_POINTER (n), 300))
    g_error ("The app did not show the cached reports.");
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  /* Let the start settle (first frames, the sync after the silent sign-in). */
  ks_test_wait_for (reports_ready, GUINT_TO_POINTER (n), 60);
  {
    g_autoptr(GMainLoop) settle = g_main_loop_new (NULL, FALSE);
    g_timeout_add_seconds (5, on_slice, settle);
    g_main_loop_run (settle);
  }

  printf ("reports in the app: %u (%u shown by the first view's filters)\n",
          g_list_model_get_n_items (ks_session_get_reports (ks_window_get_session (window))),
          g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)))));
  loop = g_main_loop_new (NULL, FALSE);
  slices = seconds / SLICE_SECONDS;
  for (guint i = 0; i < slices; i++)
    {
      double before = cpu_seconds (), used;
      gint64 t0 = g_get_monotonic_time ();
      double wall;

      /* Each blocking iteration that returns is one wake-up. */
      wakeups = 0;
      {
        GMainContext *context = g_main_context_default ();
        guint timeout_id = g_timeout_add_seconds (SLICE_SECONDS, on_slice, loop);
        gboolean running = TRUE;

        while (running)
          {
            g_main_context_iteration (context, TRUE);
            count_wakeup (context);
            running = g_main_context_find_source_by_id (context, timeout_id) != NULL;
          }
      }
      wall = (g_get_monotonic_time () - t0) / 1e6;
      used = cpu_seconds () - before;
      total += used;
      total_wakeups += wakeups;
      worst = MAX (worst, used / wall);
      printf ("idle %2u-%2u s: CPU %.3f s (%.2f%% of a core), %u main-loop wake-ups\n",
              i * SLICE_SECONDS, (i + 1) * SLICE_SECONDS, used, 100.0 * used / wall, wakeups);
    }
  printf ("idle CPU over %u s with %u reports: %.3f s, %.2f%% of one core (worst 10 s: %.2f%%), "
          "%.1f wake-ups a second (target: under 1%%)\n",
          slices * SLICE_SECONDS, n, total, 100.0 * total / (slices * SLICE_SECONDS), 100.0 * worst,
          (double) total_wakeups / (slices * SLICE_SECONDS));

  gtk_window_destroy (GTK_WINDOW (window));
  ks_test_server_free (server);
  return 0;
}

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

#include "ks-application.h"
#include "ks-sign-in-page.h"
#include "ks-test-server.h"
#include "ks-window.h"

#define SLICE_SECONDS 10

static KsWindow *window;
static gboolean  painted;

static gboolean
reports_ready (gpointer data)
{
  KsSession *session = ks_window_get_session (window);
  guint want = GPOINTER_TO_UINT (data);

  return g_strcmp0 (ks_window_get_page (window), "main") == 0
         && g_list_model_get_n_items (ks_session_get_reports (session)) >= want
         && !ks_sync_engine_get_syncing (ks_session_get_sync (session));
}

static gboolean
was_painted (gpointer data)
{
  return painted;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static KsApplication *
start_app (const char *url,
           const char *email)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  KsApplication *app;

  g_settings_set_string (settings, "tile-url", "kerbside:builtin");
  g_settings_set_string (settings, "server-url", url);
  g_settings_set_string (settings, "last-email", email ? email : "");

  app = ks_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  return app;
}

/* The first process: sign in and sync everything into the cache. */
static int
prepare (const char *url,
         guint       n)
{
  g_autoptr(KsApplication) app = start_app (url, NULL);
  KsSignInPage *page;

  window = ks_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
  ks_sign_in_page_set_server (page, url);
  ks_sign_in_page_set_email (page, "inspector@demo.invalid");
  ks_sign_in_page_set_password (page, KS_TEST_PASSWORD);
  ks_sign_in_page_submit (page, FALSE);
  if (!ks_test_wait_for (reports_ready, GUINT_TO_POINTER (n), 900))
    {
      g_printerr ("The first sync did not finish.\n");
      return 1;
    }
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
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
  g_autoptr(KsApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *n_text = NULL;
  KsTestServer *server;
  GdkFrameClock *clock;
  guint n = 100000, seconds = 60, slices;
  double total = 0, worst = 0;
  guint total_wakeups = 0;

  if (g_getenv ("KS_BENCH_REPORTS"))
    n = (guint) g_ascii_strtoull (g_getenv ("KS_BENCH_REPORTS"), NULL, 10);
  if (g_getenv ("KS_BENCH_IDLE_SECONDS"))
    seconds = MAX (SLICE_SECONDS, (guint) g_ascii_strtoull (g_getenv ("KS_BENCH_IDLE_SECONDS"), NULL, 10));
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (argc == 4 && g_str_equal (argv[1], "--prepare"))
    {
      gtk_init ();
      adw_init ();
      return prepare (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
    }

  dir = ks_test_init_env ();
  server = ks_test_server_new (dir, (int) n);
  n_text = g_strdup_printf ("%u", n);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            argv[0], "--prepare", server->url, n_text, NULL);
  if (child == NULL || !g_subprocess_wait_check (child, NULL, &error))
    g_error ("Preparing the cache failed: %s", error->message);

  gtk_init ();
  adw_init ();
  app = start_app (server->url, "inspector@demo.invalid");
  window = ks_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  if (!ks_test_wait_for (reports_ready, GUINT_TO_POINTER (n), 300))
    g_error ("The app did not show the cached reports.");
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  ks_test_wait_for (was_painted, NULL, 30);
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

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

#include "ks-application.h"
#include "ks-sign-in-page.h"
#include "ks-test-server.h"
#include "ks-window.h"

static KsWindow *window;
static gboolean  painted;

static gboolean
reports_ready (gpointer data)
{
  KsSession *session = ks_window_get_session (window);
  guint want = GPOINTER_TO_UINT (data);

  return g_strcmp0 (ks_window_get_page (window), "main") == 0
         /* Every report synced (the window first shows the open ones). */
         && g_list_model_get_n_items (ks_session_get_reports (session)) >= want
         && (want <= 1 || !ks_sync_engine_get_syncing (ks_session_get_sync (session)));
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
  gint64 t0;

  window = ks_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));
  ks_sign_in_page_set_server (page, url);
  ks_sign_in_page_set_email (page, "inspector@demo.invalid");
  ks_sign_in_page_set_password (page, KS_TEST_PASSWORD);

  t0 = g_get_monotonic_time ();
  ks_sign_in_page_submit (page, FALSE);
  if (!ks_test_wait_for (reports_ready, GUINT_TO_POINTER (n), 900))
    {
      g_printerr ("The first sync did not finish.\n");
      return 1;
    }
  printf ("first sync of %u reports through the app: %.0f ms\n",
          g_list_model_get_n_items (ks_session_get_reports (ks_window_get_session (window))),
          (g_get_monotonic_time () - t0) / 1000.0);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KsApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *n_text = NULL;
  KsTestServer *server;
  GdkFrameClock *clock;
  guint n = 100000;
  gint64 t0, t_main, t_frame;
  long rss;

  if (g_getenv ("KS_BENCH_REPORTS"))
    n = (guint) g_ascii_strtoull (g_getenv ("KS_BENCH_REPORTS"), NULL, 10);
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (argc == 4 && g_str_equal (argv[1], "--prepare"))
    {
      gtk_init ();
      adw_init ();
      return prepare (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
    }

  dir = ks_test_init_env ();
  t0 = g_get_monotonic_time ();
  server = ks_test_server_new (dir, (int) n);
  printf ("demo database of %u reports: %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);

  n_text = g_strdup_printf ("%u", n);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            argv[0], "--prepare", server->url, n_text, NULL);
  if (child == NULL || !g_subprocess_wait_check (child, NULL, &error))
    g_error ("Preparing the cache failed: %s", error->message);

  /* The measured start: the cache holds every report. */
  t0 = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();
  app = start_app (server->url, "inspector@demo.invalid");
  window = ks_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  if (!ks_test_wait_for (reports_ready, GUINT_TO_POINTER (1), 120))
    g_error ("The app did not show the cached reports.");
  t_main = g_get_monotonic_time ();

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  ks_test_wait_for (was_painted, NULL, 30);
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

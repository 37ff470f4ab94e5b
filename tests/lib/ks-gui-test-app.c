/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-app.c: the stage of a GUI test (server, application, windows)
 * and signing in and out through the sign-in page. */
#define G_LOG_DOMAIN "ks-test"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-sign-in-page.h"

static KsTestServer  *server;
static KsApplication *app;

/* A failed assertion aborts: stop the server first, so that it does not
 * outlive the test. */
static void
on_abort (int sig)
{
  if (server && server->proc)
    g_subprocess_send_signal (server->proc, SIGTERM);
  signal (sig, SIG_DFL);
  raise (sig);
}

KsApplication *
ks_gui_test_app_new (const char *server_url,
                     const char *last_email)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  KsApplication *application;

  g_settings_set_string (settings, "tile-url", "kerbside:builtin");
  g_settings_set_string (settings, "server-url", server_url ? server_url : "");
  g_settings_set_string (settings, "last-email", last_email ? last_email : "");

  application = ks_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, &error))
    g_error ("%s", error->message);
  return application;
}

/* GTK 4.8's list view warns when a filter change makes it move its scroll
 * position to a row it has not laid out yet, and then ignores that move:
 * nothing the app does or shows depends on it. Every other warning and
 * critical stays fatal, as gtk_test_init() makes them. */
static gboolean
is_toolkit_scroll_warning (const GLogField *fields,
                           gsize            n_fields)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
    }
  return g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
         strstr (message, "failed to scroll to given position") != NULL;
}

static GLogWriterOutput
test_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_default (log_level, fields, n_fields, user_data);

  if ((log_level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL)) &&
      !is_toolkit_scroll_warning (fields, n_fields))
    abort ();
  return out;
}

KsTestServer *
ks_gui_test_init (int    *argc,
                  char ***argv,
                  int     n_reports)
{
  g_autofree char *dir = ks_test_init_env ();
  const char *shots = g_getenv ("KS_SCREENSHOT_DIR");

  g_setenv ("GTK_A11Y", "none", TRUE);
  ks_gui_set_screenshot_dir (shots ? shots : dir);

  gtk_test_init (argc, argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_ERROR);
  g_log_set_writer_func (test_log_writer, NULL, NULL);
  adw_init ();

  server = ks_test_server_new_with_clock (dir, n_reports);
  signal (SIGABRT, on_abort);
  signal (SIGTERM, on_abort);

  app = ks_gui_test_app_new (NULL, NULL);
  return server;
}

KsTestServer *
ks_gui_test_server (void)
{
  return server;
}

KsApplication *
ks_gui_test_app (void)
{
  return app;
}

KsWindow *
ks_gui_test_new_window (int width,
                        int height)
{
  KsWindow *window = ks_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

int
ks_gui_test_run (void)
{
  int ret = g_test_run ();
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (GTK_APPLICATION (app));
    }
  ks_test_server_free (server);
  server = NULL;
  g_clear_object (&app);
  return ret;
}

gboolean
ks_gui_page_is (KsWindow   *window,
                const char *page)
{
  return g_strcmp0 (ks_window_get_page (window), page) == 0;
}

gboolean
ks_gui_main_shown (gpointer window)
{
  return ks_gui_page_is (window, "main");
}

gboolean
ks_gui_sign_in_idle (gpointer window)
{
  return ks_gui_page_is (window, "sign-in")
         && !ks_sign_in_page_get_busy (KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window)));
}

gboolean
ks_gui_reports_shown (gpointer window)
{
  KsSession *session = ks_window_get_session (window);

  return session && ks_session_is_signed_in (session)
         && g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (session))) > 0
         && !ks_sync_engine_get_syncing (ks_session_get_sync (session));
}

gboolean
ks_gui_reports_ready (KsWindow *window,
                      guint     want,
                      gboolean  synced)
{
  KsSession *session = ks_window_get_session (window);

  return ks_gui_page_is (window, "main")
         && g_list_model_get_n_items (ks_session_get_reports (session)) >= want
         && (!synced || !ks_sync_engine_get_syncing (ks_session_get_sync (session)));
}

void
ks_gui_fill_sign_in (KsWindow   *window,
                     const char *email,
                     const char *password)
{
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));

  if (g_strcmp0 (ks_sign_in_page_get_step (page), "password") != 0)
    ks_sign_in_page_set_step (page, "password");
  ks_sign_in_page_set_server (page, server->url);
  ks_sign_in_page_set_email (page, email);
  ks_sign_in_page_set_password (page, password);
  ks_sign_in_page_submit (page, FALSE);
}

void
ks_gui_sign_in_as (KsWindow   *window,
                   const char *email)
{
  KsSession *session = ks_window_get_session (window);

  if (ks_gui_page_is (window, "main") && session && ks_session_is_signed_in (session))
    {
      if (g_strcmp0 (ks_session_get_user_email (session), email) == 0)
        {
          g_assert_true (ks_test_wait_for (ks_gui_reports_shown, window, 120));
          return;
        }
      ks_gui_sign_out (window);
    }
  ks_gui_fill_sign_in (window, email, KS_TEST_PASSWORD);
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  if (!ks_test_wait_for (ks_gui_reports_shown, window, 120))
    {
      session = ks_window_get_session (window);
      g_test_message ("as %s: signed in %d, shown %u of %u, syncing %d, page %s", email,
                      session && ks_session_is_signed_in (session),
                      session ? g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (session))) : 0,
                      session ? g_list_model_get_n_items (ks_session_get_reports (session)) : 0,
                      session && ks_sync_engine_get_syncing (ks_session_get_sync (session)),
                      ks_window_get_page (window));
      g_assert_not_reached ();
    }
}

void
ks_gui_sign_out (KsWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  g_assert_true (ks_test_wait_for (ks_gui_sign_in_idle, window, 30));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-site-message.c: the council's site message in the app. An
 * administrator writes it (with an end) on the Council page of the
 * administration; after a sync the banner at the top of the main window shows
 * it, and another member of staff sees it as soon as they sign in; an end that
 * cannot be read is refused there with nothing sent; removed, the banner goes
 * at the next sync. The real window against a real kerbside-server on
 * loopback; screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-site-message"

#include "config.h"

#include <adwaita.h>

#include "ks-admin-window.h"
#include "ks-gui-test-admin.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-site-banner.h"
#include "ks-site-message-editor.h"
#include "ks-test-http.h"

#define N_REPORTS 50
#define ADMIN "admin@demo.invalid"
#define INSPECTOR "inspector@demo.invalid"
#define MESSAGE "Out of hours: urgent faults to the duty officer on 01865 000000."

static KsTestServer *server;
static KsWindow     *window;

static KsSiteBanner *
banner (void)
{
  return KS_SITE_BANNER (ks_gui_find_type (GTK_WIDGET (window), KS_TYPE_SITE_BANNER));
}

static gboolean
banner_shows (gpointer data)
{
  return g_strcmp0 (ks_site_banner_get_text (banner ()), data) == 0;
}

static gboolean
editor_idle (gpointer data)
{
  return !ks_site_message_editor_get_busy (data);
}

/* The administration's Council page, open, and its site message group loaded. */
static KsSiteMessageEditor *
open_editor (GtkWidget **admin_out)
{
  GtkWidget *admin;
  KsSiteMessageEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", NULL));
  admin = GTK_WIDGET (ks_gui_test_admin_window (window));
  g_assert_nonnull (admin);
  ks_admin_window_show_page (KS_ADMIN_WINDOW (admin), "council");
  editor = KS_SITE_MESSAGE_EDITOR (ks_gui_find_type (admin, KS_TYPE_SITE_MESSAGE_EDITOR));
  g_assert_nonnull (editor);
  g_assert_true (ks_test_wait_for (editor_idle, editor, 60));
  *admin_out = admin;
  return editor;
}

static void
sync_until_banner (const char *want)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  if (!ks_test_wait_for (banner_shows, (gpointer) want, 60))
    {
      g_test_message ("the banner shows “%s”, not “%s”", ks_site_banner_get_text (banner ()), want);
      g_assert_not_reached ();
    }
}

static void
test_set_seen_removed (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (ks_test_server_now (server));
  g_autoptr(GDateTime) end = g_date_time_add_days (now, 2);
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%d %H:%M");
  g_autoptr(JsonObject) answer = NULL;
  KsSiteMessageEditor *editor;
  GtkWidget *admin;
  JsonObject *message;

  ks_gui_sign_in_as (window, ADMIN);
  g_assert_null (ks_site_banner_get_text (banner ()));

  /* An end that cannot be read is refused in the window; nothing is sent. */
  editor = open_editor (&admin);
  ks_site_message_editor_set_text (editor, MESSAGE);
  ks_site_message_editor_set_until (editor, "next Tuesday");
  ks_site_message_editor_save (editor);
  g_assert_nonnull (ks_site_message_editor_get_error (editor));
  g_assert_false (ks_site_message_editor_get_busy (editor));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/site-message",
                                        ks_client_get_token (ks_session_get_client (ks_window_get_session (window))),
                                        NULL, &answer), ==, 200);
  g_assert_true (json_node_is_null (json_object_get_member (answer, "site_message")));
  g_clear_pointer (&answer, json_object_unref);

  /* Written with an end two days away. */
  ks_site_message_editor_set_until (editor, end_text);
  ks_site_message_editor_save (editor);
  g_assert_true (ks_test_wait_for (editor_idle, editor, 60));
  g_assert_null (ks_site_message_editor_get_error (editor));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/site-message",
                                        ks_client_get_token (ks_session_get_client (ks_window_get_session (window))),
                                        NULL, &answer), ==, 200);
  message = json_object_get_object_member (answer, "site_message");
  g_assert_cmpstr (json_object_get_string_member (message, "text"), ==, MESSAGE);
  g_assert_nonnull (json_object_get_string_member (message, "until"));
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (editor), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj = scroller ? gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)) : NULL;

    /* The group's fields at the bottom of the page, for the screenshot. */
    ks_test_iterate (200);
    if (adj != NULL)
      gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    ks_test_iterate (200);
  }
  ks_gui_wait_painted (admin, 5);
  g_free (ks_gui_save_screenshot_whole (admin, "admin-site-message.png"));
  gtk_window_destroy (GTK_WINDOW (admin));

  /* The banner shows it after the next sync. */
  sync_until_banner (MESSAGE);
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "site-message-banner.png"));

  /* Another member of staff sees it on signing in. */
  ks_gui_sign_in_as (window, INSPECTOR);
  g_assert_true (ks_test_wait_for (banner_shows, (gpointer) MESSAGE, 60));

  /* Removed by the administrator: gone at the next sync. */
  ks_gui_sign_in_as (window, ADMIN);
  g_assert_cmpstr (ks_site_banner_get_text (banner ()), ==, MESSAGE);
  editor = open_editor (&admin);
  ks_site_message_editor_remove (editor);
  g_assert_true (ks_test_wait_for (editor_idle, editor, 60));
  g_assert_null (ks_site_message_editor_get_error (editor));
  gtk_window_destroy (GTK_WINDOW (admin));
  sync_until_banner (NULL);
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "site-message-removed.png"));
  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/site-message/set-seen-removed", test_set_seen_removed);

  return ks_gui_test_run ();
}

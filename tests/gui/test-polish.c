/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-polish.c: the small things staff notice, checked on the widgets of the
 * real window against a real server with 1,500 reports: counts grouped by
 * thousands, the median time to fix in days, values that stand out in
 * property rows, Moderate not styled as destructive, the s / u / p shortcuts,
 * the account page's role and its Sign Out Everywhere Else with no other
 * session, the tile source as a choice, the dashboard table growing with the
 * page instead of scrolling inside it, header capitalisation. Screenshots go to
 * KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-polish"

#include "config.h"

#include <adwaita.h>

#include "ks-account-window.h"
#include "ks-admin-window.h"
#include "ks-dashboard-window.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-number-format.h"
#include "ks-preferences-window.h"
#include "ks-report-detail.h"

#define N_REPORTS 1500

static KsTestServer  *server;
static KsWindow      *window;

static gboolean
all_reports_synced (gpointer data)
{
  return ks_gui_reports_ready (window, N_REPORTS, TRUE);
}

/* Signed in as email with every report of the server synced. */
static void
sign_in_as (const char *email)
{
  ks_gui_sign_in_as (window, email);
  g_assert_true (ks_test_wait_for (all_reports_synced, NULL, 180));
}

/* The shortcut bound to action (and its parameter, if any) in the window class. */
static char *
shortcut_for (const char *action,
              const char *param)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
          GtkShortcutAction *a = gtk_shortcut_get_action (shortcut);
          GVariant *args = gtk_shortcut_get_arguments (shortcut);

          if (GTK_IS_NAMED_ACTION (a) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (a)), action) == 0 &&
              (param == NULL || (args && g_strcmp0 (g_variant_get_string (args, NULL), param) == 0)))
            return gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
        }
    }
  return NULL;
}

static GtkWindow *
find_transient_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (w) == GTK_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static GtkWidget *
find_with_class (GtkWidget  *root,
                 GType       type,
                 const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_with_class (c, type, css_class);
      if (found)
        return found;
    }
  return NULL;
}

static int
natural_height (GtkWidget *widget)
{
  int min = 0, nat = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  return nat;
}

static void
test_formats (void)
{
  g_autofree char *a = ks_format_count (0);
  g_autofree char *b = ks_format_count (999);
  g_autofree char *c = ks_format_count (1000);
  g_autofree char *d = ks_format_count (1234567);
  g_autofree char *e = ks_format_count (-45000);
  g_autofree char *h = ks_format_duration (478.1);
  g_autofree char *f = ks_format_duration (5.25);
  g_autofree char *s1 = ks_admin_sentence_case ("Staff Account");
  g_autofree char *s2 = ks_admin_sentence_case ("API Key");

  g_assert_cmpstr (a, ==, "0");
  g_assert_cmpstr (b, ==, "999");
  g_assert_cmpstr (c, ==, "1,000");
  g_assert_cmpstr (d, ==, "1,234,567");
  g_assert_cmpstr (e, ==, "-45,000");
  g_assert_cmpstr (h, ==, "19.9 days");
  g_assert_cmpstr (f, ==, "5.2 hours");
  g_assert_cmpstr (s1, ==, "Staff account");
  g_assert_cmpstr (s2, ==, "API key");
}

static void
test_sign_in_title (void)
{
  GtkWidget *page = ks_window_get_sign_in_page (window);

  g_assert_nonnull (ks_gui_find_label (page, "Sign In to Kerbside"));
  g_assert_null (ks_gui_find_label (page, "Sign in"));
}

static void
test_window_and_detail (void)
{
  KsReportDetail *detail;
  GtkWidget *row, *title, *subtitle, *moderate, *hide, *dialog;
  g_autoptr(KsReport) report = NULL;
  g_autofree char *s = NULL, *u = NULL, *p = NULL;
  g_autofree char *count = NULL;
  gint64 id;

  sign_in_as ("admin@demo.invalid");
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  ks_test_iterate (300);

  /* The header's count, grouped. */
  {
    KsSession *session = ks_window_get_session (window);
    g_autofree char *shown = ks_format_count (g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (session))));

    g_assert_cmpuint (g_list_model_get_n_items (ks_session_get_reports (session)), ==, N_REPORTS);
    count = g_strdup_printf ("%s of %s", shown, "1,500");
    g_test_message ("header count: %s", count);
  }
  g_assert_nonnull (ks_gui_find_label (GTK_WIDGET (window), count));

  report = g_list_model_get_item (ks_session_get_reports (ks_window_get_session (window)), 0);
  id = ks_report_get_id (report);
  ks_window_show_report (window, id);
  ks_test_iterate (500);
  detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));

  /* A property row: the value (subtitle) is the bigger text. */
  row = find_with_class (GTK_WIDGET (detail), ADW_TYPE_ACTION_ROW, "property");
  g_assert_nonnull (row);
  title = find_with_class (row, GTK_TYPE_LABEL, "title");
  subtitle = find_with_class (row, GTK_TYPE_LABEL, "subtitle");
  g_assert_nonnull (title);
  g_assert_nonnull (subtitle);
  g_test_message ("property row %s: label %d px, value %d px", gtk_label_get_text (GTK_LABEL (title)),
                  natural_height (title), natural_height (subtitle));
  g_assert_cmpint (natural_height (subtitle), >, natural_height (title));

  /* Moderate is an edit; only Hide is destructive. */
  moderate = ks_report_detail_get_action_button (detail, "moderate");
  hide = ks_report_detail_get_action_button (detail, "hide");
  g_assert_nonnull (moderate);
  g_assert_nonnull (hide);
  g_assert_false (gtk_widget_has_css_class (moderate, "destructive-action"));
  g_assert_true (gtk_widget_has_css_class (hide, "destructive-action"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "map-detail-1920.png");
  ks_window_set_view (window, "list");
  ks_test_iterate (300);
  ks_gui_save_screenshot (GTK_WIDGET (window), "list-detail-1920.png");
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  ks_test_iterate (500);
  ks_gui_save_screenshot (GTK_WIDGET (window), "list-detail-1366.png");
  ks_window_set_view (window, "map");

  /* s, u, p open State, Update and Prioritise. */
  s = shortcut_for ("win.detail-action", "state");
  u = shortcut_for ("win.detail-action", "update");
  p = shortcut_for ("win.detail-action", "priority");
  g_assert_cmpstr (s, ==, "s");
  g_assert_cmpstr (u, ==, "u");
  g_assert_cmpstr (p, ==, "p");
  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "state", "update", "priority" };

      g_assert_null (find_transient_dialog ());
      gtk_widget_activate_action (GTK_WIDGET (window), "win.detail-action", "s", names[i]);
      ks_test_iterate (300);
      dialog = GTK_WIDGET (find_transient_dialog ());
      g_test_message ("%s opens %s", names[i], dialog ? G_OBJECT_TYPE_NAME (dialog) : "nothing");
      g_assert_nonnull (dialog);
      {
        g_autofree char *name = g_strdup_printf ("dialog-%s.png", names[i]);
        ks_gui_save_screenshot (dialog, name);
      }
      gtk_window_destroy (GTK_WINDOW (dialog));
      ks_test_iterate (100);
    }
}

static gboolean
dashboard_loaded (gpointer data)
{
  KsDashboardWindow *dash = data;

  return g_strcmp0 (ks_dashboard_window_get_state (dash), "content") == 0
         && g_strcmp0 (ks_dashboard_window_get_stats_state (dash), "table") == 0;
}

static void
test_dashboard (void)
{
  KsDashboardWindow *dash;
  GtkWidget *view, *scroller;
  GtkAdjustment *vadj;
  const char *median;

  sign_in_as ("admin@demo.invalid");
  dash = KS_DASHBOARD_WINDOW (ks_dashboard_window_show (GTK_WINDOW (window), ks_window_get_session (window)));

  gtk_window_set_default_size (GTK_WINDOW (dash), 1000, 700);
  g_assert_true (ks_test_wait_for (dashboard_loaded, dash, 60));
  ks_dashboard_window_set_grouping (dash, "ward");
  ks_test_iterate (200);
  g_assert_true (ks_test_wait_for (dashboard_loaded, dash, 60));
  ks_test_iterate (500);

  g_assert_nonnull (ks_gui_find_label (GTK_WIDGET (dash), "Median time to fix (last 90 days)"));
  g_assert_null (ks_gui_find_label (GTK_WIDGET (dash), "hours to fix"));
  median = ks_dashboard_window_get_card_value (dash, "median");
  g_test_message ("median: %s", median);
  g_assert_true (g_str_equal (median, "—") || g_str_has_suffix (median, " days") ||
                 g_str_has_suffix (median, " hours"));

  /* The table is as tall as its rows: nothing scrolls inside it. */
  view = ks_dashboard_window_get_stats_view (dash);
  scroller = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_test_message ("table: upper %.0f, page %.0f, rows %u", gtk_adjustment_get_upper (vadj),
                  gtk_adjustment_get_page_size (vadj),
                  g_list_model_get_n_items (ks_dashboard_window_get_stats_model (dash)));
  g_assert_cmpuint (g_list_model_get_n_items (ks_dashboard_window_get_stats_model (dash)), >, 8);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj), <=, 1.0);
  
  ks_gui_save_screenshot (GTK_WIDGET (dash), "polish-dashboard.png");
  gtk_window_destroy (GTK_WINDOW (dash));
}

static gboolean
sessions_loaded (gpointer data)
{
  return ks_account_window_get_n_sessions (data) >= 0;
}

static void
test_account (void)
{
  GtkWidget *account;
  GtkWidget *label, *row, *button;

  sign_in_as ("admin@demo.invalid");
  account = ks_window_show_account (window);
  g_assert_nonnull (account);
  ks_test_iterate (300);
  label = ks_gui_find_label (account, "Role");
  g_assert_nonnull (label);
  row = gtk_widget_get_ancestor (label, ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Administrators");

  g_assert_true (ks_test_wait_for (sessions_loaded, account, 30));
  g_assert_cmpint (ks_account_window_get_n_sessions (KS_ACCOUNT_WINDOW (account)), ==, 1);
  label = ks_gui_find_label (account, "Sign Out Everywhere Else");
  g_assert_nonnull (label);
  button = gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
  g_assert_false (gtk_widget_get_sensitive (button));
  ks_gui_save_screenshot (account, "polish-account.png");
  gtk_window_destroy (GTK_WINDOW (account));
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) def = g_settings_get_default_value (settings, "tile-url");
  GtkWidget *prefs, *choice, *custom;
  g_autofree char *url = NULL;

  g_settings_set_string (settings, "tile-url", "kerbside:builtin");
  prefs = ks_preferences_window_new (settings);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
  ks_test_iterate (300);
  choice = ks_gui_find_named (prefs, "tile-choice");
  custom = ks_gui_find_named (prefs, "tile-custom");
  g_assert_true (ADW_IS_COMBO_ROW (choice));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (choice)), ==, 0);
  g_assert_false (gtk_widget_get_visible (custom));
  g_assert_null (ks_gui_find_label (prefs, "kerbside:builtin"));
  ks_gui_save_screenshot (prefs, "polish-preferences.png");

  adw_combo_row_set_selected (ADW_COMBO_ROW (choice), 1);
  url = g_settings_get_string (settings, "tile-url");
  g_assert_cmpstr (url, ==, g_variant_get_string (def, NULL));
  g_assert_false (gtk_widget_get_visible (custom));

  adw_combo_row_set_selected (ADW_COMBO_ROW (choice), 2);
  g_assert_true (gtk_widget_get_visible (custom));
  gtk_editable_set_text (GTK_EDITABLE (custom), "tiles.example/{z}");
  g_signal_emit_by_name (custom, "apply");
  g_assert_true (gtk_widget_has_css_class (custom, "error"));
  g_free (url);
  url = g_settings_get_string (settings, "tile-url");
  g_assert_cmpstr (url, ==, g_variant_get_string (def, NULL));
  gtk_editable_set_text (GTK_EDITABLE (custom), "https://tiles.example/{z}/{x}/{y}.png");
  g_signal_emit_by_name (custom, "apply");
  g_free (url);
  url = g_settings_get_string (settings, "tile-url");
  g_assert_cmpstr (url, ==, "https://tiles.example/{z}/{x}/{y}.png");

  adw_combo_row_set_selected (ADW_COMBO_ROW (choice), 0);
  g_free (url);
  url = g_settings_get_string (settings, "tile-url");
  g_assert_cmpstr (url, ==, "kerbside:builtin");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1366, 768);

  g_test_add_func ("/polish/formats", test_formats);
  g_test_add_func ("/polish/sign-in-title", test_sign_in_title);
  g_test_add_func ("/polish/window-and-detail", test_window_and_detail);
  g_test_add_func ("/polish/dashboard", test_dashboard);
  g_test_add_func ("/polish/account", test_account);
  g_test_add_func ("/polish/preferences", test_preferences);

  return ks_gui_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dashboard-admin.c: the dashboard and administration windows in the real
 * app against a real kerbside-server on loopback with demo data: the summary
 * cards show the server's counts (checked with a second HTTP client), the
 * timeline and statistics match the server's, another period (7 or 90 days)
 * brings its own chart and response times, the CSV export lands in a file;
 * as an administrator a category and a template made through the admin window
 * are there over HTTP; Customer Services has the dashboard but no
 * Administration; an Inspector has no Administration until given a single
 * permission, and then only that page. Screenshots go under the build
 * directory (KS_SCREENSHOT_DIR). */
#define G_LOG_DOMAIN "test-dashboard-admin"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ks-test-http.h"
#include "ks-gui-test.h"
#include "ks-gui-test-admin.h"
#include "ks-gui-test-app.h"
#include "ks-admin-window.h"
#include "ks-states.h"
#include "ks-dashboard-window.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-sign-in-page.h"
#include "ks-stats-row.h"
#include "ks-timeline-chart.h"

#define N_REPORTS 300
#define INSPECTOR "inspector@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define ADMIN "admin@demo.invalid"

static KsTestServer  *server;
static KsWindow      *window;

/* Helpers */

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_free (ks_gui_save_screenshot_whole (widget, name));
}

static KsSession *
session (void)
{
  return ks_window_get_session (window);
}

/* The item of the window's menus that reads `label` (mnemonic dropped), or NULL. */
static GtkWidget *
menu_item (GtkWidget  *root,
           const char *label)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (root), "GtkModelButton"))
    {
      g_autofree char *text = NULL;

      g_object_get (root, "text", &text, NULL);
      if (g_strcmp0 (text, label) == 0)
        return root;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = menu_item (c, label);

      if (found)
        return found;
    }
  return NULL;
}

/* Whether the window's action win.NAME is enabled, as the main menu shows it:
 * its item (hidden-when="action-disabled") is there only while it is. */
static gboolean
action_enabled (const char *name)
{
  static const struct { const char *name, *label; } items[] = {
    { "dashboard", "Dashboard" },
    { "administration", "Administration" },
  };
  GtkWidget *item = NULL;

  for (guint i = 0; item == NULL && i < G_N_ELEMENTS (items); i++)
    if (g_str_equal (items[i].name, name))
      item = menu_item (GTK_WIDGET (window), items[i].label);
  return item != NULL && gtk_widget_get_visible (item) && gtk_widget_get_sensitive (item);
}

/* The window of a type that the main window's action opened. */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_window_get_transient_for (w) == GTK_WINDOW (window))
        return GTK_WIDGET (w);
    }
  return NULL;
}

/* TRUE when the menu has an item for `action` that hides when it is disabled. */
static gboolean
menu_item_hides (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *a = NULL;
      g_autofree char *hidden = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section && menu_item_hides (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, "action", "s", &a) && g_str_equal (a, action) &&
          g_menu_model_get_item_attribute (menu, i, "hidden-when", "s", &hidden))
        return g_str_equal (hidden, "action-disabled");
    }
  return FALSE;
}

/* The main window's menus (its .ui holds a template, so only the menu part). */
static GtkBuilder *
main_menu_builder (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/org/kerbside/Kerbside/ks-window.ui", 0, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *start = strstr (text, "<menu id=\"primary_menu\">");
  const char *end = start ? strstr (start, "</menu>") : NULL;
  g_autofree char *menu = NULL;
  g_autofree char *ui = NULL;
  GtkBuilder *builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (end);
  menu = g_strndup (start, end + strlen ("</menu>") - start);
  ui = g_strdup_printf ("<interface>%s</interface>", menu);
  g_assert_true (gtk_builder_add_from_string (builder, ui, -1, &error));
  g_assert_no_error (error);
  return builder;
}

static gboolean
dashboard_settled (gpointer data)
{
  const char *state = ks_dashboard_window_get_state (data);

  return g_strcmp0 (state, "loading") != 0 &&
         g_strcmp0 (ks_dashboard_window_get_stats_state (data), "loading") != 0;
}

static gboolean
not_exporting (gpointer data)
{
  return !ks_dashboard_window_get_exporting (data);
}

static KsDashboardWindow *
open_dashboard (void)
{
  KsDashboardWindow *dash;

  g_assert_true (action_enabled ("dashboard"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dashboard", NULL));
  dash = KS_DASHBOARD_WINDOW (find_toplevel (KS_TYPE_DASHBOARD_WINDOW));
  g_assert_nonnull (dash);
  g_assert_true (ks_test_wait_for (dashboard_settled, dash, 60));
  if (ks_dashboard_window_get_error (dash))
    g_error ("Dashboard: %s", ks_dashboard_window_get_error (dash));
  g_assert_cmpstr (ks_dashboard_window_get_state (dash), ==, "content");
  g_assert_cmpstr (ks_dashboard_window_get_stats_state (dash), ==, "table");
  return dash;
}

static void
check_card (KsDashboardWindow *dash,
            const char        *card,
            JsonObject        *o,
            const char        *member)
{
  g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, member));

  g_test_message ("card %s: %s (server %s)", card, ks_dashboard_window_get_card_value (dash, card), expected);
  g_assert_cmpstr (ks_dashboard_window_get_card_value (dash, card), ==, expected);
}

/* The dashboard's cards are the server's summary. */
static void
check_summary (KsDashboardWindow *dash)
{
  g_autoptr(JsonObject) summary = NULL;
  JsonObject *by_kind;
  JsonNode *median;

  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/dashboard/summary", ks_gui_test_token (window), NULL, &summary), ==, 200);
  by_kind = json_object_get_object_member (summary, "by_kind");
  g_assert_cmpint (json_object_get_int_member (summary, "total"), >, 0);
  check_card (dash, "open", by_kind, "open");
  check_card (dash, "fixed", by_kind, "fixed");
  check_card (dash, "closed", by_kind, "closed");
  check_card (dash, "unacknowledged", summary, "unacknowledged_open");
  check_card (dash, "created-7", summary, "created_last_7_days");
  check_card (dash, "created-30", summary, "created_last_30_days");
  check_card (dash, "fixed-7", summary, "fixed_last_7_days");
  check_card (dash, "fixed-30", summary, "fixed_last_30_days");
  median = json_object_get_member (summary, "median_hours_to_fix_90_days");
  if (JSON_NODE_HOLDS_VALUE (median))
    {
      double hours = json_node_get_double (median);
      g_autofree char *expected = hours >= 24 ? g_strdup_printf ("%.1f days", hours / 24)
                                              : g_strdup_printf ("%.1f hours", hours);
      g_assert_cmpstr (ks_dashboard_window_get_card_value (dash, "median"), ==, expected);
    }
  else
    g_assert_cmpstr (ks_dashboard_window_get_card_value (dash, "median"), ==, "—");
}

/* The chart shows the server's timeline of the last n_days days. */
static void
check_timeline (KsDashboardWindow *dash,
                guint              n_days)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/dashboard/timeline?days=%u", n_days);
  KsTimelineChart *chart = KS_TIMELINE_CHART (ks_dashboard_window_get_timeline (dash));
  JsonArray *days;
  gint64 created = 0, fixed = 0;

  g_assert_cmpuint (ks_test_api_status (server->url, "GET", path, ks_gui_test_token (window), NULL, &answer), ==, 200);
  days = json_object_get_array_member (answer, "timeline");
  g_assert_cmpuint (json_array_get_length (days), ==, n_days);
  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      created += json_object_get_int_member (json_array_get_object_element (days, i), "created");
      fixed += json_object_get_int_member (json_array_get_object_element (days, i), "fixed");
    }
  g_test_message ("%u days: %" G_GINT64_FORMAT " created, %" G_GINT64_FORMAT " fixed", n_days, created, fixed);
  g_assert_cmpuint (ks_timeline_chart_get_n_days (chart), ==, n_days);
  g_assert_cmpint (ks_timeline_chart_get_total (chart, FALSE), ==, created);
  g_assert_cmpint (ks_timeline_chart_get_total (chart, TRUE), ==, fixed);
  /* (A week of the small demo may have none.) */
  if (n_days >= 30)
    g_assert_cmpint (created, >, 0);
}

/* What the response times card shows for the server's figures of the last
 * n_days days (asked from now, near enough the window's moment). */
static char *
expected_response_card (const char *token,
                        guint       n_days,
                        gint64     *met)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (ks_test_server_now (server));
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -(gint) n_days);
  g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = g_strdup_printf ("/api/v1/dashboard/response-times?from=%s", from_text);
  g_autoptr(JsonObject) times = NULL;
  JsonObject *overall;
  JsonNode *percent;

  g_assert_cmpuint (ks_test_api_status (server->url, "GET", path, token, NULL, &times), ==, 200);
  overall = json_object_get_object_member (times, "overall");
  percent = json_object_get_member (overall, "met_percent");
  if (met != NULL)
    *met = json_object_get_int_member (overall, "met");
  return JSON_NODE_HOLDS_VALUE (percent)
    ? g_strdup_printf ("%" G_GINT64_FORMAT "%% met · %" G_GINT64_FORMAT " overdue",
                       json_node_get_int (percent), json_object_get_int_member (overall, "overdue"))
    : g_strdup_printf ("— met · %" G_GINT64_FORMAT " overdue", json_object_get_int_member (overall, "overdue"));
}

typedef struct {
  KsDashboardWindow *dash;
  guint              n_days;
  const char        *card;
} PeriodWait;

static gboolean
period_shown (gpointer data)
{
  PeriodWait *w = data;

  return ks_timeline_chart_get_n_days (KS_TIMELINE_CHART (ks_dashboard_window_get_timeline (w->dash))) == w->n_days &&
         g_strcmp0 (ks_dashboard_window_get_card_value (w->dash, "response-times"), w->card) == 0;
}

/* Another period chosen: its heading, the chart's days and the response
 * times card (value and caption) follow, and the rest of the page stays. */
static void
check_period (KsDashboardWindow *dash,
              guint              n_days)
{
  g_autofree char *card = expected_response_card (ks_gui_test_token (window), n_days, NULL);
  g_autofree char *heading = g_strdup_printf ("Last %u Days", n_days);
  g_autofree char *caption = g_strdup_printf ("Response times (last %u days)", n_days);
  g_autofree char *open_before = g_strdup (ks_dashboard_window_get_card_value (dash, "open"));
  PeriodWait w = { dash, n_days, card };

  g_assert_true (ks_dashboard_window_set_period (dash, n_days));
  g_assert_true (ks_test_wait_for (period_shown, &w, 30));
  g_test_message ("%s: card %s", heading, card);
  g_assert_cmpstr (ks_dashboard_window_get_state (dash), ==, "content");
  g_assert_nonnull (ks_gui_find_label_exact (GTK_WIDGET (dash), heading));
  g_assert_nonnull (ks_gui_find_label_exact (GTK_WIDGET (dash), caption));
  g_assert_cmpstr (ks_dashboard_window_get_card_value (dash, "open"), ==, open_before);
  check_timeline (dash, n_days);
}

static gboolean
stats_loaded (gpointer data)
{
  return g_strcmp0 (ks_dashboard_window_get_stats_state (data), "loading") != 0;
}

/* The table holds the server's rows for `by`, sorted by count (largest first). */
static void
check_stats (KsDashboardWindow *dash,
             const char        *by)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/dashboard/stats?by=%s", by);
  GListModel *model;
  JsonArray *rows;
  gint64 total = 0, shown = 0, last = G_MAXINT64;

  ks_dashboard_window_set_grouping (dash, by);
  ks_test_iterate (50);
  g_assert_true (ks_test_wait_for (stats_loaded, dash, 30));
  g_assert_cmpstr (ks_dashboard_window_get_stats_state (dash), ==, "table");
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", path, ks_gui_test_token (window), NULL, &answer), ==, 200);
  rows = json_object_get_array_member (answer, "rows");
  model = ks_dashboard_window_get_stats_model (dash);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, json_array_get_length (rows));
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    total += json_object_get_int_member (json_array_get_object_element (rows, i), "count");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsStatsRow) row = g_list_model_get_item (model, i);

      shown += ks_stats_row_get_count (row);
      g_assert_cmpint (ks_stats_row_get_count (row), <=, last);
      last = ks_stats_row_get_count (row);
    }
  g_assert_cmpint (shown, ==, total);
}

static void
check_export (KsDashboardWindow *dash)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "kerbside-export-test.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  ks_dashboard_window_export_to_file (dash, file);
  g_assert_true (ks_dashboard_window_get_exporting (dash));
  g_assert_true (ks_test_wait_for (not_exporting, dash, 60));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "id,created,category,state,priority,ward,lat,lon,title\r\n"));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, 10);
  g_assert_nonnull (strstr (ks_dashboard_window_get_last_toast (dash), path));
  g_unlink (path);
}

/* Tests */

static void
test_dashboard_admin (void)
{
  KsDashboardWindow *dash;

  ks_gui_sign_in_as (window, ADMIN);
  g_assert_true (action_enabled ("administration"));
  dash = open_dashboard ();
  gtk_window_set_default_size (GTK_WINDOW (dash), 1000, 900);
  check_summary (dash);
  check_timeline (dash, 30);
  g_assert_nonnull (ks_gui_find_label_exact (GTK_WIDGET (dash), "Response times (last 30 days)"));
  check_period (dash, 7);
  check_period (dash, 90);
  screenshot (GTK_WIDGET (dash), "dashboard-90-days.png");
  g_assert_false (ks_dashboard_window_set_period (dash, 365));
  /* Opened again, the dashboard covers the period chosen last. */
  gtk_window_destroy (GTK_WINDOW (dash));
  dash = open_dashboard ();
  gtk_window_set_default_size (GTK_WINDOW (dash), 1000, 900);
  g_assert_nonnull (ks_gui_find_label_exact (GTK_WIDGET (dash), "Last 90 Days"));
  g_assert_nonnull (ks_gui_find_label_exact (GTK_WIDGET (dash), "Response times (last 90 days)"));
  check_timeline (dash, 90);
  check_period (dash, 30);
  check_stats (dash, "state");
  check_stats (dash, "ward");
  check_stats (dash, "priority");
  check_stats (dash, "category");
  screenshot (GTK_WIDGET (dash), "dashboard-admin.png");
  check_export (dash);
  gtk_window_destroy (GTK_WINDOW (dash));
}

static gboolean
admin_idle (gpointer data)
{
  return !ks_admin_window_get_busy (data);
}

/* An editor's box shown in full: the slide to it has ended. */
static gboolean
editor_settled (gpointer data)
{
  GtkWidget *box = data;
  GtkRoot *root = gtk_widget_get_root (box);
  graphene_point_t p = GRAPHENE_POINT_INIT (0, 0), q;

  return root != NULL && gtk_widget_get_mapped (box) &&
         gtk_widget_compute_point (box, GTK_WIDGET (root), &p, &q) && q.x == 0 &&
         gtk_widget_get_width (box) == gtk_widget_get_width (GTK_WIDGET (root));
}

static gboolean
pages_loaded (gpointer data)
{
  g_auto(GStrv) names = ks_admin_window_get_page_names (data);

  for (guint i = 0; names[i]; i++)
    if (ks_admin_window_get_n_rows (data, names[i]) < 0)
      return FALSE;
  return TRUE;
}

static JsonObject *
find_by (JsonObject *list,
         const char *array,
         const char *member,
         const char *value)
{
  JsonArray *a = json_object_get_array_member (list, array);

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (o, member, NULL), value) == 0)
        return o;
    }
  return NULL;
}

/* Two states of the council's own, through the API: one active, one that
 * the council deactivated; the session's lists then fetched again. */
static void
add_council_states (void)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = NULL;
  const char *token = ks_gui_test_token (window);

  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/council-states", token,
                                        "{\"code\": \"tpl_contractor\", \"label\": "
                                        "\"Waiting for the contractor\", \"kind\": \"open\"}",
                                        NULL), ==, 201);
  g_assert_cmpuint (ks_test_api_status (server->url, "POST", "/api/v1/council-states", token,
                                        "{\"code\": \"tpl_old_survey\", \"label\": "
                                        "\"Old survey state\", \"kind\": \"open\"}",
                                        &answer), ==, 201);
  path = g_strdup_printf ("/api/v1/council-states/%" G_GINT64_FORMAT,
                          json_object_get_int_member (answer, "id"));
  g_assert_cmpuint (ks_test_api_status (server->url, "PATCH", path, token, "{\"active\": false}", NULL),
                    ==, 200);
  ks_session_refresh_lists_async (session (), NULL, NULL, NULL);
}

static gboolean
session_knows_states (gpointer data)
{
  const KsState *old = ks_state_lookup ("tpl_old_survey");

  return ks_state_lookup ("tpl_contractor") != NULL && old != NULL && old->inactive;
}

static gboolean
session_knows_category (gpointer data)
{
  JsonArray *categories = ks_session_get_categories (session ());

  for (guint i = 0; i < json_array_get_length (categories); i++)
    if (json_object_get_int_member_with_default (json_array_get_object_element (categories, i), "id", 0) ==
        GPOINTER_TO_INT (data))
      return TRUE;
  return FALSE;
}

static void
test_admin_create (void)
{
  KsAdminWindow *admin;
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonObject) categories = NULL;
  g_autoptr(JsonObject) templates = NULL;
  JsonObject *category, *template;
  JsonArray *groups, *ids;
  gint64 category_id;
  int n_categories;
  char id[32];

  ks_gui_sign_in_as (window, ADMIN);
  /* Two states of the council's own, known to the session before the
   * administration window opens. */
  add_council_states ();
  g_assert_true (ks_test_wait_for (session_knows_states, NULL, 60));
  g_assert_true (action_enabled ("administration"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", NULL));
  admin = KS_ADMIN_WINDOW (find_toplevel (KS_TYPE_ADMIN_WINDOW));
  g_assert_nonnull (admin);
  names = ks_admin_window_get_page_names (admin);
  g_assert_cmpstrv (names, ((const char *[]) { "staff", "roles", "categories", "priorities", "templates",
                                               "email-templates", "api-keys", "states", "open311-destinations", NULL }));
  g_assert_true (ks_test_wait_for (pages_loaded, admin, 30));
  g_assert_cmpint (ks_admin_window_get_n_rows (admin, "staff"), >=, 4);
  g_assert_cmpint (ks_admin_window_get_n_rows (admin, "roles"), >=, 4);
  n_categories = ks_admin_window_get_n_rows (admin, "categories");
  g_assert_cmpint (n_categories, >, 0);
  ks_admin_window_show_page (admin, "staff");
  screenshot (GTK_WIDGET (admin), "admin-staff.png");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "staff", 0));
  ks_admin_window_editor_set (admin, "email", "new.person@demo.invalid");
  ks_admin_window_editor_set (admin, "name", "New Person");
  ks_admin_window_editor_set (admin, "password", "password1");
  screenshot (GTK_WIDGET (admin), "admin-staff-editor.png");
  /* A weak password is refused before anything is sent. */
  ks_admin_window_editor_save (admin);
  g_assert_false (ks_admin_window_get_busy (admin));
  g_assert_nonnull (ks_admin_window_get_editor_error (admin));
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (admin));
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 10));

  /* An editor opened while the slide back from the one before is still
   * running is shown once the slide has ended (libadwaita 1.2 would lose the
   * page it leaves, with a Gtk-CRITICAL). */
  {
    GtkWidget *first = ks_admin_window_open_editor (admin, "staff", 0);
    GtkWidget *next;

    g_assert_true (ks_test_wait_for (editor_settled, first, 30));
    g_signal_emit_by_name (ks_gui_find_named (first, "back"), "clicked");
    g_assert_false (ks_admin_window_editor_open (admin));
    next = ks_admin_window_open_editor (admin, "roles", 1);
    g_assert_true (ks_admin_window_editor_open (admin));
    g_assert_true (ks_test_wait_for (editor_settled, next, 30));
    screenshot (GTK_WIDGET (admin), "admin-editor-after-slide.png");
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (admin));
    g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 10));
  }

  /* A default role opens read-only. */
  ks_admin_window_show_page (admin, "roles");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "roles", 1));
  screenshot (GTK_WIDGET (admin), "admin-role-default.png");
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (admin));
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 10));

  /* A category. */
  ks_admin_window_show_page (admin, "categories");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "categories", 0));
  ks_admin_window_editor_set (admin, "name", "Damaged bollards");
  ks_admin_window_editor_set (admin, "code", "BOLLARD");
  ks_admin_window_editor_set (admin, "groups", "Street furniture, Roads");
  ks_admin_window_editor_set (admin, "private", "true");
  screenshot (GTK_WIDGET (admin), "admin-category-editor.png");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_assert_true (ks_test_wait_for (pages_loaded, admin, 30));
  g_assert_cmpint (ks_admin_window_get_n_rows (admin, "categories"), ==, n_categories + 1);
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/categories", ks_gui_test_token (window), NULL, &categories), ==, 200);
  category = find_by (categories, "categories", "code", "BOLLARD");
  g_assert_nonnull (category);
  g_assert_cmpstr (json_object_get_string_member (category, "name"), ==, "Damaged bollards");
  g_assert_true (json_object_get_boolean_member (category, "private"));
  g_assert_true (json_object_get_boolean_member (category, "active"));
  groups = json_object_get_array_member (category, "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (groups, 0), ==, "Street furniture");
  g_assert_cmpstr (json_array_get_string_element (groups, 1), ==, "Roads");
  category_id = json_object_get_int_member (category, "id");
  screenshot (GTK_WIDGET (admin), "admin-categories.png");

  /* The same code again: the server's sentence, in the editor. */
  g_assert_nonnull (ks_admin_window_open_editor (admin, "categories", 0));
  ks_admin_window_editor_set (admin, "name", "Bollards again");
  ks_admin_window_editor_set (admin, "code", "BOLLARD");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_error, admin, 30));
  g_test_message ("refused: %s", ks_admin_window_get_editor_error (admin));
  g_assert_nonnull (strstr (ks_admin_window_get_editor_error (admin), "BOLLARD"));
  g_assert_true (ks_admin_window_editor_open (admin));
  screenshot (GTK_WIDGET (admin), "admin-category-refused.png");
  /* A required field left empty is caught before sending. */
  ks_admin_window_editor_set (admin, "name", "");
  ks_admin_window_editor_save (admin);
  g_assert_nonnull (strstr (ks_admin_window_get_editor_error (admin), "Name"));
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (admin));
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 10));

  /* A template for the new category (the session's lists know it first). It
   * offers the council's active states, not those it deactivated (made at the
   * start). */
  g_assert_true (ks_test_wait_for (session_knows_category, GINT_TO_POINTER ((int) category_id), 30));
  ks_admin_window_show_page (admin, "templates");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "templates", 0));
  {
    g_auto(GStrv) choices = ks_admin_window_editor_choices (admin, "state");

    g_assert_cmpstr (choices[0], ==, "No change");
    g_assert_true (g_strv_contains ((const char * const *) choices, "Fixed"));
    g_assert_true (g_strv_contains ((const char * const *) choices, "Waiting for the contractor"));
    g_assert_false (g_strv_contains ((const char * const *) choices, "Old survey state"));
  }
  ks_admin_window_editor_set (admin, "title", "Bollard replaced");
  ks_admin_window_editor_set (admin, "text", "Thank you: the bollard of report {{id}} ({{title}}) is replaced.");
  ks_admin_window_editor_set (admin, "state", "fixed");
  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, category_id);
  ks_admin_window_editor_check (admin, "category_ids", id, TRUE);
  screenshot (GTK_WIDGET (admin), "admin-template-editor.png");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/templates", ks_gui_test_token (window), NULL, &templates), ==, 200);
  template = find_by (templates, "templates", "title", "Bollard replaced");
  g_assert_nonnull (template);
  g_assert_cmpstr (json_object_get_string_member (template, "text"), ==,
                   "Thank you: the bollard of report {{id}} ({{title}}) is replaced.");
  g_assert_cmpstr (json_object_get_string_member (template, "state"), ==, "fixed");
  ids = json_object_get_array_member (template, "category_ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 1);
  g_assert_cmpint (json_array_get_int_element (ids, 0), ==, category_id);
  g_assert_true (ks_test_wait_for (admin_idle, admin, 10));
  g_assert_true (ks_test_wait_for (pages_loaded, admin, 30));
  screenshot (GTK_WIDGET (admin), "admin-templates.png");

  /* A priority with its response time and its id in other systems. */
  {
    g_autoptr(JsonObject) priorities = NULL;
    JsonObject *priority;

    ks_admin_window_show_page (admin, "priorities");
    g_assert_nonnull (ks_admin_window_open_editor (admin, "priorities", 0));
    ks_admin_window_editor_set (admin, "name", "Emergency (2 hours)");
    ks_admin_window_editor_set (admin, "response_hours", "2");
    ks_admin_window_editor_set (admin, "external_id", "P1-EMERG");
    screenshot (GTK_WIDGET (admin), "admin-priority-editor.png");
    ks_admin_window_editor_save (admin);
    g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
    g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/priorities", ks_gui_test_token (window), NULL,
                                          &priorities), ==, 200);
    priority = find_by (priorities, "priorities", "name", "Emergency (2 hours)");
    g_assert_nonnull (priority);
    g_assert_cmpint (json_object_get_int_member (priority, "response_hours"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (priority, "external_id"), ==, "P1-EMERG");
    g_assert_true (ks_test_wait_for (admin_idle, admin, 10));
    g_assert_true (ks_test_wait_for (pages_loaded, admin, 30));
    /* The editor's subpage has gone before the next one opens. */
    ks_test_iterate (600);
  }

  /* An API key: created, shown once. */
  ks_admin_window_show_page (admin, "api-keys");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "api-keys", 0));
  ks_admin_window_editor_set (admin, "name", "Test client");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_assert_nonnull (ks_admin_window_get_new_key (admin));
  g_assert_cmpuint (strlen (ks_admin_window_get_new_key (admin)), >=, 20);

  /* Signing out closes it. */
  ks_gui_sign_out (window);
  g_assert_null (find_toplevel (KS_TYPE_ADMIN_WINDOW));
  g_assert_false (action_enabled ("administration"));
  g_assert_false (action_enabled ("dashboard"));
}

static void
test_customer_services (void)
{
  KsDashboardWindow *dash;
  GtkBuilder *builder;

  ks_gui_sign_in_as (window, CUSTOMER_SERVICES);
  g_assert_false (action_enabled ("administration"));
  g_assert_null (ks_admin_window_show (GTK_WINDOW (window), session ()));
  /* The menu item goes with the action. */
  builder = main_menu_builder ();
  g_assert_true (menu_item_hides (G_MENU_MODEL (gtk_builder_get_object (builder, "primary_menu")),
                                  "win.administration"));
  g_assert_true (menu_item_hides (G_MENU_MODEL (gtk_builder_get_object (builder, "primary_menu")),
                                  "win.dashboard"));
  g_object_unref (builder);

  dash = open_dashboard ();
  check_summary (dash);
  check_stats (dash, "category");
  screenshot (GTK_WIDGET (dash), "dashboard-customer-services.png");
  gtk_window_destroy (GTK_WINDOW (dash));
  ks_gui_sign_out (window);
}

static void
test_inspector (void)
{
  g_autofree char *admin_token = ks_test_api_login (server->url, ADMIN);
  g_autoptr(JsonObject) staff = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = NULL;
  KsAdminWindow *admin;
  g_auto(GStrv) names = NULL;
  JsonObject *me;

  ks_gui_sign_in_as (window, INSPECTOR);
  g_assert_false (action_enabled ("administration"));
  g_assert_true (action_enabled ("dashboard"));
  g_assert_null (ks_admin_window_show (GTK_WINDOW (window), session ()));
  ks_gui_sign_out (window);

  /* Given the single permission edit_templates: only the Templates pages (the
   * replies, and the texts of the emails to residents). */
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/staff?q=inspector@", admin_token, NULL, &staff), ==, 200);
  me = find_by (staff, "staff", "email", INSPECTOR);
  g_assert_nonnull (me);
  path = g_strdup_printf ("/api/v1/staff/%" G_GINT64_FORMAT, json_object_get_int_member (me, "id"));
  g_assert_cmpuint (ks_test_api_status (server->url, "PATCH", path, admin_token, "{\"permissions\": [\"edit_templates\"]}", &answer), ==, 200);

  ks_gui_sign_in_as (window, INSPECTOR);
  g_assert_true (action_enabled ("administration"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", NULL));
  admin = KS_ADMIN_WINDOW (find_toplevel (KS_TYPE_ADMIN_WINDOW));
  g_assert_nonnull (admin);
  names = ks_admin_window_get_page_names (admin);
  g_assert_cmpstrv (names, ((const char *[]) { "templates", "email-templates", NULL }));
  g_assert_true (ks_test_wait_for (pages_loaded, admin, 30));
  g_assert_cmpint (ks_admin_window_get_n_rows (admin, "templates"), >, 0);
  screenshot (GTK_WIDGET (admin), "admin-inspector-templates.png");
  ks_gui_sign_out (window);
  g_assert_null (find_toplevel (KS_TYPE_ADMIN_WINDOW));

  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (ks_test_api_status (server->url, "PATCH", path, admin_token, "{\"permissions\": []}", &answer), ==, 200);
}

/* Response times: a category's default priority chosen in its editor, the
 * detail's target line of a report that took it, the dashboard's card. */

static gboolean
detail_shows (gpointer data)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  KsReport *report = ks_report_detail_get_report (detail);

  return report && ks_report_get_id (report) == *(gint64 *) data &&
         ks_report_detail_get_detail (detail) != NULL;
}

static const char *
response_line (gint64 id)
{
  ks_window_set_view (window, "list");
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_shows, &id, 60));
  ks_test_iterate (200);
  return ks_gui_detail_field (window, "response");
}

/* An answer's object, wrapped ({"report": {...}}) or not. */
static JsonObject *
unwrapped (JsonObject *answer,
           const char *key)
{
  return json_object_has_member (answer, key) ? json_object_get_object_member (answer, key) : answer;
}

static gint64
post (const char *token,
      const char *path,
      const char *body,
      const char *key)
{
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *o;

  g_assert_cmpuint (ks_test_api_status (server->url, "POST", path, token, body, &answer), <, 300);
  o = unwrapped (answer, key);
  return json_object_get_int_member (o, "id");
}

static void
test_response_times (void)
{
  g_autofree char *token = ks_test_api_login (server->url, ADMIN);
  g_autofree char *state_body = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonObject) categories = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *create = NULL;
  KsAdminWindow *admin;
  KsDashboardWindow *dash;
  JsonObject *category;
  gint64 pid, cid, rid, met = 0;
  const char *line;

  pid = post (token, "/api/v1/priorities", "{\"name\": \"Within two hours\", \"response_hours\": 2}",
              "priority");
  cid = post (token, "/api/v1/categories", "{\"code\": \"RT_LAMPS\", \"name\": \"Lamp out (timed)\"}",
              "category");
  pid_text = g_strdup_printf ("%" G_GINT64_FORMAT, pid);

  /* The category's editor offers None, then the council's priorities for it. */
  ks_gui_sign_in_as (window, ADMIN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", NULL));
  admin = KS_ADMIN_WINDOW (find_toplevel (KS_TYPE_ADMIN_WINDOW));
  g_assert_nonnull (admin);
  g_assert_true (ks_test_wait_for (pages_loaded, admin, 30));
  ks_admin_window_show_page (admin, "categories");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "categories", cid));
  {
    g_auto(GStrv) choices = ks_admin_window_editor_choices (admin, "default_priority_id");

    g_assert_cmpstr (choices[0], ==, "None");
    g_assert_true (g_strv_contains ((const char * const *) choices, "Within two hours"));
  }
  ks_admin_window_editor_set (admin, "default_priority_id", pid_text);
  screenshot (GTK_WIDGET (admin), "admin-category-default-priority.png");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_assert_null (ks_admin_window_get_editor_error (admin));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/categories", token, NULL, &categories), ==, 200);
  category = find_by (categories, "categories", "code", "RT_LAMPS");
  g_assert_nonnull (category);
  g_assert_cmpint (json_object_get_int_member (category, "default_priority_id"), ==, pid);
  gtk_window_destroy (GTK_WINDOW (admin));

  /* A report entered in the category takes the default: its target is ahead. */
  create = g_strdup_printf ("{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"Lamp out by the school\", \"detail\": \"Dark since Monday.\", "
                            "\"lat\": 51.752, \"lon\": -1.2577, \"as_council\": true}", cid);
  rid = post (token, "/api/v1/reports", create, "report");
  report_path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, rid);
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", report_path, token, NULL, &report), ==, 200);
  g_assert_cmpint (json_object_get_int_member (unwrapped (report, "report"), "priority_id"), ==, pid);
  ks_gui_sign_out (window);
  ks_gui_sign_in_as (window, ADMIN);
  line = response_line (rid);
  g_test_message ("response: %s", line);
  g_assert_true (g_str_has_prefix (line, "Respond by "));
  screenshot (GTK_WIDGET (window), "detail-respond-by.png");

  /* Answered at once (a change of state): met. */
  state_body = g_strdup_printf ("{\"state\": \"investigating\", \"version\": %" G_GINT64_FORMAT "}",
                                json_object_get_int_member (unwrapped (report, "report"), "version"));
  g_free (report_path);
  report_path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/state", rid);
  post (token, report_path, state_body, "report");
  ks_gui_sign_out (window);
  ks_gui_sign_in_as (window, ADMIN);
  line = response_line (rid);
  g_test_message ("response: %s", line);
  /* Minutes after its creation (how many depends on the machine's speed). */
  g_assert_true (g_str_has_prefix (line, "Responded in "));
  g_assert_true (g_str_has_suffix (line, " min (met)"));
  screenshot (GTK_WIDGET (window), "detail-responded.png");

  /* The dashboard's card: the server's share met and overdue count, for the
   * last 30 days as the window asks them (from the same moment, near enough). */
  dash = open_dashboard ();
  expected = expected_response_card (token, 30, &met);
  g_test_message ("card: %s (server %s)", ks_dashboard_window_get_card_value (dash, "response-times"), expected);
  g_assert_cmpstr (ks_dashboard_window_get_card_value (dash, "response-times"), ==, expected);
  g_assert_cmpint (met, >=, 1);
  screenshot (GTK_WIDGET (dash), "dashboard-response-times.png");
  gtk_window_destroy (GTK_WINDOW (dash));
  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/dashboard-admin/dashboard", test_dashboard_admin);
  g_test_add_func ("/dashboard-admin/admin-create", test_admin_create);
  g_test_add_func ("/dashboard-admin/customer-services", test_customer_services);
  g_test_add_func ("/dashboard-admin/inspector", test_inspector);
  g_test_add_func ("/dashboard-admin/response-times", test_response_times);

  return ks_gui_test_run ();
}

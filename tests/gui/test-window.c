/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: the real window against a real kerbside-server on loopback:
 * sign-in (errors and success), reports in the list and on the map, the
 * detail, actions that reach the server, silent sign-in from the keyring, and
 * for each default role exactly the actions its permissions allow; the council's
 * wards in the filter and its border and ward outlines on the map.
 * Screenshots are saved under the build directory (KS_SCREENSHOT_DIR). */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>

#include "ks-test-http.h"
#include "ks-gui-test.h"
#include "ks-gui-test-app.h"
#include "ks-filter-sidebar-private.h"
#include "ks-geo.h"
#include "ks-map-view.h"
#include "ks-permissions.h"
#include "ks-report-detail.h"
#include "ks-report-list.h"
#include "ks-sign-in-page.h"
#include "ks-states.h"

#define N_REPORTS 300

static KsTestServer  *server;
static KsWindow      *window;

static const char *role_emails[KS_N_DEFAULT_ROLES] = {
  [KS_ROLE_CUSTOMER_SERVICES] = "customer.services@demo.invalid",
  [KS_ROLE_INSPECTORS] = "inspector@demo.invalid",
  [KS_ROLE_INTERNAL_MAINTENANCE] = "maintenance@demo.invalid",
  [KS_ROLE_ADMINISTRATORS] = "admin@demo.invalid",
};

/* The report actions of the detail pane and the permission each needs
 * (DESIGN.md's table). */
static const struct {
  const char   *action;
  KsPermission  perm;
} action_perms[] = {
  { "acknowledge", KS_PERM_ACKNOWLEDGE_REPORT },
  { "update", KS_PERM_UPDATE_REPORT },
  { "state", KS_PERM_UPDATE_STATUS },
  { "priority", KS_PERM_PRIORITISE_REPORT },
  { "request-info", KS_PERM_REQUEST_MORE_INFO },
  { "shortlist", KS_PERM_SHORTLIST },
  { "assign", KS_PERM_SHORTLIST },
  { "navigate", KS_PERM_VIEW_REPORT },
  { "moderate", KS_PERM_MODERATE_REPORT },
  { "hide", KS_PERM_HIDE_REPORT },
  { "duplicate", KS_PERM_UPDATE_STATUS },
};

/* Helpers */

static void
iterate_main (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
layer_has_wards (gpointer layer)
{
  return ks_boundary_layer_get_n_wards (layer) > 0;
}

static gboolean
boundaries_drawn (gpointer layer)
{
  return ks_boundary_layer_get_drawn_rings (layer) > 0;
}

static gboolean
sign_in_error_shown (gpointer data)
{
  GtkWidget *page = ks_window_get_sign_in_page (window);

  return !ks_sign_in_page_get_busy (KS_SIGN_IN_PAGE (page))
         && ks_sign_in_page_get_error (KS_SIGN_IN_PAGE (page)) != NULL;
}

static gboolean
all_reports_shown (gpointer data)
{
  KsSession *session = ks_window_get_session (window);
  guint want = GPOINTER_TO_UINT (data);

  return session && ks_session_is_signed_in (session)
         && g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (session))) >= want
         && !ks_sync_engine_get_syncing (ks_session_get_sync (session));
}

static guint
visible_report_count (void)
{
  KsSession *session = ks_window_get_session (window);
  return g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (session)));
}

static JsonObject *
server_report (gint64 id)
{
  g_autofree char *token = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);

  return ks_test_api (server->url, "GET", path, token, NULL);
}

static KsReport *
first_report_where (gboolean (*pred) (KsReport *))
{
  GListModel *model = ks_report_list_get_model (KS_REPORT_LIST (ks_window_get_report_list (window)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);

      if (pred (report))
        return report;
    }
  return NULL;
}

static gboolean
is_unacknowledged_open (KsReport *report)
{
  return ks_report_get_acknowledged (report) == 0
         && g_strcmp0 (ks_report_get_state (report), "confirmed") == 0;
}

static gboolean
is_hidden (KsReport *report)
{
  return g_strcmp0 (ks_report_get_state (report), "hidden") == 0;
}

static gboolean
is_any (KsReport *report)
{
  return TRUE;
}

static gboolean
is_fixed (KsReport *report)
{
  return g_strcmp0 (ks_report_get_state (report), "fixed") == 0;
}

static guint
count_reports_where (gboolean (*pred) (KsReport *))
{
  GListModel *model = ks_report_list_get_model (KS_REPORT_LIST (ks_window_get_report_list (window)));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);

      n += pred (report) ? 1 : 0;
    }
  return n;
}

static gboolean
detail_loaded (gpointer data)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  KsReport *report = ks_report_detail_get_report (detail);

  return report && ks_report_get_id (report) == *(gint64 *) data
         && ks_report_detail_get_detail (detail) != NULL;
}

static void
open_report (gint64 id)
{
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
}


static gboolean
map_fitted (gpointer data)
{
  ShumateViewport *viewport = ks_map_view_get_viewport (KS_MAP_VIEW (ks_window_get_map_view (window)));

  return shumate_viewport_get_zoom_level (viewport) >= 10;
}

/* What a session opens on: the open reports, the map on the council's area. */
static void
assert_first_view (void)
{
  KsFilterSidebar *sidebar = KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window));
  KsMapView *map = KS_MAP_VIEW (ks_window_get_map_view (window));
  KsMapLayer *layer = ks_map_view_get_layer (map);
  GListModel *model = G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)));
  gint64 n_open = ks_test_server_query_int (server,
    "SELECT count(*) FROM reports WHERE state IN ('confirmed', 'investigating', 'in_progress', "
    "'action_scheduled', 'awaiting_information')");
  double box[4], x0, y0, x1, y1;
  int w, h;

  g_assert_cmpstr (ks_filter_sidebar_get_state_group (sidebar), ==, "open");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
    ks_filter_sidebar_get_state_group_button (sidebar, "open"))));
  g_assert_true (ks_test_wait_for (all_reports_shown, GUINT_TO_POINTER ((guint) n_open), 60));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_open);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      g_assert_cmpint (ks_state_lookup (ks_report_get_state (r))->kind, ==, KS_STATE_KIND_OPEN);
    }

  /* The council's bounds, as the server gives them, fill the map. */
  box[0] = ks_test_server_query_int (server, "SELECT CAST(min_lat * 1e6 AS INTEGER) FROM bodies LIMIT 1") / 1e6;
  box[1] = ks_test_server_query_int (server, "SELECT CAST(min_lon * 1e6 AS INTEGER) FROM bodies LIMIT 1") / 1e6;
  box[2] = ks_test_server_query_int (server, "SELECT CAST(max_lat * 1e6 AS INTEGER) FROM bodies LIMIT 1") / 1e6;
  box[3] = ks_test_server_query_int (server, "SELECT CAST(max_lon * 1e6 AS INTEGER) FROM bodies LIMIT 1") / 1e6;
  ks_window_set_view (window, "map");
  g_assert_true (ks_test_wait_for (map_fitted, NULL, 20));
  g_assert_true (ks_map_layer_location_to_point (layer, box[0], box[1], &x0, &y0));
  g_assert_true (ks_map_layer_location_to_point (layer, box[2], box[3], &x1, &y1));
  w = gtk_widget_get_width (GTK_WIDGET (layer));
  h = gtk_widget_get_height (GTK_WIDGET (layer));
  g_test_message ("council %.3f,%.3f..%.3f,%.3f drawn at %.0f,%.0f..%.0f,%.0f of %dx%d", box[0], box[1],
                  box[2], box[3], x0, y1, x1, y0, w, h);
  g_assert_cmpfloat (x0, >=, 0);
  g_assert_cmpfloat (y1, >=, 0);
  g_assert_cmpfloat (x1, <=, w);
  g_assert_cmpfloat (y0, <=, h);
  g_assert_true (2 * (x1 - x0) > w || 2 * (y0 - y1) > h);
  ks_gui_save_screenshot (GTK_WIDGET (window), "main-map-first-view.png");
}

/* Tests */

static void
test_sign_in_errors (void)
{
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));

  g_assert_cmpstr (ks_window_get_page (window), ==, "sign-in");
  ks_gui_save_screenshot (GTK_WIDGET (window), "sign-in.png");

  /* Plain http to another computer is refused before anything is sent. */
  ks_sign_in_page_set_server (page, "http://example.org");
  ks_sign_in_page_set_email (page, "inspector@demo.invalid");
  ks_sign_in_page_set_password (page, "whatever");
  ks_sign_in_page_submit (page, FALSE);
  g_assert_nonnull (ks_sign_in_page_get_error (page));
  g_test_message ("http refused: %s", ks_sign_in_page_get_error (page));
  g_assert_cmpstr (ks_window_get_page (window), ==, "sign-in");

  /* A wrong password: the server's sentence. */
  ks_gui_fill_sign_in (window, "inspector@demo.invalid", "not-the-password");
  g_assert_true (ks_test_wait_for (sign_in_error_shown, NULL, 30));
  g_test_message ("wrong password: %s", ks_sign_in_page_get_error (page));
  g_assert_cmpstr (ks_window_get_page (window), ==, "sign-in");
  ks_gui_save_screenshot (GTK_WIDGET (window), "sign-in-error.png");
}

static void
test_reports_shown (void)
{
  GtkWidget *map;
  GListModel *list_model;
  gint64 total;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  assert_first_view ();
  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "all");
  total = ks_test_server_query_int (server, "SELECT count(*) FROM reports WHERE state NOT IN ('hidden', 'unconfirmed')");
  g_assert_true (ks_test_wait_for (all_reports_shown, GUINT_TO_POINTER ((guint) MIN (total, 1)), 60));
  g_test_message ("%u reports shown (server has %" G_GINT64_FORMAT " public)", visible_report_count (), total);
  g_assert_cmpuint (visible_report_count (), >=, total);

  /* The map shows the same model. */
  map = ks_window_get_map_view (window);
  g_assert_nonnull (map);
  g_assert_cmpstr (ks_window_get_content_page (window), ==, "reports");
  ks_window_set_view (window, "map");
  ks_gui_save_screenshot (GTK_WIDGET (window), "main-map.png");

  /* A report chosen on the map, far down the list, before the list was ever
   * shown (it is given its rows then): the list opens at it. */
  list_model = ks_report_list_get_model (KS_REPORT_LIST (ks_window_get_report_list (window)));
  g_assert_cmpuint (g_list_model_get_n_items (list_model), >, 100);
  {
    g_autoptr(KsReport) far = g_list_model_get_item (list_model, g_list_model_get_n_items (list_model) - 3);
    g_autofree char *title = NULL;

    ks_window_show_report (window, ks_report_get_id (far));
    ks_window_set_view (window, "list");
    ks_gui_wait_painted (GTK_WIDGET (window), 30);
    ks_test_iterate (200);
    ks_gui_save_screenshot (GTK_WIDGET (window), "main-list-opened-at-chosen.png");
    title = ks_gui_list_cell (window, ks_report_get_id (far), "title");
    g_assert_cmpstr (title, ==, ks_report_get_title (far));
    g_assert_cmpint (ks_report_list_get_selected_id (KS_REPORT_LIST (ks_window_get_report_list (window))), ==,
                     ks_report_get_id (far));
    ks_report_list_unselect (KS_REPORT_LIST (ks_window_get_report_list (window)));
  }

  /* The list: virtualised, sorted by a column. */
  ks_window_set_view (window, "list");
  g_assert_cmpuint (g_list_model_get_n_items (list_model), ==, visible_report_count ());
  ks_report_list_sort_by (KS_REPORT_LIST (ks_window_get_report_list (window)), "id", GTK_SORT_ASCENDING);
  ks_test_iterate (500);
  {
    g_autoptr(KsReport) a = g_list_model_get_item (list_model, 0);
    g_autoptr(KsReport) b = g_list_model_get_item (list_model, 1);
    g_assert_cmpint (ks_report_get_id (a), <, ks_report_get_id (b));
  }

  /* Keyboard: next report selects the first row. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-report", NULL);
  g_assert_cmpint (ks_report_list_get_selected_id (KS_REPORT_LIST (ks_window_get_report_list (window))), !=, 0);
  ks_gui_save_screenshot (GTK_WIDGET (window), "main-list.png");
}

static void
test_acknowledge (void)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  g_autoptr(JsonObject) before = NULL;
  KsReport *report;
  gint64 id;
  GtkWidget *button;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  report = first_report_where (is_unacknowledged_open);
  g_assert_nonnull (report);
  id = ks_report_get_id (report);
  open_report (id);
  ks_gui_save_screenshot (GTK_WIDGET (window), "detail-inspector.png");

  before = server_report (id);
  g_assert_true (json_node_is_null (json_object_get_member (before, "acknowledged")));

  button = ks_report_detail_get_action_button (detail, "acknowledge");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(JsonObject) after = server_report (id);

      if (!json_node_is_null (json_object_get_member (after, "acknowledged")))
        {
          g_test_message ("report %" G_GINT64_FORMAT " acknowledged on the server", id);
          return;
        }
      ks_test_iterate (100);
    }
  g_assert_not_reached ();
}

static gboolean
has_photo (KsReport *report)
{
  return ks_report_get_has_photo (report);
}

static gboolean
photo_shown (gpointer data)
{
  GtkWidget *picture = data;

  return gtk_picture_get_paintable (GTK_PICTURE (picture)) != NULL
         && gtk_widget_get_visible (picture);
}

/* A demo report with a photo shows it: the server's procedural PNG, fetched with
 * the session's token. */
static void
test_photo_shown (void)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  KsReport *report;
  GtkWidget *picture;
  GdkPaintable *paintable;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  report = first_report_where (has_photo);
  g_assert_nonnull (report);
  open_report (ks_report_get_id (report));
  picture = ks_report_detail_get_photo_picture (detail);
  g_assert_true (ks_test_wait_for (photo_shown, picture, 30));
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 480);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 360);
  ks_gui_save_screenshot (GTK_WIDGET (window), "detail-photo.png");
}

static gboolean
report_hidden_here (gpointer data)
{
  KsReport *report = ks_session_lookup_report (ks_window_get_session (window), *(gint64 *) data);

  return report && is_hidden (report)
         && !ks_sync_engine_get_syncing (ks_session_get_sync (ks_window_get_session (window)));
}

/* A hidden report in the list (every state shown). How many the demo hides
 * depends on the hour it is made (one to three of 300 in a week's hours, none
 * possible): when it has none, customer services hide a fixed report through
 * the API and the window syncs it. */
static KsReport *
hidden_report (void)
{
  guint n = count_reports_where (is_hidden);
  KsReport *fixed;
  gint64 id;
  g_autofree char *token = NULL, *path = NULL, *body = NULL;
  g_autoptr(JsonObject) before = NULL, answer = NULL;

  g_test_message ("the demo has %u hidden reports", n);
  if (n > 0)
    return first_report_where (is_hidden);
  fixed = first_report_where (is_fixed);
  g_assert_nonnull (fixed);
  id = ks_report_get_id (fixed);
  before = server_report (id);
  token = ks_test_api_login (server->url, "customer.services@demo.invalid");
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/hide", id);
  body = g_strdup_printf ("{\"reason\": \"Personal details in the text.\", \"version\": %" G_GINT64_FORMAT "}",
                          json_object_get_int_member (before, "version"));
  answer = ks_test_api (server->url, "POST", path, token, body);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "report"), "state"), ==, "hidden");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  if (!ks_test_wait_for (report_hidden_here, &id, 60))
    g_error ("report %" G_GINT64_FORMAT ", hidden on the server, is not hidden in the window after a sync", id);
  g_assert_cmpuint (count_reports_where (is_hidden), ==, n + 1);
  return ks_session_lookup_report (ks_window_get_session (window), id);
}

static void
test_change_state (void)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  KsReport *report;
  AdwMessageDialog *dialog;
  GtkWidget *picker;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");

  /* A hidden report keeps its state until it is unhidden: the State, Ask
   * Reporter and Duplicate buttons wait and say why, instead of leading to a
   * refusal. */
  report = hidden_report ();
  g_assert_nonnull (report);
  open_report (ks_report_get_id (report));
  for (guint i = 0; i < 3; i++)
    {
      static const char *const waiting[] = { "state", "request-info", "duplicate" };
      GtkWidget *button = ks_report_detail_get_action_button (detail, waiting[i]);

      g_assert_nonnull (button);
      g_assert_false (gtk_widget_get_sensitive (button));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "The report is hidden: unhide it first");
    }
  ks_gui_save_screenshot (GTK_WIDGET (window), "detail-hidden.png");

  /* An open report: its state changes. */
  report = first_report_where (is_unacknowledged_open);
  g_assert_nonnull (report);
  id = ks_report_get_id (report);
  open_report (id);
  g_assert_true (gtk_widget_get_sensitive (ks_report_detail_get_action_button (detail, "state")));

  g_signal_emit_by_name (ks_report_detail_get_action_button (detail, "state"), "clicked");
  ks_test_iterate (300);
  dialog = ks_gui_find_dialog ();
  g_assert_nonnull (dialog);
  picker = ks_gui_find_named (GTK_WIDGET (dialog), "state-investigating");
  g_assert_nonnull (picker);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (picker), TRUE);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-state.png");
  adw_message_dialog_response (dialog, "change");

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(JsonObject) after = server_report (id);

      if (g_strcmp0 (json_object_get_string_member (after, "state"), "investigating") == 0)
        return;
      ks_test_iterate (100);
    }
  g_assert_not_reached ();
}

static void
test_resume (void)
{
  /* A new window signs in silently with the keyring's token. */
  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  gtk_window_destroy (GTK_WINDOW (window));
  window = ks_gui_test_new_window (1280, 800);
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  g_assert_true (ks_test_wait_for (all_reports_shown, GUINT_TO_POINTER (1), 60));
  ks_gui_sign_out (window);
}

static void
test_role_actions (void)
{
  for (KsDefaultRole role = 0; role < KS_N_DEFAULT_ROLES; role++)
    {
      KsPermissionSet perms = ks_default_role_permissions (role);
      KsReportDetail *detail;
      g_auto(GStrv) offered = NULL;
      g_autoptr(GStrvBuilder) want_b = g_strv_builder_new ();
      g_auto(GStrv) want = NULL;
      g_autofree char *shot = NULL;
      g_autofree char *offered_s = NULL;
      g_autofree char *want_s = NULL;
      KsReport *report;

      if (g_strcmp0 (ks_window_get_page (window), "main") == 0)
        ks_gui_sign_out (window);
      ks_gui_sign_in_as (window, role_emails[role]);

      report = first_report_where (is_any);
      g_assert_nonnull (report);
      open_report (ks_report_get_id (report));

      detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
      offered = ks_report_detail_get_offered_actions (detail);
      for (guint i = 0; i < G_N_ELEMENTS (action_perms); i++)
        if (KS_PERMISSION_SET_HAS (perms, action_perms[i].perm))
          g_strv_builder_add (want_b, action_perms[i].action);
      want = g_strv_builder_end (want_b);

      offered_s = g_strjoinv (",", offered);
      want_s = g_strjoinv (",", want);
      g_test_message ("%s: offered %s", ks_default_role_name (role), offered_s);
      g_assert_cmpstr (offered_s, ==, want_s);

      shot = g_strdup_printf ("detail-role-%d.png", role);
      ks_gui_save_screenshot (GTK_WIDGET (window), shot);
    }
}


/* Ward is a list of the council's wards; dates come from a calendar; the
 * state groups switch the ticked states. */
static void
test_filters (void)
{
  KsFilterSidebar *sidebar = KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window));
  GListModel *model = G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)));
  GtkWidget *ward_row = ks_filter_sidebar_get_ward_row (sidebar);
  GListModel *wards;
  GtkCalendar *calendar;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *sql = NULL;
  const char *ward;
  gint64 n_ward, n_total;
  guint n_wards;

  int min_width;

  if (g_strcmp0 (ks_window_get_page (window), "main") != 0)
    ks_gui_sign_in_as (window, "inspector@demo.invalid");

  /* The filters fit their 270 px pane: they never take room from the list. */
  gtk_widget_measure (GTK_WIDGET (sidebar), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_test_message ("filters at least %d px wide", min_width);
  g_assert_cmpint (min_width, <=, 270);

  ks_filter_sidebar_clear (sidebar);
  g_assert_cmpstr (ks_filter_sidebar_get_state_group (sidebar), ==, "all");
  n_total = g_list_model_get_n_items (model);

  /* The council's wards from its boundaries (every one, also those with no
   * report yet), not free text. */
  ks_filter_sidebar_refresh_wards (sidebar);
  g_assert_true (ADW_IS_COMBO_ROW (ward_row));
  wards = adw_combo_row_get_model (ADW_COMBO_ROW (ward_row));
  n_wards = g_list_model_get_n_items (wards);
  g_assert_cmpint (n_wards - 1, ==,
                   ks_test_server_query_int (server, "SELECT count(*) FROM boundaries WHERE kind = 'ward'"));
  g_assert_cmpint (n_wards - 1, >=,
                   ks_test_server_query_int (server, "SELECT count(DISTINCT ward) FROM reports WHERE ward <> ''"));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (wards), 0), ==, "All wards");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (wards), 1), ==, "Barton & Sandhills");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (wards), n_wards - 1), ==, "Wolvercote");
  adw_combo_row_set_selected (ADW_COMBO_ROW (ward_row), 1);
  ward = gtk_string_list_get_string (GTK_STRING_LIST (wards), 1);
  {
    g_auto(GStrv) parts = g_strsplit (ward, "'", -1);
    g_autofree char *quoted = g_strjoinv ("''", parts);

    sql = g_strdup_printf ("SELECT count(*) FROM reports WHERE state NOT IN ('hidden', 'unconfirmed') "
                           "AND ward = '%s'", quoted);
  }
  n_ward = ks_test_server_query_int (server, sql);
  g_test_message ("ward %s: %u shown, %" G_GINT64_FORMAT " public, of %" G_GINT64_FORMAT, ward,
                  g_list_model_get_n_items (model), n_ward, n_total);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, n_ward);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, n_total);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      g_assert_cmpstr (ks_report_get_ward (r), ==, ward);
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (ward_row), 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_total);

  /* From: a day picked in the calendar; the row says which. */
  g_assert_true (GTK_IS_MENU_BUTTON (ks_filter_sidebar_get_date_button (sidebar, FALSE)));
  calendar = GTK_CALENDAR (ks_filter_sidebar_get_calendar (sidebar, FALSE));
  day = g_date_time_new_from_unix_local (ks_test_server_now (server));
  {
    g_autoptr(GDateTime) week_ago = g_date_time_add_days (day, -60);
    g_date_time_unref (day);
    day = g_date_time_new_local (g_date_time_get_year (week_ago), g_date_time_get_month (week_ago),
                                 g_date_time_get_day_of_month (week_ago), 0, 0, 0);
  }
  gtk_calendar_select_day (calendar, day);
  g_signal_emit_by_name (calendar, "day-selected");
  shown = g_date_time_format (day, "%x");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ks_filter_sidebar_get_date_row (sidebar, FALSE))),
                   ==, shown);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, n_total);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      g_assert_cmpint (ks_report_get_created (r), >=, g_date_time_to_unix (day));
    }

  /* The state groups tick the states of the group. */
  g_signal_emit_by_name (ks_filter_sidebar_get_state_group_button (sidebar, "fixed"), "clicked");
  g_assert_cmpstr (ks_filter_sidebar_get_state_group (sidebar), ==, "fixed");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      g_assert_cmpstr (ks_report_get_state (r), ==, "fixed");
    }
  ks_gui_save_screenshot (GTK_WIDGET (window), "filters-fixed-since.png");

  ks_filter_sidebar_clear (sidebar);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_total);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ks_filter_sidebar_get_date_row (sidebar, FALSE))),
                   ==, "Any day");
}

static gboolean
leaflet_settled (gpointer data)
{
  AdwLeaflet *leaflet = data;

  return gtk_widget_get_mapped (GTK_WIDGET (leaflet)) && gtk_widget_get_width (GTK_WIDGET (leaflet)) > 0
         && !adw_leaflet_get_child_transition_running (leaflet);
}

static void
assert_narrow_shows_reports (const char *shot)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (ks_gui_find_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET));

  g_assert_nonnull (leaflet);
  g_assert_true (ks_test_wait_for (leaflet_settled, leaflet, 20));
  ks_test_iterate (300);
  g_test_message ("window %d px wide, leaflet folded %d, showing %s",
                  gtk_widget_get_width (GTK_WIDGET (window)), adw_leaflet_get_folded (leaflet),
                  adw_leaflet_get_visible_child_name (leaflet));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 820);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  ks_gui_save_screenshot (GTK_WIDGET (window), shot);
}

/* Below ~900 px the leaflet folds: the reports show, not the filters, both
 * after signing in and when a stored session is resumed. */
static void
test_narrow_window (void)
{
  /* Relaunched with a stored session. */
  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  g_assert_cmpstr (ks_window_get_page (window), ==, "main");
  gtk_window_destroy (GTK_WINDOW (window));
  window = ks_window_new (ks_gui_test_app ());
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  g_assert_true (ks_test_wait_for (all_reports_shown, GUINT_TO_POINTER (1), 60));
  assert_narrow_shows_reports ("narrow-800-resumed.png");

  /* Signing in afresh. */
  ks_gui_sign_out (window);
  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  assert_narrow_shows_reports ("narrow-800-signed-in.png");

  /* Ctrl+F: the filters come into view with their search entry focused. */
  {
    AdwLeaflet *leaflet = ADW_LEAFLET (ks_gui_find_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
    GtkWidget *entry = ks_gui_find_type (ks_window_get_filter_sidebar (window), GTK_TYPE_SEARCH_ENTRY);
    GtkWidget *focus;
    graphene_rect_t bounds;

    g_assert_nonnull (entry);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL));
    g_assert_true (ks_test_wait_for (leaflet_settled, leaflet, 20));
    ks_test_iterate (300);
    g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
    focus = gtk_root_get_focus (GTK_ROOT (window));
    g_assert_nonnull (focus);
    g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
    g_assert_true (gtk_widget_is_drawable (entry));
    g_assert_true (gtk_widget_compute_bounds (entry, GTK_WIDGET (window), &bounds));
    g_test_message ("search entry at %.0f,%.0f %.0fx%.0f in a %d px window", bounds.origin.x,
                    bounds.origin.y, bounds.size.width, bounds.size.height,
                    gtk_widget_get_width (GTK_WIDGET (window)));
    g_assert_cmpfloat (bounds.origin.x, >=, 0);
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (window)));
    g_assert_cmpfloat (bounds.size.width, >, 100);
    ks_gui_save_screenshot (GTK_WIDGET (window), "narrow-800-ctrl-f.png");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  window = ks_gui_test_new_window (1280, 800);
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
}

/* The council's border and ward outlines are drawn on the map, and the map's
 * menu turns them off and on again. */
static void
test_boundaries (void)
{
  KsMapView *map;
  KsBoundaryLayer *layer;
  GtkWidget *button;
  gint64 n_wards;

  if (g_strcmp0 (ks_window_get_page (window), "main") != 0)
    ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ks_window_set_view (window, "map");
  map = KS_MAP_VIEW (ks_window_get_map_view (window));
  layer = ks_map_view_get_boundary_layer (map);
  n_wards = ks_test_server_query_int (server, "SELECT count(*) FROM boundaries WHERE kind = 'ward'");
  g_assert_cmpint (n_wards, ==, 24);
  g_assert_true (ks_test_wait_for (layer_has_wards, layer, 60));
  g_assert_cmpuint (ks_boundary_layer_get_n_wards (layer), ==, n_wards);
  /* The whole area in view: its ring and every ward's are drawn. */
  {
    JsonObject *b = ks_session_get_boundaries (ks_window_get_session (window));
    JsonArray *bbox = json_object_get_array_member (json_object_get_object_member (b, "area"), "bbox");

    ks_map_view_fit_bounds (map, json_array_get_double_element (bbox, 1),
                            json_array_get_double_element (bbox, 0),
                            json_array_get_double_element (bbox, 3),
                            json_array_get_double_element (bbox, 2));
  }
  iterate_main (500);
  gtk_widget_queue_draw (GTK_WIDGET (layer));
  g_assert_true (ks_gui_wait_painted (GTK_WIDGET (window), 10));
  g_assert_true (ks_test_wait_for (boundaries_drawn, layer, 30));
  g_test_message ("%u of %u rings drawn", ks_boundary_layer_get_drawn_rings (layer),
                  ks_boundary_layer_get_n_rings (layer));
  g_assert_cmpuint (ks_boundary_layer_get_drawn_rings (layer), ==, n_wards + 1);
  button = ks_map_view_get_menu_button (map);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (layer)));
  ks_gui_save_screenshot (GTK_WIDGET (window), "map-boundaries-on.png");

  /* Off from the map's menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (button), "map.show-boundaries", NULL));
  g_assert_false (ks_map_view_get_show_boundaries (map));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (layer)));
  g_assert_true (ks_gui_wait_painted (GTK_WIDGET (window), 10));
  g_assert_false (gtk_widget_is_drawable (GTK_WIDGET (layer)));
  ks_gui_save_screenshot (GTK_WIDGET (window), "map-boundaries-off.png");

  /* And on again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (button), "map.show-boundaries", NULL));
  g_assert_true (ks_map_view_get_show_boundaries (map));
  g_assert_true (ks_gui_wait_painted (GTK_WIDGET (window), 10));
  g_assert_true (ks_test_wait_for (boundaries_drawn, layer, 30));
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1280, 800);

  g_test_add_func ("/gui/sign-in-errors", test_sign_in_errors);
  g_test_add_func ("/gui/reports-shown", test_reports_shown);
  g_test_add_func ("/gui/acknowledge", test_acknowledge);
  g_test_add_func ("/gui/photo-shown", test_photo_shown);
  g_test_add_func ("/gui/change-state", test_change_state);
  g_test_add_func ("/gui/filters", test_filters);
  g_test_add_func ("/gui/boundaries", test_boundaries);
  g_test_add_func ("/gui/narrow-window", test_narrow_window);
  g_test_add_func ("/gui/resume", test_resume);
  g_test_add_func ("/gui/role-actions", test_role_actions);

  return ks_gui_test_run ();
}

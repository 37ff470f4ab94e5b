/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-areas.c: a member of staff who works in their own area, and a council's
 * own states, as the app shows them. The filters start on the person's wards
 * and categories (the "My Area" switch on, "My wards" and "My categories"
 * chosen, the list holding exactly the area's open reports), can be widened,
 * and the switch brings them back. A council's state is offered in Change
 * State and then shown in the list, the map and the state filter; an inactive
 * one is offered only on a report already in it. The real window against a
 * real kerbside-server on loopback; screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-areas"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-filter-sidebar.h"
#include "ks-filter-sidebar-private.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test-report.h"
#include "ks-gui-test.h"
#include "ks-report-list.h"
#include "ks-states.h"
#include "ks-test-http.h"

#define N_REPORTS 300

static KsTestServer *server;
static KsWindow     *window;

/* The inspector's area, chosen from the demo's open reports. */
static const char *area_wards[3];
static gint64      area_category;
static guint       n_in_area;      /* open reports in the area */
static guint       n_in_category;  /* open reports of the category, any ward */
static gint64      inactive_report; /* a report in the council's inactive state */

static JsonArray *
open_reports (const char *token)
{
  g_autoptr(JsonObject) page = ks_test_api (server->url, "GET", "/api/v1/reports?state=open&limit=1000",
                                            token, NULL);

  g_assert_true (json_object_get_null_member (page, "next_cursor"));
  return json_array_ref (json_object_get_array_member (page, "reports"));
}

/* Counts the open reports of the category whose ward is in wards (NULL: any). */
static guint
count_open (JsonArray   *reports,
            gint64       category,
            const char **wards)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (reports); i++)
    {
      JsonObject *r = json_array_get_object_element (reports, i);
      const char *ward = json_object_get_string_member_with_default (r, "ward", "");

      if (json_object_get_int_member (r, "category_id") == category
          && (wards == NULL || g_strv_contains (wards, ward)))
        n++;
    }
  return n;
}

/* The inspector's area: the two wards with the most open reports of the
 * category with the most, so that the category also has reports elsewhere. A
 * council's open state, and a closed one that a report is in and that is
 * then made inactive. All before the app signs in (it reads them then). */
static void
set_up_server (void)
{
  g_autofree char *admin = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autofree char *inspector = ks_test_api_login (server->url, "inspector@demo.invalid");
  g_autoptr(JsonObject) me = ks_test_api (server->url, "GET", "/api/v1/me", inspector, NULL);
  g_autoptr(JsonArray) reports = open_reports (inspector);
  g_autoptr(GHashTable) per_category = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) per_ward = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) state = NULL, changed = NULL;
  g_autofree char *path = NULL, *body = NULL;
  guint best = 0;

  for (guint i = 0; i < json_array_get_length (reports); i++)
    {
      JsonObject *r = json_array_get_object_element (reports, i);
      gint64 *id = g_new (gint64, 1);

      *id = json_object_get_int_member (r, "category_id");
      g_hash_table_insert (per_category, id,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_category, id)) + 1));
      if (GPOINTER_TO_UINT (g_hash_table_lookup (per_category, id)) > best)
        {
          best = GPOINTER_TO_UINT (g_hash_table_lookup (per_category, id));
          area_category = *id;
        }
    }
  for (guint i = 0; i < json_array_get_length (reports); i++)
    {
      JsonObject *r = json_array_get_object_element (reports, i);
      const char *ward = g_intern_string (json_object_get_string_member_with_default (r, "ward", ""));

      if (json_object_get_int_member (r, "category_id") == area_category && *ward)
        g_hash_table_insert (per_ward, (gpointer) ward,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_ward, ward)) + 1));
    }
  for (guint k = 0; k < 2; k++)
    {
      GHashTableIter iter;
      gpointer ward, n;
      guint most = 0;

      g_hash_table_iter_init (&iter, per_ward);
      while (g_hash_table_iter_next (&iter, &ward, &n))
        if (GPOINTER_TO_UINT (n) > most && ward != area_wards[0])
          {
            most = GPOINTER_TO_UINT (n);
            area_wards[k] = ward;
          }
      g_assert_nonnull (area_wards[k]);
    }
  n_in_area = count_open (reports, area_category, area_wards);
  n_in_category = count_open (reports, area_category, NULL);
  g_test_message ("area: %s, %s; category %" G_GINT64_FORMAT ": %u open reports of %u in the category",
                  area_wards[0], area_wards[1], area_category, n_in_area, n_in_category);
  g_assert_cmpuint (n_in_area, >, 0);
  g_assert_cmpuint (n_in_category, >, n_in_area);

  path = g_strdup_printf ("/api/v1/staff/%" G_GINT64_FORMAT, json_object_get_int_member (me, "id"));
  body = g_strdup_printf ("{\"wards\": [\"%s\", \"%s\"], \"category_ids\": [%" G_GINT64_FORMAT "]}",
                          area_wards[0], area_wards[1], area_category);
  json_object_unref (ks_test_api (server->url, "PATCH", path, admin, body));

  json_object_unref (ks_test_api (server->url, "POST", "/api/v1/council-states", admin,
                               "{\"code\": \"awaiting_contractor\", \"label\": \"Awaiting contractor\","
                               " \"kind\": \"open\"}"));
  state = ks_test_api (server->url, "POST", "/api/v1/council-states", admin,
                       "{\"code\": \"passed_to_highways\", \"label\": \"Passed to Highways England\","
                       " \"kind\": \"closed\"}");
  /* A report outside the area goes into it, then the state is retired. */
  for (guint i = 0; i < json_array_get_length (reports) && inactive_report == 0; i++)
    {
      JsonObject *r = json_array_get_object_element (reports, i);

      if (json_object_get_int_member (r, "category_id") != area_category)
        inactive_report = json_object_get_int_member (r, "id");
    }
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&body, g_free);
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/state", inactive_report);
  {
    g_autoptr(JsonObject) r = ks_gui_server_report (server->url, inactive_report);

    body = g_strdup_printf ("{\"state\": \"passed_to_highways\", \"version\": %" G_GINT64_FORMAT "}",
                            json_object_get_int_member (r, "version"));
  }
  changed = ks_test_api (server->url, "POST", path, admin, body);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/council-states/%" G_GINT64_FORMAT, json_object_get_int_member (state, "id"));
  json_object_unref (ks_test_api (server->url, "PATCH", path, admin, "{\"active\": false}"));
}

static KsFilterSidebar *
sidebar (void)
{
  return KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window));
}

static const char *
combo_text (GtkWidget *row)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static guint
combo_position (GtkWidget  *row,
                const char *text)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

static gboolean
shows_n (gpointer data)
{
  GListModel *model = G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)));

  return g_list_model_get_n_items (model) == GPOINTER_TO_UINT (data);
}

static void
wait_shows (guint n)
{
  GListModel *model = G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)));

  if (!ks_test_wait_for (shows_n, GUINT_TO_POINTER (n), 20))
    g_error ("the list shows %u reports, not %u", g_list_model_get_n_items (model), n);
}

/* Every report the list holds is in the area, and a row on screen says so. */
static void
assert_list_in_area (void)
{
  KsReportList *list = KS_REPORT_LIST (ks_window_get_report_list (window));
  GListModel *model = ks_report_list_get_model (list);
  g_autoptr(KsReport) first = NULL;
  g_autofree char *ward = NULL, *category = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);

      g_assert_true (g_strv_contains (area_wards, ks_report_get_ward (report)));
      g_assert_cmpint (ks_report_get_category_id (report), ==, area_category);
    }
  first = g_list_model_get_item (model, 0);
  g_assert_nonnull (first);
  ks_gui_report_on_screen (window, NULL, 0);
  ward = ks_gui_list_cell (window, ks_report_get_id (first), "ward");
  category = ks_gui_list_cell (window, ks_report_get_id (first), "category");
  g_test_message ("first row: %s, %s", ward, category);
  g_assert_true (g_strv_contains (area_wards, ward));
  g_assert_cmpstr (category, ==, ks_report_get_category (first));
}

static void
test_my_area (void)
{
  KsReportList *list = KS_REPORT_LIST (ks_window_get_report_list (window));
  GtkWidget *area_switch = ks_filter_sidebar_get_area_switch (sidebar ());
  GtkWidget *ward_row = ks_filter_sidebar_get_ward_row (sidebar ());
  GtkWidget *category_row = ks_filter_sidebar_get_category_row (sidebar ());
  GtkWidget *area_row;
  g_autofree char *subtitle_want = NULL;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ks_report_list_set_column_visible (list, "ward", TRUE);
  ks_report_list_set_column_visible (list, "category", TRUE);

  /* The session starts on the person's area. */
  g_assert_true (gtk_widget_is_visible (area_switch));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (area_switch)));
  g_assert_cmpstr (combo_text (ward_row), ==, "My wards");
  g_assert_cmpstr (combo_text (category_row), ==, "My categories");
  g_assert_cmpstr (ks_filter_sidebar_get_state_group (sidebar ()), ==, "open");
  area_row = gtk_widget_get_ancestor (area_switch, ADW_TYPE_ACTION_ROW);
  subtitle_want = g_strdup_printf ("Wards: %s, %s", area_wards[0], area_wards[1]);
  g_test_message ("My Area: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (area_row)));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (area_row)), subtitle_want)
                 || strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (area_row)), area_wards[0]) != NULL);
  wait_shows (n_in_area);
  assert_list_in_area ();
  ks_gui_save_screenshot (GTK_WIDGET (window), "areas-my-area.png");

  /* Widening to every ward: the switch goes off, the category's reports
   * elsewhere come in. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (ward_row), combo_position (ward_row, "All wards"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (area_switch)));
  g_assert_cmpstr (combo_text (category_row), ==, "My categories");
  wait_shows (n_in_category);
  ks_gui_save_screenshot (GTK_WIDGET (window), "areas-all-wards.png");

  /* One ward of the area by itself is not "my area" either. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (ward_row), combo_position (ward_row, area_wards[0]));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (area_switch)));

  /* The switch brings the area back. */
  gtk_switch_set_active (GTK_SWITCH (area_switch), TRUE);
  g_assert_cmpstr (combo_text (ward_row), ==, "My wards");
  g_assert_cmpstr (combo_text (category_row), ==, "My categories");
  wait_shows (n_in_area);
  assert_list_in_area ();

  /* Clear Filters shows everything; the switch says so. */
  ks_filter_sidebar_clear (sidebar ());
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (area_switch)));
  g_assert_cmpstr (combo_text (ward_row), ==, "All wards");
  g_assert_cmpstr (combo_text (category_row), ==, "All categories");
  ks_filter_sidebar_show_my_area (sidebar ());
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (area_switch)));
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  ks_gui_save_screenshot (GTK_WIDGET (window), "areas-back-to-my-area.png");
}

/* Someone without an area sees no switch, and every ward and category. */
static void
test_no_area (void)
{
  GtkWidget *area_switch = ks_filter_sidebar_get_area_switch (sidebar ());

  ks_gui_sign_in_as (window, "admin@demo.invalid");
  g_assert_false (gtk_widget_is_visible (area_switch));
  g_assert_cmpstr (combo_text (ks_filter_sidebar_get_ward_row (sidebar ())), ==, "All wards");
  g_assert_cmpstr (combo_text (ks_filter_sidebar_get_category_row (sidebar ())), ==, "All categories");
  g_assert_cmpuint (combo_position (ks_filter_sidebar_get_ward_row (sidebar ()), area_wards[0]), >, 0);
}

static gboolean
sidebar_has_state_row (gpointer label)
{
  return ks_gui_find_label_exact (ks_window_get_filter_sidebar (window), label) != NULL;
}

static char *
offered_states (AdwMessageDialog *dialog)
{
  GtkWidget *picker = ks_gui_find_named (GTK_WIDGET (dialog), "state-picker");

  g_assert_nonnull (picker);
  return ks_gui_all_text (picker);
}

/* A council's own state: offered in Change State, then in the list, on the
 * map and in the state filter's Open group. Its retired state is offered
 * only to the report already in it. */
static void
test_council_states (void)
{
  g_autofree char *offered = NULL, *offered_now = NULL;
  AdwMessageDialog *dialog;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  ks_filter_sidebar_clear (sidebar ());
  ks_filter_sidebar_set_state_group (sidebar (), "open");

  /* In the state filter, under its kind. */
  g_assert_true (ks_test_wait_for (sidebar_has_state_row, "Awaiting contractor", 10));
  g_assert_true (sidebar_has_state_row ("Passed to Highways England"));

  id = ks_gui_report_on_screen (window, "confirmed", 0);
  ks_gui_open_report (window, id);
  ks_gui_click_action (window, "state");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  offered = offered_states (dialog);
  g_test_message ("offered: %s", offered);
  g_assert_nonnull (strstr (offered, "\nAwaiting contractor\n"));
  g_assert_null (strstr (offered, "Passed to Highways England"));
  g_assert_null (ks_gui_find_named (GTK_WIDGET (dialog), "state-passed_to_highways"));
  ks_gui_choose_state (dialog, "awaiting_contractor");
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "areas-council-state-dialog.png");
  ks_gui_respond (dialog, "change");

  /* Shown everywhere, and still "open": the Open group keeps it. */
  g_assert_true (ks_gui_wait_list_cell (window, id, "state", "Awaiting contractor", 20));
  g_assert_true (ks_gui_wait_map_state (window, id, "awaiting_contractor", 20));
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Awaiting contractor", 20));
  g_assert_nonnull (ks_session_lookup_report (ks_window_get_session (window), id));
  {
    GListModel *model = G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)));
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (model) && !found; i++)
      {
        g_autoptr(KsReport) report = g_list_model_get_item (model, i);

        found = ks_report_get_id (report) == id;
      }
    g_assert_true (found);
  }
  {
    g_autoptr(JsonObject) after = ks_gui_server_report (server->url, id);

    g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "awaiting_contractor");
  }
  ks_gui_save_screenshot (GTK_WIDGET (window), "areas-council-state-shown.png");

  /* The report in the retired state: it is its current state, nothing else. */
  ks_filter_sidebar_set_state_group (sidebar (), "closed");
  g_assert_cmpint (ks_gui_report_on_screen (window, "passed_to_highways", 0), ==, inactive_report);
  g_assert_true (ks_gui_wait_list_cell (window, inactive_report, "state", "Passed to Highways England", 20));
  ks_gui_open_report (window, inactive_report);
  ks_gui_click_action (window, "state");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  offered_now = offered_states (dialog);
  g_test_message ("offered: %s", offered_now);
  g_assert_nonnull (strstr (offered_now, "Passed to Highways England (now)"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    ks_gui_find_named (GTK_WIDGET (dialog), "state-passed_to_highways"))));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "change"));
  ks_gui_respond (dialog, "cancel");
  ks_test_iterate (200);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  set_up_server ();
  window = ks_gui_test_new_window (1366, 800);

  g_test_add_func ("/areas/my-area", test_my_area);
  g_test_add_func ("/areas/no-area", test_no_area);
  g_test_add_func ("/areas/council-states", test_council_states);

  return ks_gui_test_run ();
}

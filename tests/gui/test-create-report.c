/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-create-report.c: a report entered on a caller's behalf, as Customer
 * Services do it, in the real window against a real kerbside-server: the New
 * Report button and Ctrl+N, the place named from the reports around it, no
 * category until one is chosen, the category's questions asked and the
 * required ones checked, the report opened afterwards; a question the server
 * requires that the app did not know of yet is refused with the server's
 * sentence and the dialog stays. Screenshots go to KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-create-report"

#include "config.h"

#include <adwaita.h>

#include "ks-test-http.h"
#include "ks-gui-test.h"
#include "ks-gui-test-app.h"
#include "ks-create-report-dialog.h"
#include "ks-map-view.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-report-list.h"
#include "ks-sign-in-page.h"

#define N_REPORTS 300

static KsTestServer  *server;
static KsWindow      *window;

/* Signed in as email, the catalogue loaded. */
static gboolean
categories_known (gpointer data)
{
  return ks_session_get_categories (ks_window_get_session (window)) != NULL;
}

static void
sign_in_as (const char *email)
{
  ks_gui_sign_in_as (window, email);
  g_assert_true (ks_test_wait_for (categories_known, NULL, 120));
}

static char *
admin_token (void)
{
  return ks_test_api_login (server->url, "admin@demo.invalid");
}

static JsonObject *
category_by_code (const char *code)
{
  JsonArray *categories = ks_session_get_categories (ks_window_get_session (window));

  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      if (g_strcmp0 (json_object_get_string_member_with_default (c, "code", ""), code) == 0)
        return c;
    }
  g_assert_not_reached ();
}

static KsCreateReportDialog *
find_create_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (KS_IS_CREATE_REPORT_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return KS_CREATE_REPORT_DIALOG (w);
    }
  return NULL;
}

static gboolean
no_create_dialog (gpointer data)
{
  return find_create_dialog () == NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  KsCreateReportDialog *dialog = data;
  const char *status = ks_create_report_dialog_get_status (dialog);

  return g_str_has_prefix (status, "The question");
}

static gboolean
detail_shows (gpointer data)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  KsReport *report = ks_report_detail_get_report (detail);

  return report && ks_report_get_id (report) == *(gint64 *) data;
}

/* A report of the demo council with a ward, to put the map on. */
static KsReport *
report_with_ward (void)
{
  GListModel *reports = ks_session_get_reports (ks_window_get_session (window));

  for (guint i = 0; i < g_list_model_get_n_items (reports); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (reports, i);

      if (ks_report_get_ward (r) && *ks_report_get_ward (r))
        return r;
    }
  g_assert_not_reached ();
}

static GtkWidget *
find_new_report_button (void)
{
  /* Depth-first walk for the button bound to win.new-report. */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (window)); w; )
    {
      if (GTK_IS_BUTTON (w) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "win.new-report") == 0)
        return w;
      if (gtk_widget_get_first_child (w))
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w && w != GTK_WIDGET (window) && !gtk_widget_get_next_sibling (w))
            w = gtk_widget_get_parent (w);
          w = (w && w != GTK_WIDGET (window)) ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  return NULL;
}

static void
test_create_on_behalf (void)
{
  KsCreateReportDialog *dialog;
  KsReport *here;
  GtkWidget *button, *depth, *lane;
  JsonObject *potholes;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *sql = NULL;
  gint64 before, new_id = 0;
  KsReport *created;

  sign_in_as ("customer.services@demo.invalid");

  /* The button is in the header; the shortcut is Ctrl+N. */
  button = find_new_report_button ();
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button));
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (button)))),
                   ==, "_New Report");
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
    g_autofree char *trigger = NULL;

    for (guint c = 0; trigger == NULL && c < g_list_model_get_n_items (controllers); c++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint i = 0; trigger == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
            GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

            if (GTK_IS_NAMED_ACTION (action) &&
                g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "win.new-report") == 0)
              trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          }
      }
    g_assert_cmpstr (trigger, ==, "<Control>n");
  }

  /* The map on a report with a ward: the place is named from it. */
  here = report_with_ward ();
  ks_map_view_center_on (KS_MAP_VIEW (ks_window_get_map_view (window)),
                         ks_report_get_lat (here), ks_report_get_lon (here), 17);
  ks_test_iterate (200);
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull ((dialog = find_create_dialog ()));
  g_test_message ("Place: %s", ks_create_report_dialog_get_place (dialog));
  g_assert_true (g_str_has_prefix (ks_create_report_dialog_get_place (dialog), "Near "));
  g_assert_nonnull (strstr (ks_create_report_dialog_get_place (dialog), ks_report_get_ward (here)));
  g_assert_null (strstr (ks_create_report_dialog_get_place (dialog), "51."));

  /* Nothing chosen yet, so nothing can be sent. */
  g_assert_cmpint (ks_create_report_dialog_get_category_id (dialog), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (ks_create_report_dialog_get_create_button (dialog)));
  g_assert_cmpstr (ks_create_report_dialog_get_status (dialog), ==,
                   "Still needed: the category, a title, a description, the resident’s name.");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 900);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "create-report-new.png");

  /* Potholes asks how deep (required) and whether in a cycle lane. */
  potholes = category_by_code ("potholes");
  ks_create_report_dialog_fill (dialog, json_object_get_int_member (potholes, "id"),
                                "Pothole by the bus stop", "Caller says it is deep enough to hurt a wheel.",
                                "Pat Caller");
  g_assert_cmpint (ks_create_report_dialog_get_n_questions (dialog), ==, 2);
  depth = ks_create_report_dialog_get_question_row (dialog, "depth");
  lane = ks_create_report_dialog_get_question_row (dialog, "in_cycle_lane");
  g_assert_true (ADW_IS_COMBO_ROW (depth));
  g_assert_true (ADW_IS_COMBO_ROW (lane));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (depth)), ==, "How deep is the pothole?");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (lane)), ==, "Is it in a cycle lane? (optional)");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (depth)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (ks_create_report_dialog_get_create_button (dialog)));
  g_assert_cmpstr (ks_create_report_dialog_get_status (dialog), ==,
                   "Still needed: “How deep is the pothole?”.");
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "create-report-questions.png");

  /* Answered (the third item is the second value, "4 to 10 cm"). */
  adw_combo_row_set_selected (ADW_COMBO_ROW (depth), 2);
  g_assert_true (gtk_widget_get_sensitive (ks_create_report_dialog_get_create_button (dialog)));
  g_assert_cmpstr (ks_create_report_dialog_get_status (dialog), ==, "");
  body = ks_create_report_dialog_get_body (dialog);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "attributes"), "depth"),
                   ==, "4_to_10cm");
  g_assert_false (json_object_has_member (json_object_get_object_member (body, "attributes"), "in_cycle_lane"));

  before = ks_test_server_query_int (server, "SELECT MAX(id) FROM reports");
  ks_create_report_dialog_submit (dialog);
  g_assert_true (ks_test_wait_for (no_create_dialog, NULL, 30));
  new_id = ks_test_server_query_int (server, "SELECT MAX(id) FROM reports");
  g_assert_cmpint (new_id, >, before);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM report_attributes WHERE report_id = %" G_GINT64_FORMAT
                         " AND code = 'depth' AND value = '4_to_10cm'", new_id);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 1);

  /* The new report is open in the detail. */
  g_assert_true (ks_test_wait_for (detail_shows, &new_id, 30));
  created = ks_report_detail_get_report (KS_REPORT_DETAIL (ks_window_get_report_detail (window)));
  g_assert_cmpstr (ks_report_get_title (created), ==, "Pothole by the bus stop");
  g_assert_cmpstr (ks_report_get_ward (created), ==, ks_report_get_ward (here));
  ks_gui_save_screenshot (GTK_WIDGET (window), "create-report-opened.png");

  ks_gui_sign_out (window);
}

static gboolean
nothing_pending (gpointer data)
{
  return ks_outbox_get_n_pending (ks_session_get_outbox (ks_window_get_session (window))) == 0;
}

static gboolean
detail_shows_placeholder (gpointer data)
{
  KsReport *report = ks_report_detail_get_report (KS_REPORT_DETAIL (ks_window_get_report_detail (window)));

  return report != NULL && ks_session_is_placeholder (ks_report_get_id (report));
}

static gboolean
timeline_has (const char *text)
{
  g_auto(GStrv) rows = ks_gui_detail_timeline (window);

  for (guint i = 0; rows != NULL && rows[i] != NULL; i++)
    if (strstr (rows[i], text) != NULL)
      return TRUE;
  return FALSE;
}

/* The position of report id in the list's model, or G_MAXUINT. */
static guint
list_position (gint64 id)
{
  GListModel *model = ks_report_list_get_model (KS_REPORT_LIST (ks_window_get_report_list (window)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);

      if (ks_report_get_id (r) == id)
        return i;
    }
  return G_MAXUINT;
}

static guint
list_count (gint64 id)
{
  GListModel *model = ks_report_list_get_model (KS_REPORT_LIST (ks_window_get_report_list (window)));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);

      n += ks_report_get_id (r) == id;
    }
  return n;
}

static gboolean
detail_reference_is_number (gpointer data)
{
  const char *text = ks_report_detail_get_reference_text (KS_REPORT_DETAIL (ks_window_get_report_detail (window)));

  return text != NULL && text[0] == '#';
}

static gboolean
detail_reference_is (gpointer data)
{
  return g_strcmp0 (ks_report_detail_get_reference_text (KS_REPORT_DETAIL (ks_window_get_report_detail (window))),
                    data) == 0;
}

/* Made while the server cannot be reached: the new report is in the list, on
 * the map and open in the detail at once, as a placeholder that waits; when
 * the server is back it becomes the real report in its row, still selected.
 * One the server refuses says so and can be discarded. */
static void
test_create_offline (void)
{
  KsCreateReportDialog *dialog;
  KsOutbox *outbox;
  JsonObject *potholes;
  KsReport *here, *shown;
  GtkWidget *button;
  KsReportList *list;
  gint64 placeholder, real_id, refused;
  guint pos;
  g_autofree char *title_cell = NULL;
  g_autofree char *sql = NULL;

  sign_in_as ("customer.services@demo.invalid");
  outbox = ks_session_get_outbox (ks_window_get_session (window));
  list = KS_REPORT_LIST (ks_window_get_report_list (window));
  ks_window_set_view (window, "list");
  here = report_with_ward ();
  ks_map_view_center_on (KS_MAP_VIEW (ks_window_get_map_view (window)),
                         ks_report_get_lat (here), ks_report_get_lon (here), 17);
  ks_test_iterate (200);

  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);

  button = find_new_report_button ();
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull ((dialog = find_create_dialog ()));
  potholes = category_by_code ("potholes");
  ks_create_report_dialog_fill (dialog, json_object_get_int_member (potholes, "id"),
                                "Pothole reported while offline", "Caller says it is by the post box.",
                                "Sam Caller");
  adw_combo_row_set_selected (ADW_COMBO_ROW (ks_create_report_dialog_get_question_row (dialog, "depth")), 2);
  ks_create_report_dialog_submit (dialog);
  g_assert_true (ks_test_wait_for (no_create_dialog, NULL, 60));

  /* Open at once as a placeholder: in the list (selected), on the map, in the detail. */
  g_assert_true (ks_test_wait_for (detail_shows_placeholder, NULL, 30));
  shown = ks_report_detail_get_report (KS_REPORT_DETAIL (ks_window_get_report_detail (window)));
  placeholder = ks_report_get_id (shown);
  g_assert_cmpstr (ks_report_get_title (shown), ==, "Pothole reported while offline");
  g_assert_cmpint (ks_report_list_get_selected_id (list), ==, placeholder);
  pos = list_position (placeholder);
  g_assert_cmpuint (pos, !=, G_MAXUINT);
  g_assert_true (ks_gui_wait_list_cell (window, placeholder, "id", "Not sent", 30));
  title_cell = ks_gui_list_cell (window, placeholder, "title");
  g_assert_cmpstr (title_cell, ==, "Pothole reported while offline");
  g_assert_true (ks_gui_wait_map_state (window, placeholder, "confirmed", 30));
  g_assert_cmpstr (ks_report_detail_get_reference_text (KS_REPORT_DETAIL (ks_window_get_report_detail (window))),
                   ==, "Waiting to be sent");
  g_assert_nonnull (ks_report_detail_get_placeholder_text (KS_REPORT_DETAIL (ks_window_get_report_detail (window))));
  g_assert_false (gtk_widget_get_visible (ks_report_detail_get_placeholder_discard (
                    KS_REPORT_DETAIL (ks_window_get_report_detail (window)))));
  g_assert_true (timeline_has ("Created the report"));
  g_assert_nonnull (ks_gui_find_named (ks_window_get_report_detail (window), "pending-change"));
  g_assert_nonnull (ks_gui_find_label_prefix (ks_window_get_report_detail (window), "You · waiting to be sent"));
  g_assert_null (ks_gui_find_label_prefix (ks_window_get_report_detail (window), "Loading"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "create-report-offline-placeholder.png");

  /* Back: the placeholder becomes the report, in its row, still selected. */
  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (nothing_pending, NULL, 60));
  real_id = ks_report_get_id (shown);
  g_assert_cmpint (real_id, >, 0);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM reports WHERE title = 'Pothole reported while offline'");
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 1);
  g_assert_true (ks_test_wait_for (detail_reference_is_number, NULL, 30));
  g_assert_true (ks_report_detail_get_report (KS_REPORT_DETAIL (ks_window_get_report_detail (window))) == shown);
  g_assert_cmpint (ks_report_list_get_selected_id (list), ==, real_id);
  g_assert_cmpuint (list_position (real_id), ==, pos);
  g_assert_cmpuint (list_count (placeholder), ==, 0);
  g_assert_cmpuint (list_count (real_id), ==, 1);
  {
    g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, real_id);
    g_autofree char *reference = g_strdup_printf ("#%" G_GINT64_FORMAT, real_id);

    g_assert_true (ks_gui_wait_list_cell (window, real_id, "id", want, 30));
    g_assert_cmpstr (ks_report_detail_get_reference_text (KS_REPORT_DETAIL (ks_window_get_report_detail (window))),
                     ==, reference);
  }
  g_assert_null (ks_report_detail_get_placeholder_text (KS_REPORT_DETAIL (ks_window_get_report_detail (window))));
  g_assert_true (ks_gui_wait_map_state (window, real_id, "confirmed", 30));
  g_assert_null (ks_gui_map_state (window, placeholder));
  g_assert_false (timeline_has ("Created the report"));
  g_assert_null (ks_gui_find_named (ks_window_get_report_detail (window), "pending-change"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "create-report-offline-sent.png");

  /* Refused (the server's required question the app did not ask): said, and discarded. */
  ks_test_server_stop (server);
  {
    g_autoptr(JsonObject) fields = json_object_new ();
    g_autoptr(GAsyncResult) result = NULL;
    gboolean queued = FALSE;

    json_object_set_int_member (fields, "category_id", json_object_get_int_member (potholes, "id"));
    json_object_set_string_member (fields, "title", "Pothole without its depth");
    json_object_set_string_member (fields, "detail", "The depth was not asked.");
    json_object_set_double_member (fields, "lat", ks_report_get_lat (here));
    json_object_set_double_member (fields, "lon", ks_report_get_lon (here));
    json_object_set_boolean_member (fields, "as_council", TRUE);
    ks_session_create_report_from_json_async (ks_window_get_session (window), fields, NULL, NULL,
                                              ks_test_store_result, &result);
    ks_test_wait (&result);
    g_assert_true (ks_session_create_report_finish (ks_window_get_session (window), result, &refused,
                                                    &queued, NULL));
    g_assert_true (queued);
  }
  ks_window_show_report (window, refused);
  g_assert_true (ks_test_wait_for (detail_shows_placeholder, NULL, 30));
  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (nothing_pending, NULL, 60));
  {
    KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
    const char *text;

    g_assert_true (ks_test_wait_for (detail_reference_is, (gpointer) "Not accepted", 30));
    text = ks_report_detail_get_placeholder_text (detail);
    g_test_message ("refused: %s", text);
    g_assert_nonnull (strstr (text, "did not accept"));
    g_assert_true (gtk_widget_get_visible (ks_report_detail_get_placeholder_discard (detail)));
    g_assert_true (timeline_has ("Created the report"));
    g_assert_nonnull (ks_gui_find_label_prefix (GTK_WIDGET (detail), "You · not accepted by the server"));
    ks_gui_save_screenshot (GTK_WIDGET (window), "create-report-offline-refused.png");
    g_signal_emit_by_name (ks_report_detail_get_placeholder_discard (detail), "clicked");
  }
  ks_test_iterate (200);
  g_assert_cmpuint (list_count (refused), ==, 0);
  g_assert_null (ks_session_lookup_report (ks_window_get_session (window), refused));
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT COUNT(*) FROM reports WHERE title = 'Pothole without its depth'"),
                   ==, 0);
  ks_gui_sign_out (window);
}

/* The council adds a required question after the app loaded the categories:
 * the server refuses, and the dialog keeps everything and says why. */
static void
test_server_refuses_missing_answer (void)
{
  KsCreateReportDialog *dialog;
  g_autofree char *token = admin_token ();
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  JsonObject *kerbs;
  gint64 before;

  sign_in_as ("customer.services@demo.invalid");
  kerbs = category_by_code ("kerbs");
  path = g_strdup_printf ("/api/v1/categories/%" G_GINT64_FORMAT, json_object_get_int_member (kerbs, "id"));
  json_object_unref (ks_test_api (server->url, "PATCH", path, token,
                                   "{\"extra\": [{\"code\": \"kerb_type\", \"description\": \"What kind of kerb is it?\", "
                                   "\"datatype\": \"string\", \"required\": true}]}"));

  dialog = KS_CREATE_REPORT_DIALOG (ks_window_create_report_at (window, 51.752, -1.2577));
  g_assert_nonnull (dialog);
  ks_create_report_dialog_fill (dialog, json_object_get_int_member (kerbs, "id"), "Loose kerb stone",
                                "By the crossing.", NULL);
  g_assert_true (gtk_widget_get_sensitive (ks_create_report_dialog_get_create_button (dialog)));
  before = ks_test_server_query_int (server, "SELECT COUNT(*) FROM reports");
  ks_create_report_dialog_submit (dialog);
  g_assert_true (ks_test_wait_for (dialog_idle, dialog, 30));
  g_assert_true (find_create_dialog () == dialog);
  g_assert_nonnull (strstr (ks_create_report_dialog_get_status (dialog), "What kind of kerb is it?"));
  g_assert_cmpstr (ks_create_report_dialog_get_title (dialog), ==, "Loose kerb stone");
  g_assert_true (gtk_widget_get_sensitive (ks_create_report_dialog_get_create_button (dialog)));
  sql = g_strdup ("SELECT COUNT(*) FROM reports");
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, before);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "create-report-refused.png");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (ks_test_wait_for (no_create_dialog, NULL, 10));

  ks_gui_sign_out (window);
}

/* Roles without create_report_on_behalf see no button and the action is off. */
static void
test_not_offered (void)
{
  sign_in_as ("maintenance@demo.invalid");
  g_assert_nonnull (find_new_report_button ());
  g_assert_false (gtk_widget_get_visible (find_new_report_button ()));
  g_assert_null (ks_window_create_report_at (window, 51.752, -1.2577));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-report", NULL);
  ks_test_iterate (100);
  g_assert_null (find_create_dialog ());
  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1366, 768);

  g_test_add_func ("/create-report/on-behalf", test_create_on_behalf);
  g_test_add_func ("/create-report/offline", test_create_offline);
  g_test_add_func ("/create-report/server-refuses", test_server_refuses_missing_answer);
  g_test_add_func ("/create-report/not-offered", test_not_offered);

  return ks_gui_test_run ();
}

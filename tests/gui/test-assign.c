/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-assign.c: who does the work, as a person sees it: the Assign dialog puts
 * a report on a colleague's shortlist (the detail and the Assigned To column name
 * them), the Assigned To filter, My Shortlist reordered by dragging a row, and
 * Navigate's geo: URI. The real window against a real kerbside-server on
 * loopback; screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-assign"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-assign-dialog.h"
#include "ks-filter-sidebar.h"
#include "ks-filter-sidebar-private.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-report-list.h"
#include "ks-report-list-private.h"
#include "ks-test-http.h"
#include "ks-object-int64.h"

#define N_REPORTS 200
#define INSPECTOR "inspector@demo.invalid"
#define MAINTENANCE "maintenance@demo.invalid"

static KsTestServer  *server;
static KsWindow      *window;

/* Helpers */

static KsReportList *
report_list (void)
{
  return KS_REPORT_LIST (ks_window_get_report_list (window));
}

static gboolean
detail_loaded (gpointer data)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  KsReport *report = ks_report_detail_get_report (detail);

  return report && ks_report_get_id (report) == *(gint64 *) data
         && ks_report_detail_get_detail (detail) != NULL;
}

static KsReportDetail *
open_report (gint64 id)
{
  ks_window_set_view (window, "list");
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
  ks_test_iterate (200);
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static gboolean
row_on_screen (gpointer data)
{
  g_autofree char *cell = ks_gui_list_cell (window, *(gint64 *) data, "id");

  return cell != NULL;
}

typedef struct {
  guint  skip;
  gint64 id;
} FreeReport;

/* The skip+1-th open report on nobody's shortlist among the list's rows. */
static gboolean
free_report_listed (gpointer data)
{
  FreeReport *want = data;
  GListModel *model = ks_report_list_get_model (report_list ());
  guint skip = want->skip;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);

      if (g_strcmp0 (ks_report_get_state (report), "confirmed") != 0 ||
          ks_report_get_shortlist_user (report) != 0 || skip-- > 0)
        continue;
      want->id = ks_report_get_id (report);
      return TRUE;
    }
  return FALSE;
}

/* An open report on nobody's shortlist, scrolled into view in the list. The
 * rows are waited for: a filter just cleared may still be applying (under
 * AddressSanitizer on a busy machine, longer than a moment). */
static gint64
free_report_on_screen (guint skip)
{
  FreeReport want = { skip, 0 };

  ks_window_set_view (window, "list");
  ks_test_iterate (300);
  g_assert_true (ks_test_wait_for (free_report_listed, &want, 30));
  g_assert_true (ks_report_list_select_id (report_list (), want.id));
  g_assert_true (ks_test_wait_for (row_on_screen, &want.id, 10));
  return want.id;
}

static void
click_action (const char *action)
{
  KsReportDetail *detail = KS_REPORT_DETAIL (ks_window_get_report_detail (window));
  GtkWidget *button = ks_report_detail_get_action_button (detail, action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static JsonObject *
server_report (gint64 id)
{
  g_autofree char *token = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);

  return ks_test_api (server->url, "GET", path, token, NULL);
}

static gint64
user_id_of (const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM users WHERE email = '%s'", email);
  return ks_test_server_query_int (server, sql);
}

static char *
user_name_of (const char *email)
{
  JsonArray *people = ks_session_get_assignees (ks_window_get_session (window));
  gint64 id = user_id_of (email);

  for (guint i = 0; i < json_array_get_length (people); i++)
    {
      JsonObject *p = json_array_get_object_element (people, i);
      if (json_object_get_int_member (p, "id") == id)
        return g_strdup (json_object_get_string_member (p, "name"));
    }
  g_assert_not_reached ();
  return NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return ks_gui_find_dialog () == NULL;
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (ks_session_get_outbox (ks_window_get_session (window))) == 0;
}

/* Tests */

/* Assign: the dialog offers those who can hold reports (not Customer Services),
 * and choosing a colleague puts the report on their shortlist: the detail and
 * the Assigned To column name them, the server agrees. */
static void
test_assign_dialog (void)
{
  g_autofree char *maint_name = NULL;
  g_autofree char *want_row = NULL;
  g_autofree char *text = NULL;
  g_autofree char *cs_row = NULL;
  g_autoptr(JsonObject) after = NULL;
  AdwMessageDialog *dialog;
  gint64 id, maint = user_id_of (MAINTENANCE);

  ks_gui_sign_in_as (window, INSPECTOR);
  ks_report_list_set_column_visible (report_list (), "assigned", TRUE);
  id = free_report_on_screen (0);
  maint_name = user_name_of (MAINTENANCE);
  open_report (id);
  g_assert_true (ks_gui_wait_detail_field (window, "shortlist", "On nobody’s shortlist", 10));
  g_assert_true (ks_gui_wait_list_cell (window, id, "assigned", "", 10));

  click_action ("assign");
  dialog = ks_gui_wait_dialog (10);
  g_assert_nonnull (dialog);
  g_assert_true (KS_IS_ASSIGN_DIALOG (dialog));
  text = ks_gui_all_text (GTK_WIDGET (dialog));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, maint_name));
  cs_row = g_strdup_printf ("assignee-%" G_GINT64_FORMAT, user_id_of ("customer.services@demo.invalid"));
  g_assert_null (ks_gui_find_named (GTK_WIDGET (dialog), cs_row));
  /* Nothing chosen yet: Assign waits. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "assign"));
  g_assert_true (ks_assign_dialog_choose (KS_ASSIGN_DIALOG (dialog), maint));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "assign"));
  ks_test_iterate (200);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "assign-dialog.png");
  ks_gui_respond (dialog, "assign");
  g_assert_true (ks_test_wait_for (no_dialog, NULL, 5));

  want_row = g_strdup_printf ("On %s’s shortlist", maint_name);
  g_assert_true (ks_gui_wait_detail_field (window, "shortlist", want_row, 20));
  g_assert_true (ks_gui_wait_list_cell (window, id, "assigned", maint_name, 20));
  g_assert_true (ks_test_wait_for (outbox_empty, NULL, 20));
  after = server_report (id);
  g_assert_cmpint (json_object_get_int_member (after, "shortlist_user"), ==, maint);
  ks_test_iterate (300);
  ks_gui_save_screenshot (GTK_WIDGET (window), "assign-detail-and-column.png");
}

static gboolean
all_rows (KsReportList *list, gboolean assigned)
{
  GListModel *model = ks_report_list_get_model (list);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if ((ks_report_get_shortlist_user (r) != 0) != assigned)
        return FALSE;
    }
  return n > 0;
}

/* The Assigned To filter: Nobody shows only rows with an empty Assigned To cell,
 * Someone only rows naming a holder. */
static void
test_assigned_filter (void)
{
  KsFilterSidebar *sidebar = KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window));
  GtkWidget *row = ks_filter_sidebar_get_assigned_row (sidebar);
  g_autoptr(GArray) shown = NULL;
  guint n_all;

  ks_gui_sign_in_as (window, INSPECTOR);
  ks_report_list_set_column_visible (report_list (), "assigned", TRUE);
  ks_window_set_view (window, "list");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (row));
  ks_filter_sidebar_clear (sidebar);
  ks_test_iterate (300);
  n_all = g_list_model_get_n_items (ks_report_list_get_model (report_list ()));

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 3);   /* Nobody */
  ks_test_iterate (500);
  g_assert_true (all_rows (report_list (), FALSE));
  shown = ks_report_list_get_shown_ids (report_list ());
  g_assert_cmpuint (shown->len, >, 0);
  for (guint i = 0; i < shown->len; i++)
    {
      g_autofree char *cell = ks_gui_list_cell (window, g_array_index (shown, gint64, i), "assigned");
      g_assert_cmpstr (cell, ==, "");
    }
  g_clear_pointer (&shown, g_array_unref);

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);   /* Someone */
  ks_test_iterate (500);
  g_assert_true (all_rows (report_list (), TRUE));
  shown = ks_report_list_get_shown_ids (report_list ());
  g_assert_cmpuint (shown->len, >, 0);
  for (guint i = 0; i < shown->len; i++)
    {
      g_autofree char *cell = ks_gui_list_cell (window, g_array_index (shown, gint64, i), "assigned");
      g_assert_nonnull (cell);
      g_assert_cmpstr (cell, !=, "");
    }
  ks_gui_save_screenshot (GTK_WIDGET (window), "assigned-filter-someone.png");

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  ks_test_iterate (300);
  g_assert_cmpuint (g_list_model_get_n_items (ks_report_list_get_model (report_list ())), ==, n_all);
}

static GtkWidget *
cell_of (gint64 id)
{
  /* Any cell of the row: the title's. */
  GtkWidget *view = ks_report_list_get_column_view (report_list ());
  g_autoptr(GArray) unused = NULL;
  GtkWidget *stack[4096];
  guint n = 0;

  stack[n++] = view;
  while (n > 0)
    {
      GtkWidget *w = stack[--n];

      if (GTK_IS_INSCRIPTION (w) && gtk_widget_get_mapped (w) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (w), "ks-column"), "title") == 0 &&
          ks_object_get_int64 (w, "ks-report-id") == id)
        return w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c && n < G_N_ELEMENTS (stack); c = gtk_widget_get_next_sibling (c))
        stack[n++] = c;
    }
  return NULL;
}

static gpointer
controller_of (GtkWidget *widget, GType type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;   /* the widget keeps it */
    }
  return NULL;
}

/* The middle of widget, in other's coordinates. */
static graphene_point_t
point_in (GtkWidget *widget,
          GtkWidget *other)
{
  graphene_point_t p = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                            gtk_widget_get_height (widget) / 2.0), q;

  g_assert_true (gtk_widget_compute_point (widget, other, &p, &q));
  return q;
}

static gboolean
shown_order_is (gpointer data)
{
  GArray *want = data;
  g_autoptr(GArray) shown = ks_report_list_get_shown_ids (report_list ());

  return shown->len == want->len &&
         memcmp (shown->data, want->data, want->len * sizeof (gint64)) == 0;
}

/* My Shortlist shows the shortlist in its order; dragging the last row onto the
 * first puts it first: on screen at once, and on the server. */
static void
test_drag_reorder (void)
{
  g_autofree char *token = ks_test_api_login (server->url, INSPECTOR);
  KsFilterSidebar *sidebar = KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window));
  KsSession *session;
  g_autoptr(GArray) order = NULL;
  g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GdkContentProvider) content = NULL;
  GtkWidget *switch_, *from_cell, *onto_cell, *view;
  graphene_point_t at;
  GtkDragSource *source;
  GtkDropTarget *target;
  GValue value = G_VALUE_INIT;
  gboolean dropped = FALSE;
  gint64 first, last;

  ks_gui_sign_in_as (window, INSPECTOR);
  session = ks_window_get_session (window);
  ks_filter_sidebar_clear (sidebar);
  /* Three open reports on nobody's shortlist go on mine through the API: the
   * app sees none of them held until it syncs, so the first three it lists. */
  for (guint i = 0; i < 3; i++)
    {
      gint64 id = free_report_on_screen (i);
      g_autofree char *body = g_strdup_printf ("{\"report_id\": %" G_GINT64_FORMAT "}", id);
      g_autoptr(JsonObject) answer = ks_test_api (server->url, "POST", "/api/v1/shortlist", token, body);
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  ks_test_iterate (1500);

  switch_ = ks_gui_find_type (GTK_WIDGET (sidebar), GTK_TYPE_SWITCH);
  g_assert_nonnull (switch_);
  gtk_switch_set_active (GTK_SWITCH (switch_), TRUE);
  ks_test_iterate (800);
  order = ks_session_get_shortlist_ids (session);
  g_assert_cmpuint (order->len, >=, 3);
  /* Shown in the shortlist's order, no column sort, rows can be dragged. */
  g_assert_true (ks_test_wait_for (shown_order_is, order, 10));
  g_assert_true (ks_report_list_can_reorder (report_list ()));

  first = g_array_index (order, gint64, 0);
  last = g_array_index (order, gint64, order->len - 1);
  from_cell = cell_of (last);
  onto_cell = cell_of (first);
  g_assert_nonnull (from_cell);
  g_assert_nonnull (onto_cell);
  /* The drag as the list's controllers see it (one drag source and one drop
   * target on the column view, finding the row under the pointer): what the
   * last row offers where it is pressed, dropped on the first row. */
  view = ks_report_list_get_column_view (report_list ());
  source = controller_of (view, GTK_TYPE_DRAG_SOURCE);
  target = controller_of (view, GTK_TYPE_DROP_TARGET);
  g_assert_nonnull (source);
  g_assert_nonnull (target);
  g_assert_null (controller_of (from_cell, GTK_TYPE_DRAG_SOURCE));
  at = point_in (from_cell, view);
  g_signal_emit_by_name (source, "prepare", (double) at.x, (double) at.y, &content);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_INT64);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_cmpint (g_value_get_int64 (&value), ==, last);
  /* Pressed on the header, nothing is dragged; dropped on it, nothing moves. */
  g_clear_object (&content);
  g_signal_emit_by_name (source, "prepare", 8.0, 4.0, &content);
  g_assert_null (content);
  g_signal_emit_by_name (target, "drop", &value, 8.0, 4.0, &dropped);
  g_assert_false (dropped);
  at = point_in (onto_cell, view);
  g_signal_emit_by_name (target, "drop", &value, (double) at.x, (double) at.y, &dropped);
  g_value_unset (&value);
  g_assert_true (dropped);

  g_array_append_val (want, last);
  for (guint i = 0; i + 1 < order->len; i++)
    g_array_append_val (want, g_array_index (order, gint64, i));
  g_assert_true (ks_test_wait_for (shown_order_is, want, 10));
  ks_test_iterate (300);
  ks_gui_save_screenshot (GTK_WIDGET (window), "shortlist-dragged.png");

  /* The server's order (what the inspector's day follows). */
  g_assert_true (ks_test_wait_for (outbox_empty, NULL, 20));
  {
    g_autoptr(JsonObject) list = ks_test_api (server->url, "GET", "/api/v1/shortlist", token, NULL);
    JsonArray *reports = json_object_get_array_member (list, "reports");

    g_assert_cmpuint (json_array_get_length (reports), ==, want->len);
    for (guint i = 0; i < want->len; i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (reports, i), "id"), ==,
                       g_array_index (want, gint64, i));
  }

  /* Sorted by a column, the rows are not the shortlist's order: no dragging. */
  ks_report_list_sort_by (report_list (), "id", GTK_SORT_ASCENDING);
  ks_test_iterate (200);
  g_assert_false (ks_report_list_can_reorder (report_list ()));
  gtk_switch_set_active (GTK_SWITCH (switch_), FALSE);
  ks_test_iterate (300);
}

/* Navigate opens geo:LAT,LON of the report. */
static void
test_navigate (void)
{
  KsReportDetail *detail;
  KsReport *report;
  g_autofree char *uri = NULL;
  g_autofree char *want = NULL;
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
  gint64 id;

  ks_gui_sign_in_as (window, "customer.services@demo.invalid");
  id = free_report_on_screen (0);
  detail = open_report (id);
  report = ks_report_detail_get_report (detail);
  g_ascii_formatd (lat, sizeof lat, "%.6f", ks_report_get_lat (report));
  g_ascii_formatd (lon, sizeof lon, "%.6f", ks_report_get_lon (report));
  want = g_strdup_printf ("geo:%s,%s", lat, lon);
  g_assert_true (g_str_has_prefix (want, "geo:51."));
  uri = ks_report_detail_navigate_uri (detail);
  g_assert_cmpstr (uri, ==, want);
  /* Customer Services may navigate, not assign. */
  g_assert_null (ks_report_detail_get_action_button (detail, "assign"));
  click_action ("navigate");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (detail), "ks-launched-uri"), ==, want);
  ks_test_iterate (500);
  ks_gui_save_screenshot (GTK_WIDGET (window), "detail-navigate.png");
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1366, 800);

  g_test_add_func ("/assign/dialog", test_assign_dialog);
  g_test_add_func ("/assign/filter", test_assigned_filter);
  g_test_add_func ("/assign/drag-reorder", test_drag_reorder);
  g_test_add_func ("/assign/navigate", test_navigate);

  return ks_gui_test_run ();
}

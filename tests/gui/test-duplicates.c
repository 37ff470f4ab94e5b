/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-duplicates.c: duplicates in the real window against a real
 * kerbside-server: the detail lists the open reports of the same category nearby
 * (nearest first, with their distance), "Mark as Duplicate of This" closes the
 * report as a duplicate and shows the link, the original lists its duplicate and
 * opens from the link, Undo gives the state back; a role without update_status
 * sees the reports nearby but no button; the create-on-behalf dialog lists the
 * reports nearby once the category is chosen and opens one instead of creating a
 * report; "Duplicate…" among the detail's actions offers the same reports in a
 * dialog, nearest first. Screenshots go to KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-duplicates"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-test-http.h"
#include "ks-gui-test.h"
#include "ks-gui-test-app.h"
#include "ks-create-report-dialog.h"
#include "ks-filter-sidebar.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-report-list.h"
#include "ks-report-list-private.h"

#define N_REPORTS 200
/* Inside the demo's area, but in a category of this test's own. */
#define LAT 51.7600
#define LON -1.2650

static KsTestServer *server;
static KsWindow     *window;
static gint64        category_id, original_id, duplicate_id;

static gint64
create_report (const char *token, const char *title, double north_m)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (lat, sizeof lat, LAT + north_m / 111195.0);
  g_ascii_dtostr (lon, sizeof lon, LON);
  body = g_strdup_printf ("{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"%s\", "
                          "\"detail\": \"Seen by staff.\", \"lat\": %s, \"lon\": %s, "
                          "\"as_council\": true}", category_id, title, lat, lon);
  answer = ks_test_api (server->url, "POST", "/api/v1/reports", token, body);
  return json_object_get_int_member (json_object_get_object_member (answer, "report"), "id");
}

static KsReportDetail *
detail (void)
{
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static KsDetailDuplicates *
facet (void)
{
  return ks_report_detail_get_duplicates (detail ());
}

static gboolean
detail_loaded (gpointer data)
{
  KsReport *report = ks_report_detail_get_report (detail ());

  return report && ks_report_get_id (report) == *(gint64 *) data &&
         ks_report_detail_get_detail (detail ()) != NULL;
}

static gboolean
reports_known (gpointer data)
{
  return ks_session_lookup_report (ks_window_get_session (window), *(gint64 *) data) != NULL;
}

/* The rows (links or nearby) joined by "|", once they are not a "looking" note. */
static char *
rows_text (gboolean nearby)
{
  g_auto(GStrv) rows = ks_detail_duplicates_get_rows (facet (), nearby);

  return g_strjoinv ("|", rows);
}

typedef struct {
  gboolean    nearby;
  const char *want;
} RowsWait;

static gboolean
rows_are (gpointer data)
{
  RowsWait *w = data;
  g_autofree char *text = rows_text (w->nearby);

  return g_strcmp0 (text, w->want) == 0;
}

static void
wait_rows (gboolean nearby, const char *want)
{
  RowsWait w = { nearby, want };

  if (!ks_test_wait_for (rows_are, &w, 30))
    {
      g_autofree char *text = rows_text (nearby);
      g_test_message ("shown: %s", text);
      g_assert_cmpstr (text, ==, want);
    }
}

static gboolean
server_says_linked (gpointer sql)
{
  return ks_test_server_query_int (server, sql) == original_id;
}

static void
open_report (gint64 id)
{
  ks_window_set_view (window, "list");
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
  ks_test_iterate (100);
}

static void
sign_in_as (const char *email)
{
  ks_gui_sign_in_as (window, email);
  g_assert_true (ks_test_wait_for (reports_known, &duplicate_id, 120));
}

/* Scrolls the detail so that the links (or the reports nearby) show, for the
 * screenshot. */
static void
show_facet_part (gboolean nearby)
{
  GtkWidget *w = nearby ? ks_detail_duplicates_get_nearby_widget (facet ())
                        : ks_detail_duplicates_get_widget (facet ());
  GtkWidget *scroller = gtk_widget_get_ancestor (w, GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t p;

  ks_test_iterate (200);
  if (scroller != NULL && gtk_widget_compute_point (w, scroller, &GRAPHENE_POINT_INIT (0, 0), &p))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + p.y - 12);
    }
  ks_test_iterate (200);
}

/* A report's State cell in the list shows want (NULL: no link). */
typedef struct {
  gint64      id;
  const char *want;
} CellWait;

static gboolean
state_cell_links (gpointer data)
{
  CellWait *w = data;
  g_autofree char *text = ks_report_list_get_cell_text (KS_REPORT_LIST (ks_window_get_report_list (window)),
                                                        w->id, "state");

  if (text == NULL)
    return FALSE;
  return w->want ? strstr (text, w->want) != NULL : strstr (text, "Duplicate of") == NULL;
}

static void
test_mark_and_undo (void)
{
  g_autofree char *nearby = NULL;
  g_autofree char *link = NULL;
  g_autofree char *back = NULL;
  g_autofree char *sql = NULL;
  GtkWidget *mark, *undo;

  sign_in_as ("inspector@demo.invalid");
  /* Every state, so that the report keeps its row once it is closed as a
   * duplicate (the window starts on the open ones). */
  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "all");
  /* The newest first: the test's reports are at the top of the list. */
  ks_report_list_sort_by (KS_REPORT_LIST (ks_window_get_report_list (window)), "id", GTK_SORT_DESCENDING);
  open_report (duplicate_id);

  /* The report 9 m away, open, with the button to choose it as the original. */
  nearby = g_strdup_printf ("#%" G_GINT64_FORMAT " Street light out on Hollow Way\n9 m away · Open",
                            original_id);
  wait_rows (TRUE, nearby);
  g_assert_true (gtk_widget_get_visible (ks_detail_duplicates_get_widget (facet ())));
  mark = ks_detail_duplicates_get_button (facet (), "mark", original_id);
  g_assert_nonnull (mark);
  g_assert_true (gtk_widget_get_visible (mark) && gtk_widget_is_sensitive (mark));
  g_assert_null (ks_detail_duplicates_get_button (facet (), "undo", 0));
  show_facet_part (TRUE);
  ks_gui_save_screenshot (GTK_WIDGET (window), "duplicates-nearby.png");

  /* Marked: closed as a duplicate, the link shown with Undo. */
  g_signal_emit_by_name (mark, "clicked");
  sql = g_strdup_printf ("SELECT duplicate_of FROM reports WHERE id = %" G_GINT64_FORMAT, duplicate_id);
  g_assert_true (ks_test_wait_for (server_says_linked, sql, 30));
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Duplicate", 30));
  link = g_strdup_printf ("Duplicate of #%" G_GINT64_FORMAT " Street light out on Hollow Way\nOpen",
                          original_id);
  wait_rows (FALSE, link);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, original_id);
  undo = ks_detail_duplicates_get_button (facet (), "undo", original_id);
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_is_sensitive (undo));
  /* A duplicate is not offered as the duplicate of another. */
  g_assert_null (ks_detail_duplicates_get_button (facet (), "mark", 0));
  {
    g_auto(GStrv) timeline = ks_report_detail_get_timeline (detail ());
    g_autofree char *all = g_strjoinv ("|", timeline);
    g_assert_nonnull (strstr (all, "This report is a duplicate of report"));
  }
  /* The list names the original in the duplicate's State cell. */
  {
    g_autofree char *cell = g_strdup_printf ("Duplicate of #%" G_GINT64_FORMAT, original_id);
    KsReport *r = ks_session_lookup_report (ks_window_get_session (window), duplicate_id);

    g_assert_true (ks_test_wait_for (state_cell_links, &(CellWait) { duplicate_id, cell }, 30));
    g_assert_cmpint (ks_report_get_duplicate_of (r), ==, original_id);
    g_assert_cmpstr (ks_report_get_state (r), ==, "duplicate");
  }
  show_facet_part (FALSE);
  ks_gui_save_screenshot (GTK_WIDGET (window), "duplicates-marked.png");

  /* The link opens the original, which lists its duplicate. */
  {
    GtkWidget *links = gtk_widget_get_parent (gtk_widget_get_ancestor (undo, GTK_TYPE_LIST_BOX_ROW));
    GtkWidget *row = gtk_widget_get_ancestor (undo, GTK_TYPE_LIST_BOX_ROW);

    g_signal_emit_by_name (links, "row-activated", row);
  }
  g_assert_true (ks_test_wait_for (detail_loaded, &original_id, 30));
  back = g_strdup_printf ("#%" G_GINT64_FORMAT " Street lamp dark by the bus stop\n"
                          "A duplicate of this report · Duplicate", duplicate_id);
  wait_rows (FALSE, back);
  show_facet_part (FALSE);
  ks_gui_save_screenshot (GTK_WIDGET (window), "duplicates-original.png");

  /* Undo: back to the state it had, no link either way. */
  open_report (duplicate_id);
  undo = ks_detail_duplicates_get_button (facet (), "undo", original_id);
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Open", 30));
  wait_rows (FALSE, "");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_first_child (ks_detail_duplicates_get_widget (facet ()))));
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 0);
  g_assert_true (ks_test_wait_for (state_cell_links, &(CellWait) { duplicate_id, NULL }, 30));
  wait_rows (TRUE, nearby);
  g_assert_nonnull (ks_detail_duplicates_get_button (facet (), "mark", original_id));
  show_facet_part (TRUE);
  ks_gui_save_screenshot (GTK_WIDGET (window), "duplicates-undone.png");

  ks_report_list_sort_by (KS_REPORT_LIST (ks_window_get_report_list (window)), "priority", GTK_SORT_ASCENDING);
  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "open");
  ks_gui_sign_out (window);
}

/* The demo's own duplicates come linked to the report they repeat: the list
 * names it, the detail shows the link with Undo, as for a report staff
 * marked. */
static void
test_demo_linked (void)
{
  gint64 dup = ks_test_server_query_int (server,
    "SELECT max(id) FROM reports WHERE state = 'duplicate' AND duplicate_of IS NOT NULL");
  g_autofree char *sql = g_strdup_printf ("SELECT duplicate_of FROM reports WHERE id = %" G_GINT64_FORMAT, dup);
  gint64 of = ks_test_server_query_int (server, sql);
  g_autofree char *cell = g_strdup_printf ("Duplicate of #%" G_GINT64_FORMAT, of);
  g_autofree char *link = NULL;
  g_autofree char *shown = NULL;
  KsReport *original;
  GtkWidget *undo;

  g_assert_cmpint (dup, >, 0);
  sign_in_as ("inspector@demo.invalid");
  g_assert_true (ks_test_wait_for (reports_known, &of, 120));
  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "all");
  open_report (dup);

  g_assert_true (ks_test_wait_for (state_cell_links, &(CellWait) { dup, cell }, 30));
  original = ks_session_lookup_report (ks_window_get_session (window), of);
  link = g_strdup_printf ("Duplicate of #%" G_GINT64_FORMAT " %s\n", of, ks_report_get_title (original));
  shown = rows_text (FALSE);
  g_test_message ("demo duplicate %" G_GINT64_FORMAT ": %s", dup, shown);
  g_assert_true (g_str_has_prefix (shown, link));
  undo = ks_detail_duplicates_get_button (facet (), "undo", of);
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_get_visible (undo) && gtk_widget_is_sensitive (undo));
  show_facet_part (FALSE);
  ks_gui_save_screenshot (GTK_WIDGET (window), "duplicates-demo-linked.png");

  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "open");
  ks_gui_sign_out (window);
}

/* "Duplicate…" among the detail's actions: its dialog offers the open reports
 * of the category nearby, nearest first; choosing one marks the report. */
static gboolean
dialog_offers (gpointer data)
{
  AdwMessageDialog *dialog = data;

  return ks_gui_find_named (GTK_WIDGET (dialog), g_object_get_data (G_OBJECT (dialog), "ks-want")) != NULL;
}

static gboolean
button_insensitive (gpointer data)
{
  GtkWidget *button = ks_report_detail_get_action_button (detail (), data);

  return button != NULL && !gtk_widget_get_sensitive (button);
}

static void
test_mark_from_dialog (void)
{
  g_autofree char *check_name = g_strdup_printf ("original-%" G_GINT64_FORMAT, original_id);
  g_autofree char *sql = g_strdup_printf ("SELECT duplicate_of FROM reports WHERE id = %" G_GINT64_FORMAT,
                                          duplicate_id);
  g_autofree char *text = NULL;
  g_autofree char *link = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *button, *check, *number;

  sign_in_as ("inspector@demo.invalid");
  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "all");
  open_report (duplicate_id);
  button = ks_report_detail_get_action_button (detail (), "duplicate");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button) && gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  dialog = ks_gui_wait_dialog (30);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "duplicate");
  /* Nothing chosen yet: nothing to confirm. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "mark"));
  g_object_set_data_full (G_OBJECT (dialog), "ks-want", g_strdup (check_name), g_free);
  g_assert_true (ks_test_wait_for (dialog_offers, dialog, 30));
  text = ks_gui_all_text (ks_gui_find_named (GTK_WIDGET (dialog), "originals"));
  g_test_message ("offered: %s", text);
  g_assert_nonnull (strstr (text, "Street light out on Hollow Way"));
  g_assert_nonnull (strstr (text, "9 m away · Open"));
  /* Not itself. */
  g_assert_null (strstr (text, "Street lamp dark by the bus stop"));

  /* A number that is not a report's: still nothing to confirm; its own: neither. */
  number = ks_gui_find_named (GTK_WIDGET (dialog), "original-number");
  g_assert_nonnull (number);
  gtk_editable_set_text (GTK_EDITABLE (number), "twelve");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "mark"));
  {
    g_autofree char *own = g_strdup_printf ("%" G_GINT64_FORMAT, duplicate_id);
    gtk_editable_set_text (GTK_EDITABLE (number), own);
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "mark"));
  }
  check = ks_gui_find_named (GTK_WIDGET (dialog), check_name);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (number)), ==, "");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "mark"));
  ks_test_iterate (200);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "duplicates-dialog.png");
  ks_gui_respond (dialog, "mark");

  g_assert_true (ks_test_wait_for (server_says_linked, sql, 30));
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Duplicate", 30));
  link = g_strdup_printf ("Duplicate of #%" G_GINT64_FORMAT " Street light out on Hollow Way\nOpen",
                          original_id);
  wait_rows (FALSE, link);
  /* Marked: the action waits until the mark is undone. */
  g_assert_true (ks_test_wait_for (button_insensitive, (gpointer) "duplicate", 30));
  show_facet_part (FALSE);
  ks_gui_save_screenshot (GTK_WIDGET (window), "duplicates-dialog-marked.png");

  g_signal_emit_by_name (ks_detail_duplicates_get_button (facet (), "undo", original_id), "clicked");
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Open", 30));
  wait_rows (FALSE, "");
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (ks_report_detail_get_action_button (detail (), "duplicate")));
  ks_filter_sidebar_set_state_group (KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window)), "open");
  ks_gui_sign_out (window);
}

/* Customer Services (no update_status) see the reports nearby, not the button. */
static void
test_not_offered (void)
{
  g_autofree char *nearby = NULL;

  sign_in_as ("customer.services@demo.invalid");
  open_report (duplicate_id);
  nearby = g_strdup_printf ("#%" G_GINT64_FORMAT " Street light out on Hollow Way\n9 m away · Open",
                            original_id);
  wait_rows (TRUE, nearby);
  g_assert_null (ks_detail_duplicates_get_button (facet (), "mark", 0));
  g_assert_null (ks_report_detail_get_action_button (detail (), "duplicate"));
  show_facet_part (TRUE);
  ks_gui_save_screenshot (GTK_WIDGET (window), "duplicates-not-offered.png");
  ks_gui_sign_out (window);
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
dialog_lists (gpointer data)
{
  g_auto(GStrv) rows = ks_create_report_dialog_get_nearby (find_create_dialog ());
  g_autofree char *text = g_strjoinv ("|", rows);

  return g_strcmp0 (text, data) == 0;
}

/* While creating a report for a caller, the reports nearby of the category. */
static void
test_create_dialog (void)
{
  KsCreateReportDialog *dialog;
  g_autofree char *want = NULL;
  g_autofree char *count_sql = g_strdup ("SELECT count(*) FROM reports");
  gint64 before;

  sign_in_as ("customer.services@demo.invalid");
  dialog = KS_CREATE_REPORT_DIALOG (ks_window_create_report_at (window, LAT + 3 / 111195.0, LON));
  g_assert_nonnull (dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 900);
  /* Nothing before a category is chosen. */
  g_assert_false (gtk_widget_get_visible (ks_create_report_dialog_get_nearby_group (dialog)));
  g_assert_true (ks_create_report_dialog_select_category (dialog, category_id));
  want = g_strdup_printf ("#%" G_GINT64_FORMAT " Street light out on Hollow Way\n3 m away · Open|"
                          "#%" G_GINT64_FORMAT " Street lamp dark by the bus stop\n6 m away · Open",
                          original_id, duplicate_id);
  if (!ks_test_wait_for (dialog_lists, want, 30))
    {
      g_auto(GStrv) rows = ks_create_report_dialog_get_nearby (dialog);
      g_autofree char *text = g_strjoinv ("|", rows);
      g_assert_cmpstr (text, ==, want);
    }
  g_assert_true (gtk_widget_get_visible (ks_create_report_dialog_get_nearby_group (dialog)));
  ks_test_iterate (200);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "duplicates-create-dialog.png");

  /* Opening one closes the dialog, creates nothing and shows it. */
  before = ks_test_server_query_int (server, count_sql);
  g_assert_true (ks_create_report_dialog_open_nearby (dialog, original_id));
  g_assert_true (ks_test_wait_for (no_create_dialog, NULL, 30));
  g_assert_true (ks_test_wait_for (detail_loaded, &original_id, 30));
  g_assert_cmpint (ks_test_server_query_int (server, count_sql), ==, before);
  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) category = NULL;

  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  token = ks_test_api_login (server->url, "admin@demo.invalid");
  category = ks_test_api (server->url, "POST", "/api/v1/categories", token,
                          "{\"code\": \"dup-gui\", \"name\": \"Street lights (test)\"}");
  category_id = json_object_get_int_member (json_object_has_member (category, "category")
                                            ? json_object_get_object_member (category, "category")
                                            : category, "id");
  original_id = create_report (token, "Street light out on Hollow Way", 0);
  duplicate_id = create_report (token, "Street lamp dark by the bus stop", 9);
  window = ks_gui_test_new_window (1366, 900);

  g_test_add_func ("/duplicates/mark-and-undo", test_mark_and_undo);
  g_test_add_func ("/duplicates/mark-from-dialog", test_mark_from_dialog);
  g_test_add_func ("/duplicates/not-offered", test_not_offered);
  g_test_add_func ("/duplicates/create-dialog", test_create_dialog);
  g_test_add_func ("/duplicates/demo-linked", test_demo_linked);

  return ks_gui_test_run ();
}

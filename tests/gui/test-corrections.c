/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-corrections.c: correcting a report from its detail (its category, its
 * place, its answers to the category's questions) and writing an internal note:
 * after each, what staff see (the detail's rows, the answers group, the list row,
 * the timeline) shows the change, and the server has it. A column of the list
 * shows the answers to a question, chosen in the list's column menu, and follows
 * an answer edited in the detail. The real window against
 * a real kerbside-server on loopback; screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-corrections"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-report-list.h"
#include "ks-report-list-private.h"
#include "ks-test-http.h"

#define N_REPORTS 200

static KsTestServer *server;
static KsWindow     *window;

static KsReportDetail *
detail_widget (void)
{
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static gboolean
detail_loaded (gpointer data)
{
  KsReport *report = ks_report_detail_get_report (detail_widget ());

  return report && ks_report_get_id (report) == *(gint64 *) data
         && ks_report_detail_get_detail (detail_widget ()) != NULL;
}

/* A report of the category named category (NULL: any) that is not not_this,
 * opened in the detail. */
static gint64
open_report_of (const char *category,
                gint64      not_this)
{
  GListModel *model = ks_report_list_get_model (KS_REPORT_LIST (ks_window_get_report_list (window)));

  ks_window_set_view (window, "list");
  ks_test_iterate (300);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);
      gint64 id = ks_report_get_id (report);

      if (id == not_this || (category && g_strcmp0 (ks_report_get_category (report), category) != 0) ||
          g_strcmp0 (ks_report_get_state (report), "hidden") == 0)
        continue;
      ks_window_show_report (window, id);
      g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
      ks_test_iterate (200);
      return id;
    }
  g_assert_not_reached ();
  return 0;
}

static AdwMessageDialog *
open_dialog (const char *action)
{
  GtkWidget *button = ks_report_detail_get_action_button (detail_widget (), action);
  AdwMessageDialog *dialog;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  return dialog;
}

static JsonObject *
server_report (gint64 id)
{
  g_autofree char *token = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);

  return ks_test_api (server->url, "GET", path, token, NULL);
}

static gboolean
server_lat_is (gpointer data)
{
  gint64 id = *(gint64 *) data;
  g_autoptr(JsonObject) r = server_report (id);

  return r && fabs (json_object_get_double_member (r, "lat") - 51.754321) < 1e-9;
}

static gboolean
answers_have (gpointer data)
{
  g_autofree char *text = ks_report_detail_get_answers_text (detail_widget ());

  return strstr (text, data) != NULL;
}

static gboolean
timeline_has (gpointer data)
{
  g_auto(GStrv) rows = ks_gui_detail_timeline (window);

  for (guint i = 0; rows && rows[i]; i++)
    if (g_str_has_prefix (rows[i], data))
      return TRUE;
  return FALSE;
}

/* Picks the entry whose label is label in a dropdown. */
static void
choose (GtkWidget  *dropdown,
        const char *label)
{
  g_auto(GStrv) names = ks_gui_dropdown_labels (GTK_DROP_DOWN (dropdown));

  for (guint i = 0; names[i]; i++)
    if (g_str_equal (names[i], label))
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
        return;
      }
  g_error ("no “%s” to choose", label);
}

/* Tests */

static void
test_answers_shown (void)
{
  g_autofree char *text = NULL;

  ks_gui_sign_in_as (window, "customer.services@demo.invalid");
  open_report_of ("Potholes", 0);
  g_assert_true (ks_test_wait_for (answers_have, "How deep", 30));
  text = ks_report_detail_get_answers_text (detail_widget ());
  g_test_message ("answers: %s", text);
  /* Values are shown by their names, never their keys. */
  g_assert_null (strchr (text, '_'));
  ks_gui_save_screenshot (GTK_WIDGET (window), "corrections-answers-shown.png");
}

static void
test_change_category (void)
{
  AdwMessageDialog *dialog;
  GtkWidget *picker, *size;
  g_autoptr(JsonObject) after = NULL;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  id = open_report_of ("Potholes", 0);
  dialog = open_dialog ("correct-category");
  picker = ks_gui_find_named (GTK_WIDGET (dialog), "category-picker");
  g_assert_nonnull (picker);
  /* The report's own category: nothing to change yet. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "change"));
  choose (picker, "Fly-tipping");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "change"));
  /* The new category's question is asked. */
  size = ks_gui_find_named (GTK_WIDGET (dialog), "question-size");
  g_assert_nonnull (size);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (size), 2);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-change-category.png");
  ks_gui_respond (dialog, "change");

  g_assert_true (ks_gui_wait_detail_field (window, "category", "Fly-tipping", 30));
  g_assert_true (ks_test_wait_for (timeline_has, "Changed the category\n", 30));
  g_assert_true (ks_test_wait_for (answers_have, "How much has been dumped", 30));
  g_assert_false (answers_have ((gpointer) "How deep"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "corrections-category-changed.png");
  ks_window_set_view (window, "list");
  ks_report_list_set_column_visible (KS_REPORT_LIST (ks_window_get_report_list (window)), "category", TRUE);
  g_assert_true (ks_report_list_select_id (KS_REPORT_LIST (ks_window_get_report_list (window)), id));
  g_assert_true (ks_gui_wait_list_cell (window, id, "category", "Fly-tipping", 30));
  after = server_report (id);
  g_assert_cmpstr (json_object_get_string_member (after, "category"), ==, "Fly-tipping");
}

static void
test_move (void)
{
  AdwMessageDialog *dialog;
  GtkWidget *lat, *lon;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *shown = NULL;
  gint64 id;

  ks_gui_sign_in_as (window, "customer.services@demo.invalid");
  id = open_report_of (NULL, 0);
  dialog = open_dialog ("correct-location");
  lat = ks_gui_find_named (GTK_WIDGET (dialog), "latitude");
  lon = ks_gui_find_named (GTK_WIDGET (dialog), "longitude");
  g_assert_nonnull (lat);
  g_assert_nonnull (lon);
  gtk_editable_set_text (GTK_EDITABLE (lat), "north");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  gtk_editable_set_text (GTK_EDITABLE (lat), "51.754321");
  gtk_editable_set_text (GTK_EDITABLE (lon), "-1.254321");
  /* The old address went with the old point. */
  gtk_editable_set_text (GTK_EDITABLE (ks_gui_find_named (GTK_WIDGET (dialog), "address")), "");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "move"));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-move.png");
  ks_gui_respond (dialog, "move");

  g_assert_true (ks_test_wait_for (server_lat_is, &id, 30));
  g_assert_true (ks_test_wait_for (timeline_has, "Moved the report\n", 30));
  ks_test_iterate (1500);
  shown = g_strdup (ks_report_detail_get_field_text (detail_widget (), "location"));
  g_test_message ("location: %s", shown);
  g_assert_nonnull (strstr (shown, "51.75432, -1.25432"));
  after = server_report (id);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (after, "lat"), 51.754321, 1e-9);
  /* The ward the server gave the new point is the one shown. */
  g_assert_nonnull (strstr (shown, json_object_get_string_member (after, "ward")));
  ks_gui_save_screenshot (GTK_WIDGET (window), "corrections-moved.png");
}

/* Dragging the pin on the detail's small map: Cancel puts it back and changes
 * nothing; Move saves the new point, the toast names the ward the server gave
 * it, and Undo puts the report back where it was. */
typedef struct {
  gint64 id;
  double lat;
} LatWait;

static gboolean
server_lat_near (gpointer data)
{
  LatWait *w = data;
  g_autoptr(JsonObject) r = server_report (w->id);

  return r && fabs (json_object_get_double_member (r, "lat") - w->lat) < 1e-6;
}

static gboolean
no_dragged_pin (gpointer data)
{
  double lat, lon;

  return !ks_report_detail_get_dragged_pin (detail_widget (), &lat, &lon);
}

static gboolean
toast_says (gpointer data)
{
  const char *text = ks_gui_toast_text (window);

  return text && strstr (text, data);
}

static gboolean
location_names (gpointer data)
{
  const char *shown = ks_report_detail_get_field_text (detail_widget (), "location");

  return shown && strstr (shown, data);
}

static gboolean
no_toast (gpointer data)
{
  return ks_gui_toast_text (window) == NULL;
}

/* The detail's small map is on screen and draws the report (so its point is
 * where a press takes the pin). */
static gboolean
detail_map_shows (gpointer data)
{
  KsMapView *map = ks_report_detail_get_map_view (detail_widget ());

  return ks_gui_widget_drawn (map) && ks_gui_detail_map_state (window, *(gint64 *) data) != NULL;
}

static AdwMessageDialog *
drag_pin (gint64  id,
          double *lat,
          double *lon)
{
  AdwMessageDialog *dialog;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_true (ks_report_detail_drag_pin (detail_widget (), 2, -2, 60, 40));
  dialog = ks_gui_wait_dialog (30);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "correct-location");
  g_assert_true (ks_report_detail_get_dragged_pin (detail_widget (), lat, lon));
  /* The dialog offers the pin's point. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ks_gui_find_named (GTK_WIDGET (dialog), "latitude"))), ==,
                   g_ascii_formatd (buf, sizeof buf, "%.6f", *lat));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ks_gui_find_named (GTK_WIDGET (dialog), "longitude"))), ==,
                   g_ascii_formatd (buf, sizeof buf, "%.6f", *lon));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "move"));
  return dialog;
}

static void
test_drag_pin (void)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *want = NULL;
  AdwMessageDialog *dialog;
  LatWait moved, back;
  double lat0, lon0, lat, lon;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  id = open_report_of (NULL, 0);
  g_assert_true (ks_test_wait_for (detail_map_shows, &id, 60));
  g_assert_true (ks_gui_wait_painted (GTK_WIDGET (ks_report_detail_get_map_view (detail_widget ())), 60));
  before = server_report (id);
  lat0 = json_object_get_double_member (before, "lat");
  lon0 = json_object_get_double_member (before, "lon");

  /* A press away from the pin drags nothing. */
  g_assert_false (ks_report_detail_drag_pin (detail_widget (), 60, 0, 40, 30));
  g_assert_true (no_dragged_pin (NULL));

  /* Dragged down and right: south and east of where the report is. */
  dialog = drag_pin (id, &lat, &lon);
  g_assert_cmpfloat (lat, <, lat0);
  g_assert_cmpfloat (lon, >, lon0);
  ks_test_iterate (300);
  ks_gui_save_screenshot (GTK_WIDGET (window), "corrections-pin-dragged.png");
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-move-pin.png");

  /* Cancel: the pin goes, the report stays. */
  ks_gui_respond (dialog, "cancel");
  g_assert_true (ks_test_wait_for (no_dragged_pin, NULL, 30));
  ks_test_iterate (1000);
  after = server_report (id);
  g_assert_cmpfloat (json_object_get_double_member (after, "lat"), ==, lat0);
  g_assert_cmpfloat (ks_report_get_lat (ks_report_detail_get_report (detail_widget ())), ==, lat0);
  g_clear_pointer (&after, json_object_unref);

  /* Move: saved; the toast names the new ward. An earlier move's toast (with
   * its own Undo, in the same words) is gone first. */
  g_assert_true (ks_test_wait_for (no_toast, NULL, 30));
  dialog = drag_pin (id, &lat, &lon);
  ks_gui_respond (dialog, "move");
  moved = (LatWait) { id, lat };
  g_assert_true (ks_test_wait_for (server_lat_near, &moved, 60));
  g_assert_true (ks_test_wait_for (no_dragged_pin, NULL, 30));
  after = server_report (id);
  want = g_strdup_printf ("now in %s", json_object_get_string_member (after, "ward"));
  if (!ks_test_wait_for (toast_says, want, 30))
    g_assert_cmpstr (ks_gui_toast_text (window), ==, want);
  g_assert_true (ks_test_wait_for (location_names, (gpointer) json_object_get_string_member (after, "ward"), 30));
  ks_gui_save_screenshot (GTK_WIDGET (window), "corrections-pin-moved.png");

  /* Undo: back where it was. */
  g_assert_true (ks_gui_click_toast_button (window, "Undo"));
  back = (LatWait) { id, lat0 };
  g_assert_true (ks_test_wait_for (server_lat_near, &back, 60));
  g_clear_pointer (&after, json_object_unref);
  after = server_report (id);
  g_assert_true (ks_test_wait_for (location_names, (gpointer) json_object_get_string_member (after, "ward"), 30));
}

static void
test_edit_answers (void)
{
  AdwMessageDialog *dialog;
  GtkWidget *depth;
  g_auto(GStrv) names = NULL;
  g_autofree char *before = NULL;
  g_autofree char *want = NULL;
  guint pick;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  open_report_of ("Potholes", 0);
  g_assert_true (ks_test_wait_for (answers_have, "How deep", 30));
  before = ks_report_detail_get_answers_text (detail_widget ());
  dialog = open_dialog ("correct-answers");
  depth = ks_gui_find_named (GTK_WIDGET (dialog), "question-depth");
  g_assert_nonnull (depth);
  names = ks_gui_dropdown_labels (GTK_DROP_DOWN (depth));
  /* Filled in with the report's answer; choose another. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (depth)), >, 0);
  pick = gtk_drop_down_get_selected (GTK_DROP_DOWN (depth)) == 1 ? 2 : 1;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (depth), pick);
  want = g_strdup_printf (": %s", names[pick]);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-edit-answers.png");
  ks_gui_respond (dialog, "save");

  g_assert_true (ks_test_wait_for (timeline_has, "Corrected the answers\n", 30));
  g_assert_true (ks_test_wait_for (answers_have, want, 30));
  ks_gui_save_screenshot (GTK_WIDGET (window), "corrections-answers-edited.png");
}

static void
test_internal_note (void)
{
  AdwMessageDialog *dialog;
  GtkWidget *check, *view;
  g_autoptr(JsonObject) after = NULL;
  JsonArray *updates;
  gboolean found = FALSE;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  id = open_report_of (NULL, 0);
  dialog = open_dialog ("update");
  check = ks_gui_find_named (GTK_WIDGET (dialog), "internal-note");
  g_assert_nonnull (check);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Internal Note");
  view = ks_gui_find_type (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            "Gas main under the hole: tell the crew before digging.", -1);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "dialog-internal-note.png");
  ks_gui_respond (dialog, "send");

  g_assert_true (ks_test_wait_for (timeline_has, "Wrote an internal note (staff only)\n", 30));
  g_assert_nonnull (ks_gui_find_named (ks_report_detail_get_timeline_group (detail_widget ()), "internal-note"));
  ks_gui_save_screenshot (ks_report_detail_get_timeline_group (detail_widget ()), "detail-internal-note.png");
  after = server_report (id);
  updates = json_object_get_array_member (after, "updates");
  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonObject *u = json_array_get_object_element (updates, i);
      if (g_strcmp0 (json_object_get_string_member (u, "text"),
                     "Gas main under the hole: tell the crew before digging.") == 0)
        {
          g_assert_false (json_object_get_boolean_member (u, "public"));
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static KsReportList *
report_list (void)
{
  return KS_REPORT_LIST (ks_window_get_report_list (window));
}

/* The labels of the column menu's section named section. */
static GStrv
menu_section_labels (const char *section)
{
  GMenuModel *menu = ks_report_list_get_column_menu (report_list ());
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) items = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) ||
          g_strcmp0 (label, section) != 0 || items == NULL)
        continue;
      for (int k = 0; k < g_menu_model_get_n_items (items); k++)
        {
          g_autofree char *item = NULL;

          if (g_menu_model_get_item_attribute (items, k, G_MENU_ATTRIBUTE_LABEL, "s", &item))
            g_strv_builder_add (out, item);
        }
    }
  return g_strv_builder_end (out);
}

typedef struct {
  gint64      id;
  const char *column;
  const char *want;
} CellWait;

static gboolean
cell_is (gpointer data)
{
  CellWait *w = data;
  g_autofree char *text = ks_report_list_get_cell_text (report_list (), w->id, w->column);

  return g_strcmp0 (text, w->want) == 0;
}

/* The pothole question's depths, in its own order. */
static const struct {
  const char *key;
  const char *name;
} depths[] = {
  { "under_4cm", "Less than 4 cm" },
  { "4_to_10cm", "4 to 10 cm" },
  { "over_10cm", "More than 10 cm" },
};

/* The name the pothole question gives a depth key. */
static const char *
depth_name (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    if (g_strcmp0 (key, depths[i].key) == 0)
      return depths[i].name;
  return NULL;
}

/* The question's own order of values; a blank after them all. */
static guint
depth_rank (KsReport *report)
{
  const char *key = ks_report_get_answer (report, "depth");

  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    if (g_strcmp0 (key, depths[i].key) == 0)
      return i;
  g_assert_null (key);
  return G_N_ELEMENTS (depths);
}

/* The list's rows in the question's order (or its reverse), every blank
 * after every answer (the last row a blank), and at least two different
 * answers among them so the order says something. */
static void
assert_depth_order (GListModel *model,
                    gboolean    ascending)
{
  const guint blank = G_N_ELEMENTS (depths);
  guint n = g_list_model_get_n_items (model);
  guint prev = 0;
  guint answers_seen = 0;

  g_assert_cmpuint (n, >, 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      guint rank = depth_rank (r);

      if (i > 0 && rank != prev && rank != blank)
        {
          g_assert_cmpuint (prev, !=, blank);
          if (ascending)
            g_assert_cmpuint (rank, >, prev);
          else
            g_assert_cmpuint (rank, <, prev);
        }
      if (rank != blank && (i == 0 || rank != prev))
        answers_seen++;
      prev = rank;
    }
  g_assert_cmpuint (prev, ==, blank);
  g_assert_cmpuint (answers_seen, >=, 2);
}

static KsReport *
list_report (gint64 id)
{
  GListModel *model = ks_report_list_get_model (report_list ());

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (ks_report_get_id (r) == id)
        return r;
    }
  return NULL;
}

static void
test_answer_column (void)
{
  GListModel *model = ks_report_list_get_model (report_list ());
  g_auto(GStrv) offered = NULL;
  g_autoptr(GArray) shown = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *depth;
  g_auto(GStrv) names = NULL;
  CellWait wait;
  const char *key;
  gboolean blank_seen = FALSE;
  guint pick;
  gint64 id;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  id = open_report_of ("Potholes", 0);
  key = ks_report_get_answer (list_report (id), "depth");
  g_assert_nonnull (depth_name (key));

  /* The column menu offers a column per question, by its description. */
  offered = menu_section_labels ("Answers");
  g_assert_true (g_strv_contains ((const char * const *) offered, "How deep is the pothole?"));
  g_assert_true (g_strv_contains ((const char * const *) offered,
                                  "Lamp post number (on a sticker or plate on the post)"));
  g_assert_false (ks_report_list_get_column_visible (report_list (), "answer:depth"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (report_list ()), "report-list.answer-depth", NULL));
  g_assert_true (ks_report_list_get_column_visible (report_list (), "answer:depth"));
  g_assert_cmpstr (gtk_column_view_column_get_title (ks_report_list_get_column (report_list (), "answer:depth")),
                   ==, "How deep is the pothole?");
  ks_report_list_select_id (report_list (), id);

  /* The answer's name in the report's row; blank for reports of categories
   * that do not ask it. */
  wait = (CellWait) { id, "answer:depth", depth_name (key) };
  g_assert_true (ks_test_wait_for (cell_is, &wait, 30));
  shown = ks_report_list_get_shown_ids (report_list ());
  for (guint i = 0; i < shown->len; i++)
    {
      gint64 other = g_array_index (shown, gint64, i);
      KsReport *r = list_report (other);

      if (r && g_strcmp0 (ks_report_get_category (r), "Potholes") != 0)
        {
          g_autofree char *text = ks_report_list_get_cell_text (report_list (), other, "answer:depth");
          g_assert_cmpstr (text, ==, "");
          blank_seen = TRUE;
        }
    }
  g_assert_true (blank_seen);
  ks_gui_save_screenshot (GTK_WIDGET (window), "list-answer-column.png");

  /* Sortable: the question's own order of values, blanks last. */
  ks_report_list_sort_by (report_list (), "answer:depth", GTK_SORT_ASCENDING);
  ks_test_iterate (200);
  assert_depth_order (model, TRUE);
  /* The arrow moves to the question's header. */
  g_assert_cmpstr (ks_gui_list_header_arrow (window, "How deep is the pothole?"), ==, "ascending");
  g_assert_cmpstr (ks_gui_list_header_arrow (window, "Priority"), ==, "");
  /* Descending: the deepest first, and the blanks still last. */
  ks_report_list_sort_by (report_list (), "answer:depth", GTK_SORT_DESCENDING);
  ks_test_iterate (200);
  assert_depth_order (model, FALSE);
  g_assert_cmpstr (ks_gui_list_header_arrow (window, "How deep is the pothole?"), ==, "descending");
  g_assert_cmpstr (ks_gui_list_header_arrow (window, "Priority"), ==, "");
  ks_gui_save_screenshot (GTK_WIDGET (window), "list-answer-column-descending.png");
  ks_report_list_sort_by (report_list (), "priority", GTK_SORT_ASCENDING);
  ks_test_iterate (200);
  g_assert_cmpstr (ks_gui_list_header_arrow (window, "Priority"), ==, "ascending");
  g_assert_cmpstr (ks_gui_list_header_arrow (window, "How deep is the pothole?"), ==, "");
  ks_report_list_select_id (report_list (), id);

  /* An answer edited in the detail: the row shows it as the detail does. */
  dialog = open_dialog ("correct-answers");
  depth = ks_gui_find_named (GTK_WIDGET (dialog), "question-depth");
  g_assert_nonnull (depth);
  names = ks_gui_dropdown_labels (GTK_DROP_DOWN (depth));
  pick = gtk_drop_down_get_selected (GTK_DROP_DOWN (depth)) == 1 ? 2 : 1;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (depth), pick);
  ks_gui_respond (dialog, "save");
  wait.want = names[pick];
  g_assert_true (ks_test_wait_for (cell_is, &wait, 30));
  g_assert_true (ks_test_wait_for (answers_have, (gpointer) names[pick], 30));
  ks_gui_save_screenshot (GTK_WIDGET (window), "list-answer-column-edited.png");

  /* Taken away again through the menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (report_list ()), "report-list.answer-depth", NULL));
  g_assert_false (ks_report_list_get_column_visible (report_list (), "answer:depth"));
  g_assert_null (ks_report_list_get_column (report_list (), "answer:depth"));
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1366, 800);

  g_test_add_func ("/corrections/answers-shown", test_answers_shown);
  g_test_add_func ("/corrections/change-category", test_change_category);
  g_test_add_func ("/corrections/move", test_move);
  g_test_add_func ("/corrections/drag-pin", test_drag_pin);
  g_test_add_func ("/corrections/edit-answers", test_edit_answers);
  g_test_add_func ("/corrections/internal-note", test_internal_note);
  g_test_add_func ("/corrections/answer-column", test_answer_column);

  return ks_gui_test_run ();
}

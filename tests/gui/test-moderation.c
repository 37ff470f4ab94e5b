/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-moderation.c: moderating one update of a report's timeline in the app.
 * Customer Services (moderate_report, hide_report) get a menu on each update;
 * hiding one marks it and strikes it through in the timeline, editing it shows
 * the new text, showing it again takes the mark away; an inspector sees the mark
 * but no menu. The real window against a real kerbside-server on loopback;
 * screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-moderation"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-test-http.h"

#define N_REPORTS 200
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define INSPECTOR "inspector@demo.invalid"

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

static void
open_report (gint64 id)
{
  ks_window_set_view (window, "list");
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
  ks_test_iterate (200);
}

/* The timeline row of update_id, or NULL. */
static GtkWidget *
update_row (gint64 update_id)
{
  g_autofree char *name = g_strdup_printf ("update-row-%" G_GINT64_FORMAT, update_id);

  return ks_gui_find_named (ks_report_detail_get_timeline_group (detail_widget ()), name);
}

typedef struct {
  gint64      update_id;
  gboolean    hidden;
  const char *text;      /* nullable */
} RowWanted;

/* The row shows the mark when hidden (and not otherwise), and the text. */
static gboolean
row_shows (gpointer data)
{
  RowWanted *want = data;
  GtkWidget *row = update_row (want->update_id);
  GtkWidget *mark, *body;

  if (row == NULL)
    return FALSE;
  mark = ks_gui_find_named (row, "hidden-update-mark");
  body = g_object_get_data (G_OBJECT (row), "ks-body");
  if ((mark != NULL && gtk_widget_get_visible (mark)) != want->hidden)
    return FALSE;
  return want->text == NULL || (body && g_strcmp0 (gtk_label_get_text (GTK_LABEL (body)), want->text) == 0);
}

static gboolean
struck_through (GtkWidget *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (GTK_LABEL (label));
  PangoAttrIterator *it;
  gboolean struck = FALSE;

  if (attrs == NULL)
    return FALSE;
  it = pango_attr_list_get_iterator (attrs);
  do
    {
      PangoAttrInt *a = (PangoAttrInt *) pango_attr_iterator_get (it, PANGO_ATTR_STRIKETHROUGH);
      if (a != NULL && a->value)
        struck = TRUE;
    }
  while (pango_attr_iterator_next (it));
  pango_attr_iterator_destroy (it);
  return struck;
}

/* The labels of the row's menu, joined by "|". */
static char *
menu_labels (GtkWidget *button)
{
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_autoptr(GString) out = g_string_new (NULL);

  for (int i = 0; menu && i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;

      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      g_string_append_printf (out, "%s%s", i ? "|" : "", label);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonObject *
server_update (gint64 report_id, gint64 update_id)
{
  g_autofree char *token = ks_test_api_login (server->url, "admin@demo.invalid");
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
  g_autoptr(JsonObject) report = ks_test_api (server->url, "GET", path, token, NULL);
  JsonArray *updates = json_object_get_array_member (report, "updates");

  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonObject *u = json_array_get_object_element (updates, i);
      if (json_object_get_int_member (u, "id") == update_id)
        return json_object_ref (u);
    }
  g_assert_not_reached ();
}

/* Opens the row's menu and clicks the entry labelled label, as a person would. */
static AdwMessageDialog *
choose (gint64 update_id, const char *label)
{
  GtkWidget *row = update_row (update_id);
  GtkWidget *button = row ? ks_gui_find_named (row, "update-menu") : NULL;
  GtkWidget *popover, *item, *model_button;
  AdwMessageDialog *dialog;

  g_assert_nonnull (button);
  /* As a person would: the menu opens from a button scrolled into view in a
   * window that has been drawn (a popup placed off the screen has no monitor
   * to fit, and GTK warns). */
  ks_gui_scroll_into_view (button);
  g_assert_true (ks_gui_wait_painted (GTK_WIDGET (window), 5));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  ks_test_iterate (100);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  g_assert_nonnull (popover);
  item = ks_gui_find_label_exact (popover, label);
  g_assert_nonnull (item);
  model_button = gtk_widget_get_ancestor (item, g_type_from_name ("GtkModelButton"));
  g_assert_nonnull (model_button);
  g_signal_emit_by_name (model_button, "clicked");
  dialog = ks_gui_wait_dialog (5);
  g_assert_nonnull (dialog);
  return dialog;
}

static void
test_moderate_update (void)
{
  g_autofree char *token = ks_test_api_login (server->url, INSPECTOR);
  g_autofree char *list_path = g_strdup ("/api/v1/reports?state=confirmed&limit=1");
  g_autoptr(JsonObject) page = ks_test_api (server->url, "GET", list_path, token, NULL);
  g_autoptr(JsonObject) posted = NULL;
  g_autoptr(JsonObject) u = NULL;
  g_autofree char *path = NULL;
  g_autofree char *labels = NULL;
  JsonArray *reports, *updates;
  AdwMessageDialog *dialog;
  GtkWidget *row, *reason, *text_view;
  gint64 id, update_id;
  RowWanted want;

  reports = json_object_get_array_member (page, "reports");
  g_assert_cmpuint (json_array_get_length (reports), >, 0);
  id = json_object_get_int_member (json_array_get_object_element (reports, 0), "id");
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/updates", id);
  posted = ks_test_api (server->url, "POST", path, token,
                        "{\"text\": \"Mr Jones at number 4 did this, ring 07700 900321.\"}");
  updates = json_object_get_array_member (json_object_get_object_member (posted, "report"), "updates");
  update_id = json_object_get_int_member (json_array_get_object_element (updates, json_array_get_length (updates) - 1), "id");

  ks_gui_sign_in_as (window, CUSTOMER_SERVICES);
  open_report (id);
  row = update_row (update_id);
  g_assert_nonnull (row);
  g_assert_null (ks_gui_find_named (row, "hidden-update-mark"));
  labels = menu_labels (ks_gui_find_named (row, "update-menu"));
  g_assert_cmpstr (labels, ==, "_Edit…|_Hide…");

  /* Hide: the answer waits for a reason. */
  dialog = choose (update_id, "Hide…");
  reason = ks_gui_find_named (GTK_WIDGET (dialog), "update-reason");
  g_assert_nonnull (reason);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "hide"));
  gtk_editable_set_text (GTK_EDITABLE (reason), "Names a neighbour and a phone number");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "hide"));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "moderation-hide-dialog.png");
  ks_gui_respond (dialog, "hide");
  want = (RowWanted) { update_id, TRUE, "Mr Jones at number 4 did this, ring 07700 900321." };
  g_assert_true (ks_test_wait_for (row_shows, &want, 15));
  row = update_row (update_id);
  g_assert_true (struck_through (g_object_get_data (G_OBJECT (row), "ks-body")));
  g_clear_pointer (&labels, g_free);
  labels = menu_labels (ks_gui_find_named (row, "update-menu"));
  g_assert_cmpstr (labels, ==, "_Edit…|_Show Again…");
  u = server_update (id, update_id);
  g_assert_true (json_object_get_boolean_member (u, "hidden"));
  g_clear_pointer (&u, json_object_unref);
  ks_gui_save_screenshot (GTK_WIDGET (window), "moderation-update-hidden.png");

  /* Edit: the new text shows, the old one goes to the history. */
  dialog = choose (update_id, "Edit…");
  text_view = ks_gui_find_named (GTK_WIDGET (dialog), "update-text");
  g_assert_nonnull (text_view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)),
                            "A neighbour says a van did this.", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "edit"));
  gtk_editable_set_text (GTK_EDITABLE (ks_gui_find_named (GTK_WIDGET (dialog), "update-reason")),
                         "Personal details");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "edit"));
  ks_gui_respond (dialog, "edit");
  want = (RowWanted) { update_id, TRUE, "A neighbour says a van did this." };
  g_assert_true (ks_test_wait_for (row_shows, &want, 15));
  u = server_update (id, update_id);
  g_assert_cmpstr (json_object_get_string_member (u, "text"), ==, "A neighbour says a van did this.");
  g_clear_pointer (&u, json_object_unref);
  g_assert_nonnull (ks_gui_find_label (GTK_WIDGET (detail_widget ()), "Update text was: Mr Jones"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "moderation-update-edited.png");

  /* An inspector (neither permission) sees the mark, and no menu. */
  ks_gui_sign_in_as (window, INSPECTOR);
  open_report (id);
  want = (RowWanted) { update_id, TRUE, NULL };
  g_assert_true (ks_test_wait_for (row_shows, &want, 15));
  g_assert_null (ks_gui_find_named (update_row (update_id), "update-menu"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "moderation-inspector-no-menu.png");

  /* Shown again by Customer Services: the mark goes. */
  ks_gui_sign_in_as (window, CUSTOMER_SERVICES);
  open_report (id);
  dialog = choose (update_id, "Show Again…");
  gtk_editable_set_text (GTK_EDITABLE (ks_gui_find_named (GTK_WIDGET (dialog), "update-reason")),
                         "Edited instead");
  ks_gui_respond (dialog, "unhide");
  want = (RowWanted) { update_id, FALSE, "A neighbour says a van did this." };
  g_assert_true (ks_test_wait_for (row_shows, &want, 15));
  g_assert_false (struck_through (g_object_get_data (G_OBJECT (update_row (update_id)), "ks-body")));
  u = server_update (id, update_id);
  g_assert_false (json_object_get_boolean_member (u, "hidden"));
  ks_gui_save_screenshot (GTK_WIDGET (window), "moderation-update-shown.png");
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1366, 800);

  g_test_add_func ("/moderation/update", test_moderate_update);

  return ks_gui_test_run ();
}

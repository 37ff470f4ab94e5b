/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-hide-person.c: "Hide Everywhere" in the report detail. Two reports by
 * one resident (made over HTTP, then synced); as an administrator, the
 * reporter group's Hide Everywhere… asks for a reason (its button stays off
 * without one) and hides both: the shown report's badge says Hidden at once,
 * the other leaves the Open list after the sync, and the server has both
 * hidden; Show Everywhere Again… on the hidden report brings both back. A
 * member of staff without hide_report (an inspector) has no such button. The
 * real window against a real kerbside-server on loopback; screenshots under
 * KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-hide-person"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-gui-test-admin.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-test-http.h"

#define N_REPORTS 50
#define ADMIN "admin@demo.invalid"
#define INSPECTOR "inspector@demo.invalid"
#define EMAIL "pat.nuisance@example.net"

static KsTestServer *server;
static KsWindow     *window;

static KsReportDetail *
detail_widget (void)
{
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static gint64
create_report (const char *title)
{
  g_autoptr(JsonObject) categories = ks_test_api (server->url, "GET", "/api/v1/categories", ks_gui_test_token (window), NULL);
  g_autoptr(JsonObject) created = NULL;
  g_autofree char *body = NULL;
  JsonArray *cats = json_object_get_array_member (categories, "categories");
  gint64 category_id = 0;

  for (guint i = 0; i < json_array_get_length (cats) && category_id == 0; i++)
    {
      JsonObject *c = json_array_get_object_element (cats, i);
      if (json_object_get_boolean_member (c, "active") && !json_object_get_boolean_member (c, "private"))
        category_id = json_object_get_int_member (c, "id");
    }
  body = g_strdup_printf ("{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"%s\", "
                          "\"detail\": \"Dumped again\", \"lat\": 51.7525, \"lon\": -1.2585, "
                          "\"reporter\": {\"name\": \"Pat Nuisance\", \"email\": \"" EMAIL "\"}}",
                          category_id, title);
  created = ks_test_api (server->url, "POST", "/api/v1/reports", ks_gui_test_token (window), body);
  return json_object_get_int_member (json_object_get_object_member (created, "report"), "id");
}

static char *
server_state (gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonObject) detail = ks_test_api (server->url, "GET", path, ks_gui_test_token (window), NULL);

  return g_strdup (json_object_get_string_member (detail, "state"));
}

static gboolean
app_knows (gpointer data)
{
  return ks_report_store_lookup (ks_session_get_report_store (ks_window_get_session (window)),
                                 *(gint64 *) data) != NULL;
}

typedef struct {
  gint64      id;
  const char *state;  /* the state the app has for it */
} Want;

static gboolean
app_has_state (gpointer data)
{
  Want *w = data;
  KsReport *r = ks_report_store_lookup (ks_session_get_report_store (ks_window_get_session (window)), w->id);

  return r != NULL && g_strcmp0 (ks_report_get_state (r), w->state) == 0;
}

/* The filtered list (what the list view shows) holds report id. */
static gboolean
listed (gint64 id)
{
  GListModel *model = G_LIST_MODEL (ks_session_get_filter (ks_window_get_session (window)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (ks_report_get_id (r) == id)
        return TRUE;
    }
  return FALSE;
}

static gboolean
toast_says (gpointer data)
{
  const char *text = ks_gui_toast_text (window);

  return text != NULL && strstr (text, data) != NULL;
}

static gboolean
listed_again (gpointer data)
{
  return listed (*(gint64 *) data);
}

static gboolean
not_listed (gpointer data)
{
  return !listed (*(gint64 *) data);
}

static gboolean
button_says (gpointer data)
{
  GtkWidget *button = ks_report_detail_get_hide_person_button (detail_widget ());
  KsReport *report = ks_report_detail_get_report (detail_widget ());

  if (button != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), data) == 0)
    return TRUE;
  g_test_message ("the button says “%s”; the report is %s", button ? gtk_button_get_label (GTK_BUTTON (button)) : "(none)",
                  report ? ks_report_get_state (report) : "(none)");
  return FALSE;
}

/* Clicks the button, gives the dialog a reason and its response. */
static void
answer_dialog (const char *response)
{
  AdwMessageDialog *dialog;
  GtkWidget *reason;

  gtk_widget_activate (ks_report_detail_get_hide_person_button (detail_widget ()));
  dialog = ks_gui_wait_dialog (10);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "hide-everywhere");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, response));
  reason = ks_gui_find_named (GTK_WIDGET (dialog), "hide-everywhere-reason");
  g_assert_nonnull (reason);
  gtk_editable_set_text (GTK_EDITABLE (reason), "Abusive reports from one person");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  ks_gui_wait_painted (GTK_WIDGET (dialog), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (dialog), "hide-everywhere-dialog.png"));
  ks_gui_respond (dialog, response);
}

static void
test_hide_everywhere (void)
{
  gint64 first, second;
  Want want;
  g_autofree char *state = NULL;

  ks_gui_sign_in_as (window, ADMIN);
  first = create_report ("Sofa on the verge");
  second = create_report ("Mattress on the verge");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (ks_test_wait_for (app_knows, &first, 60));
  g_assert_true (ks_test_wait_for (app_knows, &second, 60));
  g_assert_true (ks_test_wait_for (listed_again, &second, 60));

  ks_window_show_report (window, first);
  g_assert_true (ks_test_wait_for (button_says, (gpointer) "Hide Everywhere…", 60));
  ks_gui_scroll_into_view (ks_report_detail_get_hide_person_button (detail_widget ()));
  ks_test_iterate (300);
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "hide-everywhere-detail.png"));
  answer_dialog ("hide");

  /* The shown report at once; the other after the sync that follows. The
   * toast says where to find them. */
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Hidden", 60));
  g_assert_true (ks_test_wait_for (toast_says, (gpointer) "tick Hidden under State", 30));
  want.id = second;
  want.state = "hidden";
  g_assert_true (ks_test_wait_for (app_has_state, &want, 60));
  g_assert_true (ks_test_wait_for (not_listed, &second, 60));
  state = server_state (second);
  g_assert_cmpstr (state, ==, "hidden");
  g_clear_pointer (&state, g_free);
  /* The Open list lost both; the toast says where they are, and ticking
   * Hidden under State lists them again. */
  g_assert_true (ks_test_wait_for (not_listed, &first, 60));
  {
    GtkWidget *hidden = ks_gui_find_named (ks_window_get_filter_sidebar (window), "hidden");

    g_assert_true (GTK_IS_CHECK_BUTTON (hidden));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (hidden), TRUE);
    g_assert_true (ks_test_wait_for (listed_again, &first, 60));
    g_assert_true (ks_test_wait_for (listed_again, &second, 60));
    g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "hide-everywhere-filter-hidden.png"));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (hidden), FALSE);
    g_assert_true (ks_test_wait_for (not_listed, &first, 60));
  }
  ks_window_show_report (window, first);
  g_assert_true (ks_test_wait_for (button_says, (gpointer) "Show Everywhere Again…", 60));
  ks_gui_scroll_into_view (ks_report_detail_get_hide_person_button (detail_widget ()));
  ks_test_iterate (300);
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "hide-everywhere-hidden.png"));

  /* Undone from the hidden report: both back. */
  answer_dialog ("unhide");
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Open", 60));
  want.state = "confirmed";
  g_assert_true (ks_test_wait_for (app_has_state, &want, 60));
  g_assert_true (ks_test_wait_for (listed_again, &second, 60));
  state = server_state (second);
  g_assert_cmpstr (state, ==, "confirmed");

  /* An inspector may not hide reports: no button. */
  ks_gui_sign_in_as (window, INSPECTOR);
  ks_window_show_report (window, first);
  g_assert_true (ks_gui_wait_detail_field (window, "state", "Open", 60));
  g_assert_null (ks_report_detail_get_hide_person_button (detail_widget ()));
  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/hide-person/hide-and-undo", test_hide_everywhere);

  return ks_gui_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-send-on.c: where a report was sent on, in the app. Two categories get
 * destinations over HTTP (a team's email address, and an Open311 service the
 * council turned off, which fails at once); a report in
 * each. The report detail's "Sent On" rows show the destination and the status
 * ("Sent ...", "Failed: why"); Resend (for staff who may update a report's
 * status) sends it again on the server (audited); Customer Services see the rows
 * without the button; the dashboard counts the failure. The real window against
 * a real kerbside-server on loopback; screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-send-on"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-dashboard-window.h"
#include "ks-gui-test-admin.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-test-http.h"

#define N_REPORTS 200
#define ADMIN "admin@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define TEAM "roads.team@contractor.example"

static KsTestServer *server;
static KsWindow     *window;
static gint64        email_report, failed_report;

static KsReportDetail *
detail_widget (void)
{
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static const char *
sending_status (gint64 report_id)
{
  static char status[32];
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
  g_autoptr(JsonObject) answer = ks_test_api (server->url, "GET", path, ks_gui_test_token (window), NULL);
  JsonObject *detail = json_object_has_member (answer, "report")
    ? json_object_get_object_member (answer, "report") : answer;
  JsonArray *sendings = json_object_get_array_member (detail, "sendings");

  status[0] = '\0';
  if (json_array_get_length (sendings) > 0)
    g_strlcpy (status, json_object_get_string_member (json_array_get_object_element (sendings, 0),
                                                      "status"), sizeof status);
  return status;
}

typedef struct {
  gint64      id;
  const char *status;
} Want;

static gboolean
status_is (gpointer data)
{
  Want *w = data;
  return g_str_equal (sending_status (w->id), w->status);
}

typedef struct {
  gint64      id;
  const char *text;
} Shown;

static gboolean
detail_shows (gpointer data)
{
  Shown *s = data;
  KsReport *report = ks_report_detail_get_report (detail_widget ());
  g_autofree char *text = NULL;

  if (report == NULL || ks_report_get_id (report) != s->id ||
      ks_report_detail_get_detail (detail_widget ()) == NULL)
    return FALSE;
  text = ks_report_detail_get_sendings_text (detail_widget ());
  return strstr (text, s->text) != NULL;
}

static gboolean
app_knows (gpointer data)
{
  return ks_report_store_lookup (ks_session_get_report_store (ks_window_get_session (window)),
                                 *(gint64 *) data) != NULL;
}

static void
show_report (gint64 id, const char *text)
{
  Shown shown = { id, text };

  ks_window_set_view (window, "list");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (ks_test_wait_for (app_knows, &id, 60));
  ks_window_show_report (window, id);
  if (!ks_test_wait_for (detail_shows, &shown, 60))
    {
      g_autofree char *seen = ks_report_detail_get_sendings_text (detail_widget ());
      g_test_message ("the detail's Sent On rows: “%s”", seen);
      g_assert_not_reached ();
    }
}

/* Scrolled to the group, for the screenshot. */
static void
screenshot_group (const char *name)
{
  GtkWidget *group = ks_report_detail_get_sendings_group (detail_widget ());

  ks_test_iterate (300);
  ks_gui_scroll_into_view (group);
  ks_test_iterate (300);
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), name));
}

static gint64
create_in (gint64 category_id, const char *title)
{
  g_autofree char *body = g_strdup_printf (
    "{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"%s\", \"detail\": \"Seen today\", "
    "\"lat\": 51.7525, \"lon\": -1.2585, \"as_council\": true}", category_id, title);
  g_autoptr(JsonObject) created = ks_test_api (server->url, "POST", "/api/v1/reports", ks_gui_test_token (window), body);

  return json_object_get_int_member (json_object_get_object_member (created, "report"), "id");
}

static void
set_destination (gint64 category_id, const char *destination)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/categories/%" G_GINT64_FORMAT, category_id);
  g_autofree char *body = g_strdup_printf ("{\"destination\": \"%s\"}", destination);
  g_autoptr(JsonObject) answer = ks_test_api (server->url, "PATCH", path, ks_gui_test_token (window), body);
}

/* The category sends to the council's Open311 destination "nowhere", which is
 * then turned off: its reports fail at once, saying there is no such destination. */
static void
set_nowhere (gint64 category_id)
{
  g_autoptr(JsonObject) made = ks_test_api (server->url, "POST", "/api/v1/open311-destinations",
                                            ks_gui_test_token (window),
                                            "{\"name\": \"nowhere\", "
                                            "\"endpoint\": \"http://127.0.0.1:1/open311/v2/\"}");
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) off = NULL;

  g_assert_nonnull (made);
  g_assert_true (json_object_has_member (made, "id"));
  set_destination (category_id, "open311:nowhere");
  path = g_strdup_printf ("/api/v1/open311-destinations/%" G_GINT64_FORMAT,
                          json_object_get_int_member (made, "id"));
  off = ks_test_api (server->url, "PATCH", path, ks_gui_test_token (window), "{\"active\": false}");
  g_assert_nonnull (off);
  g_assert_false (json_object_get_boolean_member (off, "active"));
}

static gboolean
resent (gpointer data)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM audit_log WHERE action = 'resend' "
                                          "AND object_id = %" G_GINT64_FORMAT, *(gint64 *) data);
  return ks_test_server_query_int (server, sql) == 1;
}

/* As an administrator: the two destinations and a report in each, sent (or
 * failed) on the server. */
static void
set_up_reports (void)
{
  g_autoptr(JsonObject) categories = NULL;
  JsonArray *cats;
  gint64 first = 0, second = 0;
  Want want;

  if (email_report != 0)
    return;
  ks_gui_sign_in_as (window, ADMIN);
  categories = ks_test_api (server->url, "GET", "/api/v1/categories", ks_gui_test_token (window), NULL);
  cats = json_object_get_array_member (categories, "categories");
  for (guint i = 0; i < json_array_get_length (cats) && second == 0; i++)
    {
      JsonObject *c = json_array_get_object_element (cats, i);
      if (!json_object_get_boolean_member (c, "active") || json_object_get_boolean_member (c, "private"))
        continue;
      if (first == 0)
        first = json_object_get_int_member (c, "id");
      else
        second = json_object_get_int_member (c, "id");
    }
  g_assert_cmpint (second, >, 0);
  set_destination (first, TEAM);
  set_nowhere (second);
  email_report = create_in (first, "Pothole for the roads team");
  failed_report = create_in (second, "Report for nowhere");
  /* The server's send-on worker looks every 10 s. */
  want.id = email_report;
  want.status = "sent";
  g_assert_true (ks_test_wait_for (status_is, &want, 90));
  want.id = failed_report;
  want.status = "failed";
  g_assert_true (ks_test_wait_for (status_is, &want, 90));
}

static void
test_detail (void)
{
  g_autofree char *text = NULL, *sql = NULL;
  GtkWidget *button;
  Want want = { 0, "failed" };

  set_up_reports ();
  ks_gui_sign_in_as (window, ADMIN);
  want.id = failed_report;
  show_report (failed_report, "nowhere (Open311)\nFailed: ");
  text = ks_report_detail_get_sendings_text (detail_widget ());
  g_test_message ("Sent On rows:\n%s", text);
  g_assert_nonnull (strstr (text, "no such Open311 destination"));
  g_assert_true (gtk_widget_get_visible (ks_report_detail_get_sendings_group (detail_widget ())));
  button = ks_gui_find_named (ks_report_detail_get_sendings_group (detail_widget ()), "resend-button");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  screenshot_group ("detail-sent-on-failed.png");

  /* Resend: the server takes it again (audited), and fails again, saying why. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_true (ks_test_wait_for (resent, &failed_report, 60));
  sql = g_strdup_printf ("SELECT generation FROM sendings WHERE report_id = %" G_GINT64_FORMAT,
                         failed_report);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 1);
  g_assert_true (ks_test_wait_for (status_is, &want, 90));

  g_clear_pointer (&text, g_free);
  show_report (email_report, TEAM "\nSent ");
  text = ks_report_detail_get_sendings_text (detail_widget ());
  g_test_message ("Sent On rows:\n%s", text);
  g_assert_nonnull (ks_gui_find_named (ks_report_detail_get_sendings_group (detail_widget ()),
                                       "resend-button"));
  screenshot_group ("detail-sent-on.png");
  ks_gui_sign_out (window);
}

static gboolean
dashboard_settled (gpointer data)
{
  return g_strcmp0 (ks_dashboard_window_get_state (data), "loading") != 0 &&
         g_strcmp0 (ks_dashboard_window_get_stats_state (data), "loading") != 0;
}

static KsDashboardWindow *
find_dashboard (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (KS_IS_DASHBOARD_WINDOW (w))
        return KS_DASHBOARD_WINDOW (w);
    }
  return NULL;
}

static void
test_customer_services (void)
{
  g_autoptr(JsonObject) summary = NULL;
  g_autofree char *expected = NULL;
  KsDashboardWindow *dash;

  set_up_reports ();
  ks_gui_sign_in_as (window, CUSTOMER_SERVICES);
  /* The rows, but no Resend: Customer Services may not update a report's status. */
  show_report (email_report, TEAM "\nSent ");
  g_assert_null (ks_gui_find_named (ks_report_detail_get_sendings_group (detail_widget ()),
                                    "resend-button"));

  /* The dashboard counts the failure. */
  summary = ks_test_api (server->url, "GET", "/api/v1/dashboard/summary", ks_gui_test_token (window), NULL);
  g_assert_cmpint (json_object_get_int_member (summary, "failed_sendings"), >=, 1);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (summary, "failed_sendings"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dashboard", NULL));
  dash = find_dashboard ();
  g_assert_nonnull (dash);
  g_assert_true (ks_test_wait_for (dashboard_settled, dash, 60));
  g_assert_cmpstr (ks_dashboard_window_get_state (dash), ==, "content");
  g_assert_cmpstr (ks_dashboard_window_get_card_value (dash, "failed-sendings"), ==, expected);
  ks_gui_wait_painted (GTK_WIDGET (dash), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (dash), "dashboard-failed-sendings.png"));
  gtk_window_destroy (GTK_WINDOW (dash));
  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/send-on/detail", test_detail);
  g_test_add_func ("/send-on/customer-services", test_customer_services);

  return ks_gui_test_run ();
}

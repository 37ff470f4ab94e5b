/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-resident-emails.c: the emails to residents in the app. As an
 * administrator: the Emails page of the administration makes the council's
 * text for an email (there over HTTP, and the server's next email uses it); a
 * response template gets its email text, auto-response and external status
 * code; an API key's setting to email its residents is switched on. In the
 * report detail, staff see what was emailed to the resident (sent, queued);
 * the rows follow the server's list. The real window against a real
 * kerbside-server on loopback; screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-resident-emails"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-admin-window.h"
#include "ks-gui-test-admin.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-test-http.h"

#define N_REPORTS 200
#define ADMIN "admin@demo.invalid"

static KsTestServer *server;
static KsWindow     *window;

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_free (ks_gui_save_screenshot_whole (widget, name));
}

/* Closed, and its subpage gone (the next editor may open). */

static gboolean
keys_shown (gpointer data)
{
  KsAdminWindow *admin = ks_gui_test_admin_window (window);

  return admin && !ks_admin_window_get_busy (admin) &&
         ks_admin_window_get_n_rows (admin, "api-keys") == GPOINTER_TO_INT (data);
}

static gboolean
page_loaded (gpointer data)
{
  return ks_admin_window_get_n_rows (data, "email-templates") >= 0 &&
         ks_admin_window_get_n_rows (data, "api-keys") >= 0 &&
         ks_admin_window_get_n_rows (data, "templates") >= 0 &&
         !ks_admin_window_get_busy (data);
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

static void
test_admin (void)
{
  KsAdminWindow *admin;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) keys = NULL;
  g_autoptr(JsonObject) templates = NULL;
  AdwMessageDialog *dialog;
  JsonObject *o;
  int n_email_templates, n_keys;

  ks_gui_sign_in_as (window, ADMIN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", NULL));
  admin = ks_gui_test_admin_window (window);
  g_assert_nonnull (admin);
  g_assert_true (ks_test_wait_for (page_loaded, admin, 30));
  n_email_templates = ks_admin_window_get_n_rows (admin, "email-templates");
  g_assert_cmpint (n_email_templates, ==, 0);

  /* The council's text of the news email. */
  ks_admin_window_show_page (admin, "email-templates");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "email-templates", 0));
  ks_admin_window_editor_set (admin, "kind", "update");
  ks_admin_window_editor_set (admin, "subject", "News on report {{reference}}: {{state}}");
  ks_admin_window_editor_set (admin, "text", "Hello,\n\n{{update}}\n\nFollow it at {{url}}.\n{{council}}");
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  screenshot (GTK_WIDGET (admin), "admin-email-template-editor.png");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/email-templates", ks_gui_test_token (window), NULL, &list),
                    ==, 200);
  o = find_by (list, "email_templates", "kind", "update");
  g_assert_nonnull (o);
  g_assert_cmpstr (json_object_get_string_member (o, "subject"), ==, "News on report {{reference}}: {{state}}");
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==,
                   "Hello,\n\n{{update}}\n\nFollow it at {{url}}.\n{{council}}");
  g_assert_true (ks_test_wait_for (page_loaded, admin, 30));
  g_assert_cmpint (ks_admin_window_get_n_rows (admin, "email-templates"), ==, n_email_templates + 1);

  /* A second one for the same email is refused, and says why. */
  g_assert_nonnull (ks_admin_window_open_editor (admin, "email-templates", 0));
  ks_admin_window_editor_set (admin, "kind", "update");
  ks_admin_window_editor_set (admin, "subject", "Again");
  ks_admin_window_editor_set (admin, "text", "Again");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_error, admin, 30));
  g_test_message ("refused: %s", ks_admin_window_get_editor_error (admin));
  g_assert_nonnull (strstr (ks_admin_window_get_editor_error (admin), "already"));
  g_assert_true (ks_admin_window_editor_open (admin));
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (admin));
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 10));

  /* A response template applied by itself, with its email text. */
  ks_admin_window_show_page (admin, "templates");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "templates", 0));
  ks_admin_window_editor_set (admin, "title", "Scheduled");
  ks_admin_window_editor_set (admin, "text", "Work on {{title}} is booked.");
  ks_admin_window_editor_set (admin, "state", "action_scheduled");
  ks_admin_window_editor_set (admin, "auto_response", "true");
  ks_admin_window_editor_set (admin, "email_text", "Good news: work on {{title}} is booked.");
  ks_admin_window_editor_set (admin, "external_status_code", "SCHEDULED");
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  screenshot (GTK_WIDGET (admin), "admin-template-email-fields.png");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/templates", ks_gui_test_token (window), NULL, &templates),
                    ==, 200);
  o = find_by (templates, "templates", "title", "Scheduled");
  g_assert_nonnull (o);
  g_assert_true (json_object_get_boolean_member (o, "auto_response"));
  g_assert_cmpstr (json_object_get_string_member (o, "email_text"), ==, "Good news: work on {{title}} is booked.");
  g_assert_cmpstr (json_object_get_string_member (o, "external_status_code"), ==, "SCHEDULED");

  /* An API key whose residents are emailed: made here, then switched on. */
  n_keys = ks_admin_window_get_n_rows (admin, "api-keys");
  ks_admin_window_show_page (admin, "api-keys");
  g_assert_nonnull (ks_admin_window_open_editor (admin, "api-keys", 0));
  ks_admin_window_editor_set (admin, "name", "FixMyStreet");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_assert_nonnull (ks_admin_window_get_new_key (admin));
  if ((dialog = ks_gui_find_dialog ()) != NULL)
    ks_gui_respond (dialog, "close");
  g_assert_true (ks_test_wait_for (keys_shown, GINT_TO_POINTER (n_keys + 1), 30));
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/api-keys", ks_gui_test_token (window), NULL, &keys), ==, 200);
  o = find_by (keys, "api_keys", "name", "FixMyStreet");
  g_assert_nonnull (o);
  g_assert_false (json_object_get_boolean_member (o, "notify_residents"));
  g_assert_nonnull (ks_admin_window_open_editor (admin, "api-keys", json_object_get_int_member (o, "id")));
  ks_admin_window_editor_set (admin, "notify_residents", "true");
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  screenshot (GTK_WIDGET (admin), "admin-api-key-notify.png");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_clear_pointer (&keys, json_object_unref);
  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/api-keys", ks_gui_test_token (window), NULL, &keys), ==, 200);
  o = find_by (keys, "api_keys", "name", "FixMyStreet");
  g_assert_true (json_object_get_boolean_member (o, "notify_residents"));
  g_assert_true (ks_test_wait_for (page_loaded, admin, 30));
  screenshot (GTK_WIDGET (admin), "admin-api-keys.png");
  gtk_window_destroy (GTK_WINDOW (admin));
  ks_gui_sign_out (window);
}

/* ---- The detail's list ---- */

static KsReportDetail *
detail_widget (void)
{
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

typedef struct {
  gint64      id;
  const char *want;   /* text the emails group shows */
} Shown;

static gboolean
detail_shows (gpointer data)
{
  Shown *s = data;
  KsReport *report = ks_report_detail_get_report (detail_widget ());
  g_autofree char *text = NULL;

  if (report == NULL || ks_report_get_id (report) != s->id || ks_report_detail_get_detail (detail_widget ()) == NULL)
    return FALSE;
  text = ks_report_detail_get_emails_text (detail_widget ());
  return strstr (text, s->want) != NULL;
}

static const char *
email_state (gint64 report_id, const char *kind)
{
  static char state[32];
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
  g_autoptr(JsonObject) detail = ks_test_api (server->url, "GET", path, ks_gui_test_token (window), NULL);
  JsonArray *emails = json_object_get_array_member (detail, "emails");

  state[0] = '\0';
  for (guint i = 0; i < json_array_get_length (emails); i++)
    {
      JsonObject *e = json_array_get_object_element (emails, i);
      if (g_strcmp0 (json_object_get_string_member (e, "kind"), kind) == 0)
        g_strlcpy (state, json_object_get_string_member (e, "state"), sizeof state);
    }
  return state;
}

static gboolean
app_knows (gpointer data)
{
  return ks_report_store_lookup (ks_session_get_report_store (ks_window_get_session (window)),
                                 *(gint64 *) data) != NULL;
}

static gboolean
confirmation_sent (gpointer data)
{
  return g_str_equal (email_state (*(gint64 *) data, "confirmation"), "sent");
}

static void
test_detail (void)
{
  g_autoptr(JsonObject) categories = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) changed = NULL;
  g_autofree char *body = NULL, *path = NULL, *text = NULL;
  JsonArray *cats;
  gint64 category_id = 0, id, version;
  Shown shown;

  ks_gui_sign_in_as (window, ADMIN);
  categories = ks_test_api (server->url, "GET", "/api/v1/categories", ks_gui_test_token (window), NULL);
  cats = json_object_get_array_member (categories, "categories");
  for (guint i = 0; i < json_array_get_length (cats) && category_id == 0; i++)
    {
      JsonObject *c = json_array_get_object_element (cats, i);
      if (json_object_get_boolean_member (c, "active") && !json_object_get_boolean_member (c, "private"))
        category_id = json_object_get_int_member (c, "id");
    }
  body = g_strdup_printf ("{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"Loose paving slab\", "
                          "\"detail\": \"By the bus stop\", \"lat\": 51.7525, \"lon\": -1.2585, "
                          "\"reporter\": {\"name\": \"Pat Resident\", \"email\": \"pat.resident@example.net\"}}",
                          category_id);
  created = ks_test_api (server->url, "POST", "/api/v1/reports", ks_gui_test_token (window), body);
  id = json_object_get_int_member (json_object_get_object_member (created, "report"), "id");
  version = json_object_get_int_member (json_object_get_object_member (created, "report"), "version");
  /* The server's notice worker writes the confirmation within its poll. */
  g_assert_true (ks_test_wait_for (confirmation_sent, &id, 60));

  /* News: queued for a minute, shown as queued. */
  g_free (body);
  body = g_strdup_printf ("{\"state\": \"investigating\", \"text\": \"An inspector will look at it.\", "
                          "\"version\": %" G_GINT64_FORMAT "}", version);
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/state", id);
  changed = ks_test_api (server->url, "POST", path, ks_gui_test_token (window), body);
  g_assert_cmpstr (email_state (id, "update"), ==, "queued");

  ks_window_set_view (window, "list");
  /* The app learns of the new report by syncing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (ks_test_wait_for (app_knows, &id, 30));
  ks_window_show_report (window, id);
  shown.id = id;
  shown.want = "Queued";
  if (!ks_test_wait_for (detail_shows, &shown, 30))
    {
      g_autofree char *seen = ks_report_detail_get_emails_text (detail_widget ());
      g_test_message ("the detail's emails: “%s”", seen);
      g_assert_not_reached ();
    }
  text = ks_report_detail_get_emails_text (detail_widget ());
  g_test_message ("emails shown:\n%s", text);
  g_assert_true (g_str_has_prefix (text, "Confirmation\nSent "));
  g_assert_nonnull (strstr (text, "Loose paving slab"));
  g_assert_nonnull (strstr (text, "News of updates\nQueued, to be sent "));
  g_assert_true (gtk_widget_get_visible (ks_report_detail_get_emails_group (detail_widget ())));
  ks_test_iterate (300);
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  {
    GtkWidget *group = ks_report_detail_get_emails_group (detail_widget ());
    GtkWidget *scroller = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
    graphene_point_t p;

    /* Scrolled to the group, for the screenshot. */
    if (scroller && gtk_widget_compute_point (group, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                              &GRAPHENE_POINT_INIT (0, 0), &p))
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), p.y);
    ks_test_iterate (300);
  }
  screenshot (GTK_WIDGET (window), "detail-emails.png");

  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/resident-emails/admin", test_admin);
  g_test_add_func ("/resident-emails/detail", test_detail);

  return ks_gui_test_run ();
}

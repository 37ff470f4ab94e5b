/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-open311-destinations.c: the council's Open311 destinations in the app. As
 * an administrator, the administration's Open311 page adds one (there over HTTP,
 * the api key kept but never shown: the row says its last four characters), a
 * bad endpoint is refused with the server's sentence and the editor stays open,
 * and an edit with the key left empty keeps the key and turns the destination
 * off (the row says so). A destination of the server's configuration file is
 * listed after the council's, read-only (no arrow, not activatable), and says
 * when the council's entry of the same name replaces it. The real window
 * against a real kerbside-server on loopback (started with a configuration
 * file holding an [open311 highways] group); screenshots under
 * KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-open311-destinations"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-admin-window.h"
#include "ks-gui-test-admin.h"
#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-test-http.h"

#define N_REPORTS 50
#define ADMIN "admin@demo.invalid"
#define SECRET "hw-secret-key-7Q2z"
#define ENDPOINT "https://contractor.example/open311/v2/"
#define CONFIGURED "https://configured.example/open311/v2/"
#define FROM_CONFIG "From the server’s configuration file"
#define REPLACED "Replaced by the council’s entry"

static KsTestServer *server;
static KsWindow     *window;

typedef struct {
  KsAdminWindow *admin;
  int            rows;
  const char    *text;   /* nullable: the page's text must hold it */
} Want;

static gboolean
rows_shown (gpointer data)
{
  Want *want = data;
  g_autofree char *text = NULL;

  if (ks_admin_window_get_busy (want->admin) ||
      ks_admin_window_get_n_rows (want->admin, "open311-destinations") != want->rows)
    return FALSE;
  if (want->text == NULL)
    return TRUE;
  text = ks_gui_all_text (GTK_WIDGET (want->admin));
  return strstr (text, want->text) != NULL;
}

static gboolean
is_configured_row (GtkWidget    *widget,
                   gconstpointer data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0 &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), FROM_CONFIG) != NULL;
}

static gboolean
is_arrow (GtkWidget    *widget,
          gconstpointer data)
{
  return GTK_IS_IMAGE (widget) &&
         g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "go-next-symbolic") == 0;
}

/* The configuration's row for name: its subtitle, and nothing to edit it with. */
static const char *
configured_row (KsAdminWindow *admin,
                const char    *name)
{
  GtkWidget *row = ks_gui_find (GTK_WIDGET (admin), is_configured_row, name);

  g_assert_nonnull (row);
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_null (ks_gui_find (row, is_arrow, NULL));
  g_assert_null (ks_gui_find_type (row, GTK_TYPE_BUTTON));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static JsonObject *
destination (JsonObject **list)
{
  JsonArray *a;

  g_assert_cmpuint (ks_test_api_status (server->url, "GET", "/api/v1/open311-destinations",
                                        ks_gui_test_token (window), NULL, list), ==, 200);
  a = json_object_get_array_member (*list, "open311_destinations");
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  return json_array_get_object_element (a, 0);
}

static void
test_admin (void)
{
  KsAdminWindow *admin;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *text = NULL;
  JsonObject *o;
  Want want = { NULL, 0, NULL };
  gint64 id;

  ks_gui_sign_in_as (window, ADMIN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", NULL));
  admin = ks_gui_test_admin_window (window);
  g_assert_nonnull (admin);
  want.admin = admin;
  /* Before the council has one: the configuration's alone, read-only. */
  want.rows = 1;
  want.text = FROM_CONFIG;
  g_assert_true (ks_test_wait_for (rows_shown, &want, 30));
  ks_admin_window_show_page (admin, "open311-destinations");
  g_assert_cmpstr (configured_row (admin, "highways"), ==, CONFIGURED " · " FROM_CONFIG);
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (admin), "admin-open311-configured.png"));

  /* A new destination, with its key. */
  g_assert_nonnull (ks_admin_window_open_editor (admin, "open311-destinations", 0));
  ks_admin_window_editor_set (admin, "name", "highways");
  ks_admin_window_editor_set (admin, "endpoint", ENDPOINT);
  ks_admin_window_editor_set (admin, "api_key", SECRET);
  ks_admin_window_editor_set (admin, "jurisdiction_id", "oxford");
  ks_admin_window_editor_set (admin, "idempotent", "true");
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (admin), "admin-open311-destination-editor.png"));
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  o = destination (&list);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "highways");
  g_assert_cmpstr (json_object_get_string_member (o, "endpoint"), ==, ENDPOINT);
  g_assert_cmpstr (json_object_get_string_member (o, "jurisdiction_id"), ==, "oxford");
  g_assert_true (json_object_get_boolean_member (o, "api_key_set"));
  g_assert_cmpstr (json_object_get_string_member (o, "api_key_last4"), ==, "7Q2z");
  g_assert_true (json_object_get_boolean_member (o, "idempotent"));
  g_assert_false (json_object_has_member (o, "api_key"));
  id = json_object_get_int_member (o, "id");

  /* The row: its name, endpoint and the key's last characters, never the key. */
  want.rows = 2;
  want.text = ENDPOINT " · key …7Q2z · idempotent";
  g_assert_true (ks_test_wait_for (rows_shown, &want, 30));
  text = ks_gui_all_text (GTK_WIDGET (admin));
  g_assert_nonnull (strstr (text, "highways"));
  g_assert_null (strstr (text, SECRET));
  /* The council's entry of the same name wins: the configuration's says so, after it. */
  g_assert_cmpstr (configured_row (admin, "highways"), ==, CONFIGURED " · " FROM_CONFIG " · " REPLACED);
  g_assert_true (strstr (text, ENDPOINT) < strstr (text, CONFIGURED));
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (admin), "admin-open311-destinations.png"));

  /* A bad endpoint: the server's sentence, the editor stays open, nothing changed. */
  g_assert_nonnull (ks_admin_window_open_editor (admin, "open311-destinations", id));
  ks_admin_window_editor_set (admin, "endpoint", "ftp://contractor.example/");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_error, admin, 30));
  g_test_message ("refused: %s", ks_admin_window_get_editor_error (admin));
  g_assert_nonnull (strstr (ks_admin_window_get_editor_error (admin), "http"));
  g_assert_true (ks_admin_window_editor_open (admin));
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (admin), "admin-open311-destination-refused.png"));
  o = destination (&again);
  g_assert_cmpstr (json_object_get_string_member (o, "endpoint"), ==, ENDPOINT);

  /* The key left empty is kept; turned off. */
  ks_admin_window_editor_set (admin, "endpoint", ENDPOINT);
  ks_admin_window_editor_set (admin, "active", "false");
  ks_admin_window_editor_save (admin);
  g_assert_true (ks_test_wait_for (ks_gui_test_admin_editor_closed, admin, 30));
  g_clear_pointer (&again, json_object_unref);
  o = destination (&again);
  g_assert_true (json_object_get_boolean_member (o, "api_key_set"));
  g_assert_cmpstr (json_object_get_string_member (o, "api_key_last4"), ==, "7Q2z");
  g_assert_false (json_object_get_boolean_member (o, "active"));
  want.text = ENDPOINT " · key …7Q2z · idempotent · inactive";
  g_assert_true (ks_test_wait_for (rows_shown, &want, 30));
  /* Turned off, it no longer replaces the configuration's. */
  g_assert_cmpstr (configured_row (admin, "highways"), ==, CONFIGURED " · " FROM_CONFIG);
  ks_gui_wait_painted (GTK_WIDGET (admin), 5);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (admin), "admin-open311-destination-off.png"));
  gtk_window_close (GTK_WINDOW (admin));
  ks_gui_sign_out (window);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  /* Restarted with a configuration file that names a destination of its own. */
  server->config = g_build_filename (server->dir, "open311.conf", NULL);
  g_assert_true (g_file_set_contents (server->config,
                                      "[open311 highways]\nendpoint=" CONFIGURED "\napi_key=config-key-1234\n",
                                      -1, NULL));
  ks_test_server_stop (server);
  ks_test_server_start (server);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/open311-destinations/admin", test_admin);

  return ks_gui_test_run ();
}

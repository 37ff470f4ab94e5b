/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-councils.c: councils in the real app against a real kerbside-server: a
 * platform operator (superuser, with two-factor authentication) signs in, has the
 * council picker, starts in the first council and sees only its report on the
 * map, switches to the demo council and the map shows its reports (the other's
 * gone, each council in a cache of its own); the council settings page saves values that
 * are there after reopening it, and a bad value is refused with the server's
 * sentence under its field, nothing changed; staff have no picker, and a
 * council's administrator has the settings page without the name; the operator
 * creates a council with the picker's "New Council…" (a taken short name refused
 * under its field), works in it at once, and starts in it again after a
 * relaunch; a remembered council that no longer exists falls back to the first.
 * Screenshots go under the build directory (KS_SCREENSHOT_DIR). */
#define G_LOG_DOMAIN "test-councils"

#include "config.h"

#include <adwaita.h>
#include <liboath/oath.h>
#include <string.h>

#include "ks-test-http.h"
#include "ks-gui-test.h"
#include "ks-gui-test-app.h"
#include "ks-admin-window.h"
#include "ks-cache.h"
#include "ks-council-settings.h"
#include "ks-new-council-dialog.h"
#include "ks-sign-in-page.h"

#define N_REPORTS 300
#define OPERATOR "operator@demo.invalid"
#define INSPECTOR "inspector@demo.invalid"
#define ADMIN "admin@demo.invalid"
#define SECRET "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
#define OTHER_COUNCIL "Brightwell Borough Council"

static KsTestServer *server;
static KsWindow     *window;
static gint64        other_report;   /* the one report of the other council */
static gint64        other_council;
static gint64        oxford_report;  /* a report of the demo council */

static KsSession *
session (void)
{
  return ks_window_get_session (window);
}

/* The TOTP code of SECRET at the server's now, step_offset steps on. */
static char *
totp (int step_offset)
{
  char *raw = NULL;
  size_t raw_len = 0;
  char code[16];

  g_assert_cmpint (oath_init (), ==, OATH_OK);
  g_assert_cmpint (oath_base32_decode (SECRET, strlen (SECRET), &raw, &raw_len), ==, OATH_OK);
  g_assert_cmpint (oath_totp_generate (raw, raw_len, ks_test_server_now (server) + step_offset * 30,
                                       30, 0, 6, code), ==, OATH_OK);
  free (raw);
  return g_strdup (code);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_window_get_transient_for (w) == GTK_WINDOW (window))
        return GTK_WIDGET (w);
    }
  return NULL;
}

/* The picker's shown council, or NULL. */
static const char *
picked (void)
{
  GtkDropDown *picker = ks_window_get_council_picker (window);
  GObject *item = gtk_drop_down_get_selected_item (picker);

  return item && GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static gboolean
picker_shows (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (ks_window_get_council_picker (window))) &&
         g_strcmp0 (picked (), data) == 0;
}

static gboolean
only_other_council_shown (gpointer data)
{
  return ks_gui_reports_shown (window) &&
         g_list_model_get_n_items (ks_session_get_reports (session ())) == 1 &&
         ks_gui_map_state (window, other_report) != NULL;
}

static gboolean
oxford_shown (gpointer data)
{
  return ks_gui_reports_ready (window, N_REPORTS / 2, TRUE) &&
         ks_session_lookup_report (session (), other_report) == NULL &&
         ks_gui_map_state (window, oxford_report) != NULL &&
         ks_gui_map_state (window, other_report) == NULL;
}

static gboolean
settings_loaded (gpointer data)
{
  return ks_council_settings_get_loaded (KS_COUNCIL_SETTINGS (data));
}

static gboolean
settings_idle_with_error (gpointer data)
{
  KsCouncilSettings *page = data;

  return !ks_council_settings_get_busy (page) && ks_council_settings_get_error (page, "email") != NULL;
}

static KsCouncilSettings *open_page;

static gboolean
settings_idle_with_error_on (gpointer data)
{
  return !ks_council_settings_get_busy (open_page) &&
         ks_council_settings_get_error (open_page, data) != NULL;
}

static gboolean
step_is_code (gpointer data)
{
  KsSignInPage *page = KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window));

  return ks_gui_sign_in_idle (window) && g_strcmp0 (ks_sign_in_page_get_step (page), "code") == 0;
}

/* The platform operator's account (2FA on) and, through the API, a second
 * council with one report. */
static void
set_up_operator (void)
{
  g_autoptr(JsonObject) login = NULL, second = NULL, council = NULL, answer = NULL, report = NULL;
  JsonObject *category;
  g_autofree char *code = totp (0);
  g_autofree char *body = NULL;
  const char *token;

  ks_test_server_exec (server,
                       "INSERT INTO users (email, name, password_hash, is_superuser, totp_secret, "
                       "totp_enabled, created, updated) SELECT '" OPERATOR "', 'Olu Operator', "
                       "password_hash, 1, '" SECRET "', 1, 0, 0 FROM users WHERE email = '" ADMIN "'");
  login = ks_test_api (server->url, "POST", "/api/v1/auth/login", NULL,
                       "{\"email\": \"" OPERATOR "\", \"password\": \"" KS_TEST_PASSWORD "\"}");
  body = g_strdup_printf ("{\"challenge\": \"%s\", \"code\": \"%s\"}",
                          json_object_get_string_member (login, "challenge"), code);
  second = ks_test_api (server->url, "POST", "/api/v1/auth/login/2fa", NULL, body);
  token = json_object_get_string_member (second, "token");

  council = ks_test_api (server->url, "POST", "/api/v1/councils", token,
                         "{\"name\": \"" OTHER_COUNCIL "\", \"slug\": \"brightwell\"}");
  other_council = json_object_get_int_member (council, "id");
  g_free (body);
  body = g_strdup_printf ("{\"body_id\": %" G_GINT64_FORMAT ", \"code\": \"POT\", \"name\": \"Potholes\"}",
                          other_council);
  answer = ks_test_api (server->url, "POST", "/api/v1/categories", token, body);
  category = json_object_has_member (answer, "category")
             ? json_object_get_object_member (answer, "category") : answer;
  g_free (body);
  body = g_strdup_printf ("{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"Brightwell pothole\", "
                          "\"detail\": \"By the green\", \"lat\": 51.75, \"lon\": -1.25, \"as_council\": true}",
                          json_object_get_int_member (category, "id"));
  report = ks_test_api (server->url, "POST", "/api/v1/reports", token, body);
  if (json_object_has_member (report, "report"))
    other_report = json_object_get_int_member (json_object_get_object_member (report, "report"), "id");
  else
    other_report = json_object_get_int_member (report, "id");
  g_assert_cmpint (other_report, >, 0);
  /* One the list's first view (open reports) shows: the demo lays its states
   * out from the current time, so its newest report may be closed or a
   * duplicate at one hour and open at the next. */
  oxford_report = ks_test_server_query_int (server, "SELECT max(id) FROM reports WHERE body_id = 1 AND state IN "
                                                    "('confirmed', 'investigating', 'in_progress', 'action_scheduled')");
}

/* (a) The picker: the first council by name, then the demo council. */
static void
test_switch_council (void)
{
  g_autofree char *code = NULL;
  g_autofree char *other_cache = NULL;
  g_autofree char *oxford_cache = NULL;
  GtkDropDown *picker = ks_window_get_council_picker (window);
  guint oxford = G_MAXUINT;

  set_up_operator ();
  ks_gui_fill_sign_in (window, OPERATOR, KS_TEST_PASSWORD);
  g_assert_true (ks_test_wait_for (step_is_code, NULL, 60));
  code = totp (1);
  ks_sign_in_page_set_code (KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window)), code);
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  g_assert_true (ks_session_is_superuser (session ()));

  /* No council of their own: the first by name, and only its report. */
  g_assert_true (ks_test_wait_for (picker_shows, (gpointer) OTHER_COUNCIL, 60));
  g_assert_true (ks_test_wait_for (only_other_council_shown, NULL, 120));
  g_assert_cmpint (ks_session_get_council_id (session ()), ==, other_council);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "councils-first.png"));

  /* The demo council from the picker: its reports, not the other's. */
  for (guint i = 0; i < g_list_model_get_n_items (gtk_drop_down_get_model (picker)); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (gtk_drop_down_get_model (picker), i);
      if (g_str_equal (gtk_string_object_get_string (item), "Oxford City Council"))
        oxford = i;
    }
  g_assert_cmpuint (oxford, !=, G_MAXUINT);
  gtk_drop_down_set_selected (picker, oxford);
  if (!ks_test_wait_for (oxford_shown, NULL, 180))
    {
      KsSession *s = session ();
      g_test_message ("council %" G_GINT64_FORMAT "; page %s; %u reports, %u shown; syncing %d; "
                      "report %" G_GINT64_FORMAT " looked up %d, drawn %s; report %" G_GINT64_FORMAT " drawn %s",
                      ks_session_get_council_id (s), ks_gui_page_is (window, "main") ? "main" : "not main",
                      g_list_model_get_n_items (ks_session_get_reports (s)),
                      g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (s))),
                      ks_sync_engine_get_syncing (ks_session_get_sync (s)),
                      other_report, ks_session_lookup_report (s, other_report) != NULL,
                      ks_gui_map_state (window, other_report),
                      oxford_report, ks_gui_map_state (window, oxford_report));
      g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "councils-switch-failed.png"));
      g_assert_not_reached ();
    }
  g_assert_cmpint (ks_session_get_council_id (session ()), ==, 1);
  g_assert_cmpstr (picked (), ==, "Oxford City Council");
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "councils-switched.png"));

  /* A cache per council: the two never share a file. */
  other_cache = ks_cache_path_for_council (ks_session_get_server_url (session ()), OPERATOR, other_council);
  oxford_cache = ks_cache_path_for_council (ks_session_get_server_url (session ()), OPERATOR, 1);
  g_assert_cmpstr (other_cache, !=, oxford_cache);
  g_assert_cmpstr (ks_cache_get_path (ks_session_get_cache (session ())), ==, oxford_cache);
}

static KsCouncilSettings *
open_settings (void)
{
  KsAdminWindow *admin;
  KsCouncilSettings *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", NULL));
  admin = KS_ADMIN_WINDOW (find_toplevel (KS_TYPE_ADMIN_WINDOW));
  g_assert_nonnull (admin);
  page = KS_COUNCIL_SETTINGS (ks_admin_window_get_council_settings (admin));
  g_assert_nonnull (page);
  ks_admin_window_show_page (admin, "council");
  g_assert_true (ks_test_wait_for (settings_loaded, page, 60));
  open_page = page;
  return page;
}

static void
close_settings (void)
{
  gtk_window_destroy (GTK_WINDOW (find_toplevel (KS_TYPE_ADMIN_WINDOW)));
  g_assert_null (find_toplevel (KS_TYPE_ADMIN_WINDOW));
}

#define ASSERT_FIELD(page, field, want) \
  G_STMT_START { g_autofree char *got_ = ks_council_settings_get ((page), (field)); \
                 g_assert_cmpstr (got_, ==, (want)); } G_STMT_END

/* (b) Settings saved, and there after reopening. */
static void
test_settings_saved (void)
{
  KsCouncilSettings *page;

  ks_gui_sign_in_as (window, OPERATOR);
  page = open_settings ();
  ASSERT_FIELD (page, "name", "Oxford City Council");
  ks_council_settings_set (page, "public_url", "https://www.oxford.example/streets");
  ks_council_settings_set (page, "duplicate_radius", "75");
  ks_council_settings_set (page, "require_2fa", "true");
  ks_council_settings_set (page, "retention_audit_days", "2555");
  ks_council_settings_set (page, "retention_staff_days", "180");
  ks_council_settings_save (page);
  g_assert_true (ks_test_wait_for (settings_loaded, page, 60));
  g_assert_null (ks_council_settings_get_error (page, "public_url"));
  close_settings ();
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT duplicate_radius FROM bodies WHERE id = 1"), ==, 75);

  page = open_settings ();
  ASSERT_FIELD (page, "public_url", "https://www.oxford.example/streets");
  ASSERT_FIELD (page, "duplicate_radius", "75");
  ASSERT_FIELD (page, "require_2fa", "true");
  ASSERT_FIELD (page, "retention_audit_days", "2555");
  ASSERT_FIELD (page, "retention_staff_days", "180");
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT retention_staff_days FROM bodies WHERE id = 1"),
                   ==, 180);
  g_free (ks_gui_save_screenshot_whole (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_WINDOW),
                                        "council-settings-saved.png"));
  /* Back as it was, so that the staff below need no two-factor setup. */
  ks_council_settings_set (page, "require_2fa", "false");
  ks_council_settings_save (page);
  g_assert_true (ks_test_wait_for (settings_loaded, page, 60));
  close_settings ();
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT require_2fa FROM bodies WHERE id = 1"), ==, 0);
}

/* (c) A bad value: the sentence under its field, nothing changed. */
static void
test_settings_refused (void)
{
  KsCouncilSettings *page;
  const char *error;

  ks_gui_sign_in_as (window, OPERATOR);
  page = open_settings ();
  ks_council_settings_set (page, "email", "not an address");
  ks_council_settings_set (page, "duplicate_radius", "90");
  ks_council_settings_save (page);
  g_assert_true (ks_test_wait_for (settings_idle_with_error, page, 60));
  error = ks_council_settings_get_error (page, "email");
  g_assert_nonnull (strstr (error, "not an address"));
  g_assert_nonnull (strstr (error, "not a valid email address"));
  g_assert_null (ks_council_settings_get_error (page, "duplicate_radius"));
  g_assert_null (ks_council_settings_get_error (page, "public_url"));
  /* What was typed stays for the person to correct. */
  ASSERT_FIELD (page, "email", "not an address");
  g_free (ks_gui_save_screenshot_whole (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_WINDOW),
                                        "council-settings-refused.png"));
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT duplicate_radius FROM bodies WHERE id = 1"), ==, 75);
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM bodies WHERE id = 1 AND "
                                                     "email = 'enquiries@demo.invalid'"), ==, 1);

  /* Unused accounts kept too long: its own sentence, under its own field. */
  ks_council_settings_set (page, "email", "enquiries@demo.invalid");
  ks_council_settings_set (page, "retention_staff_days", "40000");
  ks_council_settings_save (page);
  g_assert_true (ks_test_wait_for (settings_idle_with_error_on, (gpointer) "retention_staff_days", 60));
  g_assert_null (ks_council_settings_get_error (page, "email"));
  g_assert_nonnull (strstr (ks_council_settings_get_error (page, "retention_staff_days"), "36500"));
  ASSERT_FIELD (page, "retention_staff_days", "40000");
  g_free (ks_gui_save_screenshot_whole (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_WINDOW),
                                        "council-settings-refused-staff-days.png"));
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT retention_staff_days FROM bodies WHERE id = 1"),
                   ==, 180);
  close_settings ();
}

/* (d) Staff: no picker; a council's administrator has the page, not the name. */
static void
test_staff (void)
{
  KsCouncilSettings *page;
  GtkWidget *name_row;

  ks_gui_sign_in_as (window, INSPECTOR);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ks_window_get_council_picker (window))));
  g_assert_false (ks_council_settings_allowed (session ()));

  ks_gui_sign_in_as (window, ADMIN);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ks_window_get_council_picker (window))));
  page = open_settings ();
  ASSERT_FIELD (page, "duplicate_radius", "75");
  name_row = ks_gui_find_named (GTK_WIDGET (page), "name");
  g_assert_nonnull (name_row);
  g_assert_false (gtk_widget_get_sensitive (name_row));
  ks_council_settings_set (page, "max_photos", "7");
  ks_council_settings_save (page);
  g_assert_true (ks_test_wait_for (settings_loaded, page, 60));
  g_assert_null (ks_council_settings_get_error (page, "max_photos"));
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT max_photos FROM bodies WHERE id = 1"), ==, 7);
  g_free (ks_gui_save_screenshot_whole (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_WINDOW),
                                        "council-settings-admin.png"));
  close_settings ();
  ks_gui_sign_out (window);
}

#define NEW_COUNCIL "Wychwood District Council"

static gboolean
dialog_idle_with_error (gpointer data)
{
  KsNewCouncilDialog *dialog = data;

  return !ks_new_council_dialog_get_busy (dialog) && ks_new_council_dialog_get_error (dialog, "slug") != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_toplevel (KS_TYPE_NEW_COUNCIL_DIALOG) == NULL;
}

/* Working in the new council (it has no reports yet), its first sync done. */
static gboolean
working_in (gpointer data)
{
  return ks_session_is_signed_in (session ()) && ks_session_get_council_id (session ()) == *(gint64 *) data &&
         !ks_sync_engine_get_syncing (ks_session_get_sync (session ())) && ks_gui_main_shown (window) &&
         picker_shows ((gpointer) NEW_COUNCIL);
}

static gboolean
working_in_first (gpointer data)
{
  return ks_session_get_council_id (session ()) == other_council && picker_shows ((gpointer) OTHER_COUNCIL);
}

/* A new window, as at the app's next launch: it resumes the stored session. */
static void
relaunch (void)
{
  gtk_window_destroy (GTK_WINDOW (window));
  window = ks_gui_test_new_window (1100, 760);
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  g_assert_true (ks_session_is_superuser (session ()));
}

/* (e) "New Council…" in the picker: created, switched to, remembered. */
static void
test_new_council (void)
{
  g_autofree char *code = NULL;
  GtkDropDown *picker = ks_window_get_council_picker (window);
  KsNewCouncilDialog *dialog;
  GListModel *model;
  gint64 id;
  guint n;

  /* The operator signs in again (a code of a later step: each is used once). */
  ks_test_server_move_clock (server, 90);
  ks_gui_fill_sign_in (window, OPERATOR, KS_TEST_PASSWORD);
  g_assert_true (ks_test_wait_for (step_is_code, NULL, 60));
  code = totp (0);
  ks_sign_in_page_set_code (KS_SIGN_IN_PAGE (ks_window_get_sign_in_page (window)), code);
  g_assert_true (ks_test_wait_for (ks_gui_main_shown, window, 60));
  g_assert_true (ks_test_wait_for (picker_shows, (gpointer) "Oxford City Council", 60));

  model = gtk_drop_down_get_model (picker);
  n = g_list_model_get_n_items (model);
  {
    g_autoptr(GtkStringObject) last = g_list_model_get_item (model, n - 1);
    g_assert_cmpstr (gtk_string_object_get_string (last), ==, "New Council…");
  }
  gtk_drop_down_set_selected (picker, n - 1);
  dialog = KS_NEW_COUNCIL_DIALOG (find_toplevel (KS_TYPE_NEW_COUNCIL_DIALOG));
  g_assert_nonnull (dialog);
  /* The picker goes on showing the council worked in. */
  g_assert_cmpstr (picked (), ==, "Oxford City Council");

  /* A short name that is taken: refused under it, nothing made. */
  ks_new_council_dialog_set (dialog, "name", NEW_COUNCIL);
  ks_new_council_dialog_set (dialog, "slug", "brightwell");
  ks_new_council_dialog_set (dialog, "email", "streets@wychwood.example");
  ks_new_council_dialog_create (dialog);
  g_assert_true (ks_test_wait_for (dialog_idle_with_error, dialog, 60));
  g_assert_nonnull (strstr (ks_new_council_dialog_get_error (dialog, "slug"), "brightwell"));
  g_assert_null (ks_new_council_dialog_get_error (dialog, "name"));
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (dialog), "councils-new-refused.png"));
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM bodies WHERE name = '" NEW_COUNCIL "'"),
                   ==, 0);

  ks_new_council_dialog_set (dialog, "slug", "wychwood");
  ks_new_council_dialog_create (dialog);
  g_assert_true (ks_test_wait_for (no_dialog, NULL, 60));
  id = ks_test_server_query_int (server, "SELECT id FROM bodies WHERE slug = 'wychwood'");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM bodies WHERE slug = 'wychwood' "
                                                     "AND email = 'streets@wychwood.example'"), ==, 1);
  g_assert_true (ks_test_wait_for (working_in, &id, 120));
  g_assert_cmpstr (picked (), ==, NEW_COUNCIL);
  g_assert_cmpuint (g_list_model_get_n_items (ks_session_get_reports (session ())), ==, 0);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "councils-new-created.png"));

  /* The next launch starts in it. */
  relaunch ();
  g_assert_true (ks_test_wait_for (working_in, &id, 120));
  g_assert_cmpstr (picked (), ==, NEW_COUNCIL);
  g_free (ks_gui_save_screenshot_whole (GTK_WIDGET (window), "councils-new-relaunched.png"));

  /* A remembered council that no longer exists: the first by name. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_assert_cmpint (g_settings_get_int64 (settings, "last-council"), ==, id);
    g_settings_set_int64 (settings, "last-council", 999999);
  }
  relaunch ();
  g_assert_true (ks_test_wait_for (working_in_first, NULL, 120));
  g_assert_cmpstr (picked (), ==, OTHER_COUNCIL);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1100, 760);

  g_test_add_func ("/councils/switch", test_switch_council);
  g_test_add_func ("/councils/settings-saved", test_settings_saved);
  g_test_add_func ("/councils/settings-refused", test_settings_refused);
  g_test_add_func ("/councils/staff", test_staff);
  g_test_add_func ("/councils/new-council", test_new_council);

  return ks_gui_test_run ();
}

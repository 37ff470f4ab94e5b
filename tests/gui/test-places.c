/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-places.c: places and callers in the real window against a real
 * kerbside-server with the OS Open Names sample imported, as Customer
 * Services use them: the search box lists the matching places (a newer text
 * cancels the older lookup) and choosing one moves the map there at street
 * level; the new report's address finds places and choosing one moves the
 * report and its pin there and fills the address, which the server stores;
 * Find Caller's Reports lists a caller's reports and opens one, whose detail
 * shows easting and northing; offline, the caller search says so at once.
 * Screenshots go to KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-places"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "ks-test-http.h"
#include "ks-test-session.h"
#include "ks-gui-test.h"
#include "ks-gui-test-app.h"
#include "ks-caller-reports-dialog.h"
#include "ks-create-report-dialog.h"
#include "ks-filter-sidebar.h"
#include "ks-map-view.h"
#include "ks-place-search.h"
#include "ks-places.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"

#define CS "customer.services@demo.invalid"

static KsTestServer *server;
static KsWindow     *window;

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

static gboolean
catalogue_known (gpointer data)
{
  return ks_session_get_categories (ks_window_get_session (window)) != NULL;
}

static void
sign_in (void)
{
  ks_gui_sign_in_as (window, CS);
  g_assert_true (ks_test_wait_for (catalogue_known, NULL, 120));
}

/* The place search shows rows (or a status) for the text now in its entry. */
typedef struct {
  KsPlaceSearch *search;
  const char    *first;   /* the first row's title begins so */
} PlacesShown;

static gboolean
places_shown (gpointer data)
{
  PlacesShown *p = data;
  g_autofree char *rows = NULL;

  if (ks_place_search_is_busy (p->search))
    return FALSE;
  rows = ks_place_search_get_rows_text (p->search);
  return g_str_has_prefix (rows, p->first);
}

/* The place as the server's gazetteer gives it (what the rows must lead to). */
static JsonObject *
place_named (const char *text)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, CS);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) places = NULL;

  ks_places_search_async (session, text, 1, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  places = ks_places_search_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (places), >=, 1);
  return json_object_ref (json_array_get_object_element (places, 0));
}

typedef struct {
  ShumateViewport *viewport;
  double           lat, lon, zoom;
} MapAt;

static gboolean
map_at (gpointer data)
{
  MapAt *m = data;

  return fabs (shumate_location_get_latitude (SHUMATE_LOCATION (m->viewport)) - m->lat) < 1e-4 &&
         fabs (shumate_location_get_longitude (SHUMATE_LOCATION (m->viewport)) - m->lon) < 1e-4 &&
         fabs (shumate_viewport_get_zoom_level (m->viewport) - m->zoom) < 0.01;
}

static void
test_search_box (void)
{
  GtkWidget *sidebar;
  GtkWidget *entry;
  KsPlaceSearch *search;
  g_autoptr(JsonObject) high = place_named ("high street");
  g_autofree char *rows = NULL;
  PlacesShown shown;
  MapAt at;

  sign_in ();
  ks_window_set_view (window, "list");
  sidebar = ks_window_get_filter_sidebar (window);
  entry = ks_gui_find_type (sidebar, GTK_TYPE_SEARCH_ENTRY);
  search = KS_PLACE_SEARCH (ks_filter_sidebar_get_place_search (KS_FILTER_SIDEBAR (sidebar)));
  g_assert_nonnull (entry);

  /* Typing on: the lookup of the older text is cancelled, the newer one shown. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "cowl");
  ks_test_iterate (KS_PLACE_SEARCH_DELAY_MS + 50);
  gtk_editable_set_text (GTK_EDITABLE (entry), "cornmarket");
  shown = (PlacesShown) { search, "Cornmarket Street\nStreet · " };
  g_assert_true (ks_test_wait_for (places_shown, &shown, 60));
  rows = ks_place_search_get_rows_text (search);
  g_assert_null (strstr (rows, "Cowley"));
  g_clear_pointer (&rows, g_free);

  gtk_editable_set_text (GTK_EDITABLE (entry), "high st");
  shown = (PlacesShown) { search, "High Street\nStreet · " };
  g_assert_true (ks_test_wait_for (places_shown, &shown, 60));
  rows = ks_place_search_get_rows_text (search);
  g_test_message ("places shown: %s", rows);
  g_assert_nonnull (strstr (rows, "Oxford"));
  g_assert_true (ks_test_wait_for (ks_gui_widget_drawn, ks_place_search_get_row (search, 0), 30));
  ks_gui_save_screenshot (GTK_WIDGET (window), "places-search-box.png");

  /* A text nothing matches says so. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "zzqx");
  shown = (PlacesShown) { search, "" };
  g_assert_true (ks_test_wait_for (places_shown, &shown, 60));
  g_assert_cmpuint (ks_place_search_get_n_rows (search), ==, 0);
  g_assert_cmpstr (ks_place_search_get_status (search), ==, "No places match “zzqx”.");

  /* Choosing High Street: the map, shown, is there at street level. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "high st");
  shown = (PlacesShown) { search, "High Street\nStreet · " };
  g_assert_true (ks_test_wait_for (places_shown, &shown, 60));
  g_signal_emit_by_name (ks_place_search_get_row (search, 0), "activate");
  at = (MapAt) { ks_map_view_get_viewport (KS_MAP_VIEW (ks_window_get_map_view (window))),
                 json_object_get_double_member (high, "lat"), json_object_get_double_member (high, "lon"),
                 KS_WINDOW_PLACE_ZOOM };
  g_assert_true (ks_test_wait_for (map_at, &at, 30));
  g_assert_true (gtk_widget_get_mapped (ks_window_get_map_view (window)));
  /* The place's name no longer filters the reports: those around it show. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  ks_gui_save_screenshot (GTK_WIDGET (window), "places-map-moved.png");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_first_child (GTK_WIDGET (search))));
}

typedef struct {
  KsCreateReportDialog *dialog;
  double                lat, lon;
} PinAt;

static gboolean
pin_at (gpointer data)
{
  PinAt *p = data;
  ShumateMarker *pin = ks_map_view_get_pin (KS_MAP_VIEW (ks_create_report_dialog_get_map_view (p->dialog)));
  double lat, lon;

  ks_create_report_dialog_get_location (p->dialog, &lat, &lon);
  return pin != NULL && fabs (lat - p->lat) < 1e-6 && fabs (lon - p->lon) < 1e-6 &&
         fabs (shumate_location_get_latitude (SHUMATE_LOCATION (pin)) - p->lat) < 1e-6 &&
         fabs (shumate_location_get_longitude (SHUMATE_LOCATION (pin)) - p->lon) < 1e-6;
}

static gboolean
no_create_dialog (gpointer data)
{
  return find_toplevel (KS_TYPE_CREATE_REPORT_DIALOG) == NULL;
}

static void
test_create_by_address (void)
{
  g_autoptr(JsonObject) cowley = place_named ("cowley road");
  g_autofree char *address = ks_places_describe (cowley);
  g_autofree char *sql = NULL;
  g_autofree char *rows = NULL;
  KsCreateReportDialog *dialog;
  KsPlaceSearch *search;
  GtkWidget *address_row;
  PlacesShown shown;
  PinAt at;
  gint64 id;

  sign_in ();
  /* Opened at the map's point, as the caller has not said where yet. */
  dialog = KS_CREATE_REPORT_DIALOG (ks_window_create_report_at (window, 51.7600, -1.2700));
  g_assert_nonnull (dialog);
  at = (PinAt) { dialog, 51.7600, -1.2700 };
  g_assert_true (ks_test_wait_for (pin_at, &at, 10));

  address_row = ks_create_report_dialog_get_address_row (dialog);
  search = KS_PLACE_SEARCH (ks_create_report_dialog_get_place_search (dialog));
  gtk_editable_set_text (GTK_EDITABLE (address_row), "cowley ro");
  shown = (PlacesShown) { search, "Cowley Road\nStreet · " };
  g_assert_true (ks_test_wait_for (places_shown, &shown, 60));
  rows = ks_place_search_get_rows_text (search);
  g_test_message ("address places: %s", rows);
  g_assert_true (ks_test_wait_for (ks_gui_widget_drawn, ks_place_search_get_row (search, 0), 30));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "places-address-typed.png");

  g_signal_emit_by_name (ks_place_search_get_row (search, 0), "activate");
  at = (PinAt) { dialog, json_object_get_double_member (cowley, "lat"), json_object_get_double_member (cowley, "lon") };
  g_assert_true (ks_test_wait_for (pin_at, &at, 30));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address_row)), ==, address);
  /* The address set by the choice is not looked up again. */
  g_assert_false (ks_place_search_is_busy (search));
  g_assert_cmpuint (ks_place_search_get_n_rows (search), ==, 0);
  g_assert_true (ks_test_wait_for (ks_gui_widget_drawn, ks_create_report_dialog_get_map_view (dialog), 30));
  ks_gui_wait_painted (ks_create_report_dialog_get_map_view (dialog), 10);
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "places-address-chosen.png");

  /* Sent: the server has the report at the place, with the address. */
  ks_create_report_dialog_fill (dialog,
                                ks_test_category_without_required_questions (ks_window_get_session (window)),
                                "Pothole by the bus stop", "Deep, on the inbound side.", "Pat Caller");
  ks_create_report_dialog_submit (dialog);
  g_assert_true (ks_test_wait_for (no_create_dialog, NULL, 60));
  id = ks_test_server_query_int (server, "SELECT max(id) FROM reports WHERE title = 'Pothole by the bus stop'");
  g_assert_cmpint (id, >, 0);
  sql = g_strdup_printf ("SELECT count(*) FROM reports WHERE id = %" G_GINT64_FORMAT
                         " AND abs(lat - %f) < 1e-6 AND abs(lon - %f) < 1e-6", id, at.lat, at.lon);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM reports WHERE id = %" G_GINT64_FORMAT " AND address = '%s'",
                         id, address);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 1);
}

static gboolean
caller_dialog_idle (gpointer data)
{
  return !ks_caller_reports_dialog_is_busy (data);
}

typedef struct {
  KsReportDetail *detail;
  gint64          id;
  const char     *grid;
} DetailShows;

static gboolean
detail_shows (gpointer data)
{
  DetailShows *d = data;
  KsReport *r = ks_report_detail_get_report (d->detail);

  return r != NULL && ks_report_get_id (r) == d->id &&
         g_strcmp0 (ks_report_detail_get_field_text (d->detail, "grid"), d->grid) == 0;
}

static void
test_caller_reports (void)
{
  g_autofree char *token = ks_test_api_login (server->url, CS);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *want_row = NULL;
  g_autofree char *grid = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) detail = NULL;
  KsCallerReportsDialog *dialog;
  JsonObject *g;
  DetailShows shows;
  gint64 id;

  sign_in ();
  body = g_strdup_printf ("{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"Leaning lamp post\", "
                          "\"detail\": \"Tilting towards the road.\", \"lat\": 51.7526, \"lon\": -1.254, "
                          "\"address\": \"High Street\", "
                          "\"reporter\": {\"name\": \"Gwen Telephone\", \"phone\": \"01865 249812\"}}",
                          ks_test_category_without_required_questions (ks_window_get_session (window)));
  created = ks_test_api (server->url, "POST", "/api/v1/reports", token, body);
  id = json_object_get_int_member (json_object_get_object_member (created, "report"), "id");
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, id);
  detail = ks_test_api (server->url, "GET", path, token, NULL);
  g = json_object_get_object_member (detail, "grid");
  g_assert_nonnull (g);
  grid = g_strdup_printf ("Easting %" G_GINT64_FORMAT ", northing %" G_GINT64_FORMAT,
                          (gint64) json_object_get_double_member (g, "easting"),
                          (gint64) json_object_get_double_member (g, "northing"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find-caller", NULL));
  dialog = KS_CALLER_REPORTS_DIALOG (find_toplevel (KS_TYPE_CALLER_REPORTS_DIALOG));
  g_assert_nonnull (dialog);
  ks_caller_reports_dialog_search (dialog, "+44 1865 249812");
  g_assert_true (ks_test_wait_for (caller_dialog_idle, dialog, 60));
  rows = ks_caller_reports_dialog_get_rows_text (dialog);
  g_test_message ("caller's reports: %s", rows);
  want_row = g_strdup_printf ("#%" G_GINT64_FORMAT " Leaning lamp post\n", id);
  g_assert_true (g_str_has_prefix (rows, want_row));
  g_assert_nonnull (strstr (rows, " · High Street"));
  g_assert_true (g_str_has_prefix (ks_caller_reports_dialog_get_status (dialog), "1 report, found by phone number"));
  g_assert_true (ks_test_wait_for (ks_gui_widget_drawn, dialog, 30));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "places-caller-reports.png");

  /* Nobody by that name. */
  ks_caller_reports_dialog_search (dialog, "Nobody Atall");
  g_assert_true (ks_test_wait_for (caller_dialog_idle, dialog, 60));
  g_assert_cmpuint (ks_caller_reports_dialog_get_n_rows (dialog), ==, 0);
  g_assert_cmpstr (ks_caller_reports_dialog_get_status (dialog), ==, "No reports from a caller with this name.");

  /* Opened: the detail shows it, with easting and northing. */
  ks_caller_reports_dialog_search (dialog, "01865249812");
  g_assert_true (ks_test_wait_for (caller_dialog_idle, dialog, 60));
  g_assert_true (ks_caller_reports_dialog_open (dialog, 0));
  shows = (DetailShows) { KS_REPORT_DETAIL (ks_window_get_report_detail (window)), id, grid };
  g_assert_true (ks_test_wait_for (detail_shows, &shows, 60));
  g_assert_true (gtk_widget_get_visible (ks_gui_find_label_exact (GTK_WIDGET (shows.detail), "National Grid")));
  gtk_window_destroy (GTK_WINDOW (dialog));
  ks_gui_save_screenshot (GTK_WIDGET (window), "places-detail-grid.png");
}

static void
test_caller_reports_offline (void)
{
  KsCallerReportsDialog *dialog;
  gint64 start;

  sign_in ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find-caller", NULL));
  dialog = KS_CALLER_REPORTS_DIALOG (find_toplevel (KS_TYPE_CALLER_REPORTS_DIALOG));
  g_assert_nonnull (dialog);
  ks_test_server_stop (server);
  start = g_get_monotonic_time ();
  ks_caller_reports_dialog_search (dialog, "01865 249812");
  g_assert_true (ks_test_wait_for (caller_dialog_idle, dialog, 60));
  g_test_message ("offline: %s, after %.1f s", ks_caller_reports_dialog_get_status (dialog),
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (ks_caller_reports_dialog_get_n_rows (dialog), ==, 0);
  g_assert_nonnull (strstr (ks_caller_reports_dialog_get_status (dialog), "server"));
  /* Again, now that the app knows: at once. */
  start = g_get_monotonic_time ();
  ks_caller_reports_dialog_search (dialog, "01865 249812");
  g_assert_true (ks_test_wait_for (caller_dialog_idle, dialog, 10));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (ks_caller_reports_dialog_get_status (dialog), "cannot be reached"));
  ks_gui_save_screenshot (GTK_WIDGET (dialog), "places-caller-offline.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ks_test_server_start (server);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, 300);
  ks_test_server_import_places (server);
  window = ks_gui_test_new_window (1366, 768);

  g_test_add_func ("/places/search-box", test_search_box);
  g_test_add_func ("/places/create-by-address", test_create_by_address);
  g_test_add_func ("/places/caller-reports", test_caller_reports);
  g_test_add_func ("/places/caller-reports-offline", test_caller_reports_offline);

  return ks_gui_test_run ();
}

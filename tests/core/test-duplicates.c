/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-duplicates.c: duplicates through the core against the real
 * kerbside-server: the reports nearby (a report's and a point's, from the
 * server and, while it is away, from the reports the app holds), marking a
 * report as a duplicate and undoing it online and through the outbox while the
 * server is away, and a role without update_status refused. */
#define G_LOG_DOMAIN "test-duplicates"

#include "ks-session.h"
#include "ks-cache.h"
#include "ks-error.h"
#include "ks-test-http.h"
#include "ks-test-server.h"
#include "ks-test-cache.h"
#include "ks-test-session.h"

#include <glib/gstdio.h>
#include <string.h>

#define INSPECTOR "inspector@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define ADMIN "admin@demo.invalid"

/* Inside the demo council's area; the category is this test's own, so only
 * its reports are near. */
#define LAT 51.7550
#define LON -1.2200

static KsTestServer *server;
static gint64 category_id;
static gint64 original_id, duplicate_id, far_id;

static gint64
server_int (const char *format, ...) G_GNUC_PRINTF (1, 2);

static gint64
server_int (const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  return ks_test_server_query_int (server, sql);
}

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

/* The ids of a nearby answer's reports, in order, with their distances. */
static char *
nearby_text (JsonObject *answer)
{
  JsonArray *reports = json_object_get_array_member (answer, "reports");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (reports); i++)
    {
      JsonObject *r = json_array_get_object_element (reports, i);
      g_string_append_printf (out, "%s%" G_GINT64_FORMAT "@%" G_GINT64_FORMAT, i ? " " : "",
                              json_object_get_int_member (r, "id"),
                              json_object_get_int_member (r, "distance"));
    }
  return g_string_free (out, FALSE);
}

static void
expect_ok (KsSession *session, GAsyncResult **result, gboolean want_queued)
{
  g_autoptr(GError) error = NULL;
  gboolean queued = !want_queued;

  ks_test_wait (result);
  g_assert_true (ks_session_action_finish (session, *result, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued == want_queued);
  g_clear_object (result);
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (data) == 0;
}

static void
test_nearby (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) around_report = NULL;
  g_autoptr(JsonObject) around_point = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  ks_session_nearby_async (session, duplicate_id, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  around_report = ks_session_nearby_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (around_report, "radius"), ==, 50);
  text = nearby_text (around_report);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT "@12", original_id);
  g_assert_cmpstr (text, ==, expected);
  g_clear_object (&result);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&expected, g_free);

  /* Around the point, both; the one 80 m away is beyond the radius. */
  ks_session_nearby_point_async (session, LAT, LON, category_id, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  around_point = ks_session_nearby_finish (session, result, &error);
  g_assert_no_error (error);
  text = nearby_text (around_point);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT "@0 %" G_GINT64_FORMAT "@12", original_id,
                              duplicate_id);
  g_assert_cmpstr (text, ==, expected);
  g_clear_object (&result);

  g_clear_object (&result);

  /* Away from the server: the same lists, from the reports the app holds (with
   * the category's radius from the catalogue), marked offline. */
  ks_test_sync (session);
  ks_test_refresh_lists (session);
  ks_test_server_stop (server);
  {
    g_autoptr(JsonObject) offline_report = NULL;
    g_autoptr(JsonObject) offline_point = NULL;
    g_autofree char *offline_text = NULL;
    g_autofree char *online_text = nearby_text (around_report);

    ks_session_nearby_async (session, duplicate_id, NULL, ks_test_store_result, &result);
    ks_test_wait (&result);
    offline_report = ks_session_nearby_finish (session, result, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member_with_default (offline_report, "offline", FALSE));
    g_assert_cmpint (json_object_get_int_member (offline_report, "radius"), ==, 50);
    offline_text = nearby_text (offline_report);
    g_assert_cmpstr (offline_text, ==, online_text);
    g_clear_object (&result);
    g_clear_pointer (&offline_text, g_free);

    ks_session_nearby_point_async (session, LAT, LON, category_id, NULL, ks_test_store_result, &result);
    ks_test_wait (&result);
    offline_point = ks_session_nearby_finish (session, result, &error);
    g_assert_no_error (error);
    offline_text = nearby_text (offline_point);
    g_assert_cmpstr (offline_text, ==, text);
    g_clear_object (&result);
  }
  /* A report the app does not hold: an error sentence, not a list. */
  ks_session_nearby_async (session, 99999999, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_null (ks_session_nearby_finish (session, result, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (strlen (error->message), >, 10);
  ks_test_server_start (server);
  ks_test_sign_out (session);
}

static void
test_mark_and_undo (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  KsOutbox *outbox = ks_session_get_outbox (session);
  KsReport *dup, *orig;
  gint64 version, orig_seq;

  ks_test_sync (session);
  dup = ks_session_lookup_report (session, duplicate_id);
  orig = ks_session_lookup_report (session, original_id);
  g_assert_nonnull (dup);
  g_assert_nonnull (orig);
  version = ks_report_get_version (dup);
  orig_seq = server_int ("SELECT seq FROM reports WHERE id = %" G_GINT64_FORMAT, original_id);

  /* Online. */
  ks_session_mark_duplicate_async (session, duplicate_id, original_id, NULL, ks_test_store_result,
                                   &result);
  expect_ok (session, &result, FALSE);
  g_assert_cmpstr (ks_report_get_state (dup), ==, "duplicate");
  g_assert_cmpint (ks_report_get_version (dup), ==, version + 1);
  g_assert_cmpint (server_int ("SELECT duplicate_of FROM reports WHERE id = %" G_GINT64_FORMAT,
                               duplicate_id), ==, original_id);
  g_assert_cmpint (server_int ("SELECT seq FROM reports WHERE id = %" G_GINT64_FORMAT, original_id),
                   >, orig_seq);
  /* The link, at once and after the sync, and in the cache. */
  g_assert_cmpint (ks_report_get_duplicate_of (dup), ==, original_id);
  ks_test_sync (session);
  g_assert_cmpint (ks_report_get_duplicate_of (dup), ==, original_id);
  g_assert_cmpint (ks_report_get_duplicate_of (orig), ==, 0);
  {
    const char *path = ks_cache_get_path (ks_session_get_cache (session));
    g_autoptr(KsReport) cached = ks_test_cached_report (path, duplicate_id);
    g_autofree char *dir = g_dir_make_tmp ("ks-dup-XXXXXX", NULL);
    g_autofree char *copy = g_build_filename (dir, "v3.sqlite", NULL);
    g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", copy);
    g_autoptr(KsReport) upgraded = NULL;
    g_autoptr(KsCache) reopened = NULL;

    g_assert_cmpint (ks_report_get_duplicate_of (cached), ==, original_id);
    /* A cache of the version before the link: opened, it has the column,
     * no link yet, and its next sync starts from the beginning to bring them. */
    ks_test_sql_on (path, vacuum);
    ks_test_cache_json_in_rows (copy);
    ks_test_sql_on (copy, "ALTER TABLE reports DROP COLUMN duplicate_of; PRAGMA user_version = 3");
    upgraded = ks_test_cached_report (copy, duplicate_id);
    g_assert_cmpint (ks_report_get_duplicate_of (upgraded), ==, 0);
    g_assert_cmpstr (ks_report_get_state (upgraded), ==, "duplicate");
    reopened = ks_cache_open_path (copy, NULL);
    g_assert_nonnull (reopened);
    g_assert_cmpint (ks_cache_get_int (reopened, "seq", -1), ==, -1);
    g_clear_object (&reopened);
    g_remove (copy);
    g_rmdir (dir);
  }

  /* Undone while the server is away: queued, sent when it is back, on the
   * version the mark gave. */
  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);
  ks_session_unmark_duplicate_async (session, duplicate_id, NULL, ks_test_store_result, &result);
  expect_ok (session, &result, TRUE);
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 1);
  /* Marked again, also queued: the optimistic state shows at once. */
  ks_session_mark_duplicate_async (session, duplicate_id, original_id, NULL, ks_test_store_result,
                                   &result);
  expect_ok (session, &result, TRUE);
  g_assert_cmpstr (ks_report_get_state (dup), ==, "duplicate");
  ks_session_unmark_duplicate_async (session, duplicate_id, NULL, ks_test_store_result, &result);
  expect_ok (session, &result, TRUE);
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 3);

  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, outbox, 60));
  {
    g_autoptr(GPtrArray) left = ks_outbox_list (outbox);
    g_assert_cmpuint (left->len, ==, 0);
  }
  g_assert_cmpint (server_int ("SELECT duplicate_of IS NULL AND state = 'confirmed' FROM reports "
                               "WHERE id = %" G_GINT64_FORMAT, duplicate_id), ==, 1);
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT,
                               duplicate_id), ==, version + 4);
  g_assert_cmpint (ks_report_get_version (dup), ==, version + 4);
  g_assert_cmpstr (ks_report_get_state (dup), ==, "confirmed");
  ks_test_sync (session);
  g_assert_cmpint (ks_report_get_duplicate_of (dup), ==, 0);
  ks_test_sign_out (session);
}

static void
test_refused_without_update_status (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, CUSTOMER_SERVICES);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version;

  ks_test_sync (session);
  g_assert_false (ks_session_can (session, KS_PERM_UPDATE_STATUS));
  version = server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, duplicate_id);
  ks_session_mark_duplicate_async (session, duplicate_id, original_id, NULL, ks_test_store_result,
                                   &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_action_finish (session, result, NULL, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT,
                               duplicate_id), ==, version);
  g_assert_cmpint (server_int ("SELECT duplicate_of IS NULL FROM reports WHERE id = %"
                               G_GINT64_FORMAT, duplicate_id), ==, 1);
  /* Nearby reports only need view_report. */
  g_clear_object (&result);
  ks_session_nearby_async (session, duplicate_id, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  {
    g_autoptr(GError) nearby_error = NULL;
    g_autoptr(JsonObject) answer = ks_session_nearby_finish (session, result, &nearby_error);
    g_assert_no_error (nearby_error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "reports")), ==, 1);
  }
  ks_test_sign_out (session);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) category = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 200);
  token = ks_test_api_login (server->url, ADMIN);
  category = ks_test_api (server->url, "POST", "/api/v1/categories", token,
                          "{\"code\": \"dup-core\", \"name\": \"Bollards (test)\"}");
  category_id = json_object_get_int_member (json_object_has_member (category, "category")
                                            ? json_object_get_object_member (category, "category")
                                            : category, "id");
  original_id = create_report (token, "Bollard knocked over", 0);
  duplicate_id = create_report (token, "Bollard down by the school", 12);
  far_id = create_report (token, "Bollard leaning", 80);

  g_test_add_func ("/duplicates/nearby", test_nearby);
  g_test_add_func ("/duplicates/mark-and-undo", test_mark_and_undo);
  g_test_add_func ("/duplicates/refused-without-update-status", test_refused_without_update_status);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

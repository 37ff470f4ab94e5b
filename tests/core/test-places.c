/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-places.c: the gazetteer search and a caller's reports through the core
 * against the real kerbside-server, with the test data's OS Open Names sample
 * imported: places found by the words typed, best first; a cancelled search
 * finishes cancelled; a caller's reports found by phone, email and name, and
 * refused to staff who may not take callers' details; offline, both fail at
 * once with a sentence. */
#define G_LOG_DOMAIN "test-places"

#include "ks-places.h"
#include "ks-error.h"
#include "ks-test-http.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <string.h>

static KsTestServer *server;

static JsonArray *
search (KsSession *session, const char *text, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ks_places_search_async (session, text, 10, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  return ks_places_search_finish (session, result, error);
}

static JsonObject *
find_caller (KsSession *session, const char *text, const char *by, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ks_places_find_caller_reports_async (session, text, by, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  return ks_places_find_caller_reports_finish (session, result, error);
}

static void
test_search (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, "customer.services@demo.invalid");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) places = NULL;
  g_autoptr(JsonArray) postcodes = NULL;
  g_autoptr(JsonArray) none = NULL;
  g_autofree char *described = NULL;
  JsonObject *first;

  places = search (session, "high st", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (places), >=, 1);
  first = json_array_get_object_element (places, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "High Street");
  g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "street");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "lat"), 51.7526, 0.0005);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "lon"), -1.2540, 0.0005);
  described = ks_places_describe (first);
  g_assert_true (g_str_has_prefix (described, "High Street, "));
  g_assert_nonnull (strstr (described, "Oxford"));

  postcodes = search (session, "ox1 4", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (postcodes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (postcodes, 0), "name"),
                   ==, "OX1 4AA");

  /* Nothing to look for: no request, no places. */
  none = search (session, " -- ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (none), ==, 0);
}

static void
test_search_cancelled (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, "inspector@demo.invalid");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) places = NULL;

  ks_places_search_async (session, "cowley", 10, cancellable, ks_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  ks_test_wait (&result);
  places = ks_places_search_finish (session, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (places);
}

/* A report entered for a caller through the API; its id. */
static gint64
report_for_caller (KsSession *session, const char *name, const char *email, const char *phone)
{
  g_autofree char *token = ks_test_api_login (server->url, "customer.services@demo.invalid");
  g_autofree char *body = g_strdup_printf (
    "{\"category_id\": %" G_GINT64_FORMAT ", \"title\": \"Wobbly drain cover\", "
    "\"detail\": \"Rocks when cars go over it.\", \"lat\": 51.7526, \"lon\": -1.254, "
    "\"reporter\": {\"name\": \"%s\", \"email\": \"%s\", \"phone\": \"%s\"}}",
    ks_test_category_without_required_questions (session), name, email, phone);
  g_autoptr(JsonObject) answer = ks_test_api (server->url, "POST", "/api/v1/reports", token, body);

  return json_object_get_int_member (json_object_get_object_member (answer, "report"), "id");
}

/* The report id of the answer, or NULL. */
static JsonObject *
report_in (JsonObject *answer, gint64 id)
{
  JsonArray *reports = json_object_get_array_member (answer, "reports");

  for (guint i = 0; i < json_array_get_length (reports); i++)
    if (json_object_get_int_member (json_array_get_object_element (reports, i), "id") == id)
      return json_array_get_object_element (reports, i);
  return NULL;
}

static void
test_caller_reports (void)
{
  g_autoptr(KsSession) cs = ks_test_sign_in (server, "customer.services@demo.invalid");
  g_autoptr(KsSession) maintenance = ks_test_sign_in (server, "maintenance@demo.invalid");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) by_phone = NULL;
  g_autoptr(JsonObject) by_email = NULL;
  g_autoptr(JsonObject) by_name = NULL;
  g_autoptr(JsonObject) refused = NULL;
  gint64 id = report_for_caller (cs, "Gwen Telephone", "gwen.places@example.org", "01865 249811");
  JsonObject *reporter;

  by_phone = find_caller (cs, "+44 1865 249811", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (by_phone, "by"), ==, "phone");
  g_assert_nonnull (report_in (by_phone, id));
  reporter = json_object_get_object_member (report_in (by_phone, id), "reporter");
  g_assert_cmpstr (json_object_get_string_member (reporter, "name"), ==, "Gwen Telephone");

  by_email = find_caller (cs, "GWEN.places@example.org", "email", &error);
  g_assert_no_error (error);
  g_assert_nonnull (report_in (by_email, id));

  by_name = find_caller (cs, "gwen tele", "name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (by_name, "by"), ==, "name");
  g_assert_nonnull (report_in (by_name, id));

  /* Internal maintenance may not take callers' details. */
  refused = find_caller (maintenance, "01865 249811", NULL, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
  g_assert_null (refused);
}

/* Runs last: stops the server. */
static void
test_offline (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, "customer.services@demo.invalid");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonArray) places = NULL;
  gint64 start;

  ks_test_server_stop (server);
  first = find_caller (session, "01865 249811", NULL, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  g_assert_null (first);
  g_clear_error (&error);

  /* The client now knows: the next ones fail without waiting. */
  start = g_get_monotonic_time ();
  second = find_caller (session, "01865 249811", NULL, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "cannot be reached"));
  g_clear_error (&error);
  places = search (session, "high", &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 200);
  ks_test_server_import_places (server);

  g_test_add_func ("/places/search", test_search);
  g_test_add_func ("/places/search-cancelled", test_search_cancelled);
  g_test_add_func ("/places/caller-reports", test_caller_reports);
  g_test_add_func ("/places/offline", test_offline);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

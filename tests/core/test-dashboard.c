/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dashboard.c: the dashboard's figures through the core against the real
 * kerbside-server: summary, timeline, statistics and CSV export agree with the
 * server's database; the server's refusals arrive as its sentences. */
#define G_LOG_DOMAIN "test-dashboard"

#include "ks-dashboard.h"
#include "ks-error.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <string.h>

#define ADMIN "admin@demo.invalid"

static KsTestServer *server;

static KsSession *
sign_in (const char *email)
{
  return ks_test_sign_in (server, email);
}

/* The reports of the admin's council, in the server's database. */
static gint64
council_count (const char *where)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM reports WHERE body_id = "
    "(SELECT body_id FROM users WHERE email = '" ADMIN "')%s%s",
    where ? " AND " : "", where ? where : "");

  return ks_test_server_query_int (server, sql);
}

static void
test_summary (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = NULL;
  JsonObject *by_kind;

  ks_dashboard_get_summary_async (session, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  summary = ks_dashboard_get_summary_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_assert_cmpint (json_object_get_int_member (summary, "total"), ==, council_count (NULL));
  g_assert_cmpint (json_object_get_int_member (summary, "total"), >, 0);
  by_kind = json_object_get_object_member (summary, "by_kind");
  g_assert_nonnull (by_kind);
  g_assert_cmpint (json_object_get_int_member (by_kind, "fixed"), ==, council_count ("state = 'fixed'"));
  g_assert_true (json_object_has_member (summary, "median_hours_to_fix_90_days"));
  g_assert_nonnull (json_object_get_string_member_with_default (summary, "generated", NULL));
}

static void
test_timeline (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) timeline = NULL;

  ks_dashboard_get_timeline_async (session, 30, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  timeline = ks_dashboard_get_timeline_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (timeline);
  g_assert_cmpuint (json_array_get_length (timeline), ==, 30);
  g_assert_nonnull (json_array_get_object_element (timeline, 0));
}

static void
test_stats (void)
{
  static const char *groupings[] = { "category", "state", "ward", "priority" };
  g_autoptr(KsSession) session = sign_in (ADMIN);

  for (guint g = 0; g < G_N_ELEMENTS (groupings); g++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) rows = NULL;
      gint64 sum = 0;
      gint64 fixed = 0;

      ks_dashboard_get_stats_async (session, groupings[g], NULL, ks_test_store_result, &result);
      ks_test_wait (&result);
      rows = ks_dashboard_get_stats_finish (session, result, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rows);
      g_assert_cmpuint (json_array_get_length (rows), >, 0);
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);

          g_assert_nonnull (json_object_get_string_member_with_default (row, "label", NULL));
          sum += json_object_get_int_member (row, "count");
          fixed += json_object_get_int_member (row, "fixed");
        }
      g_test_message ("by %s: %u rows, %" G_GINT64_FORMAT " reports", groupings[g],
                      json_array_get_length (rows), sum);
      /* Every report of the council counts once, whatever the grouping. */
      g_assert_cmpint (sum, ==, council_count (NULL));
      g_assert_cmpint (fixed, ==, council_count ("state = 'fixed'"));
    }
}

static void
test_export (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize len = 0;
  const char *data;

  ks_dashboard_export_csv_async (session, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  csv = ks_dashboard_export_csv_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (csv);
  data = g_bytes_get_data (csv, &len);
  text = g_strndup (data, len);
  g_assert_true (g_str_has_prefix (text, "id,created,category,state,priority,ward,lat,lon,title\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  /* The header, one line a report, and the empty string after the last line end. */
  g_assert_cmpint (g_strv_length (lines), ==, council_count (NULL) + 2);
}

/* A grouping the server does not know gets its sentence, and no rows. */
static void
test_bad_grouping (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;

  ks_dashboard_get_stats_async (session, "colour", NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  rows = ks_dashboard_get_stats_finish (session, result, &error);
  g_assert_null (rows);
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_true (strlen (error->message) > 0);
}

/* Without a session nothing is asked, and the error says to sign in. */
static void
test_signed_out (void)
{
  g_autoptr(KsSession) session = ks_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = NULL;

  ks_dashboard_get_summary_async (session, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  summary = ks_dashboard_get_summary_finish (session, result, &error);
  g_assert_null (summary);
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 300);

  g_test_add_func ("/dashboard/summary", test_summary);
  g_test_add_func ("/dashboard/timeline", test_timeline);
  g_test_add_func ("/dashboard/stats", test_stats);
  g_test_add_func ("/dashboard/export", test_export);
  g_test_add_func ("/dashboard/bad-grouping", test_bad_grouping);
  g_test_add_func ("/dashboard/signed-out", test_signed_out);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

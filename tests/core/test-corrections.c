/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-corrections.c: correcting a report through the core against the real
 * kerbside-server: its category, its place and its answers, applied to the
 * cached report at once and sent; made while the server is down, they wait in
 * the outbox and arrive once each when it is back. The answers to the category's
 * questions come with the sync, survive the cache (and its upgrade from the
 * version that kept them only in each report's JSON) and follow an edit, online
 * and through the outbox. */
#define G_LOG_DOMAIN "test-corrections"

#include "ks-session.h"
#include "ks-cache.h"
#include "ks-error.h"
#include "ks-test-server.h"
#include "ks-test-cache.h"
#include "ks-test-session.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define INSPECTOR "inspector@demo.invalid"

static KsTestServer *server;

static gint64
server_int (const char *fmt, gint64 id)
{
  g_autofree char *sql = g_strdup_printf (fmt, id);
  return ks_test_server_query_int (server, sql);
}

static void
expect (KsSession *session, GAsyncResult **result, gboolean want_queued)
{
  g_autoptr(GError) error = NULL;
  gboolean queued = !want_queued;

  ks_test_wait (result);
  g_assert_true (ks_session_action_finish (session, *result, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued == want_queued);
  g_clear_object (result);
}

/* An active category that asks no required question, other than not_this. */
static gint64
easy_category (KsSession *session, gint64 not_this)
{
  JsonArray *categories = ks_session_get_categories (session);

  for (guint i = 0; categories != NULL && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      g_autofree char *extra = NULL;
      JsonNode *node = json_object_get_member (c, "extra");
      gint64 id = json_object_get_int_member_with_default (c, "id", 0);

      if (id == not_this || !json_object_get_boolean_member_with_default (c, "active", TRUE))
        continue;
      extra = node ? json_to_string (node, FALSE) : g_strdup ("");
      if (strstr (extra, "\"required\":true") == NULL)
        return id;
    }
  g_assert_not_reached ();
}

static KsReport *
open_report (KsSession *session, guint skip)
{
  GListModel *model = ks_session_get_reports (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0 && skip-- == 0)
        return r;
    }
  g_assert_not_reached ();
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (data) == 0;
}

static void
test_online (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) none = json_object_new ();
  KsReport *r;
  gint64 id, category, version;

  ks_test_sync (session);
  ks_test_refresh_lists (session);
  r = open_report (session, 3);
  id = ks_report_get_id (r);
  version = ks_report_get_version (r);
  category = easy_category (session, ks_report_get_category_id (r));

  ks_session_change_category_async (session, id, category, NULL, NULL, ks_test_store_result, &result);
  /* Shown at once, before the server answers. */
  g_assert_cmpint (ks_report_get_category_id (r), ==, category);
  expect (session, &result, FALSE);
  g_assert_cmpint (server_int ("SELECT category_id FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, category);
  g_assert_cmpint (server_int ("SELECT count(*) FROM updates WHERE kind = 'category' AND report_id = %"
                               G_GINT64_FORMAT, id), ==, 1);

  ks_session_change_location_async (session, id, 51.7601, -1.2602, NULL, NULL,
                                    ks_test_store_result, &result);
  g_assert_cmpfloat_with_epsilon (ks_report_get_lat (r), 51.7601, 1e-9);
  expect (session, &result, FALSE);
  g_assert_cmpint (server_int ("SELECT round(lat * 10000) FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, 517601);

  /* No answers to change: the server answers the report as it is. */
  ks_session_set_attributes_async (session, id, none, NULL, NULL, ks_test_store_result, &result);
  expect (session, &result, FALSE);
  g_assert_cmpint (ks_report_get_version (r), ==, version + 2);
  ks_test_sign_out (session);
}

static void
test_offline (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  KsOutbox *outbox = ks_session_get_outbox (session);
  KsReport *r;
  gint64 id, category, version;

  ks_test_sync (session);
  ks_test_refresh_lists (session);
  r = open_report (session, 7);
  id = ks_report_get_id (r);
  version = ks_report_get_version (r);
  category = easy_category (session, ks_report_get_category_id (r));

  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);
  ks_session_change_category_async (session, id, category, NULL, NULL, ks_test_store_result, &result);
  expect (session, &result, TRUE);
  ks_session_change_location_async (session, id, 51.7611, -1.2612, "By the bus stop", NULL,
                                    ks_test_store_result, &result);
  expect (session, &result, TRUE);
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 2);
  g_assert_cmpint (ks_report_get_category_id (r), ==, category);
  g_assert_cmpfloat_with_epsilon (ks_report_get_lon (r), -1.2612, 1e-9);

  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, outbox, 30));
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, version + 2);
  g_assert_cmpint (server_int ("SELECT category_id FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, category);
  g_assert_cmpint (server_int ("SELECT round(lon * 10000) FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, -12612);
  g_assert_cmpint (server_int ("SELECT count(*) FROM updates WHERE kind IN ('category', 'location') "
                               "AND report_id = %" G_GINT64_FORMAT, id), ==, 2);
  ks_test_sign_out (session);
}

/* The report id's answer to code as the server holds it. */
static gboolean
server_answer_is (gint64 id, const char *code, const char *value)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM report_attributes WHERE report_id = %"
                                          G_GINT64_FORMAT " AND code = '%s' AND value = '%s'",
                                          id, code, value);
  return ks_test_server_query_int (server, sql) == 1;
}

static void
test_answers (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) answers = json_object_new ();
  g_autoptr(KsReport) cached = NULL;
  g_autoptr(KsReport) upgraded = NULL;
  g_autofree char *depth = NULL;
  g_autofree char *cycle = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ks-answers-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "v2.sqlite", NULL);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", copy);
  const char *path = ks_cache_get_path (ks_session_get_cache (session));
  GListModel *model = ks_session_get_reports (session);
  KsReport *r = NULL;
  const char *other;
  gint64 id;

  ks_test_sync (session);
  ks_test_refresh_lists (session);
  for (guint i = 0; i < g_list_model_get_n_items (model) && r == NULL; i++)
    {
      g_autoptr(KsReport) each = g_list_model_get_item (model, i);

      if (ks_report_get_answer (each, "depth") != NULL && ks_report_get_answer (each, "in_cycle_lane") != NULL)
        r = each;
      else if (g_strcmp0 (ks_report_get_category (each), "Road surface") == 0)
        g_assert_null (ks_report_get_answers (each));
    }
  g_assert_nonnull (r);
  id = ks_report_get_id (r);
  depth = g_strdup (ks_report_get_answer (r, "depth"));
  cycle = g_strdup (ks_report_get_answer (r, "in_cycle_lane"));
  g_test_message ("report %" G_GINT64_FORMAT ": depth %s, in cycle lane %s", id, depth, cycle);
  /* As the server holds them. */
  g_assert_true (server_answer_is (id, "depth", depth));
  g_assert_true (server_answer_is (id, "in_cycle_lane", cycle));
  g_assert_cmpstr (ks_report_get_answer (r, "lamp_post_number"), ==, NULL);

  /* Loaded from the cache as they were synced. */
  cached = ks_test_cached_report (path, id);
  g_assert_cmpstr (ks_report_get_answer (cached, "depth"), ==, depth);
  g_assert_cmpstr (ks_report_get_answer (cached, "in_cycle_lane"), ==, cycle);

  /* Edited: shown at once, on the server, and in the cache. */
  other = g_str_equal (depth, "over_10cm") ? "under_4cm" : "over_10cm";
  json_object_set_string_member (answers, "depth", other);
  ks_session_set_attributes_async (session, id, answers, NULL, NULL, ks_test_store_result, &result);
  g_assert_cmpstr (ks_report_get_answer (r, "depth"), ==, other);
  expect (session, &result, FALSE);
  g_assert_true (server_answer_is (id, "depth", other));
  g_assert_cmpstr (ks_report_get_answer (r, "depth"), ==, other);
  g_assert_cmpstr (ks_report_get_answer (r, "in_cycle_lane"), ==, cycle);
  g_clear_object (&cached);
  cached = ks_test_cached_report (path, id);
  g_assert_cmpstr (ks_report_get_answer (cached, "depth"), ==, other);
  g_assert_cmpstr (ks_report_get_answer (cached, "in_cycle_lane"), ==, cycle);

  /* Edited offline: shown at once, queued, on the server once it is back. */
  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (ks_session_get_outbox (session), 1);
  json_object_set_string_member (answers, "depth", depth);
  ks_session_set_attributes_async (session, id, answers, NULL, NULL, ks_test_store_result, &result);
  expect (session, &result, TRUE);
  g_assert_cmpstr (ks_report_get_answer (r, "depth"), ==, depth);
  g_clear_object (&cached);
  cached = ks_test_cached_report (path, id);
  g_assert_cmpstr (ks_report_get_answer (cached, "depth"), ==, depth);
  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, ks_session_get_outbox (session), 30));
  g_assert_true (server_answer_is (id, "depth", depth));
  g_assert_cmpstr (ks_report_get_answer (r, "depth"), ==, depth);

  /* A cache of the version before the answers' column: its reports' JSON gives
   * them when it is opened. */
  ks_test_sql_on (path, vacuum);
  ks_test_cache_json_in_rows (copy);
  ks_test_sql_on (copy, "ALTER TABLE reports DROP COLUMN duplicate_of; ALTER TABLE reports DROP COLUMN answers; "
                "PRAGMA user_version = 2");
  upgraded = ks_test_cached_report (copy, id);
  g_assert_cmpstr (ks_report_get_answer (upgraded, "depth"), ==, depth);
  g_assert_cmpstr (ks_report_get_answer (upgraded, "in_cycle_lane"), ==, cycle);
  g_remove (copy);
  g_rmdir (dir);
  ks_test_sign_out (session);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 300);

  g_test_add_func ("/core/corrections/online", test_online);
  g_test_add_func ("/core/corrections/offline", test_offline);
  g_test_add_func ("/core/corrections/answers", test_answers);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

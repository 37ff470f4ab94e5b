/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-corrections.c: correcting a report through the core against the real
 * kerbside-server: its category, its place and its answers, applied to the
 * cached report at once and sent; made while the server is down, they wait in
 * the outbox and arrive once each when it is back. */
#define G_LOG_DOMAIN "test-corrections"

#include "ks-session.h"
#include "ks-error.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

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

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 300);

  g_test_add_func ("/core/corrections/online", test_online);
  g_test_add_func ("/core/corrections/offline", test_offline);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

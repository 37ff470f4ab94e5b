/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-assign.c: who does the work, in the core against the real kerbside-server:
 * assigning to a colleague's shortlist (online and through the outbox), the names
 * of the assignees, the filter mine / someone / nobody, and the shortlist's order. */
#define G_LOG_DOMAIN "test-assign"

#include "ks-session.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <string.h>

#define INSPECTOR "inspector@demo.invalid"
#define MAINTENANCE "maintenance@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"

static KsTestServer *server;

static gint64
server_int (const char *fmt, gint64 id)
{
  g_autofree char *sql = g_strdup_printf (fmt, id);
  return ks_test_server_query_int (server, sql);
}

static void
expect_action (KsSession *session, GAsyncResult **result, gboolean want_queued)
{
  g_autoptr(GError) error = NULL;
  gboolean queued = !want_queued;

  ks_test_wait (result);
  g_assert_true (ks_session_action_finish (session, *result, &queued, &error));
  g_assert_no_error (error);
  g_assert_cmpint (queued, ==, want_queued);
  g_clear_object (result);
}

/* Open reports on nobody's shortlist, skipping the first skip of them. */
static KsReport *
pick_free_report (KsSession *session, guint skip)
{
  GListModel *model = ks_session_get_reports (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0 &&
          ks_report_get_shortlist_user (r) == 0 && skip-- == 0)
        return r;
    }
  g_assert_not_reached ();
}

/* Puts n free reports (after the first skip of them) on the user's shortlist. */
static void
shortlist_free_reports (KsSession *session, guint n, guint skip)
{
  g_autoptr(GAsyncResult) result = NULL;

  for (guint i = 0; i < n; i++)
    {
      ks_session_set_shortlisted_async (session, ks_report_get_id (pick_free_report (session, skip + i)),
                                        TRUE, NULL, ks_test_store_result, &result);
      expect_action (session, &result, FALSE);
    }
}

/* The demo lays its reports' states out from the hour it is made (no staff
 * work at night or at weekends), so how many are confirmed and on nobody's
 * shortlist varies: the cases below take up to FREE_WANTED of them, so the
 * test enters whatever is missing itself. */
#define FREE_WANTED 40

static guint
count_free_reports (KsSession *session)
{
  GListModel *model = ks_session_get_reports (session);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0 && ks_report_get_shortlist_user (r) == 0)
        n++;
    }
  return n;
}

static void
ensure_free_reports (void)
{
  g_autoptr(KsSession) cs = ks_test_sign_in (server, CUSTOMER_SERVICES);
  g_autoptr(GAsyncResult) result = NULL;
  guint have;

  ks_test_sync (cs);
  have = count_free_reports (cs);
  g_test_message ("%u reports confirmed and on nobody's shortlist in the demo; %u wanted", have, FREE_WANTED);
  for (guint i = have; i < FREE_WANTED; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *title = g_strdup_printf ("Loose kerb stone %u", i);
      gint64 id = 0;
      gboolean queued = TRUE;

      ks_session_create_report_async (cs, ks_test_category_without_required_questions (cs), title,
                                      "Rocking when stood on.", 51.752 + i * 0.0004, -1.2577,
                                      "Pat Resident", "pat@example.invalid", NULL, NULL,
                                      ks_test_store_result, &result);
      ks_test_wait (&result);
      g_assert_true (ks_session_create_report_finish (cs, result, &id, &queued, &error));
      g_assert_no_error (error);
      g_assert_false (queued);
      g_clear_object (&result);
    }
  ks_test_sync (cs);
  g_assert_cmpuint (count_free_reports (cs), >=, FREE_WANTED);
}

static gint64
user_id_of (const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM users WHERE email = '%s'", email);
  return ks_test_server_query_int (server, sql);
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (KS_OUTBOX (data)) == 0;
}

static void
test_assignees (void)
{
  g_autoptr(KsSession) cs = ks_test_sign_in (server, CUSTOMER_SERVICES);
  JsonArray *list;
  gboolean found_inspector = FALSE;

  ks_test_refresh_lists (cs);
  list = ks_session_get_assignees (cs);
  g_assert_cmpuint (json_array_get_length (list), >=, 3);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *a = json_array_get_object_element (list, i);
      if (json_object_get_int_member (a, "id") == user_id_of (INSPECTOR))
        found_inspector = TRUE;
      /* Customer Services cannot hold reports: not offered. */
      g_assert_cmpint (json_object_get_int_member (a, "id"), !=, user_id_of (CUSTOMER_SERVICES));
    }
  g_assert_true (found_inspector);
  g_assert_nonnull (ks_session_get_assignee_name (cs, user_id_of (INSPECTOR)));
  g_assert_null (ks_session_get_assignee_name (cs, 987654));
  g_assert_null (ks_session_get_assignee_name (cs, 0));
}

static void
test_assign_and_filter (void)
{
  g_autoptr(KsSession) maint = ks_test_sign_in (server, MAINTENANCE);
  g_autoptr(GAsyncResult) result = NULL;
  KsReportFilter *filter;
  gint64 inspector = user_id_of (INSPECTOR), me, id, queued_id;
  KsReport *r, *q;
  guint n_all, n_me, n_someone, n_nobody;

  ks_test_sync (maint);
  ks_test_refresh_lists (maint);
  me = ks_session_get_user_id (maint);
  r = pick_free_report (maint, 3);
  id = ks_report_get_id (r);

  /* Online: applied at once, on the server after. */
  ks_session_assign_async (maint, id, inspector, FALSE, NULL, ks_test_store_result, &result);
  g_assert_cmpint (ks_report_get_shortlist_user (r), ==, inspector);
  expect_action (maint, &result, FALSE);
  g_assert_cmpint (server_int ("SELECT shortlist_user FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==,
                   inspector);
  g_assert_cmpint (server_int ("SELECT count(*) FROM audit_log WHERE action = 'shortlist_assign' "
                               "AND object_id = %" G_GINT64_FORMAT, id), ==, 1);

  /* The filter: mine / someone / nobody, offline on what the app holds. */
  ks_session_set_shortlisted_async (maint, ks_report_get_id (pick_free_report (maint, 0)), TRUE, NULL,
                                    ks_test_store_result, &result);
  expect_action (maint, &result, FALSE);
  filter = ks_session_get_filter (maint);
  ks_report_filter_reset (filter);
  n_all = g_list_model_get_n_items (G_LIST_MODEL (filter));
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_ME, me);
  n_me = g_list_model_get_n_items (G_LIST_MODEL (filter));
  for (guint i = 0; i < n_me; i++)
    {
      g_autoptr(KsReport) x = g_list_model_get_item (G_LIST_MODEL (filter), i);
      g_assert_cmpint (ks_report_get_shortlist_user (x), ==, me);
    }
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_SOMEONE, me);
  n_someone = g_list_model_get_n_items (G_LIST_MODEL (filter));
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_NOBODY, me);
  n_nobody = g_list_model_get_n_items (G_LIST_MODEL (filter));
  g_assert_cmpuint (n_me, ==, server_int ("SELECT count(*) FROM reports WHERE shortlist_user = %" G_GINT64_FORMAT, me));
  g_assert_cmpuint (n_me, >=, 1);
  g_assert_cmpuint (n_someone, >, n_me);
  g_assert_cmpuint (n_someone + n_nobody, ==, n_all);
  ks_report_filter_reset (filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, n_all);

  /* Offline: queued, shown at once, sent when the server is back. */
  q = pick_free_report (maint, 5);
  queued_id = ks_report_get_id (q);
  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (ks_session_get_outbox (maint), 1);
  ks_session_assign_async (maint, queued_id, inspector, FALSE, NULL, ks_test_store_result, &result);
  expect_action (maint, &result, TRUE);
  g_assert_cmpint (ks_report_get_shortlist_user (q), ==, inspector);
  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, ks_session_get_outbox (maint), 30));
  g_assert_cmpint (server_int ("SELECT shortlist_user FROM reports WHERE id = %" G_GINT64_FORMAT, queued_id), ==,
                   inspector);
}

static void
test_reorder (void)
{
  g_autoptr(KsSession) inspector = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GArray) reversed = g_array_new (FALSE, FALSE, sizeof (gint64));
  KsReportFilter *filter;
  gint64 me;

  ks_test_sync (inspector);
  me = ks_session_get_user_id (inspector);
  shortlist_free_reports (inspector, 3, 10);
  ks_test_sync (inspector);
  before = ks_session_get_shortlist_ids (inspector);
  g_assert_cmpuint (before->len, >=, 3);
  /* The order is the server's. */
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpint (server_int ("SELECT shortlist_user FROM reports WHERE id = %" G_GINT64_FORMAT,
                                 g_array_index (before, gint64, i)), ==, me);
  for (guint i = 1; i < before->len; i++)
    g_assert_cmpint (server_int ("SELECT shortlist_pos FROM reports WHERE id = %" G_GINT64_FORMAT,
                                 g_array_index (before, gint64, i - 1)), <,
                     server_int ("SELECT shortlist_pos FROM reports WHERE id = %" G_GINT64_FORMAT,
                                 g_array_index (before, gint64, i)));
  for (guint i = before->len; i-- > 0;)
    g_array_append_val (reversed, g_array_index (before, gint64, i));

  /* Offline: the new order at once (the list sorted by it), then on the server. */
  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (ks_session_get_outbox (inspector), 1);
  ks_session_reorder_shortlist_async (inspector, (gint64 *) (gpointer) reversed->data, reversed->len, NULL,
                                      ks_test_store_result, &result);
  expect_action (inspector, &result, TRUE);
  after = ks_session_get_shortlist_ids (inspector);
  g_assert_cmpmem (after->data, after->len * sizeof (gint64), reversed->data, reversed->len * sizeof (gint64));

  filter = ks_session_get_filter (inspector);
  ks_report_filter_reset (filter);
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_ME, me);
  ks_report_filter_set_shortlist_order (filter, (gint64 *) (gpointer) after->data, after->len);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_SHORTLIST);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, reversed->len);
  for (guint i = 0; i < reversed->len; i++)
    {
      g_autoptr(KsReport) x = g_list_model_get_item (G_LIST_MODEL (filter), i);
      g_assert_cmpint (ks_report_get_id (x), ==, g_array_index (reversed, gint64, i));
    }
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_UPDATED_DESC);
  ks_report_filter_reset (filter);

  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, ks_session_get_outbox (inspector), 30));
  for (guint i = 0; i < reversed->len; i++)
    g_assert_cmpint (server_int ("SELECT shortlist_pos FROM reports WHERE id = %" G_GINT64_FORMAT,
                                 g_array_index (reversed, gint64, i)), ==, i + 1);
  /* A sync brings the same order back. */
  ks_test_sync (inspector);
  g_clear_pointer (&after, g_array_unref);
  after = ks_session_get_shortlist_ids (inspector);
  g_assert_cmpmem (after->data, after->len * sizeof (gint64), reversed->data, reversed->len * sizeof (gint64));
}

/* The ids the filtered model holds, in its order. */
static GArray *
model_ids (GListModel *model)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      gint64 id = ks_report_get_id (r);

      g_array_append_val (ids, id);
    }
  return ids;
}

/* The shortlist reordered on another device (a second session of the same
 * person): the next sync here brings the new order, and a list shown in the
 * shortlist's order follows it without the person choosing the filter again. */
static void
test_reorder_elsewhere (void)
{
  g_autoptr(KsSession) here = ks_test_sign_in (server, MAINTENANCE);
  g_autoptr(KsSession) there = ks_test_sign_in (server, MAINTENANCE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) order = NULL;
  g_autoptr(GArray) shown = NULL;
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  KsReportFilter *filter;
  gint64 me;

  ks_test_sync (here);
  ks_test_sync (there);
  me = ks_session_get_user_id (here);
  shortlist_free_reports (here, 4, 15);
  ks_test_sync (here);
  ks_test_sync (there);
  order = ks_session_get_shortlist_ids (here);
  g_assert_cmpuint (order->len, >=, 4);

  /* Here the list shows the shortlist in its order. */
  filter = ks_session_get_filter (here);
  ks_report_filter_reset (filter);
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_ME, me);
  ks_report_filter_set_shortlist_order (filter, (gint64 *) (gpointer) order->data, order->len);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_SHORTLIST);
  shown = model_ids (G_LIST_MODEL (filter));
  g_assert_cmpmem (shown->data, shown->len * sizeof (gint64), order->data, order->len * sizeof (gint64));

  /* There, the last goes first. */
  g_array_append_val (wanted, g_array_index (order, gint64, order->len - 1));
  for (guint i = 0; i + 1 < order->len; i++)
    g_array_append_val (wanted, g_array_index (order, gint64, i));
  ks_session_reorder_shortlist_async (there, (gint64 *) (gpointer) wanted->data, wanted->len, NULL,
                                      ks_test_store_result, &result);
  expect_action (there, &result, FALSE);
  for (guint i = 0; i < wanted->len; i++)
    g_assert_cmpint (server_int ("SELECT shortlist_pos FROM reports WHERE id = %" G_GINT64_FORMAT,
                                 g_array_index (wanted, gint64, i)), ==, i + 1);

  /* Here, after the next sync: the session's order and the list's. */
  ks_test_sync (here);
  g_clear_pointer (&order, g_array_unref);
  order = ks_session_get_shortlist_ids (here);
  g_assert_cmpmem (order->data, order->len * sizeof (gint64), wanted->data, wanted->len * sizeof (gint64));
  ks_test_iterate (100);
  g_clear_pointer (&shown, g_array_unref);
  shown = model_ids (G_LIST_MODEL (filter));
  g_assert_cmpmem (shown->data, shown->len * sizeof (gint64), wanted->data, wanted->len * sizeof (gint64));
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_UPDATED_DESC);
  ks_report_filter_reset (filter);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 300);
  ensure_free_reports ();

  g_test_add_func ("/core/assign/assignees", test_assignees);
  g_test_add_func ("/core/assign/assign-and-filter", test_assign_and_filter);
  g_test_add_func ("/core/assign/reorder", test_reorder);
  g_test_add_func ("/core/assign/reorder-elsewhere", test_reorder_elsewhere);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-bulk.c: a bulk action through the core, against the real kerbside-server:
 * the result item by item (a report changed meanwhile conflicts, the others are
 * applied and reach the cache), the conflicted one retried on its new version, a
 * role without the permission refused item by item, and a bulk made while the
 * server is away waiting in the outbox as ONE entry and replayed once, its
 * results given with the "sent" signal. */
#define G_LOG_DOMAIN "test-bulk"

#include "ks-session.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <string.h>

#define INSPECTOR "inspector@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"

static KsTestServer *server;

static gint64
server_int (const char *fmt, gint64 id)
{
  g_autofree char *sql = g_strdup_printf (fmt, id);
  return ks_test_server_query_int (server, sql);
}

static gboolean
server_state_is (gint64 id, const char *state)
{
  g_autofree char *sql = g_strdup_printf ("SELECT state = '%s' FROM reports WHERE id = %"
                                          G_GINT64_FORMAT, state, id);
  return ks_test_server_query_int (server, sql) == 1;
}

static KsBulkResult *
run_bulk (KsSession *session, const char *action, JsonObject *params, const gint64 *ids,
          guint n, gboolean *queued, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ks_session_bulk_async (session, action, params, ids, n, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  return ks_session_bulk_finish (session, result, queued, error);
}

static const char *
cached_state (KsSession *session, gint64 id)
{
  KsReport *r = ks_report_store_lookup (ks_session_get_report_store (session), id);
  g_assert_nonnull (r);
  return ks_report_get_state (r);
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (data) == 0;
}

static void
on_sent (KsOutbox *outbox, KsOutboxEntry *entry, char **answer)
{
  if (g_strcmp0 (entry->action, "bulk") == 0)
    *answer = g_strdup (entry->current);
}

static void
test_bulk (void)
{
  g_autoptr(KsSession) inspector = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(KsSession) cs = ks_test_sign_in (server, CUSTOMER_SERVICES);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(KsBulkResult) bulk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent_answer = NULL;
  KsOutbox *outbox = ks_session_get_outbox (inspector);
  GListModel *model;
  gint64 ids[3] = { 0 }, version;
  guint n = 0;
  gboolean queued = TRUE;

  ks_test_sync (inspector);
  ks_test_sync (cs);
  model = ks_session_get_reports (inspector);
  for (guint i = 0; i < g_list_model_get_n_items (model) && n < 3; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0)
        ids[n++] = ks_report_get_id (r);
    }
  g_assert_cmpuint (n, ==, 3);

  /* The second report changes on the server behind the inspector's back (no sync
   * brings it): the inspector's copy is stale. */
  version = ks_report_store_lookup (ks_session_get_report_store (inspector), ids[1])->version;
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE reports SET version = version + 1 WHERE id = %"
                                            G_GINT64_FORMAT, ids[1]);
    ks_test_server_exec (server, sql);
  }
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, ids[1]),
                   ==, version + 1);

  json_object_set_string_member (params, "state", "investigating");
  bulk = run_bulk (inspector, "state", params, ids, 3, &queued, &error);
  g_assert_no_error (error);
  g_assert_false (queued);
  g_assert_nonnull (bulk);
  g_assert_cmpuint (bulk->items->len, ==, 3);
  g_assert_cmpuint (bulk->counts[KS_BULK_OK], ==, 2);
  g_assert_cmpuint (bulk->counts[KS_BULK_CONFLICT], ==, 1);
  g_assert_cmpint (g_array_index (bulk->items, KsBulkItem, 1).id, ==, ids[1]);
  g_assert_cmpint (g_array_index (bulk->items, KsBulkItem, 1).status, ==, KS_BULK_CONFLICT);
  g_assert_nonnull (strstr (g_array_index (bulk->items, KsBulkItem, 1).message, "version"));
  g_assert_true (server_state_is (ids[0], "investigating"));
  g_assert_true (server_state_is (ids[1], "confirmed"));
  g_assert_true (server_state_is (ids[2], "investigating"));
  /* The answer reached the cache: changed reports, and the conflicted one as it is now. */
  g_assert_cmpstr (cached_state (inspector, ids[0]), ==, "investigating");
  g_assert_cmpstr (cached_state (inspector, ids[2]), ==, "investigating");
  version = server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, ids[1]);
  g_assert_cmpint (ks_report_store_lookup (ks_session_get_report_store (inspector), ids[1])->version, ==,
                   version);
  g_clear_pointer (&bulk, ks_bulk_result_free);

  /* Retrying the conflicted one goes through on its new version. */
  bulk = run_bulk (inspector, "state", params, &ids[1], 1, &queued, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bulk->counts[KS_BULK_OK], ==, 1);
  g_assert_true (server_state_is (ids[1], "investigating"));
  g_clear_pointer (&bulk, ks_bulk_result_free);

  /* Customer Services may not change states: every item refused, nothing changes. */
  ks_test_sync (cs);
  version = server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, ids[0]);
  json_object_set_string_member (params, "state", "fixed");
  bulk = run_bulk (cs, "state", params, ids, 3, &queued, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bulk->counts[KS_BULK_FORBIDDEN], ==, 3);
  g_assert_true (server_state_is (ids[0], "investigating"));
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, ids[0]),
                   ==, version);
  g_clear_pointer (&bulk, ks_bulk_result_free);

  /* Offline: one outbox entry, replayed once when the server is back; the
   * results come with "sent". */
  g_signal_connect (outbox, "sent", G_CALLBACK (on_sent), &sent_answer);
  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);
  json_object_set_string_member (params, "state", "action_scheduled");
  bulk = run_bulk (inspector, "state", params, ids, 3, &queued, &error);
  g_assert_no_error (error);
  g_assert_true (queued);
  g_assert_null (bulk);
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 1);
  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, outbox, 30));
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (server_state_is (ids[i], "action_scheduled"));
      g_assert_cmpstr (cached_state (inspector, ids[i]), ==, "action_scheduled");
      g_assert_cmpint (server_int ("SELECT count(*) FROM updates WHERE state = 'action_scheduled' "
                                   "AND report_id = %" G_GINT64_FORMAT, ids[i]), ==, 1);
    }
  g_assert_nonnull (sent_answer);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_assert_true (json_parser_load_from_data (parser, sent_answer, -1, NULL));
    bulk = ks_bulk_result_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                         &error);
    g_assert_no_error (error);
    g_assert_cmpuint (bulk->counts[KS_BULK_OK], ==, 3);
  }
  g_signal_handlers_disconnect_by_data (outbox, &sent_answer);

  ks_test_sign_out (cs);
  ks_test_sign_out (inspector);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int status;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 200);
  g_test_add_func ("/core/bulk/state", test_bulk);
  status = g_test_run ();
  ks_test_server_free (server);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-session.c: the core against the real kerbside-server: sign-in, sync,
 * actions, the outbox (offline replay, conflicts) and what stays on disk. */
#define G_LOG_DOMAIN "test-session"

#include "ks-session.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <glib/gstdio.h>
#include <string.h>

#define INSPECTOR "inspector@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define ADMIN "admin@demo.invalid"

static KsTestServer *server;

static KsSession *
sign_in (const char *email)
{
  return ks_test_sign_in (server, email);
}

static gint64
server_visible_count (const char *email)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM reports WHERE body_id = "
    "(SELECT body_id FROM users WHERE email = '%s')", email);
  return ks_test_server_query_int (server, sql);
}

/* A report of the session that is in an open state. */
static KsReport *
pick_open_report (KsSession *session, guint skip)
{
  GListModel *model = ks_session_get_reports (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0 && ks_report_get_shortlist_user (r) == 0 &&
          skip-- == 0)
        return r;
    }
  g_assert_not_reached ();
}

/* An open report nobody has acknowledged yet, so that acknowledging it really
 * changes it (counted from the end, away from the reports other tests pick). */
static KsReport *
pick_unacknowledged_report (KsSession *session)
{
  GListModel *model = ks_session_get_reports (session);

  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0 && ks_report_get_shortlist_user (r) == 0 &&
          ks_report_get_acknowledged (r) == 0)
        return r;
    }
  g_assert_not_reached ();
}

/* Waits for an action and checks that the server took it. Frees *result. */
static void
expect_ok (KsSession *session, GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;
  gboolean queued = TRUE;

  ks_test_wait (result);
  g_assert_true (ks_session_action_finish (session, *result, &queued, &error));
  g_assert_no_error (error);
  g_assert_false (queued);
  g_clear_object (result);
}

/* Waits for an action that must stay queued (server down). Frees *result. */
static void
expect_queued (KsSession *session, GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;

  ks_test_wait (result);
  g_assert_true (ks_session_action_finish (session, *result, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_clear_object (result);
}

static void
test_sign_in (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autoptr(KsSession) bad = ks_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ks_session_can (session, KS_PERM_VIEW_OFFLINE));
  g_assert_true (ks_session_can (session, KS_PERM_UPDATE_STATUS));
  g_assert_false (ks_session_can (session, KS_PERM_MANAGE_STAFF));
  g_assert_cmpint (ks_session_get_user_id (session), >, 0);

  /* A wrong password gives the server's sentence. */
  ks_session_sign_in_async (bad, server->url, INSPECTOR, "not-the-password", NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_sign_in_finish (bad, result, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "not right"));
  g_clear_object (&result);
  g_clear_error (&error);

  /* Plain http to a host that is not this computer is refused. */
  ks_session_sign_in_async (bad, "http://example.org", INSPECTOR, KS_TEST_PASSWORD, NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_sign_in_finish (bad, result, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_clear_object (&result);
  g_clear_error (&error);

  /* Nothing listening: a network sentence. */
  ks_session_sign_in_async (bad, "http://127.0.0.1:9", INSPECTOR, KS_TEST_PASSWORD, NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_sign_in_finish (bad, result, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  /* It names the cause and keeps the port. */
  g_assert_nonnull (strstr (error->message, "127.0.0.1:9"));
  g_assert_nonnull (strstr (error->message, "refused"));

  ks_test_sign_out (session);
}

static void
test_sync (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autoptr(KsSession) admin = sign_in (ADMIN);
  KsReport *r;
  gint64 id, version;
  GListModel *model = ks_session_get_reports (session);

  ks_test_sync (session);
  g_assert_cmpint (g_list_model_get_n_items (model), ==, server_visible_count (INSPECTOR));
  g_assert_cmpint (ks_cache_count_reports (ks_session_get_cache (session)), ==,
                   g_list_model_get_n_items (model));
  g_assert_cmpint (ks_sync_engine_get_seq (ks_session_get_sync (session)), >, 0);

  /* A change made by someone else arrives with the next sync, in place. */
  ks_test_sync (admin);
  r = pick_open_report (admin, 3);
  id = ks_report_get_id (r);
  version = ks_report_get_version (r);
  {
    g_autoptr(GAsyncResult) result = NULL;
    ks_session_set_state_async (admin, id, "investigating", NULL, NULL, ks_test_store_result, &result);
    expect_ok (admin, &result);
  }

  {
    guint n = g_list_model_get_n_items (model);
    KsReport *mine = ks_session_lookup_report (session, id);
    g_assert_cmpstr (ks_report_get_state (mine), ==, "confirmed");
    ks_test_sync (session);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
    g_assert_true (ks_session_lookup_report (session, id) == mine);
    g_assert_cmpstr (ks_report_get_state (mine), ==, "investigating");
    g_assert_cmpint (ks_report_get_version (mine), ==, version + 1);
  }
  ks_test_sign_out (admin);
  ks_test_sign_out (session);
}

static void
on_progress (KsSyncEngine *sync, guint64 done, guint64 total, gpointer data)
{
  guint64 *seen = data;

  /* The total is known from the first page on and never below what is done. */
  g_assert_cmpuint (total, >=, done);
  if (seen[0] == 0)
    seen[1] = total;
  seen[0] = done;
  seen[2] = total;
}

/* A first sync into an empty cache, in pages of the engine's size, with its
 * progress against the server's count. */
static void
test_first_sync_progress (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autofree char *dir = g_dir_make_tmp ("ks-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "first.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = ks_cache_open_path (path, &error);
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsSyncEngine) sync = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  guint64 seen[3] = { 0, 0, 0 };
  gint64 visible = server_visible_count (INSPECTOR);

  g_assert_no_error (error);
  sync = ks_sync_engine_new (ks_session_get_client (session), cache, store, TRUE);
  ks_sync_engine_set_page_size (sync, 120);
  g_signal_connect (sync, "progress", G_CALLBACK (on_progress), seen);
  ks_sync_engine_sync_async (sync, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_sync_engine_sync_finish (sync, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, visible);
  g_assert_cmpint (seen[0], ==, visible);
  g_assert_cmpint (seen[1], ==, visible);   /* known at the first page */
  g_assert_cmpint (seen[2], ==, visible);
  g_assert_cmpint (ks_cache_count_reports (cache), ==, visible);
  g_assert_cmpint (ks_cache_get_int (cache, "seq", 0), ==, ks_sync_engine_get_seq (sync));

  /* What was stored reads back as the model holds it. */
  loaded = ks_cache_load_reports (cache, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < loaded->len; i++)
    {
      KsReport *a = g_ptr_array_index (loaded, i);
      KsReport *b = ks_report_store_lookup (store, ks_report_get_id (a));

      g_assert_nonnull (b);
      g_assert_cmpstr (ks_report_get_title (a), ==, ks_report_get_title (b));
      g_assert_cmpstr (ks_report_get_state (a), ==, ks_report_get_state (b));
      g_assert_cmpint (ks_report_get_updated (a), ==, ks_report_get_updated (b));
      g_assert_cmpint (ks_report_get_version (a), ==, ks_report_get_version (b));
      g_assert_cmpfloat (ks_report_get_lat (a), ==, ks_report_get_lat (b));
      g_assert_cmpstr (ks_report_get_detail (a), ==, ks_report_get_detail (b));
    }
  {
    /* The stored JSON is the server's, reporter included (offline). */
    g_autoptr(JsonObject) json = ks_cache_get_report_json (cache, ks_report_get_id (g_ptr_array_index (loaded, 0)));
    g_assert_nonnull (json);
    g_assert_true (json_object_has_member (json, "reporter"));
  }
  g_clear_object (&sync);
  g_assert_true (ks_cache_wipe (cache, &error));
  g_rmdir (dir);
  ks_test_sign_out (session);
}

typedef struct {
  KsSyncEngine  *sync;
  KsReportStore *store;
  guint          pages;
  guint          stop_at;
  guint64        done_at_stop;
  guint          model_at_stop;
} Interrupt;

static void
on_progress_stop (KsSyncEngine *sync, guint64 done, guint64 total, gpointer data)
{
  Interrupt *in = data;

  if (++in->pages == in->stop_at)
    {
      in->done_at_stop = done;
      in->model_at_stop = g_list_model_get_n_items (G_LIST_MODEL (in->store));
      /* As when the app is closed: pages already read are still written. */
      ks_sync_engine_stop (sync);
    }
}

/* A first sync stopped part way: every report written to the cache is in the
 * model too (none held back), and the next run, as after a restart, resumes
 * from there and brings the rest. */
static void
test_first_sync_interrupted (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autofree char *dir = g_dir_make_tmp ("ks-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "first.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = ks_cache_open_path (path, &error);
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsSyncEngine) sync = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 visible = server_visible_count (INSPECTOR);
  Interrupt in = { 0 };
  gint64 cached;

  g_assert_no_error (error);
  g_assert_cmpint (visible, >, 200);
  sync = ks_sync_engine_new (ks_session_get_client (session), cache, store, TRUE);
  ks_sync_engine_set_page_size (sync, 20);
  in.sync = sync;
  in.store = store;
  in.stop_at = 3;
  g_signal_connect (sync, "progress", G_CALLBACK (on_progress_stop), &in);
  ks_sync_engine_sync_async (sync, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  ks_sync_engine_sync_finish (sync, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* The third page was held back from the model (batches double: 20, 20, then
   * 40), and reached it when the run ended. */
  g_assert_cmpuint (in.pages, >=, 3);
  g_assert_cmpuint (in.done_at_stop, ==, 60);
  g_assert_cmpuint (in.model_at_stop, ==, 40);
  cached = ks_cache_count_reports (cache);
  g_assert_cmpint (cached, >=, 60);
  g_assert_cmpint (cached, <, visible);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, cached);
  g_assert_cmpint (ks_cache_get_int (cache, "seq", 0), >, 0);

  /* The next run resumes after the last page written. */
  g_clear_object (&sync);
  sync = ks_sync_engine_new (ks_session_get_client (session), cache, store, TRUE);
  ks_sync_engine_set_page_size (sync, 20);
  ks_sync_engine_sync_async (sync, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_sync_engine_sync_finish (sync, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ks_cache_count_reports (cache), ==, visible);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, visible);

  g_clear_object (&sync);
  g_assert_true (ks_cache_wipe (cache, &error));
  g_rmdir (dir);
  ks_test_sign_out (session);
}

static gint64
priority_for (KsSession *session, KsReport *report)
{
  g_autoptr(JsonArray) list = ks_session_get_priorities_for_category (session, ks_report_get_category_id (report));

  g_assert_cmpuint (json_array_get_length (list), >, 0);
  return json_object_get_int_member (json_array_get_object_element (list, 0), "id");
}

static gint64
server_int (const char *fmt, gint64 id)
{
  g_autofree char *sql = g_strdup_printf (fmt, id);
  return ks_test_server_query_int (server, sql);
}

static void
test_actions (void)
{
  g_autoptr(KsSession) inspector = sign_in (INSPECTOR);
  g_autoptr(KsSession) cs = sign_in (CUSTOMER_SERVICES);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KsReport *r;
  gint64 id, priority, before, new_id = 0;
  gboolean queued = TRUE;

  ks_test_sync (inspector);
  ks_test_sync (cs);
  ks_test_refresh_lists (inspector);
  r = pick_open_report (inspector, 5);
  id = ks_report_get_id (r);

  /* Acknowledge: applied locally at once, then confirmed by the server. */
  ks_session_acknowledge_async (inspector, id, NULL, NULL, ks_test_store_result, &result);
  g_assert_cmpint (ks_report_get_acknowledged (r), >, 0);
  expect_ok (inspector, &result);
  g_assert_cmpint (server_int ("SELECT acknowledged > 0 FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, 1);

  before = server_int ("SELECT count(*) FROM updates WHERE kind = 'update' AND report_id = %" G_GINT64_FORMAT, id);
  ks_session_add_update_async (inspector, id, "We have sent someone to look at this.", TRUE, NULL,
                               ks_test_store_result, &result);
  expect_ok (inspector, &result);
  g_assert_cmpint (server_int ("SELECT count(*) FROM updates WHERE kind = 'update' AND report_id = %" G_GINT64_FORMAT, id), ==, before + 1);

  ks_session_set_state_async (inspector, id, "action_scheduled", NULL, NULL, ks_test_store_result, &result);
  g_assert_cmpstr (ks_report_get_state (r), ==, "action_scheduled");
  expect_ok (inspector, &result);
  g_assert_cmpint (server_int ("SELECT state = 'action_scheduled' FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, 1);

  priority = priority_for (inspector, r);
  ks_session_set_priority_async (inspector, id, priority, NULL, ks_test_store_result, &result);
  expect_ok (inspector, &result);
  g_assert_cmpint (ks_report_get_priority_id (r), ==, priority);
  g_assert_cmpint (server_int ("SELECT priority_id FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, priority);

  ks_session_request_info_async (inspector, id, "Which side of the road is it on?", NULL,
                                 ks_test_store_result, &result);
  expect_ok (inspector, &result);
  g_assert_cmpstr (ks_report_get_state (r), ==, "awaiting_information");

  ks_session_set_shortlisted_async (inspector, id, TRUE, NULL, ks_test_store_result, &result);
  expect_ok (inspector, &result);
  g_assert_cmpint (ks_report_get_shortlist_user (r), ==, ks_session_get_user_id (inspector));
  g_assert_cmpint (server_int ("SELECT shortlist_user FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==,
                   ks_session_get_user_id (inspector));
  ks_session_set_shortlisted_async (inspector, id, FALSE, NULL, ks_test_store_result, &result);
  expect_ok (inspector, &result);
  g_assert_cmpint (ks_report_get_shortlist_user (r), ==, 0);

  ks_session_create_report_async (inspector, ks_test_category_without_required_questions (inspector), "Broken bollard",
                                  "Knocked over by a van.", ks_report_get_lat (r), ks_report_get_lon (r),
                                  "Pat Resident", "pat@example.invalid", NULL, NULL,
                                  ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_create_report_finish (inspector, result, &new_id, &queued, &error));
  g_assert_no_error (error);
  g_assert_false (queued);
  g_assert_cmpint (new_id, >, 0);
  g_assert_nonnull (ks_session_lookup_report (inspector, new_id));
  g_clear_object (&result);

  /* Customer Services moderate and hide. */
  r = pick_open_report (cs, 9);
  id = ks_report_get_id (r);
  ks_session_moderate_async (cs, id, "Pothole (moderated)", NULL, 0, FALSE,
                             "Personal details in the title.", NULL, ks_test_store_result, &result);
  expect_ok (cs, &result);
  g_assert_cmpstr (ks_report_get_title (r), ==, "Pothole (moderated)");
  ks_session_hide_async (cs, id, "Duplicate of a private report.", NULL, ks_test_store_result, &result);
  expect_ok (cs, &result);
  g_assert_cmpstr (ks_report_get_state (r), ==, "hidden");
  g_assert_cmpint (server_int ("SELECT state = 'hidden' FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, 1);

  /* Customer Services may not change a state: refused, kept, reported. */
  r = pick_open_report (cs, 11);
  ks_session_set_state_async (cs, ks_report_get_id (r), "fixed", NULL, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_action_finish (cs, result, NULL, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
  g_clear_object (&result);
  g_clear_error (&error);

  ks_test_sign_out (cs);
  ks_test_sign_out (inspector);
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (data) == 0;
}

static void
test_outbox_replay (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  KsOutbox *outbox = ks_session_get_outbox (session);
  KsReport *r;
  gint64 id, version, priority, before;

  ks_test_sync (session);
  ks_test_refresh_lists (session);
  r = pick_unacknowledged_report (session);
  id = ks_report_get_id (r);
  version = ks_report_get_version (r);
  priority = priority_for (session, r);
  before = server_int ("SELECT count(*) FROM updates WHERE report_id = %" G_GINT64_FORMAT, id);

  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);

  /* Three writes on one report, all based on the same version: the later ones
   * are rebased as the earlier ones arrive, so they do not conflict. */
  ks_session_acknowledge_async (session, id, NULL, NULL, ks_test_store_result, &result);
  expect_queued (session, &result);
  ks_session_set_state_async (session, id, "in_progress", NULL, NULL, ks_test_store_result, &result);
  expect_queued (session, &result);
  ks_session_set_priority_async (session, id, priority, NULL, ks_test_store_result, &result);
  expect_queued (session, &result);
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 3);
  g_assert_cmpstr (ks_report_get_state (r), ==, "in_progress");

  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, outbox, 30));
  {
    g_autoptr(GPtrArray) left = ks_outbox_list (outbox);
    g_assert_cmpuint (left->len, ==, 0);
  }
  /* Each arrived once. */
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, version + 3);
  g_assert_cmpint (server_int ("SELECT count(*) FROM updates WHERE report_id = %" G_GINT64_FORMAT, id), ==, before + 3);
  g_assert_cmpint (server_int ("SELECT state = 'in_progress' FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (ks_report_get_version (r), ==, version + 3);
  ks_test_sign_out (session);
}

/* A report created while the server cannot be reached is in the model at once
 * as a placeholder (id below zero, the queued create's fields); once sent, the
 * same object becomes the report in place, with the server's id, and no second
 * copy comes with the next sync. One the server refuses stays, marked as such,
 * until discarded. */
static void
test_offline_create (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KsReport) held = NULL;
  g_autoptr(KsOutboxEntry) refused = NULL;
  KsOutbox *outbox = ks_session_get_outbox (session);
  KsReportStore *store = ks_session_get_report_store (session);
  GListModel *model = ks_session_get_reports (session);
  KsReport *near;
  gint64 category, placeholder = 0, bad = 0, real_id;
  gboolean queued = FALSE;
  guint n_before, pos;

  ks_test_sync (session);
  ks_test_refresh_lists (session);
  near = pick_open_report (session, 3);
  category = ks_test_category_without_required_questions (session);
  n_before = g_list_model_get_n_items (model);

  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);
  ks_session_create_report_async (session, category, "Fallen sign, made offline", "Lying on the pavement.",
                                  ks_report_get_lat (near), ks_report_get_lon (near),
                                  "Pat Resident", "pat@example.invalid", NULL, NULL,
                                  ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_create_report_finish (session, result, &placeholder, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_assert_cmpint (placeholder, <, 0);
  g_assert_true (ks_session_is_placeholder (placeholder));
  g_clear_object (&result);

  /* In the model at once, with what was typed. */
  held = g_object_ref (ks_session_lookup_report (session, placeholder));
  g_assert_cmpstr (ks_report_get_title (held), ==, "Fallen sign, made offline");
  g_assert_cmpint (ks_report_get_category_id (held), ==, category);
  g_assert_cmpstr (ks_report_get_category (held), !=, "");
  g_assert_cmpstr (ks_report_get_state (held), ==, "confirmed");
  g_assert_cmpfloat (ks_report_get_lat (held), ==, ks_report_get_lat (near));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 1);
  pos = ks_report_store_find (store, placeholder);
  g_assert_cmpuint (pos, !=, G_MAXUINT);
  /* Nothing can be done to it before the server has it. */
  ks_session_acknowledge_async (session, placeholder, NULL, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_action_finish (session, result, NULL, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A second one the server will refuse (a title on two lines). */
  ks_session_create_report_async (session, category, "Two\nlines", "Refused.",
                                  ks_report_get_lat (near), ks_report_get_lon (near),
                                  "Pat Resident", NULL, NULL, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_create_report_finish (session, result, &bad, &queued, &error));
  g_assert_true (queued);
  g_assert_cmpint (bad, <, placeholder);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 2);

  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, outbox, 60));

  /* The same object, in the same place, now the server's report. */
  real_id = ks_report_get_id (held);
  g_assert_cmpint (real_id, >, 0);
  g_assert_true (ks_session_lookup_report (session, real_id) == held);
  g_assert_null (ks_session_lookup_report (session, placeholder));
  g_assert_cmpuint (ks_report_store_find (store, real_id), ==, pos);
  g_assert_cmpint (ks_report_get_version (held), >, 0);
  g_assert_cmpint (server_int ("SELECT count(*) FROM reports WHERE title = 'Fallen sign, made offline' AND id = %"
                               G_GINT64_FORMAT, real_id), ==, 1);
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM reports WHERE title = 'Fallen sign, made offline'"),
                   ==, 1);
  ks_test_sync (session);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 2);
  g_assert_true (ks_session_lookup_report (session, real_id) == held);

  /* The refused one stays, says why, and goes when discarded. */
  refused = ks_session_get_placeholder_entry (session, bad);
  g_assert_nonnull (refused);
  g_assert_cmpint (refused->state, ==, KS_OUTBOX_REJECTED);
  g_assert_nonnull (refused->error_message);
  g_assert_nonnull (ks_session_lookup_report (session, bad));
  g_assert_true (ks_outbox_discard (outbox, refused->id, &error));
  g_assert_no_error (error);
  g_assert_null (ks_session_lookup_report (session, bad));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 1);
  ks_test_sign_out (session);
}

static void
on_conflict (KsOutbox *outbox, KsOutboxEntry *entry, gpointer data)
{
  *(KsOutboxEntry **) data = ks_outbox_entry_copy (entry);
}

static void
test_conflict (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autoptr(KsSession) other = sign_in (ADMIN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KsOutboxEntry) seen = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  KsReport *r;
  gint64 id;

  ks_test_sync (session);
  ks_test_sync (other);
  r = pick_open_report (session, 30);
  id = ks_report_get_id (r);

  /* Someone else changes the report first. */
  ks_session_set_state_async (other, id, "investigating", NULL, NULL, ks_test_store_result, &result);
  expect_ok (other, &result);

  g_signal_connect (ks_session_get_outbox (session), "conflict", G_CALLBACK (on_conflict), &seen);
  ks_session_set_state_async (session, id, "fixed", NULL, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_action_finish (session, result, NULL, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_CONFLICT);
  g_assert_nonnull (seen);
  g_assert_cmpint (seen->report_id, ==, id);
  g_assert_nonnull (seen->current);
  g_assert_nonnull (strstr (seen->current, "investigating"));

  /* Kept, and the cached report shows the server's version. */
  entries = ks_outbox_list (ks_session_get_outbox (session));
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((KsOutboxEntry *) entries->pdata[0])->state, ==, KS_OUTBOX_CONFLICT);
  g_assert_cmpstr (ks_report_get_state (r), ==, "investigating");

  /* "Keep mine": sent again on the current version. */
  g_assert_true (ks_outbox_retry (ks_session_get_outbox (session), seen->id, NULL));
  g_assert_true (ks_test_wait_for (outbox_empty, ks_session_get_outbox (session), 30));
  g_assert_cmpint (server_int ("SELECT state = 'fixed' FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, 1);

  ks_test_sign_out (other);
  ks_test_sign_out (session);
}

static void
test_cache_on_sign_out (void)
{
  g_autoptr(KsSession) cs = sign_in (CUSTOMER_SERVICES);
  g_autoptr(KsSession) inspector = sign_in (INSPECTOR);
  g_autofree char *cs_path = ks_cache_path_for (server->url, CUSTOMER_SERVICES);
  g_autofree char *in_path = ks_cache_path_for (server->url, INSPECTOR);

  ks_test_sync (cs);
  ks_test_sync (inspector);
  g_assert_true (g_file_test (cs_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (in_path, G_FILE_TEST_EXISTS));
  ks_test_sign_out (cs);
  ks_test_sign_out (inspector);
  g_assert_false (g_file_test (cs_path, G_FILE_TEST_EXISTS));
  {
    g_autofree char *wal = g_strconcat (cs_path, "-wal", NULL);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
  g_assert_true (g_file_test (in_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (ks_session_get_reports (cs)), ==, 0);
}

static void
count_emission (guint *n)
{
  (*n)++;
}

/* The lists fetched again as they were: no lists-changed, so nothing that
 * shows them fills itself again. One changed on the server: lists-changed,
 * once, and the new text in the session and in the cache. */
static void
test_lists_unchanged (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autofree char *cached = NULL;
  guint n = 0;
  JsonArray *templates;

  g_signal_connect_swapped (session, "lists-changed", G_CALLBACK (count_emission), &n);
  ks_test_refresh_lists (session);
  n = 0;
  ks_test_refresh_lists (session);
  g_assert_cmpuint (n, ==, 0);

  ks_test_server_exec (server, "UPDATE templates SET title = 'Inspection booked for Tuesday' WHERE id = 2");
  ks_test_refresh_lists (session);
  g_assert_cmpuint (n, ==, 1);
  templates = ks_session_get_templates (session);
  {
    gboolean seen = FALSE;
    for (guint i = 0; i < json_array_get_length (templates); i++)
      seen |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (templates, i), "title"),
                         "Inspection booked for Tuesday") == 0;
    g_assert_true (seen);
  }
  cached = ks_cache_get_string (ks_session_get_cache (session), "templates");
  g_assert_nonnull (strstr (cached, "Inspection booked for Tuesday"));
  ks_test_refresh_lists (session);
  g_assert_cmpuint (n, ==, 1);
  ks_test_server_exec (server, "UPDATE templates SET title = 'Inspection booked' WHERE id = 2");
  ks_test_refresh_lists (session);
  g_assert_cmpuint (n, ==, 2);
  ks_test_sign_out (session);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 500);

  g_test_add_func ("/core/sign-in", test_sign_in);
  g_test_add_func ("/core/sync", test_sync);
  g_test_add_func ("/core/first-sync-progress", test_first_sync_progress);
  g_test_add_func ("/core/first-sync-interrupted", test_first_sync_interrupted);
  g_test_add_func ("/core/actions", test_actions);
  g_test_add_func ("/core/outbox-replay", test_outbox_replay);
  g_test_add_func ("/core/offline-create", test_offline_create);
  g_test_add_func ("/core/conflict", test_conflict);
  g_test_add_func ("/core/cache-on-sign-out", test_cache_on_sign_out);
  g_test_add_func ("/core/lists-unchanged", test_lists_unchanged);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

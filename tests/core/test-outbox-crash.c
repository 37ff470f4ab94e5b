/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-outbox-crash.c: the app's core killed with a full outbox loses nothing.
 *
 * A child process (this program again, with --queue) opens the cache, and while the
 * server is down queues public updates in the outbox, printing "queued N" for each
 * one the outbox has answered as queued; it is killed with SIGKILL, once while it
 * is still queuing and once after queuing everything. Then the core starts again on the same
 * cache with the server back: every action that was answered as queued reaches the
 * server exactly once, nothing else is sent, and a third start finds nothing left. */
#define G_LOG_DOMAIN "test-outbox-crash"

#include "ks-cache.h"
#include "ks-client.h"
#include "ks-error.h"
#include "ks-outbox.h"
#include "ks-report-store.h"
#include "ks-test-server.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ACTIONS 40     /* queued by the child killed after queuing */
#define N_MID     400    /* the child killed half-way would queue this many */

static KsTestServer *server;

typedef struct {
  KsCache       *cache;
  KsClient      *client;
  KsReportStore *store;
  KsOutbox      *outbox;
} Core;

static Core *
core_open (const char *cache_path, const char *url, const char *token)
{
  g_autoptr(GError) error = NULL;
  Core *core = g_new0 (Core, 1);

  core->cache = ks_cache_open_path (cache_path, &error);
  g_assert_no_error (error);
  core->client = ks_client_new (url, &error);
  g_assert_no_error (error);
  ks_client_set_token (core->client, token);
  core->store = ks_report_store_new ();
  core->outbox = ks_outbox_new (core->client, core->cache, core->store);
  ks_outbox_set_retry_interval (core->outbox, 1);
  return core;
}

static void
core_close (Core *core)
{
  ks_outbox_stop (core->outbox);
  g_object_unref (core->outbox);
  g_object_unref (core->store);
  g_object_unref (core->client);
  g_object_unref (core->cache);
  g_free (core);
}

/* The child: queue actions offline, say so for each, then wait to be killed. */
static int
queue_child (const char *cache_path, const char *url, const char *token,
             gint64 report_id, const char *tag, int n)
{
  Core *core = core_open (cache_path, url, token);
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/updates", report_id);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *text = g_strdup_printf ("outbox crash %s %d", tag, i);
      gboolean queued = FALSE;

      json_object_set_string_member (body, "text", text);
      ks_outbox_enqueue_async (core->outbox, "update", report_id, "POST", path, body, 0,
                               NULL, ks_test_store_result, &result);
      ks_test_wait (&result);
      answer = ks_outbox_enqueue_finish (core->outbox, result, &queued, &error);
      g_assert_no_error (error);
      g_assert_true (queued);
      printf ("queued %d\n", i);
      fflush (stdout);
    }
  printf ("all\n");
  fflush (stdout);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
  return 0;
}

static char *
sign_in (const char *email)
{
  g_autoptr(KsClient) client = ks_client_new (server->url, NULL);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", KS_TEST_PASSWORD);
  node = json_node_init_object (json_node_alloc (), body);
  ks_client_request_async (client, "POST", "/api/v1/auth/login", node, NULL, NULL,
                           ks_test_store_result, &result);
  ks_test_wait (&result);
  answer = ks_client_request_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
}

/* Runs the child queuing n actions and kills it (SIGKILL) once it has said
 * "queued" kill_after times (while it goes on queuing), or after "all" when
 * kill_after is n. Returns how many it said. */
static int
run_child_and_kill (const char *self_exe, const char *cache_path, const char *token,
                    gint64 report_id, const char *tag, int n, int kill_after)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, report_id);
  g_autofree char *count = g_strdup_printf ("%d", n);
  g_autoptr(GSubprocess) child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                   self_exe, "--queue", cache_path, server->url,
                                                   token, id, tag, count, NULL);
  g_autoptr(GDataInputStream) in = NULL;
  int said = 0;

  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);    /* the child ended early: see its messages above */
      if (g_str_has_prefix (line, "queued "))
        said++;
      if ((kill_after < n && said == kill_after) || strcmp (line, "all") == 0)
        break;
    }
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  return said;
}

static gint64
count_text (const char *tag, int i)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM updates WHERE text = 'outbox crash %s %d'", tag, i);
  return ks_test_server_query_int (server, sql);
}

static void
check_cache_file (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (data) == 0;
}

static const char *self_exe;

static void
test_killed_with_full_outbox (void)
{
  g_autofree char *token = sign_in ("inspector@demo.invalid");
  g_autofree char *cache_path = g_build_filename (g_get_user_cache_dir (), "crash.cache", NULL);
  gint64 report_id = ks_test_server_query_int (
    server, "SELECT min(id) FROM reports WHERE state = 'confirmed' AND body_id = "
            "(SELECT body_id FROM users WHERE email = 'inspector@demo.invalid')");
  gint64 before = ks_test_server_query_int (server, "SELECT count(*) FROM updates");
  int said_mid, said_all;
  guint pending;
  Core *core;

  g_assert_cmpint (report_id, >, 0);
  ks_test_server_stop (server);

  /* Killed half-way through queuing, then after queuing everything. */
  said_mid = run_child_and_kill (self_exe, cache_path, token, report_id, "mid", N_MID, 20);
  said_all = run_child_and_kill (self_exe, cache_path, token, report_id, "all", N_ACTIONS, N_ACTIONS);
  g_assert_cmpint (said_mid, ==, 20);
  g_assert_cmpint (said_all, ==, N_ACTIONS);
  check_cache_file (cache_path);

  /* The core starts again on the same cache with the server back. */
  ks_test_server_start (server);
  core = core_open (cache_path, server->url, token);
  pending = ks_outbox_get_n_pending (core->outbox);
  g_assert_cmpuint (pending, >=, said_mid + said_all);
  ks_outbox_flush (core->outbox);
  g_assert_true (ks_test_wait_for (outbox_empty, core->outbox, 120));
  {
    g_autoptr(GPtrArray) left = ks_outbox_list (core->outbox);
    g_assert_cmpuint (left->len, ==, 0);   /* no conflicts, no rejections */
  }
  core_close (core);

  /* Each action answered as queued arrived once; those the first child queued
   * after it said so (it was killed while queuing) arrived at most once, in
   * order; nothing else was sent. */
  for (int i = 0; i < said_mid; i++)
    g_assert_cmpint (count_text ("mid", i), ==, 1);
  for (int i = said_mid, gap = 0; i < N_MID; i++)
    {
      gint64 c = count_text ("mid", i);
      g_assert_cmpint (c, <=, 1);
      g_assert_true (c == 0 || !gap);   /* no hole before a queued action */
      gap = gap || c == 0;
    }
  for (int i = 0; i < said_all; i++)
    g_assert_cmpint (count_text ("all", i), ==, 1);
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM updates"), ==,
                   before + pending);

  /* A third start sends nothing again. */
  core = core_open (cache_path, server->url, token);
  g_assert_cmpuint (ks_outbox_get_n_pending (core->outbox), ==, 0);
  core_close (core);
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM updates"), ==,
                   before + pending);
  g_test_message ("killed half-way (after %d said queued) and after queuing %d: "
                  "%u actions in the outbox at restart, each sent once",
                  said_mid, said_all, pending);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  int rc;

  if (argc == 8 && strcmp (argv[1], "--queue") == 0)
    return queue_child (argv[2], argv[3], argv[4], g_ascii_strtoll (argv[5], NULL, 10), argv[6],
                        atoi (argv[7]));

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = argv[0];
  dir = ks_test_init_env ();
  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 100);
  g_test_add_func ("/core/outbox/killed-with-full-outbox", test_killed_with_full_outbox);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

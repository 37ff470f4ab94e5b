/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-zstd.c: the core's sync with answers in zstd, through the real
 * kerbside-server: the client asks for zstd, decodes it itself, and keeps the
 * same cache as from plain answers; a damaged or cut zstd answer fails the
 * sync and leaves the cache as it was. And the next page asked for ahead: a
 * page whose end misstates where the next begins fails the sync, and the
 * next sync reads each page first.
 *
 * The app talks to a small proxy in this process that passes requests on to
 * the server and can drop the client's Accept-Encoding (plain answers),
 * damage the zstd answers of the sync, or change the end of a plain one. */
#define G_LOG_DOMAIN "test-sync-zstd"

#include "ks-cache.h"
#include "ks-client.h"
#include "ks-error.h"
#include "ks-report-store.h"
#include "ks-sync.h"
#include "ks-test-http.h"
#include "ks-test-server.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define INSPECTOR "inspector@demo.invalid"
/* Two pages of up to 1,000 reports: the first long enough to be streamed and
 * decoded on the client's worker thread, the last short. */
#define REPORTS   1500
#define PAGE_SIZE 1000

typedef enum {
  PASS,        /* as the client asked */
  PLAIN,       /* the client's Accept-Encoding dropped: plain answers */
  DAMAGE,      /* the sync's zstd answers with bytes changed in the middle */
  CUT,         /* the sync's zstd answers without their second half */
  MISLEAD,     /* plain, and a page with more to come ends with a "seq" one lower */
} Mode;

static KsTestServer *server;
static SoupServer *proxy;
static SoupSession *upstream;
static char *proxy_url;
static Mode mode;
/* What the last sync request asked for and was answered. */
static char *sync_accept;
static char *sync_coding;
static guint sync_requests;
static guint misled;          /* sync pages whose end MISLEAD changed */

typedef struct {
  SoupServerMessage *msg;
  SoupMessage       *out;
} Forward;

static void
on_upstream (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Forward *f = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessageHeaders *in = soup_message_get_response_headers (f->out);
  SoupMessageHeaders *back = soup_server_message_get_response_headers (f->msg);
  const char *coding = soup_message_headers_get_one (in, "Content-Encoding");
  const char *path = g_uri_get_path (soup_message_get_uri (f->out));
  gsize len;
  const char *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (body, &len);
  if (g_str_has_suffix (path, "/sync"))
    {
      g_free (sync_coding);
      sync_coding = g_strdup (coding);
      sync_requests++;
      if (g_strcmp0 (coding, "zstd") == 0 && (mode == DAMAGE || mode == CUT))
        {
          g_autofree guint8 *copy = g_memdup2 (data, len);

          g_assert_cmpuint (len, >, 64);
          if (mode == DAMAGE)
            for (gsize i = len / 2; i < len / 2 + 16; i++)
              copy[i] ^= 0x5a;
          else
            len /= 2;
          g_clear_pointer (&body, g_bytes_unref);
          body = g_bytes_new_take (g_steal_pointer (&copy), len);
          data = g_bytes_get_data (body, &len);
        }
      if (mode == MISLEAD)
        {
          static const char tail[] = ",\"more\":true}";
          g_autoptr(GString) text = g_string_new_len (data, len);
          char *at;

          g_assert_null (coding);
          if (g_str_has_suffix (text->str, tail) && (at = g_strrstr (text->str, ",\"seq\":")) != NULL)
            {
              gint64 seq = g_ascii_strtoll (at + strlen (",\"seq\":"), NULL, 10);

              g_string_truncate (text, at - text->str);
              g_string_append_printf (text, ",\"seq\":%" G_GINT64_FORMAT "%s", seq - 1, tail);
              g_clear_pointer (&body, g_bytes_unref);
              body = g_string_free_to_bytes (g_steal_pointer (&text));
              data = g_bytes_get_data (body, &len);
              misled++;
            }
        }
    }
  soup_server_message_set_status (f->msg, soup_message_get_status (f->out), NULL);
  if (coding != NULL)
    soup_message_headers_replace (back, "Content-Encoding", coding);
  if (soup_message_headers_get_one (in, "Retry-After") != NULL)
    soup_message_headers_replace (back, "Retry-After", soup_message_headers_get_one (in, "Retry-After"));
  soup_server_message_set_response (f->msg, soup_message_headers_get_content_type (in, NULL),
                                    SOUP_MEMORY_COPY, data, len);
  soup_server_message_unpause (f->msg);
  g_object_unref (f->msg);
  g_object_unref (f->out);
  g_free (f);
}

static void
on_proxy_request (SoupServer        *srv,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *rh = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *url = g_strdup_printf ("%s%s%s%s", server->url, g_uri_get_path (uri),
                                          g_uri_get_query (uri) ? "?" : "",
                                          g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  Forward *f = g_new0 (Forward, 1);
  SoupMessageHeaders *oh;
  const char *accept = soup_message_headers_get_one (rh, "Accept-Encoding");

  f->msg = g_object_ref (msg);
  f->out = soup_message_new (soup_server_message_get_method (msg), url);
  oh = soup_message_get_request_headers (f->out);
  if (soup_message_headers_get_one (rh, "Authorization") != NULL)
    soup_message_headers_replace (oh, "Authorization", soup_message_headers_get_one (rh, "Authorization"));
  /* None sent: the server answers plain (the upstream session adds none). */
  if (accept != NULL && mode != PLAIN && mode != MISLEAD)
    soup_message_headers_replace (oh, "Accept-Encoding", accept);
  if (g_str_has_suffix (path, "/sync"))
    {
      g_free (sync_accept);
      sync_accept = g_strdup (accept);
    }
  if (body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      soup_message_set_request_body_from_bytes (f->out, soup_message_headers_get_content_type (rh, NULL), bytes);
    }
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (upstream, f->out, G_PRIORITY_DEFAULT, NULL, on_upstream, f);
}

static void
start_proxy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  /* Bodies passed on as they came: no decoding here, and no Accept-Encoding of
   * the proxy's own. */
  upstream = soup_session_new ();
  soup_session_remove_feature_by_type (upstream, SOUP_TYPE_CONTENT_DECODER);
  proxy = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy, NULL, on_proxy_request, NULL, NULL);
  g_assert_true (soup_server_listen_local (proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

/* The reports the inspector sees. */
static guint
visible_count (void)
{
  return (guint) ks_test_server_query_int (server,
    "SELECT count(*) FROM reports WHERE body_id = "
    "(SELECT body_id FROM users WHERE email = '" INSPECTOR "')");
}

typedef struct {
  char          *dir;
  KsCache       *cache;
  KsReportStore *store;
  KsClient      *client;
  KsSyncEngine  *sync;
} App;

static App *
app_new (const char *token)
{
  App *app = g_new0 (App, 1);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  app->dir = g_dir_make_tmp ("ks-sync-zstd-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (app->dir, "cache.db", NULL);
  app->cache = ks_cache_open_path (path, &error);
  g_assert_no_error (error);
  app->store = ks_report_store_new ();
  app->client = ks_client_new (proxy_url, &error);
  g_assert_no_error (error);
  ks_client_set_token (app->client, token);
  app->sync = ks_sync_engine_new (app->client, app->cache, app->store, TRUE);
  ks_sync_engine_set_page_size (app->sync, PAGE_SIZE);
  return app;
}

static void
app_free (App *app)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&app->sync);
  g_assert_true (ks_cache_wipe (app->cache, &error));
  g_assert_no_error (error);
  g_clear_object (&app->cache);
  g_clear_object (&app->store);
  g_clear_object (&app->client);
  g_rmdir (app->dir);
  g_free (app->dir);
  g_free (app);
}

/* One sync in the given mode: TRUE if it succeeded, else *error says why. */
static gboolean
app_sync (App *app, Mode m, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mode = m;
  sync_requests = 0;
  ks_sync_engine_sync_async (app->sync, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  return ks_sync_engine_sync_finish (app->sync, result, error);
}

/* Each cached report's JSON, by id, as text: what the cache holds. */
static GHashTable *
cached_reports (App *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = ks_cache_load_reports (app->cache, &error);
  GHashTable *all = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < loaded->len; i++)
    {
      gint64 id = ks_report_get_id (g_ptr_array_index (loaded, i));
      g_autoptr(JsonObject) json = ks_cache_get_report_json (app->cache, id);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      g_assert_nonnull (json);
      json_node_set_object (node, json);
      g_hash_table_insert (all, g_memdup2 (&id, sizeof id), json_to_string (node, FALSE));
    }
  return all;
}

static void
assert_same_reports (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (value, ==, g_hash_table_lookup (b, key));
}

/* b's cache holds what a's does (every report the inspector sees), to the
 * position; and so do their engines. */
static void
assert_same_caches (App *a, App *b)
{
  g_autoptr(GHashTable) in_a = cached_reports (a);
  g_autoptr(GHashTable) in_b = cached_reports (b);

  g_assert_cmpuint (g_hash_table_size (in_a), ==, visible_count ());
  assert_same_reports (in_a, in_b);
  g_assert_cmpint (ks_cache_get_int (a->cache, "seq", 0), >, 0);
  g_assert_cmpint (ks_cache_get_int (a->cache, "seq", 0), ==, ks_cache_get_int (b->cache, "seq", -1));
  g_assert_cmpint (ks_sync_engine_get_seq (a->sync), ==, ks_sync_engine_get_seq (b->sync));
}

/* The same sync, plain and in zstd, keeps the same cache. */
static void
test_zstd_same_as_plain (void)
{
  g_autofree char *token = ks_test_api_login (server->url, INSPECTOR);
  App *plain = app_new (token), *packed = app_new (token);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (visible_count (), >, PAGE_SIZE);

  g_assert_true (app_sync (plain, PLAIN, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sync_accept, ==, "zstd, gzip");
  g_assert_null (sync_coding);
  g_assert_cmpuint (sync_requests, >=, 2);

  g_assert_true (app_sync (packed, PASS, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sync_accept, ==, "zstd, gzip");
  g_assert_cmpstr (sync_coding, ==, "zstd");
  g_assert_cmpuint (sync_requests, >=, 2);

  assert_same_caches (plain, packed);
  app_free (plain);
  app_free (packed);
}

static void
assert_sync_fails_leaving_cache (App *app, Mode m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = cached_reports (app);
  g_autoptr(GHashTable) after = NULL;
  gint64 seq = ks_cache_get_int (app->cache, "seq", 0);

  g_assert_false (app_sync (app, m, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "damaged or incomplete"));
  g_assert_cmpstr (sync_coding, ==, "zstd");
  after = cached_reports (app);
  assert_same_reports (before, after);
  g_assert_cmpint (ks_cache_get_int (app->cache, "seq", 0), ==, seq);
}

/* A damaged or cut zstd answer fails the sync; the cache is as it was, empty
 * or not; the next whole answer brings the change. */
static void
test_damaged_zstd_changes_nothing (void)
{
  g_autofree char *token = ks_test_api_login (server->url, INSPECTOR);
  App *app = app_new (token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Into an empty cache. */
  assert_sync_fails_leaving_cache (app, DAMAGE);
  assert_sync_fails_leaving_cache (app, CUT);
  g_assert_cmpint (ks_cache_count_reports (app->cache), ==, 0);

  g_assert_true (app_sync (app, PASS, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ks_cache_count_reports (app->cache), ==, visible_count ());

  /* Twenty reports acknowledged on the server: the next sync's answer (the
   * twenty) is long enough to be compressed, short enough to be decoded
   * without the worker thread. */
  {
    g_autoptr(GHashTable) all = cached_reports (app);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, all);
    while (g_hash_table_iter_next (&iter, &key, &value) && changed->len < 20)
      if (strstr (value, "\"acknowledged\":null") != NULL)
        g_array_append_val (changed, *(gint64 *) key);
    g_assert_cmpuint (changed->len, ==, 20);
  }
  for (guint i = 0; i < changed->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/acknowledge",
                                               g_array_index (changed, gint64, i));
      g_autoptr(JsonObject) done = ks_test_api (server->url, "POST", path, token, "{}");
    }
  assert_sync_fails_leaving_cache (app, DAMAGE);
  assert_sync_fails_leaving_cache (app, CUT);

  g_assert_true (app_sync (app, PASS, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sync_coding, ==, "zstd");
  for (guint i = 0; i < changed->len; i++)
    {
      g_autoptr(JsonObject) cached = ks_cache_get_report_json (app->cache, g_array_index (changed, gint64, i));

      g_assert_nonnull (cached);
      g_assert_false (json_object_get_null_member (cached, "acknowledged"));
    }
  app_free (app);
}

/* The next page is asked for from what a page's end says, before the page is
 * read: when the page then reads otherwise, the sync fails and writes nothing
 * from that page on; the next sync reads each page before asking for the next,
 * and keeps what a plain sync keeps. */
static void
test_misleading_end_fails_then_reads_first (void)
{
  g_autofree char *token = ks_test_api_login (server->url, INSPECTOR);
  App *plain = app_new (token), *app = app_new (token);
  g_autoptr(GError) error = NULL;

  g_assert_true (app_sync (plain, PLAIN, &error));
  g_assert_no_error (error);

  misled = 0;
  g_test_expect_message ("ks-sync", G_LOG_LEVEL_WARNING, "*no longer asking ahead*");
  g_assert_false (app_sync (app, MISLEAD, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "did not say where the next reports begin"));
  g_assert_cmpuint (misled, ==, 1);
  g_assert_cmpint (ks_cache_count_reports (app->cache), ==, 0);
  g_assert_cmpint (ks_cache_get_int (app->cache, "seq", 0), ==, 0);
  g_clear_error (&error);

  misled = 0;
  g_assert_true (app_sync (app, MISLEAD, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (misled, >=, 1);
  assert_same_caches (plain, app);
  app_free (plain);
  app_free (app);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, REPORTS);
  start_proxy ();
  g_test_add_func ("/sync-zstd/same-as-plain", test_zstd_same_as_plain);
  g_test_add_func ("/sync-zstd/damaged-changes-nothing", test_damaged_zstd_changes_nothing);
  g_test_add_func ("/sync-zstd/misleading-end", test_misleading_end_fails_then_reads_first);
  ret = g_test_run ();
  g_clear_object (&proxy);
  g_clear_object (&upstream);
  ks_test_server_free (server);
  return ret;
}

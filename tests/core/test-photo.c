/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-photo.c: the photo loader against the real kerbside-server (the photo's
 * bytes arrive) and against a second local host (the token never goes there). */
#define G_LOG_DOMAIN "test-photo"

#include "ks-error.h"
#include "ks-photo-loader.h"
#include "ks-session.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <libsoup/soup.h>
#include <string.h>

#define INSPECTOR "inspector@demo.invalid"

static KsTestServer *server;

/* A photo host on another origin: answers every GET with a small body and
 * remembers the Authorization header it was sent. */
typedef struct {
  SoupServer *soup;
  char       *url;            /* http://127.0.0.1:PORT */
  char       *authorization;  /* of the last request, or NULL */
  guint       n_requests;
} PhotoHost;

static const char host_body[] = "\x89PNG\r\n\x1a\nnot really a picture";

static void
on_host_request (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  PhotoHost *host = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  host->n_requests++;
  g_free (host->authorization);
  host->authorization = g_strdup (auth);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC,
                                    host_body, sizeof host_body - 1);
}

static PhotoHost *
photo_host_new (void)
{
  PhotoHost *host = g_new0 (PhotoHost, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  host->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (host->soup, NULL, on_host_request, host, NULL);
  g_assert_true (soup_server_listen_local (host->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (host->soup);
  g_assert_nonnull (uris);
  host->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return host;
}

static void
photo_host_free (PhotoHost *host)
{
  soup_server_disconnect (host->soup);
  g_object_unref (host->soup);
  g_free (host->url);
  g_free (host->authorization);
  g_free (host);
}

static KsSession *
sign_in (const char *email)
{
  return ks_test_sign_in (server, email);
}

static GBytes *
load (KsPhotoLoader *loader,
      KsClient      *client,
      const char    *photo,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ks_photo_loader_load_async (loader, client, photo, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  return ks_photo_loader_load_finish (loader, result, error);
}

/* The "photo" of the first synced report that has one. */
static char *
photo_of_a_report (KsSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) detail = NULL;
  GListModel *reports;
  KsReport *with_photo = NULL;

  ks_sync_engine_sync_async (ks_session_get_sync (session), NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  ks_sync_engine_sync_finish (ks_session_get_sync (session), result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  reports = ks_session_get_reports (session);
  for (guint i = 0; with_photo == NULL && i < g_list_model_get_n_items (reports); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (reports, i);

      if (ks_report_get_has_photo (r))
        with_photo = r;
    }
  g_assert_nonnull (with_photo);

  ks_session_fetch_report_async (session, ks_report_get_id (with_photo), NULL,
                                 ks_test_store_result, &result);
  ks_test_wait (&result);
  detail = ks_session_fetch_report_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (detail, "photo"));
  return g_strdup (json_object_get_string_member (detail, "photo"));
}

static void
test_own_server (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autoptr(KsPhotoLoader) loader = ks_photo_loader_new ();
  g_autoptr(KsClient) anonymous = NULL;
  g_autofree char *photo = photo_of_a_report (session);
  g_autofree char *file = NULL;
  g_autofree char *on_disk = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_test_message ("Photo: %s", photo);
  g_assert_true (g_str_has_prefix (photo, "/api/v1/media/"));

  /* The bytes that arrive are the stored file's. */
  bytes = load (loader, ks_session_get_client (session), photo, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  file = g_build_filename (server->dir, "server.db.media", photo + strlen ("/api/v1/media/"), NULL);
  g_assert_true (g_file_get_contents (file, &on_disk, &len, NULL));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), on_disk, len);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Our server wants the token: without it, no photo. */
  anonymous = ks_client_new (server->url, &error);
  g_assert_no_error (error);
  bytes = load (loader, anonymous, photo, &error);
  g_assert_null (bytes);
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* Not a web address: a clear error, nothing fetched. */
  bytes = load (loader, ks_session_get_client (session), "ftp://example.invalid/a.png", &error);
  g_assert_null (bytes);
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
}

static void
test_token_stays_home (void)
{
  g_autoptr(KsSession) session = sign_in (INSPECTOR);
  g_autoptr(KsPhotoLoader) loader = ks_photo_loader_new ();
  g_autoptr(KsClient) host_client = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *other_name = NULL;
  PhotoHost *host = photo_host_new ();

  g_assert_nonnull (ks_client_get_token (ks_session_get_client (session)));

  /* A photo on another origin (same address, another port): it arrives, without the token. */
  elsewhere = g_strconcat (host->url, "/oxford/lamp.png", NULL);
  bytes = load (loader, ks_session_get_client (session), elsewhere, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), host_body, sizeof host_body - 1);
  g_assert_cmpuint (host->n_requests, ==, 1);
  g_assert_null (host->authorization);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Our server under another host name is another origin too. */
  other_name = g_strdup_printf ("http://localhost:%u/api/v1/media/x.png", server->port);
  g_assert_false (ks_photo_same_origin (other_name, ks_client_get_base_url (ks_session_get_client (session))));

  /* The same host as the client's own server does get it (the check above is
   * not vacuous: the header is seen when sent). */
  host_client = ks_client_new (host->url, &error);
  g_assert_no_error (error);
  ks_client_set_token (host_client, "a-session-token");
  bytes = load (loader, host_client, "/api/v1/media/lamp.png", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (host->n_requests, ==, 2);
  g_assert_cmpstr (host->authorization, ==, "Bearer a-session-token");

  photo_host_free (host);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 200);

  g_test_add_func ("/core/photo/own-server", test_own_server);
  g_test_add_func ("/core/photo/token-stays-home", test_token_stays_home);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

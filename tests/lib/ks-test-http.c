/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-http.c: plain HTTP to the test server, as a second client would. */
#define G_LOG_DOMAIN "ks-test"

#include <libsoup/soup.h>
#include <string.h>

#include "ks-test-http.h"
#include "ks-test-server.h"

guint
ks_test_api_status (const char  *base_url,
                    const char  *method,
                    const char  *path,
                    const char  *token,
                    const char  *body,
                    JsonObject **answer)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base_url, path, NULL);

  msg = soup_message_new (method, url);
  if (token)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  if (answer)
    {
      *answer = NULL;
      if (g_bytes_get_size (bytes) > 0
          && json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        *answer = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return soup_message_get_status (msg);
}

JsonObject *
ks_test_api (const char *base_url,
             const char *method,
             const char *path,
             const char *token,
             const char *body)
{
  JsonObject *answer = NULL;
  guint status = ks_test_api_status (base_url, method, path, token, body, &answer);

  if (status >= 300)
    g_test_message ("%s %s: %u", method, path, status);
  g_assert_cmpuint (status, <, 300);
  g_assert_nonnull (answer);
  return answer;
}

char *
ks_test_api_login (const char *base_url,
                   const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, KS_TEST_PASSWORD);
  g_autoptr(JsonObject) answer = ks_test_api (base_url, "POST", "/api/v1/auth/login", NULL, body);

  return g_strdup (json_object_get_string_member (answer, "token"));
}

struct _KsTestLogin {
  SoupSession  *soup;
  SoupMessage  *msg;
  GAsyncResult *result;
  gboolean      written;
};

static void
on_login_written (SoupMessage *msg,
                  gpointer     user_data)
{
  KsTestLogin *login = user_data;

  login->written = TRUE;
}

static gboolean
login_written (gpointer data)
{
  KsTestLogin *login = data;

  return login->written || login->result != NULL;
}

KsTestLogin *
ks_test_api_login_begin (const char *base_url,
                         const char *email)
{
  KsTestLogin *login = g_new0 (KsTestLogin, 1);
  g_autofree char *url = g_strconcat (base_url, "/api/v1/auth/login", NULL);
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, KS_TEST_PASSWORD);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  login->soup = soup_session_new ();
  login->msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (login->msg, "application/json", bytes);
  g_signal_connect (login->msg, "wrote-body", G_CALLBACK (on_login_written), login);
  soup_session_send_and_read_async (login->soup, login->msg, G_PRIORITY_DEFAULT, NULL,
                                    ks_test_store_result, &login->result);
  g_assert_true (ks_test_wait_for (login_written, login, 60));
  return login;
}

guint
ks_test_api_login_end (KsTestLogin *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  ks_test_wait (&login->result);
  bytes = soup_session_send_and_read_finish (login->soup, login->result, &error);
  g_assert_no_error (error);
  status = soup_message_get_status (login->msg);
  g_clear_object (&login->result);
  g_object_unref (login->msg);
  g_object_unref (login->soup);
  g_free (login);
  return status;
}

char *
ks_test_api_login_admitted (const char *base_url,
                            const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, KS_TEST_PASSWORD);
  gint64 deadline = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;
  guint admitted = 0;
  char *token = NULL;

  /* Twice: the first may move the hash to the server's cost after answering. */
  while (admitted < 2)
    {
      g_autoptr(JsonObject) answer = NULL;
      guint status = ks_test_api_status (base_url, "POST", "/api/v1/auth/login", NULL, body, &answer);

      if (status == 503)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          ks_test_iterate (500);
          continue;
        }
      g_assert_cmpuint (status, ==, 200);
      admitted++;
      g_free (token);
      token = g_strdup (json_object_get_string_member (answer, "token"));
    }
  return token;
}

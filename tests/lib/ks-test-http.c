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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-session.c: signing a new KsSession in on the test server with the
 * demo password, asserting that it worked. */
#include "ks-test-session.h"
#include "ks-test-wait.h"

KsSession *
ks_test_sign_in (KsTestServer *server,
                 const char   *email)
{
  KsSession *session = ks_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ks_session_sign_in_async (session, server->url, email, KS_TEST_PASSWORD, NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_sign_in_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_true (ks_session_is_signed_in (session));
  return session;
}

void
ks_test_sign_out (KsSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ks_session_sign_out_async (session, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_sign_out_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_false (ks_session_is_signed_in (session));
}

void
ks_test_refresh_lists (KsSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ks_session_refresh_lists_async (session, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  ks_session_refresh_lists_finish (session, result, &error);
  g_assert_no_error (error);
}

void
ks_test_sync (KsSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ks_sync_engine_sync_async (ks_session_get_sync (session), NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  ks_sync_engine_sync_finish (ks_session_get_sync (session), result, &error);
  g_assert_no_error (error);
}

gint64
ks_test_category_without_required_questions (KsSession *session)
{
  JsonArray *categories = ks_session_get_categories (session);

  for (guint i = 0; categories != NULL && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      JsonNode *extra = c ? json_object_get_member (c, "extra") : NULL;
      gboolean required = FALSE;

      if (c == NULL || !json_object_get_boolean_member_with_default (c, "active", TRUE))
        continue;
      if (extra != NULL && JSON_NODE_HOLDS_ARRAY (extra))
        {
          JsonArray *questions = json_node_get_array (extra);
          for (guint j = 0; j < json_array_get_length (questions); j++)
            {
              JsonObject *q = json_array_get_object_element (questions, j);
              if (q != NULL && json_object_get_boolean_member_with_default (q, "required", FALSE))
                required = TRUE;
            }
        }
      if (!required)
        return json_object_get_int_member_with_default (c, "id", 0);
    }
  g_assert_not_reached ();
}

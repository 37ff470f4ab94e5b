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

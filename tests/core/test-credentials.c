/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-credentials.c: the session token in a real Secret Service, silent
 * sign-in, and the error when there is no Secret Service at all. */
#define G_LOG_DOMAIN "test-credentials"

#include "ks-credentials.h"
#include "ks-session.h"
#include "ks-error.h"
#include "ks-test-server.h"

#include <string.h>

#define INSPECTOR "inspector@demo.invalid"

static KsTestServer *server;

static char *
lookup (const char *url, const char *email, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ks_credentials_lookup_async (url, email, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  return ks_credentials_lookup_finish (result, error);
}

/* These cases need a Secret Service on a D-Bus session (run-with-keyring.sh):
 * without one they skip, saying so. */
static gboolean
have_keyring (void)
{
  return g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL;
}

static gboolean
skip_without_keyring (void)
{
  if (have_keyring ())
    return FALSE;
  g_test_skip ("No D-Bus session with a keyring: run this test with run-with-keyring.sh "
               "(dbus-run-session and gnome-keyring-daemon: tools/install-deps).");
  return TRUE;
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (skip_without_keyring ())
    return;

  ks_credentials_store_async ("https://kerbside.example", "Someone@Example.invalid", "tok-123", NULL,
                              ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_credentials_store_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  token = lookup ("https://kerbside.example", "someone@example.invalid", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-123");
  g_clear_pointer (&token, g_free);

  /* Another server: nothing, and no error. */
  token = lookup ("https://other.example", "someone@example.invalid", &error);
  g_assert_no_error (error);
  g_assert_null (token);

  ks_credentials_clear_async ("https://kerbside.example", "someone@example.invalid", NULL,
                              ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_credentials_clear_finish (result, &error));
  g_assert_no_error (error);
  token = lookup ("https://kerbside.example", "someone@example.invalid", &error);
  g_assert_no_error (error);
  g_assert_null (token);
}

static void
test_silent_sign_in (void)
{
  g_autoptr(KsSession) first = ks_session_new ();
  g_autoptr(KsSession) second = ks_session_new ();
  g_autoptr(KsSession) third = ks_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (skip_without_keyring ())
    return;

  ks_session_sign_in_async (first, server->url, INSPECTOR, KS_TEST_PASSWORD, NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_sign_in_finish (first, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The token is in the keyring, and nowhere on disk in plain text. */
  token = lookup (server->url, INSPECTOR, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, ks_client_get_token (ks_session_get_client (first)));

  /* A new start signs in without the password. */
  ks_session_resume_async (second, server->url, INSPECTOR, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_resume_finish (second, result, &error));
  g_assert_no_error (error);
  g_assert_true (ks_session_is_signed_in (second));
  g_assert_true (ks_session_can (second, KS_PERM_SHORTLIST));
  g_clear_object (&result);

  ks_session_sign_out_async (second, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_sign_out_finish (second, result, &error));
  g_clear_object (&result);
  g_clear_pointer (&token, g_free);
  token = lookup (server->url, INSPECTOR, &error);
  g_assert_no_error (error);
  g_assert_null (token);

  /* After signing out there is no stored session: the sign-in page. */
  ks_session_resume_async (third, server->url, INSPECTOR, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_false (ks_session_resume_finish (third, result, &error));
  g_assert_no_error (error);
  g_assert_false (ks_session_is_signed_in (third));
}

static void
test_no_secret_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      /* A session bus address where nothing listens: no Secret Service. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kerbside-bus", TRUE);
      ks_credentials_store_async ("https://kerbside.example", "a@example.invalid", "tok", NULL,
                                  ks_test_store_result, &result);
      ks_test_wait (&result);
      g_assert_false (ks_credentials_store_finish (result, &error));
      g_assert_error (error, KS_ERROR, KS_ERROR_KEYRING);
      g_assert_nonnull (strstr (error->message, "keyring"));
      g_clear_error (&error);
      token = lookup ("https://kerbside.example", "a@example.invalid", &error);
      g_assert_null (token);
      g_assert_error (error, KS_ERROR, KS_ERROR_KEYRING);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The inspector signs in with the password and syncs, then the app quits: the
 * cache and the keyring entry stay. Gives how many reports the cache holds. */
static guint
sign_in_sync_and_quit (void)
{
  g_autoptr(KsSession) first = ks_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  ks_session_sign_in_async (first, server->url, INSPECTOR, KS_TEST_PASSWORD, NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_sign_in_finish (first, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  ks_sync_engine_sync_async (ks_session_get_sync (first), NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_sync_engine_sync_finish (ks_session_get_sync (first), result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  n = g_list_model_get_n_items (ks_session_get_reports (first));
  g_assert_cmpuint (n, >, 0);
  return n;
}

/* An inspector (view_offline) starts from the cache while the server is down,
 * with every report there, and goes on once it is back. */
static void
test_offline_start (void)
{
  g_autoptr(KsSession) second = ks_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  if (skip_without_keyring ())
    return;

  n = sign_in_sync_and_quit ();

  ks_test_server_stop (server);
  ks_session_resume_async (second, server->url, INSPECTOR, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  g_assert_true (ks_session_resume_finish (second, result, &error));
  g_assert_no_error (error);
  g_assert_true (ks_session_is_signed_in (second));
  g_assert_cmpuint (g_list_model_get_n_items (ks_session_get_reports (second)), ==, n);
  g_clear_object (&result);
  ks_test_server_start (server);
}

/* The cache read ahead of the resume (while a window is built): the resume
 * takes it over, with every report, whether it is still being read or done;
 * a read of another account's cache is left aside, and one nobody takes goes
 * with its session. */
static void
test_read_ahead (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upper = NULL;
  guint n;

  if (skip_without_keyring ())
    return;

  n = sign_in_sync_and_quit ();

  /* Read ahead under the address as typed (upper case, spaces), resumed at
   * once: the same cache, taken over while it is read. */
  upper = g_strdup_printf ("  %s ", INSPECTOR);
  upper[2] = g_ascii_toupper (upper[2]);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(KsSession) session = ks_session_new ();

      ks_session_read_cache_ahead (session, server->url, upper);
      if (round == 1)
        {
          /* Resumed only after a first resume of another account: the read
           * ahead is left aside, and this resume reads the cache itself. */
          ks_session_resume_async (session, server->url, "nobody@demo.invalid", NULL,
                                   ks_test_store_result, &result);
          ks_test_wait (&result);
          g_assert_false (ks_session_resume_finish (session, result, &error));
          g_assert_no_error (error);
          g_clear_object (&result);
        }
      ks_session_resume_async (session, server->url, INSPECTOR, NULL, ks_test_store_result, &result);
      ks_test_wait (&result);
      g_assert_true (ks_session_resume_finish (session, result, &error));
      g_assert_no_error (error);
      g_assert_true (ks_session_is_signed_in (session));
      g_assert_cmpuint (g_list_model_get_n_items (ks_session_get_reports (session)), ==, n);
      g_clear_object (&result);
    }

  /* A read ahead nobody resumes: dropped with its session, read or not. */
  {
    g_autoptr(KsSession) session = ks_session_new ();

    ks_session_read_cache_ahead (session, server->url, INSPECTOR);
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/credentials/no-secret-service", test_no_secret_service);
  g_test_add_func ("/credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/credentials/silent-sign-in", test_silent_sign_in);
  g_test_add_func ("/credentials/offline-start", test_offline_start);
  g_test_add_func ("/credentials/read-ahead", test_read_ahead);
  if (!g_test_subprocess () && have_keyring ())
    server = ks_test_server_new (dir, 50);
  rc = g_test_run ();
  if (server != NULL)
    ks_test_server_free (server);
  return rc;
}

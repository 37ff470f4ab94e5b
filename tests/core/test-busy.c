/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-busy.c: sign-ins the server has no time to check. The real server,
 * with a bcrypt cost at which one check takes over a second, admits a
 * sign-in only when none is ahead of it and answers the others at once with
 * 503 busy and Retry-After; the app waits that long (saying so with
 * "waiting"), sends the sign-in again and is signed in once admitted; a
 * cancel ends the wait at once. */
#define G_LOG_DOMAIN "test-busy"

#include "ks-session.h"
#include "ks-error.h"
#include "ks-test-http.h"
#include "ks-test-server.h"

#define INSPECTOR "inspector@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define ADMIN "admin@demo.invalid"

/* About 2 s a check here (0.3 s at the production cost of 12). */
#define SLOW_BCRYPT_COST 15

static KsTestServer *server;

typedef struct {
  guint         times;
  guint         seconds;
  char         *code;
  char         *path;
  GCancellable *cancel;   /* cancelled at the first wait, when set */
  gint64        cancelled_at;
} Waits;

static void
on_waiting (KsSession  *session,
            const char *path,
            guint       seconds,
            const char *code,
            Waits      *waits)
{
  g_test_message ("waiting %u s on %s (%s)", seconds, path, code);
  waits->times++;
  waits->seconds = seconds;
  g_free (waits->code);
  waits->code = g_strdup (code);
  g_free (waits->path);
  waits->path = g_strdup (path);
  if (waits->cancel != NULL && waits->cancelled_at == 0)
    {
      waits->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (waits->cancel);
    }
}

static void
waits_clear (Waits *waits)
{
  g_free (waits->code);
  g_free (waits->path);
}

/* Another person's sign-in is being checked when this one is sent: returns
 * that sign-in under way. Run the main loop until it is written. The server
 * may still be finishing an earlier check for a moment after answering it, so
 * that sign-in can itself be turned away: the callers try again then. */
static KsTestLogin *
sign_in_ahead (void)
{
  g_free (ks_test_api_login_admitted (server->url, CUSTOMER_SERVICES));
  return ks_test_api_login_begin (server->url, CUSTOMER_SERVICES);
}

static void
test_busy_then_admitted (void)
{
  Waits waits = { 0 };
  gint64 start = 0;

  for (guint attempt = 0; waits.times == 0; attempt++)
    {
      g_autoptr(KsSession) session = ks_session_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      KsTestLogin *ahead;
      guint ahead_status;

      g_assert_cmpuint (attempt, <, 3);
      g_signal_connect (session, "waiting", G_CALLBACK (on_waiting), &waits);
      /* Once the server has timed its checks (at start, and these sign-ins),
       * another person's sign-in is being checked: this one is turned away... */
      ahead = sign_in_ahead ();
      start = g_get_monotonic_time ();
      ks_session_sign_in_async (session, server->url, INSPECTOR, KS_TEST_PASSWORD, NULL,
                                ks_test_store_result, &result);
      ks_test_wait (&result);

      /* ...waits as long as the server said, and is let in on a later try. */
      g_assert_true (ks_session_sign_in_finish (session, result, &error));
      g_assert_no_error (error);
      g_assert_true (ks_session_is_signed_in (session));
      ahead_status = ks_test_api_login_end (ahead);
      g_test_message ("the sign-in ahead: %u", ahead_status);
      g_assert_true (ahead_status == 200 || ahead_status == 503);
    }
  g_assert_cmpstr (waits.code, ==, "busy");
  g_assert_cmpstr (waits.path, ==, "/api/v1/auth/login");
  g_assert_cmpuint (waits.seconds, >=, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (gint64) waits.seconds * G_USEC_PER_SEC);
  g_test_message ("signed in after %u wait(s), %.1f s", waits.times,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  waits_clear (&waits);
}

static void
test_cancel_ends_wait (void)
{
  Waits waits = { 0 };

  for (guint attempt = 0; waits.times == 0; attempt++)
    {
      g_autoptr(KsSession) session = ks_session_new ();
      g_autoptr(GCancellable) cancel = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      KsTestLogin *ahead;
      gint64 done;

      g_assert_cmpuint (attempt, <, 3);
      waits.cancel = cancel;
      waits.cancelled_at = 0;
      g_signal_connect (session, "waiting", G_CALLBACK (on_waiting), &waits);
      ahead = sign_in_ahead ();
      ks_session_sign_in_async (session, server->url, ADMIN, KS_TEST_PASSWORD, cancel,
                                ks_test_store_result, &result);
      ks_test_wait (&result);
      done = g_get_monotonic_time ();
      ks_test_api_login_end (ahead);
      if (waits.times == 0)
        continue;   /* let in at once: the one ahead was turned away */
      g_assert_false (ks_session_sign_in_finish (session, result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (waits.times, ==, 1);
      g_assert_cmpstr (waits.code, ==, "busy");
      /* At once, not after the seconds the server named. */
      g_assert_cmpint (done - waits.cancelled_at, <, G_USEC_PER_SEC);
      g_assert_false (ks_session_is_signed_in (session));
    }
  waits_clear (&waits);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  dir = ks_test_init_env ();
  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 20);
  ks_test_server_stop (server);
  server->bcrypt_cost = SLOW_BCRYPT_COST;
  ks_test_server_start (server);
  g_test_add_func ("/core/busy/then-admitted", test_busy_then_admitted);
  g_test_add_func ("/core/busy/cancel-ends-wait", test_cancel_ends_wait);
  status = g_test_run ();
  ks_test_server_free (server);
  return status;
}

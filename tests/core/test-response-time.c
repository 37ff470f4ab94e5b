/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-response-time.c: the report detail's sentence about its target response
 * time, for fixed times in a fixed time zone: ahead, overdue (open or not),
 * responded in time and late, and no target. */
#include <glib.h>
#include <stdlib.h>

#include "ks-response-time.h"

#define HOUR 3600
/* Tuesday 1 December 2026, 12:30 UTC. */
#define CREATED 1796128200

static void
check (const char *expected,
       char       *got)
{
  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

static void
test_sentences (void)
{
  /* A 2-hour target: respond by 14:30 the same Tuesday. */
  check ("Respond by 14:30 Tue", ks_response_time_text (CREATED, 2, 0, TRUE, CREATED + HOUR));
  /* A week ahead: the date instead of the day. */
  check ("Respond by 12:30 15 Dec", ks_response_time_text (CREATED, 14 * 24, 0, TRUE, CREATED));
  /* Past it, open, no response. */
  check ("Overdue by 3 h", ks_response_time_text (CREATED, 2, 0, TRUE, CREATED + 5 * HOUR + 59));
  check ("Overdue by 25 min", ks_response_time_text (CREATED, 2, 0, TRUE, CREATED + 2 * HOUR + 25 * 60));
  check ("Overdue by 3 days", ks_response_time_text (CREATED, 2, 0, TRUE, CREATED + 74 * HOUR));
  /* Closed without a staff response: nothing to say. */
  g_assert_null (ks_response_time_text (CREATED, 2, 0, FALSE, CREATED + 5 * HOUR));
  /* Responded: in time (the target itself counts), late. */
  check ("Responded in 2 h (met)", ks_response_time_text (CREATED, 2, CREATED + 2 * HOUR, TRUE, CREATED + 9 * HOUR));
  check ("Responded in 3 h (late)", ks_response_time_text (CREATED, 2, CREATED + 3 * HOUR, FALSE, CREATED + 9 * HOUR));
  check ("Responded in 1 min (met)", ks_response_time_text (CREATED, 2, CREATED + 20, TRUE, CREATED + 30));
  /* No target. */
  g_assert_null (ks_response_time_text (CREATED, -1, 0, TRUE, CREATED + 9 * HOUR));
}

int
main (int   argc,
      char *argv[])
{
  /* The sentences give local times: UTC here. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/response-time/sentences", test_sentences);
  return g_test_run ();
}

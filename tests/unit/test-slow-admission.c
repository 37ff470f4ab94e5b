/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-slow-admission.c: which sign-ins the bcrypt thread takes on
 * (http/ks-slow-admission.c), driven with made-up times: no clock is read. */
#include <glib.h>

#include "http/ks-slow-admission.h"

#define MS 1000
#define BUDGET (1500 * MS)
#define PROBE (5000 * MS)
#define CALM (10000 * MS)

/* One check from begin to end on the made-up clocks: wall and CPU in ms. */
static void
run_check (KsSlowAdmission *a,
           gint64          *now,
           gint64          *cpu,
           gint64           wall_ms,
           gint64           cpu_ms)
{
  ks_slow_admission_begin (a, *now, *cpu);
  *now += wall_ms * MS;
  *cpu += cpu_ms * MS;
  ks_slow_admission_end (a, *now, *cpu);
}

/* Before any check has ended nothing is known: admitted up to the queue's
 * limit, as before the estimate existed. */
static void
test_unknown (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 4, PROBE, CALM);
  guint retry = 0;
  gint64 expected = -1;

  for (guint i = 0; i < 4; i++)
    g_assert_true (ks_slow_admission_admit (a, 1000 * MS, 0, &expected, &retry, NULL));
  g_assert_cmpint (expected, ==, 0);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 4);
  g_assert_false (ks_slow_admission_admit (a, 1000 * MS, 0, &expected, &retry, NULL));
  g_assert_cmpuint (retry, >=, 1);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 4);
}

/* With a whole core (200 ms of CPU in 200 ms), seven fit in 1.5 s, each
 * expected 200 ms after the one before; the eighth is told when the seven are
 * done. */
static void
test_whole_core (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0, expected = 0;
  guint retry = 0;

  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 200, 200);
  g_assert_cmpint (ks_slow_admission_cpu_per_check (a), ==, 200 * MS);
  g_assert_cmpfloat (ks_slow_admission_share (a, now, cpu), ==, 1.0);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 0);

  for (gint64 i = 1; i <= 7; i++)
    {
      g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
      g_assert_cmpint (expected, ==, i * 200 * MS);
    }
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
  g_assert_cmpuint (retry, ==, 2);  /* 1.4 s, in whole seconds */
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 7);
}

/* The load rises while the first check runs: it has had 20 ms of CPU in
 * 400 ms. The running one's share is seen at once, so the next is refused
 * (at a whole core's estimate it would have been admitted), and told when the
 * running one should be done. */
static void
test_load_seen_mid_check (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0, expected = 0;
  guint retry = 0;
  double share;

  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 200, 200);

  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
  ks_slow_admission_begin (a, now, cpu);
  now += 400 * MS;
  cpu += 20 * MS;
  /* (1.0 x 100 ms + 20 ms) / (100 ms + 400 ms) */
  share = ks_slow_admission_share (a, now, cpu);
  g_assert_cmpfloat_with_epsilon (share, 0.24, 1e-9);
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
  /* 180 ms of CPU left at 0.24 of a core: 0.75 s */
  g_assert_cmpuint (retry, ==, 1);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 1);

  /* It ends: 200 ms of CPU in 1 s. The next one alone is expected in 1 s. */
  now += 600 * MS;
  cpu += 180 * MS;
  ks_slow_admission_end (a, now, cpu);
  g_assert_cmpfloat_with_epsilon (ks_slow_admission_share (a, now, cpu), 0.2, 1e-9);
  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
  g_assert_cmpint (expected, ==, 1000 * MS);
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
  g_assert_cmpuint (retry, ==, 1);
}

/* The share is kept to the low side: down at once, up a quarter of the way. */
static void
test_share_low_side (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0;

  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 2000, 200);  /* a tenth of a core */
  g_assert_cmpfloat_with_epsilon (ks_slow_admission_share (a, now, cpu), 0.1, 1e-9);
  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 200, 200);   /* a whole core */
  g_assert_cmpfloat_with_epsilon (ks_slow_admission_share (a, now, cpu), 0.325, 1e-9);
  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 1000, 200);  /* a fifth */
  g_assert_cmpfloat_with_epsilon (ks_slow_admission_share (a, now, cpu), 0.2, 1e-9);
}

/* A rush: one comes while the start's check is queued (admitted: nothing is
 * known yet), and both take 2 s (a tenth of a core). */
static void
start_rush (KsSlowAdmission *a,
            gint64          *now,
            gint64          *cpu,
            gint64           wall_ms,
            gint64           cpu_ms)
{
  ks_slow_admission_reserve (a);
  g_assert_true (ks_slow_admission_admit (a, *now, *cpu, NULL, NULL, NULL));
  run_check (a, now, cpu, wall_ms, cpu_ms);
  run_check (a, now, cpu, wall_ms, cpu_ms);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 0);
}

/* During a rush, when one check alone is expected to take longer than the
 * budget, none is admitted, even with none ahead; a while after the last
 * ended the thread is asked to measure its share again, and once it has,
 * sign-ins are admitted. */
static void
test_measure_when_slow (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0, expected = 0;
  guint retry = 0;
  gboolean measure = TRUE;

  start_rush (a, &now, &cpu, 2000, 200);  /* 2 s a check: a tenth of a core */

  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_false (measure);
  g_assert_cmpuint (retry, ==, 5);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 0);
  now += 5000 * MS;
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_true (measure);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 1);
  /* Only one measurement at a time; a sign-in meanwhile waits for it. */
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_false (measure);
  g_assert_cmpuint (retry, ==, 2);

  /* It got a whole core: the share moves up half the way (0.55), the CPU a
   * check takes stays 200 ms: four are admitted (364 ms each), not five. */
  ks_slow_admission_begin (a, now, cpu);
  now += 12 * MS;
  cpu += 12 * MS;
  ks_slow_admission_end_measure (a, now, cpu);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 0);
  g_assert_cmpint (ks_slow_admission_cpu_per_check (a), ==, 200 * MS);
  g_assert_cmpfloat_with_epsilon (ks_slow_admission_share (a, now, cpu), 0.55, 1e-9);
  for (gint64 i = 1; i <= 4; i++)
    {
      g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
      g_assert_cmpint (expected, ==, i * (gint64) (200 * MS / 0.55));
    }
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_false (measure);
}

/* Someone signing in alone, one after another, is always let in, however
 * slow each check; so is the first after a rush has been over for a while. */
static void
test_alone_admitted (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  g_autoptr(KsSlowAdmission) b = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0, expected = 0;
  gboolean measure = TRUE;
  guint retry = 0;

  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 3000, 200);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
      g_assert_cmpint (expected, ==, 3000 * MS);
      run_check (a, &now, &cpu, 3000, 200);
    }

  now = 10000 * MS;
  start_rush (b, &now, &cpu, 3000, 200);  /* the rush's last came at 10 s */
  now = 19999 * MS;
  /* Turned away: that is still a rush, which it prolongs. */
  g_assert_false (ks_slow_admission_admit (b, now, cpu, &expected, &retry, &measure));
  g_assert_cmpuint (ks_slow_admission_queued (b), ==, 0);
  now = 20000 * MS;
  g_assert_false (ks_slow_admission_admit (b, now, cpu, &expected, &retry, &measure));
  g_assert_cmpuint (ks_slow_admission_queued (b), ==, 0);
  now = 30000 * MS;
  g_assert_true (ks_slow_admission_admit (b, now, cpu, &expected, &retry, &measure));
  g_assert_cmpint (expected, ==, 3000 * MS);
}

/* A slow core rather than a busy one: a check takes 2 s on a whole core. With
 * none ahead one is admitted, even in a rush (nothing would be done sooner),
 * never two. */
static void
test_slow_core (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0, expected = 0;
  guint retry = 0;
  gboolean measure = TRUE;

  start_rush (a, &now, &cpu, 2000, 2000);
  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_cmpint (expected, ==, 2000 * MS);
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_false (measure);
  g_assert_cmpuint (retry, ==, 2);
}

/* A check that stops counting lets the next one in: the queue is the count of
 * those admitted and not yet ended, the running one included. */
static void
test_queue_count (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (BUDGET, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0, expected = 0;
  guint retry = 0;

  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 500, 200);   /* 0.4 of a core: 500 ms a check */

  for (gint64 i = 1; i <= 3; i++)
    {
      g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
      g_assert_cmpint (expected, ==, i * 500 * MS);
    }
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
  g_assert_cmpuint (retry, ==, 2);  /* 1.5 s */
  run_check (a, &now, &cpu, 500, 200);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 2);
  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, NULL));
  g_assert_cmpint (expected, ==, 1500 * MS);
}

/* A fresh admission capped at fraction with an allowance of burst_ms of CPU,
 * its clocks started again, after the check made at start: 200 ms of CPU in
 * wall_ms. */
static void
first_check_capped (KsSlowAdmission *a,
                    double           fraction,
                    gint64           burst_ms,
                    gint64          *now,
                    gint64          *cpu,
                    gint64           wall_ms)
{
  ks_slow_admission_set_busy_cap (a, fraction, burst_ms * MS);
  *now = 10000 * MS;
  *cpu = 0;
  ks_slow_admission_reserve (a);
  run_check (a, now, cpu, wall_ms, 200);
}

/* A busy machine (a quarter of a core) with a cap of a quarter of a core and
 * an allowance of one check (200 ms of CPU): the first is admitted, the next
 * one not before the allowance holds a check again (800 ms), even when the
 * budget (3 s here) would take two; on a whole core there is no cap; someone
 * alone after a calm spell is admitted even while the allowance is short; an
 * allowance of several checks lets that many in a row. */
static void
test_busy_cap (void)
{
  g_autoptr(KsSlowAdmission) a = ks_slow_admission_new (3000 * MS, 32, PROBE, CALM);
  g_autoptr(KsSlowAdmission) whole = ks_slow_admission_new (3000 * MS, 32, PROBE, CALM);
  g_autoptr(KsSlowAdmission) burst = ks_slow_admission_new (10000 * MS, 32, PROBE, CALM);
  gint64 now = 10000 * MS, cpu = 0, expected = 0;
  guint retry = 0;
  gboolean measure = TRUE;

  ks_slow_admission_set_busy_cap (a, 0.25, 200 * MS);
  ks_slow_admission_reserve (a);
  run_check (a, &now, &cpu, 800, 200);
  g_assert_cmpfloat_with_epsilon (ks_slow_admission_share (a, now, cpu), 0.25, 1e-9);

  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_cmpint (expected, ==, 800 * MS);
  /* Within the budget (1.6 s of 3 s), but the allowance holds 25 ms: 700 ms
   * more to wait. */
  now += 100 * MS;
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_false (measure);
  g_assert_cmpuint (retry, ==, 1);
  g_assert_cmpuint (ks_slow_admission_queued (a), ==, 1);

  /* The first is done 800 ms later: the allowance holds 225 ms, topped at 200. */
  ks_slow_admission_begin (a, now, cpu);
  now += 800 * MS;
  cpu += 200 * MS;
  ks_slow_admission_end (a, now, cpu);
  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  run_check (a, &now, &cpu, 800, 200);

  /* A hundredth of a core: the allowance, spent again, takes 20 s to fill.
   * Idle and fast enough, but told when it will have filled, and no
   * measurement is asked for (the share is known). */
  ks_slow_admission_set_busy_cap (a, 0.01, 200 * MS);
  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  run_check (a, &now, &cpu, 800, 200);
  g_assert_false (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));
  g_assert_false (measure);
  g_assert_cmpuint (retry, >=, 19);
  /* Someone alone after a calm spell: admitted though it has not filled. */
  now += CALM;
  g_assert_true (ks_slow_admission_admit (a, now, cpu, &expected, &retry, &measure));

  /* A whole core: no cap applies. */
  first_check_capped (whole, 0.25, 200, &now, &cpu, 200);
  for (guint i = 0; i < 3; i++)
    g_assert_true (ks_slow_admission_admit (whole, now, cpu, &expected, &retry, NULL));

  /* An allowance of three checks on the busy machine: three in a row, then
   * the fourth waits for it. */
  first_check_capped (burst, 0.25, 600, &now, &cpu, 800);
  for (guint i = 0; i < 3; i++)
    g_assert_true (ks_slow_admission_admit (burst, now, cpu, &expected, &retry, NULL));
  /* The budget (10 s) would take a fourth (3.2 s ahead of it). */
  g_assert_false (ks_slow_admission_admit (burst, now, cpu, &expected, &retry, NULL));
  g_assert_cmpuint (ks_slow_admission_queued (burst), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/slow-admission/unknown", test_unknown);
  g_test_add_func ("/slow-admission/whole-core", test_whole_core);
  g_test_add_func ("/slow-admission/load-seen-mid-check", test_load_seen_mid_check);
  g_test_add_func ("/slow-admission/share-low-side", test_share_low_side);
  g_test_add_func ("/slow-admission/measure-when-slow", test_measure_when_slow);
  g_test_add_func ("/slow-admission/alone-admitted", test_alone_admitted);
  g_test_add_func ("/slow-admission/slow-core", test_slow_core);
  g_test_add_func ("/slow-admission/queue-count", test_queue_count);
  g_test_add_func ("/slow-admission/busy-cap", test_busy_cap);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-slow-admission.c: which sign-ins the one bcrypt thread takes on, from the
 * CPU time a check takes and the share of a core the thread is getting now. */
#include "config.h"
#include "http/ks-slow-admission.h"

/* The share measured on the finished checks counts as this much wall time of
 * the running one: a check that has run for 100 ms weighs as much as all
 * before it, so a change of load is seen within a fraction of one check. */
#define PRIOR_WALL_US (100 * 1000)
/* A share below this is taken as this (a thread that got no CPU at all in a
 * short moment is not stopped for ever). */
#define MIN_SHARE 0.01

struct _KsSlowAdmission
{
  gint64   budget_us;
  gint64   probe_us;
  gint64   calm_us;
  guint    queue_max;

  guint    queued;         /* admitted (or reserved), not yet ended */
  gboolean measuring;      /* one of them is a measurement */
  gint64   last_rush;      /* when one came while a check was queued, or was
                            * turned away; 0 never */
  gboolean running;        /* one of them is running */
  gint64   run_wall0;      /* when it began, on the monotonic clock */
  gint64   run_cpu0;       /* the thread's CPU clock then */

  gint64   cpu_per_check;  /* average CPU time of a check; 0 until one ended */
  double   share;          /* share of a core the checks got, on the low side */
  gint64   last_end;       /* when the last one ended; 0 before any */

  double   busy_cap;       /* fraction of a core while busy; 0 none */
  gint64   burst_us;       /* CPU time the allowance holds at most */
  double   allowance;      /* CPU time (us) that may still be admitted */
  gint64   allowance_at;   /* when it was last topped up; 0 never */
};

KsSlowAdmission *
ks_slow_admission_new (gint64 budget_us,
                       guint  queue_max,
                       gint64 probe_us,
                       gint64 calm_us)
{
  KsSlowAdmission *self = g_new0 (KsSlowAdmission, 1);

  self->budget_us = budget_us;
  self->queue_max = MAX (queue_max, 1);
  self->probe_us = probe_us;
  self->calm_us = calm_us;
  self->share = 1.0;
  return self;
}

void
ks_slow_admission_free (KsSlowAdmission *self)
{
  g_free (self);
}

void
ks_slow_admission_set_busy_cap (KsSlowAdmission *self,
                                double           fraction,
                                gint64           burst_us)
{
  self->busy_cap = CLAMP (fraction, 0.0, 1.0);
  self->burst_us = MAX (burst_us, 0);
  self->allowance = (double) self->burst_us;
  self->allowance_at = 0;
}

/* Tops the allowance up by the cap's fraction of the time since. */
static void
top_up (KsSlowAdmission *self,
        gint64           now_us)
{
  if (self->allowance_at != 0 && now_us > self->allowance_at)
    self->allowance = MIN ((double) self->burst_us,
                           self->allowance + (double) (now_us - self->allowance_at) * self->busy_cap);
  self->allowance_at = now_us;
}

double
ks_slow_admission_share (KsSlowAdmission *self,
                         gint64           now_us,
                         gint64           thread_cpu_us)
{
  double share = self->share;

  if (self->running)
    {
      gint64 wall = MAX (now_us - self->run_wall0, 0);
      gint64 cpu = MAX (thread_cpu_us - self->run_cpu0, 0);

      share = (self->share * PRIOR_WALL_US + (double) cpu) / (double) (PRIOR_WALL_US + wall);
    }
  return CLAMP (share, MIN_SHARE, 1.0);
}

gint64
ks_slow_admission_cpu_per_check (KsSlowAdmission *self)
{
  return self->cpu_per_check;
}

guint
ks_slow_admission_queued (KsSlowAdmission *self)
{
  return self->queued;
}

static guint
whole_seconds (gint64 usec)
{
  return (guint) CLAMP ((usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1, 60);
}

gboolean
ks_slow_admission_admit (KsSlowAdmission *self,
                         gint64           now_us,
                         gint64           thread_cpu_us,
                         gint64          *expected_us,
                         guint           *retry_after,
                         gboolean        *measure)
{
  double share = ks_slow_admission_share (self, now_us, thread_cpu_us);
  gint64 cpu = self->cpu_per_check;
  gint64 per_check = (gint64) ((double) cpu / share);
  gint64 ahead = 0;
  guint waiting = self->queued;
  gboolean idle = self->queued == 0;
  gint64 cap_wait = 0;
  gboolean busy = FALSE;

  if (self->running)
    {
      /* The rest of the running one: what it has not used yet of the average,
       * and at least a tenth of it (it may take longer than the average). */
      gint64 used = MAX (thread_cpu_us - self->run_cpu0, 0);
      gint64 left = MAX (cpu - used, cpu / 10);

      ahead += (gint64) ((double) left / share);
      waiting--;
    }
  ahead += waiting * per_check;

  /* A busy machine: only while the allowance holds a check's CPU time. */
  if (self->busy_cap > 0)
    {
      /* A check dearer than the whole burst waits for a full allowance. */
      double need = (double) MIN (cpu, self->burst_us);

      top_up (self, now_us);
      busy = share < 0.5 && cpu > 0;
      if (busy && self->allowance < need)
        cap_wait = (gint64) ((need - self->allowance) / self->busy_cap) + 1;
    }

  if (measure != NULL)
    *measure = FALSE;
  if (self->queued > (self->measuring ? 1u : 0u))
    self->last_rush = now_us;
  if (self->queued < self->queue_max &&
      ((cap_wait == 0 &&
        (ahead + per_check <= self->budget_us ||
         /* None ahead and at least half a core: as soon as it can be done
          * here (a slow core, not a busy one). */
         (idle && per_check <= 2 * cpu))) ||
       /* None ahead, and none has had to wait for a while: someone signing in
        * alone is let in, however slow the machine. */
       (idle && (self->last_rush == 0 || now_us - self->last_rush >= self->calm_us))))
    {
      self->queued++;
      if (busy)
        self->allowance = MAX (self->allowance - (double) cpu, 0.0);
      if (expected_us != NULL)
        *expected_us = ahead + per_check;
      return TRUE;
    }
  /* Turned away: a rush, even when none is running. */
  self->last_rush = now_us;
  if (idle && cap_wait > 0 && per_check <= self->budget_us)
    {
      /* Fast enough, but the allowance does not hold a check yet. */
      if (retry_after != NULL)
        *retry_after = whole_seconds (cap_wait);
    }
  else if (idle)
    {
      /* Too slow even alone, at the share last seen: the load that made it
       * slow may have gone, which only running something can tell. A short
       * measurement rather than someone's sign-in, at most every probe_us. */
      if (measure != NULL && (self->last_end == 0 || now_us - self->last_end >= self->probe_us))
        {
          self->queued++;
          self->measuring = TRUE;
          *measure = TRUE;
        }
      if (retry_after != NULL)
        *retry_after = whole_seconds (self->probe_us);
    }
  else if (retry_after != NULL)
    *retry_after = whole_seconds (MAX (ahead, cap_wait));
  return FALSE;
}

void
ks_slow_admission_reserve (KsSlowAdmission *self)
{
  self->queued++;
}

void
ks_slow_admission_begin (KsSlowAdmission *self,
                         gint64           now_us,
                         gint64           thread_cpu_us)
{
  g_return_if_fail (self->queued > 0 && !self->running);

  self->running = TRUE;
  self->run_wall0 = now_us;
  self->run_cpu0 = thread_cpu_us;
}

static void
end_one (KsSlowAdmission *self,
         gint64           now_us,
         gint64           thread_cpu_us,
         gboolean         check)
{
  gint64 wall, cpu;
  double sample;

  g_return_if_fail (self->running);

  wall = MAX (now_us - self->run_wall0, 1);
  cpu = CLAMP (thread_cpu_us - self->run_cpu0, 0, wall);
  /* Weighted towards the latest: a busier machine is seen within a check or two. */
  if (check)
    self->cpu_per_check = self->cpu_per_check == 0 ? cpu : (self->cpu_per_check * 3 + cpu) / 4;
  /* The share a check gets moves a lot from one to the next on a loaded machine
   * (a tenth to a half of a core, and back): keep to the low side of it, down
   * at once to a lower one, up a quarter of the way to a higher one (half the
   * way after a measurement, which is made only while none is admitted). */
  sample = (double) cpu / (double) wall;
  if (sample < self->share)
    self->share = sample;
  else
    self->share = check ? (self->share * 3 + sample) / 4 : (self->share + sample) / 2;
  self->share = CLAMP (self->share, MIN_SHARE, 1.0);
  self->running = FALSE;
  self->queued--;
  if (!check)
    self->measuring = FALSE;
  self->last_end = now_us;
}

void
ks_slow_admission_end (KsSlowAdmission *self,
                       gint64           now_us,
                       gint64           thread_cpu_us)
{
  end_one (self, now_us, thread_cpu_us, TRUE);
}

void
ks_slow_admission_end_measure (KsSlowAdmission *self,
                               gint64           now_us,
                               gint64           thread_cpu_us)
{
  end_one (self, now_us, thread_cpu_us, FALSE);
}

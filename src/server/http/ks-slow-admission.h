/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-slow-admission.h: which sign-ins the one bcrypt thread takes on.
 *
 * A sign-in is admitted only while it is expected to be done within a budget:
 * the ones ahead of it and itself, each at the CPU time a check takes (which
 * hardly moves with load) divided by the share of a core the thread is getting
 * now (which moves a lot: a low-priority thread beside the list load may get a
 * fifth of a core or less). That share is measured on the checks as they run,
 * the one running included, so a load that starts mid-check is seen at once
 * rather than after the checks already admitted have run late.
 *
 * Pure bookkeeping: every call is given the time and the thread's CPU clock, so
 * that tests can drive it without a clock. Not thread-safe: the caller locks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KsSlowAdmission KsSlowAdmission;

/* budget_us: an admitted one is expected done within this; queue_max: never
 * more than this admitted at once; probe_us: when even one alone is expected to
 * take too long, the thread is asked to measure its share again at most this
 * often (so that the estimate learns that the load has gone); calm_us: one that
 * comes with none ahead, when none has come while another was queued nor been
 * turned away for this long, is admitted however slow the estimate (a person
 * signing in alone). */
KsSlowAdmission *ks_slow_admission_new     (gint64 budget_us,
                                            guint  queue_max,
                                            gint64 probe_us,
                                            gint64 calm_us);
void             ks_slow_admission_free    (KsSlowAdmission *self);
/* While the thread gets less than half a core (the machine is busy with other
 * work), the checks admitted use at most this fraction of a core over time: an
 * allowance of CPU time, topped up at fraction of a core and holding at most
 * burst_us, pays for each one admitted while busy (at the CPU time a check
 * takes), and none is admitted while it holds less than that. So a few in a
 * row are let in, then one as often as the fraction allows; what bcrypt takes
 * from the rest of the server is bounded, whatever its priority. 0 (the
 * default): no such limit. Someone signing in alone (calm_us) is admitted all
 * the same, and the allowance starts full. */
void             ks_slow_admission_set_busy_cap (KsSlowAdmission *self,
                                                 double           fraction,
                                                 gint64           burst_us);

/* Whether one more can be taken on at now_us (monotonic), the thread's CPU clock
 * reading thread_cpu_us. When it can, it is counted as queued and *expected_us
 * is when it should be done (from now); when not, *retry_after is the whole
 * seconds (1 to 60) until the ones ahead should be done. With none ahead, one
 * is admitted when it can be done within the budget, when none has come while
 * another was queued nor been turned away for calm_us (no rush: someone
 * alone), or when the thread
 * gets at least half a core (a slow core rather than a busy one: nothing would
 * be done sooner). When none is admitted because even one alone would be too
 * slow, *measure may be set: the caller then runs a short measurement on the
 * thread (counted as queued; ended with ks_slow_admission_end_measure). */
gboolean         ks_slow_admission_admit   (KsSlowAdmission *self,
                                            gint64           now_us,
                                            gint64           thread_cpu_us,
                                            gint64          *expected_us,
                                            guint           *retry_after,
                                            gboolean        *measure);
/* Counts one as queued without asking (the check made at start to learn how
 * long one takes). */
void             ks_slow_admission_reserve (KsSlowAdmission *self);
/* The thread begins one of the queued ones, and ends it. */
void             ks_slow_admission_begin   (KsSlowAdmission *self,
                                            gint64           now_us,
                                            gint64           thread_cpu_us);
void             ks_slow_admission_end     (KsSlowAdmission *self,
                                            gint64           now_us,
                                            gint64           thread_cpu_us);
/* Ends a measurement: only the share it got is learnt from it. */
void             ks_slow_admission_end_measure (KsSlowAdmission *self,
                                                gint64           now_us,
                                                gint64           thread_cpu_us);

/* What it currently expects: CPU time a check takes, the share of a core the
 * thread gets (0-1), and how many are queued or running. */
gint64           ks_slow_admission_cpu_per_check (KsSlowAdmission *self);
double           ks_slow_admission_share         (KsSlowAdmission *self,
                                                  gint64           now_us,
                                                  gint64           thread_cpu_us);
guint            ks_slow_admission_queued        (KsSlowAdmission *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsSlowAdmission, ks_slow_admission_free)

G_END_DECLS

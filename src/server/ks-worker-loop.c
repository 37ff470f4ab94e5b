/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-worker-loop.c: a background thread of rounds (see ks-worker-loop.h). */
#include "ks-worker-loop.h"

struct _KsWorkerLoop
{
  KsWorkerLoopSpec spec;
  gpointer         data;
  GThread         *thread;
  GMutex           lock;
  GCond            cond;
  gboolean         stop;
};

static gpointer
worker_thread (gpointer user_data)
{
  KsWorkerLoop *loop = user_data;

  if (loop->spec.setup != NULL)
    loop->spec.setup (loop->data);
  g_mutex_lock (&loop->lock);
  while (!loop->stop)
    {
      gint64 until;

      g_mutex_unlock (&loop->lock);
      loop->spec.round (loop, loop->data);
      g_mutex_lock (&loop->lock);
      until = g_get_monotonic_time () + (gint64) loop->spec.every_seconds * G_TIME_SPAN_SECOND;
      while (!loop->stop && g_cond_wait_until (&loop->cond, &loop->lock, until))
        ;
    }
  g_mutex_unlock (&loop->lock);
  if (loop->spec.teardown != NULL)
    loop->spec.teardown (loop->data);
  return NULL;
}

KsWorkerLoop *
ks_worker_loop_start (const KsWorkerLoopSpec *spec, gpointer data)
{
  KsWorkerLoop *loop = g_new0 (KsWorkerLoop, 1);

  loop->spec = *spec;
  loop->data = data;
  g_mutex_init (&loop->lock);
  g_cond_init (&loop->cond);
  loop->thread = g_thread_new (spec->name, worker_thread, loop);
  return loop;
}

gboolean
ks_worker_loop_stopping (KsWorkerLoop *loop)
{
  gboolean stop;

  g_mutex_lock (&loop->lock);
  stop = loop->stop;
  g_mutex_unlock (&loop->lock);
  return stop;
}

void
ks_worker_loop_stop (KsWorkerLoop *loop)
{
  if (loop == NULL)
    return;
  g_mutex_lock (&loop->lock);
  loop->stop = TRUE;
  g_cond_signal (&loop->cond);
  g_mutex_unlock (&loop->lock);
  g_thread_join (loop->thread);
  g_mutex_clear (&loop->lock);
  g_cond_clear (&loop->cond);
  g_free (loop);
}

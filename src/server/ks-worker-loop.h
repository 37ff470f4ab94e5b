/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-worker-loop.h: a background thread that runs a round of work, waits a
 * number of seconds (or until it is stopped) and runs the next: the shape the
 * server's workers share (mail/ks-notices.h, mail/ks-mail-relay.h,
 * sendon/ks-send-on.h). Stopping wakes the wait and joins the thread after the
 * round in progress. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KsWorkerLoop KsWorkerLoop;

/* Called on the worker's thread with the data given to ks_worker_loop_start. */
typedef void (*KsWorkerFunc)  (gpointer data);
/* One round, told its loop (to ask ks_worker_loop_stopping). */
typedef void (*KsWorkerRound) (KsWorkerLoop *loop, gpointer data);

typedef struct {
  const char   *name;           /* the thread's name */
  guint         every_seconds;  /* the wait between the end of a round and the next */
  KsWorkerFunc  setup;          /* nullable: once, before the first round */
  KsWorkerRound round;          /* one round of work */
  KsWorkerFunc  teardown;       /* nullable: once, after the last round */
} KsWorkerLoopSpec;

/* Starts the thread; spec is copied (its name must outlive the loop). */
KsWorkerLoop *ks_worker_loop_start    (const KsWorkerLoopSpec *spec, gpointer data);
/* TRUE once ks_worker_loop_stop was called: a long round may end early. */
gboolean      ks_worker_loop_stopping (KsWorkerLoop *loop);
/* Stops the thread after the round in progress and frees the loop (NULL: nothing). */
void          ks_worker_loop_stop     (KsWorkerLoop *loop);

G_END_DECLS

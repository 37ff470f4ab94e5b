/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on.h: the send-on worker: sends reports on to their category's
 * destination (the sendings the store holds, store/ks-store-sendings.h), and reads
 * back what Open311 contractors did with them.
 *
 * Each round takes the due sendings inside a write (on PostgreSQL, rows another
 * instance holds are skipped). An email is written to the outbox in that same
 * write, under a name of its own, so a round that dies before it commits finds its
 * file and does not write it again. An Open311 request is claimed in the write
 * (status sending until a deadline), POSTed after it commits, and its answer
 * recorded in a second write; a claim found past its deadline lost its answer,
 * and is POSTed again only to a service that honours Idempotency-Key (idempotent
 * = true in its group), else it is marked failed, saying why, rather than risk a
 * double. Failures that may pass are retried after a wait that doubles each time.
 * Every updates-seconds, each contractor's servicerequestupdates are read and
 * every new one is applied to its report as an update (and a state change). */
#pragma once

#include <glib.h>
#include "http/ks-server-config.h"
#include "sendon/ks-send-on-config.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

typedef struct _KsSendOn KsSendOn;

/* Starts the worker thread (every send_on->poll_seconds); takes send_on. */
KsSendOn *ks_send_on_start (const KsServerConfig *config, KsSendOnConfig *send_on,
                            KsStore *store);
/* Stops it after the round in progress. */
void      ks_send_on_stop  (KsSendOn *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-sendings.h: a report's sendings (where it was sent on) in its detail. */
#pragma once

#include "ks-json-writer.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* Writes the member "sendings" into the open object: an array of {id, destination,
 * status, attempts, last_error, next_attempt, remote_id, created, updated, sent}. */
gboolean ks_wire_sendings_write (KsStore *store, gint64 report_id, KsJsonWriter *w,
                                 GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-outbox.h: every write the app makes, queued in the cache first and sent in
 * order, each with its own idempotency key and the report version it was based on.
 *
 * Network failures: the entry waits and is retried when the server can be
 * reached again. 409: the entry is kept as a conflict (with the server's current
 * report) and "conflict" is emitted; it is never dropped silently. When a write on
 * a report succeeds, later queued writes on that report are rebased to the new
 * version. Writes are applied optimistically to the cached report at once. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "ks-client.h"
#include "ks-cache.h"
#include "ks-outbox-entry.h"
#include "ks-report-store.h"

G_BEGIN_DECLS

#define KS_TYPE_OUTBOX (ks_outbox_get_type ())
G_DECLARE_FINAL_TYPE (KsOutbox, ks_outbox, KS, OUTBOX, GObject)

KsOutbox  *ks_outbox_new             (KsClient      *client,
                                      KsCache       *cache,
                                      KsReportStore *store);

/* Queues a write and starts sending. body: the JSON object to send (not consumed;
 * "version" is added when sent if base_version > 0). The callback runs when the
 * server has answered (success, conflict or rejection), or at once with
 * out_queued = TRUE when the server cannot be reached (the write stays queued). */
void       ks_outbox_enqueue_async   (KsOutbox            *self,
                                      const char          *action,
                                      gint64               report_id,
                                      const char          *method,
                                      const char          *path,
                                      JsonObject          *body,
                                      gint64               base_version,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
/* Returns the server's answer (transfer full, a null node for 204) when sent;
 * NULL with out_queued TRUE when it waits for the network; NULL with error
 * (KS_ERROR_CONFLICT, KS_ERROR_FORBIDDEN, ...) when refused. */
JsonNode  *ks_outbox_enqueue_finish  (KsOutbox      *self,
                                      GAsyncResult  *result,
                                      gboolean      *out_queued,
                                      GError       **error);

/* The local id of the entry the call that gave result queued (0 when it was
 * not queued). */
gint64     ks_outbox_enqueue_get_entry_id (GAsyncResult *result);
/* A "create" entry's report shows in the model, until the server has it, as a
 * placeholder with this id (below zero); when it is sent, the placeholder takes
 * the server's id in place (ks_report_store_rekey()). */
#define KS_OUTBOX_PLACEHOLDER_ID(entry_id) (-(gint64) (entry_id))

/* Tries to send what is pending now (e.g. when the network came back). */
void       ks_outbox_flush           (KsOutbox *self);
/* Stops sending (sign-out); pending entries stay in the cache. */
void       ks_outbox_stop            (KsOutbox *self);
guint      ks_outbox_get_n_pending   (KsOutbox *self);
/* All entries (pending, conflicts, rejected): a GPtrArray of KsOutboxEntry copies. */
GPtrArray *ks_outbox_list            (KsOutbox *self);
/* Conflict/rejection resolution: drop the entry (the server's version stands)... */
gboolean   ks_outbox_discard         (KsOutbox *self, gint64 entry_id, GError **error);
/* ...or send it again based on the server's current version ("keep mine"). */
gboolean   ks_outbox_retry           (KsOutbox *self, gint64 entry_id, GError **error);
/* Seconds between retries while the server cannot be reached (default 10). */
void       ks_outbox_set_retry_interval (KsOutbox *self, guint seconds);

/* Properties: "n-pending" (guint), "online" (gboolean: the server can be reached;
 *   follows the client's "reachable", and sending resumes as soon as it is TRUE).
 * Signals:
 * "sent" (KsOutboxEntry *entry): delivered.
 * "conflict" (KsOutboxEntry *entry): 409, kept with entry->current.
 * "rejected" (KsOutboxEntry *entry): refused for another reason, kept.
 * "changed": the list of entries changed. */

G_END_DECLS

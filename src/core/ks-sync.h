/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sync.h: keeps the cache and the report model up to date with the server
 * (GET /api/v1/sync?since=SEQ, paged). */
#pragma once

#include <gio/gio.h>
#include "ks-client.h"
#include "ks-cache.h"
#include "ks-report-store.h"

G_BEGIN_DECLS

#define KS_TYPE_SYNC_ENGINE (ks_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (KsSyncEngine, ks_sync_engine, KS, SYNC_ENGINE, GObject)

/* offline: ask for the personal data too (users with view_offline). */
KsSyncEngine *ks_sync_engine_new        (KsClient      *client,
                                         KsCache       *cache,
                                         KsReportStore *store,
                                         gboolean       offline);

/* Syncs from the stored position (0: everything). Concurrent calls share one run. */
void      ks_sync_engine_sync_async     (KsSyncEngine        *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  ks_sync_engine_sync_finish    (KsSyncEngine  *self,
                                         GAsyncResult  *result,
                                         GError       **error);

/* Reports per page (0: the defaults: 2,000 then 20,000 for a first sync, 5,000 after). */
void      ks_sync_engine_set_page_size  (KsSyncEngine *self, guint reports);

/* Syncs every `seconds` (0: off). */
void      ks_sync_engine_set_interval   (KsSyncEngine *self, guint seconds);
guint     ks_sync_engine_get_interval   (KsSyncEngine *self);
gboolean  ks_sync_engine_get_syncing    (KsSyncEngine *self);
gint64    ks_sync_engine_get_seq        (KsSyncEngine *self);
/* Unix seconds of the last successful sync (0: never). */
gint64    ks_sync_engine_get_last_sync  (KsSyncEngine *self);
void      ks_sync_engine_stop           (KsSyncEngine *self);

/* Properties: "syncing" (gboolean), "seq" (gint64), "last-sync" (gint64),
 *   "interval" (guint).
 * Signals:
 * "progress" (guint64 done, guint64 total): after each page; total is done plus
 *   what the server said remained at the start of the run (0 when unknown; it
 *   never falls below done).
 * "finished" (GError *error): after each run, error NULL on success. */

G_END_DECLS

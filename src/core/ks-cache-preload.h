/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-cache-preload.h: an account's cache opened and its reports read on a
 * worker thread, so that a start reads the keyring and draws its window
 * meanwhile instead of one after the other. */
#pragma once

#include <gio/gio.h>
#include "ks-cache.h"
#include "ks-report-store.h"

G_BEGIN_DECLS

typedef struct {
  KsCache   *cache;     /* the cache, opened (hand it to the main thread's user) */
  char      *me;        /* its cached /me, or NULL */
  KsReportStore *reports;  /* as ks_cache_load_reports() reads them, indexed here
                            * (ks_report_store_take_from() hands them over) */
} KsCachePreload;

void            ks_cache_preload_async  (const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* NULL with error when the cache could not be opened or read. */
KsCachePreload *ks_cache_preload_finish (GAsyncResult  *result,
                                         GError       **error);
void            ks_cache_preload_free   (KsCachePreload *preload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsCachePreload, ks_cache_preload_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-store.h: the whole set of cached reports as a GListModel of KsReport.
 *
 * Order: as loaded from the cache, new reports appended. Changes happen in place:
 * a report that changed is updated (notify on its properties) and announced
 * with items-changed (pos, 1, 1); removed reports with items-changed (pos, 1, 0). */
#pragma once

#include <gio/gio.h>
#include "ks-report.h"

G_BEGIN_DECLS

#define KS_TYPE_REPORT_STORE (ks_report_store_get_type ())
G_DECLARE_FINAL_TYPE (KsReportStore, ks_report_store, KS, REPORT_STORE, GObject)

KsReportStore *ks_report_store_new        (void);
/* The report with this id, or NULL (transfer none). */
KsReport      *ks_report_store_lookup     (KsReportStore *self, gint64 id);
/* The position of the report with this id, or G_MAXUINT. */
guint          ks_report_store_find       (KsReportStore *self, gint64 id);
/* The reports, lent (no ref each): valid until the store's next
 * items-changed. For a pass over every one that asks for their memory
 * ahead (the filter's sort). */
KsReport * const *ks_report_store_peek_items (KsReportStore *self, guint *n_items);

/* Replaces everything (one items-changed). Takes a GPtrArray of KsReport. */
void           ks_report_store_replace_all (KsReportStore *self, GPtrArray *reports);
/* Replaces everything with other's reports (one items-changed), which it
 * takes, index and all, leaving other empty without a signal: a store filled
 * on a worker thread (nothing connected to it) handed to the one the views
 * show, so that the main thread does not index every report. */
void           ks_report_store_take_from  (KsReportStore *self, KsReportStore *other);
/* Inserts or updates each report (in place); returns how many changed. */
guint          ks_report_store_upsert     (KsReportStore *self, GPtrArray *reports);
/* The report old_id becomes new_id in place (same object, same position, one
 * items-changed): a report created while offline, shown with a placeholder id,
 * once the server has given it its own. When new_id is already held, old_id is
 * removed instead. Returns TRUE when the report was renamed. */
gboolean       ks_report_store_rekey      (KsReportStore *self, gint64 old_id, gint64 new_id);
/* Removes the reports with these ids (missing ids are ignored). */
void           ks_report_store_remove     (KsReportStore *self, const gint64 *ids, guint n_ids);
void           ks_report_store_clear      (KsReportStore *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-stats-row.h: one row of the dashboard's statistics (a category, state,
 * ward or priority with its report counts), for the statistics table. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KS_TYPE_STATS_ROW (ks_stats_row_get_type ())
G_DECLARE_FINAL_TYPE (KsStatsRow, ks_stats_row, KS, STATS_ROW, GObject)

KsStatsRow *ks_stats_row_new        (const char *label,
                                     gint64      count,
                                     gint64      open,
                                     gint64      fixed,
                                     gint64      closed);
const char *ks_stats_row_get_label  (KsStatsRow *self);
gint64      ks_stats_row_get_count  (KsStatsRow *self);
gint64      ks_stats_row_get_open   (KsStatsRow *self);
gint64      ks_stats_row_get_fixed  (KsStatsRow *self);
gint64      ks_stats_row_get_closed (KsStatsRow *self);

/* Properties (read-only): "label", "count", "open", "fixed", "closed". */

G_END_DECLS

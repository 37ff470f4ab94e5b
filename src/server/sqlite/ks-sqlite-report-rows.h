/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-report-rows.h: the report columns the SQLite store reads, how they fill
 * a KsReportRow, and the read snapshot the report reads share. */
#pragma once

#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-report-row.h"

G_BEGIN_DECLS

/* The list shape's columns, in the order ks_sqlite_report_row_list reads them. */
#define KS_SQLITE_LIST_COLUMNS \
  "r.id, r.title, r.category_id, c.name, c.group_name, r.state, r.priority_id, " \
  "r.lat, r.lon, r.ward, r.created, r.updated, r.acknowledged, r.shortlist_user, " \
  "r.photo IS NOT NULL AND r.photo <> '', r.version, r.seq"
#define KS_SQLITE_N_LIST_COLUMNS 17
#define KS_SQLITE_LIST_FROM " LEFT JOIN categories c ON c.id = r.category_id"

/* Fills the list members of row from the first KS_SQLITE_N_LIST_COLUMNS columns
 * of st, and clears the others. */
static inline void
ks_sqlite_report_row_list (KsReportRow  *row,
                           sqlite3_stmt *st)
{
  *row = (KsReportRow) {
    .id = sqlite3_column_int64 (st, 0),
    .title = ks_col_text (st, 1),
    .category_id = sqlite3_column_int64 (st, 2),
    .category = ks_col_text (st, 3),
    .group = ks_col_text (st, 4),
    .state = ks_col_text (st, 5),
    .priority_id = sqlite3_column_int64 (st, 6),
    .lat = sqlite3_column_double (st, 7),
    .lon = sqlite3_column_double (st, 8),
    .ward = ks_col_text (st, 9),
    .created = sqlite3_column_int64 (st, 10),
    .updated = sqlite3_column_int64 (st, 11),
    .acknowledged = sqlite3_column_int64 (st, 12),
    .shortlist_user = sqlite3_column_int64 (st, 13),
    .has_photo = sqlite3_column_int64 (st, 14) != 0,
    .version = sqlite3_column_int64 (st, 15),
    .seq = sqlite3_column_int64 (st, 16),
  };
}

/* The list plans (ks-sqlite-store-report-list.c). */
gboolean ks_sqlite_report_list (KsStore *store, const KsPrincipal *who,
                                const KsReportQuery *query, KsReportRowFunc func,
                                gpointer user_data, gboolean *out_more,
                                KsReportCursor *out_next, GError **error);

G_END_DECLS

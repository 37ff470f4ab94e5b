/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-report-rows.h: the report columns the PostgreSQL store reads, how they fill
 * a KsReportRow, and the read snapshot the report reads share. */
#pragma once

#include "postgres/ks-pg-store-private.h"
#include "store/ks-report-row.h"

G_BEGIN_DECLS

/* The list shape's columns, in the order ks_pg_report_row_list reads them. */
#define KS_PG_LIST_COLUMNS \
  "r.id, r.title, r.category_id, c.name, c.group_name, r.state, r.priority_id, " \
  "r.lat, r.lon, r.ward, r.created, r.updated, r.acknowledged, r.shortlist_user, " \
  "r.photo IS NOT NULL AND r.photo <> '', r.version, r.seq"
#define KS_PG_N_LIST_COLUMNS 17
/* The columns of reports that KS_PG_LIST_COLUMNS reads, each under its own name:
 * the map's list reads them from the reports_cell index alone (its INCLUDE list,
 * data/sql-pg/0020-list-covering.sql), with no visit to the table. A column added
 * to the list goes here too (and into that index, or the list reads the table). */
#define KS_PG_LIST_REPORT_COLUMNS \
  "r.id, r.title, r.category_id, r.state, r.priority_id, r.lat, r.lon, r.ward, " \
  "r.created, r.updated, r.acknowledged, r.shortlist_user, r.photo, r.version, r.seq"
#define KS_PG_LIST_FROM " LEFT JOIN categories c ON c.id = r.category_id"

/* Fills the list members of row from the first KS_PG_N_LIST_COLUMNS columns of
 * res's row i, and clears the others. */
static inline void
ks_pg_report_row_list (KsReportRow    *row,
                       const PGresult *res,
                       int             i)
{
  *row = (KsReportRow) {
    .id = ks_pg_int (res, i, 0),
    .title = ks_pg_text (res, i, 1),
    .category_id = ks_pg_int (res, i, 2),
    .category = ks_pg_text (res, i, 3),
    .group = ks_pg_text (res, i, 4),
    .state = ks_pg_text (res, i, 5),
    .priority_id = ks_pg_int (res, i, 6),
    .lat = ks_pg_double (res, i, 7),
    .lon = ks_pg_double (res, i, 8),
    .ward = ks_pg_text (res, i, 9),
    .created = ks_pg_int (res, i, 10),
    .updated = ks_pg_int (res, i, 11),
    .acknowledged = ks_pg_int (res, i, 12),
    .shortlist_user = ks_pg_int (res, i, 13),
    .has_photo = ks_pg_bool (res, i, 14),
    .version = ks_pg_int (res, i, 15),
    .seq = ks_pg_int (res, i, 16),
  };
}

/* Opens a read-only REPEATABLE READ transaction so that several statements see
 * one snapshot, unless the thread's connection is inside a transaction already
 * (a write request): *started says whether ks_pg_end_read is to close it. */
gboolean ks_pg_begin_read (KsStore *store, gboolean *started, GError **error);
void     ks_pg_end_read   (KsStore *store, gboolean started);

/* The list (ks-pg-store-report-list.c). */
gboolean ks_pg_report_list (KsStore *store, const KsPrincipal *who,
                            const KsReportQuery *query, KsReportRowFunc func,
                            gpointer user_data, gboolean *out_more,
                            KsReportCursor *out_next, GError **error);

G_END_DECLS

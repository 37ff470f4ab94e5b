/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-read-ahead.h: the details of many reports read in a few queries (a bulk
 * action's answer): each read of the detail, one query for every report named
 * (`report_id = ANY ($1::bigint[])`), kept for the calling thread; the per-report
 * functions then take their rows from it instead of asking the server, until the
 * read-ahead is forgotten. */
#pragma once

#include "postgres/ks-pg-store-private.h"

G_BEGIN_DECLS

typedef enum {
  KS_PG_AHEAD_DETAIL,       /* the report's row */
  KS_PG_AHEAD_UPDATES,      /* its timeline */
  KS_PG_AHEAD_MODERATION,   /* its moderation history */
  KS_PG_AHEAD_MEDIA,        /* its Open311 photo addresses */
  KS_PG_AHEAD_LINKS,        /* its duplicate links */
  KS_PG_AHEAD_NOTICES,      /* the emails to its reporter */
  KS_PG_N_AHEAD
} KsPgAhead;

/* Runs stmt, whose $1 is the list of report ids (bigint[]) and whose last column
 * is the report's id, its rows grouped by report, and keeps the result as what
 * kind reads for each of the reports in ids (those without rows have none). */
gboolean ks_pg_ahead_read   (KsStore             *store,
                             KsPgAhead            kind,
                             const KsPgStatement *stmt,
                             const char          *ids,
                             GError             **error);

/* When kind was read ahead for report_id: TRUE, with the result and its rows
 * [*out_first, *out_first + *out_n) (the columns as the per-report query's,
 * followed by the report's id). FALSE: ask the server. */
gboolean ks_pg_ahead_rows   (KsStore         *store,
                             KsPgAhead        kind,
                             gint64           report_id,
                             const PGresult **out_res,
                             int             *out_first,
                             int             *out_n);

/* The rows kind gives for report_id: those read ahead, or else those of stmt run
 * now with args (then the result is *out_owned, for the caller to clear). NULL,
 * with error set, when the query fails. */
const PGresult *ks_pg_ahead_or_query (KsStore             *store,
                                      KsPgAhead            kind,
                                      gint64               report_id,
                                      const KsPgStatement *stmt,
                                      KsPgArgs            *args,
                                      PGresult           **out_owned,
                                      int                 *out_first,
                                      int                 *out_n,
                                      GError             **error);

/* Forgets what the calling thread read ahead. */
void     ks_pg_ahead_forget (KsStore *store);

/* The per-domain reads ahead (each file's batch statements), for the reports vtable. */
gboolean ks_pg_store_open311_read_ahead    (KsStore *store, const char *ids, GError **error);
gboolean ks_pg_store_duplicates_read_ahead (KsStore *store, const char *ids, GError **error);
gboolean ks_pg_store_notices_read_ahead    (KsStore *store, const char *ids, GError **error);

G_END_DECLS

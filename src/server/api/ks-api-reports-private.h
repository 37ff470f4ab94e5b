/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-reports-private.h: the report list's query parameters as a filter, for the
 * handler of GET /api/v1/reports and for the fuzzer that feeds it any query. */
#pragma once

#include "http/ks-request.h"
#include "store/ks-store-reports.h"

G_BEGIN_DECLS

/* A parsed list query and the storage its pointers refer to. */
typedef struct {
  KsReportQuery   query;
  GArray         *categories;  /* gint64 */
  GArray         *priorities;  /* gint64 */
  GPtrArray      *states;      /* const char *, NULL-terminated once parsed */
  KsReportCursor  after;
} KsListQuery;

void     ks_list_query_init  (KsListQuery *lq);
void     ks_list_query_clear (KsListQuery *lq);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsListQuery, ks_list_query_clear)

/* Reads req's query (and principal) into lq->query. Sets the 403/422 answer on req
 * and returns FALSE when a parameter is unknown, malformed or not allowed. */
gboolean ks_api_reports_parse_list_query (KsRequest   *req,
                                          KsListQuery *lq);

G_END_DECLS

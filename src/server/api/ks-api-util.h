/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-util.h: helpers shared by the handler files: the council a request works
 * on, a report of the caller's council, a date range from the query. */
#pragma once

#include "http/ks-request.h"
#include "store/ks-store-actions.h"

G_BEGIN_DECLS

/* The council a read works on: a staff member's own (another council's
 * ?body_id= answers 404); for platform operators ?body_id= (which must exist),
 * or every council (0) unless required (then 422). */
gboolean ks_api_request_body (KsRequest *req, gboolean required, gint64 *out);

/* Loads report id when it belongs to the caller's council; answers 404 otherwise
 * (a report of another council is not revealed). */
gboolean ks_api_load_report (KsRequest *req, gint64 id, KsReportCore *report);

/* ?from= and ?to= as Unix seconds, 0 when absent (ISO 8601 times or plain dates;
 * a plain "to" date counts whole); answers 422 when they are not dates or "from"
 * does not come before "to". */
gboolean ks_api_query_range (KsRequest *req, gint64 *from, gint64 *to);

G_END_DECLS

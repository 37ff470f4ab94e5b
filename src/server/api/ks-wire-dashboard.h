/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-dashboard.h: the dashboard's wire shapes (summary, timeline,
 * statistics) from the rows the store filled. */
#pragma once

#include "ks-json-writer.h"
#include "store/ks-admin-rows.h"
#include "store/ks-response-times.h"

G_BEGIN_DECLS

void ks_wire_write_summary  (KsJsonWriter *w, const KsDashboardSummary *summary);
void ks_wire_write_timeline (KsJsonWriter *w, const KsDashboardTimeline *timeline);
void ks_wire_write_stats    (KsJsonWriter *w, const KsDashboardStats *stats);
void ks_wire_write_response_times (KsJsonWriter *w, const KsResponseTimes *times);

G_END_DECLS

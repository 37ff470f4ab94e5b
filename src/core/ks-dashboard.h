/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-dashboard.h: the council's dashboard figures (GET /api/v1/dashboard/...)
 * for the signed-in session. A platform operator's requests name the council
 * of their /me "body". Failures are KS_ERROR sentences to show. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "ks-session.h"

G_BEGIN_DECLS

/* The summary: {"total", "by_state", "by_kind" {"open", "fixed", "closed", ...},
 * "unacknowledged_open", "created_last_7_days", "created_last_30_days",
 * "fixed_last_7_days", "fixed_last_30_days", "median_hours_to_fix_90_days"
 * (null when none), "generated"}. */
void        ks_dashboard_get_summary_async   (KsSession *session, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
JsonObject *ks_dashboard_get_summary_finish  (KsSession *session, GAsyncResult *result, GError **error);

/* The last days (1 to 366), one object a day, oldest first (the server's
 * "timeline" array, as KsTimelineChart draws it). */
void        ks_dashboard_get_timeline_async  (KsSession *session, guint days, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
JsonArray  *ks_dashboard_get_timeline_finish (KsSession *session, GAsyncResult *result, GError **error);

/* The reports counted by "category", "state", "ward" or "priority": the
 * server's "rows", each {"key", "label", "count", "open", "fixed", "closed"}. */
void        ks_dashboard_get_stats_async     (KsSession *session, const char *by,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
JsonArray  *ks_dashboard_get_stats_finish    (KsSession *session, GAsyncResult *result, GError **error);

/* The reports created in the last days measured against their priority's
 * response time: the server's answer, {"overall": {"with_target", "met", "late",
 * "met_percent" (null when none was responded to), "overdue", "waiting"},
 * "priorities": [{"id", "name", "response_hours", ...the same}], ...}. */
void        ks_dashboard_get_response_times_async  (KsSession *session, guint days,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
JsonObject *ks_dashboard_get_response_times_finish (KsSession *session, GAsyncResult *result,
                                                    GError **error);

/* Every report of the council as CSV (a header line, then one line a report). */
void        ks_dashboard_export_csv_async    (KsSession *session, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GBytes     *ks_dashboard_export_csv_finish   (KsSession *session, GAsyncResult *result, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-dashboard.c: the dashboard: summary, timeline, statistics, CSV export. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"
#include "api/ks-wire-dashboard.h"
#include "ks-time.h"

#include <string.h>

static void
handle_dashboard_summary (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsDashboardSummary) summary = { 0 };
  gint64 body_id = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  if (!ks_store_admin_dashboard_summary (req->store, &req->principal, body_id, ks_time_now (), &summary, &error) ||
      !ks_store_sendings_count_failed (req->store, body_id, &summary.failed_sendings, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_wire_write_summary (&w, &summary);
}

static void
handle_dashboard_timeline (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsDashboardTimeline) timeline = { 0 };
  gint64 body_id = 0, days = 30;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      !ks_request_query_int (req, "days", 1, 366, 30, &days))
    return;
  if (!ks_store_admin_dashboard_timeline (req->store, &req->principal, body_id, ks_time_now (), (guint) days,
                                          &timeline, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_wire_write_timeline (&w, &timeline);
}

static void
handle_dashboard_stats (KsRequest *req)
{
  static const char *names[] = { "category", "state", "ward", "priority", NULL };
  g_autoptr(GError) error = NULL;
  const char *by = ks_request_query (req, "by");
  gint64 body_id = 0, from = 0, to = 0;
  g_auto(KsDashboardStats) stats = { 0 };
  KsStatsBy which = KS_STATS_BY_CATEGORY;
  gboolean known = by == NULL;
  KsJsonWriter w;

  for (guint i = 0; by != NULL && names[i]; i++)
    if (strcmp (by, names[i]) == 0)
      {
        which = (KsStatsBy) i;
        known = TRUE;
      }
  if (!known)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “by” must be category, state, ward or priority.");
      return;
    }
  if (!ks_api_request_body (req, TRUE, &body_id) || !ks_api_query_range (req, &from, &to))
    return;
  if (!ks_store_admin_dashboard_stats (req->store, &req->principal, body_id, which, from, to, &stats, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_wire_write_stats (&w, &stats);
}

/* Reports against their priority's response time (ks-response-times.h). */
static void
handle_dashboard_response_times (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsResponseTimes) times = { 0 };
  gint64 body_id = 0, from = 0, to = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id) || !ks_api_query_range (req, &from, &to))
    return;
  if (!ks_store_response_times (req->store, &req->principal, body_id, from, to, ks_time_now (),
                                &times, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_wire_write_response_times (&w, &times);
}

static void
handle_dashboard_export (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  gint64 body_id = 0, from = 0, to = 0, rows = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id) || !ks_api_query_range (req, &from, &to))
    return;
  g_string_truncate (req->response, 0);
  if (!ks_store_admin_dashboard_export_csv (req->store, &req->principal, body_id, from, to, req->response,
                                            &rows, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "rows", rows);
  ks_json_writer_member_timestamp (&w, "from", from);
  ks_json_writer_member_timestamp (&w, "to", to);
  ks_json_writer_end_object (&w);
  if (!ks_request_audit (req, body_id, "export_csv", "body", body_id, details->str))
    return;
  req->status = 200;
  g_free (req->response_type);
  req->response_type = g_strdup ("text/csv; charset=utf-8");
  ks_request_add_header (req, "Content-Disposition", "attachment; filename=\"reports.csv\"");
}

void
ks_api_dashboard_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/dashboard/summary", 0, KS_PERM_VIEW_DASHBOARD, handle_dashboard_summary);
  ks_router_add (router, "GET", "/api/v1/dashboard/timeline", 0, KS_PERM_VIEW_DASHBOARD, handle_dashboard_timeline);
  ks_router_add (router, "GET", "/api/v1/dashboard/stats", 0, KS_PERM_VIEW_DASHBOARD, handle_dashboard_stats);
  ks_router_add (router, "GET", "/api/v1/dashboard/response-times", 0, KS_PERM_VIEW_DASHBOARD,
                 handle_dashboard_response_times);
  ks_router_add (router, "GET", "/api/v1/dashboard/export.csv", KS_ROUTE_RAW, KS_PERM_VIEW_DASHBOARD,
                 handle_dashboard_export);
}

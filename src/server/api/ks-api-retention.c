/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-retention.c: GET /api/v1/retention: the dry run of the council's
 * retention settings (councils/ks-retention.h): what the daily job would change
 * now, and when it last ran. Changes nothing. Administrators (manage staff);
 * platform operators choose the council with body_id. */
#define G_LOG_DOMAIN "ks-api-retention"

#include "api/ks-api.h"
#include "api/ks-api-util.h"
#include "councils/ks-retention.h"
#include "ks-time.h"

static void
handle_retention (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsRetentionPlan) plan = { 0 };
  KsJsonWriter w;
  gint64 body_id = 0, last_day = 0;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  if (!ks_retention_plan (req->store, body_id, ks_time_now (), &plan, &error) ||
      !ks_store_retention_last_day (req->store, &last_day, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "plan");
  ks_retention_plan_write (&w, &plan);
  if (last_day > 0)
    ks_json_writer_member_timestamp (&w, "last_run_day", last_day * 24 * 3600);
  else
    ks_json_writer_member_null (&w, "last_run_day");
  ks_json_writer_end_object (&w);
}

void
ks_api_retention_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/retention", 0, KS_PERM_MANAGE_STAFF, handle_retention);
}

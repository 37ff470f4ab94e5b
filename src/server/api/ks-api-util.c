/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-util.c: helpers shared by the handler files. */
#define G_LOG_DOMAIN "ks-api-util"

#include "api/ks-api-util.h"
#include "store/ks-store-admin.h"
#include "ks-time.h"

#include <string.h>

gboolean
ks_api_request_body (KsRequest *req,
                     gboolean   required,
                     gint64    *out)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0, unused = 0;

  if (!ks_request_query_int (req, "body_id", 1, G_MAXINT64, 0, &body_id))
    return FALSE;
  if (!req->principal.is_superuser)
    {
      if (body_id != 0 && body_id != req->principal.body_id)
        {
          ks_request_error (req, 404, "not_found", "There is no such council.");
          return FALSE;
        }
      *out = req->principal.body_id;
      return TRUE;
    }
  if (body_id == 0)
    {
      if (required)
        {
          ks_request_error (req, 422, "invalid",
                            "Choose the council with the parameter “body_id”.");
          return FALSE;
        }
      *out = 0;
      return TRUE;
    }
  if (!ks_store_admin_object_body (req->store, KS_ADMIN_OBJECT_BODY, body_id, &unused, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  *out = body_id;
  return TRUE;
}

gboolean
ks_api_load_report (KsRequest    *req,
                    gint64        id,
                    KsReportCore *report)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!ks_store_actions_get_report (req->store, id, &found, report, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!found || !ks_principal_sees_report (&req->principal, report->body_id, report->category_id))
    {
      ks_request_error (req, 404, "not_found",
                        "There is no report %" G_GINT64_FORMAT ". Check the number, or refresh "
                        "your list.", id);
      return FALSE;
    }
  return TRUE;
}

gboolean
ks_api_query_range (KsRequest *req,
                    gint64    *from,
                    gint64    *to)
{
  const char *f = ks_request_query (req, "from");
  const char *t = ks_request_query (req, "to");

  *from = *to = 0;
  if (f != NULL && !ks_time_parse_iso (f, from))
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “from” must be a date (2025-03-01) or a time "
                        "(2025-03-01T12:00:00Z).");
      return FALSE;
    }
  if (t != NULL)
    {
      if (!ks_time_parse_iso (t, to))
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “to” must be a date (2025-03-31) or a time "
                            "(2025-03-31T18:00:00Z).");
          return FALSE;
        }
      /* A plain date counts whole. */
      if (strlen (t) == 10)
        *to += 24 * 3600;
    }
  if (*from != 0 && *to != 0 && *from >= *to)
    {
      ks_request_error (req, 422, "invalid", "The parameter “from” must come before “to”.");
      return FALSE;
    }
  /* 0 means open-ended in the store; the epoch itself is not a useful bound. */
  if (*from < 0)
    *from = 0;
  if (t != NULL && *to <= 0)
    *to = 1;
  return TRUE;
}

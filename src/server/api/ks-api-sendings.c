/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-sendings.c: POST /api/v1/reports/{id}/sendings/{sid}/resend: staff send
 * a report on again to one of its destinations (docs/api.md). */
#define G_LOG_DOMAIN "ks-api"

#include "api/ks-api-actions-private.h"
#include "ks-json-writer.h"
#include "ks-time.h"

static void
handle_resend (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsSending) s = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw;
  gboolean found = FALSE;
  gint64 sid = 0;

  if (!ks_action_load_report (req, "id", &report) || !ks_request_param_id (req, "sid", &sid))
    return;
  if (!ks_store_sendings_get (req->store, sid, &found, &s, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!found || s.report_id != report.id)
    {
      ks_request_error (req, 404, "not_found",
                        "Report %" G_GINT64_FORMAT " has no sending %" G_GINT64_FORMAT ".",
                        report.id, sid);
      return;
    }
  if (g_strcmp0 (s.status, KS_SENDING_SENDING) == 0 && s.next_attempt > ks_time_now ())
    {
      ks_request_error (req, 409, "conflict",
                        "The report is being sent to %s right now: wait for the answer, then "
                        "resend if it is still needed.", s.destination);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_int (&dw, "sending_id", s.id);
  ks_json_writer_member_string (&dw, "destination", s.destination);
  ks_json_writer_member_string (&dw, "status_before", s.status);
  ks_json_writer_end_object (&dw);

  /* A resend is a new sending: a new email, a new request at the contractor. */
  g_free (s.status);
  s.status = g_strdup (KS_SENDING_PENDING);
  g_clear_pointer (&s.last_error, g_free);
  g_clear_pointer (&s.remote_id, g_free);
  s.attempts = 0;
  s.generation++;
  s.next_attempt = s.updated = ks_time_now ();
  /* polled_until is kept: the earlier requests' updates are still read from there. */
  if (!ks_store_sendings_save (req->store, &s, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!ks_action_audit (req, &report, "resend", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

void
ks_api_sendings_register (KsRouter *router)
{
  /* Sending work on again is part of handling the report's status. */
  ks_router_add (router, "POST", "/api/v1/reports/{id}/sendings/{sid}/resend", 0,
                 KS_PERM_UPDATE_STATUS, handle_resend);
}

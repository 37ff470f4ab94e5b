/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-questionnaire.c: the answer to "was it fixed?", from the links in the
 * questionnaire emailed after a report was fixed (mail/ks-notices.h). Public:
 * the link's token (256 random bits, kept only as its SHA-256) is the proof. */
#define G_LOG_DOMAIN "ks-api-questionnaire"

#include "api/ks-api.h"
#include "api/ks-api-util.h"
#include "auth/ks-token.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

#define MAX_TOKEN_LENGTH 200
/* Where a report that was not fixed after all goes back to. */
#define REOPENED_STATE "confirmed"

static void
answer_json (KsRequest *req, const char *answer, gboolean reopened, gboolean again)
{
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "answer", answer);
  ks_json_writer_member_bool (&w, "reopened", reopened);
  ks_json_writer_member_string (&w, "message",
    again ? "Your answer was already recorded. Thank you."
          : strcmp (answer, "fixed") == 0 ? "Thank you: we recorded that it is fixed."
                                          : "Thank you: we recorded that it is not fixed, and the "
                                            "report is open again.");
  ks_json_writer_end_object (&w);
}

/* Records the answer on the report's timeline; "not_fixed" reopens a report
 * that is still fixed. */
static gboolean
record (KsRequest *req, const KsNotice *n, const char *answer, gboolean *out_reopened,
        GError **error)
{
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  const KsState *state;
  gboolean found = FALSE, not_fixed = strcmp (answer, "not_fixed") == 0;

  if (!ks_store_actions_get_report (req->store, n->report_id, &found, &report, error))
    return FALSE;
  if (!found)
    return TRUE;
  state = ks_state_lookup (report.state);
  *out_reopened = not_fixed && state != NULL && state->kind == KS_STATE_KIND_FIXED;
  change.set_state = *out_reopened;
  change.state = REOPENED_STATE;
  update.report_id = report.id;
  update.kind = "questionnaire";
  update.text = not_fixed ? "The resident answered the questionnaire: it is not fixed."
                          : "The resident answered the questionnaire: it is fixed.";
  update.state = *out_reopened ? REOPENED_STATE : NULL;
  update.public = FALSE;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_string (&dw, "answer", answer);
  ks_json_writer_member_bool (&dw, "reopened", *out_reopened);
  ks_json_writer_end_object (&dw);
  return ks_store_notices_answer (req->store, n->id, answer, ks_time_now (), error) &&
         ks_store_actions_change_report (req->store, report.id, &change, error) &&
         ks_store_actions_add_update (req->store, &update, NULL, error) &&
         ks_store_audit (req->store, &req->principal, report.body_id, "questionnaire_answer",
                         "report", report.id, details->str, error);
}

/* ---- GET (or POST) /api/v1/questionnaire?token=&answer=fixed|not_fixed ---- */

static void
handle_questionnaire (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_auto(KsNotice) n = { 0 };
  const char *token = ks_request_query (req, "token");
  const char *answer = ks_request_query (req, "answer");
  gboolean own_txn = strcmp (req->method, "GET") == 0;
  gboolean found = FALSE, reopened = FALSE;

  if (token == NULL || ks_api_is_blank (token))
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “token” is required: open the whole link from the email.");
      return;
    }
  if (g_strcmp0 (answer, "fixed") != 0 && g_strcmp0 (answer, "not_fixed") != 0)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “answer” must be “fixed” or “not_fixed”: open the "
                        "whole link from the email.");
      return;
    }
  if (strlen (token) > MAX_TOKEN_LENGTH)
    goto unknown;

  hash = ks_token_hash (token);
  if (own_txn && !ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_store_notices_by_token (req->store, hash, &found, &n, &error))
    goto fail;
  if (!found)
    {
      if (own_txn)
        ks_store_rollback (req->store);
      goto unknown;
    }
  /* The first answer stands: a second click changes nothing. */
  if (n.answer != NULL)
    {
      if (own_txn)
        ks_store_rollback (req->store);
      answer_json (req, n.answer, FALSE, TRUE);
      return;
    }
  if (!record (req, &n, answer, &reopened, &error))
    goto fail;
  if (own_txn && !ks_store_commit (req->store, &error))
    goto fail;
  answer_json (req, answer, reopened, FALSE);
  return;

fail:
  if (own_txn)
    ks_store_rollback (req->store);
  ks_request_gerror (req, error);
  return;

unknown:
  ks_request_error (req, 404, "not_found",
                    "This questionnaire link is not valid. Open the whole link from the email, "
                    "or reply to the email.");
}

void
ks_api_questionnaire_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/questionnaire", KS_ROUTE_PUBLIC, KS_PERM_NONE,
                 handle_questionnaire);
  ks_router_add (router, "POST", "/api/v1/questionnaire", KS_ROUTE_PUBLIC, KS_PERM_NONE,
                 handle_questionnaire);
}

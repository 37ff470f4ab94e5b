/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-moderation.c: moderating single updates of a report's timeline (those
 * staff wrote and those that came by Open311): editing an update's text, hiding
 * it from every public output and showing it again. Each change is kept in the
 * report's moderation history (who, when, why, before and after), audited, and
 * bumps the report's version and sync sequence.
 *
 *   POST /api/v1/reports/{id}/updates/{update_id}/moderate  {text, reason, version}
 *   POST /api/v1/reports/{id}/updates/{update_id}/hide      {reason, version}
 *   POST /api/v1/reports/{id}/updates/{update_id}/unhide    {reason, version}
 *
 * Asking for what is already so (the same text, hiding a hidden update) changes
 * nothing and answers the report as it is, whatever version was given. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "api/ks-api.h"
#include "api/ks-api-actions-private.h"

/* The kinds of timeline entries a moderator may edit or hide: what people wrote
 * or what was said to the public. The others record staff actions. */
static gboolean
kind_is_moderatable (const char *kind)
{
  static const char * const kinds[] = { "update", "state", "acknowledge", "request_info" };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Loads the report and its update named by the path; answers 404/422 on failure. */
static gboolean
load_update (KsRequest    *req,
             KsReportCore *report,
             KsUpdateCore *update)
{
  g_autoptr(GError) error = NULL;
  gint64 update_id = 0;
  gboolean found = FALSE;

  if (!ks_action_load_report (req, "id", report) ||
      !ks_request_param_id (req, "update_id", &update_id))
    return FALSE;
  if (!ks_store_actions_get_update (req->store, report->id, update_id, &found, update, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!found)
    {
      ks_request_error (req, 404, "not_found",
                        "Report %" G_GINT64_FORMAT " has no update %" G_GINT64_FORMAT ". "
                        "Refresh the report and choose one of its updates.",
                        report->id, update_id);
      return FALSE;
    }
  if (!kind_is_moderatable (update->kind))
    {
      ks_request_error (req, 422, "invalid",
                        "This timeline entry (“%s”) records a staff action and cannot be "
                        "edited or hidden. Moderate the report itself instead.", update->kind);
      return FALSE;
    }
  return TRUE;
}

/* Writes the change: the update, the moderation entry, the report's new version
 * and sequence, the audit entry; then answers the report. */
static void
apply (KsRequest                   *req,
       const KsReportCore          *report,
       const KsNewUpdateModeration *mod,
       const char                  *audit_action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  gboolean text_changed = g_strcmp0 (mod->old_text, mod->new_text) != 0;
  KsJsonWriter dw;

  if (!ks_store_actions_change_update (req->store, mod->update_id,
                                       text_changed ? mod->new_text : NULL,
                                       mod->old_hidden != mod->new_hidden ? mod->new_hidden : -1,
                                       &error) ||
      !ks_store_actions_add_update_moderation (req->store, mod, NULL, &error) ||
      !ks_store_actions_change_report (req->store, report->id, &change, &error))
    {
      ks_action_fail (req, error);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_int (&dw, "update_id", mod->update_id);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, report, audit_action, details))
    return;
  ks_action_answer_report (req, 200, report->id);
}

static void
handle_moderate_update (KsRequest *req)
{
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsUpdateCore) update = { 0 };
  KsNewUpdateModeration mod = { 0 };
  JsonObject *obj;
  const char *reason = NULL, *text = NULL;
  gint64 version = 0;

  if (!load_update (req, &report, &update) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, &reason) ||
      !ks_request_get_string (req, obj, "text", TRUE, MAX_TEXT_LENGTH, &text) ||
      !ks_request_get_int (req, obj, "version", TRUE, 1, G_MAXINT64, &version))
    return;
  if (ks_api_is_blank (reason))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “reason” must not be empty. Say why the update is changed.");
      return;
    }
  if (ks_api_is_blank (text))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “text” must not be empty. To take an update out of public "
                        "view, hide it instead.");
      return;
    }
  if (g_strcmp0 (text, update.text) == 0)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }
  if (!ks_action_check_version (req, obj, TRUE, &report))
    return;

  mod.report_id = report.id;
  mod.update_id = update.id;
  mod.user_id = req->principal.user_id;
  mod.reason = reason;
  mod.action = "edit";
  mod.old_text = update.text;
  mod.new_text = text;
  mod.old_hidden = update.hidden;
  mod.new_hidden = update.hidden;
  apply (req, &report, &mod, "moderate_update");
}

static void
hide_or_unhide_update (KsRequest *req,
                       gboolean   hide)
{
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsUpdateCore) update = { 0 };
  KsNewUpdateModeration mod = { 0 };
  JsonObject *obj;
  const char *reason = NULL;
  gint64 version = 0;

  if (!load_update (req, &report, &update) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, &reason) ||
      !ks_request_get_int (req, obj, "version", TRUE, 1, G_MAXINT64, &version))
    return;
  if (ks_api_is_blank (reason))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “reason” must not be empty. Say why the update is %s.",
                        hide ? "hidden" : "shown again");
      return;
    }
  if (update.hidden == hide)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }
  if (!ks_action_check_version (req, obj, TRUE, &report))
    return;

  mod.report_id = report.id;
  mod.update_id = update.id;
  mod.user_id = req->principal.user_id;
  mod.reason = reason;
  mod.action = hide ? "hide" : "unhide";
  mod.old_text = update.text;
  mod.new_text = update.text;
  mod.old_hidden = update.hidden;
  mod.new_hidden = hide;
  apply (req, &report, &mod, hide ? "hide_update" : "unhide_update");
}

static void
handle_hide_update (KsRequest *req)
{
  hide_or_unhide_update (req, TRUE);
}

static void
handle_unhide_update (KsRequest *req)
{
  hide_or_unhide_update (req, FALSE);
}

void
ks_api_moderation_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports/{id}/updates/{update_id}/moderate", 0,
                 KS_PERM_MODERATE_REPORT, handle_moderate_update);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/updates/{update_id}/hide", 0,
                 KS_PERM_HIDE_REPORT, handle_hide_update);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/updates/{update_id}/unhide", 0,
                 KS_PERM_HIDE_REPORT, handle_unhide_update);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-actions.c: what staff do to a report: acknowledge, update, change state
 * or priority, moderate, hide and unhide, ask for more information (creating a
 * report is in ks-api-report-create.c, the shortlist in ks-api-shortlist.c, the
 * steps they share in ks-api-action-steps.c).
 *
 * Every handler here runs inside the request's write transaction: it validates all
 * of its input before it writes anything, and answers the report as it now is,
 * {"report": <detail>}. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "api/ks-api.h"
#include "api/ks-api-actions-private.h"
#include "mail/ks-mailer.h"
#include "http/ks-server-config.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

/* ---- acknowledge ---- */

/* Applies a change to the report and adds its timeline entry, written by the
 * caller, in the request's transaction; answers the error and returns FALSE on
 * failure. */
static gboolean
record_change (KsRequest            *req,
               gint64                report_id,
               const KsReportChange *change,
               KsNewUpdate          *update,
               gint64               *out_update_id)
{
  g_autoptr(GError) error = NULL;

  update->report_id = report_id;
  update->user_id = req->principal.user_id;
  update->author_name = req->principal.name;
  if (!ks_store_actions_change_report (req->store, report_id, change, &error) ||
      !ks_store_actions_add_update (req->store, update, out_update_id, &error))
    {
      ks_action_fail (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
handle_acknowledge (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsTemplateRow) template = { 0 };
  g_autofree char *reply = NULL, *email_text = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *text = NULL;
  gboolean have_template = FALSE, first;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "text", FALSE, MAX_TEXT_LENGTH, &text) ||
      !ks_action_check_version (req, obj, FALSE, &report) ||
      !ks_action_load_template (req, obj, &report, &template, &have_template))
    return;

  /* Acknowledging is not a change of state, even with a template that has one. */
  reply = ks_action_reply_text (req, &report, text, &template, have_template, report.state);
  email_text = ks_action_reply_email_text (req, &report, text, &template, have_template,
                                           report.state);
  first = report.acknowledged == 0;
  if (!first && reply == NULL)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }

  if (first)
    {
      change.set_acknowledged = TRUE;
      change.acknowledged = ks_time_now ();
      change.acknowledged_by = req->principal.user_id;
    }
  update.kind = first ? "acknowledge" : "update";
  update.text = reply;
  update.email_text = email_text;
  update.external_status_code = have_template ? template.external_status_code : NULL;
  update.public = reply != NULL;

  if (!record_change (req, report.id, &change, &update, NULL))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_bool (&dw, "first", first);
  ks_json_writer_member_bool (&dw, "reply", reply != NULL);
  if (have_template)
    ks_json_writer_member_int (&dw, "template_id", template.id);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "acknowledge", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- public update ---- */

static void
handle_update (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsTemplateRow) template = { 0 };
  g_autofree char *reply = NULL, *email_text = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *text = NULL, *state = NULL, *new_state;
  gboolean have_template = FALSE, public = TRUE;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  gint64 update_id = 0;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "text", FALSE, MAX_TEXT_LENGTH, &text) ||
      !ks_request_get_string (req, obj, "state", FALSE, 40, &state) ||
      !ks_request_get_bool (req, obj, "public", FALSE, &public) ||
      !ks_action_read_photos (req, obj, &photos) ||
      (state != NULL && !ks_action_check_target_state (req, report.body_id, "state", state)) ||
      !ks_action_check_version (req, obj, FALSE, &report) ||
      !ks_action_load_template (req, obj, &report, &template, &have_template) ||
      !ks_action_check_photo_limit (req, report.body_id, 0, photos->len))
    return;

  new_state = state != NULL ? state : (have_template ? template.state : NULL);
  if (new_state != NULL && !ks_action_check_target_state (req, report.body_id, "state", new_state))
    return;
  if (g_strcmp0 (new_state, report.state) == 0)
    new_state = NULL;
  if (new_state != NULL &&
      (!ks_request_require (req, KS_PERM_UPDATE_STATUS) || !ks_action_check_not_hidden (req, &report)))
    return;

  reply = ks_action_reply_text (req, &report, text, &template, have_template,
                      new_state ? new_state : report.state);
  email_text = ks_action_reply_email_text (req, &report, text, &template, have_template,
                                           new_state ? new_state : report.state);
  if (reply == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “text” is required (or choose a template).");
      return;
    }

  change.set_state = new_state != NULL;
  change.state = new_state;
  update.kind = "update";
  update.text = reply;
  update.email_text = email_text;
  update.external_status_code = have_template ? template.external_status_code : NULL;
  update.state = new_state;
  update.public = public;
  if (!ks_action_save_photos (req, photos, refs))
    return;
  update.photo = refs->len > 0 ? g_ptr_array_index (refs, 0) : NULL;
  if (!record_change (req, report.id, &change, &update, &update_id))
    return;
  if (!ks_store_photos_add (req->store, report.id, update_id,
                            (const char * const *) refs->pdata, refs->len, &error))
    {
      ks_action_fail (req, error);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_bool (&dw, "public", public);
  ks_action_member_photos (&dw, refs);
  if (new_state != NULL)
    {
      ks_json_writer_member_string (&dw, "from", report.state);
      ks_json_writer_member_string (&dw, "to", new_state);
    }
  if (have_template)
    ks_json_writer_member_int (&dw, "template_id", template.id);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "update_report", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- state ---- */

static void
handle_state (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *state = NULL, *text = NULL;
  gboolean same;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "state", TRUE, 40, &state) ||
      !ks_request_get_string (req, obj, "text", FALSE, MAX_TEXT_LENGTH, &text) ||
      !ks_action_check_target_state (req, report.body_id, "state", state) ||
      !ks_action_check_version (req, obj, TRUE, &report))
    return;

  same = g_strcmp0 (state, report.state) == 0;
  if (same && ks_api_is_blank (text))
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }
  if (!same && !ks_action_check_not_hidden (req, &report))
    return;

  change.set_state = !same;
  change.state = state;
  update.kind = same ? "update" : "state";
  update.text = ks_api_is_blank (text) ? NULL : text;
  update.state = same ? NULL : state;
  update.public = TRUE;
  if (!record_change (req, report.id, &change, &update, NULL))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_string (&dw, "from", report.state);
  ks_json_writer_member_string (&dw, "to", state);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "update_status", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- priority ---- */

static void
handle_priority (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  gint64 priority_id = 0, body_id = 0;
  gboolean found = FALSE, active = FALSE, applies = FALSE;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL)
    return;
  if (ks_request_member (req, obj, "priority_id") == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “priority_id” is required (null takes the priority away).");
      return;
    }
  if (!ks_request_get_int (req, obj, "priority_id", FALSE, 1, G_MAXINT64, &priority_id) ||
      !ks_action_check_version (req, obj, TRUE, &report))
    return;

  if (priority_id != 0)
    {
      if (!ks_store_actions_get_priority (req->store, priority_id, report.category_id, &found,
                                          &body_id, &active, &applies, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      if (!found || body_id != report.body_id)
        {
          ks_request_error (req, 422, "invalid",
                            "There is no priority %" G_GINT64_FORMAT " in this report's council. "
                            "Choose one from the list of priorities.", priority_id);
          return;
        }
      if (!active)
        {
          ks_request_error (req, 422, "invalid",
                            "That priority is not in use any more. Choose another priority.");
          return;
        }
      if (!applies)
        {
          ks_request_error (req, 422, "invalid",
                            "That priority is not for the category “%s”. Choose one of the "
                            "priorities set for this category.", report.category);
          return;
        }
    }

  if (priority_id == report.priority_id)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }

  change.set_priority = TRUE;
  change.priority_id = priority_id;
  update.kind = "priority";
  update.priority_id = priority_id;
  update.public = FALSE;
  if (!record_change (req, report.id, &change, &update, NULL))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_key (&dw, "from");
  if (report.priority_id)
    ks_json_writer_int (&dw, report.priority_id);
  else
    ks_json_writer_null (&dw);
  ks_json_writer_key (&dw, "to");
  if (priority_id)
    ks_json_writer_int (&dw, priority_id);
  else
    ks_json_writer_null (&dw);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "prioritise", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- moderation ---- */

static void
handle_moderate (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewModeration mod = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *reason = NULL, *title = NULL, *detail = NULL;
  gboolean show_name = FALSE, remove_photo = FALSE;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, &reason) ||
      !ks_request_get_string (req, obj, "title", FALSE, MAX_TITLE_LENGTH, &title) ||
      !ks_request_get_string (req, obj, "detail", FALSE, MAX_DETAIL_LENGTH, &detail) ||
      !ks_request_get_bool (req, obj, "show_name", FALSE, &show_name) ||
      !ks_request_get_bool (req, obj, "remove_photo", FALSE, &remove_photo))
    return;
  if (!ks_request_has (obj, "show_name"))
    show_name = report.show_name;
  if (!ks_action_check_one_line (req, "title", title))
    return;
  if (title != NULL && ks_api_is_blank (title))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “title” must not be empty. Give the corrected title, or "
                        "leave the field out to keep it.");
      return;
    }
  if (!ks_action_check_version (req, obj, TRUE, &report))
    return;

  change.set_title = title != NULL && g_strcmp0 (title, report.title) != 0;
  change.title = title;
  change.set_detail = detail != NULL && g_strcmp0 (detail, report.detail) != 0;
  change.detail = detail;
  change.set_show_name = show_name != report.show_name;
  change.show_name = show_name;
  change.remove_photo = remove_photo && report.photo != NULL;

  if (remove_photo && report.photo == NULL && !change.set_title && !change.set_detail &&
      !change.set_show_name)
    {
      ks_request_error (req, 422, "invalid", "This report has no photo to remove.");
      return;
    }
  if (!change.set_title && !change.set_detail && !change.set_show_name && !change.remove_photo)
    {
      ks_request_error (req, 422, "invalid",
                        "Nothing would change. Give a new “title” or “detail”, change "
                        "“show_name”, or set “remove_photo”.");
      return;
    }

  mod.report_id = report.id;
  mod.user_id = req->principal.user_id;
  mod.reason = reason;
  mod.old_title = report.title;
  mod.new_title = change.set_title ? title : report.title;
  mod.old_detail = report.detail;
  mod.new_detail = change.set_detail ? detail : report.detail;
  mod.old_show_name = report.show_name;
  mod.new_show_name = show_name;
  mod.old_photo = report.photo;
  mod.photo_removed = change.remove_photo;
  if (!ks_store_actions_change_report (req->store, report.id, &change, &error) ||
      !ks_store_actions_add_moderation (req->store, &mod, NULL, &error) ||
      (change.remove_photo &&
       !ks_store_photos_remove (req->store, report.id, report.photo, &error)))
    {
      ks_action_fail (req, error);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_key (&dw, "fields");
  ks_json_writer_begin_array (&dw);
  if (change.set_title)
    ks_json_writer_string (&dw, "title");
  if (change.set_detail)
    ks_json_writer_string (&dw, "detail");
  if (change.set_show_name)
    ks_json_writer_string (&dw, "show_name");
  if (change.remove_photo)
    ks_json_writer_string (&dw, "photo");
  ks_json_writer_end_array (&dw);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "moderate", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- hide and unhide ---- */

static void
hide_or_unhide (KsRequest *req,
                gboolean   hide)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *previous = NULL;
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *reason = NULL, *new_state;
  gboolean hidden;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", FALSE, MAX_REASON_LENGTH, &reason) ||
      !ks_action_check_version (req, obj, TRUE, &report))
    return;

  hidden = g_strcmp0 (report.state, "hidden") == 0;
  if (hide == hidden)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }

  if (hide)
    new_state = "hidden";
  else
    {
      /* Back to the state it had before it was hidden. */
      if (!ks_store_actions_state_before_hide (req->store, report.id, &previous, &error))
        {
          ks_action_fail (req, error);
          return;
        }
      if (!ks_state_is_public (previous))
        {
          g_free (previous);
          previous = g_strdup ("confirmed");
        }
      new_state = previous;
    }

  change.set_state = TRUE;
  change.state = new_state;
  update.kind = hide ? "hide" : "unhide";
  update.text = ks_api_is_blank (reason) ? NULL : reason;
  update.state = new_state;
  update.public = FALSE;
  if (!record_change (req, report.id, &change, &update, NULL))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_string (&dw, "from", report.state);
  ks_json_writer_member_string (&dw, "to", new_state);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, hide ? "hide" : "unhide", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

static void
handle_hide (KsRequest *req)
{
  hide_or_unhide (req, TRUE);
}

static void
handle_unhide (KsRequest *req)
{
  hide_or_unhide (req, FALSE);
}

/* ---- request for more information ---- */

static char *
request_info_body (KsRequest          *req,
                   const KsReportCore *report,
                   const char         *text)
{
  const char *base = req->config->public_url ? req->config->public_url : "";
  gsize base_len = strlen (base);
  GString *body = g_string_new (NULL);

  while (base_len > 0 && base[base_len - 1] == '/')
    base_len--;
  if (!ks_api_is_blank (report->reporter_name))
    g_string_append_printf (body, "Dear %s,\n\n", report->reporter_name);
  else
    g_string_append (body, "Hello,\n\n");
  g_string_append_printf (body,
                          "%s needs more information about the problem you reported, "
                          "“%s” (reference %" G_GINT64_FORMAT "):\n\n%s\n\n"
                          "You can answer by adding an update to your report:\n"
                          "%.*s/reports/%" G_GINT64_FORMAT "\n\n"
                          "Thank you,\n%s\n",
                          report->council, report->title, report->id, text,
                          (int) base_len, base, report->id, report->council);
  return g_string_free (body, FALSE);
}

static void
handle_request_info (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *text = NULL;
  gboolean changes_state, emailed;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "text", TRUE, MAX_TEXT_LENGTH, &text) ||
      !ks_action_check_version (req, obj, FALSE, &report) ||
      !ks_action_check_not_hidden (req, &report))
    return;

  changes_state = g_strcmp0 (report.state, "awaiting_information") != 0;
  change.set_state = changes_state;
  change.state = "awaiting_information";
  update.kind = "request_info";
  update.text = text;
  update.state = changes_state ? "awaiting_information" : NULL;
  update.public = TRUE;
  if (!record_change (req, report.id, &change, &update, NULL))
    return;

  /* The question goes to the reporter when we have an address for them; it stays
   * on the report either way. */
  emailed = report.reporter_email != NULL && ks_mailer_address_is_valid (report.reporter_email);

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_bool (&dw, "emailed", emailed);
  if (changes_state)
    {
      ks_json_writer_member_string (&dw, "from", report.state);
      ks_json_writer_member_string (&dw, "to", "awaiting_information");
    }
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "request_info", details))
    return;

  /* Last, so that nothing after it can fail and leave a mail for a change that
   * was rolled back. */
  if (emailed)
    {
      subject = g_strdup_printf ("Your report “%s”: the council needs more information",
                                 report.title);
      body = request_info_body (req, &report, text);
      if (!ks_mailer_send (req->config, req->store, report.reporter_email, subject, body,
                           FALSE, report.id, &error))
        {
          ks_action_fail (req, error);
          return;
        }
    }
  ks_action_answer_report (req, 200, report.id);
}

void
ks_api_actions_register (KsRouter *router)
{
  ks_api_report_create_register (router);
  ks_api_bulk_register (router);
  ks_api_photos_register (router);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/acknowledge", 0,
                 KS_PERM_ACKNOWLEDGE_REPORT, handle_acknowledge);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/updates", 0,
                 KS_PERM_UPDATE_REPORT, handle_update);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/state", 0,
                 KS_PERM_UPDATE_STATUS, handle_state);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/priority", 0,
                 KS_PERM_PRIORITISE_REPORT, handle_priority);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/moderate", 0,
                 KS_PERM_MODERATE_REPORT, handle_moderate);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/hide", 0,
                 KS_PERM_HIDE_REPORT, handle_hide);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/unhide", 0,
                 KS_PERM_HIDE_REPORT, handle_unhide);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/request-info", 0,
                 KS_PERM_REQUEST_MORE_INFO, handle_request_info);
  ks_api_shortlist_register (router);
  ks_api_moderation_register (router);
  ks_api_corrections_register (router);
  ks_api_sendings_register (router);
}

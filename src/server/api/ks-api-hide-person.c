/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-hide-person.c: "hide everywhere": a moderator (hide_report) hides all
 * of one person's reports and updates in the council at once, from one of their
 * reports, and can undo it:
 *
 *   POST /api/v1/reports/{id}/reporter/hide    {"reason"}
 *   POST /api/v1/reports/{id}/reporter/unhide  {"reason"}
 *
 * The person is the report's reporter, by email address (any case): every
 * report of the council they made that is not hidden becomes hidden, and every
 * update they wrote on the council's reports is hidden, each as hiding it alone
 * does (state "hidden" with a "hide" timeline row; the update's moderation
 * record), so the sync carries them and Open311 no longer gives them. Undoing
 * shows again exactly what this hid (not what was hidden one by one), each
 * report back in the state it had. Hiding again takes in what they wrote
 * since. Both are audited (hide_everywhere, unhide_everywhere; object: the
 * report acted from) with the ids changed, never the address. */
#define G_LOG_DOMAIN "ks-api-hide-person"

#include "api/ks-api.h"
#include "api/ks-api-actions-private.h"
#include "ks-states.h"

/* What one hide or unhide changed. */
typedef struct {
  GArray *reports;   /* gint64 */
  GArray *updates;   /* gint64 */
} Changed;

static void
changed_clear (Changed *c)
{
  g_clear_pointer (&c->reports, g_array_unref);
  g_clear_pointer (&c->updates, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Changed, changed_clear)

/* The report's state set to hidden or back, with its timeline row. */
static gboolean
change_report (KsRequest   *req,
               gint64       report_id,
               gboolean     hide,
               const char  *reason,
               Changed     *changed,
               GError     **error)
{
  g_auto(KsReportCore) report = { 0 };
  g_autofree char *previous = NULL;
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  gboolean found = FALSE, hidden;

  if (!ks_store_actions_get_report (req->store, report_id, &found, &report, error))
    return FALSE;
  hidden = found && g_strcmp0 (report.state, "hidden") == 0;
  /* Shown or hidden since by someone else: left as it is. */
  if (!found || hidden == hide)
    return TRUE;
  if (!hide)
    {
      if (!ks_store_actions_state_before_hide (req->store, report_id, &previous, error))
        return FALSE;
      if (!ks_state_is_public (previous))
        {
          g_free (previous);
          previous = g_strdup ("confirmed");
        }
    }
  change.set_state = TRUE;
  change.state = hide ? "hidden" : previous;
  update.report_id = report_id;
  update.user_id = req->principal.user_id;
  update.author_name = req->principal.name;
  update.kind = hide ? "hide" : "unhide";
  update.text = reason;
  update.state = change.state;
  update.public = FALSE;
  if (!ks_store_actions_change_report (req->store, report_id, &change, error) ||
      !ks_store_actions_add_update (req->store, &update, NULL, error))
    return FALSE;
  g_array_append_val (changed->reports, report_id);
  return TRUE;
}

/* The update hidden or shown again, with its moderation record. */
static gboolean
change_update (KsRequest            *req,
               const KsHiddenUpdate *h,
               gboolean              hide,
               const char           *reason,
               Changed              *changed,
               GError              **error)
{
  g_auto(KsUpdateCore) update = { 0 };
  KsNewUpdateModeration mod = { 0 };
  KsReportChange bump = { 0 };
  gboolean found = FALSE;

  if (!ks_store_actions_get_update (req->store, h->report_id, h->update_id, &found, &update,
                                    error))
    return FALSE;
  if (!found || update.hidden == hide)
    return TRUE;
  mod.report_id = h->report_id;
  mod.update_id = h->update_id;
  mod.user_id = req->principal.user_id;
  mod.reason = reason;
  mod.action = hide ? "hide" : "unhide";
  mod.old_text = update.text;
  mod.new_text = update.text;
  mod.old_hidden = update.hidden;
  mod.new_hidden = hide;
  /* The report is bumped so that the sync carries its timeline. */
  if (!ks_store_actions_change_update (req->store, h->update_id, NULL, hide, error) ||
      !ks_store_actions_add_update_moderation (req->store, &mod, NULL, error) ||
      !ks_store_actions_change_report (req->store, h->report_id, &bump, error))
    return FALSE;
  g_array_append_val (changed->updates, h->update_id);
  return TRUE;
}

static gboolean
change_all (KsRequest   *req,
            GArray      *reports,
            GArray      *updates,
            gboolean     hide,
            const char  *reason,
            Changed     *changed,
            GError     **error)
{
  for (guint i = 0; i < reports->len; i++)
    if (!change_report (req, g_array_index (reports, gint64, i), hide, reason, changed, error))
      return FALSE;
  for (guint i = 0; i < updates->len; i++)
    if (!change_update (req, &g_array_index (updates, KsHiddenUpdate, i), hide, reason,
                        changed, error))
      return FALSE;
  return TRUE;
}

static void
write_ids (KsJsonWriter *w,
           const char   *key,
           GArray       *ids)
{
  ks_json_writer_key (w, key);
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < ids->len; i++)
    ks_json_writer_int (w, g_array_index (ids, gint64, i));
  ks_json_writer_end_array (w);
}

static void
hide_or_unhide_person (KsRequest *req,
                       gboolean   hide)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(Changed) changed = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                              g_array_new (FALSE, FALSE, sizeof (gint64)) };
  g_autoptr(GArray) reports = NULL;
  g_autoptr(GArray) updates = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *email = NULL;
  const char *reason = NULL;
  JsonObject *obj;
  KsJsonWriter w;
  gint64 entry = 0;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, &reason))
    return;
  if (ks_api_is_blank (reason))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “reason” must not be empty. Say why this person's reports "
                        "and updates are %s.", hide ? "hidden" : "shown again");
      return;
    }
  if (ks_api_is_blank (report.reporter_email))
    {
      ks_request_error (req, 422, "invalid",
                        "The reporter of report %" G_GINT64_FORMAT " gave no email address, "
                        "so their other reports cannot be told apart: hide this one alone.",
                        report.id);
      return;
    }
  email = g_utf8_strdown (g_strstrip (g_strdup (report.reporter_email)), -1);

  if (!ks_store_hidden_people_find (req->store, report.body_id, email, &entry, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (hide)
    {
      if ((entry == 0 &&
           !ks_store_hidden_people_add (req->store, report.body_id, email, reason,
                                        req->principal.user_id, &entry, &error)) ||
          !ks_store_hidden_people_mark (req->store, report.body_id, email, entry, &reports,
                                        &updates, &error))
        {
          ks_action_fail (req, error);
          return;
        }
    }
  else
    {
      if (entry == 0)
        {
          ks_request_error (req, 404, "not_found",
                            "This reporter's reports and updates are not hidden everywhere. "
                            "A report hidden on its own is shown again with “Unhide”.");
          return;
        }
      if (!ks_store_hidden_people_unmark (req->store, entry, &reports, &updates, &error) ||
          !ks_store_hidden_people_remove (req->store, entry, &error))
        {
          ks_action_fail (req, error);
          return;
        }
    }
  if (!change_all (req, reports, updates, hide, reason, &changed, &error))
    {
      ks_action_fail (req, error);
      return;
    }

  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "entry", entry);
  write_ids (&w, "reports", changed.reports);
  write_ids (&w, "updates", changed.updates);
  ks_json_writer_end_object (&w);
  if (!ks_request_audit (req, report.body_id, hide ? "hide_everywhere" : "unhide_everywhere",
                         "report", report.id, details->str))
    return;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_bool (&w, "hidden_everywhere", hide);
  write_ids (&w, "reports", changed.reports);
  write_ids (&w, "updates", changed.updates);
  if (!ks_action_write_detail (req, &w, "report", report.id))
    return;
  ks_json_writer_end_object (&w);
}

static void
handle_hide (KsRequest *req)
{
  hide_or_unhide_person (req, TRUE);
}

static void
handle_unhide (KsRequest *req)
{
  hide_or_unhide_person (req, FALSE);
}

void
ks_api_hide_person_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports/{id}/reporter/hide", 0,
                 KS_PERM_HIDE_REPORT, handle_hide);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/reporter/unhide", 0,
                 KS_PERM_HIDE_REPORT, handle_unhide);
}

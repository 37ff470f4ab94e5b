/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-actions.c: dispatchers of the store's actions operations. */
#include "store/ks-store.h"
#include "ks-time.h"

void
ks_report_core_clear (KsReportCore *report)
{
  g_clear_pointer (&report->council, g_free);
  g_clear_pointer (&report->category, g_free);
  g_clear_pointer (&report->title, g_free);
  g_clear_pointer (&report->detail, g_free);
  g_clear_pointer (&report->ward, g_free);
  g_clear_pointer (&report->state, g_free);
  g_clear_pointer (&report->reporter_name, g_free);
  g_clear_pointer (&report->reporter_email, g_free);
  g_clear_pointer (&report->photo, g_free);
  g_clear_pointer (&report->shortlist_user_name, g_free);
}

void
ks_update_core_clear (KsUpdateCore *update)
{
  g_clear_pointer (&update->kind, g_free);
  g_clear_pointer (&update->text, g_free);
  g_clear_pointer (&update->source, g_free);
}

void
ks_template_row_clear (KsTemplateRow *row)
{
  g_clear_pointer (&row->title, g_free);
  g_clear_pointer (&row->text, g_free);
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->email_text, g_free);
  g_clear_pointer (&row->external_status_code, g_free);
}

gboolean ks_store_actions_get_report (KsStore *self, gint64 report_id, gboolean *found, KsReportCore *out, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_report, report_id, found, out, error); }
gboolean ks_store_actions_get_council_name (KsStore *self, gint64 body_id, char **out_name, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_council_name, body_id, out_name, error); }
gboolean ks_store_actions_get_category (KsStore *self, gint64 category_id, gboolean *found, gint64 *out_body_id, gboolean *out_active, char **out_extra, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_category, category_id, found, out_body_id, out_active, out_extra, error); }
gboolean ks_store_actions_get_priority (KsStore *self, gint64 priority_id, gint64 category_id, gboolean *found, gint64 *out_body_id, gboolean *out_active, gboolean *out_applies, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_priority, priority_id, category_id, found, out_body_id, out_active, out_applies, error); }
gboolean ks_store_actions_get_template (KsStore *self, gint64 template_id, gint64 category_id, gboolean *found, KsTemplateRow *out, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_template, template_id, category_id, found, out, error); }
/* A new report, and a category's change, is sent on to the category's destination. */
gboolean ks_store_actions_create_report (KsStore *self, const KsNewReport *report, gint64 *out_report_id, GError **error)
{
  return KS_STORE_DISPATCH (self, actions, create_report, report, out_report_id, error) &&
         ks_store_sendings_note (self, *out_report_id, ks_time_now (), error);
}
gboolean ks_store_actions_change_report (KsStore *self, gint64 report_id, const KsReportChange *change, GError **error)
{ return KS_STORE_DISPATCH (self, actions, change_report, report_id, change, error); }
/* Every timeline row and moderation goes through here: the emails they call for
 * are queued in the same transaction (ks-store-notices.c). */
gboolean
ks_update_is_response (const KsNewUpdate *update)
{
  static const char *const not_responses[] = { "confirmed", "unconfirmed", "hidden", NULL };

  if (update->user_id == 0)
    return FALSE;
  if (update->public)
    return TRUE;
  return update->state != NULL && !g_strv_contains (not_responses, update->state);
}

gboolean ks_store_actions_add_update (KsStore *self, const KsNewUpdate *update, gint64 *out_update_id, GError **error)
{
  /* One clock reading: the row's time and the report's first response are the same
   * second, even when the transaction straddles a second's edge. */
  KsNewUpdate timed = *update;
  gint64 id = 0;

  if (timed.created == 0)
    timed.created = ks_time_now ();
  if (!KS_STORE_DISPATCH (self, actions, add_update, &timed, &id, error) ||
      !ks_store_notices_note_update (self, &timed, id, error) ||
      (ks_update_is_response (&timed) &&
       !KS_STORE_DISPATCH (self, actions, mark_responded, timed.report_id, timed.created, error)))
    return FALSE;
  if (out_update_id)
    *out_update_id = id;
  return TRUE;
}
gboolean ks_store_actions_add_moderation (KsStore *self, const KsNewModeration *moderation, gint64 *out_moderation_id, GError **error)
{
  return KS_STORE_DISPATCH (self, actions, add_moderation, moderation, out_moderation_id, error) &&
         ks_store_notices_note_moderation (self, moderation->report_id, error);
}
gboolean ks_store_actions_state_before_hide (KsStore *self, gint64 report_id, char **out_state, GError **error)
{ return KS_STORE_DISPATCH (self, actions, state_before_hide, report_id, out_state, error); }
gboolean ks_store_actions_record_email (KsStore *self, const char *recipient, const char *subject, const char *file, gint64 report_id, gint64 *out_email_id, GError **error)
{ return KS_STORE_DISPATCH (self, actions, record_email, recipient, subject, file, report_id, out_email_id, error); }
gboolean ks_store_actions_shortlist_ids (KsStore *self, gint64 user_id, GArray **out_report_ids, GError **error)
{ return KS_STORE_DISPATCH (self, actions, shortlist_ids, user_id, out_report_ids, error); }
gboolean ks_store_actions_shortlist_set (KsStore *self, gint64 report_id, gint64 user_id, gint64 position, GError **error)
{ return KS_STORE_DISPATCH (self, actions, shortlist_set, report_id, user_id, position, error); }
gboolean ks_store_actions_user_sees_all (KsStore *self, gint64 user_id, gboolean *out_sees_all, GError **error)
{ return KS_STORE_DISPATCH (self, actions, user_sees_all, user_id, out_sees_all, error); }
gboolean ks_store_actions_add_tombstone (KsStore *self, gint64 report_id, gint64 body_id, gint64 user_id, GError **error)
{ return KS_STORE_DISPATCH (self, actions, add_tombstone, report_id, body_id, user_id, error); }
gboolean ks_store_actions_shortlist (KsStore *self, gint64 user_id, KsReportRowFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, actions, shortlist, user_id, func, user_data, error); }
gboolean ks_store_actions_get_assignee (KsStore *self, gint64 user_id, KsAssigneeFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_assignee, user_id, func, user_data, error); }
gboolean ks_store_actions_assignees (KsStore *self, gint64 body_id, KsAssigneeFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, actions, assignees, body_id, func, user_data, error); }
gboolean ks_store_actions_get_update (KsStore *self, gint64 report_id, gint64 update_id, gboolean *found, KsUpdateCore *out, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_update, report_id, update_id, found, out, error); }
gboolean ks_store_actions_change_update (KsStore *self, gint64 update_id, const char *text, int hidden, GError **error)
{ return KS_STORE_DISPATCH (self, actions, change_update, update_id, text, hidden, error); }
gboolean ks_store_actions_add_update_moderation (KsStore *self, const KsNewUpdateModeration *moderation, gint64 *out_moderation_id, GError **error)
{ return KS_STORE_DISPATCH (self, actions, add_update_moderation, moderation, out_moderation_id, error); }
gboolean ks_store_actions_ward_at (KsStore *self, gint64 body_id, double lat, double lon, gint64 except_report_id, char **out_ward, GError **error)
{ return KS_STORE_DISPATCH (self, actions, ward_at, body_id, lat, lon, except_report_id, out_ward, error); }
gboolean ks_store_actions_get_location (KsStore *self, gint64 report_id, double *out_lat, double *out_lon, char **out_address, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_location, report_id, out_lat, out_lon, out_address, error); }
gboolean ks_store_actions_correct_report (KsStore *self, gint64 report_id, const KsReportCorrection *correction, GError **error)
{
  return KS_STORE_DISPATCH (self, actions, correct_report, report_id, correction, error) &&
         (!correction->set_category || ks_store_sendings_note (self, report_id, ks_time_now (), error));
}
gboolean ks_store_actions_get_attributes (KsStore *self, gint64 report_id, GPtrArray **out_pairs, GError **error)
{ return KS_STORE_DISPATCH (self, actions, get_attributes, report_id, out_pairs, error); }
gboolean ks_store_actions_set_attributes (KsStore *self, gint64 report_id, const char * const *pairs, guint n_pairs, GError **error)
{ return KS_STORE_DISPATCH (self, actions, set_attributes, report_id, pairs, n_pairs, error); }
gboolean ks_store_actions_keep_attributes (KsStore *self, gint64 update_id, const char * const *pairs, guint n_pairs, GError **error)
{ return KS_STORE_DISPATCH (self, actions, keep_attributes, update_id, pairs, n_pairs, error); }
gboolean
ks_store_actions_apply_default_priority (KsStore *self, gint64 report_id,
                                         gint64 *out_priority_id, GError **error)
{
  KsNewUpdate entry = { 0 };
  gint64 priority_id = 0;

  if (!KS_STORE_DISPATCH (self, actions, apply_default_priority, report_id, &priority_id,
                          error))
    return FALSE;
  if (out_priority_id != NULL)
    *out_priority_id = priority_id;
  if (priority_id == 0)
    return TRUE;
  entry.report_id = report_id;
  entry.kind = "priority";
  entry.text = KS_DEFAULT_PRIORITY_TEXT;
  entry.priority_id = priority_id;
  entry.public = FALSE;
  return ks_store_actions_add_update (self, &entry, NULL, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-notices.c: dispatchers of the store's emails to residents, and what
 * each change to a report queues (one place, whichever path the change took:
 * an action, a bulk action, a correction, an Open311 client). */
#define G_LOG_DOMAIN "ks-store"

#include "store/ks-store.h"
#include "ks-states.h"
#include "ks-template.h"
#include "ks-time.h"

#include <string.h>

void
ks_notice_clear (KsNotice *notice)
{
  g_clear_pointer (&notice->kind, g_free);
  g_clear_pointer (&notice->state, g_free);
  g_clear_pointer (&notice->subject, g_free);
  g_clear_pointer (&notice->file, g_free);
  g_clear_pointer (&notice->error, g_free);
  g_clear_pointer (&notice->answer, g_free);
}

gboolean
ks_notices_kind_is_valid (const char *kind)
{
  return g_strcmp0 (kind, KS_NOTICE_CONFIRMATION) == 0 || g_strcmp0 (kind, KS_NOTICE_UPDATE) == 0 ||
         g_strcmp0 (kind, KS_NOTICE_MODERATED) == 0 ||
         g_strcmp0 (kind, KS_NOTICE_QUESTIONNAIRE) == 0 || g_strcmp0 (kind, KS_NOTICE_SEND_ON) == 0;
}

void
ks_auto_response_clear (KsAutoResponse *response)
{
  g_clear_pointer (&response->text, g_free);
  g_clear_pointer (&response->email_text, g_free);
  g_clear_pointer (&response->external_status_code, g_free);
}

gboolean ks_store_notices_queue (KsStore *self, const KsNewNotice *notice, gboolean *out_queued, GError **error)
{
  gboolean queued = FALSE;
  if (!KS_STORE_DISPATCH (self, notices, queue, notice, &queued, error))
    return FALSE;
  if (out_queued)
    *out_queued = queued;
  return TRUE;
}
gboolean ks_store_notices_due (KsStore *self, gint64 now, guint limit, GArray **out_ids, GError **error)
{ return KS_STORE_DISPATCH (self, notices, due, now, limit, out_ids, error); }
gboolean ks_store_notices_get (KsStore *self, gint64 id, gboolean *found, KsNotice *out, GError **error)
{ return KS_STORE_DISPATCH (self, notices, get, id, found, out, error); }
gboolean ks_store_notices_finish (KsStore *self, gint64 id, const KsNoticeResult *result, GError **error)
{ return KS_STORE_DISPATCH (self, notices, finish, id, result, error); }
gboolean ks_store_notices_list (KsStore *self, gint64 report_id, KsNoticeFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, notices, list, report_id, func, user_data, error); }
gboolean ks_store_notices_updates_since (KsStore *self, gint64 report_id, gint64 from_update, KsNoticeUpdateFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, notices, updates_since, report_id, from_update, func, user_data, error); }
gboolean ks_store_notices_by_token (KsStore *self, const char *token_hash, gboolean *found, KsNotice *out, GError **error)
{ return KS_STORE_DISPATCH (self, notices, by_token, token_hash, found, out, error); }
gboolean ks_store_notices_answer (KsStore *self, gint64 id, const char *answer, gint64 now, GError **error)
{ return KS_STORE_DISPATCH (self, notices, answer, id, answer, now, error); }
gboolean ks_store_notices_set_client (KsStore *self, gint64 report_id, gint64 api_key_id, GError **error)
{ return KS_STORE_DISPATCH (self, notices, set_client, report_id, api_key_id, error); }
gboolean ks_store_notices_set_client_notify (KsStore *self, gint64 api_key_id, gboolean notify, GError **error)
{ return KS_STORE_DISPATCH (self, notices, set_client_notify, api_key_id, notify, error); }
gboolean ks_store_notices_auto_response (KsStore *self, gint64 report_id, const char *state, gboolean *found, KsAutoResponse *out, GError **error)
{ return KS_STORE_DISPATCH (self, notices, auto_response, report_id, state, found, out, error); }

/* ---- What changes queue ---- */

static KsNoticeTimes times = { 60, 300, 28 * 24 * 3600, NULL };

void
ks_store_notices_set_times (const KsNoticeTimes *t)
{
  times = *t;
}

const KsNoticeTimes *
ks_store_notices_times (void)
{
  return &times;
}

GHashTable *
ks_report_template_values (const KsReportCore *report,
                           const char         *state,
                           const char         *public_url)
{
  GHashTable *values = ks_template_values_new ();
  const KsState *s = ks_state_lookup (state);
  const char *base = public_url ? public_url : "";
  gsize base_len = strlen (base);

  while (base_len > 0 && base[base_len - 1] == '/')
    base_len--;
  g_hash_table_insert (values, g_strdup ("id"), g_strdup_printf ("%" G_GINT64_FORMAT, report->id));
  g_hash_table_insert (values, g_strdup ("title"), g_strdup (report->title ? report->title : ""));
  g_hash_table_insert (values, g_strdup ("category"), g_strdup (report->category ? report->category : ""));
  g_hash_table_insert (values, g_strdup ("state"), g_strdup (s ? s->label : (state ? state : "")));
  g_hash_table_insert (values, g_strdup ("council"), g_strdup (report->council ? report->council : ""));
  g_hash_table_insert (values, g_strdup ("ward"), g_strdup (report->ward ? report->ward : ""));
  g_hash_table_insert (values, g_strdup ("reporter_name"),
                       g_strdup (report->show_name && report->reporter_name ? report->reporter_name : ""));
  g_hash_table_insert (values, g_strdup ("url"),
                       g_strdup_printf ("%.*s/reports/%" G_GINT64_FORMAT, (int) base_len, base, report->id));
  return values;
}

static gboolean
queue (KsStore *self, gint64 report_id, const char *kind, gint64 due, gint64 gather,
       gint64 from_update, GError **error)
{
  KsNewNotice n = { report_id, kind, ks_time_now (), due, gather, from_update };

  return ks_store_notices_queue (self, &n, NULL, error);
}

/* A report that reached a state with no words of its own gets the council's
 * auto-response for that state, when it has one, as a public update. */
static gboolean
apply_auto_response (KsStore *self, const KsNewUpdate *update, GError **error)
{
  g_auto(KsAutoResponse) response = { 0 };
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *text = NULL, *email_text = NULL;
  KsNewUpdate reply = { 0 };
  gboolean found = FALSE;

  if (!ks_store_notices_auto_response (self, update->report_id, update->state, &found,
                                       &response, error))
    return FALSE;
  if (!found)
    return TRUE;
  if (!ks_store_actions_get_report (self, update->report_id, &found, &report, error))
    return FALSE;
  if (!found)
    return TRUE;
  values = ks_report_template_values (&report, update->state, times.public_url);
  text = ks_template_fill (response.text, values);
  if (response.email_text != NULL && *response.email_text != '\0')
    email_text = ks_template_fill (response.email_text, values);
  reply.report_id = update->report_id;
  reply.user_id = update->user_id;
  reply.author_name = update->author_name;
  reply.kind = "update";
  reply.text = text;
  reply.email_text = email_text;
  reply.external_status_code = response.external_status_code;
  reply.public = TRUE;
  /* Queues the email in turn (it is a public update with words). */
  return ks_store_actions_add_update (self, &reply, NULL, error);
}

gboolean
ks_store_notices_note_update (KsStore           *self,
                              const KsNewUpdate *update,
                              gint64             update_id,
                              GError           **error)
{
  gint64 now = ks_time_now ();
  gboolean has_text = update->text != NULL && *update->text != '\0';
  const KsState *state = update->state ? ks_state_lookup (update->state) : NULL;

  /* A report entered by staff for a resident: its confirmation, at once. */
  if (g_strcmp0 (update->kind, "created") == 0)
    return update->user_id <= 0 ||
           queue (self, update->report_id, KS_NOTICE_CONFIRMATION, now, 0, 0, error);

  /* Asking for information mails the question itself; the rest is not news. */
  if (!update->public ||
      (g_strcmp0 (update->kind, "update") != 0 && g_strcmp0 (update->kind, "state") != 0 &&
       g_strcmp0 (update->kind, "acknowledge") != 0))
    return TRUE;
  if (!has_text && state == NULL)
    return TRUE;

  if (!queue (self, update->report_id, KS_NOTICE_UPDATE, now + times.delay, times.gather,
              update_id, error))
    return FALSE;
  if (state != NULL && !has_text && !apply_auto_response (self, update, error))
    return FALSE;
  if (state != NULL && state->kind == KS_STATE_KIND_FIXED &&
      !queue (self, update->report_id, KS_NOTICE_QUESTIONNAIRE, now + times.questionnaire, 0,
              0, error))
    return FALSE;
  return TRUE;
}

gboolean
ks_store_notices_note_moderation (KsStore *self, gint64 report_id, GError **error)
{
  return queue (self, report_id, KS_NOTICE_MODERATED, ks_time_now () + times.delay, 0, 0, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-retention.c: the retention rules of each council, planned and applied (see
 * ks-retention.h). Anonymising is the store's own erasure (the one behind
 * POST /api/v1/reports/{id}/anonymise), deactivating the staff API's change of
 * an account's "active" flag with its sessions ended. */
#define G_LOG_DOMAIN "ks-retention"

#include "councils/ks-retention.h"
#include "mail/ks-mailer.h"
#include "store/ks-admin-kind.h"
#include "ks-states.h"

#define DAY (24 * 3600)

void
ks_retention_plan_clear (KsRetentionPlan *plan)
{
  g_clear_pointer (&plan->reports, g_array_unref);
  g_clear_pointer (&plan->staff, g_array_unref);
}

static gboolean
is_finished (const char *state_id)
{
  const KsState *state = ks_state_lookup (state_id);

  return state != NULL &&
         (state->kind == KS_STATE_KIND_FIXED || state->kind == KS_STATE_KIND_CLOSED);
}

gboolean
ks_retention_plan (KsStore         *store,
                   gint64           body_id,
                   gint64           now,
                   KsRetentionPlan *out,
                   GError         **error)
{
  g_auto(KsBodyRow) body = { 0 };

  if (!ks_store_admin_get_body (store, body_id, &body, error))
    return FALSE;
  out->body_id = body_id;
  out->now = now;
  out->reports = ks_retention_reports_new ();
  out->staff = ks_retention_staff_new ();
  out->audit_entries = 0;
  out->reports_before = body.retention_reporter_days > 0 ? now - body.retention_reporter_days * DAY : 0;
  out->staff_before = body.retention_staff_days > 0 ? now - body.retention_staff_days * DAY : 0;
  out->audit_before = body.retention_audit_days > 0 ? now - body.retention_audit_days * DAY : 0;

  if (out->reports_before > 0)
    {
      g_autoptr(GArray) old = NULL;

      if (!ks_store_retention_old_reports (store, body_id, out->reports_before, &old, error))
        return FALSE;
      for (guint i = 0; i < old->len; i++)
        {
          KsRetentionReport *r = &g_array_index (old, KsRetentionReport, i);

          if (!is_finished (r->state))
            continue;
          g_array_append_val (out->reports, *r);
          /* The strings now belong to the plan. */
          r->state = r->title = NULL;
        }
    }
  if (out->staff_before > 0)
    {
      g_clear_pointer (&out->staff, g_array_unref);
      if (!ks_store_retention_unused_staff (store, body_id, out->staff_before, &out->staff, error))
        return FALSE;
    }
  if (out->audit_before > 0 &&
      !ks_store_retention_count_audit (store, body_id, out->audit_before, &out->audit_entries,
                                       error))
    return FALSE;
  return TRUE;
}

/* The job's audit details: what ran it, the rule and its days, and what it
 * removed (counts of an anonymisation, or entries >= 0 of the audit log). */
static char *
audit_details (const char *via, const char *key, gint64 value, const KsPrivacyCounts *counts,
               gint64 entries)
{
  GString *out = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, out);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "via", via);
  ks_json_writer_member_string (&w, "rule", key);
  ks_json_writer_member_int (&w, "days", value);
  if (counts != NULL)
    {
      ks_json_writer_member_int (&w, "updates", counts->updates);
      ks_json_writer_member_int (&w, "emails", counts->emails);
      ks_json_writer_member_int (&w, "answers", counts->answers);
    }
  if (entries >= 0)
    ks_json_writer_member_int (&w, "entries", entries);
  ks_json_writer_end_object (&w);
  return g_string_free (out, FALSE);
}

static gboolean
finish_write (KsStore *store, gboolean ok, GError **error)
{
  if (ok && ks_store_commit (store, error))
    return TRUE;
  ks_store_rollback (store);
  return FALSE;
}

/* One report: anonymised if it is still in a finished state (someone may have
 * reopened it since the plan was made). */
static gboolean
anonymise (KsStore *store, const KsRetentionPlan *plan, const KsRetentionReport *r,
           const char *via, GPtrArray *files, gboolean *out_changed, GError **error)
{
  g_auto(KsReportCore) report = { 0 };
  g_autofree char *reason = NULL;
  g_autofree char *details = NULL;
  KsPrivacyCounts counts = { .email_files = files };
  gint64 days = (plan->now - plan->reports_before) / DAY;
  gboolean found = FALSE, ok;

  *out_changed = FALSE;
  if (!ks_store_begin_write (store, error))
    return FALSE;
  ok = ks_store_actions_get_report (store, r->id, &found, &report, error);
  if (ok && found && is_finished (report.state))
    {
      reason = g_strdup_printf ("The council keeps a reporter's details %" G_GINT64_FORMAT
                                " days after a report is finished.", days);
      ok = ks_store_privacy_anonymise_report (store, r->id, 0, reason, out_changed, &counts,
                                              error);
      if (ok && *out_changed)
        {
          details = audit_details (via, "retention_reporter_days", days, &counts, -1);
          ok = ks_store_audit (store, NULL, plan->body_id, "anonymise", "report", r->id,
                               details, error);
        }
    }
  return finish_write (store, ok, error);
}

static gboolean
deactivate (KsStore *store, const KsRetentionPlan *plan, const KsRetentionStaff *s,
            const char *via, GError **error)
{
  const KsAdminKind *kind = ks_admin_kind (KS_ADMIN_OBJECT_USER);
  g_auto(KsAdminRow) row = { 0 };
  g_autofree char *details = NULL;
  gboolean ok;

  ks_admin_row_init (&row, kind);
  ks_admin_row_set_number (&row, "active", 0);
  details = audit_details (via, "retention_staff_days", (plan->now - plan->staff_before) / DAY,
                           NULL, -1);
  if (!ks_store_begin_write (store, error))
    return FALSE;
  ok = ks_store_admin_update (store, KS_ADMIN_OBJECT_USER, s->id, &row, error) &&
       ks_store_auth_revoke_user_sessions (store, s->id, 0, error) &&
       ks_store_audit (store, NULL, plan->body_id, kind->audit_update, "user", s->id, details,
                       error);
  return finish_write (store, ok, error);
}

static gboolean
purge_audit (KsStore *store, const KsRetentionPlan *plan, const char *via, gint64 *out,
             GError **error)
{
  g_autofree char *details = NULL;
  gboolean ok;

  if (!ks_store_begin_write (store, error))
    return FALSE;
  ok = ks_store_retention_purge_audit (store, plan->body_id, plan->audit_before, out, error);
  if (ok && *out > 0)
    {
      details = audit_details (via, "retention_audit_days", (plan->now - plan->audit_before) / DAY,
                               NULL, *out);
      ok = ks_store_audit (store, NULL, plan->body_id, "purge_audit", "body", plan->body_id,
                           details, error);
    }
  return finish_write (store, ok, error);
}

gboolean
ks_retention_apply (KsStore               *store,
                    const KsRetentionPlan *plan,
                    const char            *via,
                    const char            *outbox_dir,
                    KsRetentionDone       *out,
                    GError               **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  *out = (KsRetentionDone) { 0 };
  for (guint i = 0; ok && i < plan->reports->len; i++)
    {
      gboolean changed = FALSE;

      ok = anonymise (store, plan, &g_array_index (plan->reports, KsRetentionReport, i), via,
                      files, &changed, error);
      if (ok && changed)
        out->reports++;
    }
  /* What was committed is erased for good, whatever came next. */
  for (guint i = 0; i < files->len; i++)
    ks_mailer_remove_file (outbox_dir, g_ptr_array_index (files, i));
  if (out->reports > 0)
    {
      g_autoptr(GError) purge_error = NULL;

      if (!ks_store_privacy_purge_old_copies (store, &purge_error))
        g_warning ("After the retention job's erasures: %s", purge_error->message);
    }
  for (guint i = 0; ok && i < plan->staff->len; i++)
    {
      ok = deactivate (store, plan, &g_array_index (plan->staff, KsRetentionStaff, i), via, error);
      if (ok)
        out->staff++;
    }
  if (ok && plan->audit_before > 0 && plan->audit_entries > 0)
    ok = purge_audit (store, plan, via, &out->audit_entries, error);
  return ok;
}

gboolean
ks_retention_run_daily (KsStore    *store,
                        gint64      now,
                        const char *outbox_dir,
                        GError    **error)
{
  g_autoptr(GArray) ids = NULL;
  gboolean claimed = FALSE;

  if (!ks_store_retention_claim_day (store, now / DAY, &claimed, error))
    return FALSE;
  if (!claimed)
    return TRUE;
  if (!ks_store_councils_list_bodies (store, &ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(KsRetentionPlan) plan = { 0 };
      KsRetentionDone done = { 0 };

      if (!ks_retention_plan (store, g_array_index (ids, gint64, i), now, &plan, error) ||
          !ks_retention_apply (store, &plan, "housekeeping", outbox_dir, &done, error))
        return FALSE;
      if (done.reports + done.staff + done.audit_entries > 0)
        g_message ("Retention, council %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
                   " reports anonymised, %" G_GINT64_FORMAT " staff accounts deactivated, %"
                   G_GINT64_FORMAT " audit entries deleted", plan.body_id, done.reports,
                   done.staff, done.audit_entries);
    }
  return TRUE;
}

void
ks_retention_plan_write (KsJsonWriter          *w,
                         const KsRetentionPlan *plan)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "body_id", plan->body_id);
  ks_json_writer_member_timestamp (w, "at", plan->now);
  ks_json_writer_key (w, "reports");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < plan->reports->len; i++)
    {
      const KsRetentionReport *r = &g_array_index (plan->reports, KsRetentionReport, i);

      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", r->id);
      ks_json_writer_member_string (w, "title", r->title);
      ks_json_writer_member_string (w, "state", r->state);
      ks_json_writer_member_timestamp (w, "updated", r->updated);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  ks_json_writer_key (w, "staff");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < plan->staff->len; i++)
    {
      const KsRetentionStaff *s = &g_array_index (plan->staff, KsRetentionStaff, i);

      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", s->id);
      ks_json_writer_member_string (w, "name", s->name);
      ks_json_writer_member_string (w, "email", s->email);
      ks_json_writer_member_timestamp (w, "last_used", s->last_used);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  ks_json_writer_member_int (w, "audit_entries", plan->audit_entries);
  ks_json_writer_end_object (w);
}

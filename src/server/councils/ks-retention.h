/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-retention.h: keeping only what is needed. Once a day (the server's
 * housekeeping, on one instance) and on demand (kerbside-server retention), each
 * council's retention settings are applied:
 *
 *   retention_reporter_days  reports in a fixed or closed state, unchanged for
 *                            that long, are anonymised (the reporter's details go,
 *                            the content stays: the same erasure as the staff
 *                            API's anonymise);
 *   retention_staff_days     staff accounts not used for that long (no sign-in
 *                            since, or never since they were made) are
 *                            deactivated and their sessions ended;
 *   retention_audit_days     older audit entries are deleted.
 *
 * 0 turns a rule off. A plan lists what would change (the dry run); applying it
 * makes each change in its own write with its audit entry. */
#pragma once

#include "store/ks-store.h"
#include "ks-json-writer.h"

G_BEGIN_DECLS

typedef struct {
  gint64   body_id;
  gint64   now;
  gint64   reports_before;   /* 0: the rule is off */
  gint64   staff_before;
  gint64   audit_before;
  GArray  *reports;          /* KsRetentionReport, in a fixed or closed state */
  GArray  *staff;            /* KsRetentionStaff */
  gint64   audit_entries;    /* older than audit_before */
} KsRetentionPlan;

void     ks_retention_plan_clear (KsRetentionPlan *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsRetentionPlan, ks_retention_plan_clear)

/* What the council's settings would change at now (reads only). */
gboolean ks_retention_plan   (KsStore         *store,
                              gint64           body_id,
                              gint64           now,
                              KsRetentionPlan *out,
                              GError         **error);

/* What was changed. */
typedef struct {
  gint64 reports;
  gint64 staff;
  gint64 audit_entries;
} KsRetentionDone;

/* Applies the plan (outside any write: each change is its own), removing the
 * erased emails' files from outbox_dir (NULL: none) once committed. via names
 * what ran it in the audit entries ("housekeeping", "command line"). */
gboolean ks_retention_apply  (KsStore               *store,
                              const KsRetentionPlan *plan,
                              const char            *via,
                              const char            *outbox_dir,
                              KsRetentionDone       *out,
                              GError               **error);

/* The daily run: when the day of now was not yet taken (by this instance or
 * another), takes it and applies every council's plan. */
gboolean ks_retention_run_daily (KsStore    *store,
                                 gint64      now,
                                 const char *outbox_dir,
                                 GError    **error);

/* The plan as JSON (one object). */
void     ks_retention_plan_write (KsJsonWriter          *w,
                                  const KsRetentionPlan *plan);

G_END_DECLS

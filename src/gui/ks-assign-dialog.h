/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-assign-dialog.h: assigning the detail's report to someone's shortlist: the
 * council's staff who can hold reports, one to choose. */
#pragma once

#include <adwaita.h>
#include "ks-report-detail.h"

G_BEGIN_DECLS

#define KS_TYPE_ASSIGN_DIALOG (ks_assign_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsAssignDialog, ks_assign_dialog, KS, ASSIGN_DIALOG, AdwMessageDialog)

/* The dialog for the detail's shown report, not yet presented; NULL without a
 * report. Its choice is sent through the detail's session (taking the report
 * over from a colleague who holds it), and the detail shows the result. */
GtkWidget *ks_assign_dialog_new    (KsReportDetail *detail);
/* Chooses the person (for tests): FALSE when they are not offered. */
gboolean   ks_assign_dialog_choose (KsAssignDialog *self, gint64 user_id);

G_END_DECLS

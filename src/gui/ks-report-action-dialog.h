/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-action-dialog.h: the dialogs of the report detail's actions (public
 * update with templates, state, priority, ask the reporter, moderate, hide). */
#pragma once

#include <adwaita.h>
#include "ks-report-detail.h"

G_BEGIN_DECLS

#define KS_TYPE_REPORT_ACTION_DIALOG (ks_report_action_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsReportActionDialog, ks_report_action_dialog, KS, REPORT_ACTION_DIALOG, AdwMessageDialog)

/* The dialog of `action` ("update", "state", "priority", "request-info",
 * "moderate", "hide") for the detail's shown report, not yet presented; NULL
 * for another name. Its answer is sent through the detail's session, and the
 * detail shows the result. */
GtkWidget *ks_report_action_dialog_new (KsReportDetail *detail,
                                        const char     *action);

G_END_DECLS

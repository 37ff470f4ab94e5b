/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-caller-reports-dialog.h: Find Caller's Reports, for staff who take
 * residents' calls (create_report_on_behalf): type the caller's email, phone
 * number or name, press Enter, and see their reports (reference, title, state,
 * date, address), newest first; activating one emits "report-activated"
 * (gint64 id). Each search is one request (the server audits it as a view of
 * personal data), never one a key. Offline it says so at once. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_CALLER_REPORTS_DIALOG (ks_caller_reports_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsCallerReportsDialog, ks_caller_reports_dialog, KS, CALLER_REPORTS_DIALOG, AdwWindow)

GtkWidget  *ks_caller_reports_dialog_new        (GtkWindow *parent,
                                                 KsSession *session);
/* Searches for text as typing it and pressing Enter does. */
void        ks_caller_reports_dialog_search     (KsCallerReportsDialog *self,
                                                 const char            *text);
gboolean    ks_caller_reports_dialog_is_busy    (KsCallerReportsDialog *self);
/* The rows as shown, "title\nsubtitle" each, blank lines between. */
char       *ks_caller_reports_dialog_get_rows_text (KsCallerReportsDialog *self);
guint       ks_caller_reports_dialog_get_n_rows (KsCallerReportsDialog *self);
/* What the dialog says under the entry: how it searched and how many it found,
 * that nothing matched, or the error. */
const char *ks_caller_reports_dialog_get_status (KsCallerReportsDialog *self);
/* Activates row index as a click does; FALSE when there is none. */
gboolean    ks_caller_reports_dialog_open       (KsCallerReportsDialog *self,
                                                 guint                  index);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bulk-results-dialog.h: what a bulk action did: how many reports changed,
 * and each one that did not with why, in words (changed by someone else since it
 * was selected, not allowed to your role, gone, or the server's sentence), each
 * openable. The rows are a virtualised list: a thousand refusals cost what the
 * screen shows. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_BULK_RESULTS_DIALOG (ks_bulk_results_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsBulkResultsDialog, ks_bulk_results_dialog, KS, BULK_RESULTS_DIALOG,
                      AdwMessageDialog)

/* what: the action in words ("Change State to “Fixed”"). The session names the
 * reports (their titles and states as they now are). */
GtkWidget  *ks_bulk_results_dialog_new        (GtkWindow          *parent,
                                               KsSession          *session,
                                               const char         *what,
                                               const KsBulkResult *result);
/* The reason shown for report id ("" when it succeeded; NULL when it was not
 * in the bulk). */
const char *ks_bulk_results_dialog_get_reason (KsBulkResultsDialog *self, gint64 id);
/* How many refused rows the list holds. */
guint       ks_bulk_results_dialog_get_n_rows (KsBulkResultsDialog *self);
/* Opens report id as activating its row does (emits "show-report"). */
gboolean    ks_bulk_results_dialog_activate   (KsBulkResultsDialog *self, gint64 id);

/* Signals: "show-report" (gint64 id). */

G_END_DECLS

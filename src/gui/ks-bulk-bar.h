/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bulk-bar.h: the bar under the reports while several are selected: "N
 * selected" and the bulk actions the person's role allows (Acknowledge, Change
 * State, Prioritise, Category, Assign, Template Reply). An action asks for its
 * choice, goes through the session (the outbox when offline) as one request, and
 * its results open in KsBulkResultsDialog. */
#pragma once

#include <adwaita.h>
#include "ks-report-list.h"
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_BULK_BAR (ks_bulk_bar_get_type ())
G_DECLARE_FINAL_TYPE (KsBulkBar, ks_bulk_bar, KS, BULK_BAR, GtkWidget)

GtkWidget  *ks_bulk_bar_new          (void);
/* The list whose selection the bar acts on, and the session it acts through
 * (its permissions choose the buttons). Either may be NULL. */
void        ks_bulk_bar_set_list     (KsBulkBar *self, KsReportList *list);
void        ks_bulk_bar_set_session  (KsBulkBar *self, KsSession *session);

/* The bar shows from two selected reports on (one is the detail's business). */
gboolean    ks_bulk_bar_get_revealed (KsBulkBar *self);
/* "N selected", as shown. */
const char *ks_bulk_bar_get_label    (KsBulkBar *self);
/* The button of an action ("acknowledge", "state", "priority", "category",
 * "assign", "template"); hidden when the role may not. */
GtkWidget  *ks_bulk_bar_get_button   (KsBulkBar *self, const char *action);
/* Whether a bulk request is on its way (the buttons wait meanwhile). */
gboolean    ks_bulk_bar_get_busy     (KsBulkBar *self);

/* The choice dialog of an action (an AdwMessageDialog, responses "apply" and
 * "cancel"): picks the choice whose key is key (a state id, a priority,
 * category, template or user id as text, "" for none). FALSE when not offered. */
gboolean    ks_bulk_bar_choose       (GtkWidget *dialog, const char *key);

/* Signals:
 * "show-report" (gint64 id): a report of the results was opened.
 * "toast" (const char *message): a sentence for the window's toast. */

G_END_DECLS

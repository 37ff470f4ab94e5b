/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail.h: one report in full, with the actions the user may take. */
#pragma once

#include <gtk/gtk.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_REPORT_DETAIL (ks_report_detail_get_type ())
G_DECLARE_FINAL_TYPE (KsReportDetail, ks_report_detail, KS, REPORT_DETAIL, GtkWidget)

GtkWidget  *ks_report_detail_new                (void);
void        ks_report_detail_set_session        (KsReportDetail *self, KsSession *session);
/* Shows a report (NULL: the "no report selected" page) and fetches its detail. */
void        ks_report_detail_set_report         (KsReportDetail *self, KsReport *report);
KsReport   *ks_report_detail_get_report         (KsReportDetail *self);
/* The fetched detail object (GET /reports/{id}), or NULL while loading. */
JsonObject *ks_report_detail_get_detail         (KsReportDetail *self);
/* Sets the tile source of the small location map. */
void        ks_report_detail_set_tile_source    (KsReportDetail *self, const char *url_template);

/* The actions offered for the shown report, by name: "acknowledge", "update",
 * "state", "priority", "request-info", "moderate", "hide", "shortlist".
 * Only those the user's permissions allow are ever offered. */
char      **ks_report_detail_get_offered_actions (KsReportDetail *self);
/* The button of an offered action, or NULL. */
GtkWidget  *ks_report_detail_get_action_button  (KsReportDetail *self, const char *action);
/* The GtkPicture that shows the report's photo (for tests). */
GtkWidget  *ks_report_detail_get_photo_picture  (KsReportDetail *self);
/* Acknowledges the shown report (the Ctrl+Shift+A shortcut). Returns FALSE when
 * that is not possible (no report, no permission, already acknowledged). */
gboolean    ks_report_detail_acknowledge        (KsReportDetail *self);

/* Fetches the shown report's detail again (e.g. back online). */
void        ks_report_detail_reload             (KsReportDetail *self);
/* Shows again the changes waiting in the outbox for the shown report (pending
 * items at the end of the updates). */
void        ks_report_detail_show_pending       (KsReportDetail *self);

/* Signals:
 * "toast" (const char *message): a result to show to the person.
 * "loaded" (): the detail of the shown report arrived (or failed). */

G_END_DECLS

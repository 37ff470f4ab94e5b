/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-create-report-dialog.h: a report entered on a resident's (or the
 * council's) behalf at a place on the map or at an address typed in: category (none until chosen), its
 * extra questions, who reported it. Sends it through the session itself and
 * emits "created" (gint64 id, gboolean queued) before closing; a refusal stays
 * in the dialog as the server's sentence. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_CREATE_REPORT_DIALOG (ks_create_report_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsCreateReportDialog, ks_create_report_dialog, KS, CREATE_REPORT_DIALOG, AdwWindow)

GtkWidget  *ks_create_report_dialog_new                (GtkWindow *parent,
                                                        KsSession *session,
                                                        double     lat,
                                                        double     lon);
void        ks_create_report_dialog_get_location       (KsCreateReportDialog *self,
                                                        double               *lat,
                                                        double               *lon);
/* The small map's tiles, as ks_map_view_set_tile_source() takes them. */
void        ks_create_report_dialog_set_tile_source    (KsCreateReportDialog *self,
                                                        const char           *url_template);
/* The address typed (an AdwEntryRow) and the places that match it (a
 * KsPlaceSearch under the place): choosing one puts the report, and the pin
 * on the small map (a KsMapView), at the place, and its name in the address. */
GtkWidget  *ks_create_report_dialog_get_address_row    (KsCreateReportDialog *self);
GtkWidget  *ks_create_report_dialog_get_place_search   (KsCreateReportDialog *self);
GtkWidget  *ks_create_report_dialog_get_map_view       (KsCreateReportDialog *self);
/* The place as shown: "Near High Street, Oxford, Carfax ward". */
const char *ks_create_report_dialog_get_place          (KsCreateReportDialog *self);
/* 0 while no category is chosen. */
gint64      ks_create_report_dialog_get_category_id    (KsCreateReportDialog *self);
/* Chooses the category as the person would; FALSE when it is not offered. */
gboolean    ks_create_report_dialog_select_category    (KsCreateReportDialog *self,
                                                        gint64                category_id);
const char *ks_create_report_dialog_get_title          (KsCreateReportDialog *self);
/* Transfer none; valid until the dialog is destroyed. */
const char *ks_create_report_dialog_get_detail         (KsCreateReportDialog *self);
/* NULL when the report is made as the council. */
const char *ks_create_report_dialog_get_reporter_name  (KsCreateReportDialog *self);
const char *ks_create_report_dialog_get_reporter_email (KsCreateReportDialog *self);
const char *ks_create_report_dialog_get_reporter_phone (KsCreateReportDialog *self);
/* The row asking the chosen category's question code (an AdwComboRow for a
 * singlevaluelist, an AdwExpanderRow of check rows for a multivaluelist, an
 * AdwEntryRow otherwise), or NULL. */
GtkWidget  *ks_create_report_dialog_get_question_row   (KsCreateReportDialog *self,
                                                        const char           *code);
guint       ks_create_report_dialog_get_n_questions    (KsCreateReportDialog *self);
GtkWidget  *ks_create_report_dialog_get_create_button  (KsCreateReportDialog *self);
/* What is still missing ("Still needed: ..."), the server's refusal, or "". */
const char *ks_create_report_dialog_get_status         (KsCreateReportDialog *self);
/* The request body as it would be sent. */
JsonObject *ks_create_report_dialog_get_body           (KsCreateReportDialog *self);
/* Fills the fields (tests and quick entry). */
void        ks_create_report_dialog_fill               (KsCreateReportDialog *self,
                                                        gint64                category_id,
                                                        const char           *title,
                                                        const char           *detail,
                                                        const char           *reporter_name);
/* Presses Create Report when it is enabled. */
void        ks_create_report_dialog_submit             (KsCreateReportDialog *self);

/* The photo to send with the report (JPEG or PNG bytes), or NULL. */
GBytes     *ks_create_report_dialog_get_photo          (KsCreateReportDialog *self);

/* The open reports of the chosen category nearby, as shown: "#id title\nN m away ·
 * state" each, or the note shown instead (free with g_strfreev); empty before a
 * category is chosen. */
char      **ks_create_report_dialog_get_nearby         (KsCreateReportDialog *self);
/* Activates the row of a report nearby: opens it in the main window and closes
 * the dialog. FALSE when it is not listed. */
gboolean    ks_create_report_dialog_open_nearby        (KsCreateReportDialog *self,
                                                        gint64                report_id);
GtkWidget  *ks_create_report_dialog_get_nearby_group   (KsCreateReportDialog *self);

G_END_DECLS

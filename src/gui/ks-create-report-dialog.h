/* ks-create-report-dialog.h: a report entered on a resident's (or the
 * council's) behalf, at a place picked on the map. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_CREATE_REPORT_DIALOG (ks_create_report_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsCreateReportDialog, ks_create_report_dialog, KS, CREATE_REPORT_DIALOG, AdwMessageDialog)

/* Responses: "cancel", "create". */
GtkWidget  *ks_create_report_dialog_new                (GtkWindow *parent,
                                                        KsSession *session,
                                                        double     lat,
                                                        double     lon);
void        ks_create_report_dialog_get_location       (KsCreateReportDialog *self,
                                                        double               *lat,
                                                        double               *lon);
gint64      ks_create_report_dialog_get_category_id    (KsCreateReportDialog *self);
const char *ks_create_report_dialog_get_title          (KsCreateReportDialog *self);
/* Transfer none; valid until the dialog is destroyed. */
const char *ks_create_report_dialog_get_detail         (KsCreateReportDialog *self);
/* NULL when the report is made as the council. */
const char *ks_create_report_dialog_get_reporter_name  (KsCreateReportDialog *self);
const char *ks_create_report_dialog_get_reporter_email (KsCreateReportDialog *self);
const char *ks_create_report_dialog_get_reporter_phone (KsCreateReportDialog *self);
/* Fills the fields (tests and quick entry). */
void        ks_create_report_dialog_fill               (KsCreateReportDialog *self,
                                                        guint                 category_index,
                                                        const char           *title,
                                                        const char           *detail,
                                                        const char           *reporter_name);

/* The photo to send with the report (JPEG or PNG bytes), or NULL. */
GBytes     *ks_create_report_dialog_get_photo          (KsCreateReportDialog *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-window.h: the main window: sign-in page, then filters, map/list and detail. */
#pragma once

#include <adwaita.h>
#include "ks-application.h"
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_WINDOW (ks_window_get_type ())

/* The map's zoom after a place is chosen in the search: a street and its
 * neighbours. */
#define KS_WINDOW_PLACE_ZOOM 17
G_DECLARE_FINAL_TYPE (KsWindow, ks_window, KS, WINDOW, AdwApplicationWindow)

KsWindow   *ks_window_new               (KsApplication *app);
KsSession  *ks_window_get_session       (KsWindow *self);
void        ks_window_add_toast         (KsWindow *self, const char *message);
/* The header bar's council picker (platform operators only; hidden otherwise). */
GtkDropDown *ks_window_get_council_picker (KsWindow *self);
/* Shows a report in the detail pane and selects it in the list and on the map. */
void        ks_window_show_report       (KsWindow *self, gint64 report_id);
/* Opens the "create a report on someone's behalf" dialog at a place. */
/* Opens the New Report dialog at a place (NULL when the role may not create). */
GtkWidget  *ks_window_create_report_at  (KsWindow *self, double lat, double lon);
/* Opens "Your Account" (only while signed in); returns the KsAccountWindow or NULL. */
GtkWidget  *ks_window_show_account      (KsWindow *self);
/* "sign-in", "two-factor-setup", "main"; and within main: "reports", "empty",
 * "loading", "offline". */
const char *ks_window_get_page          (KsWindow *self);
const char *ks_window_get_content_page  (KsWindow *self);

/* Parts, for tests. */
GtkWidget  *ks_window_get_sign_in_page  (KsWindow *self);
GtkWidget  *ks_window_get_report_list   (KsWindow *self);
/* The bar of bulk actions under the reports (a KsBulkBar). */
GtkWidget  *ks_window_get_bulk_bar      (KsWindow *self);
GtkWidget  *ks_window_get_report_detail (KsWindow *self);
GtkWidget  *ks_window_get_filter_sidebar (KsWindow *self);
GtkWidget  *ks_window_get_map_view      (KsWindow *self);
GtkWidget  *ks_window_get_two_factor_setup (KsWindow *self);
/* Shows "map" or "list". */
void        ks_window_set_view          (KsWindow *self, const char *name);

G_END_DECLS

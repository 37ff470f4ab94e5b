/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-dashboard-window.h: the council's dashboard: summary counts, a timeline of
 * the last 30 days, statistics by category, state, ward or priority, and the
 * CSV export (needs view_dashboard). */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_DASHBOARD_WINDOW (ks_dashboard_window_get_type ())
G_DECLARE_FINAL_TYPE (KsDashboardWindow, ks_dashboard_window, KS, DASHBOARD_WINDOW, AdwWindow)

GtkWidget  *ks_dashboard_window_new            (GtkWindow *parent, KsSession *session);
/* Presents the dashboard of `parent` (made on first use, one per parent window);
 * NULL when the session may not see it. */
GtkWidget  *ks_dashboard_window_show           (GtkWindow *parent, KsSession *session);

/* Loads everything again. */
void        ks_dashboard_window_reload         (KsDashboardWindow *self);
/* "loading", "error" or "content". */
const char *ks_dashboard_window_get_state      (KsDashboardWindow *self);
/* The error page's sentence, or NULL. */
const char *ks_dashboard_window_get_error      (KsDashboardWindow *self);
/* A summary card's value as shown: keys "open", "fixed", "closed",
 * "unacknowledged", "created-7", "created-30", "fixed-7", "fixed-30", "median". */
const char *ks_dashboard_window_get_card_value (KsDashboardWindow *self, const char *key);
GtkWidget  *ks_dashboard_window_get_timeline   (KsDashboardWindow *self);
/* Chooses the period the chart and the response times cover, as the Period
 * dropdown does: 7, 30 (at first) or 90 days. FALSE for another number. */
gboolean    ks_dashboard_window_set_period     (KsDashboardWindow *self, guint days);

/* Statistics: by "category", "state", "ward" or "priority". */
void        ks_dashboard_window_set_grouping   (KsDashboardWindow *self, const char *by);
/* "loading", "error" or "table". */
const char *ks_dashboard_window_get_stats_state (KsDashboardWindow *self);
/* The table's rows as shown (sorted): a GListModel of KsStatsRow. */
GListModel *ks_dashboard_window_get_stats_model (KsDashboardWindow *self);
GtkWidget  *ks_dashboard_window_get_stats_view (KsDashboardWindow *self);

/* Saves GET /dashboard/export.csv to `file` (what "Export CSV…" does once a file
 * is chosen); a toast tells the path or the error. */
void        ks_dashboard_window_export_to_file (KsDashboardWindow *self, GFile *file);
gboolean    ks_dashboard_window_get_exporting  (KsDashboardWindow *self);
/* The last toast's text, or NULL. */
const char *ks_dashboard_window_get_last_toast (KsDashboardWindow *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-filter-sidebar-private.h: the sidebar's parts, for tests. */
#pragma once

#include "ks-filter-sidebar.h"

G_BEGIN_DECLS

/* The GtkToggleButton of a state group ("open", "fixed", "closed", "all"). */
GtkWidget  *ks_filter_sidebar_get_state_group_button (KsFilterSidebar *self,
                                                      const char      *group);
/* The ward AdwComboRow: "All wards", "My wards" (the person's), then the
 * council's wards (without boundaries: the wards of the reports). */
GtkWidget  *ks_filter_sidebar_get_ward_row     (KsFilterSidebar *self);
/* The "My Area" switch (its group is shown when the person has an area) and
 * the category AdwComboRow ("All categories", "My categories", then each). */
GtkWidget  *ks_filter_sidebar_get_area_switch  (KsFilterSidebar *self);
GtkWidget  *ks_filter_sidebar_get_category_row (KsFilterSidebar *self);
/* "Assigned to": anyone or nobody, me, someone, nobody. */
GtkWidget  *ks_filter_sidebar_get_assigned_row (KsFilterSidebar *self);
/* Sets who holds the reports, and the shortlist's order with My Shortlist. */
void        ks_filter_sidebar_apply_assigned   (KsFilterSidebar *self, KsReportFilter *filter);
/* Reads the wards of the reports again now (otherwise shortly after they change). */
void        ks_filter_sidebar_refresh_wards    (KsFilterSidebar *self);
/* The "From" (to: FALSE) or "To" row, its GtkMenuButton and the GtkCalendar
 * in its popover. */
GtkWidget  *ks_filter_sidebar_get_date_row     (KsFilterSidebar *self,
                                                gboolean         to);
GtkWidget  *ks_filter_sidebar_get_date_button  (KsFilterSidebar *self,
                                                gboolean         to);
GtkWidget  *ks_filter_sidebar_get_calendar     (KsFilterSidebar *self,
                                                gboolean         to);

G_END_DECLS

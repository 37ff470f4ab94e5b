/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-filter-sidebar.h: the filters of the report map and list. */
#pragma once

#include <gtk/gtk.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_FILTER_SIDEBAR (ks_filter_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (KsFilterSidebar, ks_filter_sidebar, KS, FILTER_SIDEBAR, GtkWidget)

GtkWidget *ks_filter_sidebar_new          (void);
/* Fills the choices from the session's lists and drives its filter (NULL: none). */
void       ks_filter_sidebar_set_session  (KsFilterSidebar *self, KsSession *session);
/* Rebuilds the category and priority choices (after the lists were refreshed). */
void       ks_filter_sidebar_reload_lists (KsFilterSidebar *self);
void       ks_filter_sidebar_clear        (KsFilterSidebar *self);
/* Back to the person's area: their wards and categories (/me), as a session
 * starts; every ward and category when they have none. */
void       ks_filter_sidebar_show_my_area (KsFilterSidebar *self);
void       ks_filter_sidebar_focus_search (KsFilterSidebar *self);
void       ks_filter_sidebar_set_search_text (KsFilterSidebar *self, const char *text);
/* The places that match the search text (a KsPlaceSearch under the search
 * box; its "place-chosen" says which one the person chose). */
GtkWidget *ks_filter_sidebar_get_place_search (KsFilterSidebar *self);
/* The quick state groups: "open" (what a session starts on), "fixed",
 * "closed" or "all" (any state). */
void        ks_filter_sidebar_set_state_group (KsFilterSidebar *self, const char *group);
/* The group the ticked states make up, NULL when they make up none. */
const char *ks_filter_sidebar_get_state_group (KsFilterSidebar *self);

G_END_DECLS

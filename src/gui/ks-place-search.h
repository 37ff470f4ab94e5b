/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-place-search.h: the council's places that match what is typed in an
 * entry (the filters' search box, the new report's address), as a group of
 * rows under it. Each change of the text waits a moment for the next key,
 * cancels the search still running and starts a new one; an error shows as a
 * line in the group and blocks nothing. Choosing a row emits "place-chosen". */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_PLACE_SEARCH (ks_place_search_get_type ())
G_DECLARE_FINAL_TYPE (KsPlaceSearch, ks_place_search, KS, PLACE_SEARCH, GtkWidget)

/* How long the text must stay the same before it is looked up. */
#define KS_PLACE_SEARCH_DELAY_MS 250

/* title: the group's heading ("Places"). The group shows only while the text
 * has at least 2 characters. */
GtkWidget  *ks_place_search_new          (const char    *title);
void        ks_place_search_set_session  (KsPlaceSearch *self,
                                          KsSession     *session);
/* Follows entry's text (a GtkEditable, not owned). */
void        ks_place_search_attach       (KsPlaceSearch *self,
                                          GtkEditable   *entry);
/* Sets the entry's text without looking it up (and hides the places). */
void        ks_place_search_set_entry_text (KsPlaceSearch *self,
                                            const char    *text);
/* Chooses the place of row index as a click does; FALSE when there is none. */
gboolean    ks_place_search_choose       (KsPlaceSearch *self,
                                          guint          index);
/* The rows as shown, "title\nsubtitle" each, blank lines between ("" when none). */
char       *ks_place_search_get_rows_text (KsPlaceSearch *self);
guint       ks_place_search_get_n_rows   (KsPlaceSearch *self);
/* The line under the rows: "Looking for places…", "No places match “…”.",
 * the error's sentence, or "". */
const char *ks_place_search_get_status   (KsPlaceSearch *self);
/* Whether a lookup waits or runs. */
gboolean    ks_place_search_is_busy      (KsPlaceSearch *self);
/* The row of index (an AdwActionRow), or NULL. */
GtkWidget  *ks_place_search_get_row      (KsPlaceSearch *self,
                                          guint          index);

/* Signal "place-chosen" (JsonObject *place: {"name", "kind", "context", "lat",
 * "lon", ...}, as ks_places_search_finish() gives it). */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-view.h: the map of reports (libshumate map + the report layer). */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "ks-map-layer.h"
#include "ks-boundary-layer.h"

G_BEGIN_DECLS

#define KS_TYPE_MAP_VIEW (ks_map_view_get_type ())
G_DECLARE_FINAL_TYPE (KsMapView, ks_map_view, KS, MAP_VIEW, GtkWidget)

/* Signals:
 *   "report-activated" (gint64 id): a report's mark was clicked.
 *   "location-picked" (double lat, double lon): secondary click or long press
 *     on the map where there is no report ("create a report here").
 *   "area-selected" (GArray of gint64): a rectangle was drawn (a primary drag
 *     with "select-area" on, or with Shift held): the reports inside it.
 * Properties: "interactive" (gboolean, default TRUE), "tile-source" (string,
 * see ks_map_view_set_tile_source()), "selected" (gint64), "select-area"
 * (gboolean, default FALSE: a primary drag pans the map). */

GtkWidget   *ks_map_view_new                (void);

/* reports: a GListModel of KsReport; items-changed is followed. */
void         ks_map_view_set_reports        (KsMapView  *self,
                                             GListModel *reports);
/* Highlights report_id (0: none) and, when it is off screen, centres on it. */
void         ks_map_view_set_selected       (KsMapView  *self,
                                             gint64      report_id);
gint64       ks_map_view_get_selected       (KsMapView  *self);
/* zoom < 0 keeps the current zoom level. */
void         ks_map_view_center_on          (KsMapView  *self,
                                             double      lat,
                                             double      lon,
                                             double      zoom);
/* Shows the whole of an area (a council's bounds, the extent of its
 * reports) at the closest whole zoom where it fits, centred; when the view
 * has no size yet, as soon as it has one. */
void         ks_map_view_fit_bounds         (KsMapView  *self,
                                             double      min_lat,
                                             double      min_lon,
                                             double      max_lat,
                                             double      max_lon);
/* NULL, "" or "kerbside:builtin": the app's own drawn tiles; otherwise an
 * http(s) URL template with {z}, {x} and {y}. A template that
 * ks_tile_source_url_is_valid() refuses falls back to the built-in tiles
 * (with a warning). The default is OpenStreetMap's standard tiles. */
void         ks_map_view_set_tile_source    (KsMapView  *self,
                                             const char *url_template);
const char  *ks_map_view_get_tile_source    (KsMapView  *self);

/* A non-interactive map (for a report's detail page) ignores the pointer and
 * shows neither zoom buttons, compass nor scale (the attribution stays). */
void         ks_map_view_set_interactive    (KsMapView  *self,
                                             gboolean    interactive);
gboolean     ks_map_view_get_interactive    (KsMapView  *self);

/* Handles a click at (x, y) (the view's coordinates) as the pointer does:
 * button 1 on a cluster zooms in on it, on a report emits
 * "report-activated"; button 3 on empty map emits "location-picked".
 * Returns TRUE when the click did something. */
gboolean     ks_map_view_click_at           (KsMapView  *self,
                                             double      x,
                                             double      y,
                                             guint       button);

/* With select-area on, a primary drag draws a rectangle instead of panning. */
void         ks_map_view_set_select_area    (KsMapView  *self,
                                             gboolean    select_area);
gboolean     ks_map_view_get_select_area    (KsMapView  *self);
/* Selects the reports inside the rectangle between two corners (the view's
 * coordinates), as drawing it does: emits "area-selected" and returns the
 * ids (a new GArray of gint64). */
GArray      *ks_map_view_select_area        (KsMapView  *self,
                                             double      x0,
                                             double      y0,
                                             double      x1,
                                             double      y1);

/* Marks one place with a pin (the first call adds it, the next move it);
 * returns the marker (owned by the view). */
ShumateMarker    *ks_map_view_show_pin       (KsMapView  *self,
                                              double      lat,
                                              double      lon);
/* The pin, or NULL when none was shown. */
ShumateMarker    *ks_map_view_get_pin        (KsMapView  *self);

ShumateMap       *ks_map_view_get_map        (KsMapView  *self);
ShumateViewport  *ks_map_view_get_viewport   (KsMapView  *self);
ShumateMapSource *ks_map_view_get_map_source (KsMapView  *self);
KsMapLayer       *ks_map_view_get_layer      (KsMapView  *self);

/* The council's border and ward outlines (the boundaries object as the API gives
 * it; NULL: none), shown unless "show-boundaries" is FALSE; the map's menu
 * (a button in its corner, there when there are boundaries) toggles it. */
void              ks_map_view_set_boundaries      (KsMapView  *self,
                                                   JsonObject *boundaries);
void              ks_map_view_set_show_boundaries (KsMapView  *self,
                                                   gboolean    show);
gboolean          ks_map_view_get_show_boundaries (KsMapView  *self);
KsBoundaryLayer  *ks_map_view_get_boundary_layer  (KsMapView  *self);
GtkWidget        *ks_map_view_get_menu_button     (KsMapView  *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-boundary-set.h: a council's area and wards as GEOS geometries: read from
 * GeoJSON FeatureCollections (what Boundary-Line, ONS and OpenStreetMap exports
 * give: Polygons and MultiPolygons with holes), or from the rows the store keeps,
 * and the point-in-polygon lookup (prepared geometries, an STRtree over the
 * wards' boxes to prefilter). A set may be used from several threads: lookups
 * take its lock. */
#pragma once

#include <glib.h>
#include "store/ks-store-councils.h"

G_BEGIN_DECLS

typedef struct _KsBoundarySet KsBoundarySet;

/* Reads the wards from a FeatureCollection (each feature's name from the property
 * name_property; features with the same name are joined), and the area from
 * area_json (all its features joined; its first feature's name_property, when it
 * has one, names the area); with area_json NULL the area is the union of the
 * wards. Every error is a sentence naming the feature at fault. */
KsBoundarySet *ks_boundary_set_new_from_geojson (const char  *area_json,
                                                 const char  *wards_json,
                                                 const char  *name_property,
                                                 GError     **error);
/* Starts an empty set, then takes the store's rows one by one; NULL from
 * _finish when there is no area (nothing imported). */
KsBoundarySet *ks_boundary_set_new              (void);
void           ks_boundary_set_add_row          (KsBoundarySet       *set,
                                                 const KsBoundaryRow *row);
KsBoundarySet *ks_boundary_set_finish           (KsBoundarySet       *set,
                                                 GError             **error);
void           ks_boundary_set_free             (KsBoundarySet       *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsBoundarySet, ks_boundary_set_free)

/* The area's name (NULL when the file gave none), and the rows to store: the
 * area first, then the wards by name; valid while the set lives. */
const char    *ks_boundary_set_area_name        (KsBoundarySet       *set);
const KsBoundaryRow *ks_boundary_set_rows       (KsBoundarySet       *set,
                                                 guint               *n_rows);
guint          ks_boundary_set_n_wards          (KsBoundarySet       *set);

/* Whether the point is in the area (its edge counts as in), and the name of the
 * ward it falls in (a newly allocated string; NULL outside every ward). */
gboolean       ks_boundary_set_locate           (KsBoundarySet       *set,
                                                 double               lat,
                                                 double               lon,
                                                 char               **out_ward);

G_END_DECLS

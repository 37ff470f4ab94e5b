/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-boundary-layer.h: a map layer that draws a council's border and its wards'
 * outlines, from the boundaries the server gives (GET /api/v1/boundaries). */
#pragma once

#include <shumate/shumate.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KS_TYPE_BOUNDARY_LAYER (ks_boundary_layer_get_type ())
G_DECLARE_FINAL_TYPE (KsBoundaryLayer, ks_boundary_layer, KS, BOUNDARY_LAYER, ShumateLayer)

KsBoundaryLayer *ks_boundary_layer_new            (ShumateViewport *viewport);
/* The boundaries object as the API gives it ({"area", "wards"}); NULL clears. */
void             ks_boundary_layer_set_boundaries (KsBoundaryLayer *self,
                                                   JsonObject      *boundaries);
/* What the layer holds: its wards, and rings (outer and inner) of area and wards. */
guint            ks_boundary_layer_get_n_wards    (KsBoundaryLayer *self);
guint            ks_boundary_layer_get_n_rings    (KsBoundaryLayer *self);
/* Rings of the area and of the wards stroked by the last frame (tests). */
guint            ks_boundary_layer_get_drawn_rings (KsBoundaryLayer *self);

G_END_DECLS

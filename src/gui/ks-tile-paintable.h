/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-tile-paintable.h: a map tile the app drew, shown the way the window's
 * renderer draws fastest. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KS_TYPE_TILE_PAINTABLE (ks_tile_paintable_get_type ())
G_DECLARE_FINAL_TYPE (KsTilePaintable, ks_tile_paintable, KS, TILE_PAINTABLE, GObject)

/* A paintable of surface's pixels (a cairo ARGB32 image surface; kept, not
 * copied). With paint_surface, it is painted from the surface through cairo:
 * for the cairo renderer, which in GTK 4.8 converts a texture's every pixel
 * through floating point each time it draws it (the map's twenty-odd tiles
 * at every frame). Otherwise it is a texture, which GL renderers upload once. */
KsTilePaintable *ks_tile_paintable_new                (cairo_surface_t *surface,
                                                       gboolean         paint_surface);
/* TRUE when it is painted from the surface. */
gboolean         ks_tile_paintable_get_paint_surface  (KsTilePaintable *self);

G_END_DECLS

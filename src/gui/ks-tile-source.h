/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-tile-source.h: map tiles the app draws itself, and the map sources it offers. */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/* The tile URL that selects the project's own drawn tiles. */
#define KS_TILE_SOURCE_BUILTIN "kerbside:builtin"
/* OpenStreetMap's standard tiles: the default map. */
#define KS_TILE_SOURCE_OSM_URL "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

#define KS_TYPE_TILE_SOURCE (ks_tile_source_get_type ())
G_DECLARE_FINAL_TYPE (KsTileSource, ks_tile_source, KS, TILE_SOURCE, ShumateMapSource)

/* A map source that draws plain map-like tiles (land, a faint street grid and
 * the tile's coordinates in a corner) with no network: for offline use, tests
 * and benchmarks. */
KsTileSource     *ks_tile_source_new               (void);

/* How many tiles this source has drawn so far. */
guint             ks_tile_source_get_n_drawn       (KsTileSource *self);

/* With paint_surfaces, the tiles drawn from now on are painted straight
 * from their cairo surfaces rather than shown as textures: for a window
 * drawn by the cairo renderer (see KsTilePaintable). */
void              ks_tile_source_set_paint_surfaces (KsTileSource *self,
                                                     gboolean      paint_surfaces);
gboolean          ks_tile_source_get_paint_surfaces (KsTileSource *self);

/* TRUE when url_template can be used as a tile source: NULL, "" or
 * KS_TILE_SOURCE_BUILTIN, or an http(s) URL with {x}, {y} and {z}
 * (or {tmsy}). Otherwise sets error to a sentence saying what to fix. */
gboolean          ks_tile_source_url_is_valid      (const char  *url_template,
                                                    GError     **error);

/* The map source for url_template: KsTileSource for NULL, "" or
 * KS_TILE_SOURCE_BUILTIN, otherwise a raster source downloading from the
 * URL with the app's User-Agent and an on-disk cache. OpenStreetMap's URL
 * carries its attribution. Returns NULL (and sets error) for a URL that
 * ks_tile_source_url_is_valid() refuses. */
ShumateMapSource *ks_tile_source_new_for_url       (const char  *url_template,
                                                    GError     **error);

G_END_DECLS

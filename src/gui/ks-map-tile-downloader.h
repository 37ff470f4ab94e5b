/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-tile-downloader.h: downloads map tiles with the app's User-Agent. */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define KS_TYPE_MAP_TILE_DOWNLOADER (ks_map_tile_downloader_get_type ())
G_DECLARE_FINAL_TYPE (KsMapTileDownloader, ks_map_tile_downloader, KS, MAP_TILE_DOWNLOADER,
                      ShumateDataSource)

/* A tile data source for an http(s) URL template with {x}, {y}, {z} and
 * {tmsy}. It identifies itself as the app ("Kerbside/VERSION (+homepage)"),
 * as tile servers' usage policies ask (libshumate's own downloader sends a
 * fixed User-Agent), keeps at most two connections, and caches tiles under
 * $XDG_CACHE_HOME/shumate, revalidating them after a week. */
KsMapTileDownloader *ks_map_tile_downloader_new            (const char *url_template);

const char          *ks_map_tile_downloader_get_url_template (KsMapTileDownloader *self);

/* The User-Agent the app sends to tile servers. */
const char          *ks_map_tile_downloader_user_agent     (void);

/* The URL of one tile. */
char                *ks_map_tile_downloader_tile_url       (const char *url_template,
                                                            int         x,
                                                            int         y,
                                                            int         zoom_level);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-geo.h: geographic helpers shared by the server and the app. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double min_lon, min_lat, max_lon, max_lat;
} KsBBox;

/* Parses "min_lon,min_lat,max_lon,max_lat". */
gboolean ks_bbox_parse           (const char *text, KsBBox *out);
gboolean ks_geo_valid_lat_lon    (double lat, double lon);
/* Normalised Web Mercator: x and y in [0, 1), y growing southwards. */
void     ks_geo_to_mercator      (double lat, double lon, double *x, double *y);
void     ks_geo_from_mercator    (double x, double y, double *lat, double *lon);
/* Great-circle distance in metres. */
double   ks_geo_distance_m       (double lat1, double lon1, double lat2, double lon2);

G_END_DECLS

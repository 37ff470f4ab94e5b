/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bng.h: British National Grid (EPSG:27700) easting and northing to and from
 * WGS84 (EPSG:4326) latitude and longitude, with PROJ.
 *
 * PROJ picks the best transformation it has: with the OSTN15 grid installed
 * (uk_os_OSTN15_NTv2_OSGBtoETRS.tif in PROJ's data directory) it agrees with the
 * Ordnance Survey's own to a few centimetres; without it (Debian's proj-data does
 * not ship it) it uses a Helmert transformation, good to a few metres. Safe to
 * call from any thread (each thread has its own PROJ objects). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE with an error when PROJ cannot make the transformation (its database
 * missing). */
gboolean ks_bng_to_wgs84   (double easting, double northing,
                            double *out_lat, double *out_lon, GError **error);
gboolean ks_bng_from_wgs84 (double lat, double lon,
                            double *out_easting, double *out_northing, GError **error);

/* Whether the point lies where the British National Grid is used (Great Britain
 * and its waters: the grid's area of use, from PROJ's database). */
gboolean ks_bng_covers     (double lat, double lon);

/* Whether PROJ found the OSTN15 grid (conversions good to centimetres). */
gboolean ks_bng_uses_grid  (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-geo.c: geographic helpers. */
#include "ks-geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MERCATOR_LAT 85.05112878

gboolean
ks_geo_valid_lat_lon (double lat,
                      double lon)
{
  return isfinite (lat) && isfinite (lon) &&
         lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}

gboolean
ks_bbox_parse (const char *text,
               KsBBox     *out)
{
  g_auto(GStrv) parts = NULL;
  double v[4];

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ",", -1);
  if (g_strv_length (parts) != 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      char *end = NULL;
      const char *s = g_strstrip (parts[i]);
      if (*s == '\0' || strspn (s, "0123456789.+-eE") != strlen (s))
        return FALSE; /* plain decimal numbers only: no hex, inf or nan */
      v[i] = g_ascii_strtod (s, &end);
      if (end == NULL || *end != '\0' || !isfinite (v[i]))
        return FALSE;
    }
  if (!ks_geo_valid_lat_lon (v[1], v[0]) || !ks_geo_valid_lat_lon (v[3], v[2]))
    return FALSE;
  if (v[0] > v[2] || v[1] > v[3])
    return FALSE;
  out->min_lon = v[0];
  out->min_lat = v[1];
  out->max_lon = v[2];
  out->max_lat = v[3];
  return TRUE;
}

void
ks_geo_to_mercator (double lat, double lon, double *x, double *y)
{
  double s;

  lat = CLAMP (lat, -MAX_MERCATOR_LAT, MAX_MERCATOR_LAT);
  s = sin (lat * G_PI / 180.0);
  *x = (lon + 180.0) / 360.0;
  *y = 0.5 - log ((1.0 + s) / (1.0 - s)) / (4.0 * G_PI);
}

void
ks_geo_from_mercator (double x, double y, double *lat, double *lon)
{
  double n = G_PI - 2.0 * G_PI * y;

  *lon = x * 360.0 - 180.0;
  *lat = 180.0 / G_PI * atan (0.5 * (exp (n) - exp (-n)));
}

double
ks_geo_distance_m (double lat1, double lon1, double lat2, double lon2)
{
  const double r = 6371008.8;
  double p1 = lat1 * G_PI / 180.0, p2 = lat2 * G_PI / 180.0;
  double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180.0;
  double a = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);
  return 2 * r * atan2 (sqrt (a), sqrt (1 - a));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bng.c: British National Grid <-> WGS84 with PROJ (see ks-bng.h). A PROJ
 * context and its objects may be used by one thread at a time: each thread makes
 * its own on first use and frees them when it ends. */
#define G_LOG_DOMAIN "ks-bng"

#include "places/ks-bng.h"
#include "ks-error.h"

#include <math.h>
#include <string.h>
#include <proj.h>

typedef struct {
  PJ_CONTEXT *ctx;
  PJ         *op;    /* EPSG:27700 -> EPSG:4326, axes as x = easting / longitude */
} Bng;

static void
bng_free (gpointer data)
{
  Bng *b = data;

  if (b->op)
    proj_destroy (b->op);
  if (b->ctx)
    proj_context_destroy (b->ctx);
  g_free (b);
}

static GPrivate thread_bng = G_PRIVATE_INIT (bng_free);

/* The grid's area of use, read once. */
static double area_west = -9.01, area_south = 49.75, area_east = 2.01, area_north = 61.01;

static Bng *
bng_get (GError **error)
{
  Bng *b = g_private_get (&thread_bng);
  PJ *op;

  if (b != NULL && b->op != NULL)
    return b;
  if (b == NULL)
    {
      b = g_new0 (Bng, 1);
      b->ctx = proj_context_create ();
      proj_log_level (b->ctx, PJ_LOG_NONE);
      g_private_set (&thread_bng, b);
    }
  op = proj_create_crs_to_crs (b->ctx, "EPSG:27700", "EPSG:4326", NULL);
  if (op == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "PROJ cannot convert British National Grid coordinates (%s). "
                   "Install PROJ's data (Debian: proj-data).",
                   proj_context_errno_string (b->ctx, proj_context_errno (b->ctx)));
      return NULL;
    }
  b->op = proj_normalize_for_visualization (b->ctx, op);
  proj_destroy (op);
  if (b->op == NULL)
    {
      g_set_error_literal (error, KS_ERROR, KS_ERROR_FAILED,
                           "PROJ cannot order the axes of British National Grid coordinates.");
      return NULL;
    }
  return b;
}

static gboolean
transform (PJ_DIRECTION dir, double x, double y, double *out_x, double *out_y, GError **error)
{
  Bng *b = bng_get (error);
  PJ_COORD c;

  if (b == NULL)
    return FALSE;
  c = proj_trans (b->op, dir, proj_coord (x, y, 0, 0));
  if (!isfinite (c.xy.x) || !isfinite (c.xy.y) || c.xy.x == HUGE_VAL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The point (%g, %g) cannot be converted between the British National "
                   "Grid and latitude and longitude.", x, y);
      return FALSE;
    }
  *out_x = c.xy.x;
  *out_y = c.xy.y;
  return TRUE;
}

gboolean
ks_bng_to_wgs84 (double easting, double northing, double *out_lat, double *out_lon,
                 GError **error)
{
  return transform (PJ_FWD, easting, northing, out_lon, out_lat, error);
}

gboolean
ks_bng_from_wgs84 (double lat, double lon, double *out_easting, double *out_northing,
                   GError **error)
{
  return transform (PJ_INV, lon, lat, out_easting, out_northing, error);
}

static gpointer
read_area (gpointer data)
{
  PJ_CONTEXT *ctx = proj_context_create ();
  PJ *crs;

  proj_log_level (ctx, PJ_LOG_NONE);
  crs = proj_create (ctx, "EPSG:27700");
  if (crs != NULL)
    {
      double w, s, e, n;

      if (proj_get_area_of_use (ctx, crs, &w, &s, &e, &n, NULL))
        {
          area_west = w;
          area_south = s;
          area_east = e;
          area_north = n;
        }
      proj_destroy (crs);
    }
  proj_context_destroy (ctx);
  return NULL;
}

gboolean
ks_bng_covers (double lat, double lon)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, read_area, NULL);
  return lat >= area_south && lat <= area_north && lon >= area_west && lon <= area_east;
}

gboolean
ks_bng_uses_grid (void)
{
  Bng *b = bng_get (NULL);
  PJ_PROJ_INFO info;

  if (b == NULL)
    return FALSE;
  /* Once used, the operation names the one PROJ chose. */
  proj_trans (b->op, PJ_FWD, proj_coord (530000, 180000, 0, 0));
  info = proj_pj_info (b->op);
  return info.definition != NULL && strstr (info.definition, "OSTN15") != NULL;
}

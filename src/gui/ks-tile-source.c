/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-tile-source.c: map tiles the app draws itself, and the map sources it offers. */
#define G_LOG_DOMAIN "ks-tile-source"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ks-error.h"
#include "ks-map-tile-downloader.h"
#include "ks-tile-paintable.h"
#include "ks-tile-source.h"

#define TILE_SIZE 256
#define MAX_ZOOM 20

/* A plausible, made-up town plan anchored to the world, so that tiles join
 * up and a place keeps its roads from one zoom to the next: each road class
 * lies on a grid of 2^-k of the world's width (k = its level), finer classes
 * nesting in coarser ones, lines nudged off the grid and segments left out
 * by a hash of where they are (never of the zoom). A class is drawn from the
 * zoom where its grid is MIN_SPACING_PX apart, and gets wider as one zooms
 * in; parks, water and, close in, buildings fill the blocks. Nothing is
 * drawn on a tile's edge that its neighbour would not draw too. */
#define MIN_SPACING_PX 32.0

typedef struct {
  guint   level;        /* grid of 2^-level of the world */
  guint32 casing, fill;
  double  width;        /* fill width in pixels where the class first shows */
  guint   keep;         /* of 10 segments, how many exist */
} RoadClass;

/* Coarse to fine; each level two more than the previous one, so four lines
 * of a class fall between two of the class above. */
static const RoadClass road_classes[] = {
  { 10, 0xc24e6b, 0xe892a2, 2.0, 10 },   /* trunk roads, ~20 km apart in Britain */
  { 12, 0xc99b4a, 0xfcd68a, 2.0, 10 },   /* main roads, ~6 km */
  { 14, 0xc9b98a, 0xf7efb7, 1.8, 9 },    /* local roads, ~1.5 km */
  { 16, 0xcfc8bd, 0xffffff, 1.5, 8 },    /* streets, ~350 m */
  { 18, 0xd8d2c8, 0xffffff, 1.2, 6 },    /* lanes, ~90 m */
};

#define LAND     0xf2efe9
#define PARK     0xc8e6a8
#define WATER    0xaad3df
#define BUILDING 0xddd5cc
#define BUILDING_EDGE 0xc9beb3
/* Lakes fill one in WATER_ONE_IN blocks of the main roads' grid, parks one
 * in PARK_ONE_IN of the streets' grid. */
#define WATER_LEVEL 12
#define WATER_ONE_IN 29
#define WATER_SALT 3
#define PARK_LEVEL 16
#define PARK_ONE_IN 13
#define PARK_SALT 5

struct _KsTileSource
{
  ShumateMapSource parent_instance;

  guint            n_drawn;
  gboolean         paint_surfaces;
};

G_DEFINE_FINAL_TYPE (KsTileSource, ks_tile_source, SHUMATE_TYPE_MAP_SOURCE)

static guint32
mix (guint32 a, guint32 b, guint32 c)
{
  guint32 h = a * 0x9e3779b1u ^ (b + 0x7f4a7c15u) * 0x85ebca77u ^ (c + 0x165667b1u) * 0xc2b2ae3du;

  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  h *= 0x297a2d39u;
  h ^= h >> 15;
  return h;
}

static void
set_colour (cairo_t *cr, guint32 rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* The tile's place in the world: pixel = (world - origin) * scale. */
typedef struct {
  double ox, oy, scale;
  guint  z;
} TileFrame;

static gint64
floor_div4 (gint64 i)
{
  return i >= 0 ? i / 4 : -((-i + 3) / 4);
}

/* Where grid line i of a level lies (world units). The coarsest roads are
 * nudged off their grid by up to 15% of their spacing; a finer line lies
 * between the two lines of the level above that hold it, nudged likewise,
 * so lines never cross, and a line shared with a coarser level lies where
 * that level puts it. */
static double
line_position (guint level, gint64 i, guint axis)
{
  gint64 q, r;
  double jitter = ((mix ((guint32) i, axis, level) % 1000) / 1000.0 - 0.5) * 0.3;
  double a, b;

  if (level <= road_classes[0].level)
    return (i + jitter) * ldexp (1.0, -(int) level);

  q = floor_div4 (i);
  r = i - 4 * q;
  a = line_position (level - 2, q, axis);
  if (r == 0)
    return a;
  b = line_position (level - 2, q + 1, axis);
  return a + (b - a) * (r + jitter) / 4;
}

/* Whether line i of a level belongs to a coarser level. */
static gboolean
line_is_coarser (guint level, gint64 i)
{
  return level > road_classes[0].level && i % 4 == 0;
}

static gboolean
segment_exists (const RoadClass *rc, gint64 i, gint64 j, guint axis)
{
  return mix ((guint32) i, (guint32) j, rc->level * 2 + axis) % 10 < rc->keep;
}

/* The first index whose line lies at or after pos (lines are in order; a
 * line is off its nominal place by less than a fifth of the coarsest
 * spacing). */
static gint64
first_line_after (guint level, double pos, guint axis)
{
  double cells = ldexp (1.0, (int) level);
  gint64 reach = (gint64) ceil (0.2 * ldexp (1.0, (int) level - (int) road_classes[0].level)) + 2;
  gint64 lo = (gint64) floor (pos * cells) - reach, hi = (gint64) floor (pos * cells) + reach;

  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (line_position (level, mid, axis) < pos)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The range of grid indices of a level whose lines or blocks may touch the
 * tile (one more on each side for what crosses its edges). */
static void
grid_range (const TileFrame *f, guint level, guint axis, gint64 *first, gint64 *last)
{
  double origin = axis == 0 ? f->ox : f->oy;

  *first = first_line_after (level, origin, axis) - 2;
  *last = first_line_after (level, origin + TILE_SIZE / f->scale, axis) + 1;
}

static void
path_roads (cairo_t *cr, const TileFrame *f, const RoadClass *rc)
{
  gint64 i0, i1, j0, j1;

  grid_range (f, rc->level, 0, &i0, &i1);
  grid_range (f, rc->level, 1, &j0, &j1);

  for (gint64 i = i0; i <= i1; i++)
    for (gint64 j = j0; j < j1; j++)
      {
        /* Vertical segment of line i between horizontal lines j and j + 1. */
        if (!line_is_coarser (rc->level, i) && segment_exists (rc, i, j, 0))
          {
            double x = (line_position (rc->level, i, 0) - f->ox) * f->scale;

            cairo_move_to (cr, x, (line_position (rc->level, j, 1) - f->oy) * f->scale);
            cairo_line_to (cr, x, (line_position (rc->level, j + 1, 1) - f->oy) * f->scale);
          }
        /* Horizontal segment of line j between vertical lines i and i + 1. */
        if (i < i1 && !line_is_coarser (rc->level, j) && segment_exists (rc, j, i, 1))
          {
            double y = (line_position (rc->level, j, 1) - f->oy) * f->scale;

            cairo_move_to (cr, (line_position (rc->level, i, 0) - f->ox) * f->scale, y);
            cairo_line_to (cr, (line_position (rc->level, i + 1, 0) - f->ox) * f->scale, y);
          }
      }
}

static gboolean
is_block (guint level, guint one_in, guint salt, gint64 i, gint64 j)
{
  return mix ((guint32) i, (guint32) j, level + salt) % one_in == 0;
}

/* Blocks of a level: some parks, some water, the rest left as land. */
static void
draw_blocks (cairo_t *cr, const TileFrame *f, guint level, guint32 colour, guint one_in,
             guint salt)
{
  gint64 i0, i1, j0, j1;

  grid_range (f, level, 0, &i0, &i1);
  grid_range (f, level, 1, &j0, &j1);
  for (gint64 i = i0; i < i1; i++)
    for (gint64 j = j0; j < j1; j++)
      if (is_block (level, one_in, salt, i, j))
        {
          double x0 = (line_position (level, i, 0) - f->ox) * f->scale;
          double x1 = (line_position (level, i + 1, 0) - f->ox) * f->scale;
          double y0 = (line_position (level, j, 1) - f->oy) * f->scale;
          double y1 = (line_position (level, j + 1, 1) - f->oy) * f->scale;

          cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
        }
  set_colour (cr, colour);
  cairo_fill (cr);
}

/* Close in, houses along the lanes: a row of footprints inside each block. */
static void
draw_buildings (cairo_t *cr, const TileFrame *f)
{
  const guint level = road_classes[G_N_ELEMENTS (road_classes) - 1].level;
  const int per_side = 4;
  gint64 i0, i1, j0, j1;

  grid_range (f, level, 0, &i0, &i1);
  grid_range (f, level, 1, &j0, &j1);
  for (gint64 i = i0; i < i1; i++)
    for (gint64 j = j0; j < j1; j++)
      {
        double x0 = line_position (level, i, 0), x1 = line_position (level, i + 1, 0);
        double y0 = line_position (level, j, 1), y1 = line_position (level, j + 1, 1);
        double w = (x1 - x0) / per_side, h = (y1 - y0) / per_side;

        if (mix ((guint32) i, (guint32) j, 77) % 7 == 0)
          continue;   /* a yard, a car park */
        if (is_block (PARK_LEVEL, PARK_ONE_IN, PARK_SALT, floor_div4 (i), floor_div4 (j))
            || is_block (WATER_LEVEL, WATER_ONE_IN, WATER_SALT, i >> (level - WATER_LEVEL),
                         j >> (level - WATER_LEVEL)))
          continue;
        for (int k = 0; k < per_side; k++)
          for (int side = 0; side < 2; side++)
            {
              guint32 hash = mix ((guint32) i * 8 + k, (guint32) j * 2 + side, 91);
              double bw = w * (0.55 + (hash % 30) / 100.0);
              double bh = h * (0.9 + ((hash >> 8) % 40) / 100.0);
              double bx = x0 + w * (k + 0.5) - bw / 2;
              double by = side == 0 ? y0 + h * 0.35 : y1 - h * 0.35 - bh;

              if (hash % 5 == 0)
                continue;
              cairo_rectangle (cr, (bx - f->ox) * f->scale, (by - f->oy) * f->scale,
                               bw * f->scale, bh * f->scale);
            }
      }
  set_colour (cr, BUILDING);
  cairo_fill_preserve (cr);
  set_colour (cr, BUILDING_EDGE);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static cairo_surface_t *
draw_tile (guint tx, guint ty, guint z)
{
  TileFrame f;
  cairo_surface_t *surface;
  cairo_t *cr;

  f.z = z;
  f.ox = ldexp (tx, -(int) z);
  f.oy = ldexp (ty, -(int) z);
  f.scale = ldexp (TILE_SIZE, (int) z);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, TILE_SIZE, TILE_SIZE);
  cr = cairo_create (surface);

  set_colour (cr, LAND);
  cairo_paint (cr);

  /* Lakes (coarse blocks) from afar, parks (street blocks) closer in. */
  if (z >= 8)
    draw_blocks (cr, &f, WATER_LEVEL, WATER, WATER_ONE_IN, WATER_SALT);
  if (z >= 13)
    draw_blocks (cr, &f, PARK_LEVEL, PARK, PARK_ONE_IN, PARK_SALT);

  if (z >= 16)
    draw_buildings (cr, &f);

  /* Finest roads first, so that the coarser ones cross over them. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int c = G_N_ELEMENTS (road_classes) - 1; c >= 0; c--)
    {
      const RoadClass *rc = &road_classes[c];
      double spacing = ldexp (TILE_SIZE, (int) z - (int) rc->level);
      double width;

      if (spacing < MIN_SPACING_PX)
        continue;
      /* Wider by half a pixel a zoom level, up to a real road's width. */
      width = MIN (rc->width + 0.6 * log2 (spacing / MIN_SPACING_PX), rc->width * 6);

      path_roads (cr, &f, rc);
      set_colour (cr, rc->casing);
      cairo_set_line_width (cr, width + 2);
      cairo_stroke_preserve (cr);
      set_colour (cr, rc->fill);
      cairo_set_line_width (cr, width);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* A tile is drawn on a worker thread (cairo's image surfaces need no main
 * thread): drawn on the main thread, the twenty-odd tiles a map shows when
 * it first appears held up the next frame by 25-30 ms. */
static void
draw_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const guint *xyz = task_data;

  g_task_return_pointer (task, draw_tile (xyz[0], xyz[1], xyz[2]), (GDestroyNotify) cairo_surface_destroy);
}

/* Back on the main thread: the tile takes what was drawn, unless its fill
 * was cancelled meanwhile (the map moved on). */
static void
on_tile_drawn (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KsTileSource *self = KS_TILE_SOURCE (source);
  g_autoptr(GTask) task = user_data;
  ShumateTile *tile = g_task_get_task_data (task);
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(KsTilePaintable) paintable = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      cairo_surface_destroy (surface);
      return;
    }
  paintable = ks_tile_paintable_new (surface, self->paint_surfaces);
  cairo_surface_destroy (surface);
  self->n_drawn++;
  shumate_tile_set_fade_in (tile, FALSE);
  shumate_tile_set_paintable (tile, GDK_PAINTABLE (paintable));
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

static void
ks_tile_source_fill_tile_async (ShumateMapSource    *source,
                                ShumateTile         *tile,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GTask) drawing = g_task_new (source, NULL, on_tile_drawn, task);
  guint *xyz = g_new (guint, 3);

  /* The thread is given the tile's place, not the tile. */
  xyz[0] = shumate_tile_get_x (tile);
  xyz[1] = shumate_tile_get_y (tile);
  xyz[2] = shumate_tile_get_zoom_level (tile);
  g_task_set_source_tag (task, ks_tile_source_fill_tile_async);
  g_task_set_task_data (task, g_object_ref (tile), g_object_unref);
  g_task_set_task_data (drawing, xyz, g_free);
  g_task_run_in_thread (drawing, draw_in_thread);
}

static gboolean
ks_tile_source_fill_tile_finish (ShumateMapSource  *source,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ks_tile_source_constructed (GObject *object)
{
  ShumateMapSource *source = SHUMATE_MAP_SOURCE (object);

  G_OBJECT_CLASS (ks_tile_source_parent_class)->constructed (object);

  /* Here rather than in init: the parent's construct properties would
   * overwrite them. */
  shumate_map_source_set_id (source, KS_TILE_SOURCE_BUILTIN);
  shumate_map_source_set_name (source, "Kerbside plain map");
  shumate_map_source_set_license (source, "Plain map drawn by Kerbside (no map data)");
  shumate_map_source_set_min_zoom_level (source, 0);
  shumate_map_source_set_max_zoom_level (source, MAX_ZOOM);
  shumate_map_source_set_tile_size (source, TILE_SIZE);
  shumate_map_source_set_projection (source, SHUMATE_MAP_PROJECTION_MERCATOR);
}

static void
ks_tile_source_class_init (KsTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->constructed = ks_tile_source_constructed;
  source_class->fill_tile_async = ks_tile_source_fill_tile_async;
  source_class->fill_tile_finish = ks_tile_source_fill_tile_finish;
}

static void
ks_tile_source_init (KsTileSource *self)
{
}

KsTileSource *
ks_tile_source_new (void)
{
  return g_object_new (KS_TYPE_TILE_SOURCE, NULL);
}

guint
ks_tile_source_get_n_drawn (KsTileSource *self)
{
  g_return_val_if_fail (KS_IS_TILE_SOURCE (self), 0);

  return self->n_drawn;
}

void
ks_tile_source_set_paint_surfaces (KsTileSource *self,
                                   gboolean      paint_surfaces)
{
  g_return_if_fail (KS_IS_TILE_SOURCE (self));

  self->paint_surfaces = paint_surfaces;
}

gboolean
ks_tile_source_get_paint_surfaces (KsTileSource *self)
{
  g_return_val_if_fail (KS_IS_TILE_SOURCE (self), FALSE);

  return self->paint_surfaces;
}

static gboolean
is_builtin (const char *url_template)
{
  return url_template == NULL || url_template[0] == '\0'
         || g_strcmp0 (url_template, KS_TILE_SOURCE_BUILTIN) == 0;
}

gboolean
ks_tile_source_url_is_valid (const char  *url_template,
                             GError     **error)
{
  g_autofree char *sample = NULL;
  g_autoptr(GUri) uri = NULL;

  if (is_builtin (url_template))
    return TRUE;

  if (!g_str_has_prefix (url_template, "https://") && !g_str_has_prefix (url_template, "http://"))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The tile URL must start with https:// (or http://). "
                   "Enter a tile server address such as %s.", KS_TILE_SOURCE_OSM_URL);
      return FALSE;
    }

  if (strstr (url_template, "{x}") == NULL || strstr (url_template, "{z}") == NULL
      || (strstr (url_template, "{y}") == NULL && strstr (url_template, "{tmsy}") == NULL))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The tile URL must contain {z}, {x} and {y} where the tile's zoom and "
                   "position go, as in %s.", KS_TILE_SOURCE_OSM_URL);
      return FALSE;
    }

  sample = ks_map_tile_downloader_tile_url (url_template, 0, 0, 0);
  uri = g_uri_parse (sample, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The tile URL is not a valid web address. Check it for typing mistakes.");
      return FALSE;
    }

  return TRUE;
}

ShumateMapSource *
ks_tile_source_new_for_url (const char  *url_template,
                            GError     **error)
{
  g_autoptr(KsMapTileDownloader) downloader = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *license = NULL;

  if (!ks_tile_source_url_is_valid (url_template, error))
    return NULL;

  if (is_builtin (url_template))
    return SHUMATE_MAP_SOURCE (ks_tile_source_new ());

  downloader = ks_map_tile_downloader_new (url_template);

  if (g_strcmp0 (url_template, KS_TILE_SOURCE_OSM_URL) == 0)
    return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("osm-mapnik", "OpenStreetMap",
                                                                 "© OpenStreetMap contributors",
                                                                 "https://www.openstreetmap.org/copyright",
                                                                 0, 19, TILE_SIZE,
                                                                 SHUMATE_MAP_PROJECTION_MERCATOR,
                                                                 SHUMATE_DATA_SOURCE (downloader)));

  sample = ks_map_tile_downloader_tile_url (url_template, 0, 0, 0);
  uri = g_uri_parse (sample, G_URI_FLAGS_NONE, NULL);
  license = g_strdup_printf ("Map tiles: %s", uri != NULL ? g_uri_get_host (uri) : url_template);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (url_template, "Custom map tiles",
                                                               license, NULL, 0, 19, TILE_SIZE,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (downloader)));
}

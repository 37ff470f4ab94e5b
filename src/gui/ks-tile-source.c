/* ks-tile-source.c: map tiles the app draws itself, and the map sources it offers. */
#define G_LOG_DOMAIN "ks-tile-source"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ks-error.h"
#include "ks-map-tile-downloader.h"
#include "ks-tile-source.h"

#define TILE_SIZE 256
#define MAX_ZOOM 20
/* Streets are laid on a grid anchored to the world, so neighbouring tiles
 * join up: STREETS_PER_TILE columns and rows of possible streets a tile,
 * every MAIN_EVERY-th of them a main road. */
#define STREETS_PER_TILE 8
#define MAIN_EVERY 4

struct _KsTileSource
{
  ShumateMapSource parent_instance;

  guint            n_drawn;
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

/* Whether the street on grid line `line` (global index at zoom z) exists. */
static gboolean
street_exists (guint32 line, guint32 axis, guint z)
{
  if (line % MAIN_EVERY == 0)
    return TRUE;
  return mix (line, axis, z) % 10 < 6;
}

static void
draw_streets (cairo_t *cr, guint tx, guint ty, guint z, gboolean main_roads)
{
  const double step = (double) TILE_SIZE / STREETS_PER_TILE;

  for (guint i = 0; i < STREETS_PER_TILE; i++)
    {
      guint32 col = tx * STREETS_PER_TILE + i;
      guint32 row = ty * STREETS_PER_TILE + i;
      double pos = i * step + step / 2;

      if ((col % MAIN_EVERY == 0) == main_roads && street_exists (col, 0, z))
        {
          cairo_move_to (cr, pos, 0);
          cairo_line_to (cr, pos, TILE_SIZE);
        }
      if ((row % MAIN_EVERY == 0) == main_roads && street_exists (row, 1, z))
        {
          cairo_move_to (cr, 0, pos);
          cairo_line_to (cr, TILE_SIZE, pos);
        }
    }
}

static GdkTexture *
draw_tile (guint tx, guint ty, guint z)
{
  const double step = (double) TILE_SIZE / STREETS_PER_TILE;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *label = NULL;
  GdkTexture *texture;
  int stride;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, TILE_SIZE, TILE_SIZE);
  cr = cairo_create (surface);

  /* Land. */
  set_colour (cr, 0xf2efe9);
  cairo_paint (cr);

  /* A few parks, one block each. */
  set_colour (cr, 0xcdebb0);
  for (guint i = 0; i < STREETS_PER_TILE; i++)
    for (guint j = 0; j < STREETS_PER_TILE; j++)
      if (mix (tx * STREETS_PER_TILE + i, ty * STREETS_PER_TILE + j, z + 7) % 23 == 0)
        cairo_rectangle (cr, i * step + step / 2 + 3, j * step + step / 2 + 3, step - 6, step - 6);
  cairo_fill (cr);

  /* Streets: a grey casing under a white fill, main roads wider and yellow. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  draw_streets (cr, tx, ty, z, FALSE);
  set_colour (cr, 0xd6d1c8);
  cairo_set_line_width (cr, 4);
  cairo_stroke_preserve (cr);
  set_colour (cr, 0xffffff);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);

  draw_streets (cr, tx, ty, z, TRUE);
  set_colour (cr, 0xc9b77a);
  cairo_set_line_width (cr, 7);
  cairo_stroke_preserve (cr);
  set_colour (cr, 0xf7e7a6);
  cairo_set_line_width (cr, 5);
  cairo_stroke (cr);

  /* A faint tile border and the tile's coordinates. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.08);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, TILE_SIZE - 1, TILE_SIZE - 1);
  cairo_stroke (cr);

  label = g_strdup_printf ("%u/%u/%u", z, tx, ty);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 10);
  cairo_set_source_rgba (cr, 0.3, 0.3, 0.3, 0.8);
  cairo_move_to (cr, 4, 12);
  cairo_show_text (cr, label);

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * TILE_SIZE);
  cairo_surface_destroy (surface);

  /* Cairo's ARGB32 is GDK's default memory format. */
  texture = gdk_memory_texture_new (TILE_SIZE, TILE_SIZE, GDK_MEMORY_DEFAULT, bytes, stride);
  return texture;
}

static void
ks_tile_source_fill_tile_async (ShumateMapSource    *source,
                                ShumateTile         *tile,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  KsTileSource *self = KS_TILE_SOURCE (source);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_tile_source_fill_tile_async);

  texture = draw_tile (shumate_tile_get_x (tile), shumate_tile_get_y (tile),
                       shumate_tile_get_zoom_level (tile));
  self->n_drawn++;

  shumate_tile_set_fade_in (tile, FALSE);
  shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
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

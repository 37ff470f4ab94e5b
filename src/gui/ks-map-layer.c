/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-layer.c: a map layer that draws every report, clustered by zoom.
 *
 * One widget for the whole set: each report's normalised Web Mercator
 * position is computed once (KsMapIndex), a frame visits only the cells on
 * screen at the zoom's cluster level and appends one texture (plus a count
 * for bubbles) per non-empty cell, so a frame costs the same few hundred
 * nodes whether the model holds a hundred reports or a hundred thousand. */
#define G_LOG_DOMAIN "ks-map-layer"

#include <math.h>
#include <string.h>

#include "ks-geo.h"
#include "ks-map-layer.h"
#include "ks-map-layer-private.h"
#include "ks-report.h"
#include "ks-report-filter.h"
#include "ks-states.h"

/* Cells are between MIN_CELL_PX and twice that across on screen. */
#define MIN_CELL_PX 48.0
/* A single report: big enough to see on a busy map and to hit with a
 * pointer (the hit area reaches HIT_SLOP beyond the drawn mark). */
#define DOT_SIZE 20
#define SELECTED_SIZE 34
#define HIT_SLOP 6.0
#define MAX_LAYOUTS 4096

struct _KsMapLayer
{
  ShumateLayer     parent_instance;

  GListModel      *reports;
  KsMapIndex      *index;
  gboolean         dirty;
  guint            rebuild_id;
  gboolean         rebuild_later;  /* rebuild_id is the hidden map's timeout, not an idle */
  guint            n_builds;
  gint64           selected;
  gboolean         has_area;       /* a rectangle being drawn to select reports */
  graphene_rect_t  area;

  GdkRGBA         *colours;        /* per state index, then the unknown colour */
  guint            n_colours;
  GHashTable      *state_index;    /* state id -> index + 1 */
  guint            states_serial;  /* ks_states_serial() when state_index was made */
  GHashTable      *textures;       /* key -> GdkTexture */
  GHashTable      *layouts;        /* count -> PangoLayout */
  GArray          *marks;          /* Mark: what the frame draws, queued */
  int              texture_scale;

  KsMapLayerStats  stats;
};

G_DEFINE_FINAL_TYPE (KsMapLayer, ks_map_layer, SHUMATE_TYPE_LAYER)

/* The geometry of one frame. */
typedef struct {
  double width, height;
  double cx, cy;        /* the viewport's centre, normalised Web Mercator */
  double scale;         /* pixels per world width */
  double cos_r, sin_r;  /* the viewport's rotation */
  double zoom;
  guint  level;
} Frame;

static guint
level_for_zoom (double zoom, double tile_size)
{
  double level = floor (zoom + log2 (tile_size / MIN_CELL_PX));

  return (guint) CLAMP (level, 0, KS_MAP_INDEX_DEPTH);
}

static gboolean
frame_init (KsMapLayer *self,
            Frame      *f)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source;
  double tile_size, rotation;

  if (viewport == NULL)
    return FALSE;
  source = shumate_viewport_get_reference_map_source (viewport);
  if (source == NULL)
    return FALSE;

  tile_size = shumate_map_source_get_tile_size (source);
  f->width = gtk_widget_get_width (GTK_WIDGET (self));
  f->height = gtk_widget_get_height (GTK_WIDGET (self));
  f->zoom = shumate_viewport_get_zoom_level (viewport);
  f->scale = tile_size * exp2 (f->zoom);
  rotation = shumate_viewport_get_rotation (viewport);
  f->cos_r = cos (rotation);
  f->sin_r = sin (rotation);
  f->level = level_for_zoom (f->zoom, tile_size);
  ks_geo_to_mercator (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                      shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                      &f->cx, &f->cy);
  return TRUE;
}

static inline void
frame_project (const Frame *f,
               double       x,
               double       y,
               double      *px,
               double      *py)
{
  double dx = (x - f->cx) * f->scale;
  double dy = (y - f->cy) * f->scale;

  *px = f->cos_r * dx - f->sin_r * dy + f->width / 2;
  *py = f->sin_r * dx + f->cos_r * dy + f->height / 2;
}

static inline void
frame_unproject (const Frame *f,
                 double       px,
                 double       py,
                 double      *x,
                 double      *y)
{
  double dx = px - f->width / 2;
  double dy = py - f->height / 2;

  *x = f->cx + (f->cos_r * dx + f->sin_r * dy) / f->scale;
  *y = f->cy + (-f->sin_r * dx + f->cos_r * dy) / f->scale;
}

static int
bubble_size (guint count)
{
  if (count <= 1)
    return DOT_SIZE;
  if (count < 10)
    return 28;
  if (count < 100)
    return 34;
  if (count < 1000)
    return 40;
  if (count < 10000)
    return 46;
  return 52;
}

/* Where a cluster is drawn, in normalised Web Mercator: a single report at
 * its place; a bubble at the mean of its reports, kept inside its cell so
 * bubbles of neighbouring cells do not cover each other. */
static void
cluster_position (const Frame        *f,
                  const KsMapCluster *c,
                  double             *x,
                  double             *y)
{
  double cell, r, lo, hi;
  guint32 cx, cy;

  *x = c->x;
  *y = c->y;
  if (c->count <= 1)
    return;

  cell = ldexp (1.0, -(int) f->level);
  r = bubble_size (c->count) / 2.0 / f->scale;
  ks_map_morton_decode (c->cell, &cx, &cy);

  lo = cx * cell + r;
  hi = (cx + 1) * cell - r;
  *x = lo < hi ? CLAMP (*x, lo, hi) : (cx + 0.5) * cell;
  lo = cy * cell + r;
  hi = (cy + 1) * cell - r;
  *y = lo < hi ? CLAMP (*y, lo, hi) : (cy + 0.5) * cell;
}

/* ---- the index ---------------------------------------------------------- */

static void load_states (KsMapLayer *self);

static guint16
state_to_index (KsMapLayer *self,
                const char *state)
{
  gpointer value;

  if (state == NULL)
    return KS_MAP_STATE_UNKNOWN;
  value = g_hash_table_lookup (self->state_index, state);
  return value != NULL ? (guint16) (GPOINTER_TO_UINT (value) - 1) : KS_MAP_STATE_UNKNOWN;
}

static void
rebuild_index (KsMapLayer *self)
{
  guint n = self->reports != NULL ? g_list_model_get_n_items (self->reports) : 0;
  KsMapPoint *points = g_new (KsMapPoint, MAX (n, 1));
  guint n_points = 0;
  KsReport * const *lent = NULL;
  guint n_lent = 0;

  if (self->states_serial != ks_states_serial ())
    load_states (self);
  /* The app's filter lends its reports: the pass reads them in the list's
   * order, one place in memory after another, and asks for them ahead
   * (at 500,000 reports, waiting on each was most of a rebuild). */
  if (KS_IS_REPORT_FILTER (self->reports))
    lent = ks_report_filter_peek_items (KS_REPORT_FILTER (self->reports), &n_lent);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) owned = NULL;
      GObject *item;
      KsReport *report;
      KsMapPoint *p;
      double lat, lon;

      if (lent != NULL && i < n_lent)
        {
          if (i + KS_REPORT_PREFETCH_AHEAD < n_lent)
            ks_report_prefetch (lent[i + KS_REPORT_PREFETCH_AHEAD]);
          item = (GObject *) lent[i];
        }
      else
        item = owned = g_list_model_get_item (self->reports, i);

      if (!KS_IS_REPORT (item))
        continue;
      report = KS_REPORT (item);
      lat = ks_report_get_lat (report);
      lon = ks_report_get_lon (report);
      if (!ks_geo_valid_lat_lon (lat, lon))
        continue;

      p = &points[n_points++];
      ks_geo_to_mercator (lat, lon, &p->x, &p->y);
      p->id = ks_report_get_id (report);
      p->state = state_to_index (self, ks_report_get_state (report));
    }

  g_clear_pointer (&self->index, ks_map_index_free);
  self->index = ks_map_index_new (points, n_points);
  self->dirty = FALSE;
  self->n_builds++;
}

static KsMapIndex *
ensure_index (KsMapLayer *self)
{
  if (self->dirty || self->index == NULL || self->states_serial != ks_states_serial ())
    rebuild_index (self);
  return self->index;
}

static gboolean
rebuild_idle (gpointer user_data)
{
  KsMapLayer *self = user_data;

  self->rebuild_id = 0;
  self->rebuild_later = FALSE;
  if (self->dirty)
    {
      rebuild_index (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return G_SOURCE_REMOVE;
}

/* How long the reports must stay as they are before a hidden map builds its
 * index again. */
#define HIDDEN_REBUILD_MS 400

static void
on_items_changed (KsMapLayer *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* Shown: built again after the frame, ready for the next one. */
      if (self->rebuild_id == 0 || self->rebuild_later)
        {
          g_clear_handle_id (&self->rebuild_id, g_source_remove);
          self->rebuild_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, rebuild_idle, self, NULL);
          self->rebuild_later = FALSE;
        }
      return;
    }
  /* Hidden behind another view: once the reports have been still for a
   * moment, so that a search typed in the list does not pay a rebuild a
   * letter on the main thread (a quarter of a second at 500,000), and the
   * map is still ready when it comes back. */
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  self->rebuild_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, HIDDEN_REBUILD_MS, rebuild_idle, self, NULL);
  self->rebuild_later = TRUE;
}

/* ---- textures and layouts ------------------------------------------------ */

static const GdkRGBA *
state_colour (KsMapLayer *self,
              guint16     state)
{
  return &self->colours[MIN ((guint) state, self->n_colours - 1)];
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int stride = cairo_image_surface_get_stride (surface);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

/* A filled circle in a state's colour with a white rim (kind 0), or the
 * selection ring (kind 1). */
static GdkTexture *
get_texture (KsMapLayer *self,
             int         kind,
             guint16     state,
             int         size)
{
  guint key = ((guint) kind << 28) | ((guint) state << 12) | ((guint) size << 4)
              | (guint) self->texture_scale;
  GdkTexture *texture = g_hash_table_lookup (self->textures, GUINT_TO_POINTER (key));
  cairo_surface_t *surface;
  cairo_t *cr;
  int px = size * self->texture_scale;
  double r = size / 2.0;

  if (texture != NULL)
    return texture;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  cairo_surface_set_device_scale (surface, self->texture_scale, self->texture_scale);
  cr = cairo_create (surface);
  cairo_arc (cr, r, r, r - 0.5, 0, 2 * G_PI);

  if (kind == 0)
    {
      const GdkRGBA *c = state_colour (self, state);

      cairo_set_source_rgba (cr, 0, 0, 0, 0.45);
      cairo_fill (cr);
      cairo_arc (cr, r, r, r - 1.5, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill (cr);
      cairo_arc (cr, r, r, r - 3.5, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, c->red, c->green, c->blue);
      cairo_fill (cr);
    }
  else
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill (cr);
      cairo_arc (cr, r, r, r - 2.5, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.14, 0.12, 0.19);
      cairo_set_line_width (cr, 4);
      cairo_stroke (cr);
      /* Let the report's own dot show through. */
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_arc (cr, r, r, DOT_SIZE / 2.0 - 0.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  cairo_destroy (cr);
  texture = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  g_hash_table_insert (self->textures, GUINT_TO_POINTER (key), texture);
  return texture;
}

static PangoLayout *
get_layout (KsMapLayer *self,
            guint       count)
{
  PangoLayout *layout = g_hash_table_lookup (self->layouts, GUINT_TO_POINTER (count));
  g_autofree char *text = NULL;
  PangoAttrList *attrs;

  if (layout != NULL)
    return layout;

  if (g_hash_table_size (self->layouts) >= MAX_LAYOUTS)
    g_hash_table_remove_all (self->layouts);

  if (count >= 10000)
    text = g_strdup_printf ("%uk", count / 1000);
  else
    text = g_strdup_printf ("%u", count);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (count >= 1000 ? 0.8 : 0.9));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  g_hash_table_insert (self->layouts, GUINT_TO_POINTER (count), layout);
  return layout;
}

static gboolean
is_light (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue > 0.62;
}

/* ---- drawing -------------------------------------------------------------- */

typedef struct {
  GdkTexture *texture;
  guint       count;
  guint16     state;
  int         size;
  float       x, y;
} Mark;

/* Queues a cluster's bubble (or a report's dot). */
static void
draw_cluster (KsMapLayer         *self,
              GtkSnapshot        *snapshot,
              const KsMapCluster *c,
              double              px,
              double              py)
{
  Mark mark;

  mark.size = bubble_size (c->count);
  mark.texture = get_texture (self, 0, c->state, mark.size);
  mark.count = c->count;
  mark.state = c->state;
  mark.x = px;
  mark.y = py;
  g_array_append_val (self->marks, mark);

  self->stats.n_reports += c->count;
  if (c->count > 1)
    self->stats.n_clusters++;
  else
    self->stats.n_singles++;
}

static int
compare_marks (gconstpointer a,
               gconstpointer b)
{
  const Mark *ma = a, *mb = b;

  if (ma->texture != mb->texture)
    return ma->texture < mb->texture ? -1 : 1;
  return 0;
}

/* Appends the queued marks grouped by texture, then all counts on top: the
 * renderer can then batch them (mixing textures and text costs a lot more). */
static void
flush_marks (KsMapLayer  *self,
             GtkSnapshot *snapshot)
{
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA dark = { 0.1, 0.1, 0.1, 1 };

  g_array_sort (self->marks, compare_marks);

  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      graphene_rect_t rect;

      graphene_rect_init (&rect, mark->x - mark->size / 2.0, mark->y - mark->size / 2.0,
                          mark->size, mark->size);
      gtk_snapshot_append_texture (snapshot, mark->texture, &rect);
      self->stats.n_nodes++;
    }

  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      PangoLayout *layout;
      graphene_point_t origin;
      int lw, lh;

      if (mark->count <= 1)
        continue;

      layout = get_layout (self, mark->count);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      origin = GRAPHENE_POINT_INIT (roundf (mark->x - lw / 2.0), roundf (mark->y - lh / 2.0));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &origin);
      gtk_snapshot_append_layout (snapshot, layout,
                                  is_light (state_colour (self, mark->state)) ? &dark : &white);
      gtk_snapshot_restore (snapshot);
      self->stats.n_nodes++;
    }

  /* The marks stay until the next frame, for ks_map_layer_get_mark_at(). */
}

/* The range of cells of the frame's level that may show on screen. */
static void
visible_cells (const Frame *f,
               guint       *i0,
               guint       *i1,
               guint       *j0,
               guint       *j1)
{
  double cells = exp2 (f->level);
  double margin = bubble_size (G_MAXUINT);
  double hw, hh;

  if (f->sin_r != 0)
    hw = hh = hypot (f->width, f->height) / 2 + margin;
  else
    {
      hw = f->width / 2 + margin;
      hh = f->height / 2 + margin;
    }

  *i0 = (guint) CLAMP (floor ((f->cx - hw / f->scale) * cells), 0, cells - 1);
  *i1 = (guint) CLAMP (floor ((f->cx + hw / f->scale) * cells), 0, cells - 1);
  *j0 = (guint) CLAMP (floor ((f->cy - hh / f->scale) * cells), 0, cells - 1);
  *j1 = (guint) CLAMP (floor ((f->cy + hh / f->scale) * cells), 0, cells - 1);
}

static inline gboolean
on_screen (const Frame *f,
           double       px,
           double       py,
           double       margin)
{
  return px > -margin && py > -margin && px < f->width + margin && py < f->height + margin;
}

typedef void (*ClusterFunc) (KsMapLayer         *self,
                             const Frame        *f,
                             const KsMapCluster *c,
                             double              px,
                             double              py,
                             gpointer            data);

/* Calls func for every non-empty cell of the frame's level on screen: by
 * looking up each visible cell, or by walking the whole level when it has
 * fewer clusters than the screen has cells. */
static void
foreach_visible (KsMapLayer  *self,
                 const Frame *f,
                 ClusterFunc  func,
                 gpointer     data)
{
  KsMapIndex *index = ensure_index (self);
  const KsMapCluster *clusters;
  guint n_clusters, i0, i1, j0, j1;
  double margin = bubble_size (G_MAXUINT);
  double px, py, mx, my;

  clusters = ks_map_index_get_level (index, f->level, &n_clusters);
  if (n_clusters == 0)
    return;

  visible_cells (f, &i0, &i1, &j0, &j1);

  if ((guint64) n_clusters <= (guint64) (i1 - i0 + 1) * (j1 - j0 + 1))
    {
      for (guint k = 0; k < n_clusters; k++)
        {
          cluster_position (f, &clusters[k], &mx, &my);
          frame_project (f, mx, my, &px, &py);
          if (on_screen (f, px, py, margin))
            func (self, f, &clusters[k], px, py, data);
        }
      return;
    }

  for (guint j = j0; j <= j1; j++)
    for (guint i = i0; i <= i1; i++)
      {
        const KsMapCluster *c = ks_map_index_lookup (index, f->level, i, j);

        if (c == NULL)
          continue;
        cluster_position (f, c, &mx, &my);
        frame_project (f, mx, my, &px, &py);
        if (on_screen (f, px, py, margin))
          func (self, f, c, px, py, data);
      }
}

static void
snapshot_cluster (KsMapLayer         *self,
                  const Frame        *f,
                  const KsMapCluster *c,
                  double              px,
                  double              py,
                  gpointer            data)
{
  draw_cluster (self, data, c, px, py);
}

static void
draw_selected (KsMapLayer  *self,
               GtkSnapshot *snapshot,
               const Frame *f)
{
  KsMapIndex *index = ensure_index (self);
  const KsMapPoint *point;
  graphene_rect_t rect;
  guint position;
  double px, py;

  if (self->selected == 0 || !ks_map_index_find (index, self->selected, &position))
    return;

  point = &ks_map_index_get_points (index)[position];
  frame_project (f, point->x, point->y, &px, &py);
  if (!on_screen (f, px, py, SELECTED_SIZE))
    return;

  /* The report's own dot on top of any bubble, ringed. */
  graphene_rect_init (&rect, px - DOT_SIZE / 2.0, py - DOT_SIZE / 2.0, DOT_SIZE, DOT_SIZE);
  gtk_snapshot_append_texture (snapshot, get_texture (self, 0, point->state, DOT_SIZE), &rect);
  graphene_rect_init (&rect, px - SELECTED_SIZE / 2.0, py - SELECTED_SIZE / 2.0,
                      SELECTED_SIZE, SELECTED_SIZE);
  gtk_snapshot_append_texture (snapshot, get_texture (self, 1, 0, SELECTED_SIZE), &rect);
  self->stats.n_nodes += 2;
}

static void
ks_map_layer_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  KsMapLayer *self = KS_MAP_LAYER (widget);
  Frame f;
  int scale = gtk_widget_get_scale_factor (widget);
  gint64 start = g_get_monotonic_time ();

  memset (&self->stats, 0, sizeof self->stats);
  g_array_set_size (self->marks, 0);
  if (!frame_init (self, &f))
    return;

  if (scale != self->texture_scale)
    {
      g_hash_table_remove_all (self->textures);
      self->texture_scale = scale;
    }

  self->stats.level = f.level;
  foreach_visible (self, &f, snapshot_cluster, snapshot);
  flush_marks (self, snapshot);
  draw_selected (self, snapshot, &f);
  if (self->has_area)
    {
      static const GdkRGBA fill = { 0.21, 0.52, 0.89, 0.18 };
      static const GdkRGBA edge = { 0.21, 0.52, 0.89, 1.0 };
      GskRoundedRect outline;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA edges[4] = { edge, edge, edge, edge };

      gtk_snapshot_append_color (snapshot, &fill, &self->area);
      gsk_rounded_rect_init_from_rect (&outline, &self->area, 0);
      gtk_snapshot_append_border (snapshot, &outline, widths, edges);
    }
  self->stats.snapshot_us = g_get_monotonic_time () - start;
}

/* ---- hit-testing ---------------------------------------------------------- */

typedef struct {
  double              x, y;
  double              best_distance;
  const KsMapCluster *best;
} HitSearch;

static void
hit_cluster (KsMapLayer         *self,
             const Frame        *f,
             const KsMapCluster *c,
             double              px,
             double              py,
             gpointer            data)
{
  HitSearch *search = data;
  double d = hypot (px - search->x, py - search->y);

  if (d <= bubble_size (c->count) / 2.0 + HIT_SLOP && d < search->best_distance)
    {
      search->best_distance = d;
      search->best = c;
    }
}

gboolean
ks_map_layer_hit_test (KsMapLayer *self,
                       double      x,
                       double      y,
                       KsMapHit   *hit)
{
  HitSearch search = { x, y, G_MAXDOUBLE, NULL };
  Frame f, near;
  const KsMapPoint *points;
  double mx, my, reach;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), FALSE);
  g_return_val_if_fail (hit != NULL, FALSE);

  memset (hit, 0, sizeof *hit);
  if (!frame_init (self, &f))
    return FALSE;

  /* The selected report is drawn on top of everything. */
  if (self->selected != 0)
    {
      KsMapIndex *index = ensure_index (self);
      guint position;
      double px, py;

      if (ks_map_index_find (index, self->selected, &position))
        {
          const KsMapPoint *p = &ks_map_index_get_points (index)[position];

          frame_project (&f, p->x, p->y, &px, &py);
          if (hypot (px - x, py - y) <= SELECTED_SIZE / 2.0)
            {
              hit->kind = KS_MAP_HIT_REPORT;
              hit->report_id = p->id;
              hit->count = 1;
              ks_geo_from_mercator (p->x, p->y, &hit->lat, &hit->lon);
              hit->min_lat = hit->max_lat = hit->lat;
              hit->min_lon = hit->max_lon = hit->lon;
              return TRUE;
            }
        }
    }

  /* Only the cells around the point: a small frame centred on it, with the
   * same scale, rotation and level. */
  reach = bubble_size (G_MAXUINT) / 2.0 + HIT_SLOP;
  frame_unproject (&f, x, y, &mx, &my);
  near = f;
  near.cx = mx;
  near.cy = my;
  near.width = near.height = 2 * reach;
  search.x = reach;
  search.y = reach;
  foreach_visible (self, &near, hit_cluster, &search);

  if (search.best == NULL)
    return FALSE;

  points = ks_map_index_get_points (self->index);
  hit->kind = search.best->count == 1 ? KS_MAP_HIT_REPORT : KS_MAP_HIT_CLUSTER;
  hit->report_id = points[search.best->start].id;
  hit->count = search.best->count;
  cluster_position (&f, search.best, &mx, &my);
  ks_geo_from_mercator (mx, my, &hit->lat, &hit->lon);
  /* y grows southwards: the smallest y is the northernmost. */
  ks_geo_from_mercator (search.best->min_x, search.best->max_y, &hit->min_lat, &hit->min_lon);
  ks_geo_from_mercator (search.best->max_x, search.best->min_y, &hit->max_lat, &hit->max_lon);
  return TRUE;
}

gboolean
ks_map_layer_location_to_point (KsMapLayer *self,
                                double      lat,
                                double      lon,
                                double     *x,
                                double     *y)
{
  Frame f;
  double mx, my;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), FALSE);

  if (!frame_init (self, &f))
    return FALSE;
  ks_geo_to_mercator (lat, lon, &mx, &my);
  frame_project (&f, mx, my, x, y);
  return TRUE;
}

gboolean
ks_map_layer_cluster_to_point (KsMapLayer         *self,
                               const KsMapCluster *cluster,
                               double             *x,
                               double             *y)
{
  Frame f;
  double mx, my;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), FALSE);
  g_return_val_if_fail (cluster != NULL, FALSE);

  if (!frame_init (self, &f))
    return FALSE;
  cluster_position (&f, cluster, &mx, &my);
  frame_project (&f, mx, my, x, y);
  return TRUE;
}

/* ---- object --------------------------------------------------------------- */

static void
on_viewport_notify (KsMapLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ks_map_layer_constructed (GObject *object)
{
  KsMapLayer *self = KS_MAP_LAYER (object);

  G_OBJECT_CLASS (ks_map_layer_parent_class)->constructed (object);

  /* A layer does not redraw on viewport changes by itself. */
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (on_viewport_notify), self, G_CONNECT_SWAPPED);
}

static void
ks_map_layer_dispose (GObject *object)
{
  KsMapLayer *self = KS_MAP_LAYER (object);

  ks_map_layer_set_reports (self, NULL);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);

  G_OBJECT_CLASS (ks_map_layer_parent_class)->dispose (object);
}

static void
ks_map_layer_finalize (GObject *object)
{
  KsMapLayer *self = KS_MAP_LAYER (object);

  g_clear_pointer (&self->index, ks_map_index_free);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->layouts, g_hash_table_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->state_index, g_hash_table_unref);
  g_free (self->colours);

  G_OBJECT_CLASS (ks_map_layer_parent_class)->finalize (object);
}

static void
ks_map_layer_class_init (KsMapLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ks_map_layer_constructed;
  object_class->dispose = ks_map_layer_dispose;
  object_class->finalize = ks_map_layer_finalize;
  widget_class->snapshot = ks_map_layer_snapshot;

  gtk_widget_class_set_css_name (widget_class, "ks-map-layer");
}

/* The colours and indices of the states; again when a council's states
 * arrive (signed in after the map was made) or change. */
static void
load_states (KsMapLayer *self)
{
  guint n_states;

  self->states_serial = ks_states_serial ();
  n_states = ks_states_count ();
  g_free (self->colours);
  g_clear_pointer (&self->state_index, g_hash_table_unref);
  if (self->textures != NULL)
    g_hash_table_remove_all (self->textures);
  self->n_colours = n_states + 1;
  self->colours = g_new (GdkRGBA, self->n_colours);
  self->state_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_states; i++)
    {
      const KsState *state = ks_states_nth (i);

      if (!gdk_rgba_parse (&self->colours[i], state->colour))
        gdk_rgba_parse (&self->colours[i], "#77767b");
      g_hash_table_insert (self->state_index, (gpointer) state->id, GUINT_TO_POINTER (i + 1));
    }
  gdk_rgba_parse (&self->colours[n_states], "#77767b");
}

static void
ks_map_layer_init (KsMapLayer *self)
{
  load_states (self);
  self->textures = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->layouts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  self->texture_scale = 1;
  self->dirty = TRUE;

  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

KsMapLayer *
ks_map_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (KS_TYPE_MAP_LAYER, "viewport", viewport, NULL);
}

void
ks_map_layer_set_reports (KsMapLayer *self,
                          GListModel *reports)
{
  g_return_if_fail (KS_IS_MAP_LAYER (self));
  g_return_if_fail (reports == NULL || G_IS_LIST_MODEL (reports));

  if (self->reports == reports)
    return;

  if (self->reports != NULL)
    g_signal_handlers_disconnect_by_func (self->reports, on_items_changed, self);
  g_set_object (&self->reports, reports);
  if (self->reports != NULL)
    g_signal_connect_object (self->reports, "items-changed",
                             G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);

  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GListModel *
ks_map_layer_get_reports (KsMapLayer *self)
{
  g_return_val_if_fail (KS_IS_MAP_LAYER (self), NULL);

  return self->reports;
}

void
ks_map_layer_set_selected (KsMapLayer *self,
                           gint64      report_id)
{
  g_return_if_fail (KS_IS_MAP_LAYER (self));

  if (self->selected == report_id)
    return;
  self->selected = report_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
ks_map_layer_get_selected (KsMapLayer *self)
{
  g_return_val_if_fail (KS_IS_MAP_LAYER (self), 0);

  return self->selected;
}

gboolean
ks_map_layer_get_report_location (KsMapLayer *self,
                                  gint64      report_id,
                                  double     *lat,
                                  double     *lon)
{
  KsMapIndex *index;
  const KsMapPoint *p;
  guint position;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), FALSE);

  index = ensure_index (self);
  if (!ks_map_index_find (index, report_id, &position))
    return FALSE;
  p = &ks_map_index_get_points (index)[position];
  ks_geo_from_mercator (p->x, p->y, lat, lon);
  return TRUE;
}

guint
ks_map_layer_level_for_zoom (KsMapLayer *self,
                             double      zoom)
{
  ShumateViewport *viewport;
  ShumateMapSource *source;
  double tile_size = 256;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), 0);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  source = viewport != NULL ? shumate_viewport_get_reference_map_source (viewport) : NULL;
  if (source != NULL)
    tile_size = shumate_map_source_get_tile_size (source);
  return level_for_zoom (zoom, tile_size);
}

KsMapIndex *
ks_map_layer_get_index (KsMapLayer *self)
{
  g_return_val_if_fail (KS_IS_MAP_LAYER (self), NULL);

  return ensure_index (self);
}

void
ks_map_layer_get_stats (KsMapLayer      *self,
                        KsMapLayerStats *stats)
{
  g_return_if_fail (KS_IS_MAP_LAYER (self));

  *stats = self->stats;
}

guint
ks_map_layer_get_n_builds (KsMapLayer *self)
{
  g_return_val_if_fail (KS_IS_MAP_LAYER (self), 0);
  return self->n_builds;
}

gboolean
ks_map_layer_get_drawn_report (KsMapLayer  *self,
                               gint64       report_id,
                               const char **state_id,
                               GdkRGBA     *colour)
{
  KsMapIndex *index;
  const KsMapPoint *p;
  guint position;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), FALSE);

  index = ensure_index (self);
  if (index == NULL || !ks_map_index_find (index, report_id, &position))
    return FALSE;
  p = &ks_map_index_get_points (index)[position];
  if (state_id)
    *state_id = p->state < ks_states_count () ? ks_states_nth (p->state)->id : NULL;
  if (colour)
    *colour = *state_colour (self, p->state);
  return TRUE;
}

gboolean
ks_map_layer_get_mark_at (KsMapLayer     *self,
                          double          x,
                          double          y,
                          KsMapLayerMark *mark)
{
  const Mark *best = NULL;
  double best_distance = G_MAXDOUBLE;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), FALSE);
  g_return_val_if_fail (mark != NULL, FALSE);

  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *m = &g_array_index (self->marks, Mark, i);
      double d = hypot (m->x - x, m->y - y);

      if (d <= m->size / 2.0 && d < best_distance)
        {
          best = m;
          best_distance = d;
        }
    }
  if (best == NULL)
    return FALSE;

  mark->x = best->x;
  mark->y = best->y;
  mark->size = best->size;
  mark->count = best->count;
  mark->state = best->state;
  mark->colour = *state_colour (self, best->state);
  return TRUE;
}

void
ks_map_layer_set_area (KsMapLayer            *self,
                       const graphene_rect_t *area)
{
  g_return_if_fail (KS_IS_MAP_LAYER (self));

  self->has_area = area != NULL;
  if (area != NULL)
    graphene_rect_normalize_r (area, &self->area);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GArray *
ks_map_layer_reports_in_area (KsMapLayer            *self,
                              const graphene_rect_t *area)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  graphene_rect_t r;
  KsMapIndex *index;
  const KsMapPoint *points;
  guint n;
  Frame f;

  g_return_val_if_fail (KS_IS_MAP_LAYER (self), ids);

  index = ensure_index (self);
  if (index == NULL || !frame_init (self, &f))
    return ids;
  graphene_rect_normalize_r (area, &r);
  points = ks_map_index_get_points (index);
  n = ks_map_index_get_n_points (index);
  /* One multiply-add a point (the frame's projection, rotation included):
   * 100,000 reports take a few milliseconds. */
  for (guint i = 0; i < n; i++)
    {
      double px, py;

      frame_project (&f, points[i].x, points[i].y, &px, &py);
      if (px >= r.origin.x && px <= r.origin.x + r.size.width &&
          py >= r.origin.y && py <= r.origin.y + r.size.height)
        g_array_append_val (ids, points[i].id);
    }
  return ids;
}

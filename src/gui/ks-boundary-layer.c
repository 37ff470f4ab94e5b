/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-boundary-layer.c: the council's border and ward outlines on the map. The
 * rings are read once from the GeoJSON geometries; a frame projects their points
 * through the viewport and strokes them with cairo (a council has some dozens of
 * wards: a few thousand points a frame), skipping rings whose box is off screen. */
#define G_LOG_DOMAIN "ks-map"

#include "ks-boundary-layer.h"

typedef struct {
  gboolean area;
  guint    start;      /* first point in points */
  guint    n;          /* points */
  double   min_lat, min_lon, max_lat, max_lon;
} Ring;

struct _KsBoundaryLayer
{
  ShumateLayer parent_instance;

  GArray *rings;       /* Ring */
  GArray *points;      /* double lat, lon pairs */
  guint   n_wards;
  guint   drawn;
};

G_DEFINE_FINAL_TYPE (KsBoundaryLayer, ks_boundary_layer, SHUMATE_TYPE_LAYER)

/* Adds one ring ([[lon, lat], ...]). */
static void
add_ring (KsBoundaryLayer *self,
          JsonArray       *coords,
          gboolean         area)
{
  Ring ring = { area, self->points->len / 2, 0, G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };

  for (guint i = 0; i < json_array_get_length (coords); i++)
    {
      JsonNode *node = json_array_get_element (coords, i);
      JsonArray *pt;
      double ll[2];

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (pt = json_node_get_array (node)) < 2)
        continue;
      ll[1] = json_array_get_double_element (pt, 0);
      ll[0] = json_array_get_double_element (pt, 1);
      g_array_append_vals (self->points, ll, 2);
      ring.min_lat = MIN (ring.min_lat, ll[0]);
      ring.max_lat = MAX (ring.max_lat, ll[0]);
      ring.min_lon = MIN (ring.min_lon, ll[1]);
      ring.max_lon = MAX (ring.max_lon, ll[1]);
      ring.n++;
    }
  if (ring.n >= 2)
    g_array_append_val (self->rings, ring);
}

/* A Polygon's rings, or each polygon's rings of a MultiPolygon. */
static void
add_geometry (KsBoundaryLayer *self,
              JsonObject      *geometry,
              gboolean         area)
{
  const char *type = json_object_get_string_member_with_default (geometry, "type", "");
  JsonNode *node = json_object_get_member (geometry, "coordinates");
  JsonArray *coords;
  gboolean multi = g_strcmp0 (type, "MultiPolygon") == 0;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      (!multi && g_strcmp0 (type, "Polygon") != 0))
    return;
  coords = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (coords); i++)
    {
      JsonNode *part = json_array_get_element (coords, i);

      if (!JSON_NODE_HOLDS_ARRAY (part))
        continue;
      if (!multi)
        add_ring (self, json_node_get_array (part), area);
      else
        for (guint j = 0; j < json_array_get_length (json_node_get_array (part)); j++)
          {
            JsonNode *ring = json_array_get_element (json_node_get_array (part), j);
            if (JSON_NODE_HOLDS_ARRAY (ring))
              add_ring (self, json_node_get_array (ring), area);
          }
    }
}

static void
add_boundary (KsBoundaryLayer *self,
              JsonNode        *node,
              gboolean         area)
{
  JsonNode *geometry;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  geometry = json_object_get_member (json_node_get_object (node), "geometry");
  if (geometry != NULL && JSON_NODE_HOLDS_OBJECT (geometry))
    add_geometry (self, json_node_get_object (geometry), area);
}

void
ks_boundary_layer_set_boundaries (KsBoundaryLayer *self,
                                  JsonObject      *boundaries)
{
  g_return_if_fail (KS_IS_BOUNDARY_LAYER (self));

  g_array_set_size (self->rings, 0);
  g_array_set_size (self->points, 0);
  self->n_wards = 0;
  if (boundaries != NULL)
    {
      JsonNode *wards = json_object_get_member (boundaries, "wards");

      if (wards != NULL && JSON_NODE_HOLDS_ARRAY (wards))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (wards)); i++)
          {
            add_boundary (self, json_array_get_element (json_node_get_array (wards), i), FALSE);
            self->n_wards++;
          }
      /* The border last: drawn over the wards' edges that run along it. */
      add_boundary (self, json_object_get_member (boundaries, "area"), TRUE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
stroke_rings (KsBoundaryLayer *self,
              cairo_t         *cr,
              ShumateViewport *viewport,
              gboolean         area,
              double           width,
              double           height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double x0, y0, x1, y1;

  for (guint i = 0; i < self->rings->len; i++)
    {
      const Ring *r = &g_array_index (self->rings, Ring, i);
      const double *p = &g_array_index (self->points, double, 2 * r->start);

      if (r->area != area)
        continue;
      /* The ring's box on screen (the map may turn: test every corner). */
      shumate_viewport_location_to_widget_coords (viewport, widget, r->max_lat, r->min_lon, &x0, &y0);
      shumate_viewport_location_to_widget_coords (viewport, widget, r->min_lat, r->max_lon, &x1, &y1);
      if (shumate_viewport_get_rotation (viewport) == 0 &&
          (MAX (x0, x1) < 0 || MIN (x0, x1) > width || MAX (y0, y1) < 0 || MIN (y0, y1) > height))
        continue;
      for (guint k = 0; k < r->n; k++)
        {
          double x, y;

          shumate_viewport_location_to_widget_coords (viewport, widget, p[2 * k], p[2 * k + 1], &x, &y);
          if (k == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
      self->drawn++;
    }
  cairo_stroke (cr);
}

static void
ks_boundary_layer_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  KsBoundaryLayer *self = KS_BOUNDARY_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  static const double dash[] = { 6, 4 };
  cairo_t *cr;

  self->drawn = 0;
  if (self->rings->len == 0 || width < 1 || height < 1 ||
      shumate_viewport_get_reference_map_source (viewport) == NULL)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* Wards: thin dashed blue; the council's border: a broad purple line. */
  cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 0.85);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  stroke_rings (self, cr, viewport, FALSE, width, height);
  cairo_set_source_rgba (cr, 0.38, 0.21, 0.51, 0.9);
  cairo_set_line_width (cr, 3.5);
  cairo_set_dash (cr, NULL, 0, 0);
  stroke_rings (self, cr, viewport, TRUE, width, height);
  cairo_destroy (cr);
}

static void
on_viewport_notify (KsBoundaryLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ks_boundary_layer_constructed (GObject *object)
{
  KsBoundaryLayer *self = KS_BOUNDARY_LAYER (object);

  G_OBJECT_CLASS (ks_boundary_layer_parent_class)->constructed (object);
  /* A layer is not redrawn when the viewport moves unless it asks. */
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (on_viewport_notify), self, G_CONNECT_SWAPPED);
}

static void
ks_boundary_layer_finalize (GObject *object)
{
  KsBoundaryLayer *self = KS_BOUNDARY_LAYER (object);

  g_array_unref (self->rings);
  g_array_unref (self->points);
  G_OBJECT_CLASS (ks_boundary_layer_parent_class)->finalize (object);
}

static void
ks_boundary_layer_class_init (KsBoundaryLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ks_boundary_layer_constructed;
  object_class->finalize = ks_boundary_layer_finalize;
  widget_class->snapshot = ks_boundary_layer_snapshot;
}

static void
ks_boundary_layer_init (KsBoundaryLayer *self)
{
  self->rings = g_array_new (FALSE, FALSE, sizeof (Ring));
  self->points = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

KsBoundaryLayer *
ks_boundary_layer_new (ShumateViewport *viewport)
{
  return g_object_new (KS_TYPE_BOUNDARY_LAYER, "viewport", viewport, NULL);
}

guint
ks_boundary_layer_get_n_wards (KsBoundaryLayer *self)
{
  g_return_val_if_fail (KS_IS_BOUNDARY_LAYER (self), 0);
  return self->n_wards;
}

guint
ks_boundary_layer_get_n_rings (KsBoundaryLayer *self)
{
  g_return_val_if_fail (KS_IS_BOUNDARY_LAYER (self), 0);
  return self->rings->len;
}

guint
ks_boundary_layer_get_drawn_rings (KsBoundaryLayer *self)
{
  g_return_val_if_fail (KS_IS_BOUNDARY_LAYER (self), 0);
  return self->drawn;
}

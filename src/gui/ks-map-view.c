/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-view.c: the map of reports (libshumate map + the report layer). */
#define G_LOG_DOMAIN "ks-map-view"

#include <glib/gi18n.h>
#include <math.h>

#include "ks-geo.h"
#include "ks-map-view.h"
#include "ks-tile-source.h"

/* Where a new map looks before anything is chosen: Great Britain. */
#define DEFAULT_LAT 54.0
#define DEFAULT_LON -2.5
#define DEFAULT_ZOOM 5.0
/* Fitting an area never zooms closer than this (a few streets). */
#define FIT_MAX_ZOOM 16.0
/* Room kept around a cluster's reports when zooming in on them. */
#define FIT_PADDING 64.0
/* A click on a cluster zooms in at most this many levels at once, so the
 * place stays recognisable (six reports on one spot would otherwise jump
 * to the closest zoom). */
#define CLUSTER_ZOOM_STEP 3.0

/* The map's menu button, from the top left corner. */
#define MENU_MARGIN 8

struct _KsMapView
{
  GtkWidget         parent_instance;

  ShumateSimpleMap *simple_map;
  ShumateMap       *map;
  KsMapLayer       *layer;
  KsBoundaryLayer  *boundaries;
  GtkWidget        *menu_button;      /* the map's menu: what it shows */
  gboolean          show_boundaries;
  ShumateMapSource *source;
  char             *tile_source;
  gboolean          interactive;

  /* Selecting the reports inside a rectangle: with "select-area" on, or with
   * Shift held, a primary drag draws one instead of panning. */
  gboolean          select_area;
  gboolean          dragging_area;
  double            drag_x, drag_y;

  /* Bounds to fit once the view has a size (min lat, min lon, max lat, max lon). */
  gboolean          fit_pending;
  double            fit[4];
  guint             fit_idle;

  /* A place marked on the map (ks_map_view_show_pin), or NULL. */
  ShumateMarkerLayer *pin_layer;
  ShumateMarker      *pin;
};

G_DEFINE_FINAL_TYPE (KsMapView, ks_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_INTERACTIVE,
  PROP_TILE_SOURCE,
  PROP_SELECTED,
  PROP_SELECT_AREA,
  PROP_SHOW_BOUNDARIES,
  N_PROPS
};

enum {
  REPORT_ACTIVATED,
  LOCATION_PICKED,
  AREA_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
view_to_layer (KsMapView *self,
               double     x,
               double     y,
               double    *lx,
               double    *ly)
{
  graphene_point_t in = GRAPHENE_POINT_INIT (x, y), out;

  if (!gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (self->layer), &in, &out))
    return FALSE;
  *lx = out.x;
  *ly = out.y;
  return TRUE;
}

static void
zoom_to_cluster (KsMapView      *self,
                 const KsMapHit *hit)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double tile_size = source != NULL ? shumate_map_source_get_tile_size (source) : 256;
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double max_zoom = shumate_viewport_get_max_zoom_level (viewport);
  double x0, y0, x1, y1, dx, dy, w, h, target;

  ks_geo_to_mercator (hit->min_lat, hit->min_lon, &x0, &y1);
  ks_geo_to_mercator (hit->max_lat, hit->max_lon, &x1, &y0);
  dx = MAX (x1 - x0, 1e-12);
  dy = MAX (y1 - y0, 1e-12);
  w = MAX (gtk_widget_get_width (GTK_WIDGET (self)) - 2 * FIT_PADDING, 64);
  h = MAX (gtk_widget_get_height (GTK_WIDGET (self)) - 2 * FIT_PADDING, 64);

  /* Fit the cluster's reports, but always at least one level closer and at
   * most CLUSTER_ZOOM_STEP. */
  target = floor (log2 (MIN (w / (dx * tile_size), h / (dy * tile_size))));
  max_zoom = MIN (zoom + CLUSTER_ZOOM_STEP, max_zoom);
  target = CLAMP (target, MIN (zoom + 1, max_zoom), max_zoom);

  shumate_map_go_to_full (self->map, (hit->min_lat + hit->max_lat) / 2,
                          (hit->min_lon + hit->max_lon) / 2, target);
}

/* The map's menu is there on the main map once there are boundaries to show. */
static void
update_menu_button (KsMapView *self)
{
  gtk_widget_set_visible (self->menu_button,
                          self->interactive && ks_boundary_layer_get_n_rings (self->boundaries) > 0);
}

gboolean
ks_map_view_click_at (KsMapView *self,
                      double     x,
                      double     y,
                      guint      button)
{
  ShumateViewport *viewport;
  KsMapHit hit;
  double lx, ly, lat, lon;
  gboolean found;

  g_return_val_if_fail (KS_IS_MAP_VIEW (self), FALSE);

  viewport = shumate_map_get_viewport (self->map);
  if (shumate_viewport_get_reference_map_source (viewport) == NULL
      || !view_to_layer (self, x, y, &lx, &ly))
    return FALSE;

  found = ks_map_layer_hit_test (self->layer, lx, ly, &hit);

  if (button == GDK_BUTTON_PRIMARY && found)
    {
      if (hit.kind == KS_MAP_HIT_CLUSTER
          && shumate_viewport_get_zoom_level (viewport) < shumate_viewport_get_max_zoom_level (viewport))
        zoom_to_cluster (self, &hit);
      else
        /* A report, or reports too close to part at the closest zoom: the first. */
        g_signal_emit (self, signals[REPORT_ACTIVATED], 0, hit.report_id);
      return TRUE;
    }

  if (button == GDK_BUTTON_SECONDARY && !found)
    {
      shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->layer), lx, ly,
                                                  &lat, &lon);
      g_signal_emit (self, signals[LOCATION_PICKED], 0, lat, lon);
      return TRUE;
    }

  return FALSE;
}

static void
on_click_released (KsMapView       *self,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkGestureClick *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  if (n_press != 1 || !self->interactive)
    return;
  /* The map's own menu button takes its clicks. */
  if (picked != NULL && (picked == self->menu_button ||
                         gtk_widget_is_ancestor (picked, self->menu_button)))
    return;
  if (ks_map_view_click_at (self, x, y, button))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_long_pressed (KsMapView           *self,
                 double               x,
                 double               y,
                 GtkGestureLongPress *gesture)
{
  if (self->interactive && ks_map_view_click_at (self, x, y, GDK_BUTTON_SECONDARY))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Selecting an area */

static graphene_rect_t
area_in_layer (KsMapView *self,
               double     x0,
               double     y0,
               double     x1,
               double     y1)
{
  double lx0 = x0, ly0 = y0, lx1 = x1, ly1 = y1;
  graphene_rect_t r;

  view_to_layer (self, x0, y0, &lx0, &ly0);
  view_to_layer (self, x1, y1, &lx1, &ly1);
  graphene_rect_init (&r, MIN (lx0, lx1), MIN (ly0, ly1), fabs (lx1 - lx0), fabs (ly1 - ly0));
  return r;
}

GArray *
ks_map_view_select_area (KsMapView *self,
                         double     x0,
                         double     y0,
                         double     x1,
                         double     y1)
{
  graphene_rect_t r;
  GArray *ids;

  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);

  r = area_in_layer (self, x0, y0, x1, y1);
  ids = ks_map_layer_reports_in_area (self->layer, &r);
  g_signal_emit (self, signals[AREA_SELECTED], 0, ids);
  return ids;
}

static void
on_drag_begin (KsMapView      *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (!self->interactive || !(self->select_area || (mods & GDK_SHIFT_MASK)))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  /* Ours, not the map's: it does not pan. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->dragging_area = TRUE;
  self->drag_x = x;
  self->drag_y = y;
}

static void
on_drag_update (KsMapView      *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  graphene_rect_t r;

  if (!self->dragging_area)
    return;
  r = area_in_layer (self, self->drag_x, self->drag_y, self->drag_x + dx, self->drag_y + dy);
  ks_map_layer_set_area (self->layer, &r);
}

static void
on_drag_end (KsMapView      *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  g_autoptr(GArray) ids = NULL;

  if (!self->dragging_area)
    return;
  self->dragging_area = FALSE;
  ks_map_layer_set_area (self->layer, NULL);
  /* A click is not an area. */
  if (fabs (dx) < 4 && fabs (dy) < 4)
    return;
  ids = ks_map_view_select_area (self, self->drag_x, self->drag_y,
                                 self->drag_x + dx, self->drag_y + dy);
}

void
ks_map_view_set_select_area (KsMapView *self,
                             gboolean   select_area)
{
  g_return_if_fail (KS_IS_MAP_VIEW (self));

  select_area = !!select_area;
  if (self->select_area == select_area)
    return;
  self->select_area = select_area;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), select_area ? "crosshair" : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECT_AREA]);
}

gboolean
ks_map_view_get_select_area (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), FALSE);
  return self->select_area;
}

/* The closest whole zoom at which the bounds fit in the view, and their
 * centre; FALSE when the view has no size yet. */
static gboolean
apply_fit (KsMapView *self)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double tile_size = source != NULL ? shumate_map_source_get_tile_size (source) : 256;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x0, y0, x1, y1, w, h, zoom, lat, lon;

  if (width <= 1 || height <= 1)
    return FALSE;

  /* y grows southwards: the northern edge has the smaller y. */
  ks_geo_to_mercator (self->fit[0], self->fit[1], &x0, &y1);
  ks_geo_to_mercator (self->fit[2], self->fit[3], &x1, &y0);
  w = MAX (width - FIT_PADDING, width / 2.0);
  h = MAX (height - FIT_PADDING, height / 2.0);

  zoom = floor (log2 (MIN (w / (MAX (x1 - x0, 1e-12) * tile_size),
                           h / (MAX (y1 - y0, 1e-12) * tile_size))));
  zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (viewport),
                MIN (FIT_MAX_ZOOM, shumate_viewport_get_max_zoom_level (viewport)));
  ks_geo_from_mercator ((x0 + x1) / 2, (y0 + y1) / 2, &lat, &lon);

  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (self->map, lat, lon);
  return TRUE;
}

static gboolean
fit_idle (gpointer data)
{
  KsMapView *self = data;

  self->fit_idle = 0;
  if (self->fit_pending && apply_fit (self))
    self->fit_pending = FALSE;
  return G_SOURCE_REMOVE;
}

static void
ks_map_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  KsMapView *self = KS_MAP_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->simple_map), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
ks_map_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  KsMapView *self = KS_MAP_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->simple_map), width, height, baseline, NULL);
  if (gtk_widget_should_layout (self->menu_button))
    {
      int w = 0, h = 0;

      gtk_widget_measure (self->menu_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      gtk_widget_measure (self->menu_button, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      gtk_widget_allocate (self->menu_button, w, h, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (MENU_MARGIN, MENU_MARGIN)));
    }
  /* Not while allocating: moving the viewport lays the map out again. */
  if (self->fit_pending && self->fit_idle == 0 && width > 1 && height > 1)
    self->fit_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_idle, self, NULL);
}

static void
ks_map_view_dispose (GObject *object)
{
  KsMapView *self = KS_MAP_VIEW (object);

  if (self->simple_map != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->simple_map));
      self->simple_map = NULL;
      self->map = NULL;
      self->layer = NULL;
      self->boundaries = NULL;
    }
  g_clear_pointer (&self->menu_button, gtk_widget_unparent);
  g_clear_object (&self->source);
  g_clear_handle_id (&self->fit_idle, g_source_remove);

  G_OBJECT_CLASS (ks_map_view_parent_class)->dispose (object);
}

static void
ks_map_view_finalize (GObject *object)
{
  KsMapView *self = KS_MAP_VIEW (object);

  g_free (self->tile_source);

  G_OBJECT_CLASS (ks_map_view_parent_class)->finalize (object);
}

static void
ks_map_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KsMapView *self = KS_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_INTERACTIVE:
      g_value_set_boolean (value, self->interactive);
      break;
    case PROP_TILE_SOURCE:
      g_value_set_string (value, self->tile_source);
      break;
    case PROP_SELECTED:
      g_value_set_int64 (value, ks_map_view_get_selected (self));
      break;
    case PROP_SELECT_AREA:
      g_value_set_boolean (value, self->select_area);
      break;
    case PROP_SHOW_BOUNDARIES:
      g_value_set_boolean (value, self->show_boundaries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_map_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KsMapView *self = KS_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_INTERACTIVE:
      ks_map_view_set_interactive (self, g_value_get_boolean (value));
      break;
    case PROP_TILE_SOURCE:
      ks_map_view_set_tile_source (self, g_value_get_string (value));
      break;
    case PROP_SELECTED:
      ks_map_view_set_selected (self, g_value_get_int64 (value));
      break;
    case PROP_SELECT_AREA:
      ks_map_view_set_select_area (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_BOUNDARIES:
      ks_map_view_set_show_boundaries (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The tiles the app draws are painted from their cairo surfaces when the
 * window is drawn by the cairo renderer (see KsTilePaintable); known once
 * the window is realized. */
static void
match_tiles_to_renderer (KsMapView *self)
{
  if (KS_IS_TILE_SOURCE (self->source) && gtk_widget_get_realized (GTK_WIDGET (self)))
    ks_tile_source_set_paint_surfaces (KS_TILE_SOURCE (self->source),
                                       GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (
                                         gtk_widget_get_native (GTK_WIDGET (self)))));
}

static void
ks_map_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ks_map_view_parent_class)->realize (widget);
  match_tiles_to_renderer (KS_MAP_VIEW (widget));
}

static void
ks_map_view_class_init (KsMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_map_view_dispose;
  object_class->finalize = ks_map_view_finalize;
  object_class->get_property = ks_map_view_get_property;
  object_class->set_property = ks_map_view_set_property;

  properties[PROP_INTERACTIVE] =
    g_param_spec_boolean ("interactive", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TILE_SOURCE] =
    g_param_spec_string ("tile-source", NULL, NULL, KS_TILE_SOURCE_OSM_URL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int64 ("selected", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECT_AREA] =
    g_param_spec_boolean ("select-area", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_BOUNDARIES] =
    g_param_spec_boolean ("show-boundaries", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The map's menu toggles it. */
  gtk_widget_class_install_property_action (widget_class, "map.show-boundaries", "show-boundaries");

  signals[REPORT_ACTIVATED] =
    g_signal_new ("report-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[LOCATION_PICKED] =
    g_signal_new ("location-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[AREA_SELECTED] =
    g_signal_new ("area-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ARRAY);

  widget_class->measure = ks_map_view_measure;
  widget_class->realize = ks_map_view_realize;
  widget_class->size_allocate = ks_map_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "ks-map-view");
}

static void
ks_map_view_init (KsMapView *self)
{
  ShumateViewport *viewport;
  GtkGesture *click, *long_press, *drag;
  g_autoptr(GMenu) menu = NULL;

  self->interactive = TRUE;

  self->simple_map = shumate_simple_map_new ();
  gtk_widget_set_parent (GTK_WIDGET (self->simple_map), GTK_WIDGET (self));
  self->map = shumate_simple_map_get_map (self->simple_map);
  viewport = shumate_simple_map_get_viewport (self->simple_map);

  /* The base map first: an overlay added before it ends up under the tiles. */
  ks_map_view_set_tile_source (self, KS_TILE_SOURCE_OSM_URL);

  /* Council staff measure in metres: no miles and feet beside them. */
  shumate_scale_set_unit (shumate_simple_map_get_scale (self->simple_map), SHUMATE_UNIT_METRIC);

  /* The council's border and wards under the reports. */
  self->show_boundaries = TRUE;
  self->boundaries = ks_boundary_layer_new (viewport);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->boundaries));
  self->layer = ks_map_layer_new (viewport);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->layer));

  menu = g_menu_new ();
  g_menu_append (menu, _("Council _Border and Wards"), "map.show-boundaries");
  self->menu_button = g_object_new (GTK_TYPE_MENU_BUTTON,
                                    "icon-name", "view-more-symbolic",
                                    "tooltip-text", _("Map Options"),
                                    "menu-model", menu,
                                    "visible", FALSE,
                                    NULL);
  gtk_widget_add_css_class (self->menu_button, "osd");
  gtk_widget_add_css_class (self->menu_button, "circular");
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));

  shumate_viewport_set_zoom_level (viewport, DEFAULT_ZOOM);
  shumate_map_center_on (self->map, DEFAULT_LAT, DEFAULT_LON);

  /* Layers get no pointer events: the view watches the pointer itself, before
   * the map's own gestures, and hit-tests with the layer's index. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (long_press), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (long_press, "pressed", G_CALLBACK (on_long_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
ks_map_view_new (void)
{
  return g_object_new (KS_TYPE_MAP_VIEW, NULL);
}

void
ks_map_view_set_reports (KsMapView  *self,
                         GListModel *reports)
{
  g_return_if_fail (KS_IS_MAP_VIEW (self));

  ks_map_layer_set_reports (self->layer, reports);
}

void
ks_map_view_set_selected (KsMapView *self,
                          gint64     report_id)
{
  double lat, lon, x, y;

  g_return_if_fail (KS_IS_MAP_VIEW (self));

  if (ks_map_layer_get_selected (self->layer) != report_id)
    {
      ks_map_layer_set_selected (self->layer, report_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
    }

  if (report_id == 0 || !ks_map_layer_get_report_location (self->layer, report_id, &lat, &lon))
    return;

  /* Centre on it when it is off screen (or the view has no size yet). */
  if (!ks_map_layer_location_to_point (self->layer, lat, lon, &x, &y)
      || x < 0 || y < 0
      || x >= gtk_widget_get_width (GTK_WIDGET (self->layer))
      || y >= gtk_widget_get_height (GTK_WIDGET (self->layer)))
    shumate_map_center_on (self->map, lat, lon);
}

gint64
ks_map_view_get_selected (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), 0);

  return ks_map_layer_get_selected (self->layer);
}

void
ks_map_view_center_on (KsMapView *self,
                       double     lat,
                       double     lon,
                       double     zoom)
{
  ShumateViewport *viewport;

  g_return_if_fail (KS_IS_MAP_VIEW (self));

  viewport = shumate_map_get_viewport (self->map);
  self->fit_pending = FALSE;
  if (zoom >= 0)
    shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (self->map, lat, lon);
}

void
ks_map_view_fit_bounds (KsMapView *self,
                        double     min_lat,
                        double     min_lon,
                        double     max_lat,
                        double     max_lon)
{
  g_return_if_fail (KS_IS_MAP_VIEW (self));
  g_return_if_fail (ks_geo_valid_lat_lon (min_lat, min_lon) && ks_geo_valid_lat_lon (max_lat, max_lon));

  self->fit[0] = MIN (min_lat, max_lat);
  self->fit[1] = MIN (min_lon, max_lon);
  self->fit[2] = MAX (min_lat, max_lat);
  self->fit[3] = MAX (min_lon, max_lon);
  self->fit_pending = !apply_fit (self);
}

void
ks_map_view_set_tile_source (KsMapView  *self,
                             const char *url_template)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ShumateMapSource) source = NULL;
  ShumateViewport *viewport;

  g_return_if_fail (KS_IS_MAP_VIEW (self));

  if (url_template == NULL || url_template[0] == '\0')
    url_template = KS_TILE_SOURCE_BUILTIN;
  if (self->source != NULL && g_strcmp0 (self->tile_source, url_template) == 0)
    return;

  source = ks_tile_source_new_for_url (url_template, &error);
  if (source == NULL)
    {
      g_warning ("Showing the built-in map: %s", error->message);
      url_template = KS_TILE_SOURCE_BUILTIN;
      source = SHUMATE_MAP_SOURCE (ks_tile_source_new ());
    }

  g_free (self->tile_source);
  self->tile_source = g_strdup (url_template);
  g_set_object (&self->source, source);

  viewport = shumate_simple_map_get_viewport (self->simple_map);
  shumate_viewport_set_min_zoom_level (viewport, shumate_map_source_get_min_zoom_level (source));
  shumate_viewport_set_max_zoom_level (viewport, shumate_map_source_get_max_zoom_level (source));
  shumate_simple_map_set_map_source (self->simple_map, source);
  match_tiles_to_renderer (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TILE_SOURCE]);
}

const char *
ks_map_view_get_tile_source (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);

  return self->tile_source;
}

void
ks_map_view_set_interactive (KsMapView *self,
                             gboolean   interactive)
{
  g_return_if_fail (KS_IS_MAP_VIEW (self));

  interactive = !!interactive;
  if (self->interactive == interactive)
    return;

  self->interactive = interactive;
  gtk_widget_set_can_target (GTK_WIDGET (self->simple_map), interactive);
  shumate_simple_map_set_show_zoom_buttons (self->simple_map, interactive);
  gtk_widget_set_visible (GTK_WIDGET (shumate_simple_map_get_compass (self->simple_map)), interactive);
  gtk_widget_set_visible (GTK_WIDGET (shumate_simple_map_get_scale (self->simple_map)), interactive);
  update_menu_button (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERACTIVE]);
}

void
ks_map_view_set_boundaries (KsMapView  *self,
                            JsonObject *boundaries)
{
  g_return_if_fail (KS_IS_MAP_VIEW (self));

  ks_boundary_layer_set_boundaries (self->boundaries, boundaries);
  update_menu_button (self);
}

void
ks_map_view_set_show_boundaries (KsMapView *self,
                                 gboolean   show)
{
  g_return_if_fail (KS_IS_MAP_VIEW (self));

  show = !!show;
  if (self->show_boundaries == show)
    return;
  self->show_boundaries = show;
  gtk_widget_set_visible (GTK_WIDGET (self->boundaries), show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BOUNDARIES]);
}

gboolean
ks_map_view_get_show_boundaries (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), FALSE);
  return self->show_boundaries;
}

KsBoundaryLayer *
ks_map_view_get_boundary_layer (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);
  return self->boundaries;
}

GtkWidget *
ks_map_view_get_menu_button (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);
  return self->menu_button;
}

gboolean
ks_map_view_get_interactive (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), FALSE);

  return self->interactive;
}

ShumateMap *
ks_map_view_get_map (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);

  return self->map;
}

ShumateViewport *
ks_map_view_get_viewport (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);

  return shumate_map_get_viewport (self->map);
}

ShumateMapSource *
ks_map_view_get_map_source (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);

  return self->source;
}

KsMapLayer *
ks_map_view_get_layer (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);

  return self->layer;
}

ShumateMarker *
ks_map_view_show_pin (KsMapView *self,
                      double     lat,
                      double     lon)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);

  if (self->pin_layer == NULL)
    {
      self->pin_layer = shumate_marker_layer_new (shumate_map_get_viewport (self->map));
      shumate_map_add_layer (self->map, SHUMATE_LAYER (self->pin_layer));
    }
  if (self->pin == NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name ("mark-location-symbolic");

      gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
      gtk_widget_add_css_class (image, "accent");
      self->pin = shumate_marker_new ();
      gtk_widget_set_name (GTK_WIDGET (self->pin), "place-pin");
      shumate_marker_set_child (self->pin, image);
      shumate_marker_layer_add_marker (self->pin_layer, self->pin);
    }
  shumate_location_set_location (SHUMATE_LOCATION (self->pin), lat, lon);
  return self->pin;
}

ShumateMarker *
ks_map_view_get_pin (KsMapView *self)
{
  g_return_val_if_fail (KS_IS_MAP_VIEW (self), NULL);
  return self->pin;
}

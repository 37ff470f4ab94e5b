/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-map.c: the map view, its report layer, index and tile sources, under X. */
#define G_LOG_DOMAIN "test-map"

#include <math.h>
#include <string.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "ks-error.h"
#include "ks-geo.h"
#include "ks-map-index.h"
#include "ks-map-layer.h"
#include "ks-map-layer-private.h"
#include "ks-map-tile-downloader.h"
#include "ks-map-view.h"
#include "ks-report.h"
#include "ks-report-filter.h"
#include "ks-states.h"
#include "ks-tile-paintable.h"
#include "ks-tile-source.h"

#define N_REPORTS 3000
#define CITY_LAT 53.48
#define CITY_LON -2.24
/* One report well away from the others, to hit-test and select. */
#define LONE_ID 999999
#define LONE_LAT 53.80
#define LONE_LON -1.55
#define WIDTH 900
#define HEIGHT 640

typedef struct {
  GtkWidget  *window;
  KsMapView  *view;
  GListStore *store;
} Fixture;

static KsReport *
make_report (gint64 id, double lat, double lon, const char *state)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(GError) error = NULL;
  KsReport *report;

  json_object_set_int_member (obj, "id", id);
  json_object_set_double_member (obj, "lat", lat);
  json_object_set_double_member (obj, "lon", lon);
  json_object_set_string_member (obj, "state", state);
  json_object_set_string_member (obj, "title", "Pothole");
  report = ks_report_new_from_json (obj, &error);
  g_assert_no_error (error);
  return report;
}

/* N_REPORTS reports around the city (denser in the middle) and the lone one. */
static GListStore *
make_store (void)
{
  GListStore *store = g_list_store_new (KS_TYPE_REPORT);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_states = ks_states_count ();

  for (guint i = 0; i < N_REPORTS - 1; i++)
    {
      double r = 0.12 * pow (g_rand_double (rand), 1.5);
      double a = g_rand_double_range (rand, 0, 2 * G_PI);
      const KsState *state = ks_states_nth (g_rand_int_range (rand, 0, n_states));

      g_ptr_array_add (items, make_report (i + 1, CITY_LAT + r * sin (a) * 0.6,
                                           CITY_LON + r * cos (a), state->id));
    }
  g_ptr_array_add (items, make_report (LONE_ID, LONE_LAT, LONE_LON, "confirmed"));
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return store;
}

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

static void
on_invalidated (GdkPaintable *paintable, gboolean *done)
{
  *done = TRUE;
}

/* Renders the widget as the next frame draws it (which also runs the
 * layer's snapshot). */
static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* The paintable holds what the widget drew in the last frame: draw one. */
  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (on_invalidated), &done);
  gtk_widget_queue_draw (widget);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

static void
draw_frame (Fixture *fx, KsMapLayerStats *stats)
{
  g_autoptr(GdkTexture) texture = render (GTK_WIDGET (fx->view));

  ks_map_layer_get_stats (ks_map_view_get_layer (fx->view), stats);
}

static void
save_screenshot (GtkWidget *widget, const char *name)
{
  g_autoptr(GdkTexture) texture = render (widget);
  const char *dir = g_getenv ("KS_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : ".", name, NULL);

  if (dir != NULL)
    g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  fx->store = make_store ();
  fx->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fx->window), WIDTH, HEIGHT);
  fx->view = KS_MAP_VIEW (ks_map_view_new ());
  ks_map_view_set_tile_source (fx->view, KS_TILE_SOURCE_BUILTIN);
  ks_map_view_set_reports (fx->view, G_LIST_MODEL (fx->store));
  ks_map_view_center_on (fx->view, CITY_LAT, CITY_LON, 10);
  gtk_window_set_child (GTK_WINDOW (fx->window), GTK_WIDGET (fx->view));
  gtk_window_present (GTK_WINDOW (fx->window));

  while (gtk_widget_get_width (GTK_WIDGET (fx->view)) < WIDTH / 2
         || !gtk_widget_get_mapped (GTK_WIDGET (fx->view)))
    iterate (20);
  iterate (200);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fx->window));
  g_clear_object (&fx->store);
  iterate (20);
}

/* ---- the index, without widgets ---------------------------------------------- */

static void
test_morton (void)
{
  guint32 x, y;

  g_assert_cmpuint (ks_map_morton_encode (0, 0), ==, 0);
  g_assert_cmpuint (ks_map_morton_encode (1, 0), ==, 1);
  g_assert_cmpuint (ks_map_morton_encode (0, 1), ==, 2);
  g_assert_cmpuint (ks_map_morton_encode (3, 3), ==, 15);
  ks_map_morton_decode (ks_map_morton_encode (123456789, 987654321), &x, &y);
  g_assert_cmpuint (x, ==, 123456789);
  g_assert_cmpuint (y, ==, 987654321);
}

static void
test_index_levels (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const guint n = 20000;
  KsMapPoint *points = g_new0 (KsMapPoint, n);
  g_autoptr(KsMapIndex) index = NULL;
  guint previous = 0;

  for (guint i = 0; i < n; i++)
    {
      /* Half spread over the world, half in one town, some on the same spot. */
      if (i % 2 == 0)
        ks_geo_to_mercator (g_rand_double_range (rand, -80, 80),
                            g_rand_double_range (rand, -179, 179), &points[i].x, &points[i].y);
      else if (i % 10 == 1)
        ks_geo_to_mercator (51.5, -0.12, &points[i].x, &points[i].y);
      else
        ks_geo_to_mercator (51.5 + g_rand_double_range (rand, -0.05, 0.05),
                            -0.12 + g_rand_double_range (rand, -0.05, 0.05),
                            &points[i].x, &points[i].y);
      points[i].id = i + 1;
      points[i].state = i % ks_states_count ();
    }
  index = ks_map_index_new (points, n);

  for (guint level = 0; level <= KS_MAP_INDEX_DEPTH; level++)
    {
      const KsMapCluster *clusters;
      guint n_clusters, sum = 0;

      clusters = ks_map_index_get_level (index, level, &n_clusters);
      for (guint k = 0; k < n_clusters; k++)
        {
          const KsMapCluster *c = &clusters[k];
          double cell = ldexp (1.0, -(int) level);
          guint32 cx, cy;

          sum += c->count;
          g_assert_cmpuint (c->count, >, 0);
          if (k > 0)
            g_assert_cmpuint (clusters[k - 1].cell, <, c->cell);
          /* The cell is anchored to the world and holds its points. */
          ks_map_morton_decode (c->cell, &cx, &cy);
          g_assert_cmpfloat (c->min_x, >=, cx * cell - 1e-12);
          g_assert_cmpfloat (c->max_x, <=, (cx + 1) * cell + 1e-12);
          g_assert_cmpfloat (c->x, >=, c->min_x);
          g_assert_cmpfloat (c->x, <=, c->max_x);
          g_assert_true (ks_map_index_lookup (index, level, cx, cy) == c);
        }
      g_assert_cmpuint (sum, ==, n);
      /* Cells nest: a finer level never has fewer clusters. */
      g_assert_cmpuint (n_clusters, >=, previous);
      previous = n_clusters;
    }

  /* Reports on the very same spot stay together even at the finest level. */
  g_assert_cmpuint (previous, <, n);
  g_assert_true (ks_map_index_find (index, 5, NULL));
  g_assert_false (ks_map_index_find (index, n + 1, NULL));
}

static int
compare_key_id (const void *a,
                const void *b)
{
  const KsMapPoint *pa = a, *pb = b;

  if (pa->key != pb->key)
    return pa->key < pb->key ? -1 : 1;
  return pa->id < pb->id ? -1 : pa->id > pb->id;
}

/* The index's points are in key order, then id order, whatever order they
 * came in: the same as a plain sort. Points spread over the world (every
 * bit of the key differs), in one town (only the low bits), and on a few
 * spots (runs of one key, short and long, ids in random order). */
static void
test_index_order (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const guint sizes[] = { 2, 3, 17, 1000, 70000 };

  for (guint spread = 0; spread < 3; spread++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        guint n = sizes[s];
        KsMapPoint *points = g_new0 (KsMapPoint, n);
        KsMapPoint *expected;
        g_autoptr(KsMapIndex) index = NULL;
        const KsMapPoint *got;

        for (guint i = 0; i < n; i++)
          {
            if (spread == 0)
              ks_geo_to_mercator (g_rand_double_range (rand, -80, 80),
                                  g_rand_double_range (rand, -179, 179), &points[i].x, &points[i].y);
            else if (spread == 1)
              ks_geo_to_mercator (51.5 + g_rand_double_range (rand, -0.2, 0.2),
                                  -0.12 + g_rand_double_range (rand, -0.2, 0.2), &points[i].x, &points[i].y);
            else
              ks_geo_to_mercator (51.5 + 0.001 * g_rand_int_range (rand, 0, 3),
                                  -0.12 + 0.001 * (i % 2 == 0 ? 0 : g_rand_int_range (rand, 0, 40)),
                                  &points[i].x, &points[i].y);
            points[i].id = (gint64) ((i * 7919u) % 1000003u) + 1;   /* unique, in no order */
            points[i].state = i % ks_states_count ();
          }
        expected = g_memdup2 (points, sizeof (KsMapPoint) * n);
        index = ks_map_index_new (points, n);
        got = ks_map_index_get_points (index);
        for (guint i = 0; i < n; i++)
          expected[i].key = ks_map_morton_encode ((guint32) (expected[i].x * (1u << KS_MAP_INDEX_DEPTH)),
                                                  (guint32) (expected[i].y * (1u << KS_MAP_INDEX_DEPTH)));
        qsort (expected, n, sizeof (KsMapPoint), compare_key_id);
        g_assert_cmpuint (ks_map_index_get_n_points (index), ==, n);
        for (guint i = 0; i < n; i++)
          {
            g_assert_cmpuint (got[i].key, ==, expected[i].key);
            g_assert_cmpint (got[i].id, ==, expected[i].id);
            g_assert_cmpfloat (got[i].x, ==, expected[i].x);
            g_assert_cmpfloat (got[i].y, ==, expected[i].y);
            g_assert_cmpuint (got[i].state, ==, expected[i].state);
          }
        g_free (expected);
      }
}

static void
test_tile_urls (void)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  url = ks_map_tile_downloader_tile_url ("https://t.example/{z}/{x}/{y}.png?s={tmsy}", 3, 2, 4);
  g_assert_cmpstr (url, ==, "https://t.example/4/3/2.png?s=13");
  g_assert_true (g_str_has_prefix (ks_map_tile_downloader_user_agent (), "Kerbside/"));

  g_assert_true (ks_tile_source_url_is_valid (NULL, NULL));
  g_assert_true (ks_tile_source_url_is_valid ("", NULL));
  g_assert_true (ks_tile_source_url_is_valid (KS_TILE_SOURCE_BUILTIN, NULL));
  g_assert_true (ks_tile_source_url_is_valid (KS_TILE_SOURCE_OSM_URL, NULL));
  g_assert_false (ks_tile_source_url_is_valid ("file:///tmp/{z}/{x}/{y}.png", &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ks_tile_source_url_is_valid ("https://t.example/{z}/{x}.png", &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ks_tile_source_url_is_valid ("https:///{z}/{x}/{y}.png", &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
}

/* ---- the view ------------------------------------------------------------------ */

static void
test_counts_add_up (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  const double zooms[] = { 3, 6, 8, 9.5, 10, 10.3 };
  KsMapLayerStats stats;

  /* Every report is on screen at these zooms: what is drawn covers them all. */
  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      ks_map_view_center_on (fx->view, (CITY_LAT + LONE_LAT) / 2, (CITY_LON + LONE_LON) / 2,
                             zooms[i]);
      draw_frame (fx, &stats);
      g_test_message ("zoom %.1f: level %u, %u bubbles, %u singles, %u nodes", zooms[i],
                      stats.level, stats.n_clusters, stats.n_singles, stats.n_nodes);
      g_assert_cmpuint (stats.level, ==, ks_map_layer_level_for_zoom (layer, zooms[i]));
      g_assert_cmpuint (stats.n_reports, ==, N_REPORTS);
      g_assert_cmpuint (stats.n_nodes, <, 1000);
    }

  /* Closer in, only part of them. */
  ks_map_view_center_on (fx->view, CITY_LAT, CITY_LON, 15);
  draw_frame (fx, &stats);
  g_assert_cmpuint (stats.n_reports, >, 0);
  g_assert_cmpuint (stats.n_reports, <, N_REPORTS);

  /* The layer follows the model. */
  g_list_store_remove (fx->store, 0);
  g_list_store_remove (fx->store, 0);
  g_assert_cmpuint (ks_map_index_get_n_points (ks_map_layer_get_index (layer)), ==, N_REPORTS - 2);
  ks_map_view_center_on (fx->view, (CITY_LAT + LONE_LAT) / 2, (CITY_LON + LONE_LON) / 2, 8);
  draw_frame (fx, &stats);
  g_assert_cmpuint (stats.n_reports, ==, N_REPORTS - 2);
}

static void
on_report_activated (KsMapView *view, gint64 id, gint64 *out)
{
  *out = id;
}

static void
on_location_picked (KsMapView *view, double lat, double lon, double *out)
{
  out[0] = lat;
  out[1] = lon;
}

static void
test_hit_report (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  gint64 activated = 0;
  KsMapHit hit;
  double x, y;

  g_signal_connect (fx->view, "report-activated", G_CALLBACK (on_report_activated), &activated);
  ks_map_view_center_on (fx->view, LONE_LAT, LONE_LON, 13);
  iterate (50);

  g_assert_true (ks_map_layer_location_to_point (layer, LONE_LAT, LONE_LON, &x, &y));
  g_assert_cmpfloat (fabs (x - WIDTH / 2.0), <, 2);
  g_assert_true (ks_map_layer_hit_test (layer, x + 3, y - 2, &hit));
  g_assert_cmpint (hit.kind, ==, KS_MAP_HIT_REPORT);
  g_assert_cmpint (hit.report_id, ==, LONE_ID);
  g_assert_cmpuint (hit.count, ==, 1);
  g_assert_false (ks_map_layer_hit_test (layer, x + 60, y + 60, &hit));

  g_assert_true (ks_map_view_click_at (fx->view, x, y, GDK_BUTTON_PRIMARY));
  g_assert_cmpint (activated, ==, LONE_ID);
}

static void
test_hit_cluster (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  ShumateViewport *viewport = ks_map_view_get_viewport (fx->view);
  KsMapIndex *index;
  const KsMapCluster *clusters, *biggest = NULL;
  guint n, level;
  KsMapHit hit;
  double x, y, zoom = 8;

  ks_map_view_center_on (fx->view, CITY_LAT, CITY_LON, zoom);
  index = ks_map_layer_get_index (layer);
  level = ks_map_layer_level_for_zoom (layer, zoom);
  clusters = ks_map_index_get_level (index, level, &n);
  for (guint k = 0; k < n; k++)
    if (biggest == NULL || clusters[k].count > biggest->count)
      biggest = &clusters[k];
  g_assert_nonnull (biggest);
  g_assert_cmpuint (biggest->count, >, 100);

  g_assert_true (ks_map_layer_cluster_to_point (layer, biggest, &x, &y));
  g_assert_true (ks_map_layer_hit_test (layer, x, y, &hit));
  g_assert_cmpint (hit.kind, ==, KS_MAP_HIT_CLUSTER);
  g_assert_cmpuint (hit.count, ==, biggest->count);
  g_assert_cmpfloat (hit.min_lat, <=, hit.max_lat);
  g_assert_cmpfloat (hit.min_lon, <=, hit.max_lon);

  /* Clicking a cluster zooms in on it (animations are off in tests). */
  g_assert_true (ks_map_view_click_at (fx->view, x, y, GDK_BUTTON_PRIMARY));
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >=, zoom + 1);
  g_assert_cmpfloat (fabs (shumate_location_get_latitude (SHUMATE_LOCATION (viewport))
                           - (hit.min_lat + hit.max_lat) / 2), <, 1e-6);
}

static void
test_pick_location (Fixture *fx, gconstpointer data)
{
  ShumateViewport *viewport = ks_map_view_get_viewport (fx->view);
  double picked[2] = { 0, 0 };
  double lat, lon;

  g_signal_connect (fx->view, "location-picked", G_CALLBACK (on_location_picked), picked);
  ks_map_view_center_on (fx->view, 52.0, -1.0, 12);  /* no reports here */
  g_assert_false (ks_map_view_click_at (fx->view, 100, 120, GDK_BUTTON_PRIMARY));
  g_assert_true (ks_map_view_click_at (fx->view, 100, 120, GDK_BUTTON_SECONDARY));
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (ks_map_view_get_layer (fx->view)),
                                              100, 120, &lat, &lon);
  g_assert_cmpfloat (fabs (picked[0] - lat), <, 1e-9);
  g_assert_cmpfloat (fabs (picked[1] - lon), <, 1e-9);
  g_assert_cmpfloat (picked[0], >, 51.9);
  g_assert_cmpfloat (picked[0], <, 52.1);

  /* Not on a report. */
  picked[0] = 0;
  ks_map_view_center_on (fx->view, LONE_LAT, LONE_LON, 13);
  g_assert_false (ks_map_view_click_at (fx->view, WIDTH / 2.0, HEIGHT / 2.0, GDK_BUTTON_SECONDARY));
  g_assert_cmpfloat (picked[0], ==, 0);
}

static void
test_selection (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  ShumateViewport *viewport = ks_map_view_get_viewport (fx->view);
  KsMapLayerStats before, after;
  KsMapHit hit;
  double x, y;

  /* Far away: selecting centres on the report. */
  ks_map_view_center_on (fx->view, 51.0, 0.5, 12);
  draw_frame (fx, &before);
  ks_map_view_set_selected (fx->view, LONE_ID);
  g_assert_cmpint (ks_map_view_get_selected (fx->view), ==, LONE_ID);
  g_assert_cmpfloat (fabs (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)) - LONE_LAT), <, 1e-6);
  draw_frame (fx, &after);
  g_assert_cmpuint (after.n_singles, >=, 1);

  /* On screen: selecting does not move the map, and the highlight is drawn
   * on top of the cluster holding the report. */
  ks_map_view_center_on (fx->view, CITY_LAT, CITY_LON, 9);
  ks_map_view_set_selected (fx->view, 0);
  draw_frame (fx, &before);
  ks_map_view_set_selected (fx->view, 1);
  g_assert_cmpfloat (fabs (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)) - CITY_LAT), <, 1e-6);
  draw_frame (fx, &after);
  g_assert_cmpuint (after.n_nodes, ==, before.n_nodes + 2);
  g_assert_cmpuint (after.n_reports, ==, before.n_reports);

  g_assert_true (ks_map_layer_get_report_location (layer, 1, &hit.lat, &hit.lon));
  g_assert_true (ks_map_layer_location_to_point (layer, hit.lat, hit.lon, &x, &y));
  g_assert_true (ks_map_layer_hit_test (layer, x, y, &hit));
  g_assert_cmpint (hit.kind, ==, KS_MAP_HIT_REPORT);
  g_assert_cmpint (hit.report_id, ==, 1);

  save_screenshot (GTK_WIDGET (fx->view), "test-map-selected.png");
}

static void
test_rotation (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  ShumateViewport *viewport = ks_map_view_get_viewport (fx->view);
  const double spots[][2] = { { LONE_LAT, LONE_LON }, { 53.70, -1.70 }, { 53.90, -1.40 } };
  KsMapHit hit;
  double x, y, sx, sy;

  ks_map_view_center_on (fx->view, LONE_LAT, LONE_LON, 10);
  shumate_viewport_set_rotation (viewport, 0.6);
  for (guint i = 0; i < G_N_ELEMENTS (spots); i++)
    {
      g_assert_true (ks_map_layer_location_to_point (layer, spots[i][0], spots[i][1], &x, &y));
      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer),
                                                  spots[i][0], spots[i][1], &sx, &sy);
      g_assert_cmpfloat (fabs (x - sx), <, 0.01);
      g_assert_cmpfloat (fabs (y - sy), <, 0.01);
    }

  ks_map_view_center_on (fx->view, LONE_LAT, LONE_LON, 13);
  g_assert_true (ks_map_layer_location_to_point (layer, LONE_LAT, LONE_LON, &x, &y));
  g_assert_true (ks_map_layer_hit_test (layer, x + 2, y + 2, &hit));
  g_assert_cmpint (hit.report_id, ==, LONE_ID);
  shumate_viewport_set_rotation (viewport, 0);
}

static void
test_two_views (Fixture *fx, gconstpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *mini = ks_map_view_new ();
  KsMapLayerStats stats;
  g_autoptr(GListStore) one = g_list_store_new (KS_TYPE_REPORT);
  g_autoptr(KsReport) report = make_report (7, LONE_LAT, LONE_LON, "fixed");
  gint64 activated = 0;

  /* The detail page's small map: one report, no pointer, built-in tiles. */
  g_list_store_append (one, report);
  gtk_widget_set_size_request (mini, 240, 180);
  gtk_widget_set_valign (mini, GTK_ALIGN_START);
  ks_map_view_set_interactive (KS_MAP_VIEW (mini), FALSE);
  ks_map_view_set_tile_source (KS_MAP_VIEW (mini), NULL);
  g_assert_cmpstr (ks_map_view_get_tile_source (KS_MAP_VIEW (mini)), ==, KS_TILE_SOURCE_BUILTIN);
  ks_map_view_set_reports (KS_MAP_VIEW (mini), G_LIST_MODEL (one));
  ks_map_view_center_on (KS_MAP_VIEW (mini), LONE_LAT, LONE_LON, 15);
  ks_map_view_set_selected (KS_MAP_VIEW (mini), 7);
  g_signal_connect (mini, "report-activated", G_CALLBACK (on_report_activated), &activated);

  g_object_ref (fx->view);
  gtk_window_set_child (GTK_WINDOW (fx->window), NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (fx->view), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fx->view));
  gtk_box_append (GTK_BOX (box), mini);
  gtk_window_set_child (GTK_WINDOW (fx->window), box);
  g_object_unref (fx->view);
  ks_map_view_center_on (fx->view, CITY_LAT, CITY_LON, 10);
  iterate (300);

  {
    g_autoptr(GdkTexture) texture = render (mini);
  }
  ks_map_layer_get_stats (ks_map_view_get_layer (KS_MAP_VIEW (mini)), &stats);
  g_assert_cmpuint (stats.n_reports, ==, 1);
  draw_frame (fx, &stats);
  g_assert_cmpuint (stats.n_reports, >, 1000);
  g_assert_false (ks_map_view_get_interactive (KS_MAP_VIEW (mini)));

  save_screenshot (fx->window, "test-map-two-views.png");
}

/* Runs what is ready to run (idles, and timeouts already due), waiting on
 * nothing. */
static void
run_ready (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_filtered_hidden (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  g_autoptr(KsReportFilter) filter = ks_report_filter_new (G_LIST_MODEL (fx->store));
  static const char *fixed[] = { "fixed", NULL };
  KsMapLayerStats stats;
  gint64 out_id = 0;
  const char *state = NULL;
  GdkRGBA colour;
  guint n_fixed, built;

  /* The app's model: the layer reads the filter's reports lent, asking
   * for them ahead. Every one is drawn. */
  ks_map_view_set_reports (fx->view, G_LIST_MODEL (filter));
  ks_map_view_center_on (fx->view, (CITY_LAT + LONE_LAT) / 2, (CITY_LON + LONE_LON) / 2, 8);
  draw_frame (fx, &stats);
  g_assert_cmpuint (stats.n_reports, ==, N_REPORTS);

  /* Behind another view, the layer does not build its index at each change
   * (a search typed in the list)... */
  gtk_widget_set_visible (GTK_WIDGET (fx->view), FALSE);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (layer)));
  built = ks_map_layer_get_n_builds (layer);
  ks_report_filter_set_states (filter, fixed);
  run_ready ();
  ks_report_filter_set_states (filter, NULL);
  run_ready ();
  ks_report_filter_set_states (filter, fixed);
  run_ready ();
  g_assert_cmpuint (ks_map_layer_get_n_builds (layer), ==, built);
  n_fixed = g_list_model_get_n_items (G_LIST_MODEL (filter));
  g_assert_cmpuint (n_fixed, >, 0);
  g_assert_cmpuint (n_fixed, <, N_REPORTS);
  /* ...but once, when they stop, so that it is ready when shown. */
  iterate (1000);
  g_assert_cmpuint (ks_map_layer_get_n_builds (layer), ==, built + 1);

  /* Shown again: the filter's reports, drawn from that index. */
  gtk_widget_set_visible (GTK_WIDGET (fx->view), TRUE);
  while (!gtk_widget_get_mapped (GTK_WIDGET (layer)) || gtk_widget_get_width (GTK_WIDGET (fx->view)) < WIDTH / 2)
    iterate (20);
  draw_frame (fx, &stats);
  g_assert_cmpuint (stats.n_reports, ==, n_fixed);
  g_assert_cmpuint (ks_map_layer_get_n_builds (layer), ==, built + 1);
  for (guint i = 0; i < N_REPORTS && out_id == 0; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (G_LIST_MODEL (fx->store), i);

      if (g_strcmp0 (ks_report_get_state (r), "fixed") != 0)
        out_id = ks_report_get_id (r);
    }
  g_assert_false (ks_map_layer_get_drawn_report (layer, out_id, &state, &colour));
  save_screenshot (fx->window, "test-map-filtered.png");

  /* Shown, a change is built in the next idle, before the frame after. */
  ks_report_filter_set_states (filter, NULL);
  run_ready ();
  g_assert_cmpuint (ks_map_layer_get_n_builds (layer), ==, built + 2);
  draw_frame (fx, &stats);
  g_assert_cmpuint (stats.n_reports, ==, N_REPORTS);
  g_assert_true (ks_map_layer_get_drawn_report (layer, out_id, &state, &colour));
  g_assert_cmpstr (state, !=, "fixed");
}

static void
test_screenshot (Fixture *fx, gconstpointer data)
{
  KsTileSource *source = KS_TILE_SOURCE (ks_map_view_get_map_source (fx->view));

  ks_map_view_center_on (fx->view, CITY_LAT + 0.02, CITY_LON + 0.12, 10.3);
  iterate (300);
  g_assert_cmpuint (ks_tile_source_get_n_drawn (source), >, 0);
  save_screenshot (GTK_WIDGET (fx->view), "test-map.png");

  ks_map_view_center_on (fx->view, CITY_LAT, CITY_LON, 13);
  iterate (300);
  save_screenshot (GTK_WIDGET (fx->view), "test-map-zoom13.png");

  /* The window's renderer chose how its tiles are painted. */
  g_assert_true (ks_tile_source_get_paint_surfaces (source) ==
                 GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (fx->window))));
}


/* ---- what is drawn ----------------------------------------------------------- */

static double
srgb_to_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * srgb_to_linear (c->red) + 0.7152 * srgb_to_linear (c->green)
         + 0.0722 * srgb_to_linear (c->blue);
}

static void
to_lab (const GdkRGBA *c, double lab[3])
{
  double r = srgb_to_linear (c->red), g = srgb_to_linear (c->green), b = srgb_to_linear (c->blue);
  double xyz[3] = {
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  };

  for (guint i = 0; i < 3; i++)
    xyz[i] = xyz[i] > 0.008856 ? cbrt (xyz[i]) : 7.787 * xyz[i] + 16.0 / 116;
  lab[0] = 116 * xyz[1] - 16;
  lab[1] = 500 * (xyz[0] - xyz[1]);
  lab[2] = 200 * (xyz[1] - xyz[2]);
}

/* Every state has its own colour: no two alike (CIELAB distance), each
 * standing out against white (3:1, WCAG's contrast for graphics). The list,
 * the filters' legend and the map all take it from ks-states. */
static void
test_palette (void)
{
  guint n = ks_states_count ();

  for (guint i = 0; i < n; i++)
    {
      GdkRGBA a;
      double lab_a[3], contrast;

      g_assert_true (gdk_rgba_parse (&a, ks_states_nth (i)->colour));
      contrast = 1.05 / (luminance (&a) + 0.05);
      g_test_message ("%-22s %s contrast %.2f", ks_states_nth (i)->id, ks_states_nth (i)->colour, contrast);
      g_assert_cmpfloat (contrast, >=, 3.0);
      to_lab (&a, lab_a);

      for (guint j = i + 1; j < n; j++)
        {
          GdkRGBA b;
          double lab_b[3], d;

          g_assert_true (gdk_rgba_parse (&b, ks_states_nth (j)->colour));
          to_lab (&b, lab_b);
          d = sqrt (pow (lab_a[0] - lab_b[0], 2) + pow (lab_a[1] - lab_b[1], 2)
                    + pow (lab_a[2] - lab_b[2], 2));
          if (d < 25)
            g_test_message ("%s and %s look alike (%.1f)", ks_states_nth (i)->id,
                            ks_states_nth (j)->id, d);
          g_assert_cmpfloat (d, >=, 25);
        }
    }
}

static guint16
state_position (const char *id)
{
  for (guint i = 0; i < ks_states_count (); i++)
    if (g_str_equal (ks_states_nth (i)->id, id))
      return i;
  g_assert_not_reached ();
}

static void
assert_colour (const GdkRGBA *c, const char *state_id)
{
  GdkRGBA want;

  g_assert_true (gdk_rgba_parse (&want, ks_state_lookup (state_id)->colour));
  g_assert_cmpfloat (fabs (c->red - want.red), <, 0.01);
  g_assert_cmpfloat (fabs (c->green - want.green), <, 0.01);
  g_assert_cmpfloat (fabs (c->blue - want.blue), <, 0.01);
}

/* The pixel at (x, y) of a rendered texture. */
static void
pixel_at (GdkTexture *texture, int x, int y, GdkRGBA *c)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc ((gsize) w * h * 4);
  const guchar *p;

  gdk_texture_download (texture, data, (gsize) w * 4);
  p = data + ((gsize) y * w + x) * 4;   /* cairo's ARGB32: B, G, R, A on little-endian */
  c->blue = p[0] / 255.0;
  c->green = p[1] / 255.0;
  c->red = p[2] / 255.0;
  c->alpha = p[3] / 255.0;
}

/* A city-wide view must show where open work is: a cluster of mostly fixed
 * reports with one new report in it takes the new report's colour. */
static void
test_cluster_urgent (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  g_autoptr(GListStore) store = g_list_store_new (KS_TYPE_REPORT);
  g_autoptr(GdkTexture) texture = NULL;
  KsMapLayerMark mark;
  GdkRGBA pixel;
  double x, y;

  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(KsReport) r = make_report (i + 1, CITY_LAT + i * 1e-4, CITY_LON + i * 1e-4,
                                           i == 7 ? "confirmed" : "fixed");
      g_autoptr(KsReport) closed = make_report (100 + i, LONE_LAT + i * 1e-4, LONE_LON,
                                                i % 2 ? "closed" : "fixed");
      g_list_store_append (store, r);
      g_list_store_append (store, closed);
    }
  ks_map_view_set_reports (fx->view, G_LIST_MODEL (store));
  ks_map_view_center_on (fx->view, (CITY_LAT + LONE_LAT) / 2, (CITY_LON + LONE_LON) / 2, 9);
  texture = render (GTK_WIDGET (fx->view));

  g_assert_true (ks_map_layer_location_to_point (layer, CITY_LAT, CITY_LON, &x, &y));
  g_assert_true (ks_map_layer_get_mark_at (layer, x, y, &mark));
  g_assert_cmpuint (mark.count, ==, 12);
  g_assert_cmpuint (mark.state, ==, state_position ("confirmed"));
  assert_colour (&mark.colour, "confirmed");
  /* And that is the colour on screen (below the count, inside the rim). */
  pixel_at (texture, (int) mark.x, (int) (mark.y + mark.size / 2.0 - 6), &pixel);
  g_test_message ("pixel %.2f %.2f %.2f", pixel.red, pixel.green, pixel.blue);
  assert_colour (&pixel, "confirmed");

  /* Fixed beats closed: work was done there. */
  g_assert_true (ks_map_layer_location_to_point (layer, LONE_LAT, LONE_LON, &x, &y));
  g_assert_true (ks_map_layer_get_mark_at (layer, x, y, &mark));
  g_assert_cmpuint (mark.count, ==, 12);
  assert_colour (&mark.colour, "fixed");

  save_screenshot (GTK_WIDGET (fx->view), "test-map-urgent.png");
}

/* A single report is big enough to see and to hit. */
static void
test_single_size (Fixture *fx, gconstpointer data)
{
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  g_autoptr(GdkTexture) texture = NULL;
  KsMapLayerMark mark;
  KsMapHit hit;
  double x, y;

  ks_map_view_center_on (fx->view, LONE_LAT, LONE_LON, 13);
  texture = render (GTK_WIDGET (fx->view));
  g_assert_true (ks_map_layer_location_to_point (layer, LONE_LAT, LONE_LON, &x, &y));
  g_assert_true (ks_map_layer_get_mark_at (layer, x, y, &mark));
  g_assert_cmpuint (mark.count, ==, 1);
  g_assert_cmpint (mark.size, >=, 20);
  assert_colour (&mark.colour, "confirmed");

  /* A pointer 14 px from its centre (a finger, a hurried click) still hits it. */
  g_assert_true (ks_map_layer_hit_test (layer, x + 10, y - 10, &hit));
  g_assert_cmpint (hit.report_id, ==, LONE_ID);
  g_assert_false (ks_map_layer_hit_test (layer, x + 20, y - 20, &hit));
}

/* A click on a cluster of reports on nearly the same spot zooms in a few
 * levels, not to the closest zoom. */
static void
test_cluster_zoom_step (Fixture *fx, gconstpointer data)
{
  ShumateViewport *viewport = ks_map_view_get_viewport (fx->view);
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  g_autoptr(GListStore) store = g_list_store_new (KS_TYPE_REPORT);
  KsMapHit hit;
  double x, y, zoom;

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(KsReport) r = make_report (i + 1, CITY_LAT + i * 2e-6, CITY_LON - i * 2e-6, "confirmed");
      g_list_store_append (store, r);
    }
  ks_map_view_set_reports (fx->view, G_LIST_MODEL (store));
  ks_map_view_center_on (fx->view, CITY_LAT, CITY_LON, 13);
  g_assert_true (ks_map_layer_location_to_point (layer, CITY_LAT, CITY_LON, &x, &y));
  g_assert_true (ks_map_layer_hit_test (layer, x, y, &hit));
  g_assert_cmpint (hit.kind, ==, KS_MAP_HIT_CLUSTER);
  g_assert_cmpuint (hit.count, ==, 6);

  g_assert_true (ks_map_view_click_at (fx->view, x, y, GDK_BUTTON_PRIMARY));
  zoom = shumate_viewport_get_zoom_level (viewport);
  g_test_message ("zoom 13 -> %.1f", zoom);
  g_assert_cmpfloat (zoom, >=, 14);
  g_assert_cmpfloat (zoom, <=, 16);
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

/* The scale bar speaks metres only. */
static void
test_scale_metric (Fixture *fx, gconstpointer data)
{
  GtkWidget *scale = find_type (GTK_WIDGET (fx->view), SHUMATE_TYPE_SCALE);

  g_assert_nonnull (scale);
  g_assert_true (gtk_widget_get_visible (scale));
  g_assert_cmpint (shumate_scale_get_unit (SHUMATE_SCALE (scale)), ==, SHUMATE_UNIT_METRIC);
}

/* An area is shown whole, at the closest zoom where it fits. */
static void
test_fit_bounds (Fixture *fx, gconstpointer data)
{
  ShumateViewport *viewport = ks_map_view_get_viewport (fx->view);
  KsMapLayer *layer = ks_map_view_get_layer (fx->view);
  const double box[4] = { 51.71, -1.31, 51.79, -1.18 };   /* Oxford */
  double x0, y0, x1, y1, zoom;

  ks_map_view_fit_bounds (fx->view, box[0], box[1], box[2], box[3]);
  zoom = shumate_viewport_get_zoom_level (viewport);
  g_test_message ("fitted at zoom %.1f", zoom);
  g_assert_true (ks_map_layer_location_to_point (layer, box[0], box[1], &x0, &y0));
  g_assert_true (ks_map_layer_location_to_point (layer, box[2], box[3], &x1, &y1));
  g_assert_cmpfloat (x0, >=, 0);
  g_assert_cmpfloat (y1, >=, 0);
  g_assert_cmpfloat (x1, <=, WIDTH);
  g_assert_cmpfloat (y0, <=, HEIGHT);
  /* One level closer would not hold it. */
  g_assert_true (2 * (x1 - x0) > WIDTH || 2 * (y0 - y1) > HEIGHT);
}

/* What a paintable shows at 256 x 256, drawn by the cairo renderer. */
static GdkTexture *
paintable_pixels (GdkPaintable *paintable)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, 256, 256);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, 256, 256));
  gsk_renderer_unrealize (renderer);
  return texture;
}

static KsTilePaintable *
draw_builtin_paintable (ShumateMapSource *source, guint x, guint y, guint z)
{
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (x, y, 256, z);

  shumate_map_source_fill_tile_async (source, tile, NULL, NULL, NULL);
  while (shumate_tile_get_state (tile) != SHUMATE_STATE_DONE)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (KS_IS_TILE_PAINTABLE (shumate_tile_get_paintable (tile)));
  return g_object_ref (KS_TILE_PAINTABLE (shumate_tile_get_paintable (tile)));
}

static GdkTexture *
draw_builtin_tile (ShumateMapSource *source, guint x, guint y, guint z)
{
  g_autoptr(KsTilePaintable) paintable = draw_builtin_paintable (source, x, y, z);

  return paintable_pixels (GDK_PAINTABLE (paintable));
}

/* A tile painted from its surface (for the cairo renderer) shows the same
 * pixels as the same tile as a texture; the source paints surfaces only
 * when told to. */
static void
test_tiles_painted_alike (void)
{
  g_autoptr(KsTileSource) source = ks_tile_source_new ();
  g_autoptr(KsTilePaintable) as_texture = NULL, as_surface = NULL;
  g_autoptr(GdkTexture) a = NULL, b = NULL;
  g_autofree guchar *pa = g_malloc (256 * 256 * 4), *pb = g_malloc (256 * 256 * 4);
  double lx, ly;
  guint z = 16, x, y;

  ks_geo_to_mercator (CITY_LAT, CITY_LON, &lx, &ly);
  x = (guint) (lx * (1u << z));
  y = (guint) (ly * (1u << z));
  g_assert_false (ks_tile_source_get_paint_surfaces (source));
  as_texture = draw_builtin_paintable (SHUMATE_MAP_SOURCE (source), x, y, z);
  ks_tile_source_set_paint_surfaces (source, TRUE);
  as_surface = draw_builtin_paintable (SHUMATE_MAP_SOURCE (source), x, y, z);
  g_assert_false (ks_tile_paintable_get_paint_surface (as_texture));
  g_assert_true (ks_tile_paintable_get_paint_surface (as_surface));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (as_surface)), ==, 256);

  a = paintable_pixels (GDK_PAINTABLE (as_texture));
  b = paintable_pixels (GDK_PAINTABLE (as_surface));
  gdk_texture_download (a, pa, 256 * 4);
  gdk_texture_download (b, pb, 256 * 4);
  g_assert_cmpmem (pa, 256 * 256 * 4, pb, 256 * 256 * 4);

  /* Nothing to paint at no size. */
  {
    GtkSnapshot *snapshot = gtk_snapshot_new ();
    g_autoptr(GskRenderNode) node = NULL;

    gdk_paintable_snapshot (GDK_PAINTABLE (as_surface), snapshot, 0, 0);
    node = gtk_snapshot_free_to_node (snapshot);
    g_assert_null (node);
  }
}

typedef struct {
  guint grey;       /* dark neutral pixels: text */
  guint building;   /* building fill */
  guint edge_land;  /* land-coloured pixels on the left and top edges */
  guint mid_land;   /* the same along the middle row and column */
} TileCensus;

static void
census (GdkTexture *texture, TileCensus *t)
{
  g_autofree guchar *data = g_malloc (256 * 256 * 4);

  memset (t, 0, sizeof *t);
  gdk_texture_download (texture, data, 256 * 4);
  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 256; x++)
      {
        const guchar *p = data + (y * 256 + x) * 4;
        int b = p[0], g = p[1], r = p[2];
        gboolean land = r == 0xf2 && g == 0xef && b == 0xe9;

        if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) < 16 && r < 170)
          t->grey++;
        if (r == 0xdd && g == 0xd5 && b == 0xcc)
          t->building++;
        if (land && (x == 0 || y == 0))
          t->edge_land++;
        if (land && (x == 128 || y == 128))
          t->mid_land++;
      }
}

/* The offline map: no tile addresses, no lines on tile edges, and more
 * detail the closer one zooms (buildings only close in). */
static void
test_builtin_tiles (void)
{
  g_autoptr(KsTileSource) source = ks_tile_source_new ();
  const guint zooms[] = { 6, 10, 13, 17 };
  guint n_buildings[G_N_ELEMENTS (zooms)];
  double lx, ly;

  ks_geo_to_mercator (CITY_LAT, CITY_LON, &lx, &ly);
  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      guint z = zooms[i], x = (guint) (lx * (1u << z)), y = (guint) (ly * (1u << z));
      g_autoptr(GdkTexture) tile = draw_builtin_tile (SHUMATE_MAP_SOURCE (source), x, y, z);
      g_autofree char *name = g_strdup_printf ("test-map-tile-z%u.png", z);
      const char *dir = g_getenv ("KS_SCREENSHOT_DIR");
      g_autofree char *path = g_build_filename (dir != NULL ? dir : ".", name, NULL);
      TileCensus t;

      census (tile, &t);
      g_test_message ("z%u: grey %u, buildings %u, land on edges %u, in the middle %u", z,
                      t.grey, t.building, t.edge_land, t.mid_land);
      g_assert_cmpuint (t.grey, ==, 0);
      g_assert_cmpuint (t.edge_land * 2, >=, t.mid_land);
      n_buildings[i] = t.building;
      if (dir != NULL)
        g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (gdk_texture_save_to_png (tile, path));
    }
  g_assert_cmpuint (n_buildings[0], ==, 0);
  g_assert_cmpuint (n_buildings[1], ==, 0);
  g_assert_cmpuint (n_buildings[3], >, 500);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/map/index/morton", test_morton);
  g_test_add_func ("/map/index/levels", test_index_levels);
  g_test_add_func ("/map/index/order", test_index_order);
  g_test_add_func ("/map/tile-source/urls", test_tile_urls);
  g_test_add_func ("/map/tile-source/drawn", test_builtin_tiles);
  g_test_add_func ("/map/tile-source/painted-alike", test_tiles_painted_alike);
  g_test_add_func ("/map/palette", test_palette);
  g_test_add ("/map/view/counts", Fixture, NULL, fixture_setup, test_counts_add_up, fixture_teardown);
  g_test_add ("/map/view/hit-report", Fixture, NULL, fixture_setup, test_hit_report, fixture_teardown);
  g_test_add ("/map/view/hit-cluster", Fixture, NULL, fixture_setup, test_hit_cluster, fixture_teardown);
  g_test_add ("/map/view/pick-location", Fixture, NULL, fixture_setup, test_pick_location, fixture_teardown);
  g_test_add ("/map/view/selection", Fixture, NULL, fixture_setup, test_selection, fixture_teardown);
  g_test_add ("/map/view/rotation", Fixture, NULL, fixture_setup, test_rotation, fixture_teardown);
  g_test_add ("/map/view/two-views", Fixture, NULL, fixture_setup, test_two_views, fixture_teardown);
  g_test_add ("/map/view/filtered-hidden", Fixture, NULL, fixture_setup, test_filtered_hidden, fixture_teardown);
  g_test_add ("/map/view/screenshot", Fixture, NULL, fixture_setup, test_screenshot, fixture_teardown);
  g_test_add ("/map/view/cluster-urgent", Fixture, NULL, fixture_setup, test_cluster_urgent, fixture_teardown);
  g_test_add ("/map/view/single-size", Fixture, NULL, fixture_setup, test_single_size, fixture_teardown);
  g_test_add ("/map/view/cluster-zoom-step", Fixture, NULL, fixture_setup, test_cluster_zoom_step, fixture_teardown);
  g_test_add ("/map/view/scale-metric", Fixture, NULL, fixture_setup, test_scale_metric, fixture_teardown);
  g_test_add ("/map/view/fit-bounds", Fixture, NULL, fixture_setup, test_fit_bounds, fixture_teardown);

  return g_test_run ();
}

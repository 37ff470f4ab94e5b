/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-map.c: frame times of the report map while panning, with 100,000
 * reports, at a zoom showing them all and at one showing about a hundred.
 *
 * Run under X (meson benchmark does it through xvfb-run). Prints, per case,
 * the mean time a frame takes from the frame clock's update to after-paint
 * (the work of a frame), the mean interval between frames, and what the
 * report layer drew. */
#define G_LOG_DOMAIN "bench-map"

#include <math.h>
#include <stdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "ks-map-layer.h"
#include "ks-map-view.h"
#include "ks-report.h"
#include "ks-states.h"
#include "ks-tile-source.h"

#define CITY_LAT 53.48
#define CITY_LON -2.24
#define WIDTH 1280
#define HEIGHT 800
#define WARMUP_FRAMES 20
#define FRAMES 150
#define STEP_PX 12.0

typedef struct {
  KsMapView *view;
  double     lat0, lon0;     /* centre of the panning circle */
  double     radius_px;
  guint      frame;
  gint64     update_start;
  gint64     busy_us;
  gint64     first_us, last_us;
  guint      n_measured;
  guint64    drawn_reports, drawn_nodes;
  gint64     snapshot_us;
  gboolean   done;
} Run;

static KsReport *
make_report (gint64 id, double lat, double lon, const char *state)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  json_object_set_int_member (obj, "id", id);
  json_object_set_double_member (obj, "lat", lat);
  json_object_set_double_member (obj, "lon", lon);
  json_object_set_string_member (obj, "state", state);
  return ks_report_new_from_json (obj, NULL);
}

static GListStore *
make_store (guint n)
{
  GListStore *store = g_list_store_new (KS_TYPE_REPORT);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_states = ks_states_count ();

  /* Spread evenly over a metropolitan area of about 40 x 45 km. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, make_report (i + 1,
                                         CITY_LAT + g_rand_double_range (rand, -0.2, 0.2),
                                         CITY_LON + g_rand_double_range (rand, -0.3, 0.3),
                                         ks_states_nth (g_rand_int_range (rand, 0, n_states))->id));
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return store;
}

static void
on_update (GdkFrameClock *clock, Run *run)
{
  run->update_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, Run *run)
{
  gint64 now = g_get_monotonic_time ();
  KsMapLayerStats stats;

  if (run->done || run->frame <= WARMUP_FRAMES)
    return;

  ks_map_layer_get_stats (ks_map_view_get_layer (run->view), &stats);
  run->busy_us += now - run->update_start;
  run->drawn_reports += stats.n_reports;
  run->drawn_nodes += stats.n_nodes;
  run->snapshot_us += stats.snapshot_us;
  if (run->n_measured == 0)
    run->first_us = now;
  run->last_us = now;
  run->n_measured++;
}

/* Pans around a circle, one step a frame. */
static gboolean
tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  Run *run = user_data;
  ShumateViewport *viewport = ks_map_view_get_viewport (run->view);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double px_per_deg = 256.0 * exp2 (zoom) / 360.0;
  double a = run->frame * STEP_PX / run->radius_px;
  double dx = run->radius_px * cos (a), dy = run->radius_px * sin (a);

  shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                 run->lat0 - dy / px_per_deg * cos (run->lat0 * G_PI / 180),
                                 run->lon0 + dx / px_per_deg);
  run->frame++;
  if (run->n_measured >= FRAMES)
    {
      run->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
run_case (KsMapView *view, const char *name, double zoom, double *frame_ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  Run run = { view, CITY_LAT, CITY_LON, 120.0 };
  gulong update_id, paint_id;

  ks_map_view_center_on (view, CITY_LAT, CITY_LON, zoom);
  update_id = g_signal_connect (clock, "update", G_CALLBACK (on_update), &run);
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &run);
  gtk_widget_add_tick_callback (GTK_WIDGET (view), tick, &run, NULL);

  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_signal_handler_disconnect (clock, update_id);
  g_signal_handler_disconnect (clock, paint_id);

  *frame_ms = run.busy_us / 1000.0 / run.n_measured;
  printf ("%-34s zoom %4.1f: frame work %6.2f ms, frame interval %6.2f ms, "
          "layer snapshot %5.3f ms, %6.0f reports and %4.0f nodes drawn a frame\n",
          name, zoom, *frame_ms,
          (run.last_us - run.first_us) / 1000.0 / MAX (run.n_measured - 1, 1),
          run.snapshot_us / 1000.0 / run.n_measured,
          (double) run.drawn_reports / run.n_measured, (double) run.drawn_nodes / run.n_measured);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GListStore) empty = g_list_store_new (KS_TYPE_REPORT);
  GtkWidget *window;
  KsMapView *view;
  double all_ms, few_ms, empty_ms, all_empty_ms;
  gint64 t0;

  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  t0 = g_get_monotonic_time ();
  store = make_store (n);
  printf ("%u reports made in %.0f ms\n", n, (g_get_monotonic_time () - t0) / 1000.0);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  view = KS_MAP_VIEW (ks_map_view_new ());
  ks_map_view_set_tile_source (view, KS_TILE_SOURCE_BUILTIN);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (view)))
    g_main_context_iteration (NULL, TRUE);

  /* The empty map first, as the baseline. */
  ks_map_view_set_reports (view, G_LIST_MODEL (empty));
  run_case (view, "empty map", 9, &all_empty_ms);
  run_case (view, "empty map", 16, &empty_ms);

  t0 = g_get_monotonic_time ();
  ks_map_view_set_reports (view, G_LIST_MODEL (store));
  ks_map_layer_get_index (ks_map_view_get_layer (view));
  printf ("index of %u reports built in %.0f ms\n", n, (g_get_monotonic_time () - t0) / 1000.0);

  run_case (view, "all reports on screen", 9, &all_ms);
  run_case (view, "about a hundred on screen", 16, &few_ms);

  /* The empty map again: the machine's load drifts. */
  ks_map_view_set_reports (view, G_LIST_MODEL (empty));
  run_case (view, "empty map (again)", 9, &empty_ms);
  all_empty_ms = MIN (all_empty_ms, empty_ms);

  printf ("ratio all/hundred: %.2f (target: 2.00 at most)\n", all_ms / few_ms);
  printf ("ratio all/empty map: %.2f\n", all_ms / all_empty_ms);

  gtk_window_destroy (GTK_WINDOW (window));
  return all_ms / few_ms <= 2.0 ? 0 : 1;
}

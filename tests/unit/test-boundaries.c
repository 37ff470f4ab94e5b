/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-boundaries.c: the council boundaries in GEOS (councils/ks-boundary-set.c):
 * a MultiPolygon ward with a hole (another ward fills it) and an island, the area
 * made from the wards when none is given, the same answers from the rows the
 * store keeps, points on edges, and files refused with a sentence. */
#include <glib.h>
#include <string.h>

#include "councils/ks-boundary-set.h"
#include "ks-error.h"

/* Ward A: a 10x10 square with a 4x4 hole, and an island east of it. Ward B: the
 * hole. */
static const char *wards_json =
  "{\"type\":\"FeatureCollection\",\"features\":["
  "{\"type\":\"Feature\",\"properties\":{\"WD\":\"A\"},\"geometry\":{\"type\":\"MultiPolygon\","
  "\"coordinates\":[[[[0,50],[10,50],[10,60],[0,60],[0,50]],[[3,53],[3,57],[7,57],[7,53],[3,53]]],"
  "[[[20,50],[22,50],[22,52],[20,52],[20,50]]]]}},"
  "{\"type\":\"Feature\",\"properties\":{\"WD\":\"B\"},\"geometry\":{\"type\":\"Polygon\","
  "\"coordinates\":[[[3,53],[7,53],[7,57],[3,57],[3,53]]]}}]}";

typedef struct {
  double      lat, lon;
  gboolean    inside;
  const char *ward;
} Probe;

static const Probe probes[] = {
  { 51, 1, TRUE, "A" },        /* in A's outer polygon */
  { 55, 5, TRUE, "B" },        /* in A's hole: ward B, not A */
  { 51, 21, TRUE, "A" },       /* on A's island */
  { 51, 15, FALSE, NULL },     /* between the polygons: outside the area */
  { 55, 3, TRUE, "A" },        /* on the edge between A and B: the first by name */
  { 70, 5, FALSE, NULL },      /* far away */
};

static void
check_probes (KsBoundarySet *set)
{
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autofree char *ward = NULL;
      gboolean inside = ks_boundary_set_locate (set, probes[i].lat, probes[i].lon, &ward);

      g_test_message ("probe %u: %g, %g -> %s %s", i, probes[i].lat, probes[i].lon,
                      inside ? "inside" : "outside", ward ? ward : "(none)");
      g_assert_cmpint (inside, ==, probes[i].inside);
      g_assert_cmpstr (ward, ==, probes[i].ward);
    }
}

static void
add_row (gpointer data, gpointer user_data)
{
  ks_boundary_set_add_row (user_data, data);
}

static void
test_multipolygon_with_hole (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsBoundarySet) set = ks_boundary_set_new_from_geojson (NULL, wards_json, "WD", &error);
  g_autoptr(KsBoundarySet) again = NULL;
  const KsBoundaryRow *rows;
  g_autoptr(GPtrArray) copies = g_ptr_array_new ();
  guint n = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (ks_boundary_set_n_wards (set), ==, 2);
  check_probes (set);

  /* The rows to store: the area (the union of the wards) first, then A and B. */
  rows = ks_boundary_set_rows (set, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (rows[0].kind, ==, "area");
  g_assert_cmpstr (rows[1].name, ==, "A");
  g_assert_cmpstr (rows[2].name, ==, "B");
  g_assert_cmpfloat (rows[1].min_lon, ==, 0);
  g_assert_cmpfloat (rows[1].max_lon, ==, 22);
  g_assert_cmpfloat (rows[1].max_lat, ==, 60);
  g_assert_nonnull (strstr (rows[1].geometry, "MultiPolygon"));

  /* Loaded back from those rows, the set answers the same. */
  again = ks_boundary_set_new ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (copies, (gpointer) &rows[i]);
  g_ptr_array_foreach (copies, add_row, again);
  again = ks_boundary_set_finish (g_steal_pointer (&again), &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  check_probes (again);
}

static void
test_nothing_imported (void)
{
  g_autoptr(GError) error = NULL;
  KsBoundarySet *set = ks_boundary_set_finish (ks_boundary_set_new (), &error);

  g_assert_null (set);
  g_assert_no_error (error);
}

static void
test_refusals (void)
{
  static const struct { const char *json; const char *words; } bad[] = {
    { "[]", "not a GeoJSON FeatureCollection" },
    { "{\"type\":\"FeatureCollection\",\"features\":[]}", "has no features" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"WD\":\"P\"},"
      "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,50]}}]}", "is a Point" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"X\":\"P\"},"
      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,50],[1,50],[1,51],[0,50]]]}}]}",
      "no property “WD”" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"WD\":\"Bow\"},"
      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,50],[1,51],[1,50],[0,51],[0,50]]]}}]}",
      "not a valid polygon" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      KsBoundarySet *set = ks_boundary_set_new_from_geojson (NULL, bad[i].json, "WD", &error);

      g_assert_null (set);
      g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i].words));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boundaries/multipolygon-with-hole", test_multipolygon_with_hole);
  g_test_add_func ("/boundaries/nothing-imported", test_nothing_imported);
  g_test_add_func ("/boundaries/refusals", test_refusals);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-boundary-set.c: a council's area and wards in GEOS (see ks-boundary-set.h).
 * GEOS reads and writes the GeoJSON geometries and answers point-in-polygon on
 * prepared geometries; json-glib walks the FeatureCollection around them (GEOS's
 * reader keeps the geometries and drops the properties, which hold the names). */
#define G_LOG_DOMAIN "ks-boundaries"

#include "councils/ks-boundary-set.h"
#include "ks-error.h"

#include <json-glib/json-glib.h>
#include <geos_c.h>
#include <string.h>

typedef struct {
  char                       *name;
  GEOSGeometry               *geom;
  const GEOSPreparedGeometry *prep;
  char                       *geojson;
  guint                       index;
} Piece;

struct _KsBoundarySet {
  GMutex               lock;
  GEOSContextHandle_t  ctx;
  char                *message;     /* GEOS's last error */
  char                *area_name;
  Piece               *area;
  GPtrArray           *wards;       /* Piece, by name */
  GHashTable          *by_name;     /* name -> Piece (while reading) */
  GEOSSTRtree         *tree;
  GArray              *rows;        /* KsBoundaryRow over the pieces */
  GError              *pending;     /* the first error of add_row */
};

static void
on_geos_error (const char *message,
               void       *data)
{
  KsBoundarySet *set = data;

  g_free (set->message);
  set->message = g_strdup (message);
}

static void
piece_free (KsBoundarySet *set,
            Piece         *p)
{
  if (p == NULL)
    return;
  if (p->prep != NULL)
    GEOSPreparedGeom_destroy_r (set->ctx, p->prep);
  if (p->geom != NULL)
    GEOSGeom_destroy_r (set->ctx, p->geom);
  g_free (p->geojson);
  g_free (p->name);
  g_free (p);
}

KsBoundarySet *
ks_boundary_set_new (void)
{
  KsBoundarySet *set = g_new0 (KsBoundarySet, 1);

  g_mutex_init (&set->lock);
  set->ctx = GEOS_init_r ();
  GEOSContext_setErrorMessageHandler_r (set->ctx, on_geos_error, set);
  set->wards = g_ptr_array_new ();
  set->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  return set;
}

void
ks_boundary_set_free (KsBoundarySet *set)
{
  if (set == NULL)
    return;
  if (set->tree != NULL)
    GEOSSTRtree_destroy_r (set->ctx, set->tree);
  for (guint i = 0; i < set->wards->len; i++)
    piece_free (set, g_ptr_array_index (set->wards, i));
  piece_free (set, set->area);
  g_ptr_array_unref (set->wards);
  g_hash_table_unref (set->by_name);
  if (set->rows != NULL)
    g_array_unref (set->rows);
  g_clear_error (&set->pending);
  GEOS_finish_r (set->ctx);
  g_free (set->message);
  g_free (set->area_name);
  g_mutex_clear (&set->lock);
  g_free (set);
}

/* "feature 3 (“Name”)" or "feature 3" */
static char *
describe (const char *file,
          guint       index,
          const char *name)
{
  if (name != NULL)
    return g_strdup_printf ("%s: feature %u (“%s”)", file, index + 1, name);
  return g_strdup_printf ("%s: feature %u", file, index + 1);
}

/* Reads one GeoJSON geometry (text) and checks that it is a valid, polygonal
 * shape in longitude and latitude. */
static GEOSGeometry *
read_polygonal (KsBoundarySet     *set,
                GEOSGeoJSONReader *reader,
                const char        *text,
                const char        *what,
                GError           **error)
{
  GEOSGeometry *geom;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int type;

  g_clear_pointer (&set->message, g_free);
  geom = GEOSGeoJSONReader_readGeometry_r (set->ctx, reader, text);
  if (geom == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s: the geometry could not be read (%s).",
                   what, set->message ? set->message : "not GeoJSON");
      return NULL;
    }
  type = GEOSGeomTypeId_r (set->ctx, geom);
  if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
    {
      g_autofree char *type_name = GEOSGeomType_r (set->ctx, geom);
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s is a %s: a boundary must be a Polygon or a MultiPolygon.", what, type_name);
      GEOSGeom_destroy_r (set->ctx, geom);
      return NULL;
    }
  if (GEOSisEmpty_r (set->ctx, geom) == 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s has no coordinates.", what);
      GEOSGeom_destroy_r (set->ctx, geom);
      return NULL;
    }
  GEOSGeom_getXMin_r (set->ctx, geom, &x0);
  GEOSGeom_getYMin_r (set->ctx, geom, &y0);
  GEOSGeom_getXMax_r (set->ctx, geom, &x1);
  GEOSGeom_getYMax_r (set->ctx, geom, &y1);
  if (x0 < -180 || x1 > 180 || y0 < -90 || y1 > 90)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s has coordinates that are not longitude and latitude (e.g. %.0f, %.0f): "
                   "give WGS 84 (EPSG:4326), for example with "
                   "“ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson”.", what, x1, y1);
      GEOSGeom_destroy_r (set->ctx, geom);
      return NULL;
    }
  if (GEOSisValid_r (set->ctx, geom) != 1)
    {
      char *reason = GEOSisValidReason_r (set->ctx, geom);
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s is not a valid polygon (%s). Repair it, for example with "
                   "“ogr2ogr -makevalid”, and import again.", what, reason ? reason : "?");
      GEOSFree_r (set->ctx, reason);
      GEOSGeom_destroy_r (set->ctx, geom);
      return NULL;
    }
  return geom;
}

/* Adds geom to the piece (joining it to what the piece holds). */
static gboolean
piece_add (KsBoundarySet *set,
           Piece         *p,
           GEOSGeometry  *geom,
           const char    *what,
           GError       **error)
{
  GEOSGeometry *joined;

  if (p->geom == NULL)
    {
      p->geom = geom;
      return TRUE;
    }
  joined = GEOSUnion_r (set->ctx, p->geom, geom);
  GEOSGeom_destroy_r (set->ctx, geom);
  if (joined == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s could not be joined to the other "
                   "features of the same name (%s).", what, set->message ? set->message : "?");
      return FALSE;
    }
  GEOSGeom_destroy_r (set->ctx, p->geom);
  p->geom = joined;
  return TRUE;
}

static Piece *
ward_named (KsBoundarySet *set,
            const char    *name)
{
  Piece *p = g_hash_table_lookup (set->by_name, name);

  if (p == NULL)
    {
      p = g_new0 (Piece, 1);
      p->name = g_strdup (name);
      g_ptr_array_add (set->wards, p);
      g_hash_table_insert (set->by_name, p->name, p);
    }
  return p;
}

static char *
property_text (JsonObject *feature,
               const char *property)
{
  JsonNode *props = json_object_get_member (feature, "properties");
  JsonNode *value;

  if (props == NULL || !JSON_NODE_HOLDS_OBJECT (props))
    return NULL;
  value = json_object_get_member (json_node_get_object (props), property);
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return NULL;
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (value)));
      return *text != '\0' ? g_steal_pointer (&text) : NULL;
    }
  if (json_node_get_value_type (value) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  return NULL;
}

static char *
property_names (JsonObject *feature)
{
  JsonNode *props = json_object_get_member (feature, "properties");
  g_autoptr(GList) names = NULL;
  GString *s = g_string_new (NULL);

  if (props != NULL && JSON_NODE_HOLDS_OBJECT (props))
    names = json_object_get_members (json_node_get_object (props));
  for (GList *l = names; l != NULL; l = l->next)
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", (const char *) l->data);
  if (s->len == 0)
    g_string_append (s, "none");
  return g_string_free (s, FALSE);
}

/* Walks a FeatureCollection: ward features (area FALSE) go by name; area
 * features all go to the area. */
static gboolean
read_collection (KsBoundarySet     *set,
                 GEOSGeoJSONReader *reader,
                 const char        *json,
                 const char        *file,
                 const char        *name_property,
                 gboolean           area,
                 GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonObject *obj;
  JsonArray *features;
  const char *type;

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s is not JSON: %s", file,
                   parse_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  type = obj ? json_object_get_string_member_with_default (obj, "type", NULL) : NULL;
  if (g_strcmp0 (type, "FeatureCollection") != 0 ||
      !json_object_has_member (obj, "features") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "features")))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s is not a GeoJSON FeatureCollection (with a “features” list).", file);
      return FALSE;
    }
  features = json_object_get_array_member (obj, "features");
  if (json_array_get_length (features) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s has no features.", file);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonNode *fnode = json_array_get_element (features, i);
      JsonObject *feature;
      JsonNode *gnode;
      g_autofree char *name = NULL, *what = NULL, *text = NULL;
      GEOSGeometry *geom;
      Piece *p;

      if (!JSON_NODE_HOLDS_OBJECT (fnode))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s: feature %u is not an object.",
                       file, i + 1);
          return FALSE;
        }
      feature = json_node_get_object (fnode);
      name = property_text (feature, name_property);
      what = describe (file, i, name);
      if (name == NULL && !area)
        {
          g_autofree char *props = property_names (feature);
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "%s has no property “%s” to name its ward (its properties: %s). "
                       "Give the right one with --name-property.", what, name_property, props);
          return FALSE;
        }
      if (area && i == 0 && name != NULL)
        set->area_name = g_strdup (name);
      gnode = json_object_get_member (feature, "geometry");
      if (gnode == NULL || !JSON_NODE_HOLDS_OBJECT (gnode))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s has no geometry.", what);
          return FALSE;
        }
      text = json_to_string (gnode, FALSE);
      if ((geom = read_polygonal (set, reader, text, what, error)) == NULL)
        return FALSE;
      if (area)
        {
          if (set->area == NULL)
            set->area = g_new0 (Piece, 1);
          p = set->area;
        }
      else
        p = ward_named (set, name);
      if (!piece_add (set, p, geom, what, error))
        return FALSE;
    }
  return TRUE;
}

static int
compare_pieces (gconstpointer a,
                gconstpointer b)
{
  const Piece *pa = *(Piece * const *) a, *pb = *(Piece * const *) b;
  return strcmp (pa->name, pb->name);
}

static KsBoundaryRow
piece_row (KsBoundarySet *set,
           Piece         *p,
           const char    *kind)
{
  KsBoundaryRow row = { .kind = kind, .name = p->name, .geometry = p->geojson };

  GEOSGeom_getXMin_r (set->ctx, p->geom, &row.min_lon);
  GEOSGeom_getYMin_r (set->ctx, p->geom, &row.min_lat);
  GEOSGeom_getXMax_r (set->ctx, p->geom, &row.max_lon);
  GEOSGeom_getYMax_r (set->ctx, p->geom, &row.max_lat);
  return row;
}

/* Prepares every geometry, indexes the wards, writes the rows. */
static gboolean
prepare (KsBoundarySet *set,
         GError       **error)
{
  GEOSGeoJSONWriter *writer = GEOSGeoJSONWriter_create_r (set->ctx);
  KsBoundaryRow row;

  g_ptr_array_sort (set->wards, compare_pieces);
  set->tree = GEOSSTRtree_create_r (set->ctx, 10);
  set->rows = g_array_new (FALSE, FALSE, sizeof (KsBoundaryRow));
  for (guint i = 0; i <= set->wards->len; i++)
    {
      Piece *p = i == 0 ? set->area : g_ptr_array_index (set->wards, i - 1);

      p->index = i;
      p->prep = GEOSPrepare_r (set->ctx, p->geom);
      if (p->geojson == NULL)
        {
          char *text = GEOSGeoJSONWriter_writeGeometry_r (set->ctx, writer, p->geom, -1);
          p->geojson = g_strdup (text);
          GEOSFree_r (set->ctx, text);
        }
      if (p->prep == NULL || p->geojson == NULL)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "The boundary “%s” could not be "
                       "prepared (%s).", p->name ? p->name : "area",
                       set->message ? set->message : "?");
          GEOSGeoJSONWriter_destroy_r (set->ctx, writer);
          return FALSE;
        }
      if (i > 0)
        GEOSSTRtree_insert_r (set->ctx, set->tree, p->geom, p);
      row = piece_row (set, p, i == 0 ? "area" : "ward");
      if (i == 0)
        row.name = set->area_name ? set->area_name : "";
      g_array_append_val (set->rows, row);
    }
  GEOSGeoJSONWriter_destroy_r (set->ctx, writer);
  return TRUE;
}

/* The area when none was given: the union of the wards. */
static gboolean
area_from_wards (KsBoundarySet *set,
                 GError       **error)
{
  g_autofree GEOSGeometry **parts = g_new0 (GEOSGeometry *, set->wards->len);
  GEOSGeometry *all, *area;

  for (guint i = 0; i < set->wards->len; i++)
    parts[i] = GEOSGeom_clone_r (set->ctx, ((Piece *) g_ptr_array_index (set->wards, i))->geom);
  all = GEOSGeom_createCollection_r (set->ctx, GEOS_GEOMETRYCOLLECTION, parts, set->wards->len);
  area = all ? GEOSUnaryUnion_r (set->ctx, all) : NULL;
  if (all != NULL)
    GEOSGeom_destroy_r (set->ctx, all);
  if (area == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "The wards could not be joined into "
                   "the council's area (%s): give the area with --area.",
                   set->message ? set->message : "?");
      return FALSE;
    }
  set->area = g_new0 (Piece, 1);
  set->area->geom = area;
  return TRUE;
}

KsBoundarySet *
ks_boundary_set_new_from_geojson (const char  *area_json,
                                  const char  *wards_json,
                                  const char  *name_property,
                                  GError     **error)
{
  g_autoptr(KsBoundarySet) set = ks_boundary_set_new ();
  GEOSGeoJSONReader *reader = GEOSGeoJSONReader_create_r (set->ctx);
  gboolean ok;

  ok = read_collection (set, reader, wards_json, "The wards file", name_property, FALSE, error) &&
       (area_json == NULL ||
        read_collection (set, reader, area_json, "The area file", name_property, TRUE, error));
  GEOSGeoJSONReader_destroy_r (set->ctx, reader);
  if (!ok)
    return NULL;
  if (set->area == NULL && !area_from_wards (set, error))
    return NULL;
  if (!prepare (set, error))
    return NULL;
  return g_steal_pointer (&set);
}

void
ks_boundary_set_add_row (KsBoundarySet       *set,
                         const KsBoundaryRow *row)
{
  GEOSGeoJSONReader *reader;
  GEOSGeometry *geom;
  Piece *p;

  if (set->pending != NULL)
    return;
  reader = GEOSGeoJSONReader_create_r (set->ctx);
  geom = GEOSGeoJSONReader_readGeometry_r (set->ctx, reader, row->geometry);
  GEOSGeoJSONReader_destroy_r (set->ctx, reader);
  if (geom == NULL)
    {
      g_set_error (&set->pending, KS_ERROR, KS_ERROR_FAILED,
                   "The stored boundary “%s” could not be read (%s): import the boundaries "
                   "again.", row->name, set->message ? set->message : "?");
      return;
    }
  if (strcmp (row->kind, "area") == 0)
    {
      piece_free (set, set->area);
      set->area = g_new0 (Piece, 1);
      g_free (set->area_name);
      set->area_name = *row->name ? g_strdup (row->name) : NULL;
      p = set->area;
    }
  else
    p = ward_named (set, row->name);
  if (p->geom != NULL)
    GEOSGeom_destroy_r (set->ctx, p->geom);
  p->geom = geom;
  g_free (p->geojson);
  p->geojson = g_strdup (row->geometry);
}

KsBoundarySet *
ks_boundary_set_finish (KsBoundarySet *set,
                        GError       **error)
{
  if (set->pending != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&set->pending));
      ks_boundary_set_free (set);
      return NULL;
    }
  if (set->area == NULL || !prepare (set, error))
    {
      ks_boundary_set_free (set);
      return NULL;
    }
  return set;
}

const char *
ks_boundary_set_area_name (KsBoundarySet *set)
{
  return set->area_name;
}

const KsBoundaryRow *
ks_boundary_set_rows (KsBoundarySet *set,
                      guint         *n_rows)
{
  *n_rows = set->rows->len;
  return (const KsBoundaryRow *) set->rows->data;
}

guint
ks_boundary_set_n_wards (KsBoundarySet *set)
{
  return set->wards->len;
}

static void
collect (void *item,
         void *data)
{
  g_ptr_array_add (data, item);
}

static int
compare_index (gconstpointer a,
               gconstpointer b)
{
  const Piece *pa = *(Piece * const *) a, *pb = *(Piece * const *) b;
  return (pa->index > pb->index) - (pa->index < pb->index);
}

gboolean
ks_boundary_set_locate (KsBoundarySet  *set,
                        double          lat,
                        double          lon,
                        char          **out_ward)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  GEOSGeometry *pt;
  gboolean inside;
  Piece *found = NULL;

  *out_ward = NULL;
  g_mutex_lock (&set->lock);
  pt = GEOSGeom_createPointFromXY_r (set->ctx, lon, lat);
  inside = GEOSPreparedCovers_r (set->ctx, set->area->prep, pt) == 1;
  /* The boxes that hold the point, then the exact test in a fixed order; a point
   * on the line between two wards falls in the first of them by name. */
  GEOSSTRtree_query_r (set->ctx, set->tree, pt, collect, candidates);
  g_ptr_array_sort (candidates, compare_index);
  for (guint i = 0; found == NULL && i < candidates->len; i++)
    if (GEOSPreparedContains_r (set->ctx, ((Piece *) candidates->pdata[i])->prep, pt) == 1)
      found = candidates->pdata[i];
  for (guint i = 0; found == NULL && i < candidates->len; i++)
    if (GEOSPreparedCovers_r (set->ctx, ((Piece *) candidates->pdata[i])->prep, pt) == 1)
      found = candidates->pdata[i];
  if (found != NULL)
    *out_ward = g_strdup (found->name);
  GEOSGeom_destroy_r (set->ctx, pt);
  g_mutex_unlock (&set->lock);
  return inside;
}

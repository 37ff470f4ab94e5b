/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places-import.c: reading a gazetteer file and replacing a council's places
 * (see ks-places-import.h). Rows go to the store in batches, in one write. */
#define G_LOG_DOMAIN "ks-places"

#include "places/ks-places-import.h"
#include "places/ks-bng.h"
#include "places/ks-place-text.h"
#include "ks-error.h"
#include "ks-json-writer.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define BATCH 5000

/* OS Open Names' columns (OS_Open_Names_Header.csv). */
enum {
  OSN_NAME1 = 2,
  OSN_TYPE = 6,
  OSN_LOCAL_TYPE = 7,
  OSN_GEOMETRY_X = 8,
  OSN_GEOMETRY_Y = 9,
  OSN_POSTCODE_DISTRICT = 16,
  OSN_POPULATED_PLACE = 18,
  OSN_DISTRICT_BOROUGH = 21,
  OSN_N_COLUMNS = 34,
};

gboolean
ks_places_format_from_string (const char *s, KsPlacesFormat *out)
{
  static const char * const names[] = { "auto", "os-open-names", "csv", "geojson" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (s, names[i]) == 0)
      {
        *out = (KsPlacesFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ks_places_format_to_string (KsPlacesFormat format)
{
  switch (format)
    {
    case KS_PLACES_FORMAT_OS_OPEN_NAMES: return "os-open-names";
    case KS_PLACES_FORMAT_CSV: return "csv";
    case KS_PLACES_FORMAT_GEOJSON: return "geojson";
    case KS_PLACES_FORMAT_AUTO:
    default: return "auto";
    }
}

/* ---- the batches ---- */

typedef struct {
  KsStore              *store;
  gint64                body_id;
  GArray               *batch;   /* KsNewPlace, strings in chunk */
  GStringChunk         *chunk;
  GHashTable           *seen;    /* "kind\tname\tcontext" */
  KsPlacesImportResult *out;
  KsPlacesProgressFunc  progress;
  gpointer              user_data;
} Importer;

static gboolean
importer_flush (Importer *im, GError **error)
{
  if (im->batch->len == 0)
    return TRUE;
  if (!ks_store_places_add (im->store, im->body_id, (const KsNewPlace *) im->batch->data,
                            im->batch->len, error))
    return FALSE;
  im->out->added += im->batch->len;
  g_array_set_size (im->batch, 0);
  g_string_chunk_clear (im->chunk);
  if (im->progress)
    im->progress (im->out->added + im->out->duplicates, im->user_data);
  return TRUE;
}

/* where: "line 12" or "feature 3", for errors. */
static gboolean
importer_add (Importer *im, const char *where, const char *kind, const char *name,
              const char *context, double lat, double lon, GError **error)
{
  g_autofree char *key = ks_place_text_key (name);
  g_autofree char *compact = NULL;
  char *seen_key;
  KsNewPlace p;

  if (*key == '\0')
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s: the place has no name (or a name with no letter or digit).", where);
      return FALSE;
    }
  if (!isfinite (lat) || !isfinite (lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s: “%s” is at latitude %g, longitude %g, which is not a point on the "
                   "Earth. Check the order and the system of the coordinates.",
                   where, name, lat, lon);
      return FALSE;
    }
  seen_key = g_strdup_printf ("%s\t%s\t%s", kind, name, context ? context : "");
  if (!g_hash_table_add (im->seen, seen_key))
    {
      im->out->duplicates++;
      return TRUE;
    }
  compact = ks_place_text_compact (key);
  p.kind = g_string_chunk_insert_const (im->chunk, kind);
  p.name = g_string_chunk_insert (im->chunk, name);
  p.context = g_string_chunk_insert (im->chunk, context ? context : "");
  p.key = g_string_chunk_insert (im->chunk, key);
  p.compact = g_string_chunk_insert (im->chunk, compact);
  p.lat = lat;
  p.lon = lon;
  g_array_append_val (im->batch, p);
  if (im->batch->len >= BATCH)
    return importer_flush (im, error);
  return TRUE;
}

/* ---- CSV records (RFC 4180) ---- */

/* GLib reads lines; this splits them into fields and joins the lines of a quoted
 * field that holds a line break. */
typedef struct {
  GDataInputStream *in;
  gint64            line;   /* the line the last record began on */
  gint64            next_line;
} CsvReader;

static void
csv_split (const char *s, GPtrArray *fields)
{
  GString *f = g_string_new (NULL);
  const char *p = s;

  for (;;)
    {
      g_string_truncate (f, 0);
      if (*p == '"')
        {
          p++;
          while (*p)
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (f, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (f, *p++);
            }
          while (*p && *p != ',')
            g_string_append_c (f, *p++);
        }
      else
        while (*p && *p != ',')
          g_string_append_c (f, *p++);
      g_ptr_array_add (fields, g_strdup (g_strstrip (f->str)));
      if (*p != ',')
        break;
      p++;
    }
  g_string_free (f, TRUE);
}

static guint
count_quotes (const char *s)
{
  guint n = 0;

  for (; *s; s++)
    n += *s == '"';
  return n;
}

/* The next record's fields (NULL at the end, or on error with error set). Blank
 * lines are passed over. */
static GPtrArray *
csv_next (CsvReader *r, GError **error)
{
  g_autofree char *line = NULL;
  GPtrArray *fields;
  GString *record;
  gsize len;

  do
    {
      g_clear_pointer (&line, g_free);
      line = g_data_input_stream_read_line_utf8 (r->in, &len, NULL, error);
      r->next_line++;
      if (line == NULL)
        return NULL;
      if (r->next_line == 1 && g_str_has_prefix (line, "\xEF\xBB\xBF"))
        memmove (line, line + 3, strlen (line + 3) + 1);
      g_strchomp (line);
    }
  while (*line == '\0');

  r->line = r->next_line;
  record = g_string_new (line);
  while (count_quotes (record->str) % 2 == 1)
    {
      g_autofree char *more = g_data_input_stream_read_line_utf8 (r->in, &len, NULL, error);

      r->next_line++;
      if (more == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                         "line %" G_GINT64_FORMAT ": a quoted field is never closed.", r->line);
          g_string_free (record, TRUE);
          return NULL;
        }
      g_string_append_c (record, '\n');
      g_string_append (record, more);
    }
  fields = g_ptr_array_new_with_free_func (g_free);
  csv_split (record->str, fields);
  g_string_free (record, TRUE);
  return fields;
}

static gboolean
parse_number (const char *s, double *out)
{
  char *end = NULL;

  if (s == NULL || *s == '\0')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' && isfinite (*out);
}

static const char *
field (GPtrArray *fields, int i)
{
  return i >= 0 && (guint) i < fields->len ? g_ptr_array_index (fields, i) : "";
}

/* "Oxford, OX1": the first of the given that is not empty, then the district. */
static char *
join_context (const char *a, const char *b, const char *district)
{
  const char *place = *a ? a : b;

  if (*place && district && *district)
    return g_strdup_printf ("%s, %s", place, district);
  return g_strdup (*place ? place : (district ? district : ""));
}

static gboolean
read_os_open_names (Importer *im, CsvReader *r, GPtrArray *first, GError **error)
{
  GPtrArray *next = first;

  while (next != NULL || (next = csv_next (r, error)) != NULL)
    {
      g_autoptr(GPtrArray) fields = g_steal_pointer (&next);
      g_autofree char *where = g_strdup_printf ("line %" G_GINT64_FORMAT, r->line);
      g_autofree char *context = NULL;
      const char *local_type, *kind;
      double x, y, lat, lon;

      if (g_strcmp0 (field (fields, 0), "ID") == 0 && r->line == 1)
        continue;   /* the header row, when the file has one */
      if (fields->len < OSN_DISTRICT_BOROUGH + 1)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "%s: %u columns, where OS Open Names has %d. Is this an OS Open Names "
                       "file? Give --format csv for a file with a header row.",
                       where, fields->len, OSN_N_COLUMNS);
          return FALSE;
        }
      if (!parse_number (field (fields, OSN_GEOMETRY_X), &x) ||
          !parse_number (field (fields, OSN_GEOMETRY_Y), &y))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "%s: GEOMETRY_X “%s” and GEOMETRY_Y “%s” are not an easting and a "
                       "northing in metres.", where, field (fields, OSN_GEOMETRY_X),
                       field (fields, OSN_GEOMETRY_Y));
          return FALSE;
        }
      if (x < -100000 || x > 800000 || y < -100000 || y > 1400000)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "%s: easting %g and northing %g are outside the British National Grid.",
                       where, x, y);
          return FALSE;
        }
      if (!ks_bng_to_wgs84 (x, y, &lat, &lon, error))
        {
          g_prefix_error (error, "%s: ", where);
          return FALSE;
        }
      local_type = field (fields, OSN_LOCAL_TYPE);
      if (g_strcmp0 (local_type, "Postcode") == 0)
        {
          kind = "postcode";
          context = join_context (field (fields, OSN_POPULATED_PLACE),
                                  field (fields, OSN_DISTRICT_BOROUGH), NULL);
        }
      else
        {
          kind = g_strcmp0 (field (fields, OSN_TYPE), "transportNetwork") == 0 ? "street" : "place";
          context = join_context (field (fields, OSN_POPULATED_PLACE),
                                  field (fields, OSN_DISTRICT_BOROUGH),
                                  field (fields, OSN_POSTCODE_DISTRICT));
        }
      if (!importer_add (im, where, kind, field (fields, OSN_NAME1), context, lat, lon, error))
        return FALSE;
    }
  return error == NULL || *error == NULL;
}

static int
column_of (GPtrArray *header, const char * const *names)
{
  for (guint i = 0; i < header->len; i++)
    for (guint j = 0; names[j] != NULL; j++)
      if (g_ascii_strcasecmp (g_ptr_array_index (header, i), names[j]) == 0)
        return (int) i;
  return -1;
}

static const char *
kind_of (const char *given, const char *name)
{
  if (given != NULL && *given != '\0')
    {
      if (g_ascii_strcasecmp (given, "postcode") == 0)
        return "postcode";
      if (g_ascii_strcasecmp (given, "street") == 0 || g_ascii_strcasecmp (given, "road") == 0)
        return "street";
      return "place";
    }
  return ks_place_text_is_postcode (name) ? "postcode" : "street";
}

static gboolean
read_csv (Importer *im, CsvReader *r, GPtrArray *header, GError **error)
{
  static const char * const name_cols[] = { "name", "street", "postcode", "place", NULL };
  static const char * const lat_cols[] = { "lat", "latitude", NULL };
  static const char * const lon_cols[] = { "lon", "lng", "long", "longitude", NULL };
  static const char * const kind_cols[] = { "kind", "type", NULL };
  static const char * const context_cols[] = { "context", "locality", "town", "area", NULL };
  g_autoptr(GPtrArray) head = header;
  g_autoptr(GPtrArray) fields = NULL;
  int c_name = column_of (header, name_cols), c_lat = column_of (header, lat_cols);
  int c_lon = column_of (header, lon_cols), c_kind = column_of (header, kind_cols);
  int c_context = column_of (header, context_cols);

  if (c_name < 0 || c_lat < 0 || c_lon < 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "line 1: the header row must name a “name” (or “street”, “postcode”), "
                   "a “lat” (or “latitude”) and a “lon” (or “lng”, “longitude”) column.");
      return FALSE;
    }
  while ((fields = csv_next (r, error)) != NULL)
    {
      g_autofree char *where = g_strdup_printf ("line %" G_GINT64_FORMAT, r->line);
      const char *name = field (fields, c_name);
      const char *kind = c_kind >= 0 ? field (fields, c_kind) : NULL;
      double lat, lon;

      if (!parse_number (field (fields, c_lat), &lat) || !parse_number (field (fields, c_lon), &lon))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "%s: latitude “%s” and longitude “%s” must be numbers in degrees.",
                       where, field (fields, c_lat), field (fields, c_lon));
          return FALSE;
        }
      if (!importer_add (im, where, kind_of (kind, name), name,
                         c_context >= 0 ? field (fields, c_context) : "", lat, lon, error))
        return FALSE;
      g_clear_pointer (&fields, g_ptr_array_unref);
    }
  return error == NULL || *error == NULL;
}

/* ---- GeoJSON ---- */

static gboolean
position (JsonArray *pos, double *lat, double *lon)
{
  JsonNode *x, *y;

  if (pos == NULL || json_array_get_length (pos) < 2)
    return FALSE;
  x = json_array_get_element (pos, 0);
  y = json_array_get_element (pos, 1);
  if (json_node_get_value_type (x) != G_TYPE_DOUBLE && json_node_get_value_type (x) != G_TYPE_INT64)
    return FALSE;
  if (json_node_get_value_type (y) != G_TYPE_DOUBLE && json_node_get_value_type (y) != G_TYPE_INT64)
    return FALSE;
  *lon = json_node_get_double (x);
  *lat = json_node_get_double (y);
  return TRUE;
}

static JsonArray *
array_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* The middle vertex of a line. */
static gboolean
line_middle (JsonArray *line, double *lat, double *lon)
{
  JsonNode *n;
  guint len = line ? json_array_get_length (line) : 0;

  if (len == 0)
    return FALSE;
  n = json_array_get_element (line, len / 2);
  return JSON_NODE_HOLDS_ARRAY (n) && position (json_node_get_array (n), lat, lon);
}

/* A point for the feature's geometry: the point, or the middle of its (longest)
 * line. FALSE for other geometries. */
static gboolean
geometry_point (JsonObject *geometry, double *lat, double *lon)
{
  const char *type = geometry ? json_object_get_string_member_with_default (geometry, "type", "") : "";
  JsonArray *coords = array_member (geometry, "coordinates");

  if (coords == NULL)
    return FALSE;
  if (strcmp (type, "Point") == 0)
    return position (coords, lat, lon);
  if (strcmp (type, "LineString") == 0)
    return line_middle (coords, lat, lon);
  if (strcmp (type, "MultiLineString") == 0)
    {
      JsonArray *longest = NULL;

      for (guint i = 0; i < json_array_get_length (coords); i++)
        {
          JsonNode *n = json_array_get_element (coords, i);

          if (JSON_NODE_HOLDS_ARRAY (n) &&
              (longest == NULL ||
               json_array_get_length (json_node_get_array (n)) > json_array_get_length (longest)))
            longest = json_node_get_array (n);
        }
      return line_middle (longest, lat, lon);
    }
  return FALSE;
}

static const char *
string_member (JsonObject *o, const char * const *names)
{
  for (guint i = 0; o != NULL && names[i] != NULL; i++)
    {
      JsonNode *n = json_object_get_member (o, names[i]);

      if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        return json_node_get_string (n);
    }
  return NULL;
}

static gboolean
read_geojson (Importer *im, const char *path, GError **error)
{
  static const char * const name_props[] = { "name", "street", "postcode", NULL };
  static const char * const kind_props[] = { "kind", "type", NULL };
  static const char * const context_props[] = { "context", "locality", "town", NULL };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonArray *features;

  if (!json_parser_load_from_mapped_file (parser, path, error))
    return FALSE;
  root = json_parser_get_root (parser);
  features = root && JSON_NODE_HOLDS_OBJECT (root) ?
             array_member (json_node_get_object (root), "features") : NULL;
  if (features == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s is not a GeoJSON FeatureCollection (an object with “features”).", path);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      g_autofree char *where = g_strdup_printf ("feature %u", i + 1);
      JsonNode *fn = json_array_get_element (features, i);
      JsonObject *f = JSON_NODE_HOLDS_OBJECT (fn) ? json_node_get_object (fn) : NULL;
      JsonNode *pn = f ? json_object_get_member (f, "properties") : NULL;
      JsonNode *gn = f ? json_object_get_member (f, "geometry") : NULL;
      JsonObject *props = pn && JSON_NODE_HOLDS_OBJECT (pn) ? json_node_get_object (pn) : NULL;
      JsonObject *geometry = gn && JSON_NODE_HOLDS_OBJECT (gn) ? json_node_get_object (gn) : NULL;
      const char *name = string_member (props, name_props);
      const char *context = string_member (props, context_props);
      double lat, lon;

      if (name == NULL)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "%s: its properties have no “name” (or “street”, “postcode”).", where);
          return FALSE;
        }
      if (!geometry_point (geometry, &lat, &lon))
        {
          im->out->skipped++;
          continue;
        }
      if (!importer_add (im, where, kind_of (string_member (props, kind_props), name), name,
                         context ? context : "", lat, lon, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the import ---- */

static gboolean
read_file (Importer *im, const char *path, KsPlacesFormat format, GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  GPtrArray *first;
  CsvReader r = { 0 };

  if (format == KS_PLACES_FORMAT_AUTO &&
      (g_str_has_suffix (path, ".geojson") || g_str_has_suffix (path, ".json")))
    format = KS_PLACES_FORMAT_GEOJSON;
  if (format == KS_PLACES_FORMAT_GEOJSON)
    {
      im->out->format = format;
      return read_geojson (im, path, error);
    }

  file = g_file_new_for_commandline_arg (path);
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return FALSE;
  in = g_data_input_stream_new (G_INPUT_STREAM (stream));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  r.in = in;
  first = csv_next (&r, error);
  if (first == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s is empty.", path);
      return FALSE;
    }
  if (format == KS_PLACES_FORMAT_AUTO)
    format = first->len >= OSN_DISTRICT_BOROUGH + 1 ? KS_PLACES_FORMAT_OS_OPEN_NAMES
                                                    : KS_PLACES_FORMAT_CSV;
  im->out->format = format;
  if (format == KS_PLACES_FORMAT_OS_OPEN_NAMES)
    return read_os_open_names (im, &r, first, error);
  return read_csv (im, &r, first, error);
}

static char *
audit_details (const char *path, const KsPlacesImportResult *out)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *base = g_path_get_basename (path);
  KsJsonWriter w;

  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "via", "command line");
  ks_json_writer_member_string (&w, "file", base);
  ks_json_writer_member_string (&w, "format", ks_places_format_to_string (out->format));
  ks_json_writer_member_int (&w, "added", out->added);
  ks_json_writer_member_int (&w, "removed", out->removed);
  ks_json_writer_member_int (&w, "duplicates", out->duplicates);
  ks_json_writer_member_int (&w, "skipped", out->skipped);
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
ks_places_import (KsStore               *store,
                  const KsPrincipal     *who,
                  gint64                 body_id,
                  const char            *path,
                  KsPlacesFormat         format,
                  KsPlacesProgressFunc   progress,
                  gpointer               user_data,
                  KsPlacesImportResult  *out,
                  GError               **error)
{
  g_autofree char *details = NULL;
  Importer im = {
    .store = store,
    .body_id = body_id,
    .batch = g_array_sized_new (FALSE, FALSE, sizeof (KsNewPlace), BATCH),
    .chunk = g_string_chunk_new (64 * 1024),
    .seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .out = out,
    .progress = progress,
    .user_data = user_data,
  };
  gboolean ok;

  memset (out, 0, sizeof *out);
  ok = ks_store_begin_write (store, error);
  if (ok)
    {
      ok = ks_store_places_clear (store, body_id, &out->removed, error) &&
           read_file (&im, path, format, error) &&
           importer_flush (&im, error);
      if (ok && out->added == 0)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "%s holds no place: the council's places are left as they were.", path);
          ok = FALSE;
        }
      if (ok)
        {
          details = audit_details (path, out);
          ok = ks_store_audit (store, who, body_id, "places_import", "body", body_id,
                               details, error) &&
               ks_store_commit (store, error);
        }
      if (!ok)
        ks_store_rollback (store);
    }
  g_array_unref (im.batch);
  g_string_chunk_free (im.chunk);
  g_hash_table_unref (im.seen);
  return ok;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-nearby.c: the open reports of the same category near a report or a
 * point, nearest first (duplicate suggestions). From the server's indexed query
 * while it can be reached; when it cannot (an inspector in the field without a
 * signal), from the app's own copy of the reports, with the category's radius
 * from the catalogue: the same answer's shape, marked "offline": true. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"
#include "ks-geo.h"
#include "ks-states.h"

#include <math.h>

#define NEARBY_LIMIT   10    /* the server's default */
#define DEFAULT_RADIUS 50

typedef struct {
  gint64 report_id;    /* left out (0: a point) */
  double lat;
  double lon;
  gint64 category_id;
} Around;

/* Whether state is open (a built-in state or a council's own, by its kind). */
static gboolean
state_is_open (const char *state)
{
  const KsState *known = ks_state_lookup (state);

  return known != NULL && known->kind == KS_STATE_KIND_OPEN;
}

static gint64
category_radius (KsSession *self,
                 gint64     category_id)
{
  for (guint i = 0; self->categories && i < json_array_get_length (self->categories); i++)
    {
      JsonObject *c = json_array_get_object_element (self->categories, i);

      if (c && json_object_get_int_member_with_default (c, "id", 0) == category_id)
        return json_object_get_int_member_with_default (c, "duplicate_radius", DEFAULT_RADIUS);
    }
  return DEFAULT_RADIUS;
}

typedef struct {
  KsReport *report;
  double    distance;
} Near;

static int
compare_near (gconstpointer a,
              gconstpointer b)
{
  const Near *x = a, *y = b;
  gint64 dx = (gint64) round (x->distance), dy = (gint64) round (y->distance);

  if (dx != dy)
    return dx < dy ? -1 : 1;
  return ks_report_get_id (x->report) < ks_report_get_id (y->report) ? -1 : 1;
}

/* The answer worked out from the reports the app holds. */
static JsonObject *
nearby_here (KsSession    *self,
             const Around *around)
{
  GListModel *reports = G_LIST_MODEL (self->store);
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (Near));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *answer = json_object_new ();
  JsonArray *list = json_array_new ();
  gint64 radius = category_radius (self, around->category_id);

  for (guint i = 0; radius > 0 && i < g_list_model_get_n_items (reports); i++)
    {
      KsReport *r = g_list_model_get_item (reports, i);
      Near n = { r, 0 };

      g_ptr_array_add (keep, r);
      if (ks_report_get_id (r) == around->report_id ||
          ks_report_get_category_id (r) != around->category_id ||
          !state_is_open (ks_report_get_state (r)))
        continue;
      n.distance = ks_geo_distance_m (around->lat, around->lon, ks_report_get_lat (r), ks_report_get_lon (r));
      if (n.distance <= radius)
        g_array_append_val (near, n);
    }
  g_array_sort (near, compare_near);
  for (guint i = 0; i < near->len && i < NEARBY_LIMIT; i++)
    {
      Near *n = &g_array_index (near, Near, i);
      KsReport *r = n->report;
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "id", ks_report_get_id (r));
      json_object_set_string_member (o, "title", ks_report_get_title (r));
      json_object_set_int_member (o, "category_id", ks_report_get_category_id (r));
      json_object_set_string_member (o, "category", ks_report_get_category (r));
      json_object_set_string_member (o, "state", ks_report_get_state (r));
      json_object_set_double_member (o, "lat", ks_report_get_lat (r));
      json_object_set_double_member (o, "lon", ks_report_get_lon (r));
      json_object_set_string_member (o, "ward", ks_report_get_ward (r));
      json_object_set_int_member (o, "version", ks_report_get_version (r));
      json_object_set_int_member (o, "distance", (gint64) round (n->distance));
      json_array_add_object_element (list, o);
    }
  json_object_set_int_member (answer, "radius", radius);
  json_object_set_array_member (answer, "reports", list);
  json_object_set_boolean_member (answer, "offline", TRUE);
  return answer;
}

/* The server cannot be reached: answer from the app's copy. Other errors (a
 * report the person may not see, bad input) stay the server's. */
static void
nearby_failed (KsClient *client,
               GTask    *task,
               GError   *error,
               JsonNode *error_body)
{
  KsSession *self = g_task_get_source_object (task);
  Around *around = g_task_get_task_data (task);

  if (!g_error_matches (error, KS_ERROR, KS_ERROR_UNAVAILABLE) || self->store == NULL ||
      around->category_id == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("nearby: %s; from the reports the app holds", error->message);
  g_error_free (error);
  g_task_return_pointer (task, nearby_here (self, around), (GDestroyNotify) json_object_unref);
}

static void
nearby_call (KsSession           *self,
             const char          *path,
             Around              *around,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = ks_client_task_new (self, source_tag, cancellable, callback, user_data);

  g_task_set_task_data (task, around, g_free);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                               "Sign in to see the reports nearby.");
      return;
    }
  ks_client_call_full (self->client, task, "GET", path, NULL, cancellable,
                       ks_client_answer_object, nearby_failed);
}

void
ks_session_nearby_async (KsSession           *self,
                         gint64               report_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *path = NULL;
  Around *around = g_new0 (Around, 1);
  KsReport *report;

  g_return_if_fail (KS_IS_SESSION (self));
  around->report_id = report_id;
  /* Offline, the report as the app holds it gives the point and category. */
  if (self->store != NULL && (report = ks_report_store_lookup (self->store, report_id)) != NULL)
    {
      around->lat = ks_report_get_lat (report);
      around->lon = ks_report_get_lon (report);
      around->category_id = ks_report_get_category_id (report);
    }
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/nearby", report_id);
  nearby_call (self, path, around, ks_session_nearby_async, cancellable, callback, user_data);
}

void
ks_session_nearby_point_async (KsSession           *self,
                               double               lat,
                               double               lon,
                               gint64               category_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  char lat_s[G_ASCII_DTOSTR_BUF_SIZE], lon_s[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *path = NULL;
  Around *around = g_new0 (Around, 1);

  g_return_if_fail (KS_IS_SESSION (self));
  *around = (Around) { 0, lat, lon, category_id };
  g_ascii_formatd (lat_s, sizeof lat_s, "%.7f", lat);
  g_ascii_formatd (lon_s, sizeof lon_s, "%.7f", lon);
  path = g_strdup_printf ("/api/v1/nearby?lat=%s&lon=%s&category_id=%" G_GINT64_FORMAT,
                          lat_s, lon_s, category_id);
  nearby_call (self, path, around, ks_session_nearby_point_async, cancellable, callback, user_data);
}

JsonObject *
ks_session_nearby_finish (KsSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ks_client_task_finish_pointer (self, result, error);
}

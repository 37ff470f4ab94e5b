/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-boundaries.c: the prepared boundaries of every council, loaded again when
 * the store's counter says that someone imported new ones (see ks-boundaries.h). */
#define G_LOG_DOMAIN "ks-boundaries"

#include "councils/ks-boundaries.h"
#include "ks-error.h"
#include "ks-json-writer.h"

#define REWARD_BATCH 1000

/* One cache for the process: a server serves one store. */
static GMutex      cache_lock;
static KsStore    *cache_store;      /* not a reference: only compared */
static gint64      cache_version = -1;
static GHashTable *cache_sets;       /* body id -> KsBoundarySet, or NULL: none */

void
ks_ward_at_clear (KsWardAt *at)
{
  g_clear_pointer (&at->ward, g_free);
}

static void
set_free (gpointer set)
{
  ks_boundary_set_free (set);
}

void
ks_boundaries_reset (void)
{
  g_mutex_lock (&cache_lock);
  g_clear_pointer (&cache_sets, g_hash_table_unref);
  cache_store = NULL;
  cache_version = -1;
  g_mutex_unlock (&cache_lock);
}

static void
add_row (const KsBoundaryRow *row,
         gpointer             user_data)
{
  ks_boundary_set_add_row (user_data, row);
}

/* The council's set (NULL: none imported), loading it when the cache does not
 * hold it. Called with cache_lock held. */
static gboolean
cached_set (KsStore        *store,
            gint64          body_id,
            gint64          version,
            KsBoundarySet **out,
            GError        **error)
{
  KsBoundarySet *set;
  gpointer value;

  if (cache_store != store || cache_version != version || cache_sets == NULL)
    {
      g_clear_pointer (&cache_sets, g_hash_table_unref);
      cache_sets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, set_free);
      cache_store = store;
      cache_version = version;
    }
  if (g_hash_table_lookup_extended (cache_sets, &body_id, NULL, &value))
    {
      *out = value;
      return TRUE;
    }
  set = ks_boundary_set_new ();
  if (!ks_store_councils_boundaries_load (store, body_id, add_row, set, error))
    {
      ks_boundary_set_free (set);
      return FALSE;
    }
  /* NULL without an error: nothing imported for this council. */
  set = ks_boundary_set_finish (set, error);
  if (set == NULL && error != NULL && *error != NULL)
    return FALSE;
  g_hash_table_insert (cache_sets, g_memdup2 (&body_id, sizeof body_id), set);
  *out = set;
  return TRUE;
}

gboolean
ks_boundaries_locate (KsStore   *store,
                      gint64     body_id,
                      double     lat,
                      double     lon,
                      KsWardAt  *out,
                      GError   **error)
{
  KsBoundarySet *set = NULL;
  gint64 version = 0;
  gboolean ok;

  out->has_boundaries = FALSE;
  out->inside = TRUE;
  out->ward = NULL;
  if (!ks_store_councils_boundaries_version (store, &version, error))
    return FALSE;
  g_mutex_lock (&cache_lock);
  ok = cached_set (store, body_id, version, &set, error);
  if (ok && set != NULL)
    {
      out->has_boundaries = TRUE;
      out->inside = ks_boundary_set_locate (set, lat, lon, &out->ward);
    }
  g_mutex_unlock (&cache_lock);
  return ok;
}

gboolean
ks_boundaries_ward (KsStore   *store,
                    gint64     body_id,
                    double     lat,
                    double     lon,
                    gint64     except_report_id,
                    gboolean  *inside,
                    char     **out_ward,
                    GError   **error)
{
  g_auto(KsWardAt) at = { 0 };

  *inside = TRUE;
  *out_ward = NULL;
  if (!ks_boundaries_locate (store, body_id, lat, lon, &at, error))
    return FALSE;
  if (at.has_boundaries)
    {
      *inside = at.inside;
      *out_ward = at.ward ? g_steal_pointer (&at.ward) : g_strdup ("");
      return TRUE;
    }
  if (!ks_store_actions_ward_at (store, body_id, lat, lon, except_report_id, out_ward, error))
    return FALSE;
  if (*out_ward == NULL)
    *out_ward = g_strdup ("");
  return TRUE;
}

char *
ks_boundaries_outside_message (KsStore *store,
                               gint64   body_id,
                               double   lat,
                               double   lon)
{
  g_auto(KsBodyRow) body = { 0 };
  g_autoptr(GError) error = NULL;
  const char *name = NULL;

  if (ks_store_admin_get_body (store, body_id, &body, &error))
    name = body.area_name && *body.area_name ? body.area_name : body.name;
  return g_strdup_printf ("The point %.6f, %.6f is outside %s's area: this council does not "
                          "look after it. Check the location, or report it to the council "
                          "whose area it is in.", lat, lon, name ? name : "the council");
}

gboolean
ks_boundaries_preload (KsStore  *store,
                       GError  **error)
{
  g_autoptr(GArray) ids = NULL;

  if (!ks_store_councils_list_bodies (store, &ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(KsWardAt) at = { 0 };

      if (!ks_boundaries_locate (store, g_array_index (ids, gint64, i), 0, 0, &at, error))
        return FALSE;
    }
  return TRUE;
}

static char *
reward_details (const char *via,
                gint64      checked,
                gint64      changed)
{
  g_autoptr(GString) s = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "reports", checked);
  ks_json_writer_member_int (&w, "changed", changed);
  if (via != NULL)
    ks_json_writer_member_string (&w, "via", via);
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* One batch: the wards of up to REWARD_BATCH reports after *after_id. */
static gboolean
reward_batch (KsStore       *store,
              gint64         body_id,
              KsBoundarySet *set,
              gint64        *after_id,
              gint64        *checked,
              gint64        *changed,
              gboolean      *more,
              GError       **error)
{
  g_autoptr(GArray) points = NULL;

  if (!ks_store_councils_report_points (store, body_id, *after_id, REWARD_BATCH, &points,
                                        error))
    return FALSE;
  for (guint i = 0; i < points->len; i++)
    {
      KsReportPoint *p = &g_array_index (points, KsReportPoint, i);
      g_autofree char *ward = NULL;

      ks_boundary_set_locate (set, p->lat, p->lon, &ward);
      if (g_strcmp0 (ward ? ward : "", p->ward) != 0)
        {
          if (!ks_store_councils_set_report_ward (store, p->id, ward ? ward : "", error))
            return FALSE;
          (*changed)++;
        }
      *after_id = p->id;
    }
  *checked += points->len;
  *more = points->len == REWARD_BATCH;
  return TRUE;
}

gboolean
ks_boundaries_import (KsStore          *store,
                      gint64            body_id,
                      KsBoundarySet    *set,
                      const char       *via,
                      const char       *details_json,
                      KsRewardProgress  progress,
                      gpointer          user_data,
                      gint64           *out_checked,
                      gint64           *out_changed,
                      GError          **error)
{
  g_autofree char *details = NULL;
  const KsBoundaryRow *rows;
  gint64 after_id = 0, checked = 0, changed = 0;
  gboolean more = TRUE;
  guint n_rows = 0;

  rows = ks_boundary_set_rows (set, &n_rows);
  if (!ks_store_begin_write (store, error))
    return FALSE;
  if (!ks_store_councils_boundaries_replace (store, body_id, ks_boundary_set_area_name (set),
                                             rows, n_rows, error) ||
      !ks_store_audit (store, NULL, body_id, "import_boundaries", "body", body_id,
                       details_json, error) ||
      !ks_store_commit (store, error))
    {
      ks_store_rollback (store);
      return FALSE;
    }
  while (more)
    {
      if (!ks_store_begin_write (store, error))
        return FALSE;
      if (!reward_batch (store, body_id, set, &after_id, &checked, &changed, &more, error) ||
          !ks_store_commit (store, error))
        {
          ks_store_rollback (store);
          return FALSE;
        }
      if (progress != NULL)
        progress (checked, changed, user_data);
    }
  details = reward_details (via, checked, changed);
  if (!ks_store_begin_write (store, error))
    return FALSE;
  if (!ks_store_audit (store, NULL, body_id, "reward_reports", "body", body_id, details, error) ||
      !ks_store_commit (store, error))
    {
      ks_store_rollback (store);
      return FALSE;
    }
  if (out_checked != NULL)
    *out_checked = checked;
  if (out_changed != NULL)
    *out_changed = changed;
  return TRUE;
}

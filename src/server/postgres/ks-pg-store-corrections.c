/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-corrections.c: corrections to a report in PostgreSQL: its category,
 * its place, and its answers to the category's questions (with the answers a
 * correction replaced kept in attribute_history). The same statements as the
 * SQLite store's (ks-sqlite-store-corrections.c); the ward lookup itself is the
 * actions' (ks-pg-store-actions.c), shared with new reports. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-report-rows.h"
#include "ks-time.h"

static gboolean
no_such_report (GError **error)
{
  g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
               "There is no such report. Check the number, or refresh your list.");
  return FALSE;
}

static gboolean
get_location (KsStore *store, gint64 report_id, double *out_lat, double *out_lon,
              char **out_address, GError **error)
{
  static const KsPgStatement st = { "corrections_get_location",
    "SELECT lat, lon, address FROM reports WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return no_such_report (error);
  *out_lat = ks_pg_double (res, 0, 0);
  *out_lon = ks_pg_double (res, 0, 1);
  *out_address = ks_pg_null (res, 0, 2) ? NULL : g_strdup (ks_pg_text (res, 0, 2));
  return TRUE;
}

static gboolean
correct_report (KsStore *store, gint64 report_id, const KsReportCorrection *c, GError **error)
{
  static const KsPgStatement st = { "corrections_correct_report",
    "UPDATE reports SET version = version + 1, updated = $1, seq = $2, "
    "  category_id = CASE WHEN $3::boolean THEN $4::bigint ELSE category_id END, "
    "  priority_id = CASE WHEN $5::boolean THEN NULL ELSE priority_id END, "
    "  lat = CASE WHEN $6::boolean THEN $7::float8 ELSE lat END, "
    "  lon = CASE WHEN $6::boolean THEN $8::float8 ELSE lon END, "
    "  ward = CASE WHEN $6::boolean THEN $9::text ELSE ward END, "
    "  address = CASE WHEN $10::boolean THEN $11::text ELSE address END "
    "WHERE id = $12" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 n_changed = 0;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, seq);
  ks_pg_args_bool (&args, c->set_category);
  ks_pg_args_int (&args, c->category_id);
  ks_pg_args_bool (&args, c->clear_priority);
  ks_pg_args_bool (&args, c->set_location);
  ks_pg_args_double (&args, c->lat);
  ks_pg_args_double (&args, c->lon);
  ks_pg_args_text (&args, c->ward ? c->ward : "");
  ks_pg_args_bool (&args, c->set_address);
  ks_pg_args_text (&args, c->address);
  ks_pg_args_int (&args, report_id);
  if (!ks_pg_store_exec (store, &st, &args, &n_changed, error))
    return FALSE;
  if (n_changed != 1)
    return no_such_report (error);
  return TRUE;
}

static gboolean
get_attributes (KsStore *store, gint64 report_id, GPtrArray **out_pairs, GError **error)
{
  static const KsPgStatement st = { "corrections_get_attributes",
    "SELECT code, value FROM report_attributes WHERE report_id = $1 ORDER BY position" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  GPtrArray *pairs;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  pairs = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_ptr_array_add (pairs, g_strdup (ks_pg_text (res, i, 0)));
      g_ptr_array_add (pairs, g_strdup (ks_pg_text (res, i, 1)));
    }
  *out_pairs = pairs;
  return TRUE;
}

/* Inserts n_pairs pairs with the statement st (owner, position, code, value), at
 * positions from 0. */
static gboolean
insert_pairs (KsStore *store, const KsPgStatement *st, gint64 owner_id,
              const char * const *pairs, guint n_pairs, GError **error)
{
  for (guint i = 0; i < n_pairs; i++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, owner_id);
      ks_pg_args_int (&args, i);
      ks_pg_args_text (&args, pairs[2 * i]);
      ks_pg_args_text (&args, pairs[2 * i + 1]);
      if (!ks_pg_store_exec (store, st, &args, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_attributes (KsStore *store, gint64 report_id, const char * const *pairs, guint n_pairs,
                GError **error)
{
  static const KsPgStatement del = { "corrections_clear_attributes",
    "DELETE FROM report_attributes WHERE report_id = $1" };
  static const KsPgStatement ins = { "corrections_add_attribute",
    "INSERT INTO report_attributes (report_id, position, code, value) VALUES ($1, $2, $3, $4)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, report_id);
  if (!ks_pg_store_exec (store, &del, &args, NULL, error))
    return FALSE;
  return insert_pairs (store, &ins, report_id, pairs, n_pairs, error);
}

static gboolean
keep_attributes (KsStore *store, gint64 update_id, const char * const *pairs, guint n_pairs,
                 GError **error)
{
  static const KsPgStatement ins = { "corrections_keep_attribute",
    "INSERT INTO attribute_history (update_id, position, code, value) VALUES ($1, $2, $3, $4)" };

  return insert_pairs (store, &ins, update_id, pairs, n_pairs, error);
}

void
ks_pg_store_corrections_init (KsStoreActionsVTable *vtable)
{
  vtable->get_location = get_location;
  vtable->correct_report = correct_report;
  vtable->get_attributes = get_attributes;
  vtable->set_attributes = set_attributes;
  vtable->keep_attributes = keep_attributes;
}

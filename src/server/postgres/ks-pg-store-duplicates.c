/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-duplicates.c: duplicate links and the box query of nearby
 * suggestions in PostgreSQL (the box from the GiST index on pos). The same
 * statements as the SQLite store's (ks-sqlite-store-duplicates.c). */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-read-ahead.h"
#include "postgres/ks-pg-report-rows.h"

static gboolean
get_link (KsStore *store, gint64 report_id, gboolean *found, KsDuplicateLink *out,
          GError **error)
{
  static const KsPgStatement st = { "duplicates_get_link",
    "SELECT duplicate_of, state_before_duplicate, lat, lon FROM reports WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    {
      out->of = ks_pg_int (res, 0, 0);
      out->state_before = ks_pg_null (res, 0, 1) ? NULL : g_strdup (ks_pg_text (res, 0, 1));
      out->lat = ks_pg_double (res, 0, 2);
      out->lon = ks_pg_double (res, 0, 3);
    }
  return TRUE;
}

static gboolean
set_link (KsStore *store, gint64 report_id, gint64 of, const char *state_before,
          GError **error)
{
  static const KsPgStatement st = { "duplicates_set_link",
    "UPDATE reports SET duplicate_of = $1::bigint, state_before_duplicate = $2 WHERE id = $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_id (&args, of);
  ks_pg_args_text (&args, of != 0 ? state_before : NULL);
  ks_pg_args_int (&args, report_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
touch (KsStore *store, gint64 report_id, GError **error)
{
  static const KsPgStatement st = { "duplicates_touch",
    "UPDATE reports SET seq = $1 WHERE id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  ks_pg_args_int (&args, seq);
  ks_pg_args_int (&args, report_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

/* The links of many reports, read ahead: the same columns, then the report's id. */
gboolean
ks_pg_store_duplicates_read_ahead (KsStore *store, const char *ids, GError **error)
{
  static const KsPgStatement st = { "duplicates_links_ahead",
    "SELECT 0, o.id, o.title, o.state, r.id FROM reports r "
    "  JOIN reports o ON o.id = r.duplicate_of WHERE r.id = ANY ($1::bigint[]) "
    "UNION ALL "
    "SELECT 1, d.id, d.title, d.state, d.duplicate_of FROM reports d "
    "WHERE d.duplicate_of = ANY ($1::bigint[]) "
    "ORDER BY 5, 1, 2" };

  return ks_pg_ahead_read (store, KS_PG_AHEAD_LINKS, &st, ids, error);
}

static gboolean
links (KsStore *store, gint64 report_id, KsDuplicateLinkFunc func, gpointer user_data,
       GError **error)
{
  static const KsPgStatement st = { "duplicates_links",
    "SELECT 0, o.id, o.title, o.state FROM reports r JOIN reports o ON o.id = r.duplicate_of "
    "WHERE r.id = $1 "
    "UNION ALL "
    "SELECT 1, d.id, d.title, d.state FROM reports d WHERE d.duplicate_of = $1 "
    "ORDER BY 1, 2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) owned = NULL;
  const PGresult *res;
  int first, n;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_ahead_or_query (store, KS_PG_AHEAD_LINKS, report_id, &st, &args, &owned,
                                   &first, &n, error)) == NULL)
    return FALSE;
  for (int i = first; i < first + n; i++)
    func (ks_pg_int (res, i, 0) == 0, ks_pg_int (res, i, 1), ks_pg_text (res, i, 2),
          ks_pg_text (res, i, 3), user_data);
  return TRUE;
}

static gboolean
category_radius (KsStore *store, gint64 category_id, gboolean *found, gint64 *out_body_id,
                 gint64 *out_radius, GError **error)
{
  static const KsPgStatement st = { "duplicates_category_radius",
    "SELECT body_id, duplicate_radius FROM categories WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, category_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    {
      *out_body_id = ks_pg_int (res, 0, 0);
      *out_radius = ks_pg_int (res, 0, 1);
    }
  return TRUE;
}

static gboolean
in_box (KsStore *store, gint64 body_id, gint64 category_id, const KsBBox *box,
        KsReportRowFunc func, gpointer user_data, GError **error)
{
  /* The GiST index gives the points in the box; PostgreSQL's geometric
   * comparisons allow 1e-6 of slack, so the exact test follows. */
  static const KsPgStatement st = { "duplicates_in_box",
    "SELECT " KS_PG_LIST_COLUMNS " FROM reports r" KS_PG_LIST_FROM " "
    "WHERE r.pos <@ box (point ($3, $1), point ($4, $2)) "
    "  AND r.lat BETWEEN $1 AND $2 AND r.lon BETWEEN $3 AND $4 "
    "  AND r.body_id = $5 AND r.category_id = $6" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_double (&args, box->min_lat);
  ks_pg_args_double (&args, box->max_lat);
  ks_pg_args_double (&args, box->min_lon);
  ks_pg_args_double (&args, box->max_lon);
  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, category_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsReportRow r;

      ks_pg_report_row_list (&r, res, i);
      func (&r, (guint) i, user_data);
    }
  return TRUE;
}

void
ks_pg_store_duplicates_init (KsStoreDuplicatesVTable *vtable)
{
  vtable->get_link = get_link;
  vtable->set_link = set_link;
  vtable->touch = touch;
  vtable->links = links;
  vtable->category_radius = category_radius;
  vtable->in_box = in_box;
}

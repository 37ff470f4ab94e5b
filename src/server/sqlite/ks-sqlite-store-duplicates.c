/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-duplicates.c: duplicate links and the box query of nearby
 * suggestions in SQLite (the box from the reports_rtree index). */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-report-rows.h"
#include "store/ks-store.h"

static gboolean
get_link (KsStore *store, gint64 report_id, gboolean *found, KsDuplicateLink *out,
          GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT duplicate_of, state_before_duplicate, lat, lon FROM reports WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    {
      out->of = ks_col_int (st, 0);
      out->state_before = ks_col_null (st, 1) ? NULL : g_strdup (ks_col_text (st, 1));
      out->lat = sqlite3_column_double (st, 2);
      out->lon = sqlite3_column_double (st, 3);
    }
  return TRUE;
}

static gboolean
set_link (KsStore *store, gint64 report_id, gint64 of, const char *state_before,
          GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE reports SET duplicate_of = ?, state_before_duplicate = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  ks_bind_id (st, 1, of);
  ks_bind_text (st, 2, of != 0 ? state_before : NULL);
  sqlite3_bind_int64 (st, 3, report_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
touch (KsStore *store, gint64 report_id, GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  gint64 seq;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  st = ks_sqlite_stmt (store, "UPDATE reports SET seq = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, seq);
  sqlite3_bind_int64 (st, 2, report_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
links (KsStore *store, gint64 report_id, KsDuplicateLinkFunc func, gpointer user_data,
       GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT 0, o.id, o.title, o.state FROM reports r JOIN reports o ON o.id = r.duplicate_of "
    "WHERE r.id = ?1 "
    "UNION ALL "
    "SELECT 1, d.id, d.title, d.state FROM reports d WHERE d.duplicate_of = ?1 "
    "ORDER BY 1, 2", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    func (ks_col_int (st, 0) == 0, ks_col_int (st, 1), ks_col_text (st, 2),
          ks_col_text (st, 3), user_data);
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
category_radius (KsStore *store, gint64 category_id, gboolean *found, gint64 *out_body_id,
                 gint64 *out_radius, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT body_id, duplicate_radius FROM categories WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, category_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    {
      *out_body_id = ks_col_int (st, 0);
      *out_radius = ks_col_int (st, 1);
    }
  return TRUE;
}

static gboolean
in_box (KsStore *store, gint64 body_id, gint64 category_id, const KsBBox *box,
        KsReportRowFunc func, gpointer user_data, GError **error)
{
  /* The R*Tree keeps 32-bit floats rounded outwards: the exact test on the
   * report's own columns follows the index's. */
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT " KS_SQLITE_LIST_COLUMNS " FROM reports_rtree t JOIN reports r ON r.id = t.id"
    KS_SQLITE_LIST_FROM " "
    "WHERE t.max_lat >= ?1 AND t.min_lat <= ?2 AND t.max_lon >= ?3 AND t.min_lon <= ?4 "
    "  AND r.lat BETWEEN ?1 AND ?2 AND r.lon BETWEEN ?3 AND ?4 "
    "  AND r.body_id = ?5 AND r.category_id = ?6", error);
  guint n = 0;
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_double (st, 1, box->min_lat);
  sqlite3_bind_double (st, 2, box->max_lat);
  sqlite3_bind_double (st, 3, box->min_lon);
  sqlite3_bind_double (st, 4, box->max_lon);
  sqlite3_bind_int64 (st, 5, body_id);
  sqlite3_bind_int64 (st, 6, category_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsReportRow r;

      ks_sqlite_report_row_list (&r, st);
      func (&r, n++, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

void
ks_sqlite_store_duplicates_init (KsStoreDuplicatesVTable *vtable)
{
  vtable->get_link = get_link;
  vtable->set_link = set_link;
  vtable->touch = touch;
  vtable->links = links;
  vtable->category_radius = category_radius;
  vtable->in_box = in_box;
}

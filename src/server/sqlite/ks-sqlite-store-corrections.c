/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-corrections.c: corrections to a report in SQLite: its category,
 * its place, and its answers to the category's questions (with the answers a
 * correction replaced kept in attribute_history). The ward lookup itself is the
 * actions' (ks-sqlite-store-actions.c), shared with new reports. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-report-rows.h"
#include "store/ks-store.h"
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
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT lat, lon, address FROM reports WHERE id = ?", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    return no_such_report (error);
  if (rc != SQLITE_ROW)
    return ks_sqlite_stmt_fail (st, error);
  *out_lat = ks_col_double (st, 0);
  *out_lon = ks_col_double (st, 1);
  *out_address = ks_col_null (st, 2) ? NULL : g_strdup (ks_col_text (st, 2));
  return TRUE;
}

static gboolean
correct_report (KsStore *store, gint64 report_id, const KsReportCorrection *c, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE reports SET version = version + 1, updated = ?1, seq = ?2, "
    "  category_id = CASE WHEN ?3 THEN ?4 ELSE category_id END, "
    "  priority_id = CASE WHEN ?5 THEN NULL ELSE priority_id END, "
    "  lat = CASE WHEN ?6 THEN ?7 ELSE lat END, "
    "  lon = CASE WHEN ?6 THEN ?8 ELSE lon END, "
    "  ward = CASE WHEN ?6 THEN ?9 ELSE ward END, "
    "  address = CASE WHEN ?10 THEN ?11 ELSE address END "
    "WHERE id = ?12", error);
  gint64 seq;

  if (st == NULL)
    return FALSE;
  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  sqlite3_bind_int64 (st, 1, ks_time_now ());
  sqlite3_bind_int64 (st, 2, seq);
  sqlite3_bind_int (st, 3, c->set_category ? 1 : 0);
  sqlite3_bind_int64 (st, 4, c->category_id);
  sqlite3_bind_int (st, 5, c->clear_priority ? 1 : 0);
  sqlite3_bind_int (st, 6, c->set_location ? 1 : 0);
  sqlite3_bind_double (st, 7, c->lat);
  sqlite3_bind_double (st, 8, c->lon);
  ks_bind_text (st, 9, c->ward ? c->ward : "");
  sqlite3_bind_int (st, 10, c->set_address ? 1 : 0);
  ks_bind_text (st, 11, c->address);
  sqlite3_bind_int64 (st, 12, report_id);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (ks_sqlite_changes (store) != 1)
    return no_such_report (error);
  return TRUE;
}

static gboolean
get_attributes (KsStore *store, gint64 report_id, GPtrArray **out_pairs, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT code, value FROM report_attributes WHERE report_id = ? ORDER BY position", error);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      g_ptr_array_add (pairs, g_strdup (ks_col_text (st, 0)));
      g_ptr_array_add (pairs, g_strdup (ks_col_text (st, 1)));
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  *out_pairs = g_steal_pointer (&pairs);
  return TRUE;
}

/* Inserts n_pairs pairs into table (report_attributes or attribute_history) for
 * owner_id, at positions from 0. */
static gboolean
insert_pairs (KsStore *store, const char *sql, gint64 owner_id, const char * const *pairs,
              guint n_pairs, GError **error)
{
  for (guint i = 0; i < n_pairs; i++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, owner_id);
      sqlite3_bind_int (st, 2, (int) i);
      ks_bind_text (st, 3, pairs[2 * i]);
      ks_bind_text (st, 4, pairs[2 * i + 1]);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_attributes (KsStore *store, gint64 report_id, const char * const *pairs, guint n_pairs,
                GError **error)
{
  g_autoptr(KsStmt) del = ks_sqlite_stmt (store,
    "DELETE FROM report_attributes WHERE report_id = ?", error);

  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, report_id);
  if (!ks_sqlite_step_done (del, error))
    return FALSE;
  return insert_pairs (store,
    "INSERT INTO report_attributes (report_id, position, code, value) VALUES (?, ?, ?, ?)",
    report_id, pairs, n_pairs, error);
}

static gboolean
keep_attributes (KsStore *store, gint64 update_id, const char * const *pairs, guint n_pairs,
                 GError **error)
{
  return insert_pairs (store,
    "INSERT INTO attribute_history (update_id, position, code, value) VALUES (?, ?, ?, ?)",
    update_id, pairs, n_pairs, error);
}

void
ks_sqlite_store_corrections_init (KsStoreActionsVTable *vtable)
{
  vtable->get_location = get_location;
  vtable->correct_report = correct_report;
  vtable->get_attributes = get_attributes;
  vtable->set_attributes = set_attributes;
  vtable->keep_attributes = keep_attributes;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-response.c: response priorities in SQLite: a category's default
 * priority given to a report that comes into the category without one, when the
 * council first responded to a report, and the dashboard's response times. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"

/* The category's default, while it is an active priority of the report's council
 * that is for the category (one tied to no category is for all of them). */
static gboolean
apply_default_priority (KsStore *store, gint64 report_id, gint64 *out_priority_id,
                        GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE reports SET priority_id = ("
    "    SELECT c.default_priority_id FROM categories c WHERE c.id = reports.category_id) "
    "WHERE id = ?1 AND priority_id IS NULL AND EXISTS ("
    "  SELECT 1 FROM categories c JOIN priorities p ON p.id = c.default_priority_id "
    "  WHERE c.id = reports.category_id AND p.body_id = reports.body_id AND p.active != 0 "
    "    AND (NOT EXISTS (SELECT 1 FROM priority_categories pc WHERE pc.priority_id = p.id) "
    "         OR EXISTS (SELECT 1 FROM priority_categories pc "
    "                    WHERE pc.priority_id = p.id AND pc.category_id = c.id))) "
    "RETURNING priority_id", error);
  gboolean found = FALSE;

  *out_priority_id = 0;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (found)
    *out_priority_id = ks_col_int (st, 0);
  return TRUE;
}

static gboolean
mark_responded (KsStore *store, gint64 report_id, gint64 at, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE reports SET responded = ?2 WHERE id = ?1 AND responded IS NULL", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  sqlite3_bind_int64 (st, 2, at);
  return ks_sqlite_step_done (st, error);
}

static gboolean
response_rows (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 from, gint64 to,
               KsResponseRowFunc func, gpointer user_data, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.priority_id, p.response_hours, r.created, r.responded, r.state "
    "FROM reports r JOIN priorities p ON p.id = r.priority_id "
    "WHERE r.body_id = ?1 AND r.created >= ?2 AND r.created < ?3 "
    "  AND p.response_hours IS NOT NULL AND r.state NOT IN ('unconfirmed', 'hidden') "
    "  AND " KS_SQLITE_SEES ("?9"), error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, from > 0 ? from : G_MININT64);
  sqlite3_bind_int64 (st, 3, to > 0 ? to : G_MAXINT64);
  ks_sqlite_bind_hidden (st, 9, who);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsResponseRow row = {
        .priority_id = ks_col_int (st, 0),
        .response_hours = ks_col_int (st, 1),
        .created = ks_col_int (st, 2),
        .responded = ks_col_int (st, 3),
        .state = ks_col_text (st, 4),
      };

      func (&row, user_data);
    }
  return rc == SQLITE_DONE || ks_sqlite_stmt_fail (st, error);
}

void
ks_sqlite_store_response_init (KsStoreActionsVTable *vtable,
                               KsStoreAdminVTable   *admin)
{
  admin->response_rows = response_rows;
  vtable->apply_default_priority = apply_default_priority;
  vtable->mark_responded = mark_responded;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-response.c: response priorities in SQLite: a category's default
 * priority given to a report that comes into the category without one. */
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

void
ks_sqlite_store_response_init (KsStoreActionsVTable *vtable)
{
  vtable->apply_default_priority = apply_default_priority;
}

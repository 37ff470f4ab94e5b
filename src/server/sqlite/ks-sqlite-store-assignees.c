/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-assignees.c: the staff a report can be assigned to (whose
 * shortlist can hold it), for the SQLite store's actions table. */
#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store-private.h"

/* The columns of an assignee: can_hold is active staff of a council with the
 * permission shortlist (from a role or given alone). */
#define ASSIGNEE_COLUMNS \
  "SELECT u.id, u.name, coalesce (u.body_id, 0), u.active, " \
  "       u.active <> 0 AND u.body_id IS NOT NULL AND (u.is_superuser <> 0 " \
  "         OR EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id " \
  "                    WHERE ur.user_id = u.id AND rp.permission = 'shortlist') " \
  "         OR EXISTS (SELECT 1 FROM user_permissions up " \
  "                    WHERE up.user_id = u.id AND up.permission = 'shortlist')) AS can_hold, " \
  "       (SELECT count(*) FROM reports r WHERE r.shortlist_user = u.id) AS held " \
  "FROM users u "

static void
read_row (sqlite3_stmt *st, KsAssigneeRow *row)
{
  row->id = ks_col_int (st, 0);
  row->name = ks_col_text (st, 1);
  row->body_id = ks_col_int (st, 2);
  row->active = ks_col_int (st, 3) != 0;
  row->can_hold = ks_col_int (st, 4) != 0;
  row->held = ks_col_int (st, 5);
}

static gboolean
get_assignee (KsStore *store, gint64 user_id, KsAssigneeFunc func, gpointer user_data,
              GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, ASSIGNEE_COLUMNS "WHERE u.id = ?", error);
  gboolean found;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (found)
    {
      KsAssigneeRow row;

      read_row (st, &row);
      func (&row, user_data);
    }
  return TRUE;
}

static gboolean
assignees (KsStore *store, gint64 body_id, KsAssigneeFunc func, gpointer user_data,
           GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT * FROM (" ASSIGNEE_COLUMNS "WHERE u.body_id = ?) WHERE can_hold OR held > 0 "
    "ORDER BY id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsAssigneeRow row;

      read_row (st, &row);
      func (&row, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

void
ks_sqlite_store_assignees_init (KsStoreActionsVTable *vtable)
{
  vtable->get_assignee = get_assignee;
  vtable->assignees = assignees;
}

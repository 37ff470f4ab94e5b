/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-permissions.c: permission sets in SQLite and the one query of a
 * user's effective permissions. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-permissions.h"

gboolean
ks_sqlite_read_permission_set (sqlite3_stmt     *st,
                               KsPermissionSet  *out,
                               GError          **error)
{
  int rc;

  *out = 0;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPermission p;
      if (ks_permission_from_id (ks_col_text (st, 0), &p))
        *out |= 1u << p;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

gboolean
ks_sqlite_replace_permissions (KsStore         *store,
                               const char      *delete_sql,
                               const char      *insert_sql,
                               gint64           owner_id,
                               KsPermissionSet  set,
                               GError         **error)
{
  g_autoptr(KsStmt) del = ks_sqlite_stmt (store, delete_sql, error);

  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, owner_id);
  if (!ks_sqlite_step_done (del, error))
    return FALSE;
  for (guint p = 0; p < KS_N_PERMISSIONS; p++)
    {
      g_autoptr(KsStmt) ins = NULL;

      if (!KS_PERMISSION_SET_HAS (set, p))
        continue;
      ins = ks_sqlite_stmt (store, insert_sql, error);
      if (ins == NULL)
        return FALSE;
      sqlite3_bind_int64 (ins, 1, owner_id);
      ks_bind_text (ins, 2, ks_permission_id (p));
      if (!ks_sqlite_step_done (ins, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ks_sqlite_user_permissions (KsStore          *store,
                            gint64            user_id,
                            KsPermissionSet  *out,
                            GError          **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id "
    "WHERE ur.user_id = ?1 "
    "UNION SELECT permission FROM user_permissions WHERE user_id = ?1", error);

  *out = 0;
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  return ks_sqlite_read_permission_set (st, out, error);
}

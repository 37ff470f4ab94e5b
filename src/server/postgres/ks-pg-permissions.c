/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-permissions.c: permission sets in PostgreSQL and the one query of a
 * user's effective permissions. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-permissions.h"

void
ks_pg_read_permission_set (const PGresult   *res,
                           KsPermissionSet  *out)
{
  *out = 0;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsPermission p;
      if (ks_permission_from_id (ks_pg_text (res, i, 0), &p))
        *out |= 1u << p;
    }
}

gboolean
ks_pg_replace_permissions (KsStore              *store,
                           const KsPgStatement  *del,
                           const KsPgStatement  *ins,
                           gint64                owner_id,
                           KsPermissionSet       set,
                           GError              **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, owner_id);
  if (!ks_pg_store_exec (store, del, &args, NULL, error))
    return FALSE;
  for (guint p = 0; p < KS_N_PERMISSIONS; p++)
    {
      g_auto(KsPgArgs) pargs = KS_PG_ARGS_INIT;

      if (!KS_PERMISSION_SET_HAS (set, p))
        continue;
      ks_pg_args_int (&pargs, owner_id);
      ks_pg_args_text (&pargs, ks_permission_id (p));
      if (!ks_pg_store_exec (store, ins, &pargs, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ks_pg_user_permissions (KsStore          *store,
                        gint64            user_id,
                        KsPermissionSet  *out,
                        GError          **error)
{
  static const KsPgStatement stmt = { "user_permissions",
    "SELECT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id "
    "WHERE ur.user_id = $1 "
    "UNION SELECT permission FROM user_permissions WHERE user_id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out = 0;
  ks_pg_args_int (&args, user_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  ks_pg_read_permission_set (res, out);
  return TRUE;
}

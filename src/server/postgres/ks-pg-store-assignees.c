/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-assignees.c: the staff a report can be assigned to (whose shortlist
 * can hold it), for the PostgreSQL store's actions table. */
#include "config.h"
#include "postgres/ks-pg-store-private.h"

/* The columns of an assignee: can_hold is active staff of a council with the
 * permission shortlist (from a role or given alone). */
#define ASSIGNEE_COLUMNS \
  "SELECT u.id, u.name, coalesce (u.body_id, 0), u.active <> 0, " \
  "       u.active <> 0 AND u.body_id IS NOT NULL AND (u.is_superuser <> 0 " \
  "         OR EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id " \
  "                    WHERE ur.user_id = u.id AND rp.permission = 'shortlist') " \
  "         OR EXISTS (SELECT 1 FROM user_permissions up " \
  "                    WHERE up.user_id = u.id AND up.permission = 'shortlist')) AS can_hold, " \
  "       (SELECT count(*) FROM reports r WHERE r.shortlist_user = u.id) AS held " \
  "FROM users u "

static void
give_rows (PGresult *res, KsAssigneeFunc func, gpointer user_data)
{
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsAssigneeRow row = {
        .id = ks_pg_int (res, i, 0),
        .name = ks_pg_text (res, i, 1),
        .body_id = ks_pg_int (res, i, 2),
        .active = ks_pg_bool (res, i, 3),
        .can_hold = ks_pg_bool (res, i, 4),
        .held = ks_pg_int (res, i, 5),
      };
      func (&row, user_data);
    }
}

static gboolean
get_assignee (KsStore *store, gint64 user_id, KsAssigneeFunc func, gpointer user_data,
              GError **error)
{
  static const KsPgStatement st = { "assignees_get", ASSIGNEE_COLUMNS "WHERE u.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, user_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  give_rows (res, func, user_data);
  return TRUE;
}

static gboolean
assignees (KsStore *store, gint64 body_id, KsAssigneeFunc func, gpointer user_data,
           GError **error)
{
  static const KsPgStatement st = { "assignees_list",
    "SELECT * FROM (" ASSIGNEE_COLUMNS "WHERE u.body_id = $1) a WHERE can_hold OR held > 0 "
    "ORDER BY id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  give_rows (res, func, user_data);
  return TRUE;
}

void
ks_pg_store_assignees_init (KsStoreActionsVTable *vtable)
{
  vtable->get_assignee = get_assignee;
  vtable->assignees = assignees;
}

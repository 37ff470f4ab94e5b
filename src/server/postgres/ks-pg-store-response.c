/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-response.c: response priorities in PostgreSQL: a category's default
 * priority given to a report that comes into the category without one, when the
 * council first responded to a report, and the dashboard's response times. The same
 * statements as the SQLite store's (ks-sqlite-store-response.c). */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"

/* The category's default, while it is an active priority of the report's council
 * that is for the category (one tied to no category is for all of them). */
static gboolean
apply_default_priority (KsStore *store, gint64 report_id, gint64 *out_priority_id,
                        GError **error)
{
  static const KsPgStatement st = { "response_apply_default_priority",
    "UPDATE reports r SET priority_id = c.default_priority_id "
    "FROM categories c JOIN priorities p ON p.id = c.default_priority_id "
    "WHERE r.id = $1 AND r.priority_id IS NULL AND c.id = r.category_id "
    "  AND p.body_id = r.body_id AND p.active != 0 "
    "  AND (NOT EXISTS (SELECT 1 FROM priority_categories pc WHERE pc.priority_id = p.id) "
    "       OR EXISTS (SELECT 1 FROM priority_categories pc "
    "                  WHERE pc.priority_id = p.id AND pc.category_id = c.id)) "
    "RETURNING r.priority_id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_priority_id = 0;
  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    *out_priority_id = ks_pg_int (res, 0, 0);
  return TRUE;
}

static gboolean
mark_responded (KsStore *store, gint64 report_id, gint64 at, GError **error)
{
  static const KsPgStatement st = { "response_mark_responded",
    "UPDATE reports SET responded = $2 WHERE id = $1 AND responded IS NULL" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, report_id);
  ks_pg_args_int (&args, at);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
response_rows (KsStore *store, const KsPrincipal *who, gint64 body_id, gint64 from, gint64 to,
               KsResponseRowFunc func, gpointer user_data, GError **error)
{
  static const KsPgStatement st = { "response_rows",
    "SELECT r.priority_id, p.response_hours, r.created, r.responded, r.state "
    "FROM reports r JOIN priorities p ON p.id = r.priority_id "
    "WHERE r.body_id = $1::bigint AND r.created >= $2::bigint AND r.created < $3::bigint "
    "  AND p.response_hours IS NOT NULL AND r.state NOT IN ('unconfirmed', 'hidden') "
    "  AND " KS_PG_SEES ("$4") };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, from > 0 ? from : G_MININT64);
  ks_pg_args_int (&args, to > 0 ? to : G_MAXINT64);
  ks_pg_args_hidden (&args, who);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsResponseRow row = {
        .priority_id = ks_pg_int (res, i, 0),
        .response_hours = ks_pg_int (res, i, 1),
        .created = ks_pg_int (res, i, 2),
        .responded = ks_pg_int (res, i, 3),
        .state = ks_pg_text (res, i, 4),
      };

      func (&row, user_data);
    }
  return TRUE;
}

void
ks_pg_store_response_init (KsStoreActionsVTable *vtable,
                           KsStoreAdminVTable   *admin)
{
  admin->response_rows = response_rows;
  vtable->apply_default_priority = apply_default_priority;
  vtable->mark_responded = mark_responded;
}

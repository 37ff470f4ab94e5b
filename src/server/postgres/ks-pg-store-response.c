/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-response.c: response priorities in PostgreSQL: a category's default
 * priority given to a report that comes into the category without one. The same
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

void
ks_pg_store_response_init (KsStoreActionsVTable *vtable)
{
  vtable->apply_default_priority = apply_default_priority;
}

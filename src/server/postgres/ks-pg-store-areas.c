/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-areas.c: staff who work in their own area, in PostgreSQL: what a
 * staff member is assigned (wards and categories, their own and their roles'),
 * the restricted categories they do not see, and telling syncing apps when who
 * sees a category changed. */
#include "config.h"
#include "postgres/ks-pg-store-private.h"

/* The categories a user is assigned ($1), their own and through their roles. */
#define ASSIGNED_CATEGORIES \
  "SELECT category_id FROM user_categories WHERE user_id = $1 " \
  "UNION SELECT rc.category_id FROM role_categories rc " \
  "  JOIN user_roles ur ON ur.role_id = rc.role_id WHERE ur.user_id = $1"

static gboolean
assignment (KsStore    *store,
            gint64      user_id,
            GPtrArray **out_wards,
            GArray    **out_category_ids,
            GError    **error)
{
  static const KsPgStatement wards_stmt = { "areas_wards",
    "SELECT wards FROM users WHERE id = $1 "
    "UNION ALL SELECT r.wards FROM roles r JOIN user_roles ur ON ur.role_id = r.id "
    "WHERE ur.user_id = $1" };
  static const KsPgStatement categories_stmt = { "areas_categories",
    ASSIGNED_CATEGORIES " ORDER BY 1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) w = NULL;
  g_autoptr(PGresult) c = NULL;
  GPtrArray *wards;

  ks_pg_args_int (&args, user_id);
  if ((w = ks_pg_store_query (store, &wards_stmt, &args, error)) == NULL ||
      (c = ks_pg_store_query (store, &categories_stmt, &args, error)) == NULL)
    return FALSE;
  wards = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (w); i++)
    g_ptr_array_add (wards, g_strdup (ks_pg_text (w, i, 0)));
  *out_wards = wards;
  *out_category_ids = ks_pg_collect_ids (c);
  return TRUE;
}

static gboolean
hidden_categories (KsStore *store,
                   gint64   user_id,
                   gint64   body_id,
                   GArray **out,
                   GError **error)
{
  static const KsPgStatement st = { "areas_hidden_categories",
    "SELECT id FROM categories WHERE body_id = $2 AND assigned_only <> 0 "
    "AND id NOT IN (" ASSIGNED_CATEGORIES ") ORDER BY id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, user_id);
  ks_pg_args_int (&args, body_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out = ks_pg_collect_ids (res);
  return TRUE;
}

/* The reports of $1's category $3, or of all its restricted ones when $3 is 0. */
#define AFFECTED_REPORTS \
  "SELECT id FROM reports WHERE body_id = $1 AND category_id IN (" \
  "  SELECT id FROM categories WHERE body_id = $1 AND (id = $3 OR ($3 = 0 AND assigned_only <> 0)))"

/* Each report its own sync number, in one statement, as every change does
 * (writes hold the store's write lock: no other writer takes numbers
 * meanwhile); then a tombstone beside each, which sync sends only to those who
 * no longer see the report. */
static gboolean
category_visibility_changed (KsStore *store,
                             gint64   body_id,
                             gint64   category_id,
                             GError **error)
{
  static const KsPgStatement renumber = { "areas_renumber",
    "UPDATE reports SET seq = $2 + n.k "
    "FROM (SELECT id, row_number () OVER (ORDER BY id) AS k FROM (" AFFECTED_REPORTS ") a) AS n "
    "WHERE reports.id = n.id" };
  static const KsPgStatement advance = { "areas_advance_seq",
    "UPDATE meta SET value = value + $1 WHERE key = 'seq'" };
  static const KsPgStatement tombstones = { "areas_tombstones",
    "INSERT INTO tombstones (report_id, body_id, user_id, seq) "
    "SELECT id, body_id, NULL, seq FROM reports WHERE seq > $2 AND id IN (" AFFECTED_REPORTS ")" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) more = KS_PG_ARGS_INIT;
  gint64 base = ks_store_current_seq (store, error);
  gint64 n = 0;

  if (base < 0)
    return FALSE;
  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, base);
  ks_pg_args_int (&args, category_id);
  if (!ks_pg_store_exec (store, &renumber, &args, &n, error))
    return FALSE;
  if (n == 0)
    return TRUE;
  ks_pg_args_int (&more, n);
  return ks_pg_store_exec (store, &advance, &more, NULL, error) &&
         ks_pg_store_exec (store, &tombstones, &args, NULL, error);
}

void
ks_pg_store_areas_init (KsStoreAuthVTable  *auth,
                        KsStoreAdminVTable *admin)
{
  auth->assignment = assignment;
  auth->hidden_categories = hidden_categories;
  admin->category_visibility_changed = category_visibility_changed;
}

int
ks_pg_args_hidden (KsPgArgs          *args,
                   const KsPrincipal *who)
{
  return ks_pg_args_take (args, ks_principal_hidden_list (who, '{', '}'));
}

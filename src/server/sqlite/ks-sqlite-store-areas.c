/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-areas.c: staff who work in their own area, in SQLite: what a
 * staff member is assigned (wards and categories, their own and their roles'),
 * the restricted categories they do not see, and telling syncing apps when who
 * sees a category changed. */
#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store-private.h"

/* The categories a user is assigned (?1), their own and through their roles. */
#define ASSIGNED_CATEGORIES \
  "SELECT category_id FROM user_categories WHERE user_id = ?1 " \
  "UNION SELECT rc.category_id FROM role_categories rc " \
  "  JOIN user_roles ur ON ur.role_id = rc.role_id WHERE ur.user_id = ?1"

static gboolean
assignment (KsStore    *store,
            gint64      user_id,
            GPtrArray **out_wards,
            GArray    **out_category_ids,
            GError    **error)
{
  g_autoptr(KsStmt) w = ks_sqlite_stmt (store,
    "SELECT wards FROM users WHERE id = ?1 "
    "UNION ALL SELECT r.wards FROM roles r JOIN user_roles ur ON ur.role_id = r.id "
    "WHERE ur.user_id = ?1", error);
  g_autoptr(KsStmt) c = NULL;
  g_autoptr(GPtrArray) wards = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (w == NULL)
    return FALSE;
  sqlite3_bind_int64 (w, 1, user_id);
  while ((rc = sqlite3_step (w)) == SQLITE_ROW)
    g_ptr_array_add (wards, g_strdup (ks_col_text (w, 0)));
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (w, error);

  c = ks_sqlite_stmt (store, ASSIGNED_CATEGORIES " ORDER BY 1", error);
  if (c == NULL)
    return FALSE;
  sqlite3_bind_int64 (c, 1, user_id);
  if (!ks_sqlite_collect_ids (c, out_category_ids, error))
    return FALSE;
  *out_wards = g_steal_pointer (&wards);
  return TRUE;
}

static gboolean
hidden_categories (KsStore *store,
                   gint64   user_id,
                   gint64   body_id,
                   GArray **out,
                   GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id FROM categories WHERE body_id = ?2 AND assigned_only <> 0 "
    "AND id NOT IN (" ASSIGNED_CATEGORIES ") ORDER BY id", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  sqlite3_bind_int64 (st, 2, body_id);
  return ks_sqlite_collect_ids (st, out, error);
}

/* The reports of ?1's category ?3, or of all its restricted ones when ?3 is 0. */
#define AFFECTED_REPORTS \
  "SELECT id FROM reports WHERE body_id = ?1 AND category_id IN (" \
  "  SELECT id FROM categories WHERE body_id = ?1 AND (id = ?3 OR (?3 = 0 AND assigned_only <> 0)))"

static gboolean
category_visibility_changed (KsStore *store,
                             gint64   body_id,
                             gint64   category_id,
                             GError **error)
{
  g_autoptr(KsStmt) bump = NULL;
  g_autoptr(KsStmt) tomb = NULL;
  g_autoptr(KsStmt) advance = NULL;
  gint64 base = ks_store_current_seq (store, error);
  gint64 n;

  if (base < 0)
    return FALSE;
  /* Each report its own number, in one statement, as every change does. */
  bump = ks_sqlite_stmt (store,
    "UPDATE reports SET seq = ?2 + n.k "
    "FROM (SELECT id, row_number () OVER (ORDER BY id) AS k FROM (" AFFECTED_REPORTS ")) AS n "
    "WHERE reports.id = n.id", error);
  if (bump == NULL)
    return FALSE;
  sqlite3_bind_int64 (bump, 1, body_id);
  sqlite3_bind_int64 (bump, 2, base);
  sqlite3_bind_int64 (bump, 3, category_id);
  if (!ks_sqlite_step_done (bump, error))
    return FALSE;
  n = ks_sqlite_changes (store);
  if (n == 0)
    return TRUE;

  advance = ks_sqlite_stmt (store, "UPDATE meta SET value = value + ? WHERE key = 'seq'", error);
  if (advance == NULL)
    return FALSE;
  sqlite3_bind_int64 (advance, 1, n);
  if (!ks_sqlite_step_done (advance, error))
    return FALSE;

  /* Sync sends a tombstone only to those who no longer see the report. */
  tomb = ks_sqlite_stmt (store,
    "INSERT INTO tombstones (report_id, body_id, user_id, seq) "
    "SELECT id, body_id, NULL, seq FROM reports WHERE seq > ?2 AND id IN (" AFFECTED_REPORTS ")",
    error);
  if (tomb == NULL)
    return FALSE;
  sqlite3_bind_int64 (tomb, 1, body_id);
  sqlite3_bind_int64 (tomb, 2, base);
  sqlite3_bind_int64 (tomb, 3, category_id);
  return ks_sqlite_step_done (tomb, error);
}

void
ks_sqlite_store_areas_init (KsStoreAuthVTable  *auth,
                            KsStoreAdminVTable *admin)
{
  auth->assignment = assignment;
  auth->hidden_categories = hidden_categories;
  admin->category_visibility_changed = category_visibility_changed;
}

void
ks_sqlite_bind_hidden (sqlite3_stmt      *st,
                       int                i,
                       const KsPrincipal *who)
{
  sqlite3_bind_text (st, i, ks_principal_hidden_list (who, '[', ']'), -1, g_free);
}

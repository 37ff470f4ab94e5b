/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-hidden-people.c: "hide everywhere" in SQLite (table
 * hidden_people, columns hidden_with; ks-store-hidden-people.h). */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"
#include "ks-time.h"

static gboolean
add (KsStore *store, gint64 body_id, const char *email, const char *reason, gint64 user_id,
     gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT OR IGNORE INTO hidden_people (body_id, email, reason, created, created_by) "
    "VALUES (?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, email);
  ks_bind_text (st, 3, reason ? reason : "");
  sqlite3_bind_int64 (st, 4, ks_time_now ());
  ks_bind_id (st, 5, user_id > 0 ? user_id : 0);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_id = ks_sqlite_changes (store) > 0 ? ks_sqlite_last_insert_rowid (store) : 0;
  return TRUE;
}

static gboolean
find (KsStore *store, gint64 body_id, const char *email, gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id FROM hidden_people WHERE body_id = ? AND email = ?", error);
  gboolean found = FALSE;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, email);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_id = found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

static gboolean
remove_entry (KsStore *store, gint64 id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "DELETE FROM hidden_people WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  return ks_sqlite_step_done (st, error);
}

/* The reports and updates that name entry id. */
static gboolean
marked (KsStore *store, gint64 id, GArray **out_reports, GArray **out_updates, GError **error)
{
  g_autoptr(KsStmt) reports = ks_sqlite_stmt (store,
    "SELECT id FROM reports WHERE hidden_with = ? ORDER BY id", error);
  g_autoptr(KsStmt) updates = NULL;
  g_autoptr(GArray) r = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) u = g_array_new (FALSE, FALSE, sizeof (KsHiddenUpdate));
  int rc;

  if (reports == NULL)
    return FALSE;
  sqlite3_bind_int64 (reports, 1, id);
  while ((rc = sqlite3_step (reports)) == SQLITE_ROW)
    {
      gint64 report_id = ks_col_int (reports, 0);
      g_array_append_val (r, report_id);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (reports, error);
  updates = ks_sqlite_stmt (store,
    "SELECT report_id, id FROM updates WHERE hidden_with = ? ORDER BY id", error);
  if (updates == NULL)
    return FALSE;
  sqlite3_bind_int64 (updates, 1, id);
  while ((rc = sqlite3_step (updates)) == SQLITE_ROW)
    {
      KsHiddenUpdate h = { ks_col_int (updates, 0), ks_col_int (updates, 1) };
      g_array_append_val (u, h);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (updates, error);
  *out_reports = g_steal_pointer (&r);
  *out_updates = g_steal_pointer (&u);
  return TRUE;
}

static gboolean
mark (KsStore *store, gint64 body_id, const char *email, gint64 id, GArray **out_reports,
      GArray **out_updates, GError **error)
{
  g_autoptr(KsStmt) reports = ks_sqlite_stmt (store,
    "UPDATE reports SET hidden_with = ?1 "
    "WHERE body_id = ?2 AND reporter_email = ?3 COLLATE NOCASE AND state <> 'hidden'", error);
  g_autoptr(KsStmt) updates = NULL;

  if (reports == NULL)
    return FALSE;
  sqlite3_bind_int64 (reports, 1, id);
  sqlite3_bind_int64 (reports, 2, body_id);
  ks_bind_text (reports, 3, email);
  if (!ks_sqlite_step_done (reports, error))
    return FALSE;
  updates = ks_sqlite_stmt (store,
    "UPDATE updates SET hidden_with = ?1 "
    "WHERE author_email = ?3 COLLATE NOCASE AND hidden = 0 "
    "  AND report_id IN (SELECT id FROM reports WHERE body_id = ?2)", error);
  if (updates == NULL)
    return FALSE;
  sqlite3_bind_int64 (updates, 1, id);
  sqlite3_bind_int64 (updates, 2, body_id);
  ks_bind_text (updates, 3, email);
  return ks_sqlite_step_done (updates, error) &&
         marked (store, id, out_reports, out_updates, error);
}

static gboolean
unmark (KsStore *store, gint64 id, GArray **out_reports, GArray **out_updates, GError **error)
{
  static const char * const sql[] = {
    "UPDATE reports SET hidden_with = NULL WHERE hidden_with = ?",
    "UPDATE updates SET hidden_with = NULL WHERE hidden_with = ?",
  };

  if (!marked (store, id, out_reports, out_updates, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql[i], error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, id);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

void
ks_sqlite_store_hidden_people_init (KsStoreHiddenPeopleVTable *vtable)
{
  vtable->add = add;
  vtable->find = find;
  vtable->remove = remove_entry;
  vtable->mark = mark;
  vtable->unmark = unmark;
}

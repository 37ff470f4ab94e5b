/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-abuse.c: the councils' abuse lists in SQLite (table
 * abuse_list; ks-store-abuse.h). */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"
#include "ks-time.h"

#define ENTRY_COLUMNS \
  "a.id, a.kind, a.value, a.reason, a.created, u.name"
#define ENTRY_FROM \
  "FROM abuse_list a LEFT JOIN users u ON u.id = a.created_by "

static void
read_entry (sqlite3_stmt *st, KsAbuseEntry *out)
{
  out->id = ks_col_int (st, 0);
  out->kind = g_strdup (ks_col_text (st, 1));
  out->value = g_strdup (ks_col_text (st, 2));
  out->reason = g_strdup (ks_col_text (st, 3));
  out->created = ks_col_int (st, 4);
  out->created_by = g_strdup (ks_col_text (st, 5));
}

static gboolean
list (KsStore *store, gint64 body_id, GArray **out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT " ENTRY_COLUMNS " " ENTRY_FROM "WHERE a.body_id = ? ORDER BY a.id DESC", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  *out = ks_abuse_entries_new ();
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsAbuseEntry e = { 0 };

      read_entry (st, &e);
      g_array_append_val (*out, e);
    }
  if (rc != SQLITE_DONE)
    {
      g_clear_pointer (out, g_array_unref);
      return ks_sqlite_stmt_fail (st, error);
    }
  return TRUE;
}

static gboolean
add (KsStore *store, gint64 body_id, const char *kind, const char *value, const char *reason,
     gint64 user_id, gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT OR IGNORE INTO abuse_list (body_id, kind, value, reason, created, created_by) "
    "VALUES (?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, kind);
  ks_bind_text (st, 3, value);
  ks_bind_text (st, 4, reason ? reason : "");
  sqlite3_bind_int64 (st, 5, ks_time_now ());
  ks_bind_id (st, 6, user_id > 0 ? user_id : 0);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_id = ks_sqlite_changes (store) > 0 ? ks_sqlite_last_insert_rowid (store) : 0;
  return TRUE;
}

static gboolean
remove_entry (KsStore *store, gint64 body_id, gint64 id, KsAbuseEntry *out_removed,
              gboolean *out_found, GError **error)
{
  g_autoptr(KsStmt) get = ks_sqlite_stmt (store,
    "SELECT " ENTRY_COLUMNS " " ENTRY_FROM "WHERE a.body_id = ? AND a.id = ?", error);
  g_autoptr(KsStmt) del = NULL;

  if (get == NULL)
    return FALSE;
  sqlite3_bind_int64 (get, 1, body_id);
  sqlite3_bind_int64 (get, 2, id);
  if (!ks_sqlite_step_row (get, out_found, error))
    return FALSE;
  if (!*out_found)
    return TRUE;
  read_entry (get, out_removed);
  del = ks_sqlite_stmt (store, "DELETE FROM abuse_list WHERE id = ?", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, id);
  return ks_sqlite_step_done (del, error);
}

static gboolean
match (KsStore *store, gint64 body_id, const char *email, const char *domain, const char *phone,
       KsAbuseEntry *out, gboolean *out_found, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT " ENTRY_COLUMNS " " ENTRY_FROM
    "WHERE a.body_id = ?1 AND ((a.kind = 'email' AND a.value = ?2) "
    "  OR (a.kind = 'domain' AND (a.value = ?3 OR ?3 LIKE '%.' || a.value)) "
    "  OR (a.kind = 'phone' AND a.value = ?4)) "
    "ORDER BY a.id LIMIT 1", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, email);
  ks_bind_text (st, 3, domain);
  ks_bind_text (st, 4, phone);
  if (!ks_sqlite_step_row (st, out_found, error))
    return FALSE;
  if (*out_found)
    read_entry (st, out);
  return TRUE;
}

void
ks_sqlite_store_abuse_init (KsStoreAbuseVTable *vtable)
{
  vtable->list = list;
  vtable->add = add;
  vtable->remove = remove_entry;
  vtable->match = match;
}

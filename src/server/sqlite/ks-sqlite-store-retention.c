/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-retention.c: what the daily retention job reads and deletes
 * in SQLite (ks-store-retention.h). */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"

/* Runs a candidates query (parameters: the council, the time before which) and
 * appends each row (id, text, text, time) to a new array of new_array's kind. */
static gboolean
candidates (KsStore *store, const char *sql, gint64 body_id, gint64 before,
            GArray *(*new_array) (void), KsRetentionAppend append, GArray **out,
            GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, before);
  *out = new_array ();
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    append (*out, ks_col_int (st, 0), ks_col_text (st, 1), ks_col_text (st, 2),
            ks_col_int (st, 3));
  if (rc != SQLITE_DONE)
    {
      g_clear_pointer (out, g_array_unref);
      return ks_sqlite_stmt_fail (st, error);
    }
  return TRUE;
}

static gboolean
old_reports (KsStore *store, gint64 body_id, gint64 before, GArray **out, GError **error)
{
  return candidates (store,
    "SELECT id, state, title, updated FROM reports "
    "WHERE body_id = ?1 AND updated < ?2 "
    "  AND (reporter_name IS NOT NULL OR reporter_email IS NOT NULL "
    "       OR reporter_phone IS NOT NULL) "
    "ORDER BY updated, id",
    body_id, before, ks_retention_reports_new, ks_retention_reports_append, out, error);
}

static gboolean
unused_staff (KsStore *store, gint64 body_id, gint64 before, GArray **out, GError **error)
{
  return candidates (store,
    "SELECT id, name, email, coalesce (last_login, created) AS used FROM users "
    "WHERE body_id = ?1 AND active = 1 AND is_superuser = 0 "
    "  AND coalesce (last_login, created) < ?2 "
    "ORDER BY used, id",
    body_id, before, ks_retention_staff_new, ks_retention_staff_append, out, error);
}

static gboolean
count_audit (KsStore *store, gint64 body_id, gint64 before, gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT count(*) FROM audit_log WHERE body_id = ? AND at < ?", error);
  gboolean found = FALSE;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, before);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out = found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

static gboolean
purge_audit (KsStore *store, gint64 body_id, gint64 before, gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "DELETE FROM audit_log WHERE body_id = ? AND at < ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, before);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out = ks_sqlite_changes (store);
  return TRUE;
}

static gboolean
claim_day (KsStore *store, gint64 day, gboolean *out_claimed, GError **error)
{
  /* One statement, its own transaction: of two instances, one changes the row. */
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE meta SET value = ?1 WHERE key = 'retention_day' AND value < ?1", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, day);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_claimed = ks_sqlite_changes (store) > 0;
  return TRUE;
}

static gboolean
last_day (KsStore *store, gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT value FROM meta WHERE key = 'retention_day'", error);
  gboolean found = FALSE;

  if (st == NULL)
    return FALSE;
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out = found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

void
ks_sqlite_store_retention_init (KsStoreRetentionVTable *vtable)
{
  vtable->old_reports = old_reports;
  vtable->unused_staff = unused_staff;
  vtable->count_audit = count_audit;
  vtable->purge_audit = purge_audit;
  vtable->claim_day = claim_day;
  vtable->last_day = last_day;
}

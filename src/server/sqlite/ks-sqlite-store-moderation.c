/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-moderation.c: moderating single updates of a report's timeline
 * in SQLite: reading one, changing its text or hidden flag, and the history. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"
#include "ks-time.h"

static gboolean
get_update (KsStore *store, gint64 report_id, gint64 update_id, gboolean *found,
            KsUpdateCore *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id, report_id, kind, text, source, public, hidden FROM updates "
    "WHERE id = ? AND report_id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, update_id);
  sqlite3_bind_int64 (st, 2, report_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (!*found)
    return TRUE;
  out->id = ks_col_int (st, 0);
  out->report_id = ks_col_int (st, 1);
  out->kind = g_strdup (ks_col_text (st, 2));
  out->text = g_strdup (ks_col_text (st, 3));
  out->source = g_strdup (ks_col_text (st, 4));
  out->public = ks_col_int (st, 5) != 0;
  out->hidden = ks_col_int (st, 6) != 0;
  return TRUE;
}

static gboolean
change_update (KsStore *store, gint64 update_id, const char *text, int hidden,
               GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE updates SET text = coalesce (?1, text), "
    "  hidden = CASE WHEN ?2 < 0 THEN hidden ELSE ?2 END WHERE id = ?3", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, text);
  sqlite3_bind_int (st, 2, hidden < 0 ? -1 : hidden != 0);
  sqlite3_bind_int64 (st, 3, update_id);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (ks_sqlite_changes (store) != 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no such update. Refresh the report and try again.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_update_moderation (KsStore *store, const KsNewUpdateModeration *m,
                       gint64 *out_moderation_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO moderation (report_id, update_id, user_id, reason, created, action, "
    "  old_text, new_text, old_hidden, new_hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, m->report_id);
  sqlite3_bind_int64 (st, 2, m->update_id);
  ks_bind_id (st, 3, m->user_id);
  ks_bind_text (st, 4, m->reason);
  sqlite3_bind_int64 (st, 5, ks_time_now ());
  ks_bind_text (st, 6, m->action);
  ks_bind_text (st, 7, m->old_text);
  ks_bind_text (st, 8, m->new_text);
  sqlite3_bind_int (st, 9, m->old_hidden ? 1 : 0);
  sqlite3_bind_int (st, 10, m->new_hidden ? 1 : 0);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (out_moderation_id)
    *out_moderation_id = ks_sqlite_last_insert_rowid (store);
  return TRUE;
}

void
ks_sqlite_store_moderation_init (KsStoreActionsVTable *vtable)
{
  vtable->get_update = get_update;
  vtable->change_update = change_update;
  vtable->add_update_moderation = add_update_moderation;
}

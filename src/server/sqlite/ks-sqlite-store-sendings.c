/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-sendings.c: reports sent on, in SQLite (tables sendings and
 * sending_updates; ks-store-sendings.h). One process uses a SQLite database, and
 * its writes are serialised, so a row read inside a write is that write's. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"

#define SENDING_COLUMNS \
  "s.id, s.report_id, r.body_id, s.destination, s.status, s.attempts, s.last_error, " \
  "s.next_attempt, s.remote_id, s.generation, s.created, s.updated, s.sent, s.polled_until"
#define SENDING_FROM "FROM sendings s JOIN reports r ON r.id = s.report_id "

static void
read_sending (sqlite3_stmt *st, gpointer data)
{
  KsSending *out = data;

  out->id = ks_col_int (st, 0);
  out->report_id = ks_col_int (st, 1);
  out->body_id = ks_col_int (st, 2);
  out->destination = g_strdup (ks_col_text (st, 3));
  out->status = g_strdup (ks_col_text (st, 4));
  out->attempts = ks_col_int (st, 5);
  out->last_error = g_strdup (ks_col_text (st, 6));
  out->next_attempt = ks_col_int (st, 7);
  out->remote_id = g_strdup (ks_col_text (st, 8));
  out->generation = ks_col_int (st, 9);
  out->created = ks_col_int (st, 10);
  out->updated = ks_col_int (st, 11);
  out->sent = ks_col_int (st, 12);
  out->polled_until = ks_col_int (st, 13);
}

static gboolean
read_all (KsStmt *st, GArray **out, GError **error)
{
  g_autoptr(GArray) rows = ks_sendings_new ();

  if (!ks_sqlite_collect_structs (st, rows, read_sending, error))
    return FALSE;
  *out = g_steal_pointer (&rows);
  return TRUE;
}

static gboolean
note (KsStore *store, gint64 report_id, gint64 now, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO sendings (report_id, destination, next_attempt, created, updated) "
    "SELECT r.id, c.destination, ?2, ?2, ?2 FROM reports r "
    "JOIN categories c ON c.id = r.category_id "
    "WHERE r.id = ?1 AND c.destination IS NOT NULL AND c.destination <> '' "
    /* The reserved domain no mail reaches (RFC 2606): the demo council's. */
    "  AND c.destination NOT LIKE '%.invalid' "
    "ON CONFLICT (report_id, destination) DO NOTHING", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  sqlite3_bind_int64 (st, 2, now);
  return ks_sqlite_step_done (st, error);
}

static gboolean
due (KsStore *store, gint64 now, guint limit, GArray **out_ids, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id FROM sendings WHERE status IN ('pending', 'retrying', 'sending') "
    "AND next_attempt <= ?1 ORDER BY next_attempt, id LIMIT ?2", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, now);
  sqlite3_bind_int64 (st, 2, limit);
  return ks_sqlite_collect_ids (st, out_ids, error);
}

static gboolean
get (KsStore *store, gint64 id, gboolean *found, KsSending *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT " SENDING_COLUMNS " " SENDING_FROM "WHERE s.id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    read_sending (st, out);
  return TRUE;
}

static gboolean
save (KsStore *store, const KsSending *s, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE sendings SET status = ?2, attempts = ?3, last_error = ?4, next_attempt = ?5, "
    "remote_id = ?6, generation = ?7, updated = ?8, sent = ?9, polled_until = ?10 "
    "WHERE id = ?1", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, s->id);
  ks_bind_text (st, 2, s->status);
  sqlite3_bind_int64 (st, 3, s->attempts);
  ks_bind_text (st, 4, s->last_error);
  sqlite3_bind_int64 (st, 5, s->next_attempt);
  ks_bind_text (st, 6, s->remote_id);
  sqlite3_bind_int64 (st, 7, s->generation);
  sqlite3_bind_int64 (st, 8, s->updated);
  ks_bind_id (st, 9, s->sent);
  ks_bind_id (st, 10, s->polled_until);
  return ks_sqlite_step_done (st, error);
}

static gboolean
list (KsStore *store, gint64 report_id, GArray **out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT " SENDING_COLUMNS " " SENDING_FROM "WHERE s.report_id = ? ORDER BY s.id", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  return read_all (st, out, error);
}

static gboolean
polled (KsStore *store, GArray **out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT " SENDING_COLUMNS " " SENDING_FROM
    "WHERE s.destination LIKE 'open311:%' "
    "  AND EXISTS (SELECT 1 FROM sending_remote_ids i WHERE i.sending_id = s.id) "
    "ORDER BY r.body_id, s.destination, s.id", error);

  if (st == NULL)
    return FALSE;
  return read_all (st, out, error);
}

static gboolean
add_remote_id (KsStore *store, gint64 sending_id, const char *remote_id, gint64 now,
               GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO sending_remote_ids (sending_id, remote_id, created) VALUES (?, ?, ?) "
    "ON CONFLICT DO NOTHING", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, sending_id);
  ks_bind_text (st, 2, remote_id);
  sqlite3_bind_int64 (st, 3, now);
  return ks_sqlite_step_done (st, error);
}

/* SQLite reads in the process: a statement a sending costs microseconds, in
 * one read transaction (a file lock taken once, not once a statement). */
static gboolean
remote_ids (KsStore *store, const gint64 *sending_ids, guint n_ids, GArray **out_sending_ids,
            GPtrArray **out_remote_ids, GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  g_autoptr(GArray) sendings = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) remotes = g_ptr_array_new_with_free_func (g_free);
  gboolean started = FALSE, ok = TRUE;
  int rc = SQLITE_DONE;

  if (!ks_sqlite_begin_read (store, &started, error))
    return FALSE;
  st = ks_sqlite_stmt (store,
    "SELECT remote_id FROM sending_remote_ids WHERE sending_id = ? ORDER BY created, remote_id",
    error);
  if (st == NULL)
    ok = FALSE;
  for (guint i = 0; ok && i < n_ids && rc == SQLITE_DONE; i++)
    {
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, sending_ids[i]);
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          g_array_append_val (sendings, sending_ids[i]);
          g_ptr_array_add (remotes, g_strdup (ks_col_text (st, 0)));
        }
    }
  if (ok && rc != SQLITE_DONE)
    ok = ks_sqlite_stmt_fail (st, error);
  g_clear_pointer (&st, ks_stmt_release);
  ks_sqlite_end_read (store, started);
  if (!ok)
    return FALSE;
  *out_sending_ids = g_steal_pointer (&sendings);
  *out_remote_ids = g_steal_pointer (&remotes);
  return TRUE;
}

static gboolean
set_polled_until (KsStore *store, const gint64 *sending_ids, guint n_ids, gint64 until,
                  GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE sendings SET polled_until = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, until);
      sqlite3_bind_int64 (st, 2, sending_ids[i]);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
destination (KsStore *store, gint64 body_id, const char *name, gboolean *found,
             KsSendingDestination *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT name, endpoint, api_key, jurisdiction_id, idempotent FROM open311_destinations "
    "WHERE body_id = ? AND name = ? AND active <> 0", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, name);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    {
      out->name = g_strdup (ks_col_text (st, 0));
      out->endpoint = g_strdup (ks_col_text (st, 1));
      out->api_key = g_strdup (ks_col_text (st, 2));
      out->jurisdiction_id = g_strdup (ks_col_text (st, 3));
      out->idempotent = ks_col_int (st, 4) != 0;
    }
  return TRUE;
}

static gboolean
note_update (KsStore *store, gint64 sending_id, const char *update_id, gint64 now,
             gboolean *out_new, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO sending_updates (sending_id, update_id, applied) VALUES (?, ?, ?) "
    "ON CONFLICT DO NOTHING", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, sending_id);
  ks_bind_text (st, 2, update_id);
  sqlite3_bind_int64 (st, 3, now);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_new = ks_sqlite_changes (store) > 0;
  return TRUE;
}

static gboolean
count_failed (KsStore *store, gint64 body_id, gint64 *out_count, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT COUNT(*) " SENDING_FROM "WHERE s.status = 'failed' AND (?1 = 0 OR r.body_id = ?1)",
    error);
  gboolean found = FALSE;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_count = found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

void
ks_sqlite_store_sendings_init (KsStoreSendingsVTable *vtable)
{
  vtable->note = note;
  vtable->due = due;
  vtable->get = get;
  vtable->save = save;
  vtable->list = list;
  vtable->polled = polled;
  vtable->add_remote_id = add_remote_id;
  vtable->remote_ids = remote_ids;
  vtable->set_polled_until = set_polled_until;
  vtable->destination = destination;
  vtable->note_update = note_update;
  vtable->count_failed = count_failed;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-notices.c: the queue of emails to residents in SQLite (table
 * resident_emails). One writer at a time: the worker's transaction alone holds
 * the due rows it takes. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"

#define NOTICE_COLUMNS \
  "id, report_id, kind, state, created, due, from_update, sent, subject, file, error, " \
  "answered, answer"

static gboolean
queue (KsStore *store, const KsNewNotice *n, gboolean *out_queued, GError **error)
{
  /* The unique index on queued (report, kind) makes a second one a no-op: the
   * change is gathered into the email already queued. */
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT OR IGNORE INTO resident_emails (report_id, kind, created, due, from_update) "
    "SELECT r.id, ?2, ?3, "
    "       MAX(?4, COALESCE((SELECT MAX(e.sent) FROM resident_emails e "
    "                         WHERE e.report_id = r.id AND e.kind = ?2 AND e.state = 'sent') "
    "                        + ?5, 0)), ?6 "
    "FROM reports r LEFT JOIN api_keys k ON k.id = r.api_key_id "
    "WHERE r.id = ?1 AND r.reporter_email IS NOT NULL AND r.reporter_email <> '' "
    "  AND (r.source <> 'open311' OR k.notify_residents = 1)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, n->report_id);
  ks_bind_text (st, 2, n->kind);
  sqlite3_bind_int64 (st, 3, n->now);
  sqlite3_bind_int64 (st, 4, n->due);
  sqlite3_bind_int64 (st, 5, n->gather);
  ks_bind_id (st, 6, n->from_update);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_queued = ks_sqlite_changes (store) > 0;
  return TRUE;
}

static gboolean
due (KsStore *store, gint64 now, guint limit, GArray **out_ids, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id FROM resident_emails WHERE state = 'queued' AND due <= ? "
    "ORDER BY due, id LIMIT ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, now);
  sqlite3_bind_int64 (st, 2, limit);
  return ks_sqlite_collect_ids (st, out_ids, error);
}

static void
read_notice (sqlite3_stmt *st, KsNotice *out)
{
  out->id = ks_col_int (st, 0);
  out->report_id = ks_col_int (st, 1);
  out->kind = g_strdup (ks_col_text (st, 2));
  out->state = g_strdup (ks_col_text (st, 3));
  out->created = ks_col_int (st, 4);
  out->due = ks_col_int (st, 5);
  out->from_update = ks_col_int (st, 6);
  out->sent = ks_col_int (st, 7);
  out->subject = g_strdup (ks_col_text (st, 8));
  out->file = g_strdup (ks_col_text (st, 9));
  out->error = g_strdup (ks_col_text (st, 10));
  out->answered = ks_col_int (st, 11);
  out->answer = g_strdup (ks_col_text (st, 12));
}

static gboolean
get_where (KsStore *store, const char *sql, gint64 id, const char *text, gboolean *found,
           KsNotice *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);

  if (st == NULL)
    return FALSE;
  if (text != NULL)
    ks_bind_text (st, 1, text);
  else
    sqlite3_bind_int64 (st, 1, id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    read_notice (st, out);
  return TRUE;
}

static gboolean
get (KsStore *store, gint64 id, gboolean *found, KsNotice *out, GError **error)
{
  return get_where (store, "SELECT " NOTICE_COLUMNS " FROM resident_emails WHERE id = ?",
                    id, NULL, found, out, error);
}

static gboolean
by_token (KsStore *store, const char *token_hash, gboolean *found, KsNotice *out,
          GError **error)
{
  return get_where (store, "SELECT " NOTICE_COLUMNS " FROM resident_emails WHERE token_hash = ? "
                    "AND kind = 'questionnaire'", 0, token_hash, found, out, error);
}

static gboolean
finish (KsStore *store, gint64 id, const KsNoticeResult *r, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE resident_emails SET state = ?, sent = ?, subject = ?, file = ?, error = ?, "
    "  token_hash = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, r->state);
  sqlite3_bind_int64 (st, 2, r->sent);
  ks_bind_text (st, 3, r->subject);
  ks_bind_text (st, 4, r->file);
  ks_bind_text (st, 5, r->error);
  ks_bind_text (st, 6, r->token_hash);
  sqlite3_bind_int64 (st, 7, id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
list (KsStore *store, gint64 report_id, KsNoticeFunc func, gpointer user_data, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT " NOTICE_COLUMNS " FROM resident_emails WHERE report_id = ? ORDER BY id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      g_auto(KsNotice) n = { 0 };
      read_notice (st, &n);
      func (&n, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
updates_since (KsStore *store, gint64 report_id, gint64 from_update, KsNoticeUpdateFunc func,
               gpointer user_data, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id, text, email_text, state, created FROM updates "
    "WHERE report_id = ? AND id >= ? AND public <> 0 AND hidden = 0 "
    "  AND kind IN ('update', 'state', 'acknowledge') ORDER BY id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  sqlite3_bind_int64 (st, 2, from_update);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsNoticeUpdate u = { ks_col_int (st, 0), ks_col_text (st, 1), ks_col_text (st, 2),
                           ks_col_text (st, 3), ks_col_int (st, 4) };
      func (&u, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
answer (KsStore *store, gint64 id, const char *answer, gint64 now, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE resident_emails SET answer = ?, answered = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, answer);
  sqlite3_bind_int64 (st, 2, now);
  sqlite3_bind_int64 (st, 3, id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
set_client (KsStore *store, gint64 report_id, gint64 api_key_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE reports SET api_key_id = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  ks_bind_id (st, 1, api_key_id);
  sqlite3_bind_int64 (st, 2, report_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
set_client_notify (KsStore *store, gint64 api_key_id, gboolean notify, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE api_keys SET notify_residents = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int (st, 1, notify ? 1 : 0);
  sqlite3_bind_int64 (st, 2, api_key_id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
auto_response (KsStore *store, gint64 report_id, const char *state, gboolean *found,
               KsAutoResponse *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT t.id, t.text, t.email_text, nullif (t.external_status_code, '') "
    "FROM reports r JOIN templates t ON t.body_id = r.body_id "
    "WHERE r.id = ?1 AND t.auto_response <> 0 AND t.state = ?2 "
    "  AND (NOT EXISTS (SELECT 1 FROM template_categories c WHERE c.template_id = t.id) "
    "       OR EXISTS (SELECT 1 FROM template_categories c "
    "                  WHERE c.template_id = t.id AND c.category_id = r.category_id)) "
    "ORDER BY t.position, t.id LIMIT 1", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  ks_bind_text (st, 2, state);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    {
      out->id = ks_col_int (st, 0);
      out->text = g_strdup (ks_col_text (st, 1));
      out->email_text = g_strdup (ks_col_text (st, 2));
      out->external_status_code = g_strdup (ks_col_text (st, 3));
    }
  return TRUE;
}

void
ks_sqlite_store_notices_init (KsStoreNoticesVTable *vtable)
{
  vtable->queue = queue;
  vtable->due = due;
  vtable->get = get;
  vtable->finish = finish;
  vtable->list = list;
  vtable->updates_since = updates_since;
  vtable->by_token = by_token;
  vtable->answer = answer;
  vtable->set_client = set_client;
  vtable->set_client_notify = set_client_notify;
  vtable->auto_response = auto_response;
}

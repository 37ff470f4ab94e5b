/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-reports.c: the report reads in SQLite: the sync feed, the detail
 * of one report and who may see a photo (the list is in
 * ks-sqlite-store-report-list.c). */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-report-rows.h"

#include <string.h>

#define LIST_COLUMNS KS_SQLITE_LIST_COLUMNS
#define N_LIST_COLUMNS KS_SQLITE_N_LIST_COLUMNS
#define LIST_FROM KS_SQLITE_LIST_FROM

/* ---- Read transactions ---- */

gboolean
ks_sqlite_begin_read (KsStore  *store,
                      gboolean *started,
                      GError  **error)
{
  sqlite3 *db = ks_sqlite_db (store, error);
  g_autoptr(KsStmt) st = NULL;

  *started = FALSE;
  if (db == NULL)
    return FALSE;
  if (!sqlite3_get_autocommit (db))
    return TRUE;
  if ((st = ks_sqlite_stmt (store, "BEGIN", error)) == NULL ||
      !ks_sqlite_step_done (st, error))
    return FALSE;
  *started = TRUE;
  return TRUE;
}

void
ks_sqlite_end_read (KsStore  *store,
                    gboolean  started)
{
  g_autoptr(KsStmt) st = NULL;

  if (!started)
    return;
  st = ks_sqlite_stmt (store, "COMMIT", NULL);
  if (st == NULL || sqlite3_step (st) != SQLITE_DONE)
    {
      sqlite3 *db = ks_sqlite_db (store, NULL);
      if (db != NULL && !sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* ---- Sync ---- */

/* A report's answers to its category's questions: a JSON array of [code, value]
 * pairs in their order ("[]" when none); api/ks-wire-report.c writes them out. */
#define ATTRIBUTES_COLUMN \
  "(SELECT json_group_array (json_array (a.code, a.value)) FROM " \
  "  (SELECT code, value FROM report_attributes WHERE report_id = r.id ORDER BY position) a)"

/* A report's stored photos, its own then each update's, in order: a JSON array of
 * [update_id (0: the report's own), ref, redacted (0/1)]. */
#define PHOTOS_COLUMN \
  "(SELECT json_group_array (json_array (p.u, p.ref, p.redacted)) FROM " \
  "  (SELECT coalesce (update_id, 0) AS u, ref, " \
  "          EXISTS (SELECT 1 FROM moderation m WHERE m.new_photo = photos.ref " \
  "                    AND m.action = 'redact_photo') AS redacted " \
  "   FROM photos WHERE report_id = r.id ORDER BY coalesce (update_id, 0), position) p)"

/* A page is found by a walk of the seq index alone: the reports' ids and seqs,
 * and with_reporter the columns the reporter's data needs beside a kept item
 * (the reporter is never kept). A council's walk reads only its index
 * (reports_body_seq holds the category the caller may not see, data/sql/0067,
 * and the reporter, 0068), never the reports' rows; so does the walk of every
 * council's reports (reports_seq) without the reporter. */
#define SYNC_WALK_LEAN_COLUMNS "r.id, r.seq"
#define SYNC_WALK_COLUMNS \
  SYNC_WALK_LEAN_COLUMNS ", r.body_id, " \
  "r.reporter_name, r.reporter_email, r.reporter_phone, r.show_name"

#define SYNC_COLUMNS \
  LIST_COLUMNS ", r.detail, r.address, r.photo, r.acknowledged_by, ack.name, " \
  "r.shortlist_pos, r.body_id, r.reporter_name, r.reporter_email, r.reporter_phone, r.show_name, " \
  ATTRIBUTES_COLUMN ", " PHOTOS_COLUMN ", r.responded, r.duplicate_of"
#define SYNC_ATTRIBUTES (N_LIST_COLUMNS + 11)
#define SYNC_PHOTOS (SYNC_ATTRIBUTES + 1)
#define SYNC_RESPONDED (SYNC_PHOTOS + 1)
#define SYNC_DUPLICATE_OF (SYNC_RESPONDED + 1)
#define SYNC_FROM \
  LIST_FROM " LEFT JOIN users ack ON ack.id = r.acknowledged_by"

/* One report of a page, as the walk found it (the strings are the page's). */
typedef struct {
  gint64      id;
  gint64      seq;
  gint64      body_id;
  const char *reporter_name;
  const char *reporter_email;
  const char *reporter_phone;
  gboolean    show_name;
} SyncEntry;

/* The kept items are then read in the order of the reports' ids, which is the
 * order of report_fragments' rows: the first sync of a large store reads them
 * as one pass along the table rather than one descent of its tree for each
 * report, in seq order scattered over the whole file. A gap between two ids of
 * the page of up to this many is stepped over row by row; a wider one is a
 * seek. */
#define SYNC_STEP_GAP 32

static int
sync_entry_by_id (gconstpointer a,
                  gconstpointer b)
{
  gint64 x = ((const SyncEntry *) a)->id, y = ((const SyncEntry *) b)->id;

  return (x > y) - (x < y);
}

static const char *
chunk_text (GStringChunk *chunk,
            const char   *text)
{
  return text != NULL ? g_string_chunk_insert (chunk, text) : NULL;
}

/* Gives the report e, read whole from its row (one is the SYNC_COLUMNS
 * statement by id) for the caller to render: its item is not kept, or not for
 * its seq. */
static gboolean
sync_give_row (KsStore          *store,
               const SyncEntry  *e,
               KsStmt          **one,
               guint             index,
               KsReportRowFunc   func,
               gpointer          user_data,
               GError          **error)
{
  KsReportRow r = { 0 };
  int rc;

  if (*one == NULL &&
      (*one = ks_sqlite_stmt (store, "SELECT " SYNC_COLUMNS " FROM reports r" SYNC_FROM
                              " WHERE r.id = ?", error)) == NULL)
    return FALSE;
  sqlite3_reset (*one);
  sqlite3_bind_int64 (*one, 1, e->id);
  if ((rc = sqlite3_step (*one)) != SQLITE_ROW)
    return rc == SQLITE_DONE ? TRUE : ks_sqlite_stmt_fail (*one, error);
  ks_sqlite_report_row_list (&r, *one);
  r.detail = ks_col_text (*one, N_LIST_COLUMNS);
  r.address = ks_col_text (*one, N_LIST_COLUMNS + 1);
  r.photo = ks_col_text (*one, N_LIST_COLUMNS + 2);
  r.acknowledged_by = ks_col_int (*one, N_LIST_COLUMNS + 3);
  r.acknowledged_by_name = ks_col_text (*one, N_LIST_COLUMNS + 4);
  r.shortlist_position = ks_col_int (*one, N_LIST_COLUMNS + 5);
  r.body_id = ks_col_int (*one, N_LIST_COLUMNS + 6);
  r.reporter_name = ks_col_text (*one, N_LIST_COLUMNS + 7);
  r.reporter_email = ks_col_text (*one, N_LIST_COLUMNS + 8);
  r.reporter_phone = ks_col_text (*one, N_LIST_COLUMNS + 9);
  r.show_name = ks_col_int (*one, N_LIST_COLUMNS + 10) != 0;
  r.attributes = ks_col_text (*one, SYNC_ATTRIBUTES);
  r.photos = ks_col_text (*one, SYNC_PHOTOS);
  r.responded = ks_col_int (*one, SYNC_RESPONDED);
  r.duplicate_of = ks_col_int (*one, SYNC_DUPLICATE_OF);
  func (&r, index, user_data);
  return TRUE;
}

/* Gives the page's reports in the order of their ids (entries is sorted
 * here): each from its kept item when it has one of its seq, else from its
 * row. */
static gboolean
sync_give_page (KsStore          *store,
                GArray           *entries,
                gboolean          with_reporter,
                KsReportRowFunc   func,
                gpointer          user_data,
                GError          **error)
{
  g_autoptr(KsStmt) items = NULL;
  g_autoptr(KsStmt) one = NULL;
  gboolean on_item = FALSE, past_end = FALSE;
  gint64 at = 0;   /* the report id of the item the scan is on */
  int rc;

  g_array_sort (entries, sync_entry_by_id);
  items = ks_sqlite_stmt (store,
    "SELECT report_id, seq, body, list_len FROM report_fragments "
    "WHERE report_id >= ?1 ORDER BY report_id", error);
  if (items == NULL)
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      const SyncEntry *e = &g_array_index (entries, SyncEntry, i);
      KsReportRow r = { 0 };

      while (!past_end && (!on_item || at < e->id))
        {
          if (!on_item || e->id - at > SYNC_STEP_GAP)
            {
              sqlite3_reset (items);
              sqlite3_bind_int64 (items, 1, e->id);
            }
          rc = sqlite3_step (items);
          if (rc == SQLITE_ROW)
            {
              at = ks_col_int (items, 0);
              on_item = TRUE;
            }
          else if (rc == SQLITE_DONE)
            on_item = FALSE, past_end = TRUE;
          else
            return ks_sqlite_stmt_fail (items, error);
        }

      if (!on_item || at != e->id || ks_col_int (items, 1) != e->seq)
        {
          if (!sync_give_row (store, e, &one, i, func, user_data, error))
            return FALSE;
          continue;
        }
      r.id = e->id;
      r.seq = e->seq;
      r.fragment = ks_col_text (items, 2);
      r.fragment_len = (gsize) sqlite3_column_bytes (items, 2);
      r.fragment_list_len = (gsize) ks_col_int (items, 3);
      if (with_reporter)
        {
          r.body_id = e->body_id;
          r.reporter_name = e->reporter_name;
          r.reporter_email = e->reporter_email;
          r.reporter_phone = e->reporter_phone;
          r.show_name = e->show_name;
        }
      func (&r, i, user_data);
    }
  return TRUE;
}

static gboolean
sync_page (KsStore           *store,
           const KsPrincipal *who,
           gint64             since,
           guint              limit,
           gboolean           with_remaining,
           gboolean           with_reporter,
           KsReportRowFunc    func,
           gpointer           user_data,
           KsSyncPage        *out,
           GError           **error)
{
  gboolean all = who->is_superuser && who->body_id == 0;
  const char *sql;
  gint64 body_id = who->body_id;
  g_autoptr(KsStmt) st = NULL;
  g_autoptr(KsStmt) cur = NULL;
  g_autoptr(KsStmt) ts = NULL;
  g_autoptr(GArray) entries = NULL;
  GStringChunk *chunk = NULL;
  gboolean started = FALSE, more = FALSE;
  gint64 last_seq = since, upto;
  int rc;

  if (!all && body_id == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FORBIDDEN,
                   "Your account does not belong to a council, so there are no reports to "
                   "sync. Ask an administrator to add you to one.");
      return FALSE;
    }
  if (!ks_sqlite_begin_read (store, &started, error))
    return FALSE;

  /* (Statements are kept by their text's address: four literals.) */
#define SYNC_WALK_ALL(cols) \
  "SELECT " cols " FROM reports r INDEXED BY reports_seq WHERE r.seq > ?2 ORDER BY r.seq"
#define SYNC_WALK_BODY(cols) \
  "SELECT " cols " FROM reports r INDEXED BY reports_body_seq " \
  "WHERE r.body_id = ?1 AND r.seq > ?2 AND " KS_SQLITE_SEES ("?5") " ORDER BY r.seq"
  if (all)
    sql = with_reporter ? SYNC_WALK_ALL (SYNC_WALK_COLUMNS) : SYNC_WALK_ALL (SYNC_WALK_LEAN_COLUMNS);
  else
    sql = with_reporter ? SYNC_WALK_BODY (SYNC_WALK_COLUMNS) : SYNC_WALK_BODY (SYNC_WALK_LEAN_COLUMNS);
#undef SYNC_WALK_ALL
#undef SYNC_WALK_BODY
  st = ks_sqlite_stmt (store, sql, error);
  if (st == NULL)
    goto fail;
  if (!all)
    {
      sqlite3_bind_int64 (st, 1, body_id);
      ks_sqlite_bind_hidden (st, 5, who);
    }
  sqlite3_bind_int64 (st, 2, since);

  entries = g_array_sized_new (FALSE, FALSE, sizeof (SyncEntry), MIN (limit, 4096));
  if (with_reporter)
    chunk = g_string_chunk_new (4096);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      SyncEntry e = { ks_col_int (st, 0), ks_col_int (st, 1) };

      /* Stop at the limit, but never between two reports of the same sequence
       * number: the next page starts after it. */
      if (entries->len >= limit && e.seq != last_seq)
        {
          more = TRUE;
          break;
        }
      if (with_reporter)
        {
          e.body_id = ks_col_int (st, 2);
          e.reporter_name = chunk_text (chunk, ks_col_text (st, 3));
          e.reporter_email = chunk_text (chunk, ks_col_text (st, 4));
          e.reporter_phone = chunk_text (chunk, ks_col_text (st, 5));
          e.show_name = ks_col_int (st, 6) != 0;
        }
      g_array_append_val (entries, e);
      last_seq = e.seq;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (st, error);
      goto fail;
    }
  ks_stmt_release (g_steal_pointer (&st));
  if (!sync_give_page (store, entries, with_reporter, func, user_data, error))
    goto fail;
  g_clear_pointer (&chunk, g_string_chunk_free);

  if (more)
    upto = last_seq;
  else
    {
      cur = ks_sqlite_stmt (store, "SELECT value FROM meta WHERE key = 'seq'", error);
      if (cur == NULL)
        goto fail;
      if (sqlite3_step (cur) != SQLITE_ROW)
        {
          ks_sqlite_stmt_fail (cur, error);
          goto fail;
        }
      upto = MAX (ks_col_int (cur, 0), last_seq);
    }

  /* Tombstones in the same range, except for reports the caller can still see
   * (they come back as reports). */
  if (all)
    ts = ks_sqlite_stmt (store,
      "SELECT t.report_id FROM tombstones t "
      "WHERE t.seq > ?2 AND t.seq <= ?3 AND (t.user_id IS NULL OR t.user_id = ?4) "
      "AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = t.report_id) "
      "GROUP BY t.report_id ORDER BY max(t.seq)", error);
  else
    ts = ks_sqlite_stmt (store,
      "SELECT t.report_id FROM tombstones t "
      "WHERE t.body_id = ?1 AND t.seq > ?2 AND t.seq <= ?3 AND (t.user_id IS NULL OR t.user_id = ?4) "
      "AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = t.report_id AND r.body_id = ?1 "
      "                AND " KS_SQLITE_SEES ("?5") ") "
      "GROUP BY t.report_id ORDER BY max(t.seq)", error);
  if (ts == NULL)
    goto fail;
  if (!all)
    {
      sqlite3_bind_int64 (ts, 1, body_id);
      ks_sqlite_bind_hidden (ts, 5, who);
    }
  sqlite3_bind_int64 (ts, 2, since);
  sqlite3_bind_int64 (ts, 3, upto);
  sqlite3_bind_int64 (ts, 4, who->user_id);
  out->tombstones = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (ts)) == SQLITE_ROW)
    {
      gint64 id = ks_col_int (ts, 0);
      g_array_append_val (out->tombstones, id);
    }
  if (rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (ts, error);
      goto fail;
    }

  out->remaining = 0;
  if (with_remaining && more)
    {
      /* Reports after this page, counted on the same index the pages read. */
      g_clear_pointer (&cur, ks_stmt_release);
      if (all)
        cur = ks_sqlite_stmt (store,
          "SELECT count(*) FROM reports INDEXED BY reports_seq WHERE seq > ?2", error);
      else
        cur = ks_sqlite_stmt (store,
          "SELECT count(*) FROM reports INDEXED BY reports_body_seq "
          "WHERE body_id = ?1 AND seq > ?2", error);
      if (cur == NULL)
        goto fail;
      if (!all)
        sqlite3_bind_int64 (cur, 1, body_id);
      sqlite3_bind_int64 (cur, 2, last_seq);
      if (sqlite3_step (cur) != SQLITE_ROW)
        {
          ks_sqlite_stmt_fail (cur, error);
          goto fail;
        }
      out->remaining = ks_col_int (cur, 0);
    }
  out->seq = MAX (upto, since);
  out->more = more;

  g_clear_pointer (&ts, ks_stmt_release);
  g_clear_pointer (&cur, ks_stmt_release);
  ks_sqlite_end_read (store, started);
  return TRUE;

fail:
  g_clear_pointer (&st, ks_stmt_release);
  g_clear_pointer (&chunk, g_string_chunk_free);
  g_clear_pointer (&ts, ks_stmt_release);
  g_clear_pointer (&cur, ks_stmt_release);
  ks_sqlite_end_read (store, started);
  return FALSE;
}

/* ---- Rendered sync items ---- */

static gboolean
keep_fragments (KsStore                *store,
                const KsReportFragment *fragments,
                guint                   n_fragments,
                GError                **error)
{
  g_autoptr(KsStmt) st = NULL;

  if (n_fragments == 0)
    return TRUE;
  if (!ks_store_begin_write (store, error))
    return FALSE;
  /* Only while the report is still as it was rendered. */
  st = ks_sqlite_stmt (store,
    "INSERT INTO report_fragments (report_id, seq, list_len, body) "
    "SELECT id, seq, ?3, ?4 FROM reports WHERE id = ?1 AND seq = ?2 "
    "ON CONFLICT (report_id) DO UPDATE SET seq = excluded.seq, "
    "list_len = excluded.list_len, body = excluded.body", error);
  if (st == NULL)
    goto fail;
  for (guint i = 0; i < n_fragments; i++)
    {
      const KsReportFragment *f = &fragments[i];

      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, f->report_id);
      sqlite3_bind_int64 (st, 2, f->seq);
      sqlite3_bind_int64 (st, 3, (gint64) f->list_len);
      sqlite3_bind_text (st, 4, f->body, -1, SQLITE_STATIC);
      if (!ks_sqlite_step_done (st, error))
        goto fail;
    }
  g_clear_pointer (&st, ks_stmt_release);
  return ks_store_commit (store, error);

fail:
  g_clear_pointer (&st, ks_stmt_release);
  ks_store_rollback (store);
  return FALSE;
}

/* The walk of every report in seq order, stopped at the first whose item is
 * not kept: each probe is of report_fragments_seq (data/sql/0069), never of
 * the items, so a store whose reports all have theirs reads two indexes. */
static gboolean
first_unkept (KsStore   *store,
              gboolean  *out_any,
              gint64    *out_seq,
              GError   **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.seq FROM reports r INDEXED BY reports_seq "
    "WHERE NOT EXISTS (SELECT 1 FROM report_fragments f INDEXED BY report_fragments_seq "
    "                  WHERE f.report_id = r.id AND f.seq = r.seq) "
    "ORDER BY r.seq LIMIT 1", error);

  *out_any = FALSE;
  if (st == NULL || !ks_sqlite_step_row (st, out_any, error))
    return FALSE;
  if (*out_any)
    *out_seq = ks_col_int (st, 0);
  return TRUE;
}

/* ---- Detail ---- */

#define DETAIL_COLUMNS \
  LIST_COLUMNS ", r.body_id, r.detail, r.address, r.photo, r.source, r.shortlist_pos, " \
  "r.acknowledged_by, ack.name, r.reporter_name, r.reporter_email, r.reporter_phone, r.show_name, " \
  "sl.name, " ATTRIBUTES_COLUMN ", " PHOTOS_COLUMN ", r.responded"
enum {
  D_BODY = N_LIST_COLUMNS, D_DETAIL, D_ADDRESS, D_PHOTO, D_SOURCE, D_SHORTLIST_POS,
  D_ACK_BY, D_ACK_NAME, D_REPORTER,
  D_SHORTLIST_NAME = D_REPORTER + 4,
  D_ATTRIBUTES,
  D_PHOTOS,
  D_RESPONDED,
};

static gboolean
give_updates (KsStore *store, gint64 report_id, const KsReportDetailFuncs *funcs,
              gpointer user_data, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT u.id, u.kind, u.text, u.state, u.priority_id, u.user_id, "
    "       COALESCE(s.name, u.author_name), u.public, u.created, u.photo, u.source, u.hidden, "
    "       (SELECT json_group_array (json_array (h.code, h.value)) FROM "
    "          (SELECT code, value FROM attribute_history WHERE update_id = u.id "
    "           ORDER BY position) h) "
    "FROM updates u LEFT JOIN users s ON s.id = u.user_id "
    "WHERE u.report_id = ? ORDER BY u.created, u.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsUpdateRow u = {
        .id = ks_col_int (st, 0),
        .kind = ks_col_text (st, 1),
        .text = ks_col_text (st, 2),
        .state = ks_col_text (st, 3),
        .priority_id = ks_col_int (st, 4),
        .user_id = ks_col_int (st, 5),
        .user = ks_col_text (st, 6),
        .is_public = ks_col_int (st, 7) != 0,
        .created = ks_col_int (st, 8),
        .photo = ks_col_text (st, 9),
        .source = ks_col_text (st, 10),
        .hidden = ks_col_int (st, 11) != 0,
        .previous_attributes = ks_col_text (st, 12),
      };
      funcs->update (&u, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* A nullable boolean column: -1 when NULL. */
static int
col_tristate (sqlite3_stmt *st, int i)
{
  return ks_col_null (st, i) ? -1 : ks_col_int (st, i) != 0;
}

static gboolean
give_moderation (KsStore *store, gint64 report_id, const KsReportDetailFuncs *funcs,
                 gpointer user_data, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT m.id, m.user_id, s.name, m.reason, m.created, m.old_title, m.new_title, "
    "       m.old_detail, m.new_detail, m.old_show_name, m.new_show_name, m.old_photo, "
    "       m.photo_removed, m.update_id, m.action, m.old_text, m.new_text, m.old_hidden, "
    "       m.new_hidden, m.new_photo "
    "FROM moderation m LEFT JOIN users s ON s.id = m.user_id "
    "WHERE m.report_id = ? ORDER BY m.created, m.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsModerationRow m = {
        .id = ks_col_int (st, 0),
        .user_id = ks_col_int (st, 1),
        .user = ks_col_text (st, 2),
        .reason = ks_col_text (st, 3),
        .created = ks_col_int (st, 4),
        .old_title = ks_col_text (st, 5),
        .new_title = ks_col_text (st, 6),
        .old_detail = ks_col_text (st, 7),
        .new_detail = ks_col_text (st, 8),
        .old_show_name = col_tristate (st, 9),
        .new_show_name = col_tristate (st, 10),
        .old_photo = ks_col_text (st, 11),
        .photo_removed = ks_col_int (st, 12) != 0,
        .update_id = ks_col_int (st, 13),
        .action = ks_col_text (st, 14),
        .old_text = ks_col_text (st, 15),
        .new_text = ks_col_text (st, 16),
        .old_hidden = col_tristate (st, 17),
        .new_hidden = col_tristate (st, 18),
        .new_photo = ks_col_text (st, 19),
      };
      funcs->moderation (&m, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
detail (KsStore                   *store,
        const KsPrincipal         *who,
        gint64                     report_id,
        const KsReportDetailFuncs *funcs,
        gpointer                   user_data,
        gint64                    *out_body_id,
        GError                   **error)
{
  g_autoptr(KsStmt) st = NULL;
  gboolean started = FALSE;
  gint64 body_id;
  KsReportRow r;
  int rc;

  if (!ks_sqlite_begin_read (store, &started, error))
    return FALSE;

  st = ks_sqlite_stmt (store,
    "SELECT " DETAIL_COLUMNS " FROM reports r" LIST_FROM
    " LEFT JOIN users ack ON ack.id = r.acknowledged_by"
    " LEFT JOIN users sl ON sl.id = r.shortlist_user WHERE r.id = ?", error);
  if (st == NULL)
    goto fail;
  sqlite3_bind_int64 (st, 1, report_id);
  rc = sqlite3_step (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (st, error);
      goto fail;
    }
  body_id = rc == SQLITE_ROW ? ks_col_int (st, D_BODY) : 0;
  if (rc == SQLITE_DONE || !ks_principal_sees_report (who, body_id, ks_col_int (st, 2)))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no report %" G_GINT64_FORMAT ". Check the report number.",
                   report_id);
      goto fail;
    }

  ks_sqlite_report_row_list (&r, st);
  r.body_id = body_id;
  r.detail = ks_col_text (st, D_DETAIL);
  r.address = ks_col_text (st, D_ADDRESS);
  r.photo = ks_col_text (st, D_PHOTO);
  r.source = ks_col_text (st, D_SOURCE);
  r.shortlist_position = ks_col_int (st, D_SHORTLIST_POS);
  r.acknowledged_by = ks_col_int (st, D_ACK_BY);
  r.acknowledged_by_name = ks_col_text (st, D_ACK_NAME);
  r.reporter_name = ks_col_text (st, D_REPORTER);
  r.reporter_email = ks_col_text (st, D_REPORTER + 1);
  r.reporter_phone = ks_col_text (st, D_REPORTER + 2);
  r.show_name = ks_col_int (st, D_REPORTER + 3) != 0;
  r.shortlist_holder_name = ks_col_text (st, D_SHORTLIST_NAME);
  r.attributes = ks_col_text (st, D_ATTRIBUTES);
  r.photos = ks_col_text (st, D_PHOTOS);
  r.responded = ks_col_int (st, D_RESPONDED);
  funcs->report (&r, user_data);
  ks_stmt_release (g_steal_pointer (&st));

  if (!give_updates (store, report_id, funcs, user_data, error) ||
      !give_moderation (store, report_id, funcs, user_data, error))
    goto fail;

  ks_sqlite_end_read (store, started);
  if (out_body_id)
    *out_body_id = body_id;
  return TRUE;

fail:
  g_clear_pointer (&st, ks_stmt_release);
  ks_sqlite_end_read (store, started);
  return FALSE;
}

static gboolean
media_visible (KsStore           *store,
               const KsPrincipal *who,
               const char        *ref,
               gboolean          *out_visible,
               GError           **error)
{
  g_autoptr(KsStmt) st = NULL;
  gboolean found = FALSE;
  gint64 body_id = who->is_superuser ? 0 : who->body_id;

  *out_visible = FALSE;
  if (!who->is_superuser && body_id == 0)
    return TRUE;
  /* ?2 = 0: any council (superusers). */
  st = ks_sqlite_stmt (store,
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r WHERE r.photo = ?1 "
    "                         AND (?2 = 0 OR r.body_id = ?2) AND " KS_SQLITE_SEES ("?4") ") "
    "  OR EXISTS (SELECT 1 FROM updates u JOIN reports r ON r.id = u.report_id "
    "             WHERE u.photo = ?1 AND (?2 = 0 OR r.body_id = ?2) AND " KS_SQLITE_SEES ("?4") ") "
    "  OR EXISTS (SELECT 1 FROM photos p JOIN reports r ON r.id = p.report_id "
    "             WHERE p.ref = ?1 AND (?2 = 0 OR r.body_id = ?2) AND " KS_SQLITE_SEES ("?4") ") "
    "  OR (?3 AND EXISTS (SELECT 1 FROM moderation m JOIN reports r ON r.id = m.report_id "
    "                     WHERE m.old_photo = ?1 AND (?2 = 0 OR r.body_id = ?2) "
    "                       AND " KS_SQLITE_SEES ("?4") "))",
    error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, ref);
  sqlite3_bind_int64 (st, 2, body_id);
  ks_sqlite_bind_hidden (st, 4, who);
  sqlite3_bind_int (st, 3, ks_principal_can (who, KS_PERM_MODERATE_REPORT) ? 1 : 0);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_visible = found;
  return TRUE;
}

static gboolean
media_public (KsStore     *store,
              const char  *ref,
              gboolean    *out_public,
              GError     **error)
{
  g_autoptr(KsStmt) st = NULL;
  gboolean found = FALSE;

  *out_public = FALSE;
  st = ks_sqlite_stmt (store,
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r JOIN categories c ON c.id = r.category_id "
    "                       WHERE r.photo = ?1 AND r.state NOT IN ('unconfirmed', 'hidden') "
    "                         AND c.private = 0) "
    "  OR EXISTS (SELECT 1 FROM updates u JOIN reports r ON r.id = u.report_id "
    "             JOIN categories c ON c.id = r.category_id "
    "             WHERE u.photo = ?1 AND u.public = 1 AND u.hidden = 0 "
    "               AND r.state NOT IN ('unconfirmed', 'hidden') AND c.private = 0) "
    "  OR EXISTS (SELECT 1 FROM photos p JOIN reports r ON r.id = p.report_id "
    "             JOIN categories c ON c.id = r.category_id "
    "             LEFT JOIN updates u ON u.id = p.update_id "
    "             WHERE p.ref = ?1 AND r.state NOT IN ('unconfirmed', 'hidden') "
    "               AND c.private = 0 "
    "               AND (p.update_id IS NULL OR (u.public = 1 AND u.hidden = 0)))",
    error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, ref);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_public = found;
  return TRUE;
}

/* Reading many details ahead saves round trips to a database server; SQLite
 * reads in the process, a report's detail costs microseconds, so each is read
 * when asked for and there is nothing to keep. */
static gboolean
read_ahead (KsStore       *store,
            const gint64  *ids,
            guint          n_ids,
            GError       **error)
{
  return TRUE;
}

static void
forget_ahead (KsStore *store)
{
}

void
ks_sqlite_store_reports_init (KsStoreReportsVTable *vtable)
{
  vtable->media_visible = media_visible;
  vtable->media_public = media_public;
  vtable->list = ks_sqlite_report_list;
  vtable->sync = sync_page;
  vtable->keep_fragments = keep_fragments;
  vtable->first_unkept = first_unkept;
  vtable->detail = detail;
  vtable->read_ahead = read_ahead;
  vtable->forget_ahead = forget_ahead;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-reports.c: the report reads in PostgreSQL: the sync feed, the detail
 * of one report and who may see a photo (the list is in
 * ks-pg-store-report-list.c). */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-report-rows.h"

#define LIST_COLUMNS KS_PG_LIST_COLUMNS
#define N_LIST_COLUMNS KS_PG_N_LIST_COLUMNS
#define LIST_FROM KS_PG_LIST_FROM

#include "postgres/ks-pg-read-ahead.h"
#include "ks-json-writer.h"

/* ---- Read snapshots ---- */

gboolean
ks_pg_begin_read (KsStore  *store,
                  gboolean *started,
                  GError  **error)
{
  KsPgDb *db = ks_pg_store_db (store);

  *started = FALSE;
  if (ks_pg_db_in_transaction (db))
    return TRUE;
  if (!ks_pg_db_begin (db, "REPEATABLE READ, READ ONLY", error))
    return FALSE;
  *started = TRUE;
  return TRUE;
}

void
ks_pg_end_read (KsStore  *store,
                gboolean  started)
{
  /* Nothing was written: ending it either way is the same. */
  if (started)
    ks_pg_db_rollback (ks_pg_store_db (store));
}

/* ---- Sync ---- */

/* A report's answers to its category's questions: a JSON array of [code, value]
 * pairs in their order (NULL when none); api/ks-wire-report.c writes them out. */
#define ATTRIBUTES_COLUMN \
  "(SELECT json_agg (json_build_array (a.code, a.value) ORDER BY a.position) " \
  "  FROM report_attributes a WHERE a.report_id = r.id)"

/* A report's stored photos, its own then each update's, in order: a JSON array of
 * [update_id (0: the report's own), ref, redacted] (NULL when none). */
#define PHOTOS_COLUMN \
  "(SELECT json_agg (json_build_array (coalesce (p.update_id, 0), p.ref, " \
  "          EXISTS (SELECT 1 FROM moderation m WHERE m.new_photo = p.ref " \
  "                    AND m.action = 'redact_photo')) " \
  "        ORDER BY coalesce (p.update_id, 0), p.position) " \
  "  FROM photos p WHERE p.report_id = r.id)"

/* The answers and photos are read only for a report without a fresh rendered
 * item (CASE evaluates them only then). */
#define SYNC_COLUMNS \
  LIST_COLUMNS ", r.detail, r.address, r.photo, r.acknowledged_by, ack.name, " \
  "r.shortlist_pos, r.body_id, r.reporter_name, r.reporter_email, r.reporter_phone, r.show_name, " \
  "CASE WHEN f.body IS NULL THEN " ATTRIBUTES_COLUMN " END, " \
  "CASE WHEN f.body IS NULL THEN " PHOTOS_COLUMN " END, f.body, f.list_len, r.responded, r.duplicate_of"
#define SYNC_ATTRIBUTES (N_LIST_COLUMNS + 11)
#define SYNC_PHOTOS (SYNC_ATTRIBUTES + 1)
#define SYNC_FRAGMENT (SYNC_PHOTOS + 1)
#define SYNC_RESPONDED (SYNC_FRAGMENT + 2)
#define SYNC_DUPLICATE_OF (SYNC_RESPONDED + 1)
#define SYNC_FROM \
  LIST_FROM " LEFT JOIN users ack ON ack.id = r.acknowledged_by" \
  " LEFT JOIN report_fragments f ON f.report_id = r.id AND f.seq = r.seq"

/* The reports' category is not hidden from the caller (in a query of reports
 * without an alias). */
#define VISIBLE(param) "category_id <> ALL (" param "::bigint[])"

static gboolean
sync_page (KsStore           *store,
           const KsPrincipal *who,
           gint64             since,
           guint              limit,
           gboolean           with_remaining,
           gboolean           with_reporter G_GNUC_UNUSED,
           KsReportRowFunc    func,
           gpointer           user_data,
           KsSyncPage        *out,
           GError           **error)
{
  /* The page: the reports after since up to the sequence number of the limit-th
   * one (offset limit - 1), all of them when there are fewer: a page never ends
   * between two reports of the same sequence number. ($1: since, $2: the
   * offset, $3: the council.) The page's reports come in the order of their
   * ids, as in SQLite; their ids are put in order before the rows are read
   * and the names joined, so that a page of 50,000 is never sorted whole (on
   * disk). */
  static const KsPgStatement page_all = { "reports_sync_page_all",
    "WITH upto AS (SELECT seq FROM reports WHERE seq > $1 ORDER BY seq OFFSET $2 LIMIT 1) "
    "SELECT " SYNC_COLUMNS " FROM (SELECT id FROM reports"
    "  WHERE seq > $1 AND seq <= COALESCE ((SELECT seq FROM upto), 9223372036854775807)"
    "  ORDER BY id) p JOIN reports r ON r.id = p.id" SYNC_FROM
    " ORDER BY r.id" };
  static const KsPgStatement page_body = { "reports_sync_page_body",
    "WITH upto AS (SELECT seq FROM reports WHERE body_id = $3 AND seq > $1 "
    "              AND " VISIBLE ("$4") " ORDER BY seq OFFSET $2 LIMIT 1) "
    "SELECT " SYNC_COLUMNS " FROM (SELECT id FROM reports"
    "  WHERE body_id = $3 AND seq > $1 AND " VISIBLE ("$4")
    "    AND seq <= COALESCE ((SELECT seq FROM upto), 9223372036854775807)"
    "  ORDER BY id) p JOIN reports r ON r.id = p.id" SYNC_FROM
    " ORDER BY r.id" };
  /* Whether reports follow the page, or how many. */
  static const KsPgStatement after_all = { "reports_sync_after_all",
    "SELECT EXISTS (SELECT 1 FROM reports WHERE seq > $1)::int" };
  static const KsPgStatement after_body = { "reports_sync_after_body",
    "SELECT EXISTS (SELECT 1 FROM reports WHERE body_id = $2 AND seq > $1 "
    "               AND " VISIBLE ("$3") ")::int" };
  static const KsPgStatement count_all = { "reports_sync_count_all",
    "SELECT count(*) FROM reports WHERE seq > $1" };
  static const KsPgStatement count_body = { "reports_sync_count_body",
    "SELECT count(*) FROM reports WHERE body_id = $2 AND seq > $1 AND " VISIBLE ("$3") };
  static const KsPgStatement current = { "reports_sync_current_seq",
    "SELECT value FROM meta WHERE key = 'seq'" };
  /* Tombstones in the same range, except for reports the caller can still see
   * (they come back as reports). */
  static const KsPgStatement ts_all = { "reports_sync_tombstones_all",
    "SELECT t.report_id FROM tombstones t "
    "WHERE t.seq > $1 AND t.seq <= $2 AND (t.user_id IS NULL OR t.user_id = $3) "
    "  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = t.report_id) "
    "GROUP BY t.report_id ORDER BY max (t.seq), t.report_id" };
  static const KsPgStatement ts_body = { "reports_sync_tombstones_body",
    "SELECT t.report_id FROM tombstones t "
    "WHERE t.body_id = $4 AND t.seq > $1 AND t.seq <= $2 "
    "  AND (t.user_id IS NULL OR t.user_id = $3) "
    "  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = t.report_id AND r.body_id = $4 "
    "                  AND " KS_PG_SEES ("$5") ") "
    "GROUP BY t.report_id ORDER BY max (t.seq), t.report_id" };
  gboolean all = who->is_superuser && who->body_id == 0;
  gint64 body_id = who->body_id;
  g_autoptr(PGresult) res = NULL;
  gboolean started = FALSE, more = FALSE;
  gint64 last_seq = since, upto;
  int n = 0;

  if (!all && body_id == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FORBIDDEN,
                   "Your account does not belong to a council, so there are no reports to "
                   "sync. Ask an administrator to add you to one.");
      return FALSE;
    }
  if (!ks_pg_begin_read (store, &started, error))
    return FALSE;

  if (limit > 0)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, since);
      ks_pg_args_int (&args, (gint64) limit - 1);
      if (!all)
        {
          ks_pg_args_int (&args, body_id);
          ks_pg_args_hidden (&args, who);
        }
      res = ks_pg_store_query (store, all ? &page_all : &page_body, &args, error);
      if (res == NULL)
        goto fail;
      n = PQntuples (res);
      for (int i = 0; i < n; i++)
        {
          KsReportRow r;

          ks_pg_report_row_list (&r, res, i);
          r.detail = ks_pg_text (res, i, N_LIST_COLUMNS);
          r.address = ks_pg_text (res, i, N_LIST_COLUMNS + 1);
          r.photo = ks_pg_text (res, i, N_LIST_COLUMNS + 2);
          r.acknowledged_by = ks_pg_int (res, i, N_LIST_COLUMNS + 3);
          r.acknowledged_by_name = ks_pg_text (res, i, N_LIST_COLUMNS + 4);
          r.shortlist_position = ks_pg_int (res, i, N_LIST_COLUMNS + 5);
          r.body_id = ks_pg_int (res, i, N_LIST_COLUMNS + 6);
          r.reporter_name = ks_pg_text (res, i, N_LIST_COLUMNS + 7);
          r.reporter_email = ks_pg_text (res, i, N_LIST_COLUMNS + 8);
          r.reporter_phone = ks_pg_text (res, i, N_LIST_COLUMNS + 9);
          r.show_name = ks_pg_int (res, i, N_LIST_COLUMNS + 10) != 0;
          r.attributes = ks_pg_text (res, i, SYNC_ATTRIBUTES);
          r.photos = ks_pg_text (res, i, SYNC_PHOTOS);
          r.responded = ks_pg_int (res, i, SYNC_RESPONDED);
          r.duplicate_of = ks_pg_int (res, i, SYNC_DUPLICATE_OF);
          if ((r.fragment = ks_pg_text (res, i, SYNC_FRAGMENT)) != NULL)
            {
              r.fragment_len = (gsize) PQgetlength (res, i, SYNC_FRAGMENT);
              r.fragment_list_len = (gsize) ks_pg_int (res, i, SYNC_FRAGMENT + 1);
            }
          func (&r, (guint) i, user_data);
          last_seq = MAX (last_seq, r.seq);
        }
      g_clear_pointer (&res, PQclear);
    }

  out->remaining = 0;
  /* A page shorter than the limit holds every report there is; otherwise look
   * past its last sequence number. */
  if ((guint) n >= limit)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_int (&args, last_seq);
      if (!all)
        {
          ks_pg_args_int (&args, body_id);
          ks_pg_args_hidden (&args, who);
        }
      if (with_remaining)
        res = ks_pg_store_query (store, all ? &count_all : &count_body, &args, error);
      else
        res = ks_pg_store_query (store, all ? &after_all : &after_body, &args, error);
      if (res == NULL)
        goto fail;
      more = ks_pg_int (res, 0, 0) > 0;
      if (with_remaining)
        out->remaining = ks_pg_int (res, 0, 0);
      g_clear_pointer (&res, PQclear);
    }

  if (more)
    upto = last_seq;
  else
    {
      res = ks_pg_store_query (store, &current, NULL, error);
      if (res == NULL)
        goto fail;
      if (PQntuples (res) != 1)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "The database has no change sequence.");
          goto fail;
        }
      upto = MAX (ks_pg_int (res, 0, 0), last_seq);
      g_clear_pointer (&res, PQclear);
    }

  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

    ks_pg_args_int (&args, since);
    ks_pg_args_int (&args, upto);
    ks_pg_args_int (&args, who->user_id);
    if (!all)
      {
        ks_pg_args_int (&args, body_id);
        ks_pg_args_hidden (&args, who);
      }
    res = ks_pg_store_query (store, all ? &ts_all : &ts_body, &args, error);
    if (res == NULL)
      goto fail;
    out->tombstones = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (res));
    for (int i = 0; i < PQntuples (res); i++)
      {
        gint64 id = ks_pg_int (res, i, 0);
        g_array_append_val (out->tombstones, id);
      }
  }

  out->seq = MAX (upto, since);
  out->more = more;
  ks_pg_end_read (store, started);
  return TRUE;

fail:
  ks_pg_end_read (store, started);
  return FALSE;
}

/* ---- Detail ---- */

#define DETAIL_COLUMNS \
  LIST_COLUMNS ", r.body_id, r.detail, r.address, r.photo, r.source, r.shortlist_pos, " \
  "r.acknowledged_by, ack.name, r.reporter_name, r.reporter_email, r.reporter_phone, r.show_name, " \
  "sl.name, " ATTRIBUTES_COLUMN ", " PHOTOS_COLUMN ", r.responded"
#define DETAIL_FROM \
  " FROM reports r" LIST_FROM " LEFT JOIN users ack ON ack.id = r.acknowledged_by" \
  " LEFT JOIN users sl ON sl.id = r.shortlist_user "
enum {
  D_BODY = N_LIST_COLUMNS, D_DETAIL, D_ADDRESS, D_PHOTO, D_SOURCE, D_SHORTLIST_POS,
  D_ACK_BY, D_ACK_NAME, D_REPORTER,
  D_SHORTLIST_NAME = D_REPORTER + 4,
  D_ATTRIBUTES,
  D_PHOTOS,
  D_RESPONDED,
};

/* The timeline's and the moderation history's columns, for one report or for many
 * read ahead. */
#define UPDATE_COLUMNS \
  "u.id, u.kind, u.text, u.state, u.priority_id, u.user_id, " \
  "COALESCE (s.name, u.author_name), u.public, u.created, u.photo, u.source, u.hidden, " \
  "(SELECT json_agg (json_build_array (h.code, h.value) ORDER BY h.position) " \
  "   FROM attribute_history h WHERE h.update_id = u.id)"
#define UPDATE_FROM " FROM updates u LEFT JOIN users s ON s.id = u.user_id "
#define MODERATION_COLUMNS \
  "m.id, m.user_id, s.name, m.reason, m.created, m.old_title, m.new_title, " \
  "m.old_detail, m.new_detail, m.old_show_name, m.new_show_name, m.old_photo, " \
  "m.photo_removed, m.update_id, m.action, m.old_text, m.new_text, m.old_hidden, " \
  "m.new_hidden, m.new_photo"
#define MODERATION_FROM " FROM moderation m LEFT JOIN users s ON s.id = m.user_id "

static gboolean
give_updates (KsStore *store, gint64 report_id, const KsReportDetailFuncs *funcs,
              gpointer user_data, GError **error)
{
  static const KsPgStatement st = { "report_detail_updates",
    "SELECT " UPDATE_COLUMNS UPDATE_FROM "WHERE u.report_id = $1 ORDER BY u.created, u.id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) owned = NULL;
  const PGresult *res;
  int first, n;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_ahead_or_query (store, KS_PG_AHEAD_UPDATES, report_id, &st, &args, &owned,
                                   &first, &n, error)) == NULL)
    return FALSE;
  for (int i = first; i < first + n; i++)
    {
      KsUpdateRow u = {
        .id = ks_pg_int (res, i, 0),
        .kind = ks_pg_text (res, i, 1),
        .text = ks_pg_text (res, i, 2),
        .state = ks_pg_text (res, i, 3),
        .priority_id = ks_pg_int (res, i, 4),
        .user_id = ks_pg_int (res, i, 5),
        .user = ks_pg_text (res, i, 6),
        .is_public = ks_pg_int (res, i, 7) != 0,
        .created = ks_pg_int (res, i, 8),
        .photo = ks_pg_text (res, i, 9),
        .source = ks_pg_text (res, i, 10),
        .hidden = ks_pg_int (res, i, 11) != 0,
        .previous_attributes = ks_pg_text (res, i, 12),
      };
      funcs->update (&u, user_data);
    }
  return TRUE;
}

/* A nullable boolean column: -1 when NULL. */
static int
col_tristate (const PGresult *res, int row, int col)
{
  return ks_pg_null (res, row, col) ? -1 : ks_pg_int (res, row, col) != 0;
}

static gboolean
give_moderation (KsStore *store, gint64 report_id, const KsReportDetailFuncs *funcs,
                 gpointer user_data, GError **error)
{
  static const KsPgStatement st = { "report_detail_moderation",
    "SELECT " MODERATION_COLUMNS MODERATION_FROM "WHERE m.report_id = $1 ORDER BY m.created, m.id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) owned = NULL;
  const PGresult *res;
  int first, n;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_ahead_or_query (store, KS_PG_AHEAD_MODERATION, report_id, &st, &args, &owned,
                                   &first, &n, error)) == NULL)
    return FALSE;
  for (int i = first; i < first + n; i++)
    {
      KsModerationRow m = {
        .id = ks_pg_int (res, i, 0),
        .user_id = ks_pg_int (res, i, 1),
        .user = ks_pg_text (res, i, 2),
        .reason = ks_pg_text (res, i, 3),
        .created = ks_pg_int (res, i, 4),
        .old_title = ks_pg_text (res, i, 5),
        .new_title = ks_pg_text (res, i, 6),
        .old_detail = ks_pg_text (res, i, 7),
        .new_detail = ks_pg_text (res, i, 8),
        .old_show_name = col_tristate (res, i, 9),
        .new_show_name = col_tristate (res, i, 10),
        .old_photo = ks_pg_text (res, i, 11),
        .photo_removed = ks_pg_int (res, i, 12) != 0,
        .update_id = ks_pg_int (res, i, 13),
        .action = ks_pg_text (res, i, 14),
        .old_text = ks_pg_text (res, i, 15),
        .new_text = ks_pg_text (res, i, 16),
        .old_hidden = col_tristate (res, i, 17),
        .new_hidden = col_tristate (res, i, 18),
        .new_photo = ks_pg_text (res, i, 19),
      };
      funcs->moderation (&m, user_data);
    }
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
  static const KsPgStatement st = { "report_detail",
    "SELECT " DETAIL_COLUMNS DETAIL_FROM "WHERE r.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) owned = NULL;
  const PGresult *res;
  gboolean started = FALSE;
  gint64 body_id;
  KsReportRow r;
  int row, n;

  if (!ks_pg_begin_read (store, &started, error))
    return FALSE;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_ahead_or_query (store, KS_PG_AHEAD_DETAIL, report_id, &st, &args, &owned,
                                   &row, &n, error)) == NULL)
    goto fail;
  body_id = n == 1 ? ks_pg_int (res, row, D_BODY) : 0;
  if (n != 1 || !ks_principal_sees_report (who, body_id, ks_pg_int (res, row, 2)))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no report %" G_GINT64_FORMAT ". Check the report number.",
                   report_id);
      goto fail;
    }

  ks_pg_report_row_list (&r, res, row);
  r.body_id = body_id;
  r.detail = ks_pg_text (res, row, D_DETAIL);
  r.address = ks_pg_text (res, row, D_ADDRESS);
  r.photo = ks_pg_text (res, row, D_PHOTO);
  r.source = ks_pg_text (res, row, D_SOURCE);
  r.shortlist_position = ks_pg_int (res, row, D_SHORTLIST_POS);
  r.acknowledged_by = ks_pg_int (res, row, D_ACK_BY);
  r.acknowledged_by_name = ks_pg_text (res, row, D_ACK_NAME);
  r.reporter_name = ks_pg_text (res, row, D_REPORTER);
  r.reporter_email = ks_pg_text (res, row, D_REPORTER + 1);
  r.reporter_phone = ks_pg_text (res, row, D_REPORTER + 2);
  r.show_name = ks_pg_int (res, row, D_REPORTER + 3) != 0;
  r.shortlist_holder_name = ks_pg_text (res, row, D_SHORTLIST_NAME);
  r.attributes = ks_pg_text (res, row, D_ATTRIBUTES);
  r.photos = ks_pg_text (res, row, D_PHOTOS);
  r.responded = ks_pg_int (res, row, D_RESPONDED);
  funcs->report (&r, user_data);
  g_clear_pointer (&owned, PQclear);

  if (!give_updates (store, report_id, funcs, user_data, error) ||
      !give_moderation (store, report_id, funcs, user_data, error))
    goto fail;

  ks_pg_end_read (store, started);
  if (out_body_id)
    *out_body_id = body_id;
  return TRUE;

fail:
  ks_pg_end_read (store, started);
  return FALSE;
}

/* The details of many reports, read ahead in one query per part: the same
 * columns as the queries above, followed by the report's id. */
static gboolean
read_ahead (KsStore       *store,
            const gint64  *ids,
            guint          n_ids,
            GError       **error)
{
  static const KsPgStatement detail_st = { "report_detail_ahead",
    "SELECT " DETAIL_COLUMNS ", r.id" DETAIL_FROM "WHERE r.id = ANY ($1::bigint[]) ORDER BY r.id" };
  static const KsPgStatement updates_st = { "report_detail_updates_ahead",
    "SELECT " UPDATE_COLUMNS ", u.report_id" UPDATE_FROM "WHERE u.report_id = ANY ($1::bigint[]) ORDER BY u.report_id, u.created, u.id" };
  static const KsPgStatement moderation_st = { "report_detail_moderation_ahead",
    "SELECT " MODERATION_COLUMNS ", m.report_id" MODERATION_FROM "WHERE m.report_id = ANY ($1::bigint[]) ORDER BY m.report_id, m.created, m.id" };
  g_autoptr(GString) list = g_string_new ("{");
  gboolean started = FALSE, ok;

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i ? "," : "", ids[i]);
  g_string_append_c (list, '}');

  if (!ks_pg_begin_read (store, &started, error))
    return FALSE;
  ok = ks_pg_ahead_read (store, KS_PG_AHEAD_DETAIL, &detail_st, list->str, error) &&
       ks_pg_ahead_read (store, KS_PG_AHEAD_UPDATES, &updates_st, list->str, error) &&
       ks_pg_ahead_read (store, KS_PG_AHEAD_MODERATION, &moderation_st, list->str, error) &&
       ks_pg_store_open311_read_ahead (store, list->str, error) &&
       ks_pg_store_duplicates_read_ahead (store, list->str, error) &&
       ks_pg_store_notices_read_ahead (store, list->str, error);
  ks_pg_end_read (store, started);
  if (!ok)
    ks_pg_ahead_forget (store);
  return ok;
}

static void
forget_ahead (KsStore *store)
{
  ks_pg_ahead_forget (store);
}

/* ---- Photos ---- */

static gboolean
media_visible (KsStore           *store,
               const KsPrincipal *who,
               const char        *ref,
               gboolean          *out_visible,
               GError           **error)
{
  /* $2 = 0: any council (superusers). */
  static const KsPgStatement st = { "report_media_visible",
    "SELECT EXISTS (SELECT 1 FROM reports r WHERE r.photo = $1 "
    "                 AND ($2::bigint = 0 OR r.body_id = $2::bigint) AND " KS_PG_SEES ("$4") ") "
    "  OR EXISTS (SELECT 1 FROM updates u JOIN reports r ON r.id = u.report_id "
    "             WHERE u.photo = $1 AND ($2::bigint = 0 OR r.body_id = $2::bigint) "
    "               AND " KS_PG_SEES ("$4") ") "
    "  OR EXISTS (SELECT 1 FROM photos p JOIN reports r ON r.id = p.report_id "
    "             WHERE p.ref = $1 AND ($2::bigint = 0 OR r.body_id = $2::bigint) "
    "               AND " KS_PG_SEES ("$4") ") "
    "  OR ($3::boolean AND EXISTS (SELECT 1 FROM moderation m "
    "                              JOIN reports r ON r.id = m.report_id "
    "                              WHERE m.old_photo = $1 "
    "                                AND ($2::bigint = 0 OR r.body_id = $2::bigint) "
    "                                AND " KS_PG_SEES ("$4") "))" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  gint64 body_id = who->is_superuser ? 0 : who->body_id;

  *out_visible = FALSE;
  if (!who->is_superuser && body_id == 0)
    return TRUE;
  ks_pg_args_text (&args, ref);
  ks_pg_args_int (&args, body_id);
  ks_pg_args_bool (&args, ks_principal_can (who, KS_PERM_MODERATE_REPORT));
  ks_pg_args_hidden (&args, who);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_visible = ks_pg_bool (res, 0, 0);
  return TRUE;
}

static gboolean
media_public (KsStore     *store,
              const char  *ref,
              gboolean    *out_public,
              GError     **error)
{
  static const KsPgStatement st = { "report_media_public",
    "SELECT EXISTS (SELECT 1 FROM reports r JOIN categories c ON c.id = r.category_id "
    "               WHERE r.photo = $1 AND r.state NOT IN ('unconfirmed', 'hidden') "
    "                 AND c.private = 0) "
    "  OR EXISTS (SELECT 1 FROM updates u JOIN reports r ON r.id = u.report_id "
    "             JOIN categories c ON c.id = r.category_id "
    "             WHERE u.photo = $1 AND u.public = 1 AND u.hidden = 0 "
    "               AND r.state NOT IN ('unconfirmed', 'hidden') AND c.private = 0) "
    "  OR EXISTS (SELECT 1 FROM photos p JOIN reports r ON r.id = p.report_id "
    "             JOIN categories c ON c.id = r.category_id "
    "             LEFT JOIN updates u ON u.id = p.update_id "
    "             WHERE p.ref = $1 AND r.state NOT IN ('unconfirmed', 'hidden') "
    "               AND c.private = 0 "
    "               AND (p.update_id IS NULL OR (u.public = 1 AND u.hidden = 0)))" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out_public = FALSE;
  ks_pg_args_text (&args, ref);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_public = ks_pg_bool (res, 0, 0);
  return TRUE;
}

/* ---- Rendered sync items ---- */

/* Fragments sent at a time, as one JSON array of [report_id, seq, list_len, body]. */
#define KEEP_BATCH 2000

static gboolean
keep_fragments (KsStore                *store,
                const KsReportFragment *fragments,
                guint                   n_fragments,
                GError                **error)
{
  /* Only while the report is still as it was rendered: the report's row is
   * locked until the commit, so a change to it waits and then deletes the item. */
  static const KsPgStatement keep = { "reports_keep_fragments",
    "WITH f AS (SELECT (e->>0)::bigint AS report_id, (e->>1)::bigint AS seq, "
    "                  (e->>2)::integer AS list_len, e->>3 AS body "
    "           FROM json_array_elements ($1::json) e), "
    "     fresh AS (SELECT f.* FROM f JOIN reports r ON r.id = f.report_id AND r.seq = f.seq "
    "               ORDER BY f.report_id FOR SHARE OF r) "
    "INSERT INTO report_fragments (report_id, seq, list_len, body) "
    "SELECT report_id, seq, list_len, body FROM fresh "
    "ON CONFLICT (report_id) DO UPDATE SET seq = excluded.seq, "
    "list_len = excluded.list_len, body = excluded.body" };

  if (n_fragments == 0)
    return TRUE;
  if (!ks_store_begin_write (store, error))
    return FALSE;
  for (guint start = 0; start < n_fragments; start += KEEP_BATCH)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      GString *json = g_string_sized_new (1024 * 1024);
      KsJsonWriter w;

      ks_json_writer_init (&w, json);
      ks_json_writer_begin_array (&w);
      for (guint i = start; i < MIN (n_fragments, start + KEEP_BATCH); i++)
        {
          ks_json_writer_begin_array (&w);
          ks_json_writer_int (&w, fragments[i].report_id);
          ks_json_writer_int (&w, fragments[i].seq);
          ks_json_writer_int (&w, (gint64) fragments[i].list_len);
          ks_json_writer_string (&w, fragments[i].body);
          ks_json_writer_end_array (&w);
        }
      ks_json_writer_end_array (&w);
      ks_pg_args_take (&args, g_string_free (json, FALSE));
      if (!ks_pg_store_exec (store, &keep, &args, NULL, error))
        {
          ks_store_rollback (store);
          return FALSE;
        }
    }
  return ks_store_commit (store, error);
}

/* Which items are kept, read from report_fragments_seq (data/sql-pg/0059),
 * never the items. */
static gboolean
first_unkept (KsStore   *store,
              gboolean  *out_any,
              gint64    *out_seq,
              GError   **error)
{
  static const KsPgStatement st = { "reports_first_unkept",
    "SELECT r.seq FROM reports r "
    "WHERE NOT EXISTS (SELECT 1 FROM report_fragments f "
    "                  WHERE f.report_id = r.id AND f.seq = r.seq) "
    "ORDER BY r.seq LIMIT 1" };
  g_autoptr(PGresult) res = NULL;

  *out_any = FALSE;
  if ((res = ks_pg_store_query (store, &st, NULL, error)) == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *out_any = TRUE;
      *out_seq = ks_pg_int (res, 0, 0);
    }
  return TRUE;
}

void
ks_pg_store_reports_init (KsStoreReportsVTable *vtable)
{
  vtable->media_visible = media_visible;
  vtable->media_public = media_public;
  vtable->list = ks_pg_report_list;
  vtable->sync = sync_page;
  vtable->keep_fragments = keep_fragments;
  vtable->first_unkept = first_unkept;
  vtable->detail = detail;
  vtable->read_ahead = read_ahead;
  vtable->forget_ahead = forget_ahead;
}

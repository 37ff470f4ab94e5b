/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-notices.c: the queue of emails to residents in PostgreSQL (table
 * resident_emails). The same statements as the SQLite store's
 * (ks-sqlite-store-notices.c); several instances share the queue, so the worker
 * locks the due rows it takes and skips those another instance holds. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-read-ahead.h"
#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"

#define NOTICE_COLUMNS \
  "id, report_id, kind, state, created, due, from_update, sent, subject, file, error, " \
  "answered, answer"

static gboolean
queue (KsStore *store, const KsNewNotice *n, gboolean *out_queued, GError **error)
{
  /* The unique index on queued (report, kind) makes a second one a no-op: the
   * change is gathered into the email already queued. */
  static const KsPgStatement st = { "notices_queue",
    "INSERT INTO resident_emails (report_id, kind, created, due, from_update) "
    "SELECT r.id, $2::text, $3::bigint, "
    "       GREATEST($4::bigint, COALESCE((SELECT MAX(e.sent) FROM resident_emails e "
    "                                      WHERE e.report_id = r.id AND e.kind = $2::text "
    "                                        AND e.state = 'sent') + $5::bigint, 0)), "
    "       $6::bigint "
    "FROM reports r LEFT JOIN api_keys k ON k.id = r.api_key_id "
    "WHERE r.id = $1 AND r.reporter_email IS NOT NULL AND r.reporter_email <> '' "
    "  AND (r.source <> 'open311' OR k.notify_residents = 1) "
    "ON CONFLICT (report_id, kind) WHERE state = 'queued' DO NOTHING" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 changed = 0;

  ks_pg_args_int (&args, n->report_id);
  ks_pg_args_text (&args, n->kind);
  ks_pg_args_int (&args, n->now);
  ks_pg_args_int (&args, n->due);
  ks_pg_args_int (&args, n->gather);
  ks_pg_args_id (&args, n->from_update);
  if (!ks_pg_store_exec (store, &st, &args, &changed, error))
    return FALSE;
  *out_queued = changed > 0;
  return TRUE;
}

static gboolean
due (KsStore *store, gint64 now, guint limit, GArray **out_ids, GError **error)
{
  static const KsPgStatement st = { "notices_due",
    "SELECT id FROM resident_emails WHERE state = 'queued' AND due <= $1 "
    "ORDER BY due, id LIMIT $2 FOR UPDATE SKIP LOCKED" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, limit);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_ids = ks_pg_collect_ids (res);
  return TRUE;
}

static void
read_notice (const PGresult *res, int i, KsNotice *out)
{
  out->id = ks_pg_int (res, i, 0);
  out->report_id = ks_pg_int (res, i, 1);
  out->kind = g_strdup (ks_pg_text (res, i, 2));
  out->state = g_strdup (ks_pg_text (res, i, 3));
  out->created = ks_pg_int (res, i, 4);
  out->due = ks_pg_int (res, i, 5);
  out->from_update = ks_pg_int (res, i, 6);
  out->sent = ks_pg_int (res, i, 7);
  out->subject = g_strdup (ks_pg_text (res, i, 8));
  out->file = g_strdup (ks_pg_text (res, i, 9));
  out->error = g_strdup (ks_pg_text (res, i, 10));
  out->answered = ks_pg_int (res, i, 11);
  out->answer = g_strdup (ks_pg_text (res, i, 12));
}

static gboolean
get_one (KsStore *store, const KsPgStatement *st, KsPgArgs *args, gboolean *found,
         KsNotice *out, GError **error)
{
  g_autoptr(PGresult) res = NULL;

  if ((res = ks_pg_store_query (store, st, args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    read_notice (res, 0, out);
  return TRUE;
}

static gboolean
get (KsStore *store, gint64 id, gboolean *found, KsNotice *out, GError **error)
{
  static const KsPgStatement st = { "notices_get",
    "SELECT " NOTICE_COLUMNS " FROM resident_emails WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, id);
  return get_one (store, &st, &args, found, out, error);
}

static gboolean
by_token (KsStore *store, const char *token_hash, gboolean *found, KsNotice *out,
          GError **error)
{
  static const KsPgStatement st = { "notices_by_token",
    "SELECT " NOTICE_COLUMNS " FROM resident_emails WHERE token_hash = $1 "
    "AND kind = 'questionnaire'" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, token_hash);
  return get_one (store, &st, &args, found, out, error);
}

static gboolean
finish (KsStore *store, gint64 id, const KsNoticeResult *r, GError **error)
{
  static const KsPgStatement st = { "notices_finish",
    "UPDATE resident_emails SET state = $1, sent = $2, subject = $3, file = $4, error = $5, "
    "  token_hash = $6 WHERE id = $7" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, r->state);
  ks_pg_args_int (&args, r->sent);
  ks_pg_args_text (&args, r->subject);
  ks_pg_args_text (&args, r->file);
  ks_pg_args_text (&args, r->error);
  ks_pg_args_text (&args, r->token_hash);
  ks_pg_args_int (&args, id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

/* The emails of many reports, read ahead: the same columns, then the report's id. */
gboolean
ks_pg_store_notices_read_ahead (KsStore *store, const char *ids, GError **error)
{
  static const KsPgStatement st = { "notices_list_ahead",
    "SELECT " NOTICE_COLUMNS ", report_id FROM resident_emails "
    "WHERE report_id = ANY ($1::bigint[]) ORDER BY report_id, id" };

  return ks_pg_ahead_read (store, KS_PG_AHEAD_NOTICES, &st, ids, error);
}

static gboolean
list (KsStore *store, gint64 report_id, KsNoticeFunc func, gpointer user_data, GError **error)
{
  static const KsPgStatement st = { "notices_list",
    "SELECT " NOTICE_COLUMNS " FROM resident_emails WHERE report_id = $1 ORDER BY id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) owned = NULL;
  const PGresult *res;
  int first, n;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_ahead_or_query (store, KS_PG_AHEAD_NOTICES, report_id, &st, &args, &owned,
                                   &first, &n, error)) == NULL)
    return FALSE;
  for (int i = first; i < first + n; i++)
    {
      g_auto(KsNotice) n = { 0 };
      read_notice (res, i, &n);
      func (&n, user_data);
    }
  return TRUE;
}

static gboolean
updates_since (KsStore *store, gint64 report_id, gint64 from_update, KsNoticeUpdateFunc func,
               gpointer user_data, GError **error)
{
  static const KsPgStatement st = { "notices_updates_since",
    "SELECT id, text, email_text, state, created FROM updates "
    "WHERE report_id = $1 AND id >= $2 AND public <> 0 AND hidden = 0 "
    "  AND kind IN ('update', 'state', 'acknowledge') ORDER BY id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  ks_pg_args_int (&args, from_update);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsNoticeUpdate u = { ks_pg_int (res, i, 0), ks_pg_text (res, i, 1), ks_pg_text (res, i, 2),
                           ks_pg_text (res, i, 3), ks_pg_int (res, i, 4) };
      func (&u, user_data);
    }
  return TRUE;
}

static gboolean
answer (KsStore *store, gint64 id, const char *answer, gint64 now, GError **error)
{
  static const KsPgStatement st = { "notices_answer",
    "UPDATE resident_emails SET answer = $1, answered = $2 WHERE id = $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, answer);
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
set_client (KsStore *store, gint64 report_id, gint64 api_key_id, GError **error)
{
  static const KsPgStatement st = { "notices_set_client",
    "UPDATE reports SET api_key_id = $1::bigint WHERE id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_id (&args, api_key_id);
  ks_pg_args_int (&args, report_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
set_client_notify (KsStore *store, gint64 api_key_id, gboolean notify, GError **error)
{
  static const KsPgStatement st = { "notices_set_client_notify",
    "UPDATE api_keys SET notify_residents = $1 WHERE id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, notify ? 1 : 0);
  ks_pg_args_int (&args, api_key_id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
auto_response (KsStore *store, gint64 report_id, const char *state, gboolean *found,
               KsAutoResponse *out, GError **error)
{
  static const KsPgStatement st = { "notices_auto_response",
    "SELECT t.id, t.text, t.email_text, nullif (t.external_status_code, '') "
    "FROM reports r JOIN templates t ON t.body_id = r.body_id "
    "WHERE r.id = $1 AND t.auto_response <> 0 AND t.state = $2 "
    "  AND (NOT EXISTS (SELECT 1 FROM template_categories c WHERE c.template_id = t.id) "
    "       OR EXISTS (SELECT 1 FROM template_categories c "
    "                  WHERE c.template_id = t.id AND c.category_id = r.category_id)) "
    "ORDER BY t.position, t.id LIMIT 1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  ks_pg_args_text (&args, state);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    {
      out->id = ks_pg_int (res, 0, 0);
      out->text = g_strdup (ks_pg_text (res, 0, 1));
      out->email_text = g_strdup (ks_pg_text (res, 0, 2));
      out->external_status_code = g_strdup (ks_pg_text (res, 0, 3));
    }
  return TRUE;
}

void
ks_pg_store_notices_init (KsStoreNoticesVTable *vtable)
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-sendings.c: reports sent on, in PostgreSQL (tables sendings and
 * sending_updates; ks-store-sendings.h): the statements of
 * ks-sqlite-store-sendings.c. Due rows are locked by the write that takes them,
 * and rows another instance holds are skipped. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"

#define SENDING_COLUMNS \
  "s.id, s.report_id, r.body_id, s.destination, s.status, s.attempts, s.last_error, " \
  "s.next_attempt, s.remote_id, s.generation, s.created, s.updated, s.sent, s.polled_until"
#define SENDING_FROM "FROM sendings s JOIN reports r ON r.id = s.report_id "

static void
read_sending (const PGresult *res, int i, gpointer data)
{
  KsSending *out = data;

  out->id = ks_pg_int (res, i, 0);
  out->report_id = ks_pg_int (res, i, 1);
  out->body_id = ks_pg_int (res, i, 2);
  out->destination = g_strdup (ks_pg_text (res, i, 3));
  out->status = g_strdup (ks_pg_text (res, i, 4));
  out->attempts = ks_pg_int (res, i, 5);
  out->last_error = g_strdup (ks_pg_text (res, i, 6));
  out->next_attempt = ks_pg_int (res, i, 7);
  out->remote_id = g_strdup (ks_pg_text (res, i, 8));
  out->generation = ks_pg_int (res, i, 9);
  out->created = ks_pg_int (res, i, 10);
  out->updated = ks_pg_int (res, i, 11);
  out->sent = ks_pg_int (res, i, 12);
  out->polled_until = ks_pg_int (res, i, 13);
}

static GArray *
read_all (const PGresult *res)
{
  GArray *out = ks_sendings_new ();

  ks_pg_load_structs (res, out, read_sending);
  return out;
}

static gboolean
note (KsStore *store, gint64 report_id, gint64 now, GError **error)
{
  static const KsPgStatement st = { "sendings_note",
    "INSERT INTO sendings (report_id, destination, next_attempt, created, updated) "
    "SELECT r.id, c.destination, $2, $2, $2 FROM reports r "
    "JOIN categories c ON c.id = r.category_id "
    "WHERE r.id = $1 AND c.destination IS NOT NULL AND c.destination <> '' "
    /* The reserved domain no mail reaches (RFC 2606): the demo council's. */
    "  AND c.destination NOT LIKE '%.invalid' "
    "ON CONFLICT (report_id, destination) DO NOTHING" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, report_id);
  ks_pg_args_int (&args, now);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
due (KsStore *store, gint64 now, guint limit, GArray **out_ids, GError **error)
{
  static const KsPgStatement st = { "sendings_due",
    "SELECT id FROM sendings WHERE status IN ('pending', 'retrying', 'sending') "
    "AND next_attempt <= $1 ORDER BY next_attempt, id LIMIT $2 FOR UPDATE SKIP LOCKED" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, limit);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_ids = ks_pg_collect_ids (res);
  return TRUE;
}

static gboolean
get (KsStore *store, gint64 id, gboolean *found, KsSending *out, GError **error)
{
  static const KsPgStatement st = { "sendings_get",
    "SELECT " SENDING_COLUMNS " " SENDING_FROM "WHERE s.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    read_sending (res, 0, out);
  return TRUE;
}

static gboolean
save (KsStore *store, const KsSending *s, GError **error)
{
  static const KsPgStatement st = { "sendings_save",
    "UPDATE sendings SET status = $2, attempts = $3, last_error = $4, next_attempt = $5, "
    "remote_id = $6, generation = $7, updated = $8, sent = $9, polled_until = $10 "
    "WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, s->id);
  ks_pg_args_text (&args, s->status);
  ks_pg_args_int (&args, s->attempts);
  ks_pg_args_text (&args, s->last_error);
  ks_pg_args_int (&args, s->next_attempt);
  ks_pg_args_text (&args, s->remote_id);
  ks_pg_args_int (&args, s->generation);
  ks_pg_args_int (&args, s->updated);
  ks_pg_args_id (&args, s->sent);
  ks_pg_args_id (&args, s->polled_until);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
list (KsStore *store, gint64 report_id, GArray **out, GError **error)
{
  static const KsPgStatement st = { "sendings_list",
    "SELECT " SENDING_COLUMNS " " SENDING_FROM "WHERE s.report_id = $1 ORDER BY s.id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out = read_all (res);
  return TRUE;
}

static gboolean
polled (KsStore *store, GArray **out, GError **error)
{
  static const KsPgStatement st = { "sendings_polled",
    "SELECT " SENDING_COLUMNS " " SENDING_FROM
    "WHERE s.destination LIKE 'open311:%' "
    "  AND EXISTS (SELECT 1 FROM sending_remote_ids i WHERE i.sending_id = s.id) "
    "ORDER BY r.body_id, s.destination, s.id" };
  g_autoptr(PGresult) res = NULL;

  if ((res = ks_pg_store_query (store, &st, NULL, error)) == NULL)
    return FALSE;
  *out = read_all (res);
  return TRUE;
}

static gboolean
add_remote_id (KsStore *store, gint64 sending_id, const char *remote_id, gint64 now,
               GError **error)
{
  static const KsPgStatement st = { "sendings_add_remote_id",
    "INSERT INTO sending_remote_ids (sending_id, remote_id, created) VALUES ($1, $2, $3) "
    "ON CONFLICT DO NOTHING" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, sending_id);
  ks_pg_args_text (&args, remote_id);
  ks_pg_args_int (&args, now);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
remote_ids (KsStore *store, const gint64 *sending_ids, guint n_ids, GArray **out_sending_ids,
            GPtrArray **out_remote_ids, GError **error)
{
  static const KsPgStatement st = { "sendings_remote_ids",
    "SELECT sending_id, remote_id FROM sending_remote_ids WHERE sending_id = ANY ($1::bigint[]) "
    "ORDER BY sending_id, created, remote_id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int_array (&args, sending_ids, n_ids);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_sending_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) PQntuples (res));
  *out_remote_ids = g_ptr_array_new_full ((guint) PQntuples (res), g_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 id = ks_pg_int (res, i, 0);

      g_array_append_val (*out_sending_ids, id);
      g_ptr_array_add (*out_remote_ids, g_strdup (ks_pg_text (res, i, 1)));
    }
  return TRUE;
}

static gboolean
set_polled_until (KsStore *store, const gint64 *sending_ids, guint n_ids, gint64 until,
                  GError **error)
{
  static const KsPgStatement st = { "sendings_set_polled_until",
    "UPDATE sendings SET polled_until = $1 WHERE id = ANY ($2::bigint[])" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, until);
  ks_pg_args_int_array (&args, sending_ids, n_ids);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

static gboolean
destination (KsStore *store, gint64 body_id, const char *name, gboolean *found,
             KsSendingDestination *out, GError **error)
{
  static const KsPgStatement st = { "sendings_destination",
    "SELECT name, endpoint, api_key, jurisdiction_id, idempotent FROM open311_destinations "
    "WHERE body_id = $1 AND name = $2 AND active <> 0" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, name);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    {
      out->name = g_strdup (ks_pg_text (res, 0, 0));
      out->endpoint = g_strdup (ks_pg_text (res, 0, 1));
      out->api_key = g_strdup (ks_pg_text (res, 0, 2));
      out->jurisdiction_id = g_strdup (ks_pg_text (res, 0, 3));
      out->idempotent = ks_pg_int (res, 0, 4) != 0;
    }
  return TRUE;
}

static gboolean
note_update (KsStore *store, gint64 sending_id, const char *update_id, gint64 now,
             gboolean *out_new, GError **error)
{
  static const KsPgStatement st = { "sendings_note_update",
    "INSERT INTO sending_updates (sending_id, update_id, applied) VALUES ($1, $2, $3) "
    "ON CONFLICT DO NOTHING" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 changed = 0;

  ks_pg_args_int (&args, sending_id);
  ks_pg_args_text (&args, update_id);
  ks_pg_args_int (&args, now);
  if (!ks_pg_store_exec (store, &st, &args, &changed, error))
    return FALSE;
  *out_new = changed > 0;
  return TRUE;
}

static gboolean
count_failed (KsStore *store, gint64 body_id, gint64 *out_count, GError **error)
{
  static const KsPgStatement st = { "sendings_count_failed",
    "SELECT COUNT(*) " SENDING_FROM "WHERE s.status = 'failed' AND ($1::bigint = 0 OR r.body_id = $1)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_count = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

void
ks_pg_store_sendings_init (KsStoreSendingsVTable *vtable)
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-open311-idempotency.c: the Idempotency-Key of Open311 clients' POST
 * requests in PostgreSQL, as in SQLite (ks-sqlite-store-open311-idempotency.c).
 * Both calls run inside the request's write transaction; the claim is one
 * INSERT ... ON CONFLICT on the table's primary key, so of two instances that
 * claim one key at once, the second waits for the first's commit and finds its
 * answer. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"

static gboolean
claim_idempotency (KsStore *store, gint64 api_key_id, const char *key,
                   const char *request_hash, gint64 now, gint64 since,
                   gboolean *out_claimed, char **out_hash, guint *out_status,
                   char **out_response, GError **error)
{
  /* A new row, or one older than since taken over: a claim. */
  static const KsPgStatement claim = { "open311_idempotency_claim",
    "INSERT INTO open311_idempotency (api_key_id, key, request_hash, created) "
    "VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (api_key_id, key) DO UPDATE SET request_hash = excluded.request_hash, "
    "  status = 0, response = NULL, created = excluded.created "
    "WHERE open311_idempotency.created < $5" };
  static const KsPgStatement lookup = { "open311_idempotency_lookup",
    "SELECT request_hash, status, response FROM open311_idempotency "
    "WHERE api_key_id = $1 AND key = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) key_args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  gint64 n = 0;

  ks_pg_args_int (&args, api_key_id);
  ks_pg_args_text (&args, key);
  ks_pg_args_text (&args, request_hash);
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, since);
  if (!ks_pg_store_exec (store, &claim, &args, &n, error))
    return FALSE;
  *out_claimed = n > 0;
  if (*out_claimed)
    return TRUE;

  ks_pg_args_int (&key_args, api_key_id);
  ks_pg_args_text (&key_args, key);
  res = ks_pg_store_query (store, &lookup, &key_args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The idempotency key was neither claimed nor found");
      return FALSE;
    }
  *out_hash = g_strdup (ks_pg_text (res, 0, 0));
  *out_status = (guint) ks_pg_int (res, 0, 1);
  *out_response = g_strdup (ks_pg_text (res, 0, 2));
  return TRUE;
}

static gboolean
answer_idempotency (KsStore *store, gint64 api_key_id, const char *key, guint status,
                    const char *response, GError **error)
{
  static const KsPgStatement stmt = { "open311_idempotency_answer",
    "UPDATE open311_idempotency SET status = $1, response = $2 "
    "WHERE api_key_id = $3 AND key = $4" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, status);
  ks_pg_args_text (&args, response);
  ks_pg_args_int (&args, api_key_id);
  ks_pg_args_text (&args, key);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

void
ks_pg_store_open311_idempotency_init (KsStoreOpen311VTable *vtable)
{
  vtable->claim_idempotency = claim_idempotency;
  vtable->answer_idempotency = answer_idempotency;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-open311-idempotency.c: the Idempotency-Key of Open311 clients'
 * POST requests in SQLite: the open311_idempotency table, one row per API key and
 * key. Both calls run inside the request's write transaction (BEGIN IMMEDIATE), so
 * two requests with one key never claim it both. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"

static gboolean
claim_idempotency (KsStore *store, gint64 api_key_id, const char *key,
                   const char *request_hash, gint64 now, gint64 since,
                   gboolean *out_claimed, char **out_hash, guint *out_status,
                   char **out_response, GError **error)
{
  /* A new row, or one older than since taken over: a claim. */
  g_autoptr(KsStmt) claim = ks_sqlite_stmt (store,
    "INSERT INTO open311_idempotency (api_key_id, key, request_hash, created) "
    "VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (api_key_id, key) DO UPDATE SET request_hash = excluded.request_hash, "
    "  status = 0, response = NULL, created = excluded.created "
    "WHERE open311_idempotency.created < ?5", error);
  g_autoptr(KsStmt) st = NULL;
  gboolean found = FALSE;

  if (claim == NULL)
    return FALSE;
  sqlite3_bind_int64 (claim, 1, api_key_id);
  ks_bind_text (claim, 2, key);
  ks_bind_text (claim, 3, request_hash);
  sqlite3_bind_int64 (claim, 4, now);
  sqlite3_bind_int64 (claim, 5, since);
  if (!ks_sqlite_step_done (claim, error))
    return FALSE;
  *out_claimed = ks_sqlite_changes (store) > 0;
  if (*out_claimed)
    return TRUE;

  st = ks_sqlite_stmt (store,
    "SELECT request_hash, status, response FROM open311_idempotency "
    "WHERE api_key_id = ? AND key = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, api_key_id);
  ks_bind_text (st, 2, key);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The idempotency key was neither claimed nor found");
      return FALSE;
    }
  *out_hash = g_strdup (ks_col_text (st, 0));
  *out_status = (guint) ks_col_int (st, 1);
  *out_response = g_strdup (ks_col_text (st, 2));
  return TRUE;
}

static gboolean
answer_idempotency (KsStore *store, gint64 api_key_id, const char *key, guint status,
                    const char *response, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE open311_idempotency SET status = ?, response = ? "
    "WHERE api_key_id = ? AND key = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, status);
  ks_bind_text (st, 2, response);
  sqlite3_bind_int64 (st, 3, api_key_id);
  ks_bind_text (st, 4, key);
  return ks_sqlite_step_done (st, error);
}

void
ks_sqlite_store_open311_idempotency_init (KsStoreOpen311VTable *vtable)
{
  vtable->claim_idempotency = claim_idempotency;
  vtable->answer_idempotency = answer_idempotency;
}

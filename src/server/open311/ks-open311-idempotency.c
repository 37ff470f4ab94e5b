/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-idempotency.c: Idempotency-Key on an Open311 client's POST requests.
 *
 * The key belongs to the client's API key. The first request with it claims it
 * (inside the request's write transaction) with the SHA-256 of the request's
 * method, path and body, and its 2xx answer is kept with it for a day: the same
 * key and body again answer that answer once more (`Idempotent-Replayed: true`)
 * and create nothing; the same key with another body (or the other format) is
 * refused with 422 and changes nothing. Writes are serialised (BEGIN IMMEDIATE on
 * SQLite, the write lock on PostgreSQL), so two requests with one key at once
 * make one report: the second finds the first's answer. An error answer rolls the
 * claim back with the rest: the client may send the same key again. */
#define G_LOG_DOMAIN "ks-open311"

#include "open311/ks-open311-private.h"
#include "http/ks-idempotency.h"
#include "ks-time.h"

#include <string.h>

gboolean
ks_open311_idempotency_begin (KsOpen311Ctx *c)
{
  KsRequest *req = c->req;
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = NULL, *hash = NULL, *response = NULL;
  gboolean claimed = FALSE;
  guint status = 0;
  gint64 now = ks_time_now ();

  if (req->idempotency_key == NULL)
    return TRUE;
  mine = ks_idempotency_request_hash (req->method, req->path, req->body);
  if (!ks_store_open311_claim_idempotency (req->store, c->key.id, req->idempotency_key, mine,
                                           now, now - KS_OPEN311_IDEMPOTENCY_KEEP, &claimed,
                                           &hash, &status, &response, &error))
    {
      ks_open311_gerror (c, error);
      return FALSE;
    }
  if (claimed)
    return TRUE;
  if (g_strcmp0 (hash, mine) != 0)
    {
      ks_open311_error (c, 422, "This Idempotency-Key was already used with a different "
                        "request, and that request was made. Use a new key for each new "
                        "request; send the same key only to repeat exactly the same "
                        "request.");
      return FALSE;
    }
  if (status == 0 || response == NULL)
    {
      /* Never committed without its answer; kept in case a store is edited by hand. */
      ks_open311_error (c, 409, "The first request with this Idempotency-Key has no "
                        "answer yet: send it again shortly.");
      return FALSE;
    }
  g_string_assign (req->response, response);
  req->status = status;
  ks_open311_set_type (req, c->json ? JSON_TYPE : XML_TYPE);
  ks_request_add_header (req, "Idempotent-Replayed", "true");
  return FALSE;
}

void
ks_open311_idempotency_finish (KsOpen311Ctx *c)
{
  KsRequest *req = c->req;
  g_autoptr(GError) error = NULL;

  if (req->idempotency_key == NULL || req->status < 200 || req->status >= 300)
    return;
  if (!ks_store_open311_answer_idempotency (req->store, c->key.id, req->idempotency_key,
                                            req->status, req->response->str, &error))
    ks_open311_gerror (c, error);
}

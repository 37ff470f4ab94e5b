/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-idempotency.h: Idempotency-Key on writes.
 *
 * The first 2xx answer to a write that carries a key is stored with the key
 * (per signed-in user) and the SHA-256 of the request (method, path and body).
 * The same key again answers that answer once more (`Idempotent-Replayed: true`)
 * and changes nothing; with another method or path, or another body, it answers
 * 422 `idempotency_key_reused` and changes nothing. A replayed answer that holds
 * a reporter's personal data is audited as a view of it (`view_personal_data`). */
#pragma once

#include "http/ks-request.h"

G_BEGIN_DECLS

/* Call inside the request's write transaction, before the handler. TRUE: go on
 * (no key, or a key not used yet). FALSE: the request is answered (a replay, a
 * reused key or an error) and the transaction has been rolled back. */
gboolean ks_idempotency_begin  (KsRequest *req);

/* Stores the answer with the key, in the transaction; TRUE when there is no key. */
gboolean ks_idempotency_finish (KsRequest *req, GError **error);

/* The lower-case hex SHA-256 of what identifies a request: method, path, body. */
char    *ks_idempotency_request_hash (const char *method, const char *path, GBytes *body);

G_END_DECLS

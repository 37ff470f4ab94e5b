/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-error.h: libpq's failures (a connection that will not open or was lost,
 * an error result with its SQLSTATE) as KS_ERROR GErrors the HTTP layer answers. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The SQLSTATEs the PostgreSQL code decides on. */
#define KS_PG_SERIALIZATION_FAILURE "40001"
#define KS_PG_DEADLOCK_DETECTED     "40P01"
#define KS_PG_UNIQUE_VIOLATION      "23505"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* TRUE when sqlstate says the transaction lost a race with another one and is
 * worth running again from its start (serialization failure, deadlock). */
gboolean ks_pg_sqlstate_is_retryable (const char *sqlstate);

/* TRUE when sqlstate (or a NULL one from a broken connection) means the database
 * is unreachable, shutting down or out of connections: KS_ERROR_UNAVAILABLE, which
 * the HTTP layer answers 503 with Retry-After. */
gboolean ks_pg_sqlstate_is_unavailable (const char *sqlstate);

/* Sets error from a failed result (res may be NULL: then from conn's state) and
 * returns FALSE. The code is KS_ERROR_UNAVAILABLE for a lost or refused
 * connection, a shutdown, too many connections, a lost race or a cancelled
 * statement; KS_ERROR_CONFLICT for a constraint violation; KS_ERROR_FAILED else. */
gboolean ks_pg_fail (PGconn     *conn,
                     PGresult   *res,
                     GError    **error);

/* Sets error for a connection that could not be opened and returns FALSE. */
gboolean ks_pg_fail_connect (PGconn  *conn,
                             GError **error);

G_END_DECLS

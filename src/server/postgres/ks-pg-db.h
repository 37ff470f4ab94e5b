/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-db.h: PostgreSQL connections for kerbside-server: one libpq connection per
 * thread, opened on first use and again after the server went away; statements
 * prepared once per connection by name; transactions, rerun after a lost race. */
#pragma once

#include "postgres/ks-pg-error.h"

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct _KsPgDb KsPgDb;

/* A statement the code runs often: prepared on each connection the first time it
 * is used there, then executed by name. Declare them static const. */
typedef struct {
  const char *name;       /* unique in the program, e.g. "report_get" */
  const char *sql;        /* with $1, $2... parameters */
} KsPgStatement;

/* conninfo: a postgresql:// URI or "key=value" settings. Connects once to check
 * them (error: KS_ERROR_UNAVAILABLE, naming the cause). */
KsPgDb     *ks_pg_db_new              (const char  *conninfo,
                                       GError     **error);
/* The same, with a password kept apart from conninfo (read from a file the
 * operator protects; never on a command line). NULL: libpq's own sources
 * (PGPASSWORD, ~/.pgpass, PGPASSFILE). */
KsPgDb     *ks_pg_db_new_with_password (const char  *conninfo,
                                        const char  *password,
                                        GError     **error);
/* Closes every connection it opened. Only when no thread uses it any more. */
void        ks_pg_db_free             (KsPgDb      *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsPgDb, ks_pg_db_free)

/* The calling thread's connection: opened on first use; outside a transaction,
 * a connection the server has closed (restart, failover) is opened again. */
PGconn     *ks_pg_db_conn             (KsPgDb      *db,
                                       GError     **error);

/* Runs SQL without parameters (one or more statements; DDL, SET...). */
gboolean    ks_pg_db_exec             (KsPgDb      *db,
                                       const char  *sql,
                                       GError     **error);

/* Runs stmt (prepared on this connection if it is not yet) with n_params text
 * values (NULL for SQL NULL). Returns the result (tuples or command), or NULL
 * with error set. */
PGresult   *ks_pg_db_query            (KsPgDb              *db,
                                       const KsPgStatement *stmt,
                                       int                  n_params,
                                       const char * const  *values,
                                       GError             **error);

/* Runs SQL built at run time (a list query with the filters it was given) with
 * n_params text values, unprepared. Same result and errors as ks_pg_db_query(). */
PGresult   *ks_pg_db_query_sql        (KsPgDb              *db,
                                       const char          *sql,
                                       int                  n_params,
                                       const char * const  *values,
                                       GError             **error);

/* For code that drives libpq itself (COPY): TRUE when res (may be NULL) is a
 * success; otherwise notes its SQLSTATE as the thread's last failure and sets
 * error as ks_pg_fail() does. */
gboolean    ks_pg_db_check_result     (KsPgDb      *db,
                                       PGresult    *res,
                                       GError     **error);

/* Transactions on the calling thread's connection. begin takes the isolation
 * level ("READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"; NULL: the default). */
gboolean    ks_pg_db_begin            (KsPgDb      *db,
                                       const char  *isolation,
                                       GError     **error);
gboolean    ks_pg_db_commit           (KsPgDb      *db,
                                       GError     **error);
/* Never fails: a connection that cannot roll back is closed (which rolls back). */
void        ks_pg_db_rollback         (KsPgDb      *db);
gboolean    ks_pg_db_in_transaction   (KsPgDb      *db);

/* The SQLSTATE of the calling thread's last failure ("" when there was none or
 * no server answered). */
const char *ks_pg_db_last_sqlstate    (KsPgDb      *db);

/* Runs func inside a transaction and commits. When the transaction loses a race
 * (serialization failure, deadlock) or the connection was lost before COMMIT was
 * sent (nothing was applied), it is rolled back and func runs again from the
 * start, at most max_attempts times in all. func must change nothing outside the
 * database that a rerun would repeat. A connection lost during COMMIT is not
 * retried: whether it was applied is unknown (KS_ERROR_UNAVAILABLE). */
typedef gboolean (*KsPgTransactionFunc) (KsPgDb   *db,
                                         gpointer  data,
                                         GError  **error);
gboolean    ks_pg_db_run_transaction  (KsPgDb              *db,
                                       const char          *isolation,
                                       guint                max_attempts,
                                       KsPgTransactionFunc  func,
                                       gpointer             data,
                                       GError             **error);

/* Getters of a text-format result: the value at row, col as an integer (0 for
 * NULL) or a string (NULL for SQL NULL). */
gint64      ks_pg_get_int64           (const PGresult *res,
                                       int             row,
                                       int             col);
const char *ks_pg_get_text            (const PGresult *res,
                                       int             row,
                                       int             col);

/* How many connections this program has opened (tests of reconnection). */
guint       ks_pg_db_connects         (KsPgDb      *db);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-db.h: the SQLite connection and statement toolkit: each thread's
 * connection to a store's database, cached prepared statements, step, bind and
 * column helpers, and transactions. Knows nothing of what the tables hold. */
#pragma once

#include <sqlite3.h>
#include "store/ks-store.h"
#include "ks-error.h"

G_BEGIN_DECLS

/* A store's database: attach it once (its file at path) before any call below
 * with that store, and detach it before the store goes away. Each thread opens
 * its own connection on first use. */
void      ks_sqlite_db_attach (KsStore *store, const char *path);
void      ks_sqlite_db_detach (KsStore *store);

/* A cached prepared statement of this thread's connection; reset it when done.
 * g_autoptr(KsStmt) resets it when it leaves scope. */
typedef sqlite3_stmt KsStmt;
static inline void ks_stmt_release (KsStmt *stmt) { if (stmt) { sqlite3_reset (stmt); sqlite3_clear_bindings (stmt); } }
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsStmt, ks_stmt_release)

/* This thread's connection, opened on first use. */
sqlite3  *ks_sqlite_db        (KsStore *store, GError **error);
/* Prepares (once per thread) and returns a statement; sql must be a static string,
 * since its address is the cache key. */
KsStmt   *ks_sqlite_stmt      (KsStore *store, const char *sql, GError **error);
/* Prepares a statement with dynamic text (not cached); finalize it yourself. */
sqlite3_stmt *ks_sqlite_prepare (KsStore *store, const char *sql, GError **error);
gboolean  ks_sqlite_exec      (KsStore *store, const char *sql, GError **error);
/* Sets error from the connection's last error; always returns FALSE. */
gboolean  ks_sqlite_fail      (sqlite3 *db, GError **error);
/* Sets error from the last error of the statement's connection; always returns FALSE. */
gboolean  ks_sqlite_stmt_fail (sqlite3_stmt *stmt, GError **error);
/* Steps a statement expected to finish (INSERT/UPDATE/DELETE). */
gboolean  ks_sqlite_step_done (KsStmt *stmt, GError **error);
/* Steps a query of at most one row: *found says whether it gave one (its columns
 * can then be read). FALSE with error only when the step failed. */
gboolean  ks_sqlite_step_row  (KsStmt *stmt, gboolean *found, GError **error);
/* Steps a bound query to its end, collecting column 0 of every row (ids) into a
 * new array. */
gboolean  ks_sqlite_collect_ids (sqlite3_stmt *stmt, GArray **out, GError **error);
/* Reads the current row of a query into out (a struct of the caller's). */
typedef void (*KsSqliteLoadRow) (sqlite3_stmt *stmt, gpointer out);
/* Steps a bound query to its end, loading each row into a new zeroed element
 * appended to out (a GArray of structs). */
gboolean  ks_sqlite_collect_structs (sqlite3_stmt *stmt, GArray *out, KsSqliteLoadRow load,
                                     GError **error);
/* The same into a new GPtrArray of g_malloc0'd structs of size, freed with
 * free_func. */
gboolean  ks_sqlite_collect_ptrs (sqlite3_stmt *stmt, gsize size, KsSqliteLoadRow load,
                                  GDestroyNotify free_func, GPtrArray **out, GError **error);
gint64    ks_sqlite_last_insert_rowid (KsStore *store);
int       ks_sqlite_changes   (KsStore *store);

/* Transactions of this thread's connection: a write transaction takes the write
 * lock at once (BEGIN IMMEDIATE); rollback does nothing outside a transaction. */
gboolean  ks_sqlite_begin_write (KsStore *store, GError **error);
gboolean  ks_sqlite_commit      (KsStore *store, GError **error);
void      ks_sqlite_rollback    (KsStore *store);

/* Column helpers */
static inline const char *ks_col_text (sqlite3_stmt *s, int i) { return (const char *) sqlite3_column_text (s, i); }
static inline gint64 ks_col_int (sqlite3_stmt *s, int i) { return sqlite3_column_int64 (s, i); }
static inline double ks_col_double (sqlite3_stmt *s, int i) { return sqlite3_column_double (s, i); }
static inline gboolean ks_col_null (sqlite3_stmt *s, int i) { return sqlite3_column_type (s, i) == SQLITE_NULL; }
/* Binds text, or NULL when text is NULL. */
static inline void ks_bind_text (sqlite3_stmt *s, int i, const char *t) { if (t) sqlite3_bind_text (s, i, t, -1, SQLITE_TRANSIENT); else sqlite3_bind_null (s, i); }
/* Binds an id, or NULL when it is 0. */
static inline void ks_bind_id (sqlite3_stmt *s, int i, gint64 id) { if (id) sqlite3_bind_int64 (s, i, id); else sqlite3_bind_null (s, i); }

G_END_DECLS

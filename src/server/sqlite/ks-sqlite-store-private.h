/* ks-sqlite-store-private.h: helpers shared by the SQLite store's domain files. */
#pragma once

#include <sqlite3.h>
#include "sqlite/ks-sqlite-store.h"
#include "ks-error.h"

G_BEGIN_DECLS

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
gint64    ks_sqlite_last_insert_rowid (KsStore *store);
int       ks_sqlite_changes   (KsStore *store);

/* Column helpers */
static inline const char *ks_col_text (sqlite3_stmt *s, int i) { return (const char *) sqlite3_column_text (s, i); }
static inline gint64 ks_col_int (sqlite3_stmt *s, int i) { return sqlite3_column_int64 (s, i); }
static inline double ks_col_double (sqlite3_stmt *s, int i) { return sqlite3_column_double (s, i); }
static inline gboolean ks_col_null (sqlite3_stmt *s, int i) { return sqlite3_column_type (s, i) == SQLITE_NULL; }
/* Binds text, or NULL when text is NULL. */
static inline void ks_bind_text (sqlite3_stmt *s, int i, const char *t) { if (t) sqlite3_bind_text (s, i, t, -1, SQLITE_TRANSIENT); else sqlite3_bind_null (s, i); }
/* Binds an id, or NULL when it is 0. */
static inline void ks_bind_id (sqlite3_stmt *s, int i, gint64 id) { if (id) sqlite3_bind_int64 (s, i, id); else sqlite3_bind_null (s, i); }

/* Writes column i of s to w as its natural JSON type (integer, real, text or null). */
void      ks_sqlite_write_column (KsJsonWriter *w, sqlite3_stmt *s, int i);
/* "key": column i of s as a string, or null. */
static inline void
ks_sqlite_member_text (KsJsonWriter *w, const char *key, sqlite3_stmt *s, int i)
{
  ks_json_writer_key (w, key);
  if (ks_col_null (s, i))
    ks_json_writer_null (w);
  else
    ks_json_writer_string_len (w, ks_col_text (s, i), sqlite3_column_bytes (s, i));
}
/* "key": column i of s as an integer, or null. */
static inline void
ks_sqlite_member_id (KsJsonWriter *w, const char *key, sqlite3_stmt *s, int i)
{
  ks_json_writer_key (w, key);
  if (ks_col_null (s, i))
    ks_json_writer_null (w);
  else
    ks_json_writer_int (w, ks_col_int (s, i));
}

/* The members of a report's list shape (without its braces) from the first 17
 * columns of st: r.id, r.title, r.category_id, c.name, c.group_name, r.state,
 * r.priority_id, r.lat, r.lon, r.ward, r.created, r.updated, r.acknowledged,
 * r.shortlist_user, has_photo, r.version, r.seq. */
void      ks_sqlite_write_list_members (KsJsonWriter *w, sqlite3_stmt *st);

/* The domain implementations fill in their virtual function tables. */
void ks_sqlite_store_auth_init    (KsStoreAuthVTable    *vtable);
void ks_sqlite_store_reports_init (KsStoreReportsVTable *vtable);
void ks_sqlite_store_actions_init (KsStoreActionsVTable *vtable);
void ks_sqlite_store_admin_init   (KsStoreAdminVTable   *vtable);
void ks_sqlite_store_open311_init (KsStoreOpen311VTable *vtable);
void ks_sqlite_store_privacy_init (KsStorePrivacyVTable *vtable);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-db.c: the SQLite connection and statement toolkit: each thread's
 * connection (opened with the pragmas every connection needs), its cache of
 * prepared statements, the step helpers and transactions. */
#define G_LOG_DOMAIN "ks-sqlite-db"

#include "sqlite/ks-sqlite-db.h"

#include <string.h>

/* The attached stores: KsStore * -> Attached. A store is only a key here. */
typedef struct {
  char  *path;
  guint  generation;
} Attached;

static GMutex attached_lock;
static GHashTable *attached;
static guint next_generation = 1;
/* Bumped at each detach, so that a thread checks its connection again (a new
 * store may have the address of one that went away). */
static gint detach_epoch;

/* Each thread's connection. It is tied to one attached store by generation;
 * a thread that meets a different store reopens. */
typedef struct {
  KsStore    *store;
  guint       generation;
  gint        epoch;
  sqlite3    *db;
  GHashTable *stmts;   /* const char *sql -> sqlite3_stmt * */
} ThreadConn;

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
thread_conn_free (gpointer data)
{
  ThreadConn *tc = data;
  if (tc == NULL)
    return;
  g_clear_pointer (&tc->stmts, g_hash_table_destroy);
  if (tc->db)
    sqlite3_close_v2 (tc->db);
  g_free (tc);
}

static GPrivate thread_conn = G_PRIVATE_INIT (thread_conn_free);

static void
attached_free (gpointer data)
{
  Attached *a = data;
  g_free (a->path);
  g_free (a);
}

void
ks_sqlite_db_attach (KsStore    *store,
                     const char *path)
{
  Attached *a = g_new0 (Attached, 1);

  a->path = g_strdup (path);
  g_mutex_lock (&attached_lock);
  if (attached == NULL)
    attached = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, attached_free);
  a->generation = next_generation++;
  g_hash_table_replace (attached, store, a);
  g_mutex_unlock (&attached_lock);
}

void
ks_sqlite_db_detach (KsStore *store)
{
  ThreadConn *tc = g_private_get (&thread_conn);
  Attached *a;

  g_mutex_lock (&attached_lock);
  a = attached != NULL ? g_hash_table_lookup (attached, store) : NULL;
  /* The calling thread closes its own connection to it now; the others when
   * they next meet a store. */
  if (a != NULL && tc != NULL && tc->generation == a->generation)
    g_private_replace (&thread_conn, NULL);
  if (a != NULL)
    g_hash_table_remove (attached, store);
  g_atomic_int_inc (&detach_epoch);
  g_mutex_unlock (&attached_lock);
}

gboolean
ks_sqlite_fail (sqlite3  *db,
                GError  **error)
{
  int code = db ? sqlite3_extended_errcode (db) : SQLITE_ERROR;
  KsErrorCode ks = KS_ERROR_FAILED;

  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    ks = KS_ERROR_UNAVAILABLE;
  else if ((code & 0xff) == SQLITE_CONSTRAINT)
    ks = KS_ERROR_CONFLICT;
  g_set_error (error, KS_ERROR, ks, "Database error: %s", db ? sqlite3_errmsg (db) : "no connection");
  return FALSE;
}

static sqlite3 *
open_connection (const char *path,
                 GError    **error)
{
  sqlite3 *db = NULL;
  /* synchronous = FULL: in WAL mode, NORMAL syncs only at checkpoints, so a
   * commit the client was told about could vanish in a power cut; FULL syncs
   * the WAL at every commit, before the answer goes out. */
  static const char *pragmas =
    "PRAGMA foreign_keys = ON;"
    "PRAGMA busy_timeout = 10000;"
    "PRAGMA synchronous = FULL;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA cache_size = -65536;"
    /* No memory map: at the first read after any commit, SQLite unmaps the
     * whole file from each connection that sees the change, and every page
     * read then costs a page fault again (about 12 us here, a dozen times a
     * read into its own cache). Ten sign-ins a second beside the list tripled
     * its p99 with the map and left it as it was without; a list with no
     * write anywhere is a few per cent faster with it. */
    "PRAGMA mmap_size = 0;"
    /* Deleted and overwritten content is zeroed, not left in free space: an
     * erasure leaves no trace in the file (nor, after a checkpoint, in the WAL). */
    "PRAGMA secure_delete = ON;";
  int rc;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (sqlite3_exec (db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
    {
      ks_sqlite_fail (db, error);
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

static sqlite3 *
connect_thread (ThreadConn *tc,
                KsStore    *store,
                GError    **error)
{
  g_autofree char *path = NULL;
  gint epoch;
  guint generation = 0;   /* set with path */
  Attached *a;

  g_mutex_lock (&attached_lock);
  epoch = g_atomic_int_get (&detach_epoch);
  a = attached != NULL ? g_hash_table_lookup (attached, store) : NULL;
  if (a != NULL)
    {
      path = g_strdup (a->path);
      generation = a->generation;
    }
  g_mutex_unlock (&attached_lock);

  if (path == NULL)
    {
      g_critical ("ks_sqlite_db: the store has no database attached");
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "Database error: no connection");
      return NULL;
    }

  if (tc != NULL && tc->generation == generation)
    {
      tc->store = store;
      tc->epoch = epoch;
      return tc->db;
    }

  if (tc != NULL)
    {
      g_private_replace (&thread_conn, NULL);
      tc = NULL;
    }

  tc = g_new0 (ThreadConn, 1);
  tc->store = store;
  tc->generation = generation;
  tc->epoch = epoch;
  tc->db = open_connection (path, error);
  if (tc->db == NULL)
    {
      g_free (tc);
      return NULL;
    }
  tc->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_stmt);
  g_private_set (&thread_conn, tc);
  return tc->db;
}

sqlite3 *
ks_sqlite_db (KsStore  *store,
              GError  **error)
{
  ThreadConn *tc = g_private_get (&thread_conn);

  if (tc != NULL && tc->store == store && tc->epoch == g_atomic_int_get (&detach_epoch))
    return tc->db;
  return connect_thread (tc, store, error);
}

KsStmt *
ks_sqlite_stmt (KsStore     *store,
                const char  *sql,
                GError     **error)
{
  sqlite3 *db = ks_sqlite_db (store, error);
  ThreadConn *tc;
  sqlite3_stmt *stmt;

  if (db == NULL)
    return NULL;
  tc = g_private_get (&thread_conn);
  stmt = g_hash_table_lookup (tc->stmts, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("Could not prepare “%s”: %s", sql, sqlite3_errmsg (db));
      ks_sqlite_fail (db, error);
      return NULL;
    }
  g_hash_table_insert (tc->stmts, (gpointer) sql, stmt);
  return stmt;
}

sqlite3_stmt *
ks_sqlite_prepare (KsStore     *store,
                   const char  *sql,
                   GError     **error)
{
  sqlite3 *db = ks_sqlite_db (store, error);
  sqlite3_stmt *stmt = NULL;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("Could not prepare “%s”: %s", sql, sqlite3_errmsg (db));
      ks_sqlite_fail (db, error);
      return NULL;
    }
  return stmt;
}

gboolean
ks_sqlite_exec (KsStore     *store,
                const char  *sql,
                GError     **error)
{
  sqlite3 *db = ks_sqlite_db (store, error);

  if (db == NULL)
    return FALSE;
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return ks_sqlite_fail (db, error);
  return TRUE;
}

gboolean
ks_sqlite_stmt_fail (sqlite3_stmt  *stmt,
                     GError       **error)
{
  return ks_sqlite_fail (sqlite3_db_handle (stmt), error);
}

gboolean
ks_sqlite_step_done (KsStmt  *stmt,
                     GError **error)
{
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  return ks_sqlite_stmt_fail (stmt, error);
}

gboolean
ks_sqlite_step_row (KsStmt    *stmt,
                    gboolean  *found,
                    GError   **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return ks_sqlite_stmt_fail (stmt, error);
}

gboolean
ks_sqlite_collect_ids (sqlite3_stmt  *stmt,
                       GArray       **out,
                       GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = ks_col_int (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (stmt, error);
  *out = g_steal_pointer (&ids);
  return TRUE;
}

gboolean
ks_sqlite_collect_structs (sqlite3_stmt     *stmt,
                           GArray           *out,
                           KsSqliteLoadRow   load,
                           GError          **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gsize size = g_array_get_element_size (out);
      gpointer item;

      g_array_set_size (out, out->len + 1);
      item = out->data + (gsize) (out->len - 1) * size;
      memset (item, 0, size);
      load (stmt, item);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (stmt, error);
  return TRUE;
}

gboolean
ks_sqlite_collect_ptrs (sqlite3_stmt     *stmt,
                        gsize             size,
                        KsSqliteLoadRow   load,
                        GDestroyNotify    free_func,
                        GPtrArray       **out,
                        GError          **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer item = g_malloc0 (size);
      load (stmt, item);
      g_ptr_array_add (list, item);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (stmt, error);
  *out = g_steal_pointer (&list);
  return TRUE;
}

gint64
ks_sqlite_last_insert_rowid (KsStore *store)
{
  return sqlite3_last_insert_rowid (ks_sqlite_db (store, NULL));
}

int
ks_sqlite_changes (KsStore *store)
{
  return sqlite3_changes (ks_sqlite_db (store, NULL));
}

gboolean
ks_sqlite_begin_write (KsStore  *store,
                       GError  **error)
{
  return ks_sqlite_exec (store, "BEGIN IMMEDIATE", error);
}

gboolean
ks_sqlite_commit (KsStore  *store,
                  GError  **error)
{
  return ks_sqlite_exec (store, "COMMIT", error);
}

void
ks_sqlite_rollback (KsStore *store)
{
  sqlite3 *db = ks_sqlite_db (store, NULL);
  if (db != NULL && !sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

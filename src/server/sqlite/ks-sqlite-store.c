/* ks-sqlite-store.c: SQLite store: per-thread connections, statement cache,
 * migrations, transactions, the change sequence, audit and idempotency. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "config.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "ks-time.h"

#include <gio/gio.h>
#include <string.h>

struct _KsSqliteStore
{
  KsStore  parent_instance;
  char    *path;
  guint    generation;
  int      schema_version;
};

G_DEFINE_FINAL_TYPE (KsSqliteStore, ks_sqlite_store, KS_TYPE_STORE)

/* Each thread's connection. It is tied to one store instance by generation;
 * a thread that meets a different store reopens. */
typedef struct {
  guint       generation;
  sqlite3    *db;
  GHashTable *stmts;   /* const char *sql -> sqlite3_stmt * */
} ThreadConn;

static guint next_generation = 1;
G_LOCK_DEFINE_STATIC (generation);

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
    "PRAGMA mmap_size = 1073741824;"
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

sqlite3 *
ks_sqlite_db (KsStore  *store,
              GError  **error)
{
  KsSqliteStore *self = KS_SQLITE_STORE (store);
  ThreadConn *tc = g_private_get (&thread_conn);

  if (tc != NULL && tc->generation == self->generation)
    return tc->db;

  if (tc != NULL)
    {
      g_private_replace (&thread_conn, NULL);
      tc = NULL;
    }

  tc = g_new0 (ThreadConn, 1);
  tc->generation = self->generation;
  tc->db = open_connection (self->path, error);
  if (tc->db == NULL)
    {
      g_free (tc);
      return NULL;
    }
  tc->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_stmt);
  g_private_set (&thread_conn, tc);
  return tc->db;
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

void
ks_sqlite_write_column (KsJsonWriter *w,
                        sqlite3_stmt *s,
                        int           i)
{
  switch (sqlite3_column_type (s, i))
    {
    case SQLITE_INTEGER:
      ks_json_writer_int (w, sqlite3_column_int64 (s, i));
      break;
    case SQLITE_FLOAT:
      ks_json_writer_double (w, sqlite3_column_double (s, i));
      break;
    case SQLITE_NULL:
      ks_json_writer_null (w);
      break;
    default:
      ks_json_writer_string_len (w, (const char *) sqlite3_column_text (s, i),
                                 sqlite3_column_bytes (s, i));
    }
}

/* Migrations: data/sql/NNNN-*.sql, compiled into the binary as resources, applied
 * in order, each inside its own transaction, and recorded in schema_migrations so
 * that each is applied exactly once whatever order branches added them in.
 * PRAGMA user_version holds the highest one applied, for tools. */
static gboolean
migrate (KsSqliteStore  *self,
         GError        **error)
{
  KsStore *store = KS_STORE (self);
  sqlite3 *db = ks_sqlite_db (store, error);
  g_auto(GStrv) names = NULL;
  g_autoptr(GHashTable) applied = g_hash_table_new (g_direct_hash, g_direct_equal);
  sqlite3_stmt *st;
  int highest = 0;
  guint n;

  if (db == NULL)
    return FALSE;

  if (sqlite3_exec (db, "PRAGMA journal_mode = WAL;"
                        "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        "  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL);",
                    NULL, NULL, NULL) != SQLITE_OK)
    return ks_sqlite_fail (db, error);

  if (sqlite3_prepare_v2 (db, "SELECT version FROM schema_migrations", -1, &st, NULL) != SQLITE_OK)
    return ks_sqlite_fail (db, error);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      int v = sqlite3_column_int (st, 0);
      g_hash_table_add (applied, GINT_TO_POINTER (v));
      highest = MAX (highest, v);
    }
  sqlite3_finalize (st);

  names = g_resources_enumerate_children ("/org/kerbside/server/sql", 0, error);
  if (names == NULL)
    return FALSE;
  /* Apply in file name order (NNNN- prefixes). */
  n = g_strv_length (names);
  for (guint i = 0; i + 1 < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (strcmp (names[i], names[j]) > 0)
        {
          char *t = names[i];
          names[i] = names[j];
          names[j] = t;
        }

  /* Two files with one number: the second would never be applied. */
  for (guint i = 0; i + 1 < n; i++)
    if (atoi (names[i]) > 0 && atoi (names[i]) == atoi (names[i + 1]))
      {
        g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                     "The database migrations %s and %s have the same number. Give one of "
                     "them the next free number.", names[i], names[i + 1]);
        return FALSE;
      }

  for (guint i = 0; names[i]; i++)
    {
      int number = atoi (names[i]);
      g_autofree char *res_path = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *record = NULL;

      if (number <= 0 || g_hash_table_contains (applied, GINT_TO_POINTER (number)))
        continue;
      res_path = g_strconcat ("/org/kerbside/server/sql/", names[i], NULL);
      bytes = g_resources_lookup_data (res_path, 0, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      highest = MAX (highest, number);
      record = sqlite3_mprintf ("INSERT INTO schema_migrations (version, name, applied) "
                                "VALUES (%d, %Q, strftime('%%s','now')); PRAGMA user_version = %d;",
                                number, names[i], highest);

      if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        {
          sqlite3_free (record);
          record = NULL;
          return ks_sqlite_fail (db, error);
        }
      if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (db, record, NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                       "Could not apply database migration %s: %s", names[i], sqlite3_errmsg (db));
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          sqlite3_free (g_steal_pointer (&record));
          return FALSE;
        }
      sqlite3_free (g_steal_pointer (&record));
      if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return ks_sqlite_fail (db, error);
      g_debug ("Applied migration %s", names[i]);
    }
  self->schema_version = highest;

  /* The query planner needs statistics to choose well between the indexes (some
   * list shapes are a hundred times slower without). Gather approximate ones
   * quickly when there are none yet; `kerbside-server demo` runs a full ANALYZE. */
  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'",
                          -1, &st, NULL) == SQLITE_OK)
    {
      gboolean have_stats = sqlite3_step (st) == SQLITE_ROW && sqlite3_column_int (st, 0) > 0;
      sqlite3_finalize (st);
      if (!have_stats &&
          sqlite3_exec (db, "PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA analysis_limit = 0;",
                        NULL, NULL, NULL) != SQLITE_OK)
        g_warning ("Could not gather query statistics: %s", sqlite3_errmsg (db));
    }
  return TRUE;
}

static gboolean
sqlite_begin_write (KsStore *store, GError **error)
{
  return ks_sqlite_exec (store, "BEGIN IMMEDIATE", error);
}

static gboolean
sqlite_commit (KsStore *store, GError **error)
{
  return ks_sqlite_exec (store, "COMMIT", error);
}

static void
sqlite_rollback (KsStore *store)
{
  sqlite3 *db = ks_sqlite_db (store, NULL);
  if (db != NULL && !sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

static gint64
sqlite_next_seq (KsStore *store, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value", error);
  if (st == NULL)
    return -1;
  if (sqlite3_step (st) != SQLITE_ROW)
    {
      ks_sqlite_fail (sqlite3_db_handle (st), error);
      return -1;
    }
  return sqlite3_column_int64 (st, 0);
}

static gint64
sqlite_current_seq (KsStore *store, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "SELECT value FROM meta WHERE key = 'seq'", error);
  if (st == NULL)
    return -1;
  if (sqlite3_step (st) != SQLITE_ROW)
    {
      ks_sqlite_fail (sqlite3_db_handle (st), error);
      return -1;
    }
  return sqlite3_column_int64 (st, 0);
}

static gboolean
sqlite_audit (KsStore           *store,
              const KsPrincipal *who,
              gint64             body_id,
              const char        *action,
              const char        *object_type,
              gint64             object_id,
              const char        *details_json,
              GError           **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO audit_log (at, user_id, body_id, action, object_type, object_id, address, details) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, ks_time_now ());
  ks_bind_id (st, 2, who ? who->user_id : 0);
  ks_bind_id (st, 3, body_id ? body_id : (who ? who->body_id : 0));
  ks_bind_text (st, 4, action);
  ks_bind_text (st, 5, object_type);
  ks_bind_id (st, 6, object_id);
  ks_bind_text (st, 7, who ? who->address : NULL);
  ks_bind_text (st, 8, details_json);
  return ks_sqlite_step_done (st, error);
}

static gboolean
sqlite_idempotency_lookup (KsStore *store, gint64 user_id, const char *key,
                           char **out_method, char **out_path,
                           char **out_request_hash,
                           guint *out_status, char **out_response,
                           GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT method, path, status, response, request_hash FROM idempotency "
    "WHERE user_id = ? AND key = ?", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  ks_bind_text (st, 2, key);
  rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    {
      *out_status = 0;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return ks_sqlite_fail (sqlite3_db_handle (st), error);
  *out_method = g_strdup (ks_col_text (st, 0));
  *out_path = g_strdup (ks_col_text (st, 1));
  *out_status = sqlite3_column_int (st, 2);
  *out_response = g_strdup (ks_col_text (st, 3));
  *out_request_hash = g_strdup (ks_col_text (st, 4));
  return TRUE;
}

static gboolean
sqlite_idempotency_store (KsStore *store, gint64 user_id, const char *key,
                          const char *method, const char *path,
                          const char *request_hash,
                          guint status, const char *response,
                          GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT OR REPLACE INTO idempotency (user_id, key, method, path, status, response, created, "
    "  request_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, user_id);
  ks_bind_text (st, 2, key);
  ks_bind_text (st, 3, method);
  ks_bind_text (st, 4, path);
  sqlite3_bind_int (st, 5, status);
  ks_bind_text (st, 6, response);
  sqlite3_bind_int64 (st, 7, ks_time_now ());
  ks_bind_text (st, 8, request_hash);
  return ks_sqlite_step_done (st, error);
}

/* Idempotency answers are kept a week: long enough for any app's outbox to replay
 * after a weekend offline, short enough not to pile up personal data. */
#define KS_IDEMPOTENCY_KEEP (7 * 24 * 3600)

static gboolean
sqlite_housekeeping (KsStore *store, gint64 now, GError **error)
{
  g_autofree char *sql = g_strdup_printf (
    "BEGIN IMMEDIATE;"
    "DELETE FROM idempotency WHERE created < %" G_GINT64_FORMAT ";"
    "DELETE FROM sessions WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM login_challenges WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM email_codes WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM login_failures WHERE at < %" G_GINT64_FORMAT ";"
    "COMMIT;",
    now - KS_IDEMPOTENCY_KEEP, now - 30 * 24 * 3600, now - 3600, now - 7 * 24 * 3600,
    now - 24 * 3600);

  if (!ks_sqlite_exec (store, sql, error))
    {
      sqlite_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static void
ks_sqlite_store_finalize (GObject *object)
{
  KsSqliteStore *self = (KsSqliteStore *) object;
  ThreadConn *tc = g_private_get (&thread_conn);

  if (tc != NULL && tc->generation == self->generation)
    g_private_replace (&thread_conn, NULL);
  g_free (self->path);
  G_OBJECT_CLASS (ks_sqlite_store_parent_class)->finalize (object);
}

static void
ks_sqlite_store_class_init (KsSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KsStoreClass *store_class = KS_STORE_CLASS (klass);

  object_class->finalize = ks_sqlite_store_finalize;

  store_class->begin_write = sqlite_begin_write;
  store_class->commit = sqlite_commit;
  store_class->rollback = sqlite_rollback;
  store_class->next_seq = sqlite_next_seq;
  store_class->current_seq = sqlite_current_seq;
  store_class->audit = sqlite_audit;
  store_class->housekeeping = sqlite_housekeeping;
  store_class->idempotency_lookup = sqlite_idempotency_lookup;
  store_class->idempotency_store = sqlite_idempotency_store;

  ks_sqlite_store_auth_init (&store_class->auth);
  ks_sqlite_store_reports_init (&store_class->reports);
  ks_sqlite_store_actions_init (&store_class->actions);
  ks_sqlite_store_admin_init (&store_class->admin);
  ks_sqlite_store_open311_init (&store_class->open311);
  ks_sqlite_store_privacy_init (&store_class->privacy);
}

static void
ks_sqlite_store_init (KsSqliteStore *self)
{
  G_LOCK (generation);
  self->generation = next_generation++;
  G_UNLOCK (generation);
}

KsStore *
ks_sqlite_store_new (const char  *path,
                     GError     **error)
{
  g_autoptr(KsSqliteStore) self = g_object_new (KS_TYPE_SQLITE_STORE, NULL);

  g_return_val_if_fail (path != NULL, NULL);
  self->path = g_strdup (path);
  if (!migrate (self, error))
    return NULL;
  return KS_STORE (g_steal_pointer (&self));
}

const char *
ks_sqlite_store_get_path (KsSqliteStore *self)
{
  return self->path;
}

int
ks_sqlite_store_schema_version (KsSqliteStore *self)
{
  return self->schema_version;
}

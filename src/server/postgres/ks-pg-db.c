/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-db.c: PostgreSQL connections, one per thread and database, prepared
 * statements and transactions (see ks-pg-db.h). */
#define G_LOG_DOMAIN "ks-pg"

#include "postgres/ks-pg-db.h"

#include "ks-error.h"

#include <string.h>

struct _KsPgDb {
  char *conninfo;
  char *password;       /* apart from conninfo; NULL: libpq's own sources */
  guint generation;     /* tells this database's connections from others' */
  guint connects;       /* connections opened (atomic) */
};

/* A thread's connection to one KsPgDb. generation 0: a free slot (its database
 * was freed). Every one is also in all_conns, so that ks_pg_db_free() can close
 * the connections its threads opened. */
typedef struct {
  guint       generation;
  PGconn     *conn;
  GHashTable *prepared;       /* names of the statements prepared on conn */
  gboolean    in_txn;
  char        sqlstate[6];
} ThreadConn;

static GMutex conns_lock;
static GPtrArray *all_conns;       /* ThreadConn *, under conns_lock */
static guint last_generation;      /* under conns_lock */

static void
drop_conn (ThreadConn *tc)
{
  g_clear_pointer (&tc->conn, PQfinish);
  g_hash_table_remove_all (tc->prepared);
  tc->in_txn = FALSE;
}

static void
thread_conns_free (gpointer data)
{
  GPtrArray *mine = data;

  g_mutex_lock (&conns_lock);
  for (guint i = 0; i < mine->len; i++)
    g_ptr_array_remove_fast (all_conns, g_ptr_array_index (mine, i));
  g_mutex_unlock (&conns_lock);
  for (guint i = 0; i < mine->len; i++)
    {
      ThreadConn *tc = g_ptr_array_index (mine, i);
      drop_conn (tc);
      g_hash_table_unref (tc->prepared);
      g_free (tc);
    }
  g_ptr_array_unref (mine);
}

static GPrivate thread_conns = G_PRIVATE_INIT (thread_conns_free);

static ThreadConn *
thread_conn (KsPgDb *db)
{
  GPtrArray *mine = g_private_get (&thread_conns);
  ThreadConn *tc, *free_slot = NULL;

  if (mine == NULL)
    {
      mine = g_ptr_array_new ();
      g_private_set (&thread_conns, mine);
    }
  for (guint i = 0; i < mine->len; i++)
    {
      guint generation;

      tc = g_ptr_array_index (mine, i);
      generation = (guint) g_atomic_int_get (&tc->generation);
      if (generation == db->generation)
        return tc;
      if (generation == 0 && free_slot == NULL)
        free_slot = tc;
    }

  g_mutex_lock (&conns_lock);
  if (free_slot != NULL)
    {
      tc = free_slot;
      drop_conn (tc);
    }
  else
    {
      tc = g_new0 (ThreadConn, 1);
      tc->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_ptr_array_add (mine, tc);
      if (all_conns == NULL)
        all_conns = g_ptr_array_new ();
      g_ptr_array_add (all_conns, tc);
    }
  g_atomic_int_set (&tc->generation, db->generation);
  g_mutex_unlock (&conns_lock);
  return tc;
}

static void
note_sqlstate (ThreadConn     *tc,
               const PGresult *res)
{
  const char *s = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;

  g_strlcpy (tc->sqlstate, s ? s : "", sizeof tc->sqlstate);
}

static void
on_notice (void       *arg,
           const char *message)
{
  g_autofree char *line = g_strchomp (g_strdup (message));

  g_debug ("PostgreSQL: %s", line);
}

static PGconn *
open_conn (KsPgDb  *db,
           GError **error)
{
  /* Our defaults first: the settings in conninfo (expanded from "dbname")
   * override them. */
  static const char *const keywords[] = {
    "connect_timeout", "application_name", "client_encoding", "dbname", "password", NULL
  };
  const char *values[] = { "5", "kerbside-server", "UTF8", db->conninfo, db->password, NULL };
  PGconn *conn = PQconnectdbParams (keywords, values, 1);

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      ks_pg_fail_connect (conn, error);
      if (conn != NULL)
        PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, on_notice, NULL);
  g_atomic_int_inc (&db->connects);
  return conn;
}

KsPgDb *
ks_pg_db_new (const char  *conninfo,
              GError     **error)
{
  return ks_pg_db_new_with_password (conninfo, NULL, error);
}

KsPgDb *
ks_pg_db_new_with_password (const char  *conninfo,
                            const char  *password,
                            GError     **error)
{
  KsPgDb *db = g_new0 (KsPgDb, 1);
  char *parse_error = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &parse_error);

  if (options == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The database settings cannot be read (%s). Give a URI such as "
                   "postgresql://USER@HOST/DATABASE.",
                   parse_error ? g_strchomp (parse_error) : "out of memory");
      PQfreemem (parse_error);
      g_free (db);
      return NULL;
    }
  PQconninfoFree (options);

  db->conninfo = g_strdup (conninfo);
  db->password = g_strdup (password);
  g_mutex_lock (&conns_lock);
  db->generation = ++last_generation;
  if (db->generation == 0)
    db->generation = ++last_generation;
  g_mutex_unlock (&conns_lock);

  if (ks_pg_db_conn (db, error) == NULL)
    {
      ks_pg_db_free (db);
      return NULL;
    }
  return db;
}

void
ks_pg_db_free (KsPgDb *db)
{
  if (db == NULL)
    return;
  g_mutex_lock (&conns_lock);
  for (guint i = 0; all_conns != NULL && i < all_conns->len; i++)
    {
      ThreadConn *tc = g_ptr_array_index (all_conns, i);
      if ((guint) g_atomic_int_get (&tc->generation) == db->generation)
        {
          drop_conn (tc);
          g_atomic_int_set (&tc->generation, 0);
        }
    }
  g_mutex_unlock (&conns_lock);
  g_free (db->conninfo);
  if (db->password != NULL)
    explicit_bzero (db->password, strlen (db->password));
  g_free (db->password);
  g_free (db);
}

PGconn *
ks_pg_db_conn (KsPgDb  *db,
               GError **error)
{
  ThreadConn *tc = thread_conn (db);

  if (tc->conn != NULL && !tc->in_txn)
    {
      /* A server that restarted or failed over closed the connection while it
       * was idle: reading what is waiting (without blocking) tells. */
      if (PQstatus (tc->conn) == CONNECTION_OK)
        PQconsumeInput (tc->conn);
      if (PQstatus (tc->conn) != CONNECTION_OK)
        {
          g_debug ("The database connection was closed; opening a new one");
          drop_conn (tc);
        }
    }
  if (tc->conn != NULL && tc->in_txn && PQstatus (tc->conn) != CONNECTION_OK)
    {
      /* A new connection would quietly lose the transaction. */
      tc->sqlstate[0] = '\0';
      ks_pg_fail (tc->conn, NULL, error);
      return NULL;
    }
  if (tc->conn == NULL)
    {
      tc->sqlstate[0] = '\0';
      tc->conn = open_conn (db, error);
    }
  return tc->conn;
}

static gboolean
result_ok (ThreadConn  *tc,
           PGresult    *res,
           GError     **error)
{
  ExecStatusType status = res ? PQresultStatus (res) : PGRES_FATAL_ERROR;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    {
      tc->sqlstate[0] = '\0';
      return TRUE;
    }
  note_sqlstate (tc, res);
  return ks_pg_fail (tc->conn, res, error);
}

gboolean
ks_pg_db_check_result (KsPgDb    *db,
                       PGresult  *res,
                       GError   **error)
{
  return result_ok (thread_conn (db), res, error);
}

gboolean
ks_pg_db_exec (KsPgDb      *db,
               const char  *sql,
               GError     **error)
{
  PGconn *conn = ks_pg_db_conn (db, error);
  g_autoptr(PGresult) res = NULL;

  if (conn == NULL)
    return FALSE;
  res = PQexec (conn, sql);
  return result_ok (thread_conn (db), res, error);
}

PGresult *
ks_pg_db_query (KsPgDb              *db,
                const KsPgStatement *stmt,
                int                  n_params,
                const char * const  *values,
                GError             **error)
{
  PGconn *conn = ks_pg_db_conn (db, error);
  ThreadConn *tc;
  PGresult *res;

  if (conn == NULL)
    return NULL;
  tc = thread_conn (db);
  if (!g_hash_table_contains (tc->prepared, stmt->name))
    {
      g_autoptr(PGresult) prep = PQprepare (conn, stmt->name, stmt->sql, n_params, NULL);

      if (!result_ok (tc, prep, error))
        {
          g_prefix_error (error, "Preparing %s: ", stmt->name);
          return NULL;
        }
      g_hash_table_add (tc->prepared, g_strdup (stmt->name));
    }
  res = PQexecPrepared (conn, stmt->name, n_params, values, NULL, NULL, 0);
  if (!result_ok (tc, res, error))
    {
      g_clear_pointer (&res, PQclear);
      return NULL;
    }
  return res;
}

PGresult *
ks_pg_db_query_sql (KsPgDb              *db,
                    const char          *sql,
                    int                  n_params,
                    const char * const  *values,
                    GError             **error)
{
  PGconn *conn = ks_pg_db_conn (db, error);
  PGresult *res;

  if (conn == NULL)
    return NULL;
  res = PQexecParams (conn, sql, n_params, NULL, values, NULL, NULL, 0);
  if (!result_ok (thread_conn (db), res, error))
    {
      g_clear_pointer (&res, PQclear);
      return NULL;
    }
  return res;
}

gboolean
ks_pg_db_begin (KsPgDb      *db,
                const char  *isolation,
                GError     **error)
{
  g_autofree char *sql = NULL;
  ThreadConn *tc = thread_conn (db);

  if (tc->in_txn)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "A database transaction is open already on this thread.");
      return FALSE;
    }
  sql = isolation ? g_strconcat ("BEGIN ISOLATION LEVEL ", isolation, NULL) : g_strdup ("BEGIN");
  if (!ks_pg_db_exec (db, sql, error))
    return FALSE;
  tc->in_txn = TRUE;
  return TRUE;
}

gboolean
ks_pg_db_commit (KsPgDb  *db,
                 GError **error)
{
  ThreadConn *tc = thread_conn (db);
  g_autoptr(PGresult) res = NULL;

  if (!tc->in_txn || tc->conn == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "No database transaction is open to commit.");
      return FALSE;
    }
  tc->in_txn = FALSE;
  res = PQexec (tc->conn, "COMMIT");
  if (!result_ok (tc, res, error))
    return FALSE;
  /* COMMIT of a transaction that failed earlier rolls it back and says so. */
  if (strcmp (PQcmdStatus (res), "COMMIT") != 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The database transaction had failed and was rolled back.");
      return FALSE;
    }
  return TRUE;
}

void
ks_pg_db_rollback (KsPgDb *db)
{
  ThreadConn *tc = thread_conn (db);
  g_autoptr(PGresult) res = NULL;

  if (!tc->in_txn)
    return;
  tc->in_txn = FALSE;
  if (tc->conn == NULL)
    return;
  res = PQexec (tc->conn, "ROLLBACK");
  if (res == NULL || PQresultStatus (res) != PGRES_COMMAND_OK)
    drop_conn (tc);   /* closing the connection rolls back */
}

gboolean
ks_pg_db_in_transaction (KsPgDb *db)
{
  return thread_conn (db)->in_txn;
}

const char *
ks_pg_db_last_sqlstate (KsPgDb *db)
{
  return thread_conn (db)->sqlstate;
}

gboolean
ks_pg_db_run_transaction (KsPgDb              *db,
                          const char          *isolation,
                          guint                max_attempts,
                          KsPgTransactionFunc  func,
                          gpointer             data,
                          GError             **error)
{
  ThreadConn *tc = thread_conn (db);

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local = NULL;
      gboolean again;

      if (!ks_pg_db_begin (db, isolation, error))
        return FALSE;
      if (func (db, data, &local))
        {
          if (ks_pg_db_commit (db, &local))
            return TRUE;
          /* Only a lost race is rerun; a connection lost while COMMIT was on
           * its way leaves the outcome unknown. */
          again = ks_pg_sqlstate_is_retryable (tc->sqlstate);
        }
      else
        {
          gboolean lost = tc->conn == NULL || PQstatus (tc->conn) != CONNECTION_OK;

          again = lost || ks_pg_sqlstate_is_retryable (tc->sqlstate);
          ks_pg_db_rollback (db);
        }
      if (!again || attempt >= max_attempts)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("Running the transaction again (attempt %u): %s", attempt + 1, local->message);
      /* Let the transaction that won go first. */
      g_usleep (g_random_int_range (1000, 5000) * attempt);
    }
}

gint64
ks_pg_get_int64 (const PGresult *res,
                 int             row,
                 int             col)
{
  if (PQgetisnull (res, row, col))
    return 0;
  return g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

const char *
ks_pg_get_text (const PGresult *res,
                int             row,
                int             col)
{
  if (PQgetisnull (res, row, col))
    return NULL;
  return PQgetvalue (res, row, col);
}

guint
ks_pg_db_connects (KsPgDb *db)
{
  return (guint) g_atomic_int_get (&db->connects);
}

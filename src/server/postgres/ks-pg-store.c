/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store.c: the PostgreSQL store class: its database (connections are
 * ks-pg-db.c's, migrations ks-pg-migrate.c's), writes, the change sequence,
 * audit, idempotency and housekeeping; the domain files fill in the rest of its
 * table.
 *
 * Writes are serialised across every instance on the database: a write
 * transaction takes one transaction-level advisory lock before it reads or
 * changes anything, as SQLite's BEGIN IMMEDIATE does on one machine. So a write
 * sees every write committed before it, check-then-write code keeps its meaning,
 * and the change sequence is handed out in the order writes commit (the number
 * is taken under the lock, and the lock is held until COMMIT). */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store.h"
#include "postgres/ks-pg-store-private.h"
#include "postgres/ks-pg-migrate.h"
#include "ks-time.h"

#include <string.h>

/* The advisory lock every write transaction holds ("KsWrite" in ASCII). */
#define KS_PG_WRITE_LOCK "5473425772697465"
/* Housekeeping runs on one instance at a time ("KsHouse"). */
#define KS_PG_HOUSEKEEPING_LOCK "4b73486f757365"

struct _KsPgStore
{
  KsStore  parent_instance;
  KsPgDb  *db;
};

G_DEFINE_FINAL_TYPE (KsPgStore, ks_pg_store, KS_TYPE_STORE)

KsPgDb *
ks_pg_store_db (KsStore *store)
{
  return KS_PG_STORE (store)->db;
}

PGresult *
ks_pg_store_query (KsStore              *store,
                   const KsPgStatement  *stmt,
                   KsPgArgs             *args,
                   GError              **error)
{
  return ks_pg_db_query (ks_pg_store_db (store), stmt, args ? args->n : 0,
                         args ? args->values : NULL, error);
}

PGresult *
ks_pg_store_query_sql (KsStore     *store,
                       const char  *sql,
                       KsPgArgs    *args,
                       GError     **error)
{
  return ks_pg_db_query_sql (ks_pg_store_db (store), sql, args ? args->n : 0,
                             args ? args->values : NULL, error);
}

gboolean
ks_pg_store_exec (KsStore              *store,
                  const KsPgStatement  *stmt,
                  KsPgArgs             *args,
                  gint64               *n_changed,
                  GError              **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query (store, stmt, args, error);

  if (res == NULL)
    return FALSE;
  if (n_changed != NULL)
    {
      const char *tuples = PQcmdTuples (res);
      *n_changed = tuples[0] ? g_ascii_strtoll (tuples, NULL, 10) : 0;
    }
  return TRUE;
}

GArray *
ks_pg_collect_ids (const PGresult *res)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (res));

  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 id = ks_pg_int (res, i, 0);
      g_array_append_val (ids, id);
    }
  return ids;
}

void
ks_pg_load_structs (const PGresult *res, GArray *out, KsPgLoadRow load)
{
  gsize size = g_array_get_element_size (out);

  for (int i = 0; i < PQntuples (res); i++)
    {
      gpointer item;

      g_array_set_size (out, out->len + 1);
      item = out->data + (gsize) (out->len - 1) * size;
      memset (item, 0, size);
      load (res, i, item);
    }
}

GPtrArray *
ks_pg_load_ptrs (const PGresult *res, gsize size, KsPgLoadRow load, GDestroyNotify free_func)
{
  GPtrArray *list = g_ptr_array_new_full (PQntuples (res), free_func);

  for (int i = 0; i < PQntuples (res); i++)
    {
      gpointer item = g_malloc0 (size);
      load (res, i, item);
      g_ptr_array_add (list, item);
    }
  return list;
}

static gboolean
pg_begin_write (KsStore  *store,
                GError  **error)
{
  KsPgDb *db = ks_pg_store_db (store);

  if (!ks_pg_db_begin (db, "READ COMMITTED", error))
    return FALSE;
  if (!ks_pg_db_exec (db, "SELECT pg_advisory_xact_lock (x'" KS_PG_WRITE_LOCK "'::bigint)", error))
    {
      ks_pg_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_commit (KsStore  *store,
           GError  **error)
{
  return ks_pg_db_commit (ks_pg_store_db (store), error);
}

static void
pg_rollback (KsStore *store)
{
  KsPgDb *db = ks_pg_store_db (store);

  if (ks_pg_db_in_transaction (db))
    ks_pg_db_rollback (db);
}

static gboolean
pg_savepoint (KsStore        *store,
              KsSavepointOp   op,
              GError        **error)
{
  /* One round trip each: a step of a bulk action costs one more, not two. */
  static const char *const sql[] = {
    [KS_SAVEPOINT_BEGIN] = "SAVEPOINT ks_step",
    [KS_SAVEPOINT_KEEP] = "RELEASE SAVEPOINT ks_step; SAVEPOINT ks_step",
    [KS_SAVEPOINT_UNDO] = "ROLLBACK TO SAVEPOINT ks_step",
    [KS_SAVEPOINT_END] = "RELEASE SAVEPOINT ks_step",
  };

  g_return_val_if_fail ((guint) op < G_N_ELEMENTS (sql), FALSE);
  return ks_pg_db_exec (ks_pg_store_db (store), sql[op], error);
}

static gint64
pg_seq (KsStore              *store,
        const KsPgStatement  *stmt,
        GError              **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query (store, stmt, NULL, error);

  if (res == NULL)
    return -1;
  if (PQntuples (res) != 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "The database has no change sequence.");
      return -1;
    }
  return ks_pg_int (res, 0, 0);
}

static gint64
pg_next_seq (KsStore  *store,
             GError  **error)
{
  static const KsPgStatement stmt = { "store_next_seq",
    "UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value" };

  return pg_seq (store, &stmt, error);
}

static gint64
pg_current_seq (KsStore  *store,
                GError  **error)
{
  static const KsPgStatement stmt = { "store_current_seq",
    "SELECT value FROM meta WHERE key = 'seq'" };

  return pg_seq (store, &stmt, error);
}

static gboolean
pg_audit (KsStore           *store,
          const KsPrincipal *who,
          gint64             body_id,
          const char        *action,
          const char        *object_type,
          gint64             object_id,
          const char        *details_json,
          GError           **error)
{
  static const KsPgStatement stmt = { "store_audit",
    "INSERT INTO audit_log (at, user_id, body_id, action, object_type, object_id, address, details) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_id (&args, who ? who->user_id : 0);
  ks_pg_args_id (&args, body_id ? body_id : (who ? who->body_id : 0));
  ks_pg_args_text (&args, action);
  ks_pg_args_text (&args, object_type);
  ks_pg_args_id (&args, object_id);
  ks_pg_args_text (&args, who ? who->address : NULL);
  ks_pg_args_text (&args, details_json);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

static gboolean
pg_idempotency_lookup (KsStore *store, gint64 user_id, const char *key,
                       char **out_method, char **out_path,
                       char **out_request_hash,
                       guint *out_status, char **out_response,
                       GError **error)
{
  static const KsPgStatement stmt = { "store_idempotency_lookup",
    "SELECT method, path, status, response, request_hash FROM idempotency "
    "WHERE user_id = $1 AND key = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, user_id);
  ks_pg_args_text (&args, key);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      *out_status = 0;
      return TRUE;
    }
  *out_method = g_strdup (ks_pg_text (res, 0, 0));
  *out_path = g_strdup (ks_pg_text (res, 0, 1));
  *out_status = (guint) ks_pg_int (res, 0, 2);
  *out_response = g_strdup (ks_pg_text (res, 0, 3));
  *out_request_hash = g_strdup (ks_pg_text (res, 0, 4));
  return TRUE;
}

static gboolean
pg_idempotency_store (KsStore *store, gint64 user_id, const char *key,
                      const char *method, const char *path,
                      const char *request_hash,
                      guint status, const char *response,
                      GError **error)
{
  static const KsPgStatement stmt = { "store_idempotency_store",
    "INSERT INTO idempotency (user_id, key, method, path, status, response, created, request_hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
    "ON CONFLICT (user_id, key) DO UPDATE SET method = excluded.method, path = excluded.path, "
    "  status = excluded.status, response = excluded.response, created = excluded.created, "
    "  request_hash = excluded.request_hash" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, user_id);
  ks_pg_args_text (&args, key);
  ks_pg_args_text (&args, method);
  ks_pg_args_text (&args, path);
  ks_pg_args_int (&args, status);
  ks_pg_args_text (&args, response);
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_text (&args, request_hash);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

/* Idempotency answers are kept a week, as on SQLite (ks-sqlite-store.c). */
#define KS_IDEMPOTENCY_KEEP (7 * 24 * 3600)

static gboolean
pg_housekeeping (KsStore  *store,
                 gint64    now,
                 GError  **error)
{
  KsPgDb *db = ks_pg_store_db (store);
  g_autofree char *sql = g_strdup_printf (
    "DELETE FROM idempotency WHERE created < %" G_GINT64_FORMAT ";"
    "DELETE FROM open311_idempotency WHERE created < %" G_GINT64_FORMAT ";"
    "DELETE FROM sessions WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM login_challenges WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM email_codes WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM login_failures WHERE at < %" G_GINT64_FORMAT ";",
    now - KS_IDEMPOTENCY_KEEP, now - KS_OPEN311_IDEMPOTENCY_KEEP, now - 30 * 24 * 3600, now - 3600, now - 7 * 24 * 3600,
    now - 24 * 3600);
  g_autoptr(PGresult) res = NULL;

  if (!ks_pg_db_begin (db, NULL, error))
    return FALSE;
  /* Another instance at it already: nothing for this one to do. */
  res = ks_pg_db_query_sql (db, "SELECT pg_try_advisory_xact_lock (x'" KS_PG_HOUSEKEEPING_LOCK "'::bigint)",
                            0, NULL, error);
  if (res == NULL)
    goto fail;
  if (!ks_pg_bool (res, 0, 0))
    {
      ks_pg_db_rollback (db);
      return TRUE;
    }
  if (!ks_pg_db_exec (db, sql, error))
    goto fail;
  return ks_pg_db_commit (db, error);

fail:
  ks_pg_db_rollback (db);
  return FALSE;
}

static void
ks_pg_store_finalize (GObject *object)
{
  KsPgStore *self = (KsPgStore *) object;

  g_clear_pointer (&self->db, ks_pg_db_free);
  G_OBJECT_CLASS (ks_pg_store_parent_class)->finalize (object);
}

static void
ks_pg_store_class_init (KsPgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KsStoreClass *store_class = KS_STORE_CLASS (klass);

  object_class->finalize = ks_pg_store_finalize;

  store_class->begin_write = pg_begin_write;
  store_class->commit = pg_commit;
  store_class->rollback = pg_rollback;
  store_class->next_seq = pg_next_seq;
  store_class->current_seq = pg_current_seq;
  store_class->audit = pg_audit;
  store_class->housekeeping = pg_housekeeping;
  store_class->savepoint = pg_savepoint;
  store_class->idempotency_lookup = pg_idempotency_lookup;
  store_class->idempotency_store = pg_idempotency_store;

  ks_pg_store_auth_init (&store_class->auth);
  ks_pg_store_reports_init (&store_class->reports);
  ks_pg_store_actions_init (&store_class->actions);
  ks_pg_store_assignees_init (&store_class->actions);
  ks_pg_store_moderation_init (&store_class->actions);
  ks_pg_store_admin_init (&store_class->admin);
  ks_pg_store_response_init (&store_class->actions, &store_class->admin);
  ks_pg_store_open311_init (&store_class->open311);
  ks_pg_store_open311_idempotency_init (&store_class->open311);
  ks_pg_store_privacy_init (&store_class->privacy);
  ks_pg_store_duplicates_init (&store_class->duplicates);
  ks_pg_store_photos_init (&store_class->photos);
  ks_pg_store_areas_init (&store_class->auth, &store_class->admin);
  ks_pg_store_lookup_init (&store_class->lookup);
  ks_pg_store_notices_init (&store_class->notices);
  ks_pg_store_councils_init (&store_class->councils);
  ks_pg_store_retention_init (&store_class->retention);
  ks_pg_store_abuse_init (&store_class->abuse);
  ks_pg_store_sendings_init (&store_class->sendings);
  ks_pg_store_hidden_people_init (&store_class->hidden_people);
}

static void
ks_pg_store_init (KsPgStore *self)
{
}

KsStore *
ks_pg_store_new (const char  *conninfo,
                 const char  *password,
                 GError     **error)
{
  g_autoptr(KsPgStore) self = g_object_new (KS_TYPE_PG_STORE, NULL);
  guint applied = 0;

  g_return_val_if_fail (conninfo != NULL, NULL);
  self->db = ks_pg_db_new_with_password (conninfo, password, error);
  if (self->db == NULL)
    return NULL;
  if (!ks_pg_migrate (self->db, KS_PG_MIGRATIONS, &applied, error))
    return NULL;
  if (applied > 0)
    g_message ("Applied %u PostgreSQL migration(s)", applied);
  return KS_STORE (g_steal_pointer (&self));
}

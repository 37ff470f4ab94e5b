/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store.c: the SQLite store class: its database (the connections and
 * statements are ks-sqlite-db.c's, the migrations ks-sqlite-migrate.c's), the
 * change sequence, audit, idempotency and housekeeping; the domain files fill in
 * the rest of its table. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "config.h"
#include "sqlite/ks-sqlite-store.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "sqlite/ks-sqlite-migrate.h"
#include "ks-time.h"

#include <gio/gio.h>
#include <string.h>

struct _KsSqliteStore
{
  KsStore  parent_instance;
  char    *path;
  int      schema_version;
};

G_DEFINE_FINAL_TYPE (KsSqliteStore, ks_sqlite_store, KS_TYPE_STORE)

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
    "DELETE FROM open311_idempotency WHERE created < %" G_GINT64_FORMAT ";"
    "DELETE FROM sessions WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM login_challenges WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM email_codes WHERE expires < %" G_GINT64_FORMAT ";"
    "DELETE FROM login_failures WHERE at < %" G_GINT64_FORMAT ";"
    "COMMIT;",
    now - KS_IDEMPOTENCY_KEEP, now - KS_OPEN311_IDEMPOTENCY_KEEP, now - 30 * 24 * 3600, now - 3600, now - 7 * 24 * 3600,
    now - 24 * 3600);

  if (!ks_sqlite_exec (store, sql, error))
    {
      ks_sqlite_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_savepoint (KsStore *store, KsSavepointOp op, GError **error)
{
  static const char *const sql[] = {
    [KS_SAVEPOINT_BEGIN] = "SAVEPOINT ks_step",
    [KS_SAVEPOINT_KEEP] = "RELEASE SAVEPOINT ks_step; SAVEPOINT ks_step",
    [KS_SAVEPOINT_UNDO] = "ROLLBACK TO SAVEPOINT ks_step",
    [KS_SAVEPOINT_END] = "RELEASE SAVEPOINT ks_step",
  };

  g_return_val_if_fail ((guint) op < G_N_ELEMENTS (sql), FALSE);
  return ks_sqlite_exec (store, sql[op], error);
}

static void
ks_sqlite_store_finalize (GObject *object)
{
  KsSqliteStore *self = (KsSqliteStore *) object;

  if (self->path != NULL)
    ks_sqlite_db_detach (KS_STORE (self));
  g_free (self->path);
  G_OBJECT_CLASS (ks_sqlite_store_parent_class)->finalize (object);
}

static void
ks_sqlite_store_class_init (KsSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KsStoreClass *store_class = KS_STORE_CLASS (klass);

  object_class->finalize = ks_sqlite_store_finalize;

  store_class->begin_write = ks_sqlite_begin_write;
  store_class->commit = ks_sqlite_commit;
  store_class->rollback = ks_sqlite_rollback;
  store_class->next_seq = sqlite_next_seq;
  store_class->current_seq = sqlite_current_seq;
  store_class->audit = sqlite_audit;
  store_class->housekeeping = sqlite_housekeeping;
  store_class->savepoint = sqlite_savepoint;
  store_class->idempotency_lookup = sqlite_idempotency_lookup;
  store_class->idempotency_store = sqlite_idempotency_store;

  ks_sqlite_store_auth_init (&store_class->auth);
  ks_sqlite_store_reports_init (&store_class->reports);
  ks_sqlite_store_actions_init (&store_class->actions);
  ks_sqlite_store_assignees_init (&store_class->actions);
  ks_sqlite_store_moderation_init (&store_class->actions);
  ks_sqlite_store_admin_init (&store_class->admin);
  ks_sqlite_store_open311_init (&store_class->open311);
  ks_sqlite_store_open311_idempotency_init (&store_class->open311);
  ks_sqlite_store_privacy_init (&store_class->privacy);
  ks_sqlite_store_duplicates_init (&store_class->duplicates);
  ks_sqlite_store_photos_init (&store_class->photos);
  ks_sqlite_store_areas_init (&store_class->auth, &store_class->admin);
  ks_sqlite_store_response_init (&store_class->actions, &store_class->admin);
  ks_sqlite_store_lookup_init (&store_class->lookup);
  ks_sqlite_store_notices_init (&store_class->notices);
  ks_sqlite_store_councils_init (&store_class->councils);
  ks_sqlite_store_retention_init (&store_class->retention);
  ks_sqlite_store_abuse_init (&store_class->abuse);
  ks_sqlite_store_sendings_init (&store_class->sendings);
  ks_sqlite_store_hidden_people_init (&store_class->hidden_people);
}

static void
ks_sqlite_store_init (KsSqliteStore *self)
{
}

KsStore *
ks_sqlite_store_new (const char  *path,
                     GError     **error)
{
  g_autoptr(KsSqliteStore) self = g_object_new (KS_TYPE_SQLITE_STORE, NULL);

  g_return_val_if_fail (path != NULL, NULL);
  self->path = g_strdup (path);
  ks_sqlite_db_attach (KS_STORE (self), path);
  if (!ks_sqlite_migrate (KS_STORE (self), &self->schema_version, error))
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-migrate.c: the PostgreSQL migrations runner (see ks-pg-migrate.h). */
#define G_LOG_DOMAIN "ks-pg"

#include "postgres/ks-pg-migrate.h"

#include "ks-error.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

static int
migration_number (const char *name)
{
  return g_ascii_isdigit (name[0]) ? atoi (name) : 0;
}

static int
by_number (gconstpointer a,
           gconstpointer b)
{
  const char *x = *(const char * const *) a, *y = *(const char * const *) b;
  int nx = migration_number (x), ny = migration_number (y);

  return nx != ny ? (nx < ny ? -1 : 1) : strcmp (x, y);
}

gboolean
ks_pg_migrations_check (GStrv    names,
                        GError **error)
{
  guint n = g_strv_length (names);

  qsort (names, n, sizeof (char *), by_number);
  for (guint i = 0; i < n; i++)
    {
      if (migration_number (names[i]) <= 0)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                       "The database migration %s has no number: name it NNNN-what-it-does.sql "
                       "with the next free number.", names[i]);
          return FALSE;
        }
      if (i > 0 && migration_number (names[i - 1]) == migration_number (names[i]))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                       "The database migrations %s and %s have the same number. Give one of "
                       "them the next free number.", names[i - 1], names[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static const KsPgStatement applied_versions = {
  "ks_migrations_applied", "SELECT version FROM schema_migrations"
};
static const KsPgStatement record_version = {
  "ks_migrations_record",
  "INSERT INTO schema_migrations (version, name, applied) "
  "VALUES ($1, $2, extract(epoch FROM now())::bigint)"
};

static gboolean
apply_one (KsPgDb      *db,
           const char  *resource_dir,
           const char  *name,
           GError     **error)
{
  g_autofree char *path = g_strconcat (resource_dir, "/", name, NULL);
  g_autofree char *number = g_strdup_printf ("%d", migration_number (name));
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, error);
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *values[2] = { number, name };

  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!ks_pg_db_begin (db, NULL, error))
    return FALSE;
  if (!ks_pg_db_exec (db, sql, error) ||
      (res = ks_pg_db_query (db, &record_version, 2, values, error)) == NULL ||
      !ks_pg_db_commit (db, error))
    {
      ks_pg_db_rollback (db);
      g_prefix_error (error, "Could not apply database migration %s: ", name);
      return FALSE;
    }
  g_debug ("Applied migration %s", name);
  return TRUE;
}

static gboolean
migrate_locked (KsPgDb      *db,
                const char  *resource_dir,
                GStrv        names,
                guint       *n_applied,
                GError     **error)
{
  g_autoptr(GHashTable) applied = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(PGresult) res = NULL;

  if (!ks_pg_db_exec (db,
                      "CREATE TABLE IF NOT EXISTS schema_migrations ("
                      "  version integer PRIMARY KEY, name text NOT NULL,"
                      "  applied bigint NOT NULL)", error))
    return FALSE;
  if ((res = ks_pg_db_query (db, &applied_versions, 0, NULL, error)) == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    g_hash_table_add (applied, GINT_TO_POINTER ((int) ks_pg_get_int64 (res, row, 0)));

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_hash_table_contains (applied, GINT_TO_POINTER (migration_number (names[i]))))
        continue;
      if (!apply_one (db, resource_dir, names[i], error))
        return FALSE;
      (*n_applied)++;
    }
  return TRUE;
}

gboolean
ks_pg_migrate (KsPgDb      *db,
               const char  *resource_dir,
               guint       *n_applied,
               GError     **error)
{
  g_auto(GStrv) names = g_resources_enumerate_children (resource_dir, 0, error);
  g_autofree char *lock = NULL, *unlock = NULL;
  guint count = 0;
  gboolean ok;

  if (names == NULL || !ks_pg_migrations_check (names, error))
    return FALSE;

  /* A session lock on this thread's connection: another instance starting now
   * waits here, then finds everything applied. Were the connection lost, the
   * lock would go with it. */
  lock = g_strdup_printf ("SELECT pg_advisory_lock(%" G_GINT64_FORMAT ")", KS_PG_MIGRATION_LOCK);
  unlock = g_strdup_printf ("SELECT pg_advisory_unlock(%" G_GINT64_FORMAT ")", KS_PG_MIGRATION_LOCK);
  if (!ks_pg_db_exec (db, lock, error))
    return FALSE;
  ok = migrate_locked (db, resource_dir, names, &count, error);
  if (!ks_pg_db_exec (db, unlock, ok ? error : NULL))
    ok = FALSE;
  if (n_applied != NULL)
    *n_applied = count;
  return ok;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-migrate-store.c: an installation moved from SQLite to PostgreSQL: the tables
 * in the order their foreign keys need, each with COPY, then each read back from
 * PostgreSQL inside the same transaction and compared (row count and checksum)
 * with what was read from SQLite before anything is committed.
 *
 * The checksum is the sum of the first 8 bytes of each row's SHA-256, so it does
 * not depend on the order rows come back in (text collations differ between the
 * engines). A row is hashed from its values as text, NULL told apart from every
 * text, and floating-point columns in one format on both sides. */
#define G_LOG_DOMAIN "ks-migrate"

#include "config.h"
#include "migrate/ks-migrate-store.h"

#include "ks-error.h"
#include "postgres/ks-pg-copy.h"
#include "postgres/ks-pg-db.h"
#include "postgres/ks-pg-migrate.h"
#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-store.h"

#include <string.h>

/* Rows read back from PostgreSQL at a time (a cursor, so memory stays flat). */
#define FETCH_ROWS 20000
/* Progress is told every so many rows. */
#define PROGRESS_ROWS 50000

void
ks_migrated_table_free (KsMigratedTable *table)
{
  if (table == NULL)
    return;
  g_free (table->table);
  g_free (table);
}

/* One table to copy: the columns both schemas have (generated ones are
 * PostgreSQL's to compute), and which of them hold floating-point numbers. */
typedef struct {
  char       *name;
  GPtrArray  *columns;     /* char* */
  GArray     *is_float;    /* gboolean per column */
  gint64      rows;
  guint64     checksum;
} Table;

static void
table_free (Table *t)
{
  g_free (t->name);
  g_ptr_array_unref (t->columns);
  g_array_unref (t->is_float);
  g_free (t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

/* Row hashing: values fed one by one, then the prefix added to the sum. */
typedef struct {
  GChecksum *sum;
} RowHash;

static void
row_hash_value (RowHash    *h,
                const char *text,
                gboolean    is_float)
{
  static const guchar null_mark[] = { 0x01, 'N' };
  static const guchar value_mark[] = { 0x02 };

  if (text == NULL)
    {
      g_checksum_update (h->sum, null_mark, sizeof null_mark);
      return;
    }
  g_checksum_update (h->sum, value_mark, sizeof value_mark);
  if (is_float)
    {
      char buf[64];
      g_snprintf (buf, sizeof buf, "%.17g", g_ascii_strtod (text, NULL));
      g_checksum_update (h->sum, (const guchar *) buf, -1);
    }
  else
    g_checksum_update (h->sum, (const guchar *) text, -1);
  g_checksum_update (h->sum, (const guchar *) "", 1);   /* the NUL between values */
}

static guint64
row_hash_end (RowHash *h)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 prefix = 0;

  g_checksum_get_digest (h->sum, digest, &len);
  g_checksum_reset (h->sum);
  for (int i = 0; i < 8; i++)
    prefix = (prefix << 8) | digest[i];
  return prefix;
}

/* -- PostgreSQL's side ---------------------------------------------------------- */

static PGresult *
pg_query (KsPgDb      *db,
          const char  *sql,
          GError     **error)
{
  return ks_pg_db_query_sql (db, sql, 0, NULL, error);
}

/* Refuses a database that already holds data (only the change sequence's row
 * and the authentication epoch's, which the migrations create, may be there). */
static gboolean
pg_check_empty (KsPgDb  *db,
                GError **error)
{
  g_autoptr(PGresult) tables = pg_query (db,
    "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema () AND c.relkind = 'r' "
    "  AND relname NOT IN ('meta', 'schema_migrations', 'auth_epoch') ORDER BY relname", error);

  if (tables == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (tables); i++)
    {
      const char *name = PQgetvalue (tables, i, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM \"%s\")", name);
      g_autoptr(PGresult) res = pg_query (db, sql, error);

      if (res == NULL)
        return FALSE;
      if (PQgetvalue (res, 0, 0)[0] == 't')
        {
          g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT,
                       "The PostgreSQL database already holds data (table %s is not empty). "
                       "Give an empty database: nothing was copied.", name);
          return FALSE;
        }
    }
  return TRUE;
}

/* PostgreSQL's tables, each after the tables its foreign keys point to. The
 * authentication epoch is not copied: its value only tells a running server
 * that something changed since it last read it, the triggers move it while
 * the rows are copied, and a server on the new database starts with nothing
 * kept. */
static GPtrArray *
pg_tables_in_key_order (KsPgDb  *db,
                        GError **error)
{
  g_autoptr(PGresult) tables = pg_query (db,
    "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema () AND c.relkind = 'r' "
    "  AND relname NOT IN ('schema_migrations', 'auth_epoch') ORDER BY relname", error);
  g_autoptr(PGresult) keys = NULL;
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean moved = TRUE;

  if (tables == NULL)
    return NULL;
  keys = pg_query (db,
    "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
    "WHERE contype = 'f' AND conrelid <> confrelid", error);
  if (keys == NULL)
    return NULL;
  while (moved)
    {
      moved = FALSE;
      for (int i = 0; i < PQntuples (tables); i++)
        {
          const char *name = PQgetvalue (tables, i, 0);
          gboolean ready = TRUE;

          if (g_hash_table_contains (placed, name))
            continue;
          for (int k = 0; k < PQntuples (keys) && ready; k++)
            if (strcmp (PQgetvalue (keys, k, 0), name) == 0 &&
                !g_hash_table_contains (placed, PQgetvalue (keys, k, 1)))
              ready = FALSE;
          if (!ready)
            continue;
          g_ptr_array_add (order, g_strdup (name));
          g_hash_table_add (placed, g_ptr_array_index (order, order->len - 1));
          moved = TRUE;
        }
    }
  if ((int) order->len != PQntuples (tables))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The PostgreSQL schema's foreign keys go round in a circle: "
                   "the tables cannot be copied one after the other.");
      return NULL;
    }
  return g_steal_pointer (&order);
}

/* The table's columns that SQLite has too and PostgreSQL does not generate. */
static Table *
table_describe (KsPgDb      *db,
                sqlite3     *lite,
                const char  *name,
                GError     **error)
{
  g_autoptr(Table) t = g_new0 (Table, 1);
  g_autoptr(GHashTable) lite_columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA table_info(\"%s\")", name);
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  sqlite3_stmt *st = NULL;

  t->name = g_strdup (name);
  t->columns = g_ptr_array_new_with_free_func (g_free);
  t->is_float = g_array_new (FALSE, FALSE, sizeof (gboolean));

  if (sqlite3_prepare_v2 (lite, pragma, -1, &st, NULL) != SQLITE_OK)
    {
      ks_sqlite_fail (lite, error);
      return NULL;
    }
  while (sqlite3_step (st) == SQLITE_ROW)
    g_hash_table_add (lite_columns, g_strdup ((const char *) sqlite3_column_text (st, 1)));
  sqlite3_finalize (st);
  if (g_hash_table_size (lite_columns) == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The SQLite database has no table %s: it is not a Kerbside database, "
                   "or its schema is older than this kerbside-server's.", name);
      return NULL;
    }

  sql = g_strdup_printf (
    "SELECT column_name, data_type IN ('double precision', 'real', 'numeric') "
    "FROM information_schema.columns "
    "WHERE table_schema = current_schema () AND table_name = '%s' AND is_generated = 'NEVER' "
    "ORDER BY ordinal_position", name);
  res = pg_query (db, sql, error);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    {
      gboolean is_float = PQgetvalue (res, i, 1)[0] == 't';

      if (!g_hash_table_contains (lite_columns, PQgetvalue (res, i, 0)))
        continue;   /* added on PostgreSQL with a default */
      g_ptr_array_add (t->columns, g_strdup (PQgetvalue (res, i, 0)));
      g_array_append_val (t->is_float, is_float);
    }
  return g_steal_pointer (&t);
}

static char *
column_list (Table *t)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < t->columns->len; i++)
    g_string_append_printf (s, "%s\"%s\"", i ? ", " : "",
                            (const char *) g_ptr_array_index (t->columns, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* -- the copy -------------------------------------------------------------------- */

static gint64
sqlite_count (sqlite3    *lite,
              const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);
  sqlite3_stmt *st = NULL;
  gint64 n = 0;

  if (sqlite3_prepare_v2 (lite, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step (st) == SQLITE_ROW)
    n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  return n;
}

/* Copies t's rows from SQLite into PostgreSQL, hashing them on the way. */
static gboolean
table_copy (KsPgDb             *db,
            sqlite3            *lite,
            Table              *t,
            KsMigrateProgress   progress,
            gpointer            data,
            GError            **error)
{
  g_autofree char *cols = column_list (t);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM \"%s\"", cols, t->name);
  g_autofree const char **values = g_new0 (const char *, t->columns->len + 1);
  RowHash h = { g_checksum_new (G_CHECKSUM_SHA256) };
  gint64 total = sqlite_count (lite, t->name);
  KsPgCopy *copy;
  sqlite3_stmt *st = NULL;
  int rc;

  if (sqlite3_prepare_v2 (lite, sql, -1, &st, NULL) != SQLITE_OK)
    {
      g_checksum_free (h.sum);
      return ks_sqlite_fail (lite, error);
    }
  g_ptr_array_add (t->columns, NULL);
  copy = ks_pg_copy_begin (db, t->name, (const char * const *) t->columns->pdata, error);
  g_ptr_array_set_size (t->columns, t->columns->len - 1);
  if (copy == NULL)
    goto fail;

  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      char floats[t->columns->len][40];

      for (guint i = 0; i < t->columns->len; i++)
        {
          gboolean is_float = g_array_index (t->is_float, gboolean, i);

          if (sqlite3_column_type (st, (int) i) == SQLITE_NULL)
            values[i] = NULL;
          else if (is_float)
            {
              /* Every digit, so that PostgreSQL stores the same double. */
              g_snprintf (floats[i], sizeof floats[i], "%.17g", sqlite3_column_double (st, (int) i));
              values[i] = floats[i];
            }
          else
            values[i] = (const char *) sqlite3_column_text (st, (int) i);
          row_hash_value (&h, values[i], is_float);
        }
      t->checksum += row_hash_end (&h);
      t->rows++;
      if (!ks_pg_copy_row (copy, values, error))
        {
          ks_pg_copy_abort (copy);
          goto fail;
        }
      if (progress != NULL && t->rows % PROGRESS_ROWS == 0)
        progress (t->name, t->rows, total, data);
    }
  if (rc != SQLITE_DONE)
    {
      ks_pg_copy_abort (copy);
      ks_sqlite_fail (lite, error);
      goto fail;
    }
  if (!ks_pg_copy_end (copy, NULL, error))
    goto fail;
  if (progress != NULL)
    progress (t->name, t->rows, total, data);
  sqlite3_finalize (st);
  g_checksum_free (h.sum);
  return TRUE;

fail:
  g_prefix_error (error, "Copying %s: ", t->name);
  sqlite3_finalize (st);
  g_checksum_free (h.sum);
  return FALSE;
}

/* Reads t back from PostgreSQL and compares its count and checksum. */
static gboolean
table_verify (KsPgDb  *db,
              Table   *t,
              GError **error)
{
  g_autofree char *cols = column_list (t);
  g_autofree char *declare = g_strdup_printf (
    "DECLARE ks_verify NO SCROLL CURSOR FOR SELECT %s FROM \"%s\"", cols, t->name);
  RowHash h = { g_checksum_new (G_CHECKSUM_SHA256) };
  guint64 checksum = 0;
  gint64 rows = 0;
  gboolean ok = FALSE;

  if (!ks_pg_db_exec (db, declare, error))
    goto out;
  for (;;)
    {
      g_autoptr(PGresult) res = pg_query (db, "FETCH " G_STRINGIFY (FETCH_ROWS) " FROM ks_verify", error);
      int n;

      if (res == NULL)
        goto out;
      n = PQntuples (res);
      for (int r = 0; r < n; r++)
        {
          for (guint i = 0; i < t->columns->len; i++)
            row_hash_value (&h, PQgetisnull (res, r, (int) i) ? NULL : PQgetvalue (res, r, (int) i),
                            g_array_index (t->is_float, gboolean, i));
          checksum += row_hash_end (&h);
        }
      rows += n;
      if (n < FETCH_ROWS)
        break;
    }
  if (!ks_pg_db_exec (db, "CLOSE ks_verify", error))
    goto out;
  if (rows != t->rows || checksum != t->checksum)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The copy of table %s differs from the original (%" G_GINT64_FORMAT " rows "
                   "read back of %" G_GINT64_FORMAT "; checksum %016" G_GINT64_MODIFIER "x, "
                   "expected %016" G_GINT64_MODIFIER "x). Nothing was committed.",
                   t->name, rows, t->rows, checksum, t->checksum);
      goto out;
    }
  ok = TRUE;
out:
  g_checksum_free (h.sum);
  return ok;
}

/* Identity columns continue after the highest id copied. */
static gboolean
pg_move_sequences (KsPgDb  *db,
                   GError **error)
{
  return ks_pg_db_exec (db,
    "DO $$ DECLARE r record; BEGIN "
    "  FOR r IN SELECT table_name, column_name FROM information_schema.columns "
    "           WHERE table_schema = current_schema () AND is_identity = 'YES' LOOP "
    "    EXECUTE format ('SELECT setval (pg_get_serial_sequence (%L, %L), "
    "                     GREATEST ((SELECT max (%I) FROM %I), 1), "
    "                     (SELECT max (%I) FROM %I) IS NOT NULL)', "
    "                    r.table_name, r.column_name, r.column_name, r.table_name, "
    "                    r.column_name, r.table_name); "
    "  END LOOP; "
    "END $$", error);
}

static gboolean
migrate_tables (KsPgDb             *db,
                sqlite3            *lite,
                KsMigrateProgress   progress,
                gpointer            data,
                GPtrArray          *out,
                GError            **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);

  if (!pg_check_empty (db, error))
    return FALSE;
  names = pg_tables_in_key_order (db, error);
  if (names == NULL)
    return FALSE;
  /* The change sequence's row comes from SQLite with the rest. */
  if (!ks_pg_db_exec (db, "DELETE FROM meta", error))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      Table *t = table_describe (db, lite, g_ptr_array_index (names, i), error);

      if (t == NULL)
        return FALSE;
      g_ptr_array_add (tables, t);
      if (!table_copy (db, lite, t, progress, data, error))
        return FALSE;
    }
  if (!pg_move_sequences (db, error))
    return FALSE;
  for (guint i = 0; i < tables->len; i++)
    {
      Table *t = g_ptr_array_index (tables, i);
      KsMigratedTable *m;

      if (!table_verify (db, t, error))
        return FALSE;
      if (out == NULL)
        continue;
      m = g_new0 (KsMigratedTable, 1);
      m->table = g_strdup (t->name);
      m->rows = t->rows;
      m->checksum = t->checksum;
      g_ptr_array_add (out, m);
    }
  return ks_pg_db_exec (db, "ANALYZE", error);
}

gboolean
ks_migrate_store (const char         *sqlite_path,
                  const char         *conninfo,
                  const char         *password,
                  KsMigrateProgress   progress,
                  gpointer            data,
                  GPtrArray         **tables,
                  GError            **error)
{
  g_autoptr(KsStore) store = NULL;
  g_autoptr(KsPgDb) db = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ks_migrated_table_free);
  sqlite3 *lite;
  gboolean ok;

  if (!g_file_test (sqlite_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "There is no SQLite database at %s.", sqlite_path);
      return FALSE;
    }
  store = ks_sqlite_store_new (sqlite_path, error);
  if (store == NULL)
    return FALSE;
  lite = ks_sqlite_db (store, error);
  if (lite == NULL)
    return FALSE;
  db = ks_pg_db_new_with_password (conninfo, password, error);
  if (db == NULL || !ks_pg_migrate (db, KS_PG_MIGRATIONS, NULL, error))
    return FALSE;

  /* One snapshot of SQLite (it may be being served), one transaction on
   * PostgreSQL. */
  if (sqlite3_exec (lite, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return ks_sqlite_fail (lite, error);
  if (!ks_pg_db_begin (db, NULL, error))
    {
      sqlite3_exec (lite, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  ok = migrate_tables (db, lite, progress, data, out, error);
  sqlite3_exec (lite, "ROLLBACK", NULL, NULL, NULL);
  if (!ok)
    {
      ks_pg_db_rollback (db);
      return FALSE;
    }
  if (!ks_pg_db_commit (db, error))
    return FALSE;
  if (tables != NULL)
    *tables = g_steal_pointer (&out);
  return TRUE;
}

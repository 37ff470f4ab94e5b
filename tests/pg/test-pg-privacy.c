/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pg-privacy.c: the data-protection operations give the same on PostgreSQL as
 * on SQLite, on the very same data (a demo database, copied into PostgreSQL by
 * tests/pg/copy_sqlite.py): everything held about a person (the export JSON), the
 * research rows, opt-outs; and after anonymising a report and terminating a
 * resident and a member of staff, every table holds the same rows in both stores
 * (so PostgreSQL keeps nothing that SQLite removes), with no trace of them.
 *
 * Run through tests/pg/pgcluster.py run -- test-pg-privacy SERVER COPY_SQLITE_PY. */
#include "postgres/ks-pg-db.h"
#include "postgres/ks-pg-store.h"
#include "sqlite/ks-sqlite-store.h"
#include "api/ks-wire-privacy.h"
#include "store/ks-store.h"
#include "ks-json-writer.h"
#include "ks-time.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

static const char *server_path;
static const char *copy_script;

typedef struct {
  char     *dir;
  char     *sqlite_path;
  char     *pg_conninfo;
  KsStore  *lite;
  KsStore  *pg;
  sqlite3  *raw;     /* the SQLite file, for reading it directly */
  KsPgDb   *pg_raw;  /* the PostgreSQL database, for reading it directly */
} Stores;

static Stores stores;

static void
run_program (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed:\n%s%s", argv[0], out, err);
}

/* A demo database in SQLite, and the same rows in a new PostgreSQL database. */
static void
stores_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) admin = NULL;

  stores.dir = g_dir_make_tmp ("ks-pg-privacy-XXXXXX", &error);
  g_assert_no_error (error);
  stores.sqlite_path = g_build_filename (stores.dir, "demo.db", NULL);
  {
    const char *argv[] = { server_path, "demo", "--db", stores.sqlite_path, "--reports", "300",
                           "--seed", "7", "--bcrypt-cost", "4", NULL };
    run_program (argv);
  }
  admin = ks_pg_db_new (g_getenv ("KS_PG_URI"), &error);
  g_assert_no_error (error);
  g_assert_true (ks_pg_db_exec (admin, "DROP DATABASE IF EXISTS privacy", &error));
  g_assert_true (ks_pg_db_exec (admin, "CREATE DATABASE privacy", &error));
  g_assert_no_error (error);
  stores.pg_conninfo = g_strdup_printf ("host=%s user=postgres dbname=privacy",
                                        g_getenv ("KS_PG_HOST"));
  stores.pg = ks_pg_store_new (stores.pg_conninfo, NULL, &error);     /* migrates */
  g_assert_no_error (error);
  {
    const char *argv[] = { "python3", copy_script, stores.sqlite_path, stores.pg_conninfo, NULL };
    run_program (argv);
  }
  stores.pg_raw = ks_pg_db_new (stores.pg_conninfo, &error);
  g_assert_no_error (error);
  stores.lite = ks_sqlite_store_new (stores.sqlite_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (stores.sqlite_path, &stores.raw, SQLITE_OPEN_READWRITE,
                                    NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (stores.raw, 10000);
}

static void
stores_close (void)
{
  g_clear_object (&stores.lite);
  g_clear_object (&stores.pg);
  g_clear_pointer (&stores.pg_raw, ks_pg_db_free);
  sqlite3_close (stores.raw);
  g_unlink (stores.sqlite_path);
  g_autofree char *wal = g_strconcat (stores.sqlite_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (stores.sqlite_path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (stores.dir);
}

/* ---- reading both databases directly ---- */

/* A time the operations set to "now" is "NOW": the stores ran them a moment
 * apart. */
static void
append_int (GString *row, gint64 value)
{
  if (ABS (value - ks_time_now ()) < 600)
    g_string_append (row, "NOW");
  else
    g_string_append_printf (row, "%" G_GINT64_FORMAT, value);
}

/* The rows of a query on the SQLite file, as strings ("|"-joined values). */
static GPtrArray *
lite_rows (const char *sql)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *st = NULL;

  if (sqlite3_prepare_v2 (stores.raw, sql, -1, &st, NULL) != SQLITE_OK)
    g_error ("SQLite: %s: %s", sql, sqlite3_errmsg (stores.raw));
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (st); i++)
        {
          if (i > 0)
            g_string_append_c (row, '|');
          switch (sqlite3_column_type (st, i))
            {
            case SQLITE_NULL:
              g_string_append (row, "NULL");
              break;
            case SQLITE_INTEGER:
              append_int (row, sqlite3_column_int64 (st, i));
              break;
            case SQLITE_FLOAT:
              g_string_append_printf (row, "%.17g", sqlite3_column_double (st, i));
              break;
            default:
              g_string_append (row, (const char *) sqlite3_column_text (st, i));
            }
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  sqlite3_finalize (st);
  return rows;
}

static GPtrArray *
pg_rows (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = ks_pg_db_query_sql (stores.pg_raw, sql, 0, NULL, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (int r = 0; r < PQntuples (res); r++)
    {
      GString *row = g_string_new (NULL);

      for (int i = 0; i < PQnfields (res); i++)
        {
          if (i > 0)
            g_string_append_c (row, '|');
          if (PQgetisnull (res, r, i))
            g_string_append (row, "NULL");
          else if (PQftype (res, i) == 20 || PQftype (res, i) == 23)       /* int8, int4 */
            append_int (row, g_ascii_strtoll (PQgetvalue (res, r, i), NULL, 10));
          else if (PQftype (res, i) == 701 || PQftype (res, i) == 700)   /* float8, float4 */
            g_string_append_printf (row, "%.17g", g_ascii_strtod (PQgetvalue (res, r, i), NULL));
          else
            g_string_append (row, PQgetvalue (res, r, i));
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  return rows;
}

static void
lite_exec (const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (stores.raw, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQLite: %s: %s", sql, message);
}

static void
pg_exec (const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ks_pg_db_exec (stores.pg_raw, sql, &error));
  g_assert_no_error (error);
}

static void
both_exec (const char *sql)
{
  lite_exec (sql);
  pg_exec (sql);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every table both schemas have, with the columns of SQLite's, holds the same
 * rows in both (in any order). Returns the rows of both, joined, for searching. */
static GString *
assert_same_tables (void)
{
  g_autoptr(GPtrArray) tables = pg_rows (
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
    "AND table_type = 'BASE TABLE' ORDER BY 1");
  GString *all = g_string_new (NULL);

  g_assert_cmpuint (tables->len, >, 10);
  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = g_ptr_array_index (tables, t);
      g_autofree char *info_sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')",
                                                   table);
      g_autoptr(GPtrArray) columns = lite_rows (info_sql);
      g_autoptr(GString) select = g_string_new ("SELECT ");
      g_autoptr(GPtrArray) lite = NULL, pg = NULL;

      if (columns->len == 0 || strcmp (table, "schema_migrations") == 0)
        continue;
      for (guint c = 0; c < columns->len; c++)
        g_string_append_printf (select, "%s\"%s\"", c > 0 ? ", " : "",
                                (char *) g_ptr_array_index (columns, c));
      g_string_append_printf (select, " FROM \"%s\"", table);
      lite = lite_rows (select->str);
      pg = pg_rows (select->str);
      g_ptr_array_sort (lite, compare_strings);
      g_ptr_array_sort (pg, compare_strings);
      for (guint i = 0; i < MAX (lite->len, pg->len); i++)
        {
          const char *a = i < lite->len ? g_ptr_array_index (lite, i) : "(none)";
          const char *b = i < pg->len ? g_ptr_array_index (pg, i) : "(none)";

          if (strcmp (a, b) != 0)
            g_error ("table %s differs: SQLite has\n  %s\nPostgreSQL has\n  %s", table, a, b);
          g_string_append_printf (all, "%s: %s\n", table, a);
        }
    }
  return all;
}

/* ---- the operations, on both stores ---- */

/* Everything held about the person, as the API writes it (without the time it
 * was written). */
static char *
person_json (KsStore *store, const char *email, gint64 body_id, gint64 account_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  KsPrivacyCounts found = { 0 };
  KsJsonWriter w;

  ks_json_writer_init (&w, out);
  g_assert_true (ks_wire_privacy_write_person (store, email, body_id, account_id, &w, &found,
                                               &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, out->str, -1, &error));
  g_assert_no_error (error);
  json_object_remove_member (json_node_get_object (json_parser_get_root (parser)), "generated");
  return json_to_string (json_parser_get_root (parser), TRUE);
}

static gint64
account_of (KsStore *store, const char *email)
{
  g_autoptr(GError) error = NULL;
  KsPrivacyAccount account;

  g_assert_true (ks_store_privacy_find_account (store, email, &account, &error));
  g_assert_no_error (error);
  return account.id;
}

static void
assert_same_person (const char *email, gint64 body_id)
{
  gint64 account = account_of (stores.lite, email);
  g_autofree char *a = NULL, *b = NULL;

  g_assert_cmpint (account_of (stores.pg, email), ==, account);
  a = person_json (stores.lite, email, body_id, account);
  b = person_json (stores.pg, email, body_id, account);
  g_assert_cmpstr (a, ==, b);
}

static void
add_research_row (const KsResearchRow *row, gpointer user_data)
{
  g_string_append_printf (user_data,
                          "%" G_GINT64_FORMAT "|%s|%s|%s|%s|%s|%" G_GINT64_FORMAT
                          "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%.17g|%.17g|%d|%s\n",
                          row->id, row->category, row->group, row->state,
                          row->priority ? row->priority : "NULL", row->ward, row->created,
                          row->confirmed, row->fixed, row->lat, row->lon, row->has_photo,
                          row->source);
}

static char *
research (KsStore *store, gint64 body_id, gint64 from, gint64 to)
{
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);

  g_assert_true (ks_store_privacy_foreach_research_row (store, body_id, from, to,
                                                        add_research_row, out, &error));
  g_assert_no_error (error);
  return g_string_free (out, FALSE);
}

/* text with its single quotes doubled, for an SQL string literal. */
static char *
sql_text (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "'", -1);

  return g_strjoinv ("''", parts);
}

/* ---- the tests ---- */

static void
test_person_export (void)
{
  g_autoptr(GPtrArray) people = lite_rows (
    "SELECT lower (reporter_email), count(*) FROM reports WHERE reporter_email IS NOT NULL "
    "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 12");
  g_autoptr(GPtrArray) staff = lite_rows ("SELECT email FROM users ORDER BY id");

  g_assert_cmpuint (people->len, >, 5);
  for (guint i = 0; i < people->len; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (people, i), "|", 2);
      g_autofree char *upper = g_ascii_strup (fields[0], -1);

      assert_same_person (fields[0], 0);
      assert_same_person (upper, 1);
    }
  for (guint i = 0; i < staff->len; i++)
    assert_same_person (g_ptr_array_index (staff, i), 0);
  assert_same_person ("nobody@example.org", 0);
}

static void
test_research (void)
{
  g_autoptr(GPtrArray) range = lite_rows ("SELECT min (created), max (created) FROM reports");
  g_auto(GStrv) ends = g_strsplit (g_ptr_array_index (range, 0), "|", 2);
  gint64 from = g_ascii_strtoll (ends[0], NULL, 10), to = g_ascii_strtoll (ends[1], NULL, 10);
  gint64 mid = from + (to - from) / 2;
  const gint64 cases[][3] = {
    { 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 }, { 1, mid, 0 }, { 0, 0, mid }, { 1, from, mid },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *a = research (stores.lite, cases[i][0], cases[i][1], cases[i][2]);
      g_autofree char *b = research (stores.pg, cases[i][0], cases[i][1], cases[i][2]);

      if (i == 0)
        g_assert_cmpuint (strlen (a), >, 1000);
      g_assert_cmpstr (a, ==, b);
    }
}

static void
test_optouts (void)
{
  KsStore *both[] = { stores.lite, stores.pg };

  for (guint s = 0; s < G_N_ELEMENTS (both); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hash = ks_privacy_address_hash ("Opt.Out@Example.org");
      gboolean found = TRUE, out = TRUE;

      g_assert_true (ks_store_begin_write (both[s], &error));
      g_assert_true (ks_store_privacy_add_optout_token (both[s], "token-1", hash, &error));
      g_assert_true (ks_store_privacy_add_optout_token (both[s], "token-1", hash, &error));
      g_assert_true (ks_store_privacy_optout_by_token (both[s], "token-2", &found, &error));
      g_assert_false (found);
      g_assert_true (ks_store_privacy_is_opted_out (both[s], hash, &out, &error));
      g_assert_false (out);
      g_assert_true (ks_store_privacy_optout_by_token (both[s], "token-1", &found, &error));
      g_assert_true (found);
      g_assert_true (ks_store_privacy_optout_by_token (both[s], "token-1", &found, &error));
      g_assert_true (found);
      g_assert_true (ks_store_commit (both[s], &error));
      g_assert_no_error (error);
      g_assert_true (ks_store_privacy_is_opted_out (both[s], hash, &out, &error));
      g_assert_no_error (error);
      g_assert_true (out);
    }
  assert_same_person ("opt.out@example.org", 0);
}

typedef struct {
  KsPrivacyTermination t;
  char *files;
} Outcome;

static char *
sorted_files (GPtrArray *files)
{
  g_ptr_array_sort (files, compare_strings);
  g_ptr_array_add (files, NULL);
  return g_strjoinv (",", (char **) files->pdata);
}

static void
anonymise (KsStore *store, gint64 report_id, Outcome *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  gboolean changed = FALSE;

  memset (out, 0, sizeof *out);
  out->t.anonymised.email_files = files;
  g_assert_true (ks_store_begin_write (store, &error));
  g_assert_true (ks_store_privacy_anonymise_report (store, report_id, 1, "Asked to",
                                                    &changed, &out->t.anonymised, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_true (ks_store_commit (store, &error));
  g_assert_true (ks_store_privacy_purge_old_copies (store, &error));
  g_assert_no_error (error);
  out->files = sorted_files (files);
  out->t.anonymised.email_files = NULL;
}

static void
terminate (KsStore *store, const char *email, gint64 account_id, Outcome *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  memset (out, 0, sizeof *out);
  out->t.anonymised.email_files = files;
  g_assert_true (ks_store_begin_write (store, &error));
  g_assert_true (ks_store_privacy_terminate_person (store, email, 0, account_id, 1,
                                                    "Right to erasure", &out->t, &error));
  g_assert_no_error (error);
  g_assert_true (ks_store_commit (store, &error));
  g_assert_true (ks_store_privacy_purge_old_copies (store, &error));
  g_assert_no_error (error);
  out->files = sorted_files (files);
  out->t.anonymised.email_files = NULL;
}

static void
assert_same_outcome (Outcome *a, Outcome *b)
{
  g_assert_cmpstr (a->files, ==, b->files);
  g_assert_cmpint (a->t.anonymised.reports, ==, b->t.anonymised.reports);
  g_assert_cmpint (a->t.anonymised.updates, ==, b->t.anonymised.updates);
  g_assert_cmpint (a->t.anonymised.emails, ==, b->t.anonymised.emails);
  g_assert_cmpint (a->t.anonymised.answers, ==, b->t.anonymised.answers);
  g_assert_cmpint (a->t.staff_updates, ==, b->t.staff_updates);
  g_assert_cmpint (a->t.shortlist_released, ==, b->t.shortlist_released);
  g_assert_cmpint (a->t.sessions, ==, b->t.sessions);
  g_assert_cmpint (a->t.account_removed, ==, b->t.account_removed);
  g_free (a->files);
  g_free (b->files);
}

static void
assert_no_trace (GString *all, const char *needle)
{
  g_autofree char *haystack = g_ascii_strdown (all->str, -1);
  g_autofree char *lower = g_ascii_strdown (needle, -1);
  const char *at = strstr (haystack, lower);

  if (at != NULL)
    {
      const char *line = at;
      while (line > haystack && line[-1] != '\n')
        line--;
      g_error ("%s is still held: %.*s", needle, (int) strcspn (line, "\n"), line);
    }
}

static void
test_erasure (void)
{
  g_autoptr(GPtrArray) resident = lite_rows (
    "SELECT r.reporter_email, r.reporter_name, r.id, "
    "       (SELECT max (id) FROM reports WHERE reporter_email IS NOT NULL "
    "          AND lower (reporter_email) <> lower (r.reporter_email)) "
    "FROM reports r WHERE reporter_email IS NOT NULL AND reporter_name IS NOT NULL "
    /* A person whose name no one else reports under: the demo's residents
     * may share a name (another person's reports keep theirs). */
    "  AND NOT EXISTS (SELECT 1 FROM reports o WHERE lower (o.reporter_name) = lower (r.reporter_name) "
    "                    AND lower (o.reporter_email) <> lower (r.reporter_email)) "
    "  AND NOT EXISTS (SELECT 1 FROM updates u WHERE lower (u.author_name) = lower (r.reporter_name) "
    "                    AND lower (coalesce (u.author_email, '')) <> lower (r.reporter_email)) "
    "ORDER BY id LIMIT 1");
  g_autoptr(GPtrArray) inspector = lite_rows (
    "SELECT id, email, name FROM users WHERE body_id IS NOT NULL AND is_superuser = 0 "
    "AND id IN (SELECT acknowledged_by FROM reports) ORDER BY id LIMIT 1");
  g_auto(GStrv) who = NULL, staff = NULL;
  g_autofree char *setup = NULL;
  g_autofree char *email = NULL, *name = NULL, *staff_email = NULL, *staff_name = NULL;
  g_autoptr(GString) before = NULL;
  g_autoptr(GString) after = NULL;
  Outcome a, b;
  gint64 other, staff_id;

  g_assert_cmpuint (resident->len, ==, 1);
  g_assert_cmpuint (inspector->len, ==, 1);
  who = g_strsplit (g_ptr_array_index (resident, 0), "|", 4);
  staff = g_strsplit (g_ptr_array_index (inspector, 0), "|", 3);
  other = g_ascii_strtoll (who[3], NULL, 10);
  staff_id = g_ascii_strtoll (staff[0], NULL, 10);

  email = sql_text (who[0]);
  name = sql_text (who[1]);
  staff_email = sql_text (staff[1]);
  staff_name = sql_text (staff[2]);
  /* Copies of them the demo does not make: stored answers (JSON and not), failed
   * sign-ins, emails to them (one about their report, one about nothing), an
   * update they gave on someone else's report, the staff member on a shortlist
   * and with a phone number. The same SQL in both. */
  setup = g_strdup_printf (
    "INSERT INTO idempotency (user_id, key, method, path, status, response, created) VALUES "
    " (1, 'k1', 'POST', '/api/v1/reports', 201, "
    "  '{\"report\":{\"reporter\":{\"email\":\"%1$s\",\"name\":\"%2$s\"},"
    "\"title\":\"About %2$s, %1$s\"}}', 1000), "
    " (1, 'k2', 'POST', '/api/v1/reports', 201, 'not json: %1$s', 1000), "
    " (2, 'k3', 'POST', '/x', 200, '{\"by\":\"%3$s\",\"note\":\"%4$s was here\"}', 1000); "
    "INSERT INTO login_failures (scope, key, at, address) VALUES "
    " ('account', lower ('%1$s'), 1000, '192.0.2.1'), "
    " ('pair', lower ('%1$s') || ' 192.0.2.1', 1000, '192.0.2.1'), "
    " ('account', lower ('%3$s'), 1000, '192.0.2.2'); "
    "INSERT INTO emails (recipient, subject, file, report_id, created) VALUES "
    " (upper ('%1$s'), 'Your report', 'a-1.eml', %5$s, 1000), "
    " ('%1$s', 'Hello', NULL, NULL, 1000), "
    " ('%3$s', 'Your account', 'b-2.eml', NULL, 1000); "
    "INSERT INTO updates (report_id, user_id, author_name, author_email, kind, text, public, "
    "  source, created) VALUES (%6$s, NULL, '%2$s', upper ('%1$s'), 'update', 'Me too', 1, "
    "  'open311', 1000); "
    "UPDATE reports SET shortlist_user = %7$s, shortlist_pos = 1 WHERE id = %6$s; "
    "UPDATE users SET phone = '01865 240101' WHERE id = %7$s;",
    email, name, staff_email, staff_name, who[2], who[3], staff[0]);
  both_exec (setup);
  before = assert_same_tables ();
  g_assert_nonnull (strstr (before->str, who[1]));

  assert_same_person (who[0], 0);
  assert_same_person (staff[1], 0);

  /* Anonymising someone else's report, then terminating both. */
  anonymise (stores.lite, other, &a);
  anonymise (stores.pg, other, &b);
  assert_same_outcome (&a, &b);
  g_string_free (assert_same_tables (), TRUE);

  terminate (stores.lite, who[0], 0, &a);
  terminate (stores.pg, who[0], 0, &b);
  g_assert_cmpint (a.t.anonymised.reports, >=, 1);
  g_assert_cmpint (a.t.anonymised.answers, ==, 2);
  assert_same_outcome (&a, &b);

  terminate (stores.lite, staff[1], staff_id, &a);
  terminate (stores.pg, staff[1], staff_id, &b);
  g_assert_true (a.t.account_removed);
  g_assert_cmpint (a.t.shortlist_released, ==, 1);
  assert_same_outcome (&a, &b);

  after = assert_same_tables ();
  assert_no_trace (after, who[0]);
  assert_no_trace (after, who[1]);
  assert_no_trace (after, staff[1]);
  assert_no_trace (after, staff[2]);
  assert_no_trace (after, "01865 240101");
  assert_same_person (who[0], 0);
  assert_same_person (staff[1], 0);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("KS_PG_URI") == NULL || g_getenv ("KS_PG_HELPER") == NULL)
    {
      g_printerr ("SKIP: run this test through tests/pg/pgcluster.py run -- (meson test does)\n");
      return 77;
    }
  if (argc != 3)
    {
      g_printerr ("usage: test-pg-privacy KERBSIDE_SERVER COPY_SQLITE_PY\n");
      return 2;
    }
  server_path = argv[1];
  copy_script = argv[2];
  stores_open ();
  g_test_add_func ("/pg/privacy/person-export", test_person_export);
  g_test_add_func ("/pg/privacy/research", test_research);
  g_test_add_func ("/pg/privacy/optouts", test_optouts);
  g_test_add_func ("/pg/privacy/erasure", test_erasure);
  rc = g_test_run ();
  stores_close ();
  return rc;
}

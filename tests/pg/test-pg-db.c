/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pg-db.c: the PostgreSQL store's foundations against a real cluster (run
 * through tests/pg/pgcluster.py): migrations raced by threads and processes, the
 * bounding-box and text search indexes, the change sequence in commit order,
 * error mapping, transactions rerun after a lost race, reconnection. */
#include "postgres/ks-pg-copy.h"
#include "postgres/ks-pg-db.h"
#include "postgres/ks-pg-migrate.h"

#include "ks-error.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const char *self_path;

/* A new, empty database in the test cluster; returns its connection settings. */
static char *
fresh_database (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) admin = ks_pg_db_new (g_getenv ("KS_PG_URI"), &error);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s", name);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);

  g_assert_no_error (error);
  g_assert_true (ks_pg_db_exec (admin, drop, &error));
  g_assert_no_error (error);
  g_assert_true (ks_pg_db_exec (admin, create, &error));
  g_assert_no_error (error);
  return g_strdup_printf ("host=%s user=postgres dbname=%s", g_getenv ("KS_PG_HOST"), name);
}

/* Runs sql (no parameters) through a prepared statement named after it. */
static PGresult *
query (KsPgDb *db, const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA1, sql, -1);
  KsPgStatement st = { name, sql };   /* named after its SQL */
  PGresult *res = ks_pg_db_query (db, &st, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (res);
  return res;
}

static gint64
query_int (KsPgDb *db, const char *sql)
{
  g_autoptr(PGresult) res = query (db, sql);

  g_assert_cmpint (PQntuples (res), ==, 1);
  return ks_pg_get_int64 (res, 0, 0);
}

static char *
query_ids (KsPgDb *db, const char *sql)
{
  g_autoptr(PGresult) res = query (db, sql);
  GString *out = g_string_new (NULL);

  for (int i = 0; i < PQntuples (res); i++)
    g_string_append_printf (out, "%s%s", i ? "," : "", PQgetvalue (res, i, 0));
  return g_string_free (out, FALSE);
}

static guint
count_migration_files (void)
{
  g_auto(GStrv) names = g_resources_enumerate_children (KS_PG_MIGRATIONS, 0, NULL);

  g_assert_nonnull (names);
  return g_strv_length (names);
}

/* -- migrations ---------------------------------------------------------------- */

static void
test_migrations_check (void)
{
  g_autoptr(GError) error = NULL;
  char *ok[] = { "0010-b.sql", "0002-a.sql", "0001-c.sql", NULL };
  char *dup[] = { "0003-x.sql", "0001-a.sql", "0003-y.sql", NULL };
  char *bare[] = { "0001-a.sql", "readme.sql", NULL };

  g_assert_true (ks_pg_migrations_check (ok, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ok[0], ==, "0001-c.sql");
  g_assert_cmpstr (ok[1], ==, "0002-a.sql");
  g_assert_cmpstr (ok[2], ==, "0010-b.sql");

  g_assert_false (ks_pg_migrations_check (dup, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "0003-x.sql and 0003-y.sql have the same number"));
  g_clear_error (&error);

  g_assert_false (ks_pg_migrations_check (bare, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "readme.sql has no number"));
}

typedef struct {
  const char       *conninfo;
  pthread_barrier_t *start;
  guint             applied;
} Racer;

static gpointer
migrate_thread (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) db = ks_pg_db_new (r->conninfo, &error);

  g_assert_no_error (error);
  pthread_barrier_wait (r->start);
  g_assert_true (ks_pg_migrate (db, KS_PG_MIGRATIONS, &r->applied, &error));
  g_assert_no_error (error);
  return NULL;
}

/* Two processes and two threads start migrating one empty database at once:
 * every migration is applied exactly once, by one of them. */
static void
test_migrate_races (void)
{
  g_autofree char *conninfo = fresh_database ("ks_race");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) db = NULL;
  pthread_barrier_t start;
  Racer racers[2] = { { conninfo, &start, 0 }, { conninfo, &start, 0 } };
  GSubprocess *children[2];
  GThread *threads[2];
  guint n_files = count_migration_files (), total = 0;

  g_assert_cmpuint (n_files, >=, 5);
  pthread_barrier_init (&start, NULL, 2);
  for (int i = 0; i < 2; i++)
    {
      children[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                      self_path, "--migrate", conninfo, NULL);
      g_assert_no_error (error);
    }
  for (int i = 0; i < 2; i++)
    threads[i] = g_thread_new ("migrate", migrate_thread, &racers[i]);
  for (int i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      total += racers[i].applied;
    }
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *out = NULL;

      g_assert_true (g_subprocess_communicate_utf8 (children[i], NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (children[i]));
      g_assert_cmpint (g_subprocess_get_exit_status (children[i]), ==, 0);
      total += (guint) g_ascii_strtoull (out, NULL, 10);
      g_object_unref (children[i]);
    }
  pthread_barrier_destroy (&start);

  g_assert_cmpuint (total, ==, n_files);
  db = ks_pg_db_new (conninfo, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM schema_migrations"), ==, n_files);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT version) FROM schema_migrations"), ==, n_files);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM meta WHERE key = 'seq'"), ==, 1);
}

/* A second start finds everything applied and changes nothing. */
static void
test_migrate_again (void)
{
  g_autofree char *conninfo = fresh_database ("ks_again");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) db = ks_pg_db_new (conninfo, &error);
  guint applied = 99;
  gint64 when;

  g_assert_no_error (error);
  g_assert_true (ks_pg_migrate (db, KS_PG_MIGRATIONS, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, count_migration_files ());
  when = query_int (db, "SELECT sum(applied) FROM schema_migrations");

  g_assert_true (ks_pg_migrate (db, KS_PG_MIGRATIONS, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM schema_migrations"), ==, count_migration_files ());
  g_assert_cmpint (query_int (db, "SELECT sum(applied) FROM schema_migrations"), ==, when);
}

/* -- the schema's search indexes --------------------------------------------------- */

static KsPgDb *
migrated (const char *name)
{
  g_autofree char *conninfo = fresh_database (name);
  g_autoptr(GError) error = NULL;
  KsPgDb *db = ks_pg_db_new (conninfo, &error);

  g_assert_no_error (error);
  g_assert_true (ks_pg_migrate (db, KS_PG_MIGRATIONS, NULL, &error));
  g_assert_no_error (error);
  return db;
}

static void
add_reports (KsPgDb *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ks_pg_db_exec (db,
    "INSERT INTO bodies (id, name, slug, created) VALUES (1, 'Town', 'town', 0), (2, 'City', 'city', 0);"
    "INSERT INTO categories (id, body_id, code, name, updated) VALUES (1, 1, 'pot', 'Potholes', 0),"
    "  (2, 2, 'lamp', 'Street lights', 0);"
    "INSERT INTO reports (id, body_id, category_id, title, detail, lat, lon, state, created, updated, seq) VALUES"
    "  (1, 1, 1, 'Deep pothole', 'Outside the café on the High Street', 51.500, -0.120, 'open', 1, 10, 1),"
    "  (2, 1, 1, 'Potholes everywhere', 'Station Road is full of them', 51.510, -0.100, 'open', 2, 20, 2),"
    "  (3, 1, 1, 'Broken kerb', 'Near the CAFE, by the bus stop', 51.520, -0.080, 'open', 3, 30, 3),"
    "  (4, 2, 2, 'Lamp out', 'Dark since Tuesday', 53.480, -2.240, 'open', 4, 40, 4),"
    "  (5, 1, 1, 'Deep pothole again', 'Pothole on the corner', 51.600, -0.300, 'open', 5, 50, 5);",
    &error));
  g_assert_no_error (error);
}

/* The plan of sql names index: the query is one the index answers. */
static void
assert_uses_index (KsPgDb *db, const char *sql, const char *index)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN ", sql, NULL);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ks_pg_db_exec (db, "SET enable_seqscan = off", &error));
  res = query (db, explain);
  for (int i = 0; i < PQntuples (res); i++)
    g_string_append_printf (plan, "%s\n", PQgetvalue (res, i, 0));
  g_assert_true (ks_pg_db_exec (db, "RESET enable_seqscan", &error));
  g_assert_no_error (error);
  if (strstr (plan->str, index) == NULL)
    g_error ("%s does not use %s:\n%s", sql, index, plan->str);
}

static void
test_bbox (void)
{
  g_autoptr(KsPgDb) db = migrated ("ks_bbox");
  static const char *box =
    "SELECT id FROM reports WHERE pos <@ box (point (-0.13, 51.49), point (-0.09, 51.515)) "
    "ORDER BY id";
  g_autofree char *ids = NULL, *town = NULL, *edge = NULL;

  add_reports (db);
  ids = query_ids (db, box);
  g_assert_cmpstr (ids, ==, "1,2");
  /* The council's reports in a box that covers both councils. */
  town = query_ids (db, "SELECT id FROM reports WHERE pos <@ box (point (-3, 50), point (0, 54)) "
                        "AND body_id = 2 ORDER BY id");
  g_assert_cmpstr (town, ==, "4");
  /* A report on the box's edge is in it (as with the R*Tree's closed ranges). */
  edge = query_ids (db, "SELECT id FROM reports WHERE pos <@ box (point (-0.08, 51.52), point (-0.07, 51.53))");
  g_assert_cmpstr (edge, ==, "3");
  assert_uses_index (db, box, "reports_pos");
}

static void
test_text_search (void)
{
  g_autoptr(KsPgDb) db = migrated ("ks_search");
  static const char *cafe =
    "SELECT id FROM reports WHERE search @@ plainto_tsquery ('kerbside', 'Café') ORDER BY id";
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  add_reports (db);
  /* Accents and case do not matter, on either side. */
  a = query_ids (db, cafe);
  g_assert_cmpstr (a, ==, "1,3");
  b = query_ids (db, "SELECT id FROM reports WHERE search @@ plainto_tsquery ('kerbside', 'cafe') ORDER BY id");
  g_assert_cmpstr (b, ==, "1,3");
  /* Whole words, no stemming (as FTS5's unicode61): "pothole" is not "potholes". */
  c = query_ids (db, "SELECT id FROM reports WHERE search @@ plainto_tsquery ('kerbside', 'POTHOLE') ORDER BY id");
  g_assert_cmpstr (c, ==, "1,5");
  /* Every word must be there, in the title or the detail. */
  d = query_ids (db, "SELECT id FROM reports WHERE search @@ plainto_tsquery ('kerbside', 'deep corner') ORDER BY id");
  g_assert_cmpstr (d, ==, "5");
  /* The search follows an edit of the text. */
  g_assert_true (ks_pg_db_exec (db, "UPDATE reports SET detail = 'Fixed' WHERE id = 3", NULL));
  e = query_ids (db, "SELECT id FROM reports WHERE search @@ plainto_tsquery ('kerbside', 'cafe') ORDER BY id");
  g_assert_cmpstr (e, ==, "1");
  assert_uses_index (db, cafe, "reports_search");
}

static void
test_hide_remembers_state (void)
{
  g_autoptr(KsPgDb) db = migrated ("ks_hide");
  g_autoptr(PGresult) res = NULL;

  add_reports (db);
  g_assert_true (ks_pg_db_exec (db, "UPDATE reports SET state = 'investigating' WHERE id = 2;"
                                    "UPDATE reports SET state = 'hidden' WHERE id = 2;"
                                    "UPDATE reports SET state = 'hidden', title = 'x' WHERE id = 2", NULL));
  res = query (db, "SELECT state_before_hide FROM reports WHERE id = 2");
  g_assert_cmpstr (ks_pg_get_text (res, 0, 0), ==, "investigating");
}

/* -- the change sequence -------------------------------------------------------------- */

typedef struct {
  const char    *conninfo;
  GMutex         lock;
  GCond          cond;
  gboolean       first_has_number;
  gint64         first_seq, second_seq;
  gint64         first_committed, second_got;   /* monotonic µs */
} SeqRace;

static const KsPgStatement next_seq = {
  "test_next_seq", "UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value"
};

static gpointer
seq_first (gpointer data)
{
  SeqRace *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) db = ks_pg_db_new (r->conninfo, &error);
  g_autoptr(PGresult) res = NULL;

  g_assert_true (ks_pg_db_begin (db, NULL, &error));
  res = ks_pg_db_query (db, &next_seq, 0, NULL, &error);
  g_assert_no_error (error);
  r->first_seq = ks_pg_get_int64 (res, 0, 0);
  g_mutex_lock (&r->lock);
  r->first_has_number = TRUE;
  g_cond_signal (&r->cond);
  g_mutex_unlock (&r->lock);
  g_usleep (300 * 1000);     /* the other writer wants a number meanwhile */
  r->first_committed = g_get_monotonic_time ();
  g_assert_true (ks_pg_db_commit (db, &error));
  g_assert_no_error (error);
  return NULL;
}

/* A writer that takes a number while another writer holds one gets the next
 * number only once the other has committed: numbers follow commit order, so a
 * sync that has seen N can never later meet a commit numbered below N. */
static void
test_seq_commit_order (void)
{
  g_autoptr(KsPgDb) setup = migrated ("ks_seq");
  g_autofree char *conninfo = g_strdup_printf ("host=%s user=postgres dbname=ks_seq",
                                               g_getenv ("KS_PG_HOST"));
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) db = ks_pg_db_new (conninfo, &error);
  g_autoptr(PGresult) res = NULL;
  SeqRace r = { .conninfo = conninfo };
  GThread *first;

  g_mutex_init (&r.lock);
  g_cond_init (&r.cond);
  first = g_thread_new ("first", seq_first, &r);
  g_mutex_lock (&r.lock);
  while (!r.first_has_number)
    g_cond_wait (&r.cond, &r.lock);
  g_mutex_unlock (&r.lock);

  g_assert_true (ks_pg_db_begin (db, NULL, &error));
  res = ks_pg_db_query (db, &next_seq, 0, NULL, &error);
  g_assert_no_error (error);
  r.second_got = g_get_monotonic_time ();
  r.second_seq = ks_pg_get_int64 (res, 0, 0);
  g_assert_true (ks_pg_db_commit (db, &error));
  g_thread_join (first);

  g_assert_cmpint (r.first_seq, ==, 1);
  g_assert_cmpint (r.second_seq, ==, 2);
  g_assert_cmpint (r.second_got, >=, r.first_committed);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
}

/* -- errors and transactions ------------------------------------------------------------ */

static void
test_errors (void)
{
  g_autoptr(KsPgDb) db = migrated ("ks_errors");
  g_autoptr(GError) error = NULL;
  static const KsPgStatement dup = {
    "test_dup_body", "INSERT INTO bodies (id, name, slug, created) VALUES ($1, 'Twin', 'twin', 0)"
  };
  const char *one[] = { "7" }, *two[] = { "8" };
  g_autoptr(PGresult) ok = NULL;
  PGresult *res;

  ok = ks_pg_db_query (db, &dup, 1, one, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (PQcmdTuples (ok), ==, "1");
  res = ks_pg_db_query (db, &dup, 1, two, &error);     /* the slug is taken */
  g_assert_null (res);
  g_assert_error (error, KS_ERROR, KS_ERROR_CONFLICT);
  g_assert_cmpstr (ks_pg_db_last_sqlstate (db), ==, KS_PG_UNIQUE_VIOLATION);
  g_clear_error (&error);

  g_assert_false (ks_pg_db_exec (db, "SELECT * FROM no_such_table", &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no_such_table"));
  g_clear_error (&error);

  /* A failed transaction does not commit, and the connection goes on working. */
  g_assert_true (ks_pg_db_begin (db, NULL, &error));
  g_assert_true (ks_pg_db_exec (db, "INSERT INTO bodies (name, slug, created) VALUES ('A', 'a', 0)", NULL));
  g_assert_false (ks_pg_db_exec (db, "SELECT 1/0", NULL));
  g_assert_false (ks_pg_db_commit (db, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM bodies WHERE slug = 'a'"), ==, 0);
  g_assert_false (ks_pg_db_in_transaction (db));

  /* Settings that cannot be read are refused with a sentence. */
  g_assert_null (ks_pg_db_new ("postgresql://[bad", &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
}

typedef struct {
  const char        *conninfo;
  pthread_barrier_t *both_read;
  guint              attempts;
} Bumper;

static gboolean
bump_counter (KsPgDb *db, gpointer data, GError **error)
{
  Bumper *b = data;
  static const KsPgStatement read = { "test_read", "SELECT value FROM meta WHERE key = 'seq'" };
  static const KsPgStatement write = { "test_write", "UPDATE meta SET value = $1 WHERE key = 'seq'" };
  g_autoptr(PGresult) res = ks_pg_db_query (db, &read, 0, NULL, error);
  g_autoptr(PGresult) done = NULL;
  g_autofree char *next = NULL;

  if (res == NULL)
    return FALSE;
  if (++b->attempts == 1)
    pthread_barrier_wait (b->both_read);   /* both have read the same value */
  next = g_strdup_printf ("%" G_GINT64_FORMAT, ks_pg_get_int64 (res, 0, 0) + 1);
  done = ks_pg_db_query (db, &write, 1, (const char *[]) { next }, error);
  return done != NULL;
}

static gpointer
bump_thread (gpointer data)
{
  Bumper *b = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KsPgDb) db = ks_pg_db_new (b->conninfo, &error);

  g_assert_no_error (error);
  g_assert_true (ks_pg_db_run_transaction (db, "REPEATABLE READ", 5, bump_counter, b, &error));
  g_assert_no_error (error);
  return NULL;
}

/* Two read-modify-write transactions that read the same value: the one that
 * loses the race is rolled back and run again, and no increment is lost. */
static void
test_transaction_rerun (void)
{
  g_autoptr(KsPgDb) db = migrated ("ks_rerun");
  g_autofree char *conninfo = g_strdup_printf ("host=%s user=postgres dbname=ks_rerun",
                                               g_getenv ("KS_PG_HOST"));
  pthread_barrier_t both_read;
  Bumper b[2] = { { conninfo, &both_read, 0 }, { conninfo, &both_read, 0 } };
  GThread *threads[2];

  pthread_barrier_init (&both_read, NULL, 2);
  for (int i = 0; i < 2; i++)
    threads[i] = g_thread_new ("bump", bump_thread, &b[i]);
  for (int i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  pthread_barrier_destroy (&both_read);

  g_assert_cmpuint (b[0].attempts + b[1].attempts, ==, 3);
  g_assert_cmpint (query_int (db, "SELECT value FROM meta WHERE key = 'seq'"), ==, 2);
}

/* -- COPY ----------------------------------------------------------------------------------- */

static void
test_copy (void)
{
  g_autoptr(KsPgDb) db = migrated ("ks_copy");
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  static const char *const columns[] = { "id", "txt", NULL };
  const char *const texts[] = {
    "tab\there", "line\nbreak\r\n", "back\\slash \\N", "\\N", "", "café ✓"
  };
  KsPgCopy *copy;
  gint64 n = 0;

  g_assert_true (ks_pg_db_exec (db, "CREATE TABLE copied (id bigint NOT NULL, txt text)", &error));
  g_assert_no_error (error);

  /* Values that COPY's text format must escape come back as they went in. */
  copy = ks_pg_copy_begin (db, "copied", columns, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_assert_true (ks_pg_copy_row (copy, (const char *[]) { id, texts[i] }, &error));
    }
  g_assert_true (ks_pg_copy_row (copy, (const char *[]) { "99", NULL }, &error));
  g_assert_true (ks_pg_copy_end (copy, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, G_N_ELEMENTS (texts) + 1);
  res = query (db, "SELECT id, txt FROM copied ORDER BY id");
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_cmpstr (ks_pg_get_text (res, i, 1), ==, texts[i]);
  g_assert_null (ks_pg_get_text (res, G_N_ELEMENTS (texts), 1));

  /* Many rows, sent in several chunks. */
  copy = ks_pg_copy_begin (db, "copied", columns, &error);
  for (int i = 1000; i < 41000; i++)
    {
      g_autofree char *id = g_strdup_printf ("%d", i);
      g_assert_true (ks_pg_copy_row (copy, (const char *[]) { id, "a row of text sent in bulk" }, &error));
    }
  g_assert_true (ks_pg_copy_end (copy, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 40000);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM copied WHERE id >= 1000"), ==, 40000);

  /* A bad value fails the whole copy: none of its rows go in, and the
   * connection goes on working. */
  copy = ks_pg_copy_begin (db, "copied", columns, &error);
  g_assert_true (ks_pg_copy_row (copy, (const char *[]) { "50000", "fine" }, &error));
  g_assert_true (ks_pg_copy_row (copy, (const char *[]) { "not a number", "bad" }, &error));
  g_assert_false (ks_pg_copy_end (copy, NULL, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not a number"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM copied WHERE id = 50000"), ==, 0);

  /* Abandoned: nothing goes in either. */
  copy = ks_pg_copy_begin (db, "copied", columns, &error);
  g_assert_true (ks_pg_copy_row (copy, (const char *[]) { "60000", "abandoned" }, &error));
  ks_pg_copy_abort (copy);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM copied WHERE id = 60000"), ==, 0);
}

/* -- the server going away ------------------------------------------------------------------ */

static void
cluster (const char *what)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "python3", g_getenv ("KS_PG_HELPER"), what, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_reconnect (void)
{
  g_autoptr(KsPgDb) db = migrated ("ks_reconnect");
  g_autoptr(GError) error = NULL;
  static const KsPgStatement one = { "test_one", "SELECT count(*) FROM bodies" };
  g_autoptr(PGresult) before = NULL, after = NULL;
  guint connects;
  PGresult *down;

  before = ks_pg_db_query (db, &one, 0, NULL, &error);
  g_assert_no_error (error);
  connects = ks_pg_db_connects (db);

  cluster ("stop");
  down = ks_pg_db_query (db, &one, 0, NULL, &error);
  g_assert_null (down);
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  g_assert_cmpuint (ks_error_http_status (error->code), ==, 503);
  g_clear_error (&error);
  g_assert_false (ks_pg_db_begin (db, NULL, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  cluster ("start");
  /* The statement is prepared again on the new connection. */
  after = ks_pg_db_query (db, &one, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (PQgetvalue (after, 0, 0), ==, "0");
  g_assert_cmpuint (ks_pg_db_connects (db), ==, connects + 1);
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kerbside-nopg-XXXXXX", NULL);
  g_autofree char *uri = g_strdup_printf ("host=%s user=postgres dbname=kerbside", dir);

  g_assert_null (ks_pg_db_new (uri, &error));
  g_assert_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "Could not connect to the database"));
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  self_path = argv[0];
  if (argc == 3 && strcmp (argv[1], "--migrate") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KsPgDb) db = ks_pg_db_new (argv[2], &error);
      guint applied = 0;

      if (db == NULL || !ks_pg_migrate (db, KS_PG_MIGRATIONS, &applied, &error))
        {
          fprintf (stderr, "migrate: %s\n", error->message);
          return 1;
        }
      printf ("%u\n", applied);
      return 0;
    }

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("KS_PG_URI") == NULL || g_getenv ("KS_PG_HELPER") == NULL)
    {
      g_printerr ("SKIP: run this test through tests/pg/pgcluster.py run -- (meson test does)\n");
      return 77;
    }
  g_test_add_func ("/pg/migrations/check", test_migrations_check);
  g_test_add_func ("/pg/migrate/races", test_migrate_races);
  g_test_add_func ("/pg/migrate/again", test_migrate_again);
  g_test_add_func ("/pg/schema/bbox", test_bbox);
  g_test_add_func ("/pg/schema/text-search", test_text_search);
  g_test_add_func ("/pg/schema/hide-remembers-state", test_hide_remembers_state);
  g_test_add_func ("/pg/seq/commit-order", test_seq_commit_order);
  g_test_add_func ("/pg/db/errors", test_errors);
  g_test_add_func ("/pg/db/transaction-rerun", test_transaction_rerun);
  g_test_add_func ("/pg/db/copy", test_copy);
  g_test_add_func ("/pg/db/unreachable", test_unreachable);
  g_test_add_func ("/pg/db/reconnect", test_reconnect);
  return g_test_run ();
}

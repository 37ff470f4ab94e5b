/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-cache.c: the app's local SQLite cache, one file per server + user. */
#define G_LOG_DOMAIN "ks-cache"

#include "ks-cache.h"
#include "ks-error.h"
#include "ks-huge-heap.h"
#include "ks-report-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

struct _KsCache
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *stmts;   /* static SQL text -> sqlite3_stmt */
};

G_DEFINE_FINAL_TYPE (KsCache, ks_cache, G_TYPE_OBJECT)

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS state ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS outbox ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  action          TEXT NOT NULL,"
  "  report_id       INTEGER NOT NULL DEFAULT 0,"
  "  method          TEXT NOT NULL,"
  "  path            TEXT NOT NULL,"
  "  body            TEXT,"
  "  idempotency_key TEXT NOT NULL,"
  "  base_version    INTEGER NOT NULL DEFAULT 0,"
  "  state           INTEGER NOT NULL DEFAULT 0,"
  "  error_message   TEXT,"
  "  current         TEXT,"
  "  created         INTEGER NOT NULL,"
  "  attempts        INTEGER NOT NULL DEFAULT 0"
  ");";

/* The reports table, version 5 (version 3 added the answers column: the
 * answers to the category's questions, as ks-report-answers.c encodes them;
 * version 4 the report a duplicate duplicates, duplicate_of; version 5 moved
 * each report's JSON to a table of its own, below). Rows are keyed by arrival
 * (slot), not by report id: a sync brings reports in pages by seq (each page
 * in id order), so that from one page to the next the ids are all over the
 * range, and keyed by id every page rewrote pages all over the table (a first
 * sync of 100,000 reports wrote the table many times over). Keyed by arrival,
 * rows are appended; only the small id index takes scattered writes. */
#define REPORTS_VERSION 5
/* The columns every version had (the JSON apart). */
#define REPORT_COLUMNS_ALWAYS \
  "id, title, category, category_id, grp, state, priority_id, lat, lon, ward, " \
  "created, updated, version, acknowledged, shortlist_user, detail, has_photo, seq"
#define REPORT_COLUMNS REPORT_COLUMNS_ALWAYS ", answers, duplicate_of"
static const char reports_sql[] =
  "CREATE TABLE reports ("
  "  slot           INTEGER PRIMARY KEY,"
  "  id             INTEGER NOT NULL UNIQUE,"
  "  title          TEXT NOT NULL DEFAULT '',"
  "  category       TEXT NOT NULL DEFAULT '',"
  "  category_id    INTEGER NOT NULL DEFAULT 0,"
  "  grp            TEXT NOT NULL DEFAULT '',"
  "  state          TEXT NOT NULL DEFAULT '',"
  "  priority_id    INTEGER NOT NULL DEFAULT 0,"
  "  lat            REAL NOT NULL DEFAULT 0,"
  "  lon            REAL NOT NULL DEFAULT 0,"
  "  ward           TEXT NOT NULL DEFAULT '',"
  "  created        INTEGER NOT NULL DEFAULT 0,"
  "  updated        INTEGER NOT NULL DEFAULT 0,"
  "  version        INTEGER NOT NULL DEFAULT 0,"
  "  acknowledged   INTEGER NOT NULL DEFAULT 0,"
  "  shortlist_user INTEGER NOT NULL DEFAULT 0,"
  "  detail         TEXT NOT NULL DEFAULT '',"
  "  has_photo      INTEGER NOT NULL DEFAULT 0,"
  "  seq            INTEGER NOT NULL DEFAULT 0,"
  "  answers        TEXT NOT NULL DEFAULT '',"
  "  duplicate_of   INTEGER NOT NULL DEFAULT 0"
  ");";

/* Each report's every field as last received, beside its row (same slot).
 * Apart because the start reads every row of reports and none of this: in the
 * row, three quarters of the bytes the start read were JSON (832 of some 1,100
 * a report). Whatever deletes a row of reports deletes its JSON first: not by
 * a trigger, since a table with one makes every INSERT OR REPLACE keep a
 * statement journal (each page it touches copied first), which made a first
 * sync of 100,000 reports take twice as long. */
static const char report_json_sql[] =
  "CREATE TABLE report_json ("
  "  slot INTEGER PRIMARY KEY,"
  "  json TEXT NOT NULL DEFAULT '{}'"
  ");";

/* Fills the answers of reports cached before version 3 from their JSON (the sync
 * sent them already): each {code, value} as code US value, joined by RS. */
static const char answers_from_json_sql[] =
  "UPDATE reports SET answers = coalesce(("
  "  SELECT group_concat(json_extract(a.value, '$.code') || char(31) || json_extract(a.value, '$.value'), char(30))"
  "  FROM report_json AS j, json_each(j.json, '$.attributes') AS a"
  "  WHERE j.slot = reports.slot"
  "    AND json_extract(a.value, '$.code') IS NOT NULL AND json_extract(a.value, '$.value') IS NOT NULL), '')"
  " WHERE slot IN (SELECT slot FROM report_json"
  "                WHERE json_valid(json) AND json_type(json, '$.attributes') = 'array');";

/* Version 4: the column for the duplicate's link, which the sync brings from
 * then on. The reports cached before came without it: the next sync starts
 * from the beginning and brings every report again, links and all. */
static const char duplicate_of_sql[] =
  "ALTER TABLE reports ADD COLUMN duplicate_of INTEGER NOT NULL DEFAULT 0;"
  "DELETE FROM state WHERE key = 'seq';";

/* Version 5: the JSON moves out of the rows of reports, keeping its slot. */
static const char json_apart_sql[] =
  "INSERT INTO report_json (slot, json) SELECT slot, json FROM reports;"
  "ALTER TABLE reports DROP COLUMN json;";

static gboolean
fail (KsCache  *self,
      GError  **error)
{
  g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
               "The app's local data could not be saved (%s). Check that your disk is not full, then restart the app.",
               self->db ? sqlite3_errmsg (self->db) : "not open");
  return FALSE;
}

static sqlite3_stmt *
stmt (KsCache     *self,
      const char  *sql,
      GError     **error)
{
  sqlite3_stmt *s;

  if (self->db == NULL)
    {
      fail (self, error);
      return NULL;
    }
  s = g_hash_table_lookup (self->stmts, sql);
  if (s == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        {
          fail (self, error);
          return NULL;
        }
      g_hash_table_insert (self->stmts, (gpointer) sql, s);
    }
  return s;
}

static void
close_db (KsCache *self)
{
  g_hash_table_remove_all (self->stmts);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

static void
ks_cache_finalize (GObject *object)
{
  KsCache *self = KS_CACHE (object);

  close_db (self);
  g_hash_table_unref (self->stmts);
  g_free (self->path);
  G_OBJECT_CLASS (ks_cache_parent_class)->finalize (object);
}

/* No count of SQLite's memory in use (nothing here reads it): counting takes
 * a process-wide lock at every allocation and every free, a fortieth of a
 * first sync's writing. It can only be set before SQLite starts, so the app
 * calls this before anything else runs (libshumate's tile cache uses SQLite
 * too); a process that only uses the core has it done by the first cache. */
void
ks_cache_prepare_sqlite (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      if (sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        g_debug ("SQLite was started before the cache: its memory is still counted");
      g_once_init_leave (&done, 1);
    }
}

static void
ks_cache_class_init (KsCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ks_cache_finalize;
  ks_cache_prepare_sqlite ();
}

static void
finalize_stmt (gpointer s)
{
  sqlite3_finalize (s);
}

static void
ks_cache_init (KsCache *self)
{
  self->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_stmt);
}

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "kerbside", "cache", NULL);
}

char *
ks_cache_path_for (const char *server,
                   const char *email)
{
  return ks_cache_path_for_council (server, email, 0);
}

char *
ks_cache_path_for_council (const char *server,
                           const char *email,
                           gint64      council_id)
{
  g_autofree char *lower = g_utf8_strdown (email ? email : "", -1);
  g_autofree char *key = council_id > 0
    ? g_strdup_printf ("%s|%s|council=%" G_GINT64_FORMAT, server ? server : "", lower, council_id)
    : g_strconcat (server ? server : "", "|", lower, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *dir = cache_dir ();
  g_autofree char *name = g_strconcat (hash, ".db", NULL);

  return g_build_filename (dir, name, NULL);
}

static gboolean
delete_files (const char  *path,
              GError     **error)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                       "Could not delete the app's local data at %s (%s). Delete the file by hand.",
                       file, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ks_cache_delete_for (const char  *server,
                     const char  *email,
                     GError     **error)
{
  g_autofree char *path = ks_cache_path_for (server, email);

  return delete_files (path, error);
}

static int
user_version (sqlite3 *db)
{
  sqlite3_stmt *s = NULL;
  int v = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
      sqlite3_step (s) == SQLITE_ROW)
    v = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);
  return v;
}

/* Creates the reports table, or moves the rows of an older one over. */
static gboolean
upgrade_reports (KsCache *self)
{
  sqlite3_stmt *s = NULL;
  gboolean exists = FALSE;
  g_autofree char *sql = NULL;
  char *errmsg = NULL;

  if (user_version (self->db) >= REPORTS_VERSION)
    return TRUE;
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, &errmsg) != SQLITE_OK)
    goto fail;
  if (user_version (self->db) >= REPORTS_VERSION)
    return sqlite3_exec (self->db, "COMMIT", NULL, NULL, &errmsg) == SQLITE_OK;

  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reports'",
                          -1, &s, NULL) == SQLITE_OK)
    exists = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_finalize (s);

  /* From each older version, the steps to this one (the versions 2 to 4 kept
   * the JSON in the rows of reports; the first one had no slot either). */
  if (exists && user_version (self->db) == 4)
    sql = g_strconcat (report_json_sql, json_apart_sql, NULL);
  else if (exists && user_version (self->db) == 3)
    sql = g_strconcat (duplicate_of_sql, report_json_sql, json_apart_sql, NULL);
  else if (exists && user_version (self->db) == 2)
    sql = g_strconcat ("ALTER TABLE reports ADD COLUMN answers TEXT NOT NULL DEFAULT '';",
                       duplicate_of_sql, report_json_sql, json_apart_sql,
                       answers_from_json_sql, NULL);
  else if (exists)
    sql = g_strconcat ("ALTER TABLE reports RENAME TO reports_v1;", reports_sql, report_json_sql,
                       "INSERT INTO reports (" REPORT_COLUMNS_ALWAYS ") "
                       "  SELECT " REPORT_COLUMNS_ALWAYS " FROM reports_v1 ORDER BY seq;"
                       "INSERT INTO report_json (slot, json)"
                       "  SELECT r.slot, v.json FROM reports AS r JOIN reports_v1 AS v ON v.id = r.id;"
                       "DROP TABLE reports_v1;", answers_from_json_sql,
                       "DELETE FROM state WHERE key = 'seq';", NULL);
  else
    sql = g_strconcat (reports_sql, report_json_sql, NULL);
  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK ||
      sqlite3_exec (self->db, "PRAGMA user_version = " G_STRINGIFY (REPORTS_VERSION) "; COMMIT",
                    NULL, NULL, &errmsg) != SQLITE_OK)
    goto fail;
  return TRUE;

fail:
  g_debug ("cache reports table: %s", errmsg);
  sqlite3_free (errmsg);
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static KsCache *
open_file (const char  *path,
           int          create,
           GError     **error)
{
  g_autoptr(KsCache) self = g_object_new (KS_TYPE_CACHE, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  char *errmsg = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "Could not create the folder for the app's local data, %s (%s). Check the folder's permissions.",
                   dir, g_strerror (saved));
      return NULL;
    }
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | create | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      fail (self, error);
      return NULL;
    }
  g_chmod (path, 0600);
  sqlite3_busy_timeout (self->db, 5000);
  /* 32 KiB pages (SQLite's default is 4 KiB): a first sync writes some 130 MB
   * for 100,000 reports, every page once to the log and once more when the log
   * is copied back, each a system call: with pages 8 times bigger, the first
   * sync's CPU time was a quarter less. Set only while the file is new (before
   * the log is turned on); an older cache keeps its size. */
  if (sqlite3_exec (self->db,
                    "PRAGMA page_size=32768; "
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;",
                    NULL, NULL, &errmsg) != SQLITE_OK ||
      sqlite3_exec (self->db, schema_sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_debug ("cache schema: %s", errmsg);
      sqlite3_free (errmsg);
      fail (self, error);
      return NULL;
    }
  if (!upgrade_reports (self))
    {
      fail (self, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

KsCache *
ks_cache_open_path (const char  *path,
                    GError     **error)
{
  return open_file (path, SQLITE_OPEN_CREATE, error);
}

KsCache *
ks_cache_open_another (KsCache  *self,
                       GError  **error)
{
  g_return_val_if_fail (KS_IS_CACHE (self), NULL);

  /* Never creates the file: a wiped cache stays gone. */
  if (self->db == NULL)
    {
      g_set_error_literal (error, KS_ERROR, KS_ERROR_FAILED,
                           "The app's local data was closed. Sign in again.");
      return NULL;
    }
  return open_file (self->path, 0, error);
}

KsCache *
ks_cache_open (const char  *server,
               const char  *email,
               GError     **error)
{
  return ks_cache_open_for_council (server, email, 0, error);
}

KsCache *
ks_cache_open_for_council (const char  *server,
                           const char  *email,
                           gint64       council_id,
                           GError     **error)
{
  g_autofree char *path = ks_cache_path_for_council (server, email, council_id);

  return ks_cache_open_path (path, error);
}

const char *
ks_cache_get_path (KsCache *self)
{
  g_return_val_if_fail (KS_IS_CACHE (self), NULL);
  return self->path;
}

gboolean
ks_cache_wipe (KsCache  *self,
               GError  **error)
{
  g_return_val_if_fail (KS_IS_CACHE (self), FALSE);

  close_db (self);
  return delete_files (self->path, error);
}

static gboolean
exec (KsCache     *self,
      const char  *sql,
      GError     **error)
{
  if (self->db == NULL || sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  return TRUE;
}

gboolean
ks_cache_begin (KsCache *self, GError **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
ks_cache_commit (KsCache *self, GError **error)
{
  return exec (self, "COMMIT", error);
}

void
ks_cache_rollback (KsCache *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* For writes of several statements that must all be done or none: a
 * transaction of their own when the caller has none (own is set then). */
static gboolean
begin_unless_in_one (KsCache   *self,
                     gboolean  *own,
                     GError   **error)
{
  *own = self->db != NULL && sqlite3_get_autocommit (self->db);
  return !*own || ks_cache_begin (self, error);
}

/* Ends what begin_unless_in_one() began: committed if done, else rolled
 * back (a caller's transaction is the caller's to roll back). */
static gboolean
end_own (KsCache   *self,
         gboolean   own,
         gboolean   done,
         GError   **error)
{
  if (!own)
    return done;
  if (done && ks_cache_commit (self, error))
    return TRUE;
  ks_cache_rollback (self);
  return FALSE;
}

/* Runs a prepared statement to completion and resets it. */
static gboolean
step_done (KsCache       *self,
           sqlite3_stmt  *s,
           GError       **error)
{
  int rc = sqlite3_step (s);

  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return fail (self, error);
  return TRUE;
}

char *
ks_cache_get_string (KsCache    *self,
                     const char *key)
{
  sqlite3_stmt *s = stmt (self, "SELECT value FROM state WHERE key = ?", NULL);
  char *value = NULL;

  if (s == NULL)
    return NULL;
  sqlite3_bind_text (s, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW && sqlite3_column_type (s, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  return value;
}

gboolean
ks_cache_set_string (KsCache     *self,
                     const char  *key,
                     const char  *value,
                     GError     **error)
{
  sqlite3_stmt *s = stmt (self, "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 2, value, -1, SQLITE_TRANSIENT);
  return step_done (self, s, error);
}

gint64
ks_cache_get_int (KsCache    *self,
                  const char *key,
                  gint64      fallback)
{
  g_autofree char *text = ks_cache_get_string (self, key);

  return text ? g_ascii_strtoll (text, NULL, 10) : fallback;
}

gboolean
ks_cache_set_int (KsCache     *self,
                  const char  *key,
                  gint64       value,
                  GError     **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return ks_cache_set_string (self, key, buf, error);
}

static const char *
col_text (sqlite3_stmt *s, int i)
{
  const char *t = (const char *) sqlite3_column_text (s, i);
  return t ? t : "";
}

#define LOAD_COLUMNS \
  "SELECT id, title, category, category_id, grp, state, priority_id, lat, lon, ward, " \
  "       created, updated, version, acknowledged, shortlist_user, detail, has_photo, seq, answers, " \
  "       duplicate_of " \
  "FROM reports "

/* The interned copy of text, looked up in a table of this reader's own
 * before GLib's (which takes a lock shared by every thread). */
static const char *
intern (GHashTable *seen,
        const char *text)
{
  const char *interned = g_hash_table_lookup (seen, text);

  if (interned == NULL)
    {
      interned = g_intern_string (text);
      g_hash_table_add (seen, (gpointer) interned);
    }
  return interned;
}

/* Every row of s (a LOAD_COLUMNS statement, bound) as a KsReport appended
 * to reports; an SQLite code other than SQLITE_DONE on failure. */
static int
read_reports (sqlite3_stmt *s,
              GPtrArray    *reports)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      KsReport *r = ks_report_new_with_text (sqlite3_column_int64 (s, 0),
                                             g_strdup (col_text (s, 1)),
                                             g_strdup (col_text (s, 15)));

      r->category = intern (seen, col_text (s, 2));
      r->category_id = sqlite3_column_int64 (s, 3);
      r->group = intern (seen, col_text (s, 4));
      r->state = intern (seen, col_text (s, 5));
      r->priority_id = sqlite3_column_int64 (s, 6);
      r->lat = sqlite3_column_double (s, 7);
      r->lon = sqlite3_column_double (s, 8);
      r->ward = intern (seen, col_text (s, 9));
      r->created = sqlite3_column_int64 (s, 10);
      r->updated = sqlite3_column_int64 (s, 11);
      r->version = sqlite3_column_int64 (s, 12);
      r->acknowledged = sqlite3_column_int64 (s, 13);
      r->shortlist_user = sqlite3_column_int64 (s, 14);
      r->has_photo = sqlite3_column_int (s, 16) != 0;
      r->seq = sqlite3_column_int64 (s, 17);
      ks_report_set_answers_take (r, ks_report_answers_decode (col_text (s, 18)));
      r->duplicate_of = sqlite3_column_int64 (s, 19);
      /* Ready for the first search (folding 100,000 reports costs ~40 ms more here,
       * and ~150 ms in the first search otherwise; ASCII text is only marked). */
      ks_report_prepare_search (r);
      ks_huge_heap_follow (r->title);
      g_ptr_array_add (reports, r);
    }
  sqlite3_reset (s);
  return rc;
}

/* Every report, in the order of the rows' slots (arrival), read by one
 * thread. Not in parts on several threads: GLib's slice allocator, which
 * makes each report's object, has one lock for every thread: two readers
 * took it in turns thousands of times, and the main thread, building the
 * window meanwhile, waited for it too. */
GPtrArray *
ks_cache_load_reports (KsCache  *self,
                       GError  **error)
{
  sqlite3_stmt *s = stmt (self, LOAD_COLUMNS, error);
  GPtrArray *reports;
  int rc;

  if (s == NULL)
    return NULL;
  reports = g_ptr_array_new_full ((guint) ks_cache_count_reports (self), g_object_unref);
  rc = read_reports (s, reports);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (reports);
      fail (self, error);
      return NULL;
    }
  return reports;
}

gint64
ks_cache_count_reports (KsCache *self)
{
  sqlite3_stmt *s = stmt (self, "SELECT count(*) FROM reports", NULL);
  gint64 n = 0;

  if (s == NULL)
    return 0;
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return n;
}

JsonObject *
ks_cache_get_report_json (KsCache *self,
                          gint64   id)
{
  sqlite3_stmt *s = stmt (self,
                          "SELECT j.json FROM reports AS r JOIN report_json AS j ON j.slot = r.slot "
                          "WHERE r.id = ?", NULL);
  JsonObject *obj = NULL;

  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, id);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, col_text (s, 0), -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        obj = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  sqlite3_reset (s);
  return obj;
}

/* A copy read at an earlier change than the stored one (a sync page fetched
 * before an action's answer was stored) is not written over it. */
static gboolean
is_older_than_stored (JsonObject *stored,
                      gint64      seq)
{
  gint64 stored_seq = json_object_get_int_member_with_default (stored, "seq", 0);

  return seq > 0 && stored_seq > 0 && seq < stored_seq;
}

/* The JSON of the report id's row, if any: deleted before the row is. */
#define DELETE_JSON_SQL "DELETE FROM report_json WHERE slot = (SELECT slot FROM reports WHERE id = ?)"

#define INSERT_REPORT_VALUES \
  " (" REPORT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

static void
bind_report (sqlite3_stmt *s,
             KsReport     *r,
             const char   *answers)
{
  sqlite3_bind_int64 (s, 1, r->id);
  sqlite3_bind_text (s, 2, r->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, r->category, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 4, r->category_id);
  sqlite3_bind_text (s, 5, r->group, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 6, r->state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 7, r->priority_id);
  sqlite3_bind_double (s, 8, r->lat);
  sqlite3_bind_double (s, 9, r->lon);
  sqlite3_bind_text (s, 10, r->ward, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 11, r->created);
  sqlite3_bind_int64 (s, 12, r->updated);
  sqlite3_bind_int64 (s, 13, r->version);
  sqlite3_bind_int64 (s, 14, r->acknowledged);
  sqlite3_bind_int64 (s, 15, r->shortlist_user);
  sqlite3_bind_text (s, 16, r->detail, -1, SQLITE_STATIC);
  sqlite3_bind_int (s, 17, r->has_photo);
  sqlite3_bind_int64 (s, 18, r->seq);
  sqlite3_bind_text (s, 19, answers, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 20, r->duplicate_of);
}

/* Writes the report's row as a new one and sets inserted; leaves it FALSE,
 * with nothing written and no error, when a row of that id is there already
 * (or a column is NULL where the replace gives its default): the caller then
 * replaces the row. FALSE on an error only. Two statements a report instead
 * of three (no JSON to delete first): writing a first sync of 100,000 reports
 * took a tenth less time. */
static gboolean
insert_new_row (KsCache     *self,
                KsReport    *r,
                const char  *answers,
                gboolean    *inserted,
                GError     **error)
{
  sqlite3_stmt *s = stmt (self, "INSERT INTO reports" INSERT_REPORT_VALUES, error);
  int rc;

  *inserted = FALSE;
  if (s == NULL)
    return FALSE;
  bind_report (s, r, answers);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  if (rc == SQLITE_DONE)
    *inserted = TRUE;
  else if (rc != SQLITE_CONSTRAINT)
    return fail (self, error);
  return TRUE;
}

/* The report's row, and its JSON under the row's slot: both or neither, in
 * the caller's transaction (which rolls back on failure: the sync's page, the
 * outbox's answer) or in one of its own. The row it replaces, if any, goes
 * with its JSON. likely_new: the caller found no stored copy (or, in a first
 * sync, did not look), so the row is tried as a new one first. */
static gboolean
insert_report (KsCache     *self,
               KsReport    *r,
               const char  *json,
               gsize        json_len,
               gboolean     likely_new,
               GError     **error)
{
  sqlite3_stmt *j;
  g_autofree char *answers = NULL;
  gboolean own, done = FALSE, inserted = FALSE;

  if ((j = stmt (self, "INSERT INTO report_json (slot, json) VALUES (?, ?)", error)) == NULL ||
      !begin_unless_in_one (self, &own, error))
    return FALSE;
  answers = ks_report_answers_encode ((const char * const *) r->answers);
  if (likely_new && !insert_new_row (self, r, answers, &inserted, error))
    return end_own (self, own, FALSE, error);
  if (!inserted)
    {
      sqlite3_stmt *d, *s;

      if ((d = stmt (self, DELETE_JSON_SQL, error)) == NULL ||
          (s = stmt (self, "INSERT OR REPLACE INTO reports" INSERT_REPORT_VALUES, error)) == NULL)
        return end_own (self, own, FALSE, error);
      sqlite3_bind_int64 (d, 1, r->id);
      bind_report (s, r, answers);
      inserted = step_done (self, d, error) && step_done (self, s, error);
    }
  if (inserted)
    {
      sqlite3_bind_int64 (j, 1, sqlite3_last_insert_rowid (self->db));
      sqlite3_bind_text64 (j, 2, json, json_len, SQLITE_STATIC, SQLITE_UTF8);
      done = step_done (self, j, error);
    }
  return end_own (self, own, done, error);
}

gboolean
ks_cache_put_report (KsCache     *self,
                     JsonObject  *obj,
                     GError     **error)
{
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(KsReport) r = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  gboolean is_new;
  gint64 id;

  g_return_val_if_fail (KS_IS_CACHE (self), FALSE);

  if (!json_object_has_member (obj, "id") || (id = json_object_get_int_member (obj, "id")) <= 0)
    return TRUE;

  merged = ks_cache_get_report_json (self, id);
  is_new = merged == NULL;
  if (merged != NULL && json_object_has_member (obj, "seq") &&
      is_older_than_stored (merged, json_object_get_int_member (obj, "seq")))
    return TRUE;
  if (merged != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, obj);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (merged, name, json_node_copy (value));
    }
  else
    merged = json_object_ref (obj);

  if ((r = ks_report_new_from_json (merged, error)) == NULL)
    return FALSE;
  node = json_node_init_object (json_node_alloc (), merged);
  json = json_to_string (node, FALSE);
  return insert_report (self, r, json, strlen (json), is_new, error);
}

gboolean
ks_cache_put_report_text (KsCache     *self,
                          KsReport    *report,
                          const char  *json,
                          gsize        json_len,
                          gboolean     merge,
                          GError     **error)
{
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(KsReport) merged_report = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *merged_text = NULL;
  JsonObject *obj;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  gboolean keeps_more = FALSE;

  g_return_val_if_fail (KS_IS_CACHE (self), FALSE);
  g_return_val_if_fail (KS_IS_REPORT (report), FALSE);

  if (!merge || (stored = ks_cache_get_report_json (self, report->id)) == NULL)
    return insert_report (self, report, json, json_len, TRUE, error);
  if (is_older_than_stored (stored, report->seq))
    return TRUE;

  /* Keep what the stored copy has and the new one lacks (the detail's extra
   * members): the slow path, for reports already in the cache. */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, (gssize) json_len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return insert_report (self, report, json, json_len, FALSE, error);
  obj = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, stored);
  while (json_object_iter_next (&iter, &name, &value))
    if (!json_object_has_member (obj, name))
      {
        keeps_more = TRUE;
        break;
      }
  if (!keeps_more)
    return insert_report (self, report, json, json_len, FALSE, error);

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (stored, name, json_node_copy (value));
  if ((merged_report = ks_report_new_from_json (stored, error)) == NULL)
    return FALSE;
  node = json_node_init_object (json_node_alloc (), stored);
  merged_text = json_to_string (node, FALSE);
  return insert_report (self, merged_report, merged_text, strlen (merged_text), FALSE, error);
}

gboolean
ks_cache_delete_report (KsCache  *self,
                        gint64    id,
                        GError  **error)
{
  sqlite3_stmt *d, *s;
  gboolean own;

  if ((d = stmt (self, DELETE_JSON_SQL, error)) == NULL ||
      (s = stmt (self, "DELETE FROM reports WHERE id = ?", error)) == NULL ||
      !begin_unless_in_one (self, &own, error))
    return FALSE;
  sqlite3_bind_int64 (d, 1, id);
  sqlite3_bind_int64 (s, 1, id);
  return end_own (self, own, step_done (self, d, error) && step_done (self, s, error), error);
}

gboolean
ks_cache_clear_reports (KsCache  *self,
                        GError  **error)
{
  gboolean own;

  if (!begin_unless_in_one (self, &own, error))
    return FALSE;
  return end_own (self, own, exec (self, "DELETE FROM report_json; DELETE FROM reports", error), error);
}

gboolean
ks_cache_outbox_add (KsCache        *self,
                     KsOutboxEntry  *entry,
                     GError        **error)
{
  sqlite3_stmt *s = stmt (self,
    "INSERT INTO outbox (action, report_id, method, path, body, idempotency_key, base_version, "
    "  state, error_message, current, created, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, entry->action, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, entry->report_id);
  sqlite3_bind_text (s, 3, entry->method, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, entry->path, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, entry->body, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 6, entry->idempotency_key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 7, entry->base_version);
  sqlite3_bind_int (s, 8, entry->state);
  sqlite3_bind_text (s, 9, entry->error_message, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 10, entry->current, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 11, entry->created);
  sqlite3_bind_int (s, 12, (int) entry->attempts);
  if (!step_done (self, s, error))
    return FALSE;
  entry->id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

gboolean
ks_cache_outbox_update (KsCache              *self,
                        const KsOutboxEntry  *entry,
                        GError              **error)
{
  sqlite3_stmt *s = stmt (self,
    "UPDATE outbox SET body = ?, base_version = ?, state = ?, error_message = ?, current = ?, "
    "  attempts = ?, idempotency_key = ? WHERE id = ?", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, entry->body, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, entry->base_version);
  sqlite3_bind_int (s, 3, entry->state);
  sqlite3_bind_text (s, 4, entry->error_message, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, entry->current, -1, SQLITE_STATIC);
  sqlite3_bind_int (s, 6, (int) entry->attempts);
  sqlite3_bind_text (s, 7, entry->idempotency_key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 8, entry->id);
  return step_done (self, s, error);
}

gboolean
ks_cache_outbox_remove (KsCache  *self,
                        gint64    id,
                        GError  **error)
{
  sqlite3_stmt *s = stmt (self, "DELETE FROM outbox WHERE id = ?", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  return step_done (self, s, error);
}

GPtrArray *
ks_cache_outbox_list (KsCache  *self,
                      GError  **error)
{
  sqlite3_stmt *s = stmt (self,
    "SELECT id, action, report_id, method, path, body, idempotency_key, base_version, state, "
    "       error_message, current, created, attempts FROM outbox ORDER BY id", error);
  GPtrArray *list;
  int rc;

  if (s == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) ks_outbox_entry_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      KsOutboxEntry *e = g_new0 (KsOutboxEntry, 1);

      e->id = sqlite3_column_int64 (s, 0);
      e->action = g_strdup (col_text (s, 1));
      e->report_id = sqlite3_column_int64 (s, 2);
      e->method = g_strdup (col_text (s, 3));
      e->path = g_strdup (col_text (s, 4));
      e->body = sqlite3_column_type (s, 5) == SQLITE_NULL ? NULL : g_strdup (col_text (s, 5));
      e->idempotency_key = g_strdup (col_text (s, 6));
      e->base_version = sqlite3_column_int64 (s, 7);
      e->state = sqlite3_column_int (s, 8);
      e->error_message = sqlite3_column_type (s, 9) == SQLITE_NULL ? NULL : g_strdup (col_text (s, 9));
      e->current = sqlite3_column_type (s, 10) == SQLITE_NULL ? NULL : g_strdup (col_text (s, 10));
      e->created = sqlite3_column_int64 (s, 11);
      e->attempts = (guint) sqlite3_column_int (s, 12);
      g_ptr_array_add (list, e);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (list);
      fail (self, error);
      return NULL;
    }
  return list;
}

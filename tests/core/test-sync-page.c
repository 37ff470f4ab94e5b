/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync-page.c: the sync page reader (against json-glib reading the same
 * text) and the cache's report table (fast writes, upgrade of an older file). */
#define G_LOG_DOMAIN "test-sync-page"

#include "ks-cache.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-report-store.h"
#include "ks-sync-page.h"
#include "ks-test-cache.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

static KsSyncPage *
parse (const char *text, GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return ks_sync_page_parse (bytes, error);
}

/* Every field of a and b alike. */
static void
assert_same_report (KsReport *a, KsReport *b)
{
  g_assert_cmpint (a->id, ==, b->id);
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->category, ==, b->category);
  g_assert_true (a->category == b->category);   /* interned */
  g_assert_cmpint (a->category_id, ==, b->category_id);
  g_assert_cmpstr (a->group, ==, b->group);
  g_assert_cmpstr (a->state, ==, b->state);
  g_assert_cmpint (a->priority_id, ==, b->priority_id);
  g_assert_cmpfloat (a->lat, ==, b->lat);
  g_assert_cmpfloat (a->lon, ==, b->lon);
  g_assert_cmpstr (a->ward, ==, b->ward);
  g_assert_cmpint (a->created, ==, b->created);
  g_assert_cmpint (a->updated, ==, b->updated);
  g_assert_cmpint (a->version, ==, b->version);
  g_assert_cmpint (a->acknowledged, ==, b->acknowledged);
  g_assert_cmpint (a->shortlist_user, ==, b->shortlist_user);
  g_assert_cmpstr (a->detail, ==, b->detail);
  g_assert_cmpint (a->has_photo, ==, b->has_photo);
  g_assert_cmpint (a->seq, ==, b->seq);
  if (a->answers == NULL || b->answers == NULL)
    g_assert_true (a->answers == b->answers);
  else
    g_assert_cmpstrv (a->answers, b->answers);
  {
    g_autofree char *ta = ks_report_dup_search_text (a);
    g_autofree char *tb = ks_report_dup_search_text (b);

    g_assert_cmpstr (ta, ==, tb);
  }
}

static const char *const reports[] = {
  /* the server's shape */
  "{\"id\":15,\"title\":\"Pothole getting bigger on Osney Lane\",\"category_id\":1,"
  "\"category\":\"Potholes\",\"group\":\"Roads\",\"state\":\"confirmed\",\"priority_id\":null,"
  "\"lat\":51.750014,\"lon\":-1.269311,\"ward\":\"Osney & St Thomas\","
  "\"created\":\"2024-11-22T11:35:51Z\",\"updated\":\"2024-11-22T13:33:47Z\","
  "\"acknowledged\":\"2024-11-22T13:33:47Z\",\"shortlist_user\":null,\"has_photo\":false,"
  "\"version\":2,\"seq\":1,\"detail\":\"Deep hole.\\nFull of water.\",\"address\":\"Osney Lane\","
  "\"photo\":null,\"acknowledged_by\":{\"id\":2,\"name\":\"Tom Hartley\"},"
  "\"shortlist_position\":null,\"reporter\":{\"name\":\"Tom\",\"email\":\"t@example.com\","
  "\"phone\":null,\"show_name\":false},"
  "\"attributes\":[{\"code\":\"depth\",\"value\":\"deep\"},{\"code\":\"size_cm\",\"value\":40}]}",
  /* escapes, accents, a surrogate pair, other number forms and time forms */
  "{ \"id\" : 16 , \"title\" : \"Caf\\u00e9 \\\"sign\\\" \\/ \\ud83d\\ude00 \\t Stra\xc3\x9f" "e\","
  "\"category\":\"\\u00c9clairage\",\"ward\":\"S\xc3\xa3o Jo\xc3\xa3o\",\"state\":\"fixed\","
  "\"lat\":5.17e1,\"lon\":-12E-1,\"version\":3.0,\"priority_id\":2,"
  "\"created\":\"2025-03-01\",\"updated\":\"2025-03-01T12:00:00.5+01:00\","
  "\"acknowledged\":1740830400,\"shortlist_user\":{\"id\":7,\"name\":\"Ann\"},\"has_photo\":true,"
  "\"seq\":22,\"extra\":[1,[2,{\"a\":[null,true,false]}],\"x\"],\"detail\":\"\"}",
  /* odd types where the fields expect others */
  "{\"id\":17,\"title\":null,\"category\":3,\"group\":\"Roads|Lighting\",\"state\":null,"
  "\"lat\":null,\"lon\":\"x\",\"version\":\"7\",\"created\":\"not a time\",\"has_photo\":1,"
  "\"shortlist_user\":{\"name\":\"no id\"},\"detail\":\"\\u0041\\u00df\",\"seq\":0,"
  /* answers of every odd shape: a code twice (joined), the members the
   * other way round or given twice (the last counts), values that are not
   * strings or integers, codes that are not strings, elements that are not
   * objects, escapes, an empty object, nesting */
  "\"attributes\":[{\"code\":\"kind\",\"value\":\"bin\"},{\"value\":-12,\"code\":\"n\"},"
  "{\"code\":\"kind\",\"value\":\"bag\"},{\"code\":\"x\",\"value\":1.5},{\"code\":7,\"value\":\"a\"},"
  "{\"code\":\"b\",\"value\":null},{\"code\":\"c\",\"value\":true},3,\"s\",null,"
  "[{\"code\":\"inner\",\"value\":\"no\"}],{\"code\":\"e\\u00e9\",\"value\":\"\\\"q\\\"\","
  "\"extra\":{\"code\":\"z\",\"value\":[1]}},{\"code\":\"d\",\"code\":\"d2\",\"value\":\"v\","
  "\"value\":\"w\"},{\"code\":\"e\",\"value\":\"\"},{\"code\":\"\",\"value\":\"f\"},{},"
  "{\"code\":\"g\",\"value\":\"h\",\"value\":{}}]}",
  /* no state: the default; duplicate members: the last wins */
  "{\"id\":18,\"title\":\"first\",\"title\":\"second\",\"seq\":23,\"attributes\":null}",
  /* answers that are not an array, and none at all */
  "{\"id\":19,\"attributes\":\"depth\",\"seq\":24}",
  "{\"id\":20,\"attributes\":[],\"seq\":25}",
};

static void
test_reports_as_json_glib_reads_them (void)
{
  g_autoptr(GString) text = g_string_new ("{\"reports\":[");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsSyncPage) page = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    g_string_append_printf (text, "%s%s", i ? "," : "", reports[i]);
  g_string_append (text, ",{\"title\":\"no id\"},{\"id\":0},7,null,[1]],"
                         "\"tombstones\":[],\"seq\":40,\"more\":false}");
  page = parse (text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->reports->len, ==, G_N_ELEMENTS (reports));
  g_assert_cmpint (page->seq, ==, 40);
  g_assert_false (page->more);
  g_assert_cmpint (page->remaining, ==, -1);

  for (guint i = 0; i < page->reports->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(KsReport) expected = NULL;
      g_autofree char *span = NULL;
      gsize len = 0;
      const char *p = ks_sync_page_get_text (page, i, &len);

      /* The span is the report's text, exactly. */
      span = g_strndup (p, len);
      g_assert_cmpstr (span, ==, reports[i]);
      g_assert_true (json_parser_load_from_data (parser, span, -1, NULL));
      expected = ks_report_new_from_json (json_node_get_object (json_parser_get_root (parser)), NULL);
      g_assert_nonnull (expected);
      assert_same_report (g_ptr_array_index (page->reports, i), expected);
      g_assert_cmpint (((KsReport *) g_ptr_array_index (page->reports, i))->answers_known, ==,
                       expected->answers_known);
    }
  /* Folded for the search: accents gone, ASCII lowered. */
  {
    g_autofree char *folded = ks_report_dup_search_text (g_ptr_array_index (page->reports, 1));

    g_assert_nonnull (strstr (folded, "cafe \"sign\""));
  }
  /* The answers, as the app shows them. */
  {
    const char *const first[] = { "depth", "deep", "size_cm", "40", NULL };
    const char *const odd[] = { "kind", "bin, bag", "n", "-12", "e\xc3\xa9", "\"q\"", "d2", "w", NULL };

    g_assert_cmpstrv (((KsReport *) g_ptr_array_index (page->reports, 0))->answers, first);
    g_assert_cmpstrv (((KsReport *) g_ptr_array_index (page->reports, 2))->answers, odd);
    g_assert_null (((KsReport *) g_ptr_array_index (page->reports, 5))->answers);
    g_assert_true (((KsReport *) g_ptr_array_index (page->reports, 5))->answers_known);
  }
  g_assert_cmpstr (((KsReport *) g_ptr_array_index (page->reports, 3))->state, ==, "confirmed");
  g_assert_cmpstr (((KsReport *) g_ptr_array_index (page->reports, 3))->title, ==, "second");
}

/* The next page's position from an answer's last bytes: only the server's own
 * ending with more to come gives it; every other ending says "read the page". */
static void
test_peek_next (void)
{
  static const struct {
    const char *text;
    gboolean    known;
    gint64      seq;
  } cases[] = {
    { "{\"reports\":[],\"tombstones\":[],\"seq\":4711,\"more\":true}", TRUE, 4711 },
    { "{\"reports\":[],\"remaining\":3,\"seq\":0,\"more\":true}\n", TRUE, 0 },
    { "{\"seq\":123456789012345678,\"more\":true}", TRUE, 123456789012345678 },
    { "{\"reports\":[],\"seq\":12,\"more\":false}", FALSE, 0 },
    { "{\"reports\":[],\"more\":true,\"seq\":12}", FALSE, 0 },
    { "{\"reports\":[],\"seq\":\"12\",\"more\":true}", FALSE, 0 },
    { "{\"reports\":[],\"seq\":-12,\"more\":true}", FALSE, 0 },
    { "{\"reports\":[],\"seq\":,\"more\":true}", FALSE, 0 },
    { "{\"reports\":[],\"next_seq\":12,\"more\":true}", FALSE, 0 },
    { "{\"reports\":[],\"seq\":1234567890123456789,\"more\":true}", FALSE, 0 },
    { "\"seq\":12,\"more\":true}", FALSE, 0 },
    { "{\"reports\":[],\"seq\":12,\"more\":true}}", FALSE, 0 },
    { ",\"more\":true}", FALSE, 0 },
    { "", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].text, strlen (cases[i].text));
      gint64 seq = -1;

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (ks_sync_page_peek_next (bytes, &seq), ==, cases[i].known);
      if (cases[i].known)
        g_assert_cmpint (seq, ==, cases[i].seq);
      else
        g_assert_cmpint (seq, ==, -1);
    }
}

/* A lone surrogate becomes U+FFFD (json-glib makes invalid UTF-8 of it). */
static void
test_lone_surrogate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsSyncPage) page = parse ("{\"reports\":[{\"id\":1,\"title\":\"\\udc00 a \\ud800\"}]}", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (((KsReport *) g_ptr_array_index (page->reports, 0))->title, ==, "\xef\xbf\xbd a \xef\xbf\xbd");
}

/* Numbers beyond 64 bits where integers are expected read as 0 (converting them
 * would be undefined behaviour), and the page still reads. */
static void
test_huge_numbers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsSyncPage) page = parse ("{\"reports\":[{\"id\":3,\"version\":1e30,"
                                      "\"created\":-4.04e49,\"seq\":1e999,\"priority_id\":{\"id\":2e19}}],"
                                      "\"tombstones\":[1e300],\"seq\":9e18,\"remaining\":1e999}", &error);
  KsReport *r;

  g_assert_no_error (error);
  r = g_ptr_array_index (page->reports, 0);
  g_assert_cmpint (r->id, ==, 3);
  g_assert_cmpint (r->version, ==, 0);
  g_assert_cmpint (r->created, ==, 0);
  g_assert_cmpint (r->seq, ==, 0);
  g_assert_cmpint (r->priority_id, ==, 0);
  g_assert_cmpint (page->seq, ==, 9000000000000000000);
  g_assert_cmpint (page->remaining, ==, 0);
}

static void
test_page_members (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsSyncPage) page = NULL;
  g_autoptr(KsSyncPage) empty = NULL;
  g_autoptr(KsSyncPage) cursor = NULL;
  gint64 want[] = { 5, 6, 7 };

  page = parse ("  {\"tombstones\":[5,{\"id\":6,\"seq\":90},{\"report_id\":7},\"x\",-1,{\"id\":null}],"
                "\"reports\":[{\"id\":1,\"seq\":12}],\"remaining\":1234,\"seq\":50,\"more\":true}\n",
                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->tombstones->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpint (g_array_index (page->tombstones, gint64, i), ==, want[i]);
  g_assert_cmpint (page->seq, ==, 90);
  g_assert_true (page->more);
  g_assert_cmpint (page->remaining, ==, 1234);
  g_assert_null (page->next_cursor);

  empty = parse ("{}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->reports->len, ==, 0);
  g_assert_false (empty->more);

  cursor = parse ("{\"reports\":[],\"next_since\":8,\"next_cursor\":\"abc\\n\",\"total\":9}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cursor->seq, ==, 8);
  g_assert_cmpstr (cursor->next_cursor, ==, "abc\n");
  g_assert_true (cursor->more);
  g_assert_cmpint (cursor->total, ==, 9);
}

static void
test_malformed (void)
{
  g_autofree char *deep = NULL;
  const char *bad[] = {
    "",
    "[]",
    "{\"reports\":[{\"id\":1}]",
    "{\"reports\":[{\"id\":1}]} x",
    "{\"reports\":[{\"id\":1,}]}",
    "{\"reports\":[{\"id\":1 \"seq\":2}]}",
    "{\"reports\":[{\"id\":01}]}",
    "{\"reports\":[{\"id\":1.}]}",
    "{\"reports\":[{\"id\":-}]}",
    "{\"reports\":[{\"title\":\"a\\qb\"}]}",
    "{\"reports\":[{\"title\":\"a\\u12\"}]}",
    "{\"reports\":[{\"title\":\"tab\there\"}]}",
    "{\"reports\":[{\"title\":\"bad \xc3\x28 utf8\"}]}",
    "{\"reports\":[{\"title\":\"overlong \xc0\xaf\"}]}",
    "{\"reports\":[{\"title\":\"unterminated}]}",
    "{\"reports\":[{\"has_photo\":tru}]}",
    "{\"reports\":[{\"x\":nul}]}",
    "{\"reports\":[1 2]}",
    "{\"seq\":1,}",
    "{'seq':1}",
    NULL,
  };
  GString *nest = g_string_new ("{\"reports\":[{\"id\":1,\"x\":");

  for (guint i = 0; i < 100; i++)
    g_string_append_c (nest, '[');
  for (guint i = 0; i < 100; i++)
    g_string_append_c (nest, ']');
  g_string_append (nest, "}]}");
  deep = g_string_free (nest, FALSE);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KsSyncPage) page = parse (bad[i], &error);
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("%s", shown);
      g_assert_null (page);
      g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "Update the app"));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KsSyncPage) page = parse (deep, &error);
    g_assert_null (page);
    g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  }
}

/* An integer an SQL query gives on the file at path. */
static gint64
int_on (const char *path,
        const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

static JsonObject *
object_of (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The first cache of a process turns SQLite's count of its memory off (it
 * locks at every allocation): after writes, nothing has been counted. Run
 * first, before anything else in this process starts SQLite. */
static void
test_cache_memory_not_counted (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ks-cache-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "counted.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = ks_cache_open_path (path, &error);
  g_autoptr(KsReport) r = ks_report_new_empty (7);

  g_assert_no_error (error);
  ks_report_set_title_take (r, g_strdup ("Lamp out"));
  g_assert_true (ks_cache_put_report_text (cache, r, "{\"id\":7}", 8, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM reports"), ==, 1);
  g_assert_cmpint (sqlite3_memory_used (), ==, 0);
  g_assert_cmpint (sqlite3_memory_highwater (FALSE), ==, 0);
  g_assert_true (ks_cache_wipe (cache, &error));
  g_rmdir (dir);
}

/* A cache file in the first layout (reports keyed by id) is moved to the current
 * one on open, rows and all. */
static void
test_cache_upgrade (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ks-cache-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(KsSyncPage) page = NULL;
  sqlite3 *db = NULL;
  KsReport *r;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '',"
    " category TEXT NOT NULL DEFAULT '', category_id INTEGER NOT NULL DEFAULT 0,"
    " grp TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '',"
    " priority_id INTEGER NOT NULL DEFAULT 0, lat REAL NOT NULL DEFAULT 0,"
    " lon REAL NOT NULL DEFAULT 0, ward TEXT NOT NULL DEFAULT '',"
    " created INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 0, acknowledged INTEGER NOT NULL DEFAULT 0,"
    " shortlist_user INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '',"
    " has_photo INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,"
    " json TEXT NOT NULL DEFAULT '{}');"
    "INSERT INTO reports (id, title, state, seq, json) VALUES"
    " (9, 'Old report', 'fixed', 3, '{\"id\":9,\"title\":\"Old report\",\"state\":\"fixed\",\"address\":\"Here\"}'),"
    " (4, 'Older report', 'confirmed', 2, '{\"id\":4}');",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  cache = ks_cache_open_path (path, &error);
  g_assert_no_error (error);
  loaded = ks_cache_load_reports (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  r = g_ptr_array_index (loaded, 1);
  g_assert_cmpint (r->id, ==, 9);
  g_assert_cmpstr (r->title, ==, "Old report");
  /* Ready for the first search: ASCII text is searched in place. */
  g_assert_true (r->search != NULL || r->search_plain);

  /* A sync page over it: new reports stored as sent; a stored one keeps the
   * members the page lacks. */
  page = parse ("{\"reports\":[{\"id\":9,\"title\":\"New title\",\"state\":\"closed\",\"seq\":5},"
                "{\"id\":11,\"title\":\"Brand new\",\"seq\":6}],\"seq\":6}", &error);
  g_assert_no_error (error);
  g_assert_true (ks_cache_begin (cache, &error));
  for (guint i = 0; i < page->reports->len; i++)
    {
      gsize len = 0;
      const char *text = ks_sync_page_get_text (page, i, &len);
      g_assert_true (ks_cache_put_report_text (cache, g_ptr_array_index (page->reports, i), text, len,
                                               TRUE, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ks_cache_commit (cache, &error));
  g_assert_cmpint (ks_cache_count_reports (cache), ==, 3);
  json = ks_cache_get_report_json (cache, 9);
  g_assert_cmpstr (json_object_get_string_member (json, "title"), ==, "New title");
  g_assert_cmpstr (json_object_get_string_member (json, "address"), ==, "Here");
  g_clear_pointer (&json, json_object_unref);
  json = ks_cache_get_report_json (cache, 11);
  g_assert_cmpstr (json_object_get_string_member (json, "title"), ==, "Brand new");
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = ks_cache_load_reports (cache, &error);
  g_assert_cmpuint (loaded->len, ==, 3);
  /* Report 9's earlier row took its JSON with it. */
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json"), ==, 3);
  g_clear_object (&cache);

  /* Opening again changes nothing. */
  cache = ks_cache_open_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ks_cache_count_reports (cache), ==, 3);
  g_assert_true (ks_cache_wipe (cache, &error));
  g_rmdir (dir);
}

/* A cache that kept each report's JSON in its row (version 4): opened, the
 * JSON is in its own table, every report's still there, the position the
 * sync reached kept. A report written again, or deleted, leaves no JSON
 * behind; its row and its JSON are written together or not at all. */
static void
test_cache_json_apart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ks-cache-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "v4.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = ks_cache_open_path (path, &error);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(JsonObject) json = NULL;
  const char *texts[] = {
    "{\"id\":9,\"title\":\"Lamp out\",\"state\":\"confirmed\",\"seq\":3,\"address\":\"Here\","
    "\"attributes\":[{\"code\":\"depth\",\"value\":\"deep\"}]}",
    "{\"id\":4,\"title\":\"Pothole\",\"state\":\"fixed\",\"seq\":2}",
    "{\"id\":12,\"title\":\"Bins\",\"state\":\"confirmed\",\"seq\":4}",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonObject) o = object_of (texts[i]);
      g_assert_true (ks_cache_put_report (cache, o, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ks_cache_set_int (cache, "seq", 4, &error));
  g_clear_object (&cache);
  ks_test_cache_json_in_rows (path);
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM pragma_table_info('reports') WHERE name = 'json'"), ==, 1);

  cache = ks_cache_open_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (int_on (path, "PRAGMA user_version"), ==, 5);
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM pragma_table_info('reports') WHERE name = 'json'"), ==, 0);
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json"), ==, 3);
  g_assert_cmpint (ks_cache_get_int (cache, "seq", -1), ==, 4);
  json = ks_cache_get_report_json (cache, 9);
  g_assert_nonnull (json);
  g_assert_cmpstr (json_object_get_string_member (json, "address"), ==, "Here");
  g_clear_pointer (&json, json_object_unref);
  loaded = ks_cache_load_reports (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 3);
  g_assert_cmpstr (ks_report_get_answer (g_ptr_array_index (loaded, 0), "depth"), ==, "deep");

  /* Written again (a new row under a new slot): the old JSON goes with the old row. */
  {
    g_autoptr(JsonObject) o = object_of ("{\"id\":9,\"title\":\"Lamp fixed\",\"state\":\"fixed\",\"seq\":5}");
    g_assert_true (ks_cache_put_report (cache, o, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json"), ==, 3);
  json = ks_cache_get_report_json (cache, 9);
  g_assert_cmpstr (json_object_get_string_member (json, "title"), ==, "Lamp fixed");
  g_assert_cmpstr (json_object_get_string_member (json, "address"), ==, "Here");
  g_clear_pointer (&json, json_object_unref);
  /* Deleted: its JSON too. */
  g_assert_true (ks_cache_delete_report (cache, 4, &error));
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json"), ==, 2);
  g_assert_null (ks_cache_get_report_json (cache, 4));
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json AS j "
                                 "JOIN reports AS r ON r.slot = j.slot"), ==, 2);

  /* A JSON that cannot be written (the table refuses it): the row, written
   * first, is not kept either. */
  ks_test_sql_on (path, "ALTER TABLE report_json RENAME TO kept;"
                  "CREATE TABLE report_json (slot INTEGER PRIMARY KEY, json TEXT CHECK (length (json) < 5))");
  {
    g_autoptr(JsonObject) o = object_of ("{\"id\":30,\"title\":\"New\",\"seq\":6}");
    g_autoptr(KsCache) again = ks_cache_open_path (path, &error);
    g_assert_no_error (error);
    g_assert_false (ks_cache_put_report (again, o, &error));
    g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
    g_clear_error (&error);
  }
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM reports WHERE id = 30"), ==, 0);
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM reports"), ==, 2);
  g_clear_object (&cache);
  ks_test_sql_on (path, "DROP TABLE report_json; ALTER TABLE kept RENAME TO report_json");
  cache = ks_cache_open_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (ks_cache_clear_reports (cache, &error));
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json"), ==, 0);
  g_assert_true (ks_cache_wipe (cache, &error));
  g_rmdir (dir);
}

/* A sync page fetched before an action's answer was stored arrives after it:
 * the older copy (lower seq) changes neither the cache nor the model. */
static void
test_older_copy_ignored (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ks-cache-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = NULL;
  g_autoptr(KsSyncPage) newer = NULL, older = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReport) held = NULL;
  gsize len = 0;
  const char *text;

  cache = ks_cache_open_path (path, &error);
  g_assert_no_error (error);
  newer = parse ("{\"reports\":[{\"id\":7,\"title\":\"Lamp out\",\"state\":\"fixed\","
                 "\"shortlist_user\":3,\"seq\":10}],\"seq\":10}", &error);
  older = parse ("{\"reports\":[{\"id\":7,\"title\":\"Lamp out\",\"state\":\"confirmed\","
                 "\"shortlist_user\":9,\"seq\":8}],\"seq\":8}", &error);
  g_assert_no_error (error);

  text = ks_sync_page_get_text (newer, 0, &len);
  g_assert_true (ks_cache_put_report_text (cache, g_ptr_array_index (newer->reports, 0), text, len,
                                           TRUE, &error));
  text = ks_sync_page_get_text (older, 0, &len);
  g_assert_true (ks_cache_put_report_text (cache, g_ptr_array_index (older->reports, 0), text, len,
                                           TRUE, &error));
  g_assert_no_error (error);
  json = ks_cache_get_report_json (cache, 7);
  g_assert_cmpstr (json_object_get_string_member (json, "state"), ==, "fixed");
  g_assert_cmpint (json_object_get_int_member (json, "shortlist_user"), ==, 3);

  /* An action's answer (ks_cache_put_report) older than the cache: kept out too;
   * a newer one goes in. */
  answer = json_object_new ();
  json_object_set_int_member (answer, "id", 7);
  json_object_set_string_member (answer, "state", "investigating");
  json_object_set_int_member (answer, "seq", 9);
  g_assert_true (ks_cache_put_report (cache, answer, &error));
  g_clear_pointer (&json, json_object_unref);
  json = ks_cache_get_report_json (cache, 7);
  g_assert_cmpstr (json_object_get_string_member (json, "state"), ==, "fixed");
  json_object_set_int_member (answer, "seq", 11);
  g_assert_true (ks_cache_put_report (cache, answer, &error));
  g_clear_pointer (&json, json_object_unref);
  json = ks_cache_get_report_json (cache, 7);
  g_assert_cmpstr (json_object_get_string_member (json, "state"), ==, "investigating");

  /* The model the list and the map show. */
  ks_report_store_upsert (store, newer->reports);
  ks_report_store_upsert (store, older->reports);
  held = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (held->state, ==, "fixed");
  g_assert_cmpint (held->shortlist_user, ==, 3);

  g_assert_true (ks_cache_wipe (cache, &error));
  g_rmdir (dir);
}

/* A large cache: every report comes back once, whole, in the order of the
 * rows' slots (arrival), with the rows of reports written again (moved to the
 * end) and deleted ones (gaps) among them. */
static void
test_cache_large_load (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ks-cache-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GArray) slots_order = g_array_new (FALSE, FALSE, sizeof (gint64));
  static const char *const wards[] = { "Osney & St Thomas", "Jericho", "Summertown", "Cowley" };
  static const char *const states[] = { "confirmed", "investigating", "fixed", "closed" };
  const guint n = 30000;
  sqlite3 *db;
  sqlite3_stmt *s;

  cache = ks_cache_open_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (ks_cache_begin (cache, &error));
  for (guint i = 0; i < n; i++)
    {
      KsReport *r = ks_report_new_empty (1000 + i);
      g_autofree char *json = g_strdup_printf ("{\"id\":%u}", 1000 + i);

      ks_report_set_title_take (r, g_strdup_printf ("Report %u%s", i, i % 7 == 0 ? " caf\xc3\xa9" : ""));
      ks_report_set_detail_take (r, g_strdup_printf ("Detail of %u", i));
      r->category = g_intern_string (i % 3 ? "Potholes" : "Street lights");
      r->category_id = 1 + i % 3;
      r->state = g_intern_string (states[i % G_N_ELEMENTS (states)]);
      r->ward = g_intern_string (wards[i % G_N_ELEMENTS (wards)]);
      r->priority_id = i % 5;
      r->lat = 51.7 + i * 1e-6;
      r->lon = -1.2 - i * 1e-6;
      r->created = 1700000000 + i;
      r->updated = 1700000000 + 2 * i;
      r->seq = i + 1;
      g_assert_true (ks_cache_put_report_text (cache, r, json, strlen (json), FALSE, &error));
      g_assert_no_error (error);
      g_ptr_array_add (written, r);
    }
  /* Some rows rewritten (a report changed by a later sync) and some deleted. */
  for (guint i = 0; i < n; i += 97)
    {
      KsReport *r = g_ptr_array_index (written, i);
      g_autofree char *json = NULL;

      r->seq = n + i + 1;
      json = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"seq\":%" G_GINT64_FORMAT "}",
                              r->id, r->seq);
      g_assert_true (ks_cache_put_report_text (cache, r, json, strlen (json), FALSE, &error));
      g_assert_no_error (error);
    }
  for (guint i = 5; i < n; i += 101)
    {
      KsReport *r = g_ptr_array_index (written, i);

      g_assert_true (ks_cache_delete_report (cache, r->id, &error));
      r->id = -r->id;   /* gone: left out of by_id */
    }
  g_assert_true (ks_cache_commit (cache, &error));
  for (guint i = 0; i < written->len; i++)
    {
      KsReport *r = g_ptr_array_index (written, i);

      if (r->id > 0)
        g_hash_table_insert (by_id, &r->id, r);
    }

  /* Each row has its JSON, the rewritten ones their second copy, and no JSON
   * is left without its row. */
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json"), ==, g_hash_table_size (by_id));
  g_assert_cmpint (int_on (path, "SELECT count(*) FROM report_json j"
                                 " WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.slot = j.slot)"), ==, 0);
  {
    g_autoptr(JsonObject) rewritten = ks_cache_get_report_json (cache, 1000 + 97);

    g_assert_nonnull (rewritten);
    g_assert_cmpint (json_object_get_int_member (rewritten, "seq"), ==, n + 97 + 1);
  }

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM reports ORDER BY slot", -1, &s, NULL), ==, SQLITE_OK);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      g_array_append_val (slots_order, id);
    }
  sqlite3_finalize (s);
  sqlite3_close (db);

  loaded = ks_cache_load_reports (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, g_hash_table_size (by_id));
  g_assert_cmpuint (loaded->len, ==, slots_order->len);
  for (guint i = 0; i < loaded->len; i++)
    {
      KsReport *r = g_ptr_array_index (loaded, i);
      KsReport *w = g_hash_table_lookup (by_id, &r->id);

      g_assert_cmpint (r->id, ==, g_array_index (slots_order, gint64, i));
      g_assert_nonnull (w);
      assert_same_report (r, w);
      g_assert_true (r->ward == g_intern_string (w->ward));
      g_assert_true (r->state == g_intern_string (w->state));
      g_assert_true (r->search != NULL || r->search_plain);
    }

  g_clear_object (&cache);
  cache = ks_cache_open_path (path, &error);
  g_assert_true (ks_cache_wipe (cache, &error));
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/cache/memory-not-counted", test_cache_memory_not_counted);
  g_test_add_func ("/core/sync-page/reports", test_reports_as_json_glib_reads_them);
  g_test_add_func ("/core/sync-page/peek-next", test_peek_next);
  g_test_add_func ("/core/sync-page/lone-surrogate", test_lone_surrogate);
  g_test_add_func ("/core/sync-page/huge-numbers", test_huge_numbers);
  g_test_add_func ("/core/sync-page/members", test_page_members);
  g_test_add_func ("/core/sync-page/malformed", test_malformed);
  g_test_add_func ("/core/cache/upgrade", test_cache_upgrade);
  g_test_add_func ("/core/cache/json-apart", test_cache_json_apart);
  g_test_add_func ("/core/cache/older-copy", test_older_copy_ignored);
  g_test_add_func ("/core/cache/large-load", test_cache_large_load);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-lookup.c: the gazetteer (FTS5 prefix queries over the places'
 * folded words) and a caller's reports in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-report-rows.h"
#include "store/ks-store.h"

static gboolean
places_clear (KsStore *store, gint64 body_id, gint64 *out_removed, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "DELETE FROM places WHERE body_id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  if (out_removed)
    *out_removed = ks_sqlite_changes (store);
  return TRUE;
}

static gboolean
places_add (KsStore *store, gint64 body_id, const KsNewPlace *places, guint n, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO places (body_id, kind, name, context, key, compact, lat, lon) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const KsNewPlace *p = &places[i];

      sqlite3_bind_int64 (st, 1, body_id);
      ks_bind_text (st, 2, p->kind);
      ks_bind_text (st, 3, p->name);
      ks_bind_text (st, 4, p->context ? p->context : "");
      ks_bind_text (st, 5, p->key);
      ks_bind_text (st, 6, p->compact);
      sqlite3_bind_double (st, 7, p->lat);
      sqlite3_bind_double (st, 8, p->lon);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
      sqlite3_reset (st);
    }
  return TRUE;
}

static gboolean
places_count (KsStore *store, gint64 body_id, gint64 *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT count(*) FROM places WHERE body_id = ?", error);
  gboolean found = FALSE;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out = found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

/* "high st" -> "high"* AND "st"*: each word a quoted prefix (the words hold only
 * letters and digits, so nothing in them is FTS5 syntax). */
static char *
fts_match (const KsPlaceQuery *q)
{
  GString *m = g_string_new (NULL);

  for (guint i = 0; q->words[i] != NULL; i++)
    g_string_append_printf (m, "%s\"%s\"*", i > 0 ? " AND " : "", q->words[i]);
  return g_string_free (m, FALSE);
}

/* A council's places have consecutive ids (an import adds them all in one write,
 * and writes take turns), so the text index is searched over the council's id
 * range alone. */
static gboolean
places_search (KsStore *store, gint64 body_id, const KsPlaceQuery *q, guint limit,
               KsPlaceFunc func, gpointer user_data, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT p.id, p.kind, p.name, p.context, p.lat, p.lon, "
    "  CASE WHEN p.key = ?2 OR p.compact = ?3 THEN 0 "
    "       WHEN substr (p.key, 1, length (?2)) = ?2 "
    "         OR substr (p.compact, 1, length (?3)) = ?3 THEN 1 ELSE 2 END AS rank "
    "FROM places p "
    "WHERE p.id IN (SELECT rowid FROM places_fts WHERE places_fts MATCH ?1 "
    "                 AND rowid BETWEEN (SELECT min (id) FROM places WHERE body_id = ?4) "
    "                               AND (SELECT max (id) FROM places WHERE body_id = ?4) "
    "               LIMIT " G_STRINGIFY (KS_PLACES_MAX_CANDIDATES) ") AND p.body_id = ?4 "
    "ORDER BY rank, length (p.name), p.name, p.id LIMIT ?5", error);
  g_autofree char *match = NULL;
  int rc;

  if (st == NULL)
    return FALSE;
  match = fts_match (q);
  ks_bind_text (st, 1, match);
  ks_bind_text (st, 2, q->key);
  ks_bind_text (st, 3, q->compact);
  sqlite3_bind_int64 (st, 4, body_id);
  sqlite3_bind_int64 (st, 5, limit);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPlaceRow row = {
        .id = ks_col_int (st, 0),
        .kind = ks_col_text (st, 1),
        .name = ks_col_text (st, 2),
        .context = ks_col_text (st, 3),
        .lat = ks_col_double (st, 4),
        .lon = ks_col_double (st, 5),
        .rank = (int) ks_col_int (st, 6),
      };
      func (&row, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* The last 10 digits of a phone number as written (spaces, dashes, dots,
 * brackets and a plus dropped), as the index of data/sql/0041 has them. */
#define PHONE_DIGITS(col) \
  "substr (replace (replace (replace (replace (replace (replace (" col \
  ", ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), '.', ''), -10)"

#define CALLER_SELECT \
  "SELECT " KS_SQLITE_LIST_COLUMNS ", r.address, r.reporter_name, r.reporter_email, " \
  "  r.reporter_phone FROM reports r" KS_SQLITE_LIST_FROM " WHERE r.body_id = ?1 AND "
#define CALLER_ORDER " AND (?3 = 0 OR r.id < ?3) ORDER BY r.id DESC LIMIT ?4"

static gboolean
caller_reports (KsStore *store, gint64 body_id, KsCallerField by, const char *term,
                gint64 before_id, guint limit, KsReportRowFunc func, gpointer user_data,
                GError **error)
{
  static const char * const sql[] = {
    [KS_CALLER_EMAIL] = CALLER_SELECT "r.reporter_email = ?2 COLLATE NOCASE" CALLER_ORDER,
    [KS_CALLER_PHONE] = CALLER_SELECT "r.reporter_phone IS NOT NULL AND "
                        PHONE_DIGITS ("r.reporter_phone") " = ?2" CALLER_ORDER,
    [KS_CALLER_NAME] = CALLER_SELECT "instr (lower (r.reporter_name), ?2) > 0" CALLER_ORDER,
    [KS_CALLER_REFERENCE] = CALLER_SELECT "r.external_id = ?2" CALLER_ORDER,
  };
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql[by], error);
  guint n = 0;
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, term);
  sqlite3_bind_int64 (st, 3, before_id);
  sqlite3_bind_int64 (st, 4, limit);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsReportRow r;

      ks_sqlite_report_row_list (&r, st);
      r.body_id = body_id;
      r.address = ks_col_text (st, KS_SQLITE_N_LIST_COLUMNS);
      r.reporter_name = ks_col_text (st, KS_SQLITE_N_LIST_COLUMNS + 1);
      r.reporter_email = ks_col_text (st, KS_SQLITE_N_LIST_COLUMNS + 2);
      r.reporter_phone = ks_col_text (st, KS_SQLITE_N_LIST_COLUMNS + 3);
      func (&r, n++, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

void
ks_sqlite_store_lookup_init (KsStoreLookupVTable *vtable)
{
  vtable->places_clear = places_clear;
  vtable->places_add = places_add;
  vtable->places_count = places_count;
  vtable->places_search = places_search;
  vtable->caller_reports = caller_reports;
}

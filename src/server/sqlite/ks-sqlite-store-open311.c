/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-open311.c: Open311 services, public reports and updates,
 * reports and updates from Open311 clients, and API keys in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

/* Reports Open311 may show: not unconfirmed or hidden, not in a private category. */
#define PUBLIC_REPORT "r.state NOT IN ('unconfirmed', 'hidden') AND c.private = 0"
/* Updates that belong to a report's public timeline (not hidden by a moderator). */
#define PUBLIC_UPDATE(u) \
  u ".public = 1 AND " u ".hidden = 0 AND (" u ".kind IN ('update', 'state', 'request_info') OR " \
  "(" u ".kind = 'acknowledge' AND " u ".text <> ''))"

static char *
col_dup (sqlite3_stmt *st, int i)
{
  return g_strdup (ks_col_text (st, i));
}

#define BODY_COLUMNS \
  "SELECT id, slug, name, email, min_lat, min_lon, max_lat, max_lon FROM bodies "

static gboolean
find_body (KsStore *store, const char *slug, gboolean *found, KsOpen311Body *out,
           GError **error)
{
  g_autoptr(KsStmt) st = NULL;

  if (slug != NULL)
    {
      st = ks_sqlite_stmt (store, BODY_COLUMNS "WHERE slug = ?", error);
      if (st != NULL)
        ks_bind_text (st, 1, slug);
    }
  else
    st = ks_sqlite_stmt (store, BODY_COLUMNS "ORDER BY id LIMIT 1", error);
  if (st == NULL || !ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    {
      out->id = ks_col_int (st, 0);
      out->slug = col_dup (st, 1);
      out->name = col_dup (st, 2);
      out->email = col_dup (st, 3);
      out->has_area = !ks_col_null (st, 4) && !ks_col_null (st, 5) &&
                      !ks_col_null (st, 6) && !ks_col_null (st, 7);
      out->min_lat = ks_col_double (st, 4);
      out->min_lon = ks_col_double (st, 5);
      out->max_lat = ks_col_double (st, 6);
      out->max_lon = ks_col_double (st, 7);
    }
  return TRUE;
}

#define SERVICE_COLUMNS \
  "SELECT id, code, name, group_name, description, extra, active, private FROM categories "

static void
load_service (sqlite3_stmt *st, gpointer data)
{
  KsOpen311Service *out = data;

  out->id = ks_col_int (st, 0);
  out->code = col_dup (st, 1);
  out->name = col_dup (st, 2);
  out->group_name = col_dup (st, 3);
  out->description = col_dup (st, 4);
  out->extra = col_dup (st, 5);
  out->active = ks_col_int (st, 6) != 0;
  out->is_private = ks_col_int (st, 7) != 0;
}

static gboolean
list_services (KsStore *store, gint64 body_id, GPtrArray **out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    SERVICE_COLUMNS "WHERE body_id = ? ORDER BY name, id", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  return ks_sqlite_collect_ptrs (st, sizeof (KsOpen311Service), load_service,
                                 (GDestroyNotify) ks_open311_service_free, out, error);
}

static gboolean
get_service (KsStore *store, gint64 body_id, const char *code, gboolean *found,
             KsOpen311Service *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    SERVICE_COLUMNS "WHERE body_id = ? AND code = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, code);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    load_service (st, out);
  return TRUE;
}

/* Appends "?, ?, ?" for n placeholders. */
static void
append_placeholders (GString *sql, guint n)
{
  for (guint i = 0; i < n; i++)
    g_string_append (sql, i ? ", ?" : "?");
}

static gboolean
foreach_request (KsStore *store, const KsOpen311Query *q, KsOpen311RequestFunc func,
                 gpointer user_data, GError **error)
{
  g_autoptr(GString) sql = g_string_new (
    "SELECT r.id, r.state, c.name, c.code, r.title, r.detail, r.created, r.updated, "
    "       r.address, r.lat, r.lon, r.photo, "
    "       (SELECT u.text FROM updates u WHERE u.report_id = r.id AND " PUBLIC_UPDATE ("u")
    "          AND u.text <> '' ORDER BY u.created DESC, u.id DESC LIMIT 1), "
    "       (SELECT json_group_array (m.url) FROM "
    "          (SELECT 0 AS k, position, url FROM open311_media "
    "             WHERE report_id = r.id AND update_id IS NULL AND r.photo IS NOT NULL "
    "           UNION ALL "
    "           SELECT 1, position, ref FROM photos WHERE report_id = r.id AND update_id IS NULL "
    "           ORDER BY 1, 2) m) "
    /* CROSS JOIN keeps the reports outermost, read in order from reports_body_created. */
    "FROM reports r CROSS JOIN categories c ON c.id = r.category_id "
    "WHERE ");
  g_autoptr(GPtrArray) states = NULL;
  sqlite3_stmt *st;
  int rc, n = 1;

  /* Asked by id, the ids lead (the "+" keeps the council's index out of it). */
  g_string_append (sql, q->n_ids > 0 ? "+r.body_id = ? AND " PUBLIC_REPORT
                                     : "r.body_id = ? AND " PUBLIC_REPORT);
  if (q->n_ids > 0)
    {
      g_string_append (sql, " AND r.id IN (");
      append_placeholders (sql, q->n_ids);
      g_string_append_c (sql, ')');
    }
  if (q->n_codes > 0)
    {
      g_string_append (sql, " AND c.code IN (");
      append_placeholders (sql, q->n_codes);
      g_string_append_c (sql, ')');
    }
  if (q->start != 0)
    g_string_append (sql, " AND r.created >= ?");
  if (q->end != 0)
    g_string_append (sql, " AND r.created <= ?");
  if (q->status != KS_OPEN311_STATUS_ANY)
    {
      /* "+" keeps the planner on the created index, which gives the order. */
      states = ks_open311_status_states (q->status);
      g_string_append (sql, " AND +r.state IN (");
      append_placeholders (sql, states->len);
      g_string_append_c (sql, ')');
    }
  g_string_append (sql, " ORDER BY r.created DESC, r.id DESC LIMIT ? OFFSET ?");

  st = ks_sqlite_prepare (store, sql->str, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, n++, q->body_id);
  for (guint i = 0; i < q->n_ids; i++)
    sqlite3_bind_int64 (st, n++, q->ids[i]);
  for (guint i = 0; i < q->n_codes; i++)
    ks_bind_text (st, n++, q->codes[i]);
  if (q->start != 0)
    sqlite3_bind_int64 (st, n++, q->start);
  if (q->end != 0)
    sqlite3_bind_int64 (st, n++, q->end);
  for (guint i = 0; states != NULL && i < states->len; i++)
    ks_bind_text (st, n++, g_ptr_array_index (states, i));
  sqlite3_bind_int64 (st, n++, q->limit);
  sqlite3_bind_int64 (st, n++, q->offset);

  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsOpen311Request row = {
        .id = ks_col_int (st, 0),
        .state = ks_col_text (st, 1),
        .service_name = ks_col_text (st, 2),
        .service_code = ks_col_text (st, 3),
        .title = ks_col_text (st, 4),
        .detail = ks_col_text (st, 5),
        .created = ks_col_int (st, 6),
        .updated = ks_col_int (st, 7),
        .address = ks_col_text (st, 8),
        .lat = ks_col_double (st, 9),
        .lon = ks_col_double (st, 10),
        .media_url = ks_col_text (st, 11),
        .status_notes = ks_col_text (st, 12),
        .media_urls = ks_col_text (st, 13),
      };
      if (!func (&row, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (st, error);
      sqlite3_finalize (st);
      return FALSE;
    }
  sqlite3_finalize (st);
  return TRUE;
}

static gboolean
foreach_update (KsStore *store, gint64 body_id, gint64 start, gint64 end, guint limit,
                KsOpen311UpdateFunc func, gpointer user_data, GError **error)
{
  /* An update that did not change the state shows the state it was made in: the
   * one set by the latest update before it that set one. */
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT u.id, u.report_id, "
    "       coalesce (u.state, (SELECT p.state FROM updates p WHERE p.report_id = u.report_id "
    "                             AND p.state IS NOT NULL AND p.created <= u.created AND p.id < u.id "
    "                           ORDER BY p.created DESC, p.id DESC LIMIT 1), 'confirmed'), "
    "       u.created, u.text, u.photo, u.external_status_code "
    /* CROSS JOIN: walk the time window of updates_created first; a council holds
     * nearly every report, so starting from the reports would read them all. */
    "FROM updates u CROSS JOIN reports r ON r.id = u.report_id "
    "  JOIN categories c ON c.id = r.category_id "
    "WHERE u.created >= ? AND u.created <= ? AND " PUBLIC_UPDATE ("u") " AND r.body_id = ? AND "
    PUBLIC_REPORT " ORDER BY u.created, u.id LIMIT ?", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, start);
  sqlite3_bind_int64 (st, 2, end);
  sqlite3_bind_int64 (st, 3, body_id);
  /* 0: no limit (SQLite's LIMIT -1); the rows are stepped through, never held. */
  sqlite3_bind_int64 (st, 4, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsOpen311Update row = {
        .id = ks_col_int (st, 0),
        .report_id = ks_col_int (st, 1),
        .state = ks_col_text (st, 2),
        .created = ks_col_int (st, 3),
        .text = ks_col_text (st, 4),
        .media_url = ks_col_text (st, 5),
        .external_status_code = ks_col_text (st, ks_col_null (st, 6) ? 2 : 6),
      };
      if (!func (&row, user_data))
        return TRUE;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
get_report_info (KsStore *store, gint64 report_id, gboolean *found,
                 KsOpen311ReportInfo *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.id, r.body_id, r.state, r.created, c.private, "
    "       coalesce ((SELECT max (u.created) FROM updates u "
    "                  WHERE u.report_id = r.id AND u.state IS NOT NULL), 0) "
    "FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    {
      out->id = ks_col_int (st, 0);
      out->body_id = ks_col_int (st, 1);
      out->state = col_dup (st, 2);
      out->created = ks_col_int (st, 3);
      out->is_public = ks_state_is_public (out->state) && ks_col_int (st, 4) == 0;
      out->state_changed = ks_col_int (st, 5);
    }
  return TRUE;
}

/* The ward of the nearest report of the council within about a kilometre. */
static gboolean
nearest_ward (KsStore *store, gint64 body_id, double lat, double lon, char **out,
              GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.ward FROM reports_rtree t JOIN reports r ON r.id = t.id "
    "WHERE t.min_lat >= ?1 - 0.01 AND t.max_lat <= ?1 + 0.01 "
    "  AND t.min_lon >= ?2 - 0.015 AND t.max_lon <= ?2 + 0.015 "
    "  AND r.body_id = ?3 AND r.ward <> '' "
    "ORDER BY (t.min_lat - ?1) * (t.min_lat - ?1) + (t.min_lon - ?2) * (t.min_lon - ?2) "
    "LIMIT 1", error);
  gboolean found;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_double (st, 1, lat);
  sqlite3_bind_double (st, 2, lon);
  sqlite3_bind_int64 (st, 3, body_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out = g_strdup (found ? ks_col_text (st, 0) : "");
  return TRUE;
}

/* Every media URL sent with a report (update_id 0) or one of its updates. */
static gboolean
add_media (KsStore *store, gint64 report_id, gint64 update_id, const char * const *urls,
           guint n, GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "INSERT INTO open311_media (report_id, update_id, position, url) VALUES (?, ?, ?, ?)",
        error);
      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, report_id);
      if (update_id != 0)
        sqlite3_bind_int64 (st, 2, update_id);
      else
        sqlite3_bind_null (st, 2);
      sqlite3_bind_int (st, 3, (int) i);
      ks_bind_text (st, 4, urls[i]);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

/* A photo removed by moderation (the report's or update's photo cleared) takes
 * the URLs sent with it out of the list; the rows stay, as the moderation
 * history keeps the photo. */
static gboolean
foreach_media (KsStore *store, gint64 report_id, KsOpen311MediaFunc func, gpointer user_data,
               GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT coalesce (m.update_id, 0), m.position, m.url FROM open311_media m "
    "  JOIN reports r ON r.id = m.report_id LEFT JOIN updates u ON u.id = m.update_id "
    "WHERE m.report_id = ? AND coalesce (u.photo, r.photo) IS NOT NULL "
    "ORDER BY coalesce (m.update_id, 0), m.position", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsOpen311Media m = {
        .update_id = ks_col_int (st, 0),
        .position = (int) ks_col_int (st, 1),
        .url = ks_col_text (st, 2),
      };
      func (&m, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
create_request (KsStore *store, const KsOpen311NewRequest *r, gint64 *out_id,
                GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  g_autofree char *ward = NULL;
  gint64 now = ks_time_now ();
  gint64 seq, id;

  if (r->ward != NULL)
    ward = g_strdup (r->ward);
  else if (!nearest_ward (store, r->body_id, r->lat, r->lon, &ward, error))
    return FALSE;
  seq = ks_store_next_seq (store, error);
  if (seq < 0)
    return FALSE;

  st = ks_sqlite_stmt (store,
    "INSERT INTO reports (body_id, category_id, title, detail, lat, lon, ward, address, state, "
    "  reporter_name, reporter_email, reporter_phone, show_name, photo, source, "
    "  created, confirmed, updated, version, seq) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, 0, ?, 'open311', ?, ?, ?, 1, ?)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, r->body_id);
  sqlite3_bind_int64 (st, 2, r->category_id);
  ks_bind_text (st, 3, r->title);
  ks_bind_text (st, 4, r->detail ? r->detail : "");
  sqlite3_bind_double (st, 5, r->lat);
  sqlite3_bind_double (st, 6, r->lon);
  ks_bind_text (st, 7, ward);
  ks_bind_text (st, 8, r->address);
  ks_bind_text (st, 9, r->reporter_name);
  ks_bind_text (st, 10, r->reporter_email);
  ks_bind_text (st, 11, r->reporter_phone);
  ks_bind_text (st, 12, r->media_url);
  sqlite3_bind_int64 (st, 13, now);
  sqlite3_bind_int64 (st, 14, now);
  sqlite3_bind_int64 (st, 15, now);
  sqlite3_bind_int64 (st, 16, seq);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  id = ks_sqlite_last_insert_rowid (store);

  for (guint i = 0; i < r->n_attributes; i++)
    {
      g_autoptr(KsStmt) at = ks_sqlite_stmt (store,
        "INSERT INTO report_attributes (report_id, position, code, value) VALUES (?, ?, ?, ?)",
        error);
      if (at == NULL)
        return FALSE;
      sqlite3_bind_int64 (at, 1, id);
      sqlite3_bind_int (at, 2, (int) i);
      ks_bind_text (at, 3, r->attributes[2 * i]);
      ks_bind_text (at, 4, r->attributes[2 * i + 1]);
      if (!ks_sqlite_step_done (at, error))
        return FALSE;
    }
  if (!add_media (store, id, 0, r->media_urls, r->n_media_urls, error))
    return FALSE;
  *out_id = id;
  return TRUE;
}

static gboolean
find_client_update (KsStore *store, gint64 report_id, const char *external_id,
                    gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id FROM updates WHERE report_id = ? AND external_id = ? AND source = 'open311' "
    "ORDER BY id LIMIT 1", error);
  gboolean found;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  ks_bind_text (st, 2, external_id);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_id = found ? ks_col_int (st, 0) : 0;
  return TRUE;
}

static gboolean
add_update (KsStore *store, const KsOpen311NewUpdate *u, gint64 *out_id, GError **error)
{
  gint64 now = ks_time_now ();
  gint64 seq, id;

  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "INSERT INTO updates (report_id, author_name, author_email, kind, text, photo, state, "
      "  public, source, external_id, created) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'open311', ?, ?)", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, u->report_id);
    ks_bind_text (st, 2, u->author_name);
    ks_bind_text (st, 3, u->author_email);
    ks_bind_text (st, 4, u->new_state ? "state" : "update");
    ks_bind_text (st, 5, u->text ? u->text : "");
    ks_bind_text (st, 6, u->media_url);
    ks_bind_text (st, 7, u->new_state);
    ks_bind_text (st, 8, u->external_id);
    sqlite3_bind_int64 (st, 9, u->created ? u->created : now);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
    id = ks_sqlite_last_insert_rowid (store);
  }
  if (!add_media (store, u->report_id, id, u->media_urls, u->n_media_urls, error))
    return FALSE;

  seq = ks_store_next_seq (store, error);
  if (seq < 0)
    return FALSE;
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "UPDATE reports SET state = coalesce (?, state), version = version + 1, updated = ?, "
      "  seq = ? WHERE id = ?", error);
    if (st == NULL)
      return FALSE;
    ks_bind_text (st, 1, u->new_state);
    sqlite3_bind_int64 (st, 2, now);
    sqlite3_bind_int64 (st, 3, seq);
    sqlite3_bind_int64 (st, 4, u->report_id);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
  }
  *out_id = id;
  return TRUE;
}

/* API keys */

#define KEY_COLUMNS \
  "SELECT k.id, k.body_id, b.slug, k.name, k.created, coalesce (k.revoked, 0), " \
  "       coalesce (k.last_used, 0), k.notify_residents " \
  "FROM api_keys k JOIN bodies b ON b.id = k.body_id "

static void
load_key (sqlite3_stmt *st, gpointer data)
{
  KsApiKey *out = data;

  out->id = ks_col_int (st, 0);
  out->body_id = ks_col_int (st, 1);
  out->body_slug = col_dup (st, 2);
  out->name = col_dup (st, 3);
  out->created = ks_col_int (st, 4);
  out->revoked = ks_col_int (st, 5);
  out->last_used = ks_col_int (st, 6);
  out->notify_residents = ks_col_int (st, 7) != 0;
}

static gboolean
create_api_key (KsStore *store, gint64 body_id, const char *name, const char *key_hash,
                gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO api_keys (body_id, name, key_hash, created) VALUES (?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, name);
  ks_bind_text (st, 3, key_hash);
  sqlite3_bind_int64 (st, 4, ks_time_now ());
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *out_id = ks_sqlite_last_insert_rowid (store);
  return TRUE;
}

static gboolean
touch_api_key (KsStore *store, gint64 id, gint64 now, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE api_keys SET last_used = ? WHERE id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, now);
  sqlite3_bind_int64 (st, 2, id);
  return ks_sqlite_step_done (st, error);
}

static gboolean
find_api_key (KsStore *store, const char *key_hash, gboolean *found, KsApiKey *out,
              GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    KEY_COLUMNS "WHERE k.key_hash = ? AND k.revoked IS NULL", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, key_hash);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    load_key (st, out);
  return TRUE;
}

static gboolean
get_api_key (KsStore *store, gint64 id, gboolean *found, KsApiKey *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, KEY_COLUMNS "WHERE k.id = ?", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  if (!ks_sqlite_step_row (st, found, error))
    return FALSE;
  if (*found)
    load_key (st, out);
  return TRUE;
}

static gboolean
list_api_keys (KsStore *store, gint64 body_id, GPtrArray **out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    KEY_COLUMNS "WHERE ?1 = 0 OR k.body_id = ?1 ORDER BY k.id DESC", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  return ks_sqlite_collect_ptrs (st, sizeof (KsApiKey), load_key,
                                 (GDestroyNotify) ks_api_key_free, out, error);
}

static gboolean
revoke_api_key (KsStore *store, gint64 id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, ks_time_now ());
  sqlite3_bind_int64 (st, 2, id);
  return ks_sqlite_step_done (st, error);
}

void
ks_sqlite_store_open311_init (KsStoreOpen311VTable *vtable)
{
  vtable->find_body = find_body;
  vtable->list_services = list_services;
  vtable->get_service = get_service;
  vtable->foreach_request = foreach_request;
  vtable->foreach_update = foreach_update;
  vtable->get_report_info = get_report_info;
  vtable->create_request = create_request;
  vtable->find_client_update = find_client_update;
  vtable->add_update = add_update;
  vtable->foreach_media = foreach_media;
  vtable->create_api_key = create_api_key;
  vtable->find_api_key = find_api_key;
  vtable->touch_api_key = touch_api_key;
  vtable->get_api_key = get_api_key;
  vtable->list_api_keys = list_api_keys;
  vtable->revoke_api_key = revoke_api_key;
}

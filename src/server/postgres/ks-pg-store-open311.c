/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-open311.c: Open311 services, public reports and updates, reports
 * and updates from Open311 clients, and API keys in PostgreSQL. The queries are
 * those of the SQLite store (ks-sqlite-store-open311.c), so that both give the
 * same answers in the same order. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-read-ahead.h"
#include "postgres/ks-pg-store-private.h"
#include "ks-states.h"
#include "ks-time.h"


/* Reports Open311 may show: not unconfirmed or hidden, not in a private category. */
#define PUBLIC_REPORT "r.state NOT IN ('unconfirmed', 'hidden') AND c.private = 0"
/* Updates that belong to a report's public timeline (not hidden by a moderator). */
#define PUBLIC_UPDATE(u) \
  u ".public = 1 AND " u ".hidden = 0 AND (" u ".kind IN ('update', 'state', 'request_info') OR " \
  "(" u ".kind = 'acknowledge' AND " u ".text <> ''))"

static char *
col_dup (const PGresult *res, int row, int col)
{
  return g_strdup (ks_pg_text (res, row, col));
}

/* Adds a PostgreSQL array literal of n integers as the next parameter. */
static int
args_int_array (KsPgArgs *args, const gint64 *values, guint n)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, i ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, values[i]);
  g_string_append_c (s, '}');
  return ks_pg_args_take (args, g_string_free (s, FALSE));
}

/* Adds a PostgreSQL array literal of n strings as the next parameter: each
 * element quoted, its quotes and backslashes escaped. */
static int
args_text_array (KsPgArgs *args, const char * const *values, guint n)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '"');
      for (const char *p = values[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return ks_pg_args_take (args, g_string_free (s, FALSE));
}

#define BODY_COLUMNS \
  "SELECT id, slug, name, email, min_lat, min_lon, max_lat, max_lon FROM bodies "

static gboolean
find_body (KsStore *store, const char *slug, gboolean *found, KsOpen311Body *out,
           GError **error)
{
  static const KsPgStatement by_slug = { "open311_find_body",
    BODY_COLUMNS "WHERE slug = $1" };
  static const KsPgStatement first = { "open311_first_body",
    BODY_COLUMNS "ORDER BY id LIMIT 1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  if (slug != NULL)
    {
      ks_pg_args_text (&args, slug);
      res = ks_pg_store_query (store, &by_slug, &args, error);
    }
  else
    res = ks_pg_store_query (store, &first, NULL, error);
  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    {
      out->id = ks_pg_int (res, 0, 0);
      out->slug = col_dup (res, 0, 1);
      out->name = col_dup (res, 0, 2);
      out->email = col_dup (res, 0, 3);
      out->has_area = !ks_pg_null (res, 0, 4) && !ks_pg_null (res, 0, 5) &&
                      !ks_pg_null (res, 0, 6) && !ks_pg_null (res, 0, 7);
      out->min_lat = ks_pg_double (res, 0, 4);
      out->min_lon = ks_pg_double (res, 0, 5);
      out->max_lat = ks_pg_double (res, 0, 6);
      out->max_lon = ks_pg_double (res, 0, 7);
    }
  return TRUE;
}

#define SERVICE_COLUMNS \
  "SELECT id, code, name, group_name, description, extra, active, private FROM categories "

static void
load_service (const PGresult *res, int row, gpointer item)
{
  KsOpen311Service *out = item;

  out->id = ks_pg_int (res, row, 0);
  out->code = col_dup (res, row, 1);
  out->name = col_dup (res, row, 2);
  out->group_name = col_dup (res, row, 3);
  out->description = col_dup (res, row, 4);
  out->extra = col_dup (res, row, 5);
  out->active = ks_pg_int (res, row, 6) != 0;
  out->is_private = ks_pg_int (res, row, 7) != 0;
}

static gboolean
list_services (KsStore *store, gint64 body_id, GPtrArray **out, GError **error)
{
  /* name is COLLATE "C": byte order, as SQLite's BINARY. */
  static const KsPgStatement stmt = { "open311_list_services",
    SERVICE_COLUMNS "WHERE body_id = $1 ORDER BY name, id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *out = ks_pg_load_ptrs (res, sizeof (KsOpen311Service), load_service,
                    (GDestroyNotify) ks_open311_service_free);
  return TRUE;
}

static gboolean
get_service (KsStore *store, gint64 body_id, const char *code, gboolean *found,
             KsOpen311Service *out, GError **error)
{
  static const KsPgStatement stmt = { "open311_get_service",
    SERVICE_COLUMNS "WHERE body_id = $1 AND code = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, code);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    load_service (res, 0, out);
  return TRUE;
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
    "       (SELECT json_agg (m.url ORDER BY m.k, m.position) FROM "
    "          (SELECT 0 AS k, position, url FROM open311_media "
    "             WHERE report_id = r.id AND update_id IS NULL AND r.photo IS NOT NULL "
    "           UNION ALL "
    "           SELECT 1, position, ref FROM photos WHERE report_id = r.id AND update_id IS NULL) m) "
    "FROM reports r JOIN categories c ON c.id = r.category_id "
    "WHERE ");
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(PGresult) res = NULL;

  /* Lists of ids, codes and states go as one array parameter each (a request may
   * name a thousand ids). */
  g_string_append_printf (sql, "r.body_id = $%d AND " PUBLIC_REPORT,
                          ks_pg_args_int (&args, q->body_id));
  if (q->n_ids > 0)
    g_string_append_printf (sql, " AND r.id = ANY ($%d::bigint[])",
                            args_int_array (&args, q->ids, q->n_ids));
  if (q->n_codes > 0)
    g_string_append_printf (sql, " AND c.code = ANY ($%d::text[])",
                            args_text_array (&args, q->codes, q->n_codes));
  if (q->start != 0)
    g_string_append_printf (sql, " AND r.created >= $%d", ks_pg_args_int (&args, q->start));
  if (q->end != 0)
    g_string_append_printf (sql, " AND r.created <= $%d", ks_pg_args_int (&args, q->end));
  if (q->status != KS_OPEN311_STATUS_ANY)
    {
      states = ks_open311_status_states (q->status);
      g_string_append_printf (sql, " AND r.state = ANY ($%d::text[])",
                              args_text_array (&args, (const char * const *) states->pdata,
                                               states->len));
    }
  g_string_append_printf (sql, " ORDER BY r.created DESC, r.id DESC LIMIT $%d",
                          ks_pg_args_int (&args, q->limit));
  g_string_append_printf (sql, " OFFSET $%d", ks_pg_args_int (&args, q->offset));

  res = ks_pg_store_query_sql (store, sql->str, &args, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsOpen311Request row = {
        .id = ks_pg_int (res, i, 0),
        .state = ks_pg_text (res, i, 1),
        .service_name = ks_pg_text (res, i, 2),
        .service_code = ks_pg_text (res, i, 3),
        .title = ks_pg_text (res, i, 4),
        .detail = ks_pg_text (res, i, 5),
        .created = ks_pg_int (res, i, 6),
        .updated = ks_pg_int (res, i, 7),
        .address = ks_pg_text (res, i, 8),
        .lat = ks_pg_double (res, i, 9),
        .lon = ks_pg_double (res, i, 10),
        .media_url = ks_pg_text (res, i, 11),
        .status_notes = ks_pg_text (res, i, 12),
        .media_urls = ks_pg_text (res, i, 13),
      };
      if (!func (&row, user_data))
        break;
    }
  return TRUE;
}

/* Rows of a window read at a time: a window of any size is walked in batches
 * (by created, id), so that a busy one is never held whole. */
#define UPDATE_BATCH 5000

static gboolean
foreach_update (KsStore *store, gint64 body_id, gint64 start, gint64 end, guint limit,
                KsOpen311UpdateFunc func, gpointer user_data, GError **error)
{
  /* An update that did not change the state shows the state it was made in: the
   * one set by the latest update before it that set one. */
  static const KsPgStatement stmt = { "open311_foreach_update",
    "SELECT u.id, u.report_id, "
    "       coalesce (u.state, (SELECT p.state FROM updates p WHERE p.report_id = u.report_id "
    "                             AND p.state IS NOT NULL AND p.created <= u.created AND p.id < u.id "
    "                           ORDER BY p.created DESC, p.id DESC LIMIT 1), 'confirmed'), "
    "       u.created, u.text, u.photo, u.external_status_code "
    "FROM updates u JOIN reports r ON r.id = u.report_id "
    "  JOIN categories c ON c.id = r.category_id "
    "WHERE u.created >= $1 AND u.created <= $2 AND " PUBLIC_UPDATE ("u") " AND r.body_id = $3 AND "
    PUBLIC_REPORT " AND (u.created, u.id) > ($5::bigint, $6::bigint) "
    "ORDER BY u.created, u.id LIMIT $4" };
  gint64 after_created = start, after_id = 0;
  guint64 left = limit > 0 ? limit : G_MAXUINT64;

  while (left > 0)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_autoptr(PGresult) res = NULL;
      gint64 batch = (gint64) MIN (left, UPDATE_BATCH);
      int n;

      ks_pg_args_int (&args, start);
      ks_pg_args_int (&args, end);
      ks_pg_args_int (&args, body_id);
      ks_pg_args_int (&args, batch);
      ks_pg_args_int (&args, after_created);
      ks_pg_args_int (&args, after_id);
      res = ks_pg_store_query (store, &stmt, &args, error);
      if (res == NULL)
        return FALSE;
      n = PQntuples (res);
      for (int i = 0; i < n; i++)
        {
          KsOpen311Update row = {
            .id = ks_pg_int (res, i, 0),
            .report_id = ks_pg_int (res, i, 1),
            .state = ks_pg_text (res, i, 2),
            .created = ks_pg_int (res, i, 3),
            .text = ks_pg_text (res, i, 4),
            .media_url = ks_pg_text (res, i, 5),
            .external_status_code = ks_pg_text (res, i, ks_pg_null (res, i, 6) ? 2 : 6),
          };
          if (!func (&row, user_data))
            return TRUE;
          after_created = row.created;
          after_id = row.id;
        }
      if (n < batch)
        break;
      left -= (guint64) n;
    }
  return TRUE;
}

static gboolean
get_report_info (KsStore *store, gint64 report_id, gboolean *found,
                 KsOpen311ReportInfo *out, GError **error)
{
  static const KsPgStatement stmt = { "open311_get_report_info",
    "SELECT r.id, r.body_id, r.state, r.created, c.private, "
    "       coalesce ((SELECT max (u.created) FROM updates u "
    "                  WHERE u.report_id = r.id AND u.state IS NOT NULL), 0) "
    "FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    {
      out->id = ks_pg_int (res, 0, 0);
      out->body_id = ks_pg_int (res, 0, 1);
      out->state = col_dup (res, 0, 2);
      out->created = ks_pg_int (res, 0, 3);
      out->is_public = ks_state_is_public (out->state) && ks_pg_int (res, 0, 4) == 0;
      out->state_changed = ks_pg_int (res, 0, 5);
    }
  return TRUE;
}

/* The ward of the nearest report of the council within about a kilometre. The
 * box goes through the GiST index on pos; the exact bounds and the distance are
 * those of the SQLite store. */
static gboolean
nearest_ward (KsStore *store, gint64 body_id, double lat, double lon, char **out,
              GError **error)
{
  static const KsPgStatement stmt = { "open311_nearest_ward",
    "SELECT r.ward FROM reports r "
    "WHERE r.pos <@ box (point ($2::float8 - 0.015, $1::float8 - 0.01), "
    "                    point ($2::float8 + 0.015, $1::float8 + 0.01)) "
    "  AND r.lat >= $1::float8 - 0.01 AND r.lat <= $1::float8 + 0.01 "
    "  AND r.lon >= $2::float8 - 0.015 AND r.lon <= $2::float8 + 0.015 "
    "  AND r.body_id = $3 AND r.ward <> '' "
    "ORDER BY (r.lat - $1::float8) * (r.lat - $1::float8) + "
    "         (r.lon - $2::float8) * (r.lon - $2::float8), r.id "
    "LIMIT 1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_double (&args, lat);
  ks_pg_args_double (&args, lon);
  ks_pg_args_int (&args, body_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *out = g_strdup (PQntuples (res) > 0 ? ks_pg_text (res, 0, 0) : "");
  return TRUE;
}

/* Every media URL sent with a report (update_id 0) or one of its updates, in
 * one statement. */
static gboolean
add_media (KsStore *store, gint64 report_id, gint64 update_id, const char * const *urls,
           guint n, GError **error)
{
  static const KsPgStatement stmt = { "open311_add_media",
    "INSERT INTO open311_media (report_id, update_id, position, url) "
    "SELECT $1, nullif ($2::bigint, 0), m.n - 1, m.url "
    "FROM unnest ($3::text[]) WITH ORDINALITY AS m (url, n)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  if (n == 0)
    return TRUE;
  ks_pg_args_int (&args, report_id);
  ks_pg_args_int (&args, update_id);
  args_text_array (&args, urls, n);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

/* A photo removed by moderation (the report's or update's photo cleared) takes
 * the URLs sent with it out of the list; the rows stay, as the moderation
 * history keeps the photo. */
/* A report's Open311 photo addresses (those whose photo is still there). */
#define MEDIA_COLUMNS "coalesce (m.update_id, 0), m.position, m.url"
#define MEDIA_FROM \
  " FROM open311_media m JOIN reports r ON r.id = m.report_id " \
  "LEFT JOIN updates u ON u.id = m.update_id "
#define MEDIA_SHOWN "coalesce (u.photo, r.photo) IS NOT NULL "

gboolean
ks_pg_store_open311_read_ahead (KsStore *store, const char *ids, GError **error)
{
  static const KsPgStatement stmt = { "open311_foreach_media_ahead",
    "SELECT " MEDIA_COLUMNS ", m.report_id" MEDIA_FROM
    "WHERE m.report_id = ANY ($1::bigint[]) AND " MEDIA_SHOWN
    "ORDER BY m.report_id, coalesce (m.update_id, 0), m.position" };

  return ks_pg_ahead_read (store, KS_PG_AHEAD_MEDIA, &stmt, ids, error);
}

static gboolean
foreach_media (KsStore *store, gint64 report_id, KsOpen311MediaFunc func, gpointer user_data,
               GError **error)
{
  static const KsPgStatement stmt = { "open311_foreach_media",
    "SELECT " MEDIA_COLUMNS MEDIA_FROM "WHERE m.report_id = $1 AND " MEDIA_SHOWN
    "ORDER BY coalesce (m.update_id, 0), m.position" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) owned = NULL;
  const PGresult *res;
  int first, n;

  ks_pg_args_int (&args, report_id);
  if ((res = ks_pg_ahead_or_query (store, KS_PG_AHEAD_MEDIA, report_id, &stmt, &args, &owned,
                                   &first, &n, error)) == NULL)
    return FALSE;
  for (int i = first; i < first + n; i++)
    {
      KsOpen311Media m = {
        .update_id = ks_pg_int (res, i, 0),
        .position = (int) ks_pg_int (res, i, 1),
        .url = ks_pg_text (res, i, 2),
      };
      func (&m, user_data);
    }
  return TRUE;
}

static gboolean
create_request (KsStore *store, const KsOpen311NewRequest *r, gint64 *out_id,
                GError **error)
{
  static const KsPgStatement insert = { "open311_create_request",
    "INSERT INTO reports (body_id, category_id, title, detail, lat, lon, ward, address, state, "
    "  reporter_name, reporter_email, reporter_phone, show_name, photo, source, "
    "  created, confirmed, updated, version, seq) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'confirmed', $9, $10, $11, 0, $12, 'open311', "
    "  $13, $14, $15, 1, $16) RETURNING id" };
  /* The answers in the order they came, in one statement. */
  static const KsPgStatement attributes = { "open311_create_request_attributes",
    "INSERT INTO report_attributes (report_id, position, code, value) "
    "SELECT $1, a.n - 1, a.code, a.value "
    "FROM unnest ($2::text[], $3::text[]) WITH ORDINALITY AS a (code, value, n)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
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

  ks_pg_args_int (&args, r->body_id);
  ks_pg_args_int (&args, r->category_id);
  ks_pg_args_text (&args, r->title);
  ks_pg_args_text (&args, r->detail ? r->detail : "");
  ks_pg_args_double (&args, r->lat);
  ks_pg_args_double (&args, r->lon);
  ks_pg_args_text (&args, ward);
  ks_pg_args_text (&args, r->address);
  ks_pg_args_text (&args, r->reporter_name);
  ks_pg_args_text (&args, r->reporter_email);
  ks_pg_args_text (&args, r->reporter_phone);
  ks_pg_args_text (&args, r->media_url);
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, seq);
  res = ks_pg_store_query (store, &insert, &args, error);
  if (res == NULL)
    return FALSE;
  id = ks_pg_int (res, 0, 0);

  if (r->n_attributes > 0)
    {
      g_auto(KsPgArgs) at = KS_PG_ARGS_INIT;
      g_autoptr(GPtrArray) codes = g_ptr_array_sized_new (r->n_attributes);
      g_autoptr(GPtrArray) values = g_ptr_array_sized_new (r->n_attributes);

      for (guint i = 0; i < r->n_attributes; i++)
        {
          g_ptr_array_add (codes, (gpointer) r->attributes[2 * i]);
          g_ptr_array_add (values, (gpointer) r->attributes[2 * i + 1]);
        }
      ks_pg_args_int (&at, id);
      args_text_array (&at, (const char * const *) codes->pdata, codes->len);
      args_text_array (&at, (const char * const *) values->pdata, values->len);
      if (!ks_pg_store_exec (store, &attributes, &at, NULL, error))
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
  static const KsPgStatement stmt = { "open311_find_client_update",
    "SELECT id FROM updates WHERE report_id = $1 AND external_id = $2 AND source = 'open311' "
    "ORDER BY id LIMIT 1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, report_id);
  ks_pg_args_text (&args, external_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *out_id = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
add_update (KsStore *store, const KsOpen311NewUpdate *u, gint64 *out_id, GError **error)
{
  static const KsPgStatement insert = { "open311_add_update",
    "INSERT INTO updates (report_id, author_name, author_email, kind, text, photo, state, "
    "  public, source, external_id, created) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 'open311', $8, $9) RETURNING id" };
  static const KsPgStatement bump = { "open311_add_update_bump",
    "UPDATE reports SET state = coalesce ($1, state), version = version + 1, updated = $2, "
    "  seq = $3 WHERE id = $4" };
  gint64 now = ks_time_now ();
  gint64 seq, id;

  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
    g_autoptr(PGresult) res = NULL;

    ks_pg_args_int (&args, u->report_id);
    ks_pg_args_text (&args, u->author_name);
    ks_pg_args_text (&args, u->author_email);
    ks_pg_args_text (&args, u->new_state ? "state" : "update");
    ks_pg_args_text (&args, u->text ? u->text : "");
    ks_pg_args_text (&args, u->media_url);
    ks_pg_args_text (&args, u->new_state);
    ks_pg_args_text (&args, u->external_id);
    ks_pg_args_int (&args, u->created ? u->created : now);
    res = ks_pg_store_query (store, &insert, &args, error);
    if (res == NULL)
      return FALSE;
    id = ks_pg_int (res, 0, 0);
  }
  if (!add_media (store, u->report_id, id, u->media_urls, u->n_media_urls, error))
    return FALSE;

  seq = ks_store_next_seq (store, error);
  if (seq < 0)
    return FALSE;
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

    ks_pg_args_text (&args, u->new_state);
    ks_pg_args_int (&args, now);
    ks_pg_args_int (&args, seq);
    ks_pg_args_int (&args, u->report_id);
    if (!ks_pg_store_exec (store, &bump, &args, NULL, error))
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
load_key (const PGresult *res, int row, gpointer item)
{
  KsApiKey *out = item;

  out->id = ks_pg_int (res, row, 0);
  out->body_id = ks_pg_int (res, row, 1);
  out->body_slug = col_dup (res, row, 2);
  out->name = col_dup (res, row, 3);
  out->created = ks_pg_int (res, row, 4);
  out->revoked = ks_pg_int (res, row, 5);
  out->last_used = ks_pg_int (res, row, 6);
  out->notify_residents = ks_pg_int (res, row, 7) != 0;
}

static gboolean
create_api_key (KsStore *store, gint64 body_id, const char *name, const char *key_hash,
                gint64 *out_id, GError **error)
{
  static const KsPgStatement stmt = { "open311_create_api_key",
    "INSERT INTO api_keys (body_id, name, key_hash, created) VALUES ($1, $2, $3, $4) "
    "RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, name);
  ks_pg_args_text (&args, key_hash);
  ks_pg_args_int (&args, ks_time_now ());
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *out_id = ks_pg_int (res, 0, 0);
  return TRUE;
}

/* Records the use of a key. Inside a write (a client's POST) it runs under a
 * savepoint, so that a failure leaves the request's own transaction usable. */
static gboolean
touch_api_key (KsStore *store, gint64 id, gint64 now, GError **error)
{
  static const KsPgStatement stmt = { "open311_touch_api_key",
    "UPDATE api_keys SET last_used = $1 WHERE id = $2" };
  KsPgDb *db = ks_pg_store_db (store);
  gboolean in_txn = ks_pg_db_in_transaction (db);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  if (in_txn && !ks_pg_db_exec (db, "SAVEPOINT api_key_touch", error))
    return FALSE;
  ks_pg_args_int (&args, now);
  ks_pg_args_int (&args, id);
  if (!ks_pg_store_exec (store, &stmt, &args, NULL, error))
    {
      if (in_txn)
        ks_pg_db_exec (db, "ROLLBACK TO SAVEPOINT api_key_touch", NULL);
      return FALSE;
    }
  return !in_txn || ks_pg_db_exec (db, "RELEASE SAVEPOINT api_key_touch", error);
}

/* The key a statement finds, if any. */
static gboolean
query_key (KsStore *store, const KsPgStatement *stmt, KsPgArgs *args, gboolean *found,
           KsApiKey *out, GError **error)
{
  g_autoptr(PGresult) res = ks_pg_store_query (store, stmt, args, error);

  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  if (*found)
    load_key (res, 0, out);
  return TRUE;
}

static gboolean
find_api_key (KsStore *store, const char *key_hash, gboolean *found, KsApiKey *out,
              GError **error)
{
  static const KsPgStatement stmt = { "open311_find_api_key",
    KEY_COLUMNS "WHERE k.key_hash = $1 AND k.revoked IS NULL" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, key_hash);
  return query_key (store, &stmt, &args, found, out, error);
}

static gboolean
get_api_key (KsStore *store, gint64 id, gboolean *found, KsApiKey *out, GError **error)
{
  static const KsPgStatement stmt = { "open311_get_api_key", KEY_COLUMNS "WHERE k.id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, id);
  return query_key (store, &stmt, &args, found, out, error);
}

static gboolean
list_api_keys (KsStore *store, gint64 body_id, GPtrArray **out, GError **error)
{
  static const KsPgStatement stmt = { "open311_list_api_keys",
    KEY_COLUMNS "WHERE $1::bigint = 0 OR k.body_id = $1::bigint ORDER BY k.id DESC" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *out = ks_pg_load_ptrs (res, sizeof (KsApiKey), load_key, (GDestroyNotify) ks_api_key_free);
  return TRUE;
}

static gboolean
revoke_api_key (KsStore *store, gint64 id, GError **error)
{
  static const KsPgStatement stmt = { "open311_revoke_api_key",
    "UPDATE api_keys SET revoked = $1 WHERE id = $2 AND revoked IS NULL" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

void
ks_pg_store_open311_init (KsStoreOpen311VTable *vtable)
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

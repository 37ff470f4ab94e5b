/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-lookup.c: the gazetteer (tsvector prefix queries over the places'
 * folded words, from their GIN index) and a caller's reports in PostgreSQL. The
 * same ranking as the SQLite store's (ks-sqlite-store-lookup.c). Places go in with
 * COPY, in the import's transaction. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-copy.h"
#include "postgres/ks-pg-report-rows.h"

static gboolean
places_clear (KsStore *store, gint64 body_id, gint64 *out_removed, GError **error)
{
  static const KsPgStatement st = { "places_clear", "DELETE FROM places WHERE body_id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, body_id);
  return ks_pg_store_exec (store, &st, &args, out_removed, error);
}

static gboolean
places_add (KsStore *store, gint64 body_id, const KsNewPlace *places, guint n, GError **error)
{
  static const char * const columns[] = {
    "body_id", "kind", "name", "context", "key", "compact", "lat", "lon", NULL
  };
  char body[24], lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
  KsPgCopy *copy = ks_pg_copy_begin (ks_pg_store_db (store), "places", columns, error);

  if (copy == NULL)
    return FALSE;
  g_snprintf (body, sizeof body, "%" G_GINT64_FORMAT, body_id);
  for (guint i = 0; i < n; i++)
    {
      const KsNewPlace *p = &places[i];
      const char *row[] = {
        body, p->kind, p->name, p->context ? p->context : "", p->key, p->compact,
        g_ascii_dtostr (lat, sizeof lat, p->lat), g_ascii_dtostr (lon, sizeof lon, p->lon),
      };

      if (!ks_pg_copy_row (copy, row, error))
        {
          ks_pg_copy_abort (copy);
          return FALSE;
        }
    }
  return ks_pg_copy_end (copy, NULL, error);
}

static gboolean
places_count (KsStore *store, gint64 body_id, gint64 *out, GError **error)
{
  static const KsPgStatement st = { "places_count",
    "SELECT count(*) FROM places WHERE body_id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out = ks_pg_int (res, 0, 0);
  return TRUE;
}

/* "high st" -> 'high':* & 'st':* (the words hold only letters and digits, so
 * nothing in them is tsquery syntax). */
static char *
ts_query (const KsPlaceQuery *q)
{
  GString *m = g_string_new (NULL);

  for (guint i = 0; q->words[i] != NULL; i++)
    g_string_append_printf (m, "%s'%s':*", i > 0 ? " & " : "", q->words[i]);
  return g_string_free (m, FALSE);
}

/* "body_id + 0": the council's filter must not use places_body, or once the
 * prepared statement's plan turns generic (after five runs) PostgreSQL may read
 * all of a council's places instead of the few its word index gives. */
static gboolean
places_search (KsStore *store, gint64 body_id, const KsPlaceQuery *q, guint limit,
               KsPlaceFunc func, gpointer user_data, GError **error)
{
  static const KsPgStatement st = { "places_search",
    "SELECT p.id, p.kind, p.name, p.context, p.lat, p.lon, "
    "  CASE WHEN p.key = $2 OR p.compact = $3 THEN 0 "
    "       WHEN left (p.key, length ($2)) = $2 OR left (p.compact, length ($3)) = $3 THEN 1 "
    "       ELSE 2 END AS rank "
    "FROM (SELECT * FROM places WHERE words @@ to_tsquery ('simple', $1) AND body_id + 0 = $4 "
    "      LIMIT " G_STRINGIFY (KS_PLACES_MAX_CANDIDATES) ") p "
    "ORDER BY rank, length (p.name), p.name, p.id LIMIT $5" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_take (&args, ts_query (q));
  ks_pg_args_text (&args, q->key);
  ks_pg_args_text (&args, q->compact);
  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, limit);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsPlaceRow row = {
        .id = ks_pg_int (res, i, 0),
        .kind = ks_pg_text (res, i, 1),
        .name = ks_pg_text (res, i, 2),
        .context = ks_pg_text (res, i, 3),
        .lat = ks_pg_double (res, i, 4),
        .lon = ks_pg_double (res, i, 5),
        .rank = (int) ks_pg_int (res, i, 6),
      };
      func (&row, user_data);
    }
  return TRUE;
}

#define CALLER_SELECT \
  "SELECT " KS_PG_LIST_COLUMNS ", r.address, r.reporter_name, r.reporter_email, " \
  "  r.reporter_phone FROM reports r" KS_PG_LIST_FROM " WHERE r.body_id = $1 AND "
#define CALLER_ORDER " AND ($3 = 0 OR r.id < $3) ORDER BY r.id DESC LIMIT $4"

static gboolean
caller_reports (KsStore *store, gint64 body_id, KsCallerField by, const char *term,
                gint64 before_id, guint limit, KsReportRowFunc func, gpointer user_data,
                GError **error)
{
  static const KsPgStatement sts[] = {
    [KS_CALLER_EMAIL] = { "caller_by_email",
      CALLER_SELECT "lower (r.reporter_email) = lower ($2 COLLATE \"C\") "
      "AND r.reporter_email IS NOT NULL" CALLER_ORDER },
    /* The expression of the index in data/sql-pg/0033. */
    [KS_CALLER_PHONE] = { "caller_by_phone",
      CALLER_SELECT "r.reporter_phone IS NOT NULL AND "
      "right (regexp_replace (r.reporter_phone, '[^0-9]', '', 'g'), 10) = $2" CALLER_ORDER },
    [KS_CALLER_NAME] = { "caller_by_name",
      CALLER_SELECT "strpos (lower (r.reporter_name), $2) > 0" CALLER_ORDER },
    [KS_CALLER_REFERENCE] = { "caller_by_reference",
      CALLER_SELECT "r.external_id = $2" CALLER_ORDER },
  };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, term);
  ks_pg_args_int (&args, before_id);
  ks_pg_args_int (&args, limit);
  if ((res = ks_pg_store_query (store, &sts[by], &args, error)) == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsReportRow r;

      ks_pg_report_row_list (&r, res, i);
      r.body_id = body_id;
      r.address = ks_pg_text (res, i, KS_PG_N_LIST_COLUMNS);
      r.reporter_name = ks_pg_text (res, i, KS_PG_N_LIST_COLUMNS + 1);
      r.reporter_email = ks_pg_text (res, i, KS_PG_N_LIST_COLUMNS + 2);
      r.reporter_phone = ks_pg_text (res, i, KS_PG_N_LIST_COLUMNS + 3);
      func (&r, (guint) i, user_data);
    }
  return TRUE;
}

void
ks_pg_store_lookup_init (KsStoreLookupVTable *vtable)
{
  vtable->places_clear = places_clear;
  vtable->places_add = places_add;
  vtable->places_count = places_count;
  vtable->places_search = places_search;
  vtable->caller_reports = caller_reports;
}

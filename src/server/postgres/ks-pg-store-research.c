/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-research.c: the research export in PostgreSQL: the public reports
 * of a council (or of every council, council by council) in a time range, with the
 * first time each was fixed. Read through a cursor in one snapshot, so that a
 * million reports are never held in memory at once. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-privacy-private.h"
#include "ks-states.h"

/* Rows fetched from the cursor at a time. */
#define RESEARCH_BATCH 2000

/* The states of the fixed kind, as a text[] literal. */
static char *
fixed_states_literal (void)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);

      if (s->kind != KS_STATE_KIND_FIXED)
        continue;
      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      for (const char *p = s->id; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
emit_rows (PGresult *res, KsResearchRowFunc func, gpointer user_data)
{
  for (int i = 0; i < PQntuples (res); i++)
    {
      KsResearchRow row;
      const char *state = ks_pg_text (res, i, 3);

      /* Unconfirmed and hidden reports are not public: they stay out. */
      if (!ks_state_is_public (state))
        continue;
      row.id = ks_pg_int (res, i, 0);
      row.category = ks_pg_text (res, i, 1);
      row.group = ks_pg_text (res, i, 2);
      row.state = state;
      row.priority = ks_pg_text (res, i, 4);
      row.ward = ks_pg_text (res, i, 5);
      row.created = ks_pg_int (res, i, 6);
      row.confirmed = ks_pg_int (res, i, 7);
      row.fixed = ks_pg_int (res, i, 12);
      row.lat = ks_pg_double (res, i, 8);
      row.lon = ks_pg_double (res, i, 9);
      row.has_photo = ks_pg_int (res, i, 10) != 0;
      row.source = ks_pg_text (res, i, 11);
      func (&row, user_data);
    }
  return PQntuples (res) == RESEARCH_BATCH;
}

/* One council's reports, oldest first (reports_body_created read backwards:
 * no sort). */
static gboolean
read_body_rows (KsStore *store, gint64 body_id, gint64 from, gint64 to,
                KsResearchRowFunc func, gpointer user_data, GError **error)
{
  static const char declare[] =
    "DECLARE ks_research NO SCROLL CURSOR FOR "
    "SELECT r.id, c.name, c.group_name, r.state, p.name, r.ward, r.created, r.confirmed, "
    "       r.lat, r.lon, (r.photo IS NOT NULL)::integer, r.source, f.fixed "
    "FROM reports r JOIN categories c ON c.id = r.category_id "
    "LEFT JOIN priorities p ON p.id = r.priority_id "
    "LEFT JOIN (SELECT report_id, min (created) AS fixed FROM updates "
    "           WHERE state = ANY ($4::text[]) GROUP BY report_id) f ON f.report_id = r.id "
    "WHERE r.body_id = $1 AND r.created >= $2 AND r.created < $3 "
    "ORDER BY r.created, r.id";
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) declared = NULL;
  gboolean more = TRUE;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, from > 0 ? from : G_MININT64);
  ks_pg_args_int (&args, to > 0 ? to : G_MAXINT64);
  ks_pg_args_take (&args, fixed_states_literal ());
  declared = ks_pg_store_query_sql (store, declare, &args, error);
  if (declared == NULL)
    return FALSE;
  while (more)
    {
      g_autoptr(PGresult) res = ks_pg_store_query_sql (store,
        "FETCH " G_STRINGIFY (RESEARCH_BATCH) " FROM ks_research", NULL, error);

      if (res == NULL)
        return FALSE;
      more = emit_rows (res, func, user_data);
    }
  return ks_pg_db_exec (ks_pg_store_db (store), "CLOSE ks_research", error);
}

/* The council's rows, or every council's in order of id, as on SQLite. */
static gboolean
read_rows (KsStore *store, gint64 body_id, gint64 from, gint64 to,
           KsResearchRowFunc func, gpointer user_data, GError **error)
{
  static const KsPgStatement bodies = { "research_bodies", "SELECT id FROM bodies ORDER BY id" };
  g_autoptr(PGresult) res = NULL;

  if (body_id != 0)
    return read_body_rows (store, body_id, from, to, func, user_data, error);
  res = ks_pg_store_query (store, &bodies, NULL, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    if (!read_body_rows (store, ks_pg_int (res, i, 0), from, to, func, user_data, error))
      return FALSE;
  return TRUE;
}

gboolean
ks_pg_privacy_foreach_research_row (KsStore *store, gint64 body_id, gint64 from,
                                    gint64 to, KsResearchRowFunc func,
                                    gpointer user_data, GError **error)
{
  KsPgDb *db = ks_pg_store_db (store);
  gboolean ok;

  /* A cursor lives in a transaction: the request's own, or one of its own. */
  if (ks_pg_db_in_transaction (db))
    return read_rows (store, body_id, from, to, func, user_data, error);
  if (!ks_pg_db_begin (db, "REPEATABLE READ", error))
    return FALSE;
  ok = read_rows (store, body_id, from, to, func, user_data, error);
  if (!ok)
    {
      ks_pg_db_rollback (db);
      return FALSE;
    }
  return ks_pg_db_commit (db, error);
}

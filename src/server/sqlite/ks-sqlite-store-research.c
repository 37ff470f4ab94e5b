/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-research.c: the research export in SQLite: the public reports of
 * a council in a time range, with the first time each was fixed. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-privacy-private.h"
#include "ks-states.h"

static gboolean
load_fixed_times (KsStore *store, GHashTable *fixed, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT report_id, min (created) FROM updates WHERE state = ? GROUP BY report_id", error);

  if (st == NULL)
    return FALSE;
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *s = ks_states_nth (i);
      int rc;

      if (s->kind != KS_STATE_KIND_FIXED)
        continue;
      sqlite3_reset (st);
      ks_bind_text (st, 1, s->id);
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          gint64 id = ks_col_int (st, 0);
          gint64 at = ks_col_int (st, 1);
          gint64 *old = g_hash_table_lookup (fixed, &id);

          /* Ids and times in blocks of their own: a pointer holds only 32 bits on some systems. */
          if (old == NULL)
            g_hash_table_insert (fixed, g_memdup2 (&id, sizeof id), g_memdup2 (&at, sizeof at));
          else if (*old > at)
            *old = at;
        }
      if (rc != SQLITE_DONE)
        return ks_sqlite_stmt_fail (st, error);
    }
  return TRUE;
}

static gboolean
research_rows_of_body (KsStore *store, gint64 body_id, gint64 from, gint64 to,
                       GHashTable *fixed, KsResearchRowFunc func, gpointer user_data,
                       GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.id, c.name, c.group_name, r.state, p.name, r.ward, r.created, r.confirmed, "
    "       r.lat, r.lon, r.photo IS NOT NULL, r.source "
    "FROM reports r JOIN categories c ON c.id = r.category_id "
    "LEFT JOIN priorities p ON p.id = r.priority_id "
    "WHERE r.body_id = ?1 AND r.created >= ?2 AND r.created < ?3 "
    "ORDER BY r.created, r.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, from > 0 ? from : G_MININT64);
  sqlite3_bind_int64 (st, 3, to > 0 ? to : G_MAXINT64);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsResearchRow row;
      const char *state = ks_col_text (st, 3);

      /* Unconfirmed and hidden reports are not public: they stay out. */
      if (!ks_state_is_public (state))
        continue;
      row.id = ks_col_int (st, 0);
      row.category = ks_col_text (st, 1);
      row.group = ks_col_text (st, 2);
      row.state = state;
      row.priority = ks_col_text (st, 4);
      row.ward = ks_col_text (st, 5);
      row.created = ks_col_int (st, 6);
      row.confirmed = ks_col_int (st, 7);
      {
        const gint64 *fixed_at = g_hash_table_lookup (fixed, &row.id);
        row.fixed = fixed_at != NULL ? *fixed_at : 0;
      }
      row.lat = ks_col_double (st, 8);
      row.lon = ks_col_double (st, 9);
      row.has_photo = ks_col_int (st, 10) != 0;
      row.source = ks_col_text (st, 11);
      func (&row, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

gboolean
ks_sqlite_privacy_foreach_research_row (KsStore *store, gint64 body_id, gint64 from,
                                        gint64 to, KsResearchRowFunc func,
                                        gpointer user_data, GError **error)
{
  g_autoptr(GHashTable) fixed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GArray) bodies = NULL;

  if (!load_fixed_times (store, fixed, error))
    return FALSE;
  if (body_id != 0)
    return research_rows_of_body (store, body_id, from, to, fixed, func, user_data, error);

  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "SELECT id FROM bodies ORDER BY id", error);
    if (st == NULL || !ks_sqlite_collect_ids (st, &bodies, error))
      return FALSE;
  }
  for (guint i = 0; i < bodies->len; i++)
    if (!research_rows_of_body (store, g_array_index (bodies, gint64, i), from, to, fixed,
                                func, user_data, error))
      return FALSE;
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-read-ahead.c: the details of many reports read in a few queries, kept per
 * thread (each thread has its own connection and transaction). */
#define G_LOG_DOMAIN "ks-pg-store"

#include "postgres/ks-pg-read-ahead.h"

typedef struct {
  int first;
  int n;
} Range;

typedef struct {
  KsStore    *store;
  PGresult   *res[KS_PG_N_AHEAD];
  GHashTable *ranges[KS_PG_N_AHEAD];   /* report id (gint64 *) -> Range * */
  GArray     *keys[KS_PG_N_AHEAD];     /* the ids the ranges' keys point into */
} Ahead;

static void
ahead_clear (Ahead *a)
{
  for (guint k = 0; k < KS_PG_N_AHEAD; k++)
    {
      g_clear_pointer (&a->res[k], PQclear);
      g_clear_pointer (&a->ranges[k], g_hash_table_unref);
      g_clear_pointer (&a->keys[k], g_array_unref);
    }
  a->store = NULL;
}

static void
ahead_free (gpointer data)
{
  Ahead *a = data;

  ahead_clear (a);
  g_free (a);
}

static GPrivate thread_ahead = G_PRIVATE_INIT (ahead_free);

static Ahead *
ahead_get (KsStore *store, gboolean create)
{
  Ahead *a = g_private_get (&thread_ahead);

  if (a == NULL && create)
    {
      a = g_new0 (Ahead, 1);
      g_private_set (&thread_ahead, a);
    }
  if (a != NULL && a->store != store)
    {
      if (!create)
        return NULL;
      ahead_clear (a);
      a->store = store;
    }
  return a;
}

/* "{1,2,3}" -> the ids, each once. */
static GArray *
parse_ids (const char *ids)
{
  g_auto(GStrv) parts = NULL;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *p = ids;

  if (*p == '{')
    p++;
  parts = g_strsplit (p, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id = g_ascii_strtoll (parts[i], NULL, 10);
      if (id > 0)
        g_array_append_val (out, id);
    }
  return out;
}

gboolean
ks_pg_ahead_read (KsStore             *store,
                  KsPgAhead            kind,
                  const KsPgStatement *stmt,
                  const char          *ids,
                  GError             **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  Ahead *a = ahead_get (store, TRUE);
  PGresult *res;
  GHashTable *ranges;
  GArray *keys;
  int n_rows, last_col;

  g_return_val_if_fail (kind < KS_PG_N_AHEAD, FALSE);
  ks_pg_args_text (&args, ids);
  if ((res = ks_pg_store_query (store, stmt, &args, error)) == NULL)
    return FALSE;

  /* Every report named has an entry (no rows: none), so that none is asked for
   * again; the keys live in one array that never grows after this. */
  keys = parse_ids (ids);
  ranges = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  for (guint i = 0; i < keys->len; i++)
    g_hash_table_insert (ranges, &g_array_index (keys, gint64, i), g_new0 (Range, 1));

  n_rows = PQntuples (res);
  last_col = PQnfields (res) - 1;
  for (int i = 0; i < n_rows; )
    {
      gint64 id = ks_pg_int (res, i, last_col);
      Range *range = g_hash_table_lookup (ranges, &id);
      int j = i + 1;

      while (j < n_rows && ks_pg_int (res, j, last_col) == id)
        j++;
      if (range == NULL)
        g_warning ("read ahead: rows of a report that was not asked for (%" G_GINT64_FORMAT ")", id);
      else
        {
          range->first = i;
          range->n = j - i;
        }
      i = j;
    }

  g_clear_pointer (&a->res[kind], PQclear);
  g_clear_pointer (&a->ranges[kind], g_hash_table_unref);
  g_clear_pointer (&a->keys[kind], g_array_unref);
  a->res[kind] = res;
  a->ranges[kind] = ranges;
  a->keys[kind] = keys;
  return TRUE;
}

gboolean
ks_pg_ahead_rows (KsStore         *store,
                  KsPgAhead        kind,
                  gint64           report_id,
                  const PGresult **out_res,
                  int             *out_first,
                  int             *out_n)
{
  Ahead *a = ahead_get (store, FALSE);
  const Range *range;

  if (a == NULL || a->ranges[kind] == NULL ||
      (range = g_hash_table_lookup (a->ranges[kind], &report_id)) == NULL)
    return FALSE;
  *out_res = a->res[kind];
  *out_first = range->first;
  *out_n = range->n;
  return TRUE;
}

const PGresult *
ks_pg_ahead_or_query (KsStore             *store,
                      KsPgAhead            kind,
                      gint64               report_id,
                      const KsPgStatement *stmt,
                      KsPgArgs            *args,
                      PGresult           **out_owned,
                      int                 *out_first,
                      int                 *out_n,
                      GError             **error)
{
  const PGresult *res;

  *out_owned = NULL;
  if (ks_pg_ahead_rows (store, kind, report_id, &res, out_first, out_n))
    return res;
  if ((*out_owned = ks_pg_store_query (store, stmt, args, error)) == NULL)
    return NULL;
  *out_first = 0;
  *out_n = PQntuples (*out_owned);
  return *out_owned;
}

void
ks_pg_ahead_forget (KsStore *store)
{
  Ahead *a = ahead_get (store, FALSE);

  if (a != NULL)
    ahead_clear (a);
}

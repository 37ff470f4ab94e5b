/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-report-list.c: the filtered report list in SQLite, in three plans:
 * - a bounding box sorted by "updated" (newest first), the map's query: the
 *   reports_cell index groups reports by a grid cell of about 280 m, newest first,
 *   with the position in the index. Each cell the box covers gives its newest
 *   entries above the running threshold and a small heap merges them, so a box
 *   with tens of thousands of reports costs a few hundred index entries; the
 *   page's items are then copied from those kept rendered, and only reports
 *   without one are read and written;
 * - a bounding box otherwise: the R*Tree gives the candidates, which are sorted;
 * - no box (or a box too big for the cells): the filters and the sort on the
 *   reports table, with its indexes. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-report-rows.h"

#include <string.h>

/* Must be the expression of the reports_cell index (data/sql/0002-reports-indexes.sql). */
#define CELL_EXPR \
  "(CAST((r.lat + 90.0) * 400.0 AS INTEGER) * 131072 + CAST((r.lon + 180.0) * 250.0 AS INTEGER))"
#define CELL_LAT_SCALE KS_REPORT_CELL_LAT_SCALE
#define CELL_LON_SCALE KS_REPORT_CELL_LON_SCALE
#define CELL_LAT_STRIDE KS_REPORT_CELL_LAT_STRIDE

#define LIST_COLUMNS KS_SQLITE_LIST_COLUMNS
#define N_LIST_COLUMNS KS_SQLITE_N_LIST_COLUMNS
#define LIST_FROM KS_SQLITE_LIST_FROM

/* SQL expressions of the sort orders (indexes in 0001 and 0002 follow them). */
static const char *const sort_exprs[KS_N_REPORT_SORTS] = {
  [KS_REPORT_SORT_ID]       = "r.id",
  [KS_REPORT_SORT_CREATED]  = "r.created",
  [KS_REPORT_SORT_UPDATED]  = "r.updated",
  [KS_REPORT_SORT_STATE]    = "r.state",
  [KS_REPORT_SORT_PRIORITY] = "IFNULL(r.priority_id, 0)",
  [KS_REPORT_SORT_CATEGORY] = "r.category_id",
  [KS_REPORT_SORT_TITLE]    = "r.title",
  [KS_REPORT_SORT_WARD]     = "r.ward",
};

/* ---- Dynamic SQL with bound values ---- */

typedef enum { BIND_INT, BIND_DOUBLE, BIND_TEXT } BindType;

typedef struct {
  BindType    type;
  gint64      i;
  double      d;
  const char *s;
} Bind;

typedef struct {
  GString   *sql;
  GArray    *binds;
  GPtrArray *owned;
} Sql;

static void
sql_init (Sql *q)
{
  q->sql = g_string_sized_new (1024);
  q->binds = g_array_new (FALSE, TRUE, sizeof (Bind));
  q->owned = g_ptr_array_new_with_free_func (g_free);
}

static void
sql_clear (Sql *q)
{
  g_string_free (q->sql, TRUE);
  g_array_unref (q->binds);
  g_ptr_array_unref (q->owned);
}

static void
sql_int (Sql *q, gint64 v)
{
  Bind b = { BIND_INT, v, 0, NULL };
  g_string_append_c (q->sql, '?');
  g_array_append_val (q->binds, b);
}

/* "?,?,...)" for the values: the end of an IN list. */
static void
sql_int_list (Sql *q, const gint64 *values, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (q->sql, ',');
      sql_int (q, values[i]);
    }
  g_string_append_c (q->sql, ')');
}

static void
sql_double (Sql *q, double v)
{
  Bind b = { BIND_DOUBLE, 0, v, NULL };
  g_string_append_c (q->sql, '?');
  g_array_append_val (q->binds, b);
}

/* text must outlive the statement's use, or be given with sql_text_take. */
static void
sql_text (Sql *q, const char *text)
{
  Bind b = { BIND_TEXT, 0, 0, text };
  g_string_append_c (q->sql, '?');
  g_array_append_val (q->binds, b);
}

static void
sql_text_take (Sql *q, char *text)
{
  g_ptr_array_add (q->owned, text);
  sql_text (q, text);
}

static void
sql_bind (Sql *q, sqlite3_stmt *st, int first)
{
  for (guint i = 0; i < q->binds->len; i++)
    {
      const Bind *b = &g_array_index (q->binds, Bind, i);
      int n = first + (int) i;
      switch (b->type)
        {
        case BIND_INT:
          sqlite3_bind_int64 (st, n, b->i);
          break;
        case BIND_DOUBLE:
          sqlite3_bind_double (st, n, b->d);
          break;
        case BIND_TEXT:
          sqlite3_bind_text (st, n, b->s, -1, SQLITE_STATIC);
          break;
        }
    }
}

/* Turns free text into an FTS5 query of quoted words, all of which must match:
 * the text is never read as FTS syntax. NULL when the text holds no word. */
static char *
fts_words (const char *text)
{
  g_auto(GStrv) words = ks_report_search_words (text);
  g_autoptr(GString) out = NULL;

  if (words == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; words[i]; i++)
    g_string_append_printf (out, "%s\"%s\"", i > 0 ? " " : "", words[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Appends " AND ..." for every filter except the box, the council and the cursor. */
static void
append_filters (Sql *q, const KsReportQuery *query)
{
  if (query->states != NULL && query->states[0] != NULL)
    {
      g_string_append (q->sql, " AND r.state IN (");
      for (guint i = 0; query->states[i]; i++)
        {
          if (i > 0)
            g_string_append_c (q->sql, ',');
          sql_text (q, query->states[i]);
        }
      g_string_append_c (q->sql, ')');
    }

  if (query->n_category_ids > 0)
    {
      g_string_append (q->sql, " AND r.category_id IN (");
      sql_int_list (q, query->category_ids, query->n_category_ids);
    }

  if (query->n_hidden_category_ids > 0)
    {
      g_string_append (q->sql, " AND r.category_id NOT IN (");
      sql_int_list (q, query->hidden_category_ids, query->n_hidden_category_ids);
    }

  if (query->group != NULL)
    {
      g_string_append (q->sql, " AND r.category_id IN (SELECT id FROM categories "
                               "WHERE instr('|' || group_name || '|', '|' || ");
      sql_text (q, query->group);
      g_string_append (q->sql, " || '|') > 0)");
    }

  if (query->n_priority_ids > 0 || query->priority_none)
    {
      g_string_append (q->sql, " AND (");
      if (query->n_priority_ids > 0)
        {
          g_string_append (q->sql, "r.priority_id IN (");
          sql_int_list (q, query->priority_ids, query->n_priority_ids);
        }
      if (query->priority_none)
        g_string_append (q->sql, query->n_priority_ids > 0 ? " OR r.priority_id IS NULL"
                                                           : "r.priority_id IS NULL");
      g_string_append_c (q->sql, ')');
    }

  if (query->text != NULL)
    {
      char *match = fts_words (query->text);
      gint64 number;

      if (match == NULL)
        g_string_append (q->sql, " AND 0");
      else
        {
          g_string_append (q->sql, " AND (r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ");
          sql_text_take (q, match);
          g_string_append_c (q->sql, ')');
          if (ks_report_search_number (query->text, &number))
            {
              g_string_append (q->sql, " OR r.id = ");
              sql_int (q, number);
            }
          g_string_append_c (q->sql, ')');
        }
    }

  if (query->created_from)
    {
      g_string_append (q->sql, " AND r.created >= ");
      sql_int (q, query->created_from);
    }
  if (query->created_before)
    {
      g_string_append (q->sql, " AND r.created < ");
      sql_int (q, query->created_before);
    }
  if (query->updated_from)
    {
      g_string_append (q->sql, " AND r.updated >= ");
      sql_int (q, query->updated_from);
    }
  if (query->updated_before)
    {
      g_string_append (q->sql, " AND r.updated < ");
      sql_int (q, query->updated_before);
    }
  if (query->ward != NULL)
    {
      g_string_append (q->sql, " AND r.ward = ");
      sql_text (q, query->ward);
    }
  if (query->shortlist_user != 0)
    {
      g_string_append (q->sql, " AND r.shortlist_user = ");
      sql_int (q, query->shortlist_user);
    }
  if (query->assigned == KS_REPORT_ASSIGNED_SOMEONE)
    g_string_append (q->sql, " AND r.shortlist_user IS NOT NULL");
  else if (query->assigned == KS_REPORT_ASSIGNED_NOBODY)
    g_string_append (q->sql, " AND r.shortlist_user IS NULL");
}

static gboolean
has_filters (const KsReportQuery *query)
{
  return (query->states != NULL && query->states[0] != NULL) ||
         query->n_category_ids > 0 || query->n_hidden_category_ids > 0 || query->group != NULL ||
         query->n_priority_ids > 0 || query->priority_none || query->text != NULL ||
         query->created_from || query->created_before || query->updated_from ||
         query->updated_before || query->ward != NULL || query->shortlist_user != 0 ||
         query->assigned != KS_REPORT_ASSIGNED_ANY;
}

/* ---- The general plan ---- */

static gboolean
list_general (KsStore             *store,
              const KsReportQuery *query,
              gint64               body_id,
              gboolean             use_rtree,
              KsReportRowFunc      func,
              gpointer             user_data,
              gboolean            *out_more,
              KsReportCursor      *out_next,
              GError             **error)
{
  const char *expr = sort_exprs[query->sort];
  const char *dir = query->descending ? " DESC" : " ASC";
  gboolean is_text = ks_report_sort_is_text (query->sort);
  sqlite3_stmt *st;
  Sql q;
  guint n = 0;
  int rc;

  sql_init (&q);
  g_string_append_printf (q.sql, "SELECT " LIST_COLUMNS ", %s FROM ", expr);
  if (query->has_bbox && use_rtree)
    g_string_append (q.sql, "reports_rtree t CROSS JOIN reports r ON r.id = t.id");
  else
    g_string_append (q.sql, "reports r");
  g_string_append (q.sql, LIST_FROM " WHERE 1");

  if (body_id != 0)
    {
      /* A shortlist is a handful of reports: keep the planner on its index rather
       * than a council-wide one. */
      g_string_append (q.sql, query->shortlist_user != 0 ||
                              query->assigned == KS_REPORT_ASSIGNED_SOMEONE
                              ? " AND +r.body_id = " : " AND r.body_id = ");
      sql_int (&q, body_id);
    }
  if (query->has_bbox)
    {
      if (use_rtree)
        {
          /* The R*Tree holds 32-bit floats rounded outwards: it gives a superset,
           * the exact test follows. */
          g_string_append (q.sql, " AND t.max_lat >= ");
          sql_double (&q, query->bbox.min_lat);
          g_string_append (q.sql, " AND t.min_lat <= ");
          sql_double (&q, query->bbox.max_lat);
          g_string_append (q.sql, " AND t.max_lon >= ");
          sql_double (&q, query->bbox.min_lon);
          g_string_append (q.sql, " AND t.min_lon <= ");
          sql_double (&q, query->bbox.max_lon);
        }
      g_string_append (q.sql, " AND r.lat BETWEEN ");
      sql_double (&q, query->bbox.min_lat);
      g_string_append (q.sql, " AND ");
      sql_double (&q, query->bbox.max_lat);
      g_string_append (q.sql, " AND r.lon BETWEEN ");
      sql_double (&q, query->bbox.min_lon);
      g_string_append (q.sql, " AND ");
      sql_double (&q, query->bbox.max_lon);
    }
  append_filters (&q, query);

  if (query->after != NULL)
    {
      const char *op = query->descending ? "<" : ">";
      if (query->sort == KS_REPORT_SORT_ID)
        {
          g_string_append_printf (q.sql, " AND r.id %s ", op);
          sql_int (&q, query->after->id);
        }
      else
        {
          g_string_append_printf (q.sql, " AND (%s, r.id) %s (", expr, op);
          if (is_text)
            sql_text (&q, query->after->value_text ? query->after->value_text : "");
          else
            sql_int (&q, query->after->value_int);
          g_string_append_c (q.sql, ',');
          sql_int (&q, query->after->id);
          g_string_append_c (q.sql, ')');
        }
    }

  if (query->sort == KS_REPORT_SORT_ID)
    g_string_append_printf (q.sql, " ORDER BY r.id%s LIMIT ", dir);
  else
    g_string_append_printf (q.sql, " ORDER BY %s%s, r.id%s LIMIT ", expr, dir, dir);
  sql_int (&q, (gint64) query->limit + 1);

  st = ks_sqlite_prepare (store, q.sql->str, error);
  if (st == NULL)
    {
      sql_clear (&q);
      return FALSE;
    }
  sql_bind (&q, st, 1);

  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsReportRow r;

      if (n == query->limit)
        {
          *out_more = TRUE;
          break;
        }
      ks_sqlite_report_row_list (&r, st);
      func (&r, n, user_data);
      n++;
      if (n == query->limit)
        {
          out_next->id = ks_col_int (st, 0);
          g_clear_pointer (&out_next->value_text, g_free);
          if (is_text)
            out_next->value_text = g_strdup (ks_col_text (st, N_LIST_COLUMNS));
          else
            out_next->value_int = ks_col_int (st, N_LIST_COLUMNS);
        }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (st, error);
      sqlite3_finalize (st);
      sql_clear (&q);
      return FALSE;
    }
  sqlite3_finalize (st);
  sql_clear (&q);
  return TRUE;
}

/* ---- The cell plan: a box sorted by updated, newest first ---- */

typedef struct {
  gint64 updated;
  gint64 id;
} Key;

static inline gboolean
key_less (const Key *a, const Key *b)
{
  return a->updated < b->updated || (a->updated == b->updated && a->id < b->id);
}

/* A min-heap of the best (largest) keys seen. */
typedef struct {
  Key   *keys;
  guint  len;
  guint  cap;
} Heap;

static void
heap_push (Heap *h, Key k)
{
  guint i;

  if (h->len == h->cap)
    {
      /* Replace the minimum when k beats it. */
      if (!key_less (&h->keys[0], &k))
        return;
      i = 0;
      for (;;)
        {
          guint l = 2 * i + 1, r = l + 1, m = i;
          const Key *smallest = &k;
          if (l < h->len && key_less (&h->keys[l], smallest))
            {
              m = l;
              smallest = &h->keys[l];
            }
          if (r < h->len && key_less (&h->keys[r], smallest))
            m = r;
          if (m == i)
            break;
          h->keys[i] = h->keys[m];
          i = m;
        }
      h->keys[i] = k;
      return;
    }
  i = h->len++;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      if (!key_less (&k, &h->keys[parent]))
        break;
      h->keys[i] = h->keys[parent];
      i = parent;
    }
  h->keys[i] = k;
}

static int
key_compare_desc (gconstpointer a, gconstpointer b)
{
  const Key *ka = a, *kb = b;
  if (key_less (ka, kb))
    return 1;
  if (key_less (kb, ka))
    return -1;
  return 0;
}

#define CELL_SQL_HEAD \
  "SELECT r.updated, r.id FROM reports AS r INDEXED BY reports_cell " \
  "WHERE r.body_id = ?1 AND " CELL_EXPR " = ?2 " \
  "AND r.lat BETWEEN ?3 AND ?4 AND r.lon BETWEEN ?5 AND ?6 " \
  "AND (r.updated, r.id) < (?7, ?8) AND (r.updated, r.id) > (?9, ?10)"
#define CELL_SQL_ORDER " ORDER BY r.updated DESC, r.id DESC LIMIT "
#define CELL_N_PARAMS 10

/* A page's rows are read FETCH_BATCH at a time, each batch with one statement
 * (unused placeholders stay NULL), which gives them in id order. */
#define FETCH_BATCH 100
#define PARAMS_10 "?,?,?,?,?,?,?,?,?,?"
#define PARAMS_100 PARAMS_10 "," PARAMS_10 "," PARAMS_10 "," PARAMS_10 "," PARAMS_10 "," \
                   PARAMS_10 "," PARAMS_10 "," PARAMS_10 "," PARAMS_10 "," PARAMS_10

typedef struct {
  gint64 id;
  guint  index;
} IdIndex;

static int
id_index_compare (gconstpointer a, gconstpointer b)
{
  const IdIndex *ia = a, *ib = b;
  return (ia->id > ib->id) - (ia->id < ib->id);
}

/* Gives the reports keys[0..n) as the page's rows first + 0..n, in whatever
 * order they come. A report whose item is kept rendered (report_fragments:
 * the sync keeps it, and every change to what it shows deletes it in the same
 * transaction) is given as its item's list members, read from that small row
 * alone; only the others are read from reports (the big row, with its
 * category's names) and written member by member. */
static gboolean
give_batch (KsStore         *store,
            const Key       *keys,
            guint            n,
            guint            first,
            KsReportRowFunc  func,
            gpointer         user_data,
            GError         **error)
{
  g_autoptr(KsStmt) kept = NULL;
  g_autoptr(KsStmt) row = NULL;
  IdIndex by_id[FETCH_BATCH];
  gboolean given[FETCH_BATCH] = { FALSE };
  guint n_left = n, b = 0;
  int rc;

  g_assert (n <= FETCH_BATCH);
  for (guint i = 0; i < n; i++)
    {
      by_id[i].id = keys[i].id;
      by_id[i].index = i;
    }
  qsort (by_id, n, sizeof (IdIndex), id_index_compare);

  kept = ks_sqlite_stmt (store, "SELECT report_id, list_len, body FROM report_fragments"
                         " WHERE report_id IN (" PARAMS_100 ")", error);
  if (kept == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    sqlite3_bind_int64 (kept, (int) i + 1, keys[i].id);
  while ((rc = sqlite3_step (kept)) == SQLITE_ROW)
    {
      IdIndex probe = { ks_col_int (kept, 0), 0 };
      IdIndex *found = bsearch (&probe, by_id, n, sizeof (IdIndex), id_index_compare);
      KsReportRow r = { 0 };

      if (found == NULL || given[found->index])
        continue;
      r.id = probe.id;
      r.fragment = ks_col_text (kept, 2);
      r.fragment_len = (gsize) sqlite3_column_bytes (kept, 2);
      r.fragment_list_len = (gsize) ks_col_int (kept, 1);
      if (r.fragment == NULL || r.fragment_list_len == 0 || r.fragment_list_len > r.fragment_len)
        continue;   /* not one the sync wrote: the row is read instead */
      func (&r, first + found->index, user_data);
      given[found->index] = TRUE;
      n_left--;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (kept, error);
  if (n_left == 0)
    return TRUE;

  row = ks_sqlite_stmt (store, "SELECT " LIST_COLUMNS " FROM reports r" LIST_FROM
                        " WHERE r.id IN (" PARAMS_100 ")", error);
  if (row == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!given[i])
      sqlite3_bind_int64 (row, (int) ++b, keys[i].id);
  while ((rc = sqlite3_step (row)) == SQLITE_ROW)
    {
      IdIndex probe = { ks_col_int (row, 0), 0 };
      IdIndex *found = bsearch (&probe, by_id, n, sizeof (IdIndex), id_index_compare);
      KsReportRow r;

      if (found == NULL || given[found->index])
        continue;
      ks_sqlite_report_row_list (&r, row);
      func (&r, first + found->index, user_data);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (row, error);
  return TRUE;
}

typedef struct {
  gint64 cell;
  double inside;   /* the share of the cell inside the box */
} Cell;

static int
cell_compare (gconstpointer a, gconstpointer b)
{
  const Cell *ca = a, *cb = b;
  return (ca->inside < cb->inside) - (ca->inside > cb->inside);
}

static gboolean
cell_range (const KsReportQuery *query,
            gint64 *lat0, gint64 *lat1, gint64 *lon0, gint64 *lon1)
{
  return ks_report_cell_range (&query->bbox, lat0, lat1, lon0, lon1);
}

static gboolean
list_cells (KsStore             *store,
            const KsReportQuery *query,
            gint64               body_id,
            KsReportRowFunc      func,
            gpointer             user_data,
            gboolean            *out_more,
            KsReportCursor      *out_next,
            GError             **error)
{
  g_autofree Key *keys = NULL;
  g_autofree Cell *cells = NULL;
  guint n_cells;
  sqlite3_stmt *st = NULL;
  gboolean own_stmt = FALSE;
  gint64 lat0, lat1, lon0, lon1;
  guint cap = query->limit + 1;
  guint n_rows;
  Heap heap;
  Sql q;
  gboolean ok = FALSE;

  cell_range (query, &lat0, &lat1, &lon0, &lon1);
  sql_init (&q);
  if (!has_filters (query))
    {
      st = ks_sqlite_stmt (store, CELL_SQL_HEAD CELL_SQL_ORDER "?11", error);
      if (st == NULL)
        goto out;
    }
  else
    {
      g_string_append (q.sql, CELL_SQL_HEAD);
      append_filters (&q, query);
      g_string_append_printf (q.sql, CELL_SQL_ORDER "?%u", CELL_N_PARAMS + q.binds->len + 1);
      st = ks_sqlite_prepare (store, q.sql->str, error);
      if (st == NULL)
        goto out;
      own_stmt = TRUE;
      sql_bind (&q, st, CELL_N_PARAMS + 1);
    }

  sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_double (st, 3, query->bbox.min_lat);
  sqlite3_bind_double (st, 4, query->bbox.max_lat);
  sqlite3_bind_double (st, 5, query->bbox.min_lon);
  sqlite3_bind_double (st, 6, query->bbox.max_lon);
  sqlite3_bind_int64 (st, 7, query->after ? query->after->value_int : G_MAXINT64);
  sqlite3_bind_int64 (st, 8, query->after ? query->after->id : G_MAXINT64);
  sqlite3_bind_int64 (st, CELL_N_PARAMS + q.binds->len + 1, cap);

  keys = g_new (Key, cap);
  heap.keys = keys;
  heap.len = 0;
  heap.cap = cap;

  /* Cells wholly inside the box first: they fill the heap without reading entries
   * outside the box, and the threshold they set keeps the edge cells short. */
  n_cells = (guint) ((lat1 - lat0 + 1) * (lon1 - lon0 + 1));
  cells = g_new (Cell, n_cells);
  n_cells = 0;
  for (gint64 a = lat0; a <= lat1; a++)
    for (gint64 b = lon0; b <= lon1; b++)
      {
        double c_lat0 = a / CELL_LAT_SCALE - 90.0, c_lat1 = (a + 1) / CELL_LAT_SCALE - 90.0;
        double c_lon0 = b / CELL_LON_SCALE - 180.0, c_lon1 = (b + 1) / CELL_LON_SCALE - 180.0;
        double f_lat = (MIN (c_lat1, query->bbox.max_lat) - MAX (c_lat0, query->bbox.min_lat)) * CELL_LAT_SCALE;
        double f_lon = (MIN (c_lon1, query->bbox.max_lon) - MAX (c_lon0, query->bbox.min_lon)) * CELL_LON_SCALE;

        cells[n_cells].cell = a * CELL_LAT_STRIDE + b;
        cells[n_cells].inside = MAX (f_lat, 0.0) * MAX (f_lon, 0.0);
        n_cells++;
      }
  qsort (cells, n_cells, sizeof (Cell), cell_compare);

  for (guint i = 0; i < n_cells; i++)
    {
      int rc;

      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 2, cells[i].cell);
      /* Only entries that would enter the heap. */
      sqlite3_bind_int64 (st, 9, heap.len == cap ? keys[0].updated : G_MININT64);
      sqlite3_bind_int64 (st, 10, heap.len == cap ? keys[0].id : G_MININT64);
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          Key k = { sqlite3_column_int64 (st, 0), sqlite3_column_int64 (st, 1) };
          if (heap.len == cap && !key_less (&keys[0], &k))
            break; /* the rest of this cell is older still */
          heap_push (&heap, k);
        }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          ks_sqlite_stmt_fail (st, error);
          goto out;
        }
    }
  sqlite3_reset (st);

  qsort (keys, heap.len, sizeof (Key), key_compare_desc);

  n_rows = MIN (heap.len, query->limit);
  for (guint i = 0; i < n_rows; i += FETCH_BATCH)
    if (!give_batch (store, keys + i, MIN (n_rows - i, FETCH_BATCH), i, func, user_data, error))
      goto out;

  if (heap.len > query->limit)
    {
      *out_more = TRUE;
      out_next->id = keys[query->limit - 1].id;
      out_next->value_int = keys[query->limit - 1].updated;
    }
  ok = TRUE;

out:
  if (own_stmt)
    sqlite3_finalize (st);
  else if (st != NULL)
    ks_stmt_release (st);
  sql_clear (&q);
  return ok;
}

gboolean
ks_sqlite_report_list (KsStore             *store,
                       const KsPrincipal   *who,
                       const KsReportQuery *query,
                       KsReportRowFunc      func,
                       gpointer             user_data,
                       gboolean            *out_more,
                       KsReportCursor      *out_next,
                       GError             **error)
{
  gint64 body_id = who->is_superuser ? query->body_id : who->body_id;
  gboolean started = FALSE, ok;
  gboolean small_box = FALSE;

  *out_more = FALSE;
  if (!who->is_superuser && who->body_id == 0)
    {
      /* Not a member of any council: nothing to see. */
      return TRUE;
    }

  if (query->has_bbox)
    {
      gint64 a, b, c, d;
      small_box = cell_range (query, &a, &b, &c, &d);
    }

  if (!ks_sqlite_begin_read (store, &started, error))
    return FALSE;
  if (query->has_bbox && small_box && body_id != 0 && query->text == NULL &&
      query->sort == KS_REPORT_SORT_UPDATED && query->descending)
    ok = list_cells (store, query, body_id, func, user_data, out_more, out_next, error);
  else
    ok = list_general (store, query, body_id, query->has_bbox && (small_box || body_id == 0),
                       func, user_data, out_more, out_next, error);
  ks_sqlite_end_read (store, started);
  return ok;
}


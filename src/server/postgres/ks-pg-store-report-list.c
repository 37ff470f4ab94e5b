/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-report-list.c: the filtered report list in PostgreSQL, in two plans,
 * each one statement:
 * - a small bounding box of one council sorted by "updated" (newest first), the
 *   map's query: the reports_cell index groups reports by a grid cell of about
 *   280 m, newest first, with the page's columns; each cell the box covers
 *   gives its newest entries, merged in order (with filters: in two rounds, a
 *   threshold, then what is above it), and the newest of those make the page;
 * - otherwise the filters and the sort on the reports table: a box through the
 *   GiST index on pos (a box too big for the cells, of one council, is left to
 *   the council's time-ordered index instead, as on SQLite), words through the
 *   GIN index on search.
 * The same query gives the same rows in the same order as the SQLite store. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-report-rows.h"

#include <string.h>

/* Must be the expression of the reports_cell index (data/sql-pg/0003-reports.sql)
 * and compute ks_report_cell_range's cell numbers. */
#define CELL_EXPR \
  "((floor ((r.lat + 90.0) * 400.0))::bigint * 131072 + (floor ((r.lon + 180.0) * 250.0))::bigint)"

#define LIST_COLUMNS KS_PG_LIST_COLUMNS
#define N_LIST_COLUMNS KS_PG_N_LIST_COLUMNS
#define LIST_FROM KS_PG_LIST_FROM

/* SQL expressions of the sort orders (the indexes of 0003 follow them). */
static const char *const sort_exprs[KS_N_REPORT_SORTS] = {
  [KS_REPORT_SORT_ID]       = "r.id",
  [KS_REPORT_SORT_CREATED]  = "r.created",
  [KS_REPORT_SORT_UPDATED]  = "r.updated",
  [KS_REPORT_SORT_STATE]    = "r.state",
  [KS_REPORT_SORT_PRIORITY] = "COALESCE (r.priority_id, 0)",
  [KS_REPORT_SORT_CATEGORY] = "r.category_id",
  [KS_REPORT_SORT_TITLE]    = "r.title",
  [KS_REPORT_SORT_WARD]     = "r.ward",
};

/* ---- Parameters ---- */

static void
sql_int (GString *sql, KsPgArgs *args, gint64 v)
{
  g_string_append_printf (sql, "$%d", ks_pg_args_int (args, v));
}

/* text must outlive the query. */
static void
sql_text (GString *sql, KsPgArgs *args, const char *text)
{
  g_string_append_printf (sql, "$%d", ks_pg_args_text (args, text));
}

/* One bigint[] parameter holding the values. */
static void
sql_int_array (GString *sql, KsPgArgs *args, const gint64 *values, guint n)
{
  g_string_append_printf (sql, "$%d::bigint[]", ks_pg_args_int_array (args, values, n));
}

/* One text[] parameter holding the (NULL-terminated) values, each quoted. */
static void
sql_text_array (GString *sql, KsPgArgs *args, const char *const *values)
{
  GString *a = g_string_new ("{");

  for (guint i = 0; values[i]; i++)
    {
      if (i > 0)
        g_string_append_c (a, ',');
      g_string_append_c (a, '"');
      for (const char *p = values[i]; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (a, '\\');
          g_string_append_c (a, *p);
        }
      g_string_append_c (a, '"');
    }
  g_string_append_c (a, '}');
  g_string_append_printf (sql, "$%d::text[]", ks_pg_args_take (args, g_string_free (a, FALSE)));
}

/* ---- Filters ---- */

/* Appends " AND ..." for every filter except the box, the council and the cursor. */
static void
append_filters (GString *sql, KsPgArgs *args, const KsReportQuery *query)
{
  if (query->states != NULL && query->states[0] != NULL)
    {
      g_string_append (sql, " AND r.state = ANY (");
      sql_text_array (sql, args, query->states);
      g_string_append_c (sql, ')');
    }

  if (query->n_category_ids > 0)
    {
      g_string_append (sql, " AND r.category_id = ANY (");
      sql_int_array (sql, args, query->category_ids, query->n_category_ids);
      g_string_append_c (sql, ')');
    }

  if (query->n_hidden_category_ids > 0)
    {
      g_string_append (sql, " AND r.category_id <> ALL (");
      sql_int_array (sql, args, query->hidden_category_ids, query->n_hidden_category_ids);
      g_string_append_c (sql, ')');
    }

  if (query->group != NULL)
    {
      g_string_append (sql, " AND r.category_id IN (SELECT id FROM categories "
                            "WHERE strpos ('|' || group_name || '|', '|' || ");
      sql_text (sql, args, query->group);
      g_string_append (sql, "::text || '|') > 0)");
    }

  if (query->n_priority_ids > 0 || query->priority_none)
    {
      g_string_append (sql, " AND (");
      if (query->n_priority_ids > 0)
        {
          g_string_append (sql, "r.priority_id = ANY (");
          sql_int_array (sql, args, query->priority_ids, query->n_priority_ids);
          g_string_append_c (sql, ')');
        }
      if (query->priority_none)
        g_string_append (sql, query->n_priority_ids > 0 ? " OR r.priority_id IS NULL"
                                                        : "r.priority_id IS NULL");
      g_string_append_c (sql, ')');
    }

  if (query->text != NULL)
    {
      g_auto(GStrv) words = ks_report_search_words (query->text);
      gint64 number;

      if (words == NULL)
        g_string_append (sql, " AND FALSE");
      else
        {
          /* Every word, as FTS5's query of quoted words on SQLite: the search
           * column holds the same words (data/sql-pg/0003-reports.sql). */
          g_string_append_printf (sql, " AND (r.search @@ plainto_tsquery ('kerbside', $%d)",
                                  ks_pg_args_take (args, g_strjoinv (" ", words)));
          if (ks_report_search_number (query->text, &number))
            {
              g_string_append (sql, " OR r.id = ");
              sql_int (sql, args, number);
            }
          g_string_append_c (sql, ')');
        }
    }

  if (query->created_from)
    {
      g_string_append (sql, " AND r.created >= ");
      sql_int (sql, args, query->created_from);
    }
  if (query->created_before)
    {
      g_string_append (sql, " AND r.created < ");
      sql_int (sql, args, query->created_before);
    }
  if (query->updated_from)
    {
      g_string_append (sql, " AND r.updated >= ");
      sql_int (sql, args, query->updated_from);
    }
  if (query->updated_before)
    {
      g_string_append (sql, " AND r.updated < ");
      sql_int (sql, args, query->updated_before);
    }
  if (query->ward != NULL)
    {
      g_string_append (sql, " AND r.ward = ");
      sql_text (sql, args, query->ward);
    }
  if (query->shortlist_user != 0)
    {
      g_string_append (sql, " AND r.shortlist_user = ");
      sql_int (sql, args, query->shortlist_user);
    }
  if (query->assigned == KS_REPORT_ASSIGNED_SOMEONE)
    g_string_append (sql, " AND r.shortlist_user IS NOT NULL");
  else if (query->assigned == KS_REPORT_ASSIGNED_NOBODY)
    g_string_append (sql, " AND r.shortlist_user IS NULL");
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
              gboolean             use_gist,
              KsReportRowFunc      func,
              gpointer             user_data,
              gboolean            *out_more,
              KsReportCursor      *out_next,
              GError             **error)
{
  const char *expr = sort_exprs[query->sort];
  const char *dir = query->descending ? " DESC" : " ASC";
  gboolean is_text = ks_report_sort_is_text (query->sort);
  g_autoptr(GString) sql = g_string_sized_new (1024);
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  int n;

  /* The page is chosen from the reports' columns alone, and only its rows are
   * joined to their category's names: the join came before the sort, for every
   * report in the box (PostgreSQL cannot tell how many points a box holds and
   * planned the join for one row; a 1 x 1 km box of the demo holds about 1,200). */
  g_string_append_printf (sql, "SELECT " LIST_COLUMNS ", r.sort_key FROM ("
                               "SELECT " KS_PG_LIST_REPORT_COLUMNS ", %s AS sort_key FROM reports r"
                               " WHERE TRUE", expr);
  if (body_id != 0)
    {
      g_string_append (sql, " AND r.body_id = ");
      sql_int (sql, &args, body_id);
    }
  if (query->has_bbox)
    {
      int min_lon = ks_pg_args_double (&args, query->bbox.min_lon);
      int min_lat = ks_pg_args_double (&args, query->bbox.min_lat);
      int max_lon = ks_pg_args_double (&args, query->bbox.max_lon);
      int max_lat = ks_pg_args_double (&args, query->bbox.max_lat);

      /* The GiST index gives the points in the box; PostgreSQL's geometric
       * comparisons allow 1e-6 of slack, so the exact test follows. */
      if (use_gist)
        g_string_append_printf (sql, " AND r.pos <@ box (point ($%d, $%d), point ($%d, $%d))",
                                min_lon, min_lat, max_lon, max_lat);
      g_string_append_printf (sql, " AND r.lat BETWEEN $%d AND $%d AND r.lon BETWEEN $%d AND $%d",
                              min_lat, max_lat, min_lon, max_lon);
    }
  append_filters (sql, &args, query);

  if (query->after != NULL)
    {
      const char *op = query->descending ? "<" : ">";
      if (query->sort == KS_REPORT_SORT_ID)
        {
          g_string_append_printf (sql, " AND r.id %s ", op);
          sql_int (sql, &args, query->after->id);
        }
      else
        {
          g_string_append_printf (sql, " AND (%s, r.id) %s (", expr, op);
          if (is_text)
            sql_text (sql, &args, query->after->value_text ? query->after->value_text : "");
          else
            sql_int (sql, &args, query->after->value_int);
          g_string_append (sql, ", ");
          sql_int (sql, &args, query->after->id);
          g_string_append_c (sql, ')');
        }
    }

  if (query->sort == KS_REPORT_SORT_ID)
    g_string_append_printf (sql, " ORDER BY r.id%s LIMIT ", dir);
  else
    g_string_append_printf (sql, " ORDER BY %s%s, r.id%s LIMIT ", expr, dir, dir);
  sql_int (sql, &args, (gint64) query->limit + 1);
  g_string_append (sql, ") r" LIST_FROM);
  if (query->sort == KS_REPORT_SORT_ID)
    g_string_append_printf (sql, " ORDER BY r.id%s", dir);
  else
    g_string_append_printf (sql, " ORDER BY r.sort_key%s, r.id%s", dir, dir);

  if ((res = ks_pg_store_query_sql (store, sql->str, &args, error)) == NULL)
    return FALSE;

  n = MIN (PQntuples (res), (int) query->limit);
  for (int i = 0; i < n; i++)
    {
      KsReportRow r;

      ks_pg_report_row_list (&r, res, i);
      func (&r, (guint) i, user_data);
    }
  if (n == (int) query->limit && n > 0)
    {
      out_next->id = ks_pg_int (res, n - 1, 0);
      g_clear_pointer (&out_next->value_text, g_free);
      if (is_text)
        out_next->value_text = g_strdup (ks_pg_text (res, n - 1, N_LIST_COLUMNS));
      else
        out_next->value_int = ks_pg_int (res, n - 1, N_LIST_COLUMNS);
    }
  *out_more = PQntuples (res) > (int) query->limit;
  return TRUE;
}

/* ---- The cell plan: a box sorted by updated, newest first ---- */

/* The reports of each cell the box covers, newest first: $1 council, $2 the cells
 * (bigint[]), $3..$6 the box (min_lat, max_lat, min_lon, max_lon), $7 $8 the
 * cursor (updated, id); the filters follow. COLS: what each cell's scan gives. */
#define CELL_SCAN(COLS) \
  "SELECT k.* FROM unnest ($2::bigint[]) AS cell (n) CROSS JOIN LATERAL (" \
  " SELECT " COLS " FROM reports r" \
  " WHERE r.body_id = $1 AND " CELL_EXPR " = cell.n" \
  "  AND r.lat BETWEEN $3 AND $4 AND r.lon BETWEEN $5 AND $6" \
  "  AND (r.updated, r.id) < ($7, $8)"
/* With filters (SQL built for each request, planned with its values): in two
 * rounds, so that a box of crowded cells reads about three pages of index
 * entries rather than a page from every cell: first the newest $10 of each cell;
 * the page's length plus one ($9) -th newest of those is a threshold no report of
 * the page is older than (every report older has $9 newer ones); then the page is
 * the newest $9 of those at or above it. The second round reads the page's
 * columns from the reports_cell index itself (it includes them): no visit to the
 * table, no lookup by id. Filters go after CELL_SQL_1 and CELL_SQL_2. $11 is
 * $9 - 1. */
#define CELL_SQL_1 "WITH sample AS (" CELL_SCAN ("r.id, r.updated")
#define CELL_SQL_2 \
  " ORDER BY r.updated DESC, r.id DESC LIMIT $10) k), " \
  "threshold AS (SELECT updated, id FROM sample ORDER BY updated DESC, id DESC " \
  "              OFFSET $11 LIMIT 1) " \
  "SELECT " LIST_COLUMNS " FROM (" CELL_SCAN (KS_PG_LIST_REPORT_COLUMNS)
#define CELL_SQL_3 \
  "  AND (r.updated, r.id) >= (COALESCE ((SELECT updated FROM threshold), -9223372036854775808)," \
  "                            COALESCE ((SELECT id FROM threshold), -9223372036854775808))" \
  " ORDER BY r.updated DESC, r.id DESC LIMIT $9) k" \
  " ORDER BY k.updated DESC, k.id DESC LIMIT $9) r" LIST_FROM \
  " ORDER BY r.updated DESC, r.id DESC"

/* Without filters, one pass: each cell's newest entries come off the index in
 * order (a backward scan of reports_cell, which also holds the page's columns)
 * and PostgreSQL merges the cells (Merge Append), reading only as many entries as
 * the page takes plus one per cell. One branch of a UNION ALL per cell, each
 * limited to the page, so that the generic plan of the prepared statement merges
 * rather than sorts; the number of branches is the box's cell count (rounded up
 * to one of cell_buckets past EXACT_CELLS, the cells past the box's being -1,
 * no cell). A cell the box only grazes would be read until its first report in
 * the box (thousands of entries where cells are crowded): every branch stops at
 * a threshold, as on SQLite, taken first from the cells wholly inside the box (a
 * few of the newest of each, $12; the page's length ($9) -th newest of those:
 * the page holds nothing older). $1 council, $2 the cells (bigint[]), $3..$6 the
 * box (min_lat, max_lat, min_lon, max_lon), $7 $8 the cursor (updated, id), $9
 * the page's length plus one, $10 the cells inside the box (bigint[]), $11 is
 * $9 - 1. */
#define MERGE_THRESHOLD \
  "WITH threshold AS (SELECT k.updated, k.id FROM unnest ($10::bigint[]) AS cell (n)" \
  " CROSS JOIN LATERAL (SELECT r.updated, r.id FROM reports r" \
  "  WHERE r.body_id = $1 AND " CELL_EXPR " = cell.n" \
  "  AND r.lat BETWEEN $3 AND $4 AND r.lon BETWEEN $5 AND $6" \
  "  AND (r.updated, r.id) < ($7, $8) ORDER BY r.updated DESC, r.id DESC LIMIT $12) k" \
  " ORDER BY k.updated DESC, k.id DESC OFFSET $11 LIMIT 1) "
#define MERGE_BOUND \
  " AND (r.updated, r.id) >= (COALESCE ((SELECT updated FROM threshold), -9223372036854775808)," \
  "                           COALESCE ((SELECT id FROM threshold), -9223372036854775808))"
#define EXACT_CELLS 32
static const guint cell_buckets[] = { 48, 64, 96, 128, 192, 256 };

G_STATIC_ASSERT (KS_REPORT_MAX_CELLS == 256);

static const KsPgStatement *
merge_statement (guint  n_cells,
                 guint *out_branches)
{
  /* Each branch costs PostgreSQL a little to set up at every execution: a box
   * of up to EXACT_CELLS cells (the map's) gets a statement of its own size. */
  static KsPgStatement *statements[EXACT_CELLS + G_N_ELEMENTS (cell_buckets)];
  guint b;

  if (n_cells <= EXACT_CELLS)
    {
      b = MAX (n_cells, 1) - 1;
      *out_branches = b + 1;
    }
  else
    {
      guint i = 0;

      while (i + 1 < G_N_ELEMENTS (cell_buckets) && cell_buckets[i] < n_cells)
        i++;
      b = EXACT_CELLS + i;
      *out_branches = cell_buckets[i];
    }
  if (g_once_init_enter (&statements[b]))
    {
      KsPgStatement *st = g_new0 (KsPgStatement, 1);
      GString *sql = g_string_new (MERGE_THRESHOLD "SELECT " LIST_COLUMNS " FROM (SELECT * FROM (");

      for (guint i = 1; i <= *out_branches; i++)
        g_string_append_printf (sql,
                                "%s(SELECT " KS_PG_LIST_REPORT_COLUMNS " FROM reports r"
                                " WHERE r.body_id = $1 AND " CELL_EXPR " = ($2::bigint[])[%u]"
                                " AND r.lat BETWEEN $3 AND $4 AND r.lon BETWEEN $5 AND $6"
                                " AND (r.updated, r.id) < ($7, $8)" MERGE_BOUND
                                " ORDER BY r.updated DESC, r.id DESC LIMIT $9)",
                                i > 1 ? " UNION ALL " : "", i);
      g_string_append (sql, ") k ORDER BY k.updated DESC, k.id DESC LIMIT $9) r" LIST_FROM
                            " ORDER BY r.updated DESC, r.id DESC");
      st->name = g_strdup_printf ("report_list_cells_%u", *out_branches);
      st->sql = g_string_free (sql, FALSE);
      g_once_init_leave (&statements[b], st);
    }
  return statements[b];
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
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GString) cells = g_string_new ("{");
  g_autoptr(GString) inside = g_string_new ("{");
  gint64 lat0, lat1, lon0, lon1, n_cells, n_inside = 0, page = (gint64) query->limit + 1;
  gboolean filtered = has_filters (query);
  const KsPgStatement *merged = NULL;
  guint branches = 0;
  int n;

  ks_report_cell_range (&query->bbox, &lat0, &lat1, &lon0, &lon1);
  n_cells = (lat1 - lat0 + 1) * (lon1 - lon0 + 1);
  for (gint64 a = lat0; a <= lat1; a++)
    for (gint64 b = lon0; b <= lon1; b++)
      {
        gint64 cell = a * KS_REPORT_CELL_LAT_STRIDE + b;

        g_string_append_printf (cells, "%s%" G_GINT64_FORMAT, cells->len > 1 ? "," : "", cell);
        /* Wholly inside the box (only a guide: the threshold's scan tests the
         * box too). */
        if (a / KS_REPORT_CELL_LAT_SCALE - 90.0 >= query->bbox.min_lat &&
            (a + 1) / KS_REPORT_CELL_LAT_SCALE - 90.0 <= query->bbox.max_lat &&
            b / KS_REPORT_CELL_LON_SCALE - 180.0 >= query->bbox.min_lon &&
            (b + 1) / KS_REPORT_CELL_LON_SCALE - 180.0 <= query->bbox.max_lon)
          {
            g_string_append_printf (inside, "%s%" G_GINT64_FORMAT, n_inside > 0 ? "," : "", cell);
            n_inside++;
          }
      }
  g_string_append_c (inside, '}');
  if (!filtered)
    {
      merged = merge_statement ((guint) n_cells, &branches);
      for (gint64 i = n_cells; i < (gint64) branches; i++)
        g_string_append (cells, ",-1");
    }
  g_string_append_c (cells, '}');

  ks_pg_args_int (&args, body_id);
  ks_pg_args_take (&args, g_string_free (g_steal_pointer (&cells), FALSE));
  ks_pg_args_double (&args, query->bbox.min_lat);
  ks_pg_args_double (&args, query->bbox.max_lat);
  ks_pg_args_double (&args, query->bbox.min_lon);
  ks_pg_args_double (&args, query->bbox.max_lon);
  ks_pg_args_int (&args, query->after ? query->after->value_int : G_MAXINT64);
  ks_pg_args_int (&args, query->after ? query->after->id : G_MAXINT64);
  ks_pg_args_int (&args, page);

  if (!filtered)
    {
      ks_pg_args_take (&args, g_string_free (g_steal_pointer (&inside), FALSE));
      ks_pg_args_int (&args, page - 1);
      /* Enough from each inside cell for twice the page when they are evenly
       * crowded. */
      ks_pg_args_int (&args, MAX (1, (2 * page + n_inside - 1) / MAX (n_inside, 1)));
      res = ks_pg_store_query (store, merged, &args, error);
    }
  else
    {
      g_autoptr(GString) filters = g_string_new (NULL);
      g_autoptr(GString) sql = g_string_new (CELL_SQL_1);

      /* Enough from each cell for twice the page when the box is evenly crowded. */
      ks_pg_args_int (&args, MAX (1, (2 * page + n_cells - 1) / n_cells));
      ks_pg_args_int (&args, page - 1);
      append_filters (filters, &args, query);
      g_string_append (sql, filters->str);
      g_string_append (sql, CELL_SQL_2);
      g_string_append (sql, filters->str);
      g_string_append (sql, CELL_SQL_3);
      res = ks_pg_store_query_sql (store, sql->str, &args, error);
    }
  if (res == NULL)
    return FALSE;

  n = MIN (PQntuples (res), (int) query->limit);
  for (int i = 0; i < n; i++)
    {
      KsReportRow r;

      ks_pg_report_row_list (&r, res, i);
      func (&r, (guint) i, user_data);
    }
  if (PQntuples (res) > (int) query->limit)
    {
      *out_more = TRUE;
      out_next->id = ks_pg_int (res, n - 1, 0);
      out_next->value_int = ks_pg_int (res, n - 1, 11);   /* updated */
    }
  return TRUE;
}

gboolean
ks_pg_report_list (KsStore             *store,
                   const KsPrincipal   *who,
                   const KsReportQuery *query,
                   KsReportRowFunc      func,
                   gpointer             user_data,
                   gboolean            *out_more,
                   KsReportCursor      *out_next,
                   GError             **error)
{
  gint64 body_id = who->is_superuser ? query->body_id : who->body_id;
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
      small_box = ks_report_cell_range (&query->bbox, &a, &b, &c, &d);
    }

  /* One statement each: no snapshot to hold across statements. */
  if (query->has_bbox && small_box && body_id != 0 && query->text == NULL &&
      query->sort == KS_REPORT_SORT_UPDATED && query->descending)
    return list_cells (store, query, body_id, func, user_data, out_more, out_next, error);
  return list_general (store, query, body_id, query->has_bbox && (small_box || body_id == 0),
                       func, user_data, out_more, out_next, error);
}

/* ks-sqlite-store-reports.c: the report reads in SQLite: the filtered list, the
 * sync feed and the detail of one report.
 *
 * The list has three plans:
 * - a bounding box sorted by "updated" (newest first), the map's query: the
 *   reports_cell index groups reports by a grid cell of about 280 m, newest first,
 *   with the position in the index. Each cell the box covers gives its newest
 *   entries above the running threshold and a small heap merges them, so a box
 *   with tens of thousands of reports costs a few hundred index entries;
 * - a bounding box otherwise: the R*Tree gives the candidates, which are sorted;
 * - no box (or a box too big for the cells): the filters and the sort on the
 *   reports table, with its indexes. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"

#include <string.h>

/* Must be the expression of the reports_cell index (data/sql/0002-reports-indexes.sql). */
#define CELL_EXPR \
  "(CAST((r.lat + 90.0) * 400.0 AS INTEGER) * 131072 + CAST((r.lon + 180.0) * 250.0 AS INTEGER))"
#define CELL_LAT_SCALE 400.0
#define CELL_LON_SCALE 250.0
#define CELL_LAT_STRIDE 131072
/* Beyond this many cells a box is read through the time-ordered council index. */
#define MAX_CELLS 256

#define LIST_COLUMNS \
  "r.id, r.title, r.category_id, c.name, c.group_name, r.state, r.priority_id, " \
  "r.lat, r.lon, r.ward, r.created, r.updated, r.acknowledged, r.shortlist_user, " \
  "r.photo IS NOT NULL AND r.photo <> '', r.version, r.seq"
#define N_LIST_COLUMNS 17

#define LIST_FROM " LEFT JOIN categories c ON c.id = r.category_id"

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

/* ---- Column writers ---- */

static inline void
member_col_bool (KsJsonWriter *w, const char *key, sqlite3_stmt *st, int i)
{
  ks_json_writer_key (w, key);
  if (sqlite3_column_type (st, i) == SQLITE_NULL)
    ks_json_writer_null (w);
  else
    ks_json_writer_bool (w, ks_col_int (st, i) != 0);
}

/* The list shape's members, from LIST_COLUMNS at the start of the row. */
void
ks_sqlite_write_list_members (KsJsonWriter *w,
                              sqlite3_stmt *st)
{
  ks_json_writer_member_int (w, "id", ks_col_int (st, 0));
  ks_sqlite_member_text (w, "title", st, 1);
  ks_json_writer_member_int (w, "category_id", ks_col_int (st, 2));
  ks_sqlite_member_text (w, "category", st, 3);
  ks_sqlite_member_text (w, "group", st, 4);
  ks_sqlite_member_text (w, "state", st, 5);
  ks_sqlite_member_id (w, "priority_id", st, 6);
  ks_json_writer_member_double (w, "lat", ks_col_double (st, 7));
  ks_json_writer_member_double (w, "lon", ks_col_double (st, 8));
  ks_sqlite_member_text (w, "ward", st, 9);
  ks_json_writer_member_timestamp (w, "created", ks_col_int (st, 10));
  ks_json_writer_member_timestamp (w, "updated", ks_col_int (st, 11));
  ks_json_writer_member_timestamp (w, "acknowledged", ks_col_int (st, 12));
  ks_sqlite_member_id (w, "shortlist_user", st, 13);
  ks_json_writer_member_bool (w, "has_photo", ks_col_int (st, 14) != 0);
  ks_json_writer_member_int (w, "version", ks_col_int (st, 15));
  ks_json_writer_member_int (w, "seq", ks_col_int (st, 16));
}

/* {"id", "name"} of a staff member, or null. */
static void
member_user (KsJsonWriter *w, const char *key, sqlite3_stmt *st, int id_col, int name_col)
{
  ks_json_writer_key (w, key);
  if (sqlite3_column_type (st, id_col) == SQLITE_NULL)
    {
      ks_json_writer_null (w);
      return;
    }
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", ks_col_int (st, id_col));
  ks_sqlite_member_text (w, "name", st, name_col);
  ks_json_writer_end_object (w);
}

/* {"name", "email", "phone", "show_name"} from four consecutive columns. Returns
 * TRUE when any personal data was written. */
static gboolean
member_reporter (KsJsonWriter *w, sqlite3_stmt *st, int first)
{
  gboolean any = FALSE;

  for (int i = first; i < first + 3; i++)
    if (sqlite3_column_type (st, i) != SQLITE_NULL)
      any = TRUE;
  ks_json_writer_key (w, "reporter");
  ks_json_writer_begin_object (w);
  ks_sqlite_member_text (w, "name", st, first);
  ks_sqlite_member_text (w, "email", st, first + 1);
  ks_sqlite_member_text (w, "phone", st, first + 2);
  ks_json_writer_member_bool (w, "show_name", ks_col_int (st, first + 3) != 0);
  ks_json_writer_end_object (w);
  return any;
}

/* ---- Read transactions ---- */

/* Opens a read transaction so that several statements see one snapshot, unless the
 * connection is inside a transaction already (a write request). */
static gboolean
begin_read (KsStore *store, gboolean *started, GError **error)
{
  sqlite3 *db = ks_sqlite_db (store, error);
  g_autoptr(KsStmt) st = NULL;

  *started = FALSE;
  if (db == NULL)
    return FALSE;
  if (!sqlite3_get_autocommit (db))
    return TRUE;
  if ((st = ks_sqlite_stmt (store, "BEGIN", error)) == NULL ||
      !ks_sqlite_step_done (st, error))
    return FALSE;
  *started = TRUE;
  return TRUE;
}

static void
end_read (KsStore *store, gboolean started)
{
  g_autoptr(KsStmt) st = NULL;

  if (!started)
    return;
  st = ks_sqlite_stmt (store, "COMMIT", NULL);
  if (st == NULL || sqlite3_step (st) != SQLITE_DONE)
    {
      sqlite3 *db = ks_sqlite_db (store, NULL);
      if (db != NULL && !sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
}

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

/* Turns free text into an FTS5 query of quoted words (runs of letters and digits),
 * all of which must match: the text is never read as FTS syntax. NULL when the
 * text holds no word. */
static char *
fts_words (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;
  guint n = 0;

  while (*p != '\0' && n < 32)
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c))
        {
          const char *start = p;
          while (*p != '\0' &&
                 (g_unichar_isalnum (c = g_utf8_get_char (p)) || g_unichar_ismark (c)))
            p = g_utf8_next_char (p);
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, '"');
          g_string_append_len (out, start, p - start);
          g_string_append_c (out, '"');
          n++;
        }
      else
        p = g_utf8_next_char (p);
    }
  return n > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static gboolean
all_digits (const char *s, gint64 *out)
{
  gsize len = 0;

  for (const char *p = s; *p; p++, len++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (len == 0 || len > 18)
    return FALSE;
  *out = g_ascii_strtoll (s, NULL, 10);
  return TRUE;
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
      for (guint i = 0; i < query->n_category_ids; i++)
        {
          if (i > 0)
            g_string_append_c (q->sql, ',');
          sql_int (q, query->category_ids[i]);
        }
      g_string_append_c (q->sql, ')');
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
          for (guint i = 0; i < query->n_priority_ids; i++)
            {
              if (i > 0)
                g_string_append_c (q->sql, ',');
              sql_int (q, query->priority_ids[i]);
            }
          g_string_append_c (q->sql, ')');
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
          {
            g_autofree char *stripped = g_strstrip (g_strdup (query->text));
            if (all_digits (stripped, &number))
              {
                g_string_append (q->sql, " OR r.id = ");
                sql_int (q, number);
              }
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
}

static gboolean
has_filters (const KsReportQuery *query)
{
  return (query->states != NULL && query->states[0] != NULL) ||
         query->n_category_ids > 0 || query->group != NULL ||
         query->n_priority_ids > 0 || query->priority_none || query->text != NULL ||
         query->created_from || query->created_before || query->updated_from ||
         query->updated_before || query->ward != NULL || query->shortlist_user != 0;
}

/* ---- The general plan ---- */

static gboolean
list_general (KsStore             *store,
              const KsReportQuery *query,
              gint64               body_id,
              gboolean             use_rtree,
              KsJsonWriter        *w,
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
      g_string_append (q.sql, query->shortlist_user != 0 ? " AND +r.body_id = " : " AND r.body_id = ");
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

  ks_json_writer_begin_array (w);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (n == query->limit)
        {
          *out_more = TRUE;
          break;
        }
      ks_json_writer_begin_object (w);
      ks_sqlite_write_list_members (w, st);
      ks_json_writer_end_object (w);
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
  ks_json_writer_end_array (w);
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

/* The rows of a page of up to FETCH_BATCH reports are read with one statement. */
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
  /* The same arithmetic as CELL_EXPR, which is monotonic: every point in the box
   * falls in a cell of these ranges. */
  *lat0 = (gint64) ((query->bbox.min_lat + 90.0) * CELL_LAT_SCALE);
  *lat1 = (gint64) ((query->bbox.max_lat + 90.0) * CELL_LAT_SCALE);
  *lon0 = (gint64) ((query->bbox.min_lon + 180.0) * CELL_LON_SCALE);
  *lon1 = (gint64) ((query->bbox.max_lon + 180.0) * CELL_LON_SCALE);
  return (*lat1 - *lat0 + 1) * (*lon1 - *lon0 + 1) <= MAX_CELLS;
}

static gboolean
list_cells (KsStore             *store,
            const KsReportQuery *query,
            gint64               body_id,
            KsJsonWriter        *w,
            gboolean            *out_more,
            KsReportCursor      *out_next,
            GError             **error)
{
  g_autoptr(KsStmt) row = NULL;
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
  ks_json_writer_begin_array (w);
  if (n_rows <= FETCH_BATCH)
    {
      /* One statement for the page (unused placeholders stay NULL). It gives the
       * rows in id order: each is written aside, then all in the page's order. */
      g_autoptr(GString) scratch = g_string_sized_new (n_rows * 512 + 16);
      g_autofree IdIndex *by_id = g_new (IdIndex, n_rows);
      g_autofree gsize *offsets = g_new (gsize, n_rows);
      int rc;

      for (guint i = 0; i < n_rows; i++)
        {
          by_id[i].id = keys[i].id;
          by_id[i].index = i;
          offsets[i] = G_MAXSIZE;
        }
      qsort (by_id, n_rows, sizeof (IdIndex), id_index_compare);

      row = ks_sqlite_stmt (store, "SELECT " LIST_COLUMNS " FROM reports r" LIST_FROM
                            " WHERE r.id IN (" PARAMS_100 ")", error);
      if (row == NULL)
        goto out;
      for (guint i = 0; i < n_rows; i++)
        sqlite3_bind_int64 (row, (int) i + 1, keys[i].id);
      while ((rc = sqlite3_step (row)) == SQLITE_ROW)
        {
          IdIndex probe = { ks_col_int (row, 0), 0 };
          IdIndex *found = bsearch (&probe, by_id, n_rows, sizeof (IdIndex), id_index_compare);
          KsJsonWriter rw;

          if (found == NULL)
            continue;
          offsets[found->index] = scratch->len;
          ks_json_writer_init (&rw, scratch);
          ks_json_writer_begin_object (&rw);
          ks_sqlite_write_list_members (&rw, row);
          ks_json_writer_end_object (&rw);
          g_string_append_c (scratch, '\0');
        }
      if (rc != SQLITE_DONE)
        {
          ks_sqlite_stmt_fail (row, error);
          goto out;
        }
      for (guint i = 0; i < n_rows; i++)
        if (offsets[i] != G_MAXSIZE)
          ks_json_writer_raw (w, scratch->str + offsets[i]);
    }
  else
    {
      row = ks_sqlite_stmt (store, "SELECT " LIST_COLUMNS " FROM reports r" LIST_FROM " WHERE r.id = ?", error);
      if (row == NULL)
        goto out;
      for (guint i = 0; i < n_rows; i++)
        {
          int rc;

          sqlite3_reset (row);
          sqlite3_bind_int64 (row, 1, keys[i].id);
          rc = sqlite3_step (row);
          if (rc == SQLITE_ROW)
            {
              ks_json_writer_begin_object (w);
              ks_sqlite_write_list_members (w, row);
              ks_json_writer_end_object (w);
            }
          else if (rc != SQLITE_DONE)
            {
              ks_sqlite_stmt_fail (row, error);
              goto out;
            }
        }
    }
  ks_json_writer_end_array (w);

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

static gboolean
write_list (KsStore             *store,
            const KsPrincipal   *who,
            const KsReportQuery *query,
            KsJsonWriter        *w,
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
      ks_json_writer_begin_array (w);
      ks_json_writer_end_array (w);
      return TRUE;
    }

  if (query->has_bbox)
    {
      gint64 a, b, c, d;
      small_box = cell_range (query, &a, &b, &c, &d);
    }

  if (!begin_read (store, &started, error))
    return FALSE;
  if (query->has_bbox && small_box && body_id != 0 && query->text == NULL &&
      query->sort == KS_REPORT_SORT_UPDATED && query->descending)
    ok = list_cells (store, query, body_id, w, out_more, out_next, error);
  else
    ok = list_general (store, query, body_id, query->has_bbox && (small_box || body_id == 0),
                       w, out_more, out_next, error);
  end_read (store, started);
  return ok;
}

/* ---- Sync ---- */

#define SYNC_COLUMNS \
  LIST_COLUMNS ", r.detail, r.address, r.photo, r.acknowledged_by, ack.name, " \
  "r.shortlist_pos, r.body_id, r.reporter_name, r.reporter_email, r.reporter_phone, r.show_name"
#define SYNC_FROM \
  LIST_FROM " LEFT JOIN users ack ON ack.id = r.acknowledged_by"

static gboolean
write_sync (KsStore           *store,
            const KsPrincipal *who,
            gint64             since,
            guint              limit,
            gboolean           with_reporter,
            gboolean           with_remaining,
            KsJsonWriter      *w,
            guint             *out_n_personal,
            GError           **error)
{
  gboolean all = who->is_superuser && who->body_id == 0;
  gint64 body_id = who->body_id;
  g_autoptr(KsStmt) st = NULL;
  g_autoptr(KsStmt) cur = NULL;
  g_autoptr(KsStmt) ts = NULL;
  gboolean started = FALSE, more = FALSE;
  gint64 last_seq = since, upto;
  guint n = 0, n_personal = 0;
  int rc;

  *out_n_personal = 0;
  if (!all && body_id == 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FORBIDDEN,
                   "Your account does not belong to a council, so there are no reports to "
                   "sync. Ask an administrator to add you to one.");
      return FALSE;
    }
  if (!begin_read (store, &started, error))
    return FALSE;

  if (all)
    st = ks_sqlite_stmt (store,
      "SELECT " SYNC_COLUMNS " FROM reports r INDEXED BY reports_seq" SYNC_FROM
      " WHERE r.seq > ?2 ORDER BY r.seq", error);
  else
    st = ks_sqlite_stmt (store,
      "SELECT " SYNC_COLUMNS " FROM reports r INDEXED BY reports_body_seq" SYNC_FROM
      " WHERE r.body_id = ?1 AND r.seq > ?2 ORDER BY r.seq", error);
  if (st == NULL)
    goto fail;
  if (!all)
    sqlite3_bind_int64 (st, 1, body_id);
  sqlite3_bind_int64 (st, 2, since);

  ks_json_writer_begin_object (w);
  ks_json_writer_key (w, "reports");
  ks_json_writer_begin_array (w);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 seq = ks_col_int (st, 16);

      /* Stop at the limit, but never between two reports of the same sequence
       * number: the next page starts after it. */
      if (n >= limit && seq != last_seq)
        {
          more = TRUE;
          break;
        }
      ks_json_writer_begin_object (w);
      ks_sqlite_write_list_members (w, st);
      ks_sqlite_member_text (w, "detail", st, N_LIST_COLUMNS);
      ks_sqlite_member_text (w, "address", st, N_LIST_COLUMNS + 1);
      ks_sqlite_member_text (w, "photo", st, N_LIST_COLUMNS + 2);
      member_user (w, "acknowledged_by", st, N_LIST_COLUMNS + 3, N_LIST_COLUMNS + 4);
      ks_sqlite_member_id (w, "shortlist_position", st, N_LIST_COLUMNS + 5);
      if (with_reporter)
        {
          if (body_id != 0 && ks_col_int (st, N_LIST_COLUMNS + 6) == body_id)
            {
              if (member_reporter (w, st, N_LIST_COLUMNS + 7))
                n_personal++;
            }
          else
            ks_json_writer_member_null (w, "reporter");
        }
      ks_json_writer_end_object (w);
      last_seq = seq;
      n++;
    }
  ks_json_writer_end_array (w);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (st, error);
      goto fail;
    }
  ks_stmt_release (g_steal_pointer (&st));

  if (more)
    upto = last_seq;
  else
    {
      cur = ks_sqlite_stmt (store, "SELECT value FROM meta WHERE key = 'seq'", error);
      if (cur == NULL)
        goto fail;
      if (sqlite3_step (cur) != SQLITE_ROW)
        {
          ks_sqlite_stmt_fail (cur, error);
          goto fail;
        }
      upto = MAX (ks_col_int (cur, 0), last_seq);
    }

  /* Tombstones in the same range, except for reports the caller can still see
   * (they come back as reports). */
  if (all)
    ts = ks_sqlite_stmt (store,
      "SELECT t.report_id FROM tombstones t "
      "WHERE t.seq > ?2 AND t.seq <= ?3 AND (t.user_id IS NULL OR t.user_id = ?4) "
      "AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = t.report_id) "
      "GROUP BY t.report_id ORDER BY max(t.seq)", error);
  else
    ts = ks_sqlite_stmt (store,
      "SELECT t.report_id FROM tombstones t "
      "WHERE t.body_id = ?1 AND t.seq > ?2 AND t.seq <= ?3 AND (t.user_id IS NULL OR t.user_id = ?4) "
      "AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = t.report_id AND r.body_id = ?1) "
      "GROUP BY t.report_id ORDER BY max(t.seq)", error);
  if (ts == NULL)
    goto fail;
  if (!all)
    sqlite3_bind_int64 (ts, 1, body_id);
  sqlite3_bind_int64 (ts, 2, since);
  sqlite3_bind_int64 (ts, 3, upto);
  sqlite3_bind_int64 (ts, 4, who->user_id);
  ks_json_writer_key (w, "tombstones");
  ks_json_writer_begin_array (w);
  while ((rc = sqlite3_step (ts)) == SQLITE_ROW)
    ks_json_writer_int (w, ks_col_int (ts, 0));
  ks_json_writer_end_array (w);
  if (rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (ts, error);
      goto fail;
    }

  if (with_remaining)
    {
      gint64 remaining = 0;

      /* Reports after this page, counted on the same index the pages read. */
      if (more)
        {
          g_clear_pointer (&cur, ks_stmt_release);
          if (all)
            cur = ks_sqlite_stmt (store,
              "SELECT count(*) FROM reports INDEXED BY reports_seq WHERE seq > ?2", error);
          else
            cur = ks_sqlite_stmt (store,
              "SELECT count(*) FROM reports INDEXED BY reports_body_seq "
              "WHERE body_id = ?1 AND seq > ?2", error);
          if (cur == NULL)
            goto fail;
          if (!all)
            sqlite3_bind_int64 (cur, 1, body_id);
          sqlite3_bind_int64 (cur, 2, last_seq);
          if (sqlite3_step (cur) != SQLITE_ROW)
            {
              ks_sqlite_stmt_fail (cur, error);
              goto fail;
            }
          remaining = ks_col_int (cur, 0);
        }
      ks_json_writer_member_int (w, "remaining", remaining);
    }
  ks_json_writer_member_int (w, "seq", MAX (upto, since));
  ks_json_writer_member_bool (w, "more", more);
  ks_json_writer_end_object (w);

  g_clear_pointer (&ts, ks_stmt_release);
  g_clear_pointer (&cur, ks_stmt_release);
  end_read (store, started);
  *out_n_personal = n_personal;
  return TRUE;

fail:
  g_clear_pointer (&st, ks_stmt_release);
  g_clear_pointer (&ts, ks_stmt_release);
  g_clear_pointer (&cur, ks_stmt_release);
  end_read (store, started);
  return FALSE;
}

/* ---- Detail ---- */

#define DETAIL_COLUMNS \
  LIST_COLUMNS ", r.body_id, r.detail, r.address, r.photo, r.source, r.shortlist_pos, " \
  "r.acknowledged_by, ack.name, r.reporter_name, r.reporter_email, r.reporter_phone, r.show_name, " \
  "sl.name"
enum {
  D_BODY = N_LIST_COLUMNS, D_DETAIL, D_ADDRESS, D_PHOTO, D_SOURCE, D_SHORTLIST_POS,
  D_ACK_BY, D_ACK_NAME, D_REPORTER,
  D_SHORTLIST_NAME = D_REPORTER + 4,
};
#define D_SHORTLIST_USER 13   /* r.shortlist_user in LIST_COLUMNS */

static gboolean
write_updates (KsStore *store, gint64 report_id, KsJsonWriter *w, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT u.id, u.kind, u.text, u.state, u.priority_id, u.user_id, "
    "       COALESCE(s.name, u.author_name), u.public, u.created, u.photo, u.source "
    "FROM updates u LEFT JOIN users s ON s.id = u.user_id "
    "WHERE u.report_id = ? ORDER BY u.created, u.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  ks_json_writer_key (w, "updates");
  ks_json_writer_begin_array (w);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", ks_col_int (st, 0));
      ks_sqlite_member_text (w, "kind", st, 1);
      ks_sqlite_member_text (w, "text", st, 2);
      ks_sqlite_member_text (w, "state", st, 3);
      ks_sqlite_member_id (w, "priority_id", st, 4);
      ks_sqlite_member_text (w, "user", st, 6);
      ks_sqlite_member_id (w, "user_id", st, 5);
      ks_json_writer_member_bool (w, "public", ks_col_int (st, 7) != 0);
      ks_json_writer_member_timestamp (w, "created", ks_col_int (st, 8));
      ks_sqlite_member_text (w, "photo", st, 9);
      ks_sqlite_member_text (w, "source", st, 10);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
write_moderation (KsStore *store, gint64 report_id, KsJsonWriter *w, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT m.id, m.user_id, s.name, m.reason, m.created, m.old_title, m.new_title, "
    "       m.old_detail, m.new_detail, m.old_show_name, m.new_show_name, m.old_photo, "
    "       m.photo_removed "
    "FROM moderation m LEFT JOIN users s ON s.id = m.user_id "
    "WHERE m.report_id = ? ORDER BY m.created, m.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  ks_json_writer_key (w, "moderation");
  ks_json_writer_begin_array (w);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gboolean removed = ks_col_int (st, 12) != 0;

      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", ks_col_int (st, 0));
      ks_sqlite_member_text (w, "user", st, 2);
      ks_sqlite_member_id (w, "user_id", st, 1);
      ks_sqlite_member_text (w, "reason", st, 3);
      ks_json_writer_member_timestamp (w, "created", ks_col_int (st, 4));
      ks_json_writer_key (w, "before");
      ks_json_writer_begin_object (w);
      ks_sqlite_member_text (w, "title", st, 5);
      ks_sqlite_member_text (w, "detail", st, 7);
      member_col_bool (w, "show_name", st, 9);
      ks_sqlite_member_text (w, "photo", st, 11);
      ks_json_writer_end_object (w);
      ks_json_writer_key (w, "after");
      ks_json_writer_begin_object (w);
      ks_sqlite_member_text (w, "title", st, 6);
      ks_sqlite_member_text (w, "detail", st, 8);
      member_col_bool (w, "show_name", st, 10);
      if (removed)
        ks_json_writer_member_null (w, "photo");
      else
        ks_sqlite_member_text (w, "photo", st, 11);
      ks_json_writer_end_object (w);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
write_detail (KsStore           *store,
              const KsPrincipal *who,
              gint64             report_id,
              KsJsonWriter      *w,
              gint64            *out_body_id,
              gboolean          *out_personal,
              GError           **error)
{
  g_autoptr(KsStmt) st = NULL;
  gboolean started = FALSE, personal = FALSE;
  gint64 body_id;
  int rc;

  if (out_personal)
    *out_personal = FALSE;
  if (!begin_read (store, &started, error))
    return FALSE;

  st = ks_sqlite_stmt (store,
    "SELECT " DETAIL_COLUMNS " FROM reports r" LIST_FROM
    " LEFT JOIN users ack ON ack.id = r.acknowledged_by"
    " LEFT JOIN users sl ON sl.id = r.shortlist_user WHERE r.id = ?", error);
  if (st == NULL)
    goto fail;
  sqlite3_bind_int64 (st, 1, report_id);
  rc = sqlite3_step (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ks_sqlite_stmt_fail (st, error);
      goto fail;
    }
  body_id = rc == SQLITE_ROW ? ks_col_int (st, D_BODY) : 0;
  if (rc == SQLITE_DONE || !ks_principal_in_body (who, body_id))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no report %" G_GINT64_FORMAT ". Check the report number.",
                   report_id);
      goto fail;
    }

  ks_json_writer_begin_object (w);
  ks_sqlite_write_list_members (w, st);
  ks_sqlite_member_text (w, "detail", st, D_DETAIL);
  ks_sqlite_member_text (w, "address", st, D_ADDRESS);
  ks_sqlite_member_text (w, "photo", st, D_PHOTO);
  ks_sqlite_member_text (w, "source", st, D_SOURCE);
  ks_sqlite_member_id (w, "shortlist_position", st, D_SHORTLIST_POS);
  member_user (w, "acknowledged_by", st, D_ACK_BY, D_ACK_NAME);
  member_user (w, "shortlist_holder", st, D_SHORTLIST_USER, D_SHORTLIST_NAME);
  /* Personal data only to staff of the report's own council. */
  if (who->body_id != 0 && who->body_id == body_id)
    personal = member_reporter (w, st, D_REPORTER);
  else
    ks_json_writer_member_null (w, "reporter");
  ks_stmt_release (g_steal_pointer (&st));

  if (!write_updates (store, report_id, w, error) ||
      !write_moderation (store, report_id, w, error))
    goto fail;
  ks_json_writer_end_object (w);

  end_read (store, started);
  if (out_body_id)
    *out_body_id = body_id;
  if (out_personal)
    *out_personal = personal;
  return TRUE;

fail:
  g_clear_pointer (&st, ks_stmt_release);
  end_read (store, started);
  return FALSE;
}

static gboolean
media_visible (KsStore           *store,
               const KsPrincipal *who,
               const char        *ref,
               gboolean          *out_visible,
               GError           **error)
{
  g_autoptr(KsStmt) st = NULL;
  gboolean found = FALSE;
  gint64 body_id = who->is_superuser ? 0 : who->body_id;

  *out_visible = FALSE;
  if (!who->is_superuser && body_id == 0)
    return TRUE;
  /* ?2 = 0: any council (superusers). */
  st = ks_sqlite_stmt (store,
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r WHERE r.photo = ?1 "
    "                         AND (?2 = 0 OR r.body_id = ?2)) "
    "  OR EXISTS (SELECT 1 FROM updates u JOIN reports r ON r.id = u.report_id "
    "             WHERE u.photo = ?1 AND (?2 = 0 OR r.body_id = ?2)) "
    "  OR (?3 AND EXISTS (SELECT 1 FROM moderation m JOIN reports r ON r.id = m.report_id "
    "                     WHERE m.old_photo = ?1 AND (?2 = 0 OR r.body_id = ?2)))",
    error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, ref);
  sqlite3_bind_int64 (st, 2, body_id);
  sqlite3_bind_int (st, 3, ks_principal_can (who, KS_PERM_MODERATE_REPORT) ? 1 : 0);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_visible = found;
  return TRUE;
}

static gboolean
media_public (KsStore     *store,
              const char  *ref,
              gboolean    *out_public,
              GError     **error)
{
  g_autoptr(KsStmt) st = NULL;
  gboolean found = FALSE;

  *out_public = FALSE;
  st = ks_sqlite_stmt (store,
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM reports r JOIN categories c ON c.id = r.category_id "
    "                       WHERE r.photo = ?1 AND r.state NOT IN ('unconfirmed', 'hidden') "
    "                         AND c.private = 0) "
    "  OR EXISTS (SELECT 1 FROM updates u JOIN reports r ON r.id = u.report_id "
    "             JOIN categories c ON c.id = r.category_id "
    "             WHERE u.photo = ?1 AND u.public = 1 "
    "               AND r.state NOT IN ('unconfirmed', 'hidden') AND c.private = 0)",
    error);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, ref);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  *out_public = found;
  return TRUE;
}

void
ks_sqlite_store_reports_init (KsStoreReportsVTable *vtable)
{
  vtable->media_visible = media_visible;
  vtable->media_public = media_public;
  vtable->write_list = write_list;
  vtable->write_sync = write_sync;
  vtable->write_detail = write_detail;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-filter.c: the filtered and sorted view of the reports.
 *
 * A plain scan over the base model: every criterion is a few comparisons, and the
 * free-text search looks words up in each report's folded text (made once). The
 * new result is compared with the old one so that only the range that differs
 * is announced, in a single items-changed. Reports that changed in place (the
 * base model announced them, the same objects come back at the same places)
 * are part of that range too: a view must draw them again. A change that can
 * only narrow the result (a search word typed on) looks at the result alone. */
#define G_LOG_DOMAIN "ks-report-filter"

#include "ks-report-filter.h"
#include "ks-report-private.h"
#include "ks-report-store.h"
#include "ks-radix-sort.h"

#include <stdlib.h>
#include <string.h>

struct _KsReportFilter
{
  GObject      parent_instance;

  GListModel  *base;
  gulong       base_handler;
  guint        idle_id;
  GPtrArray   *items;           /* KsReport, borrowed from the order (or the retired one) */
  GPtrArray   *order;           /* every base report in the current order (owned refs);
                                 * NULL: to sort again (the base or the order changed) */
  GPtrArray   *retired;         /* an order given up before the next pass: its refs keep
                                 * the items alive until they are replaced */
  gboolean     base_changed;    /* the order is to be brought up to date */
  GCompareDataFunc compare;     /* the view's order, NULL: the sort alone */
  KsReportSortKeys compare_keys; /* the same order as keys, or NULL */
  gpointer     compare_data;
  guint        freeze;
  gboolean     dirty;
  gboolean     narrowing;       /* while frozen: every change held only narrowed the criteria */
  gboolean     criteria_changed; /* the criteria changed since the last pass */
  gboolean     telling_criteria; /* telling of a pass a change of the criteria made */
  GHashTable  *touched;         /* KsReport the base announced since the last refilter */
  gboolean     all_touched;     /* too many to list: all of them */

  GHashTable  *states;          /* interned state ids (pointer set), NULL: any */
  GArray      *categories;      /* gint64, sorted; empty: any */
  char        *group;
  GHashTable  *wards;           /* interned ward names (pointer set), NULL: any */
  GArray      *priorities;      /* gint64, sorted; empty: any */
  gint64       from;
  gint64       to;
  char       **words;           /* folded words, NULL: no text */
  KsSearchWords *search_words;  /* the same, made ready for the scan */
  guint        n_passes;        /* passes made (for tests) */
  gint64       text_id;         /* the text is a number: also match this id */
  gint64       shortlist_user;
  KsReportAssigned assigned;
  gint64       assigned_me;
  GHashTable  *shortlist_rank;  /* report id -> 1 + place in the shortlist order */
  KsReportSort sort;
};

static GType
ks_report_filter_get_item_type (GListModel *model)
{
  return KS_TYPE_REPORT;
}

static guint
ks_report_filter_get_n_items (GListModel *model)
{
  return KS_REPORT_FILTER (model)->items->len;
}

static gpointer
ks_report_filter_get_item (GListModel *model,
                           guint       position)
{
  KsReportFilter *self = KS_REPORT_FILTER (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
ks_report_filter_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ks_report_filter_get_item_type;
  iface->get_n_items = ks_report_filter_get_n_items;
  iface->get_item = ks_report_filter_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (KsReportFilter, ks_report_filter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ks_report_filter_list_model_init))

static void
ks_report_filter_dispose (GObject *object)
{
  KsReportFilter *self = KS_REPORT_FILTER (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->base != NULL)
    {
      g_clear_signal_handler (&self->base_handler, self->base);
      g_clear_object (&self->base);
    }
  G_OBJECT_CLASS (ks_report_filter_parent_class)->dispose (object);
}

static void
ks_report_filter_finalize (GObject *object)
{
  KsReportFilter *self = KS_REPORT_FILTER (object);

  g_ptr_array_unref (self->items);
  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_hash_table_unref (self->touched);
  g_clear_pointer (&self->shortlist_rank, g_hash_table_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_pointer (&self->wards, g_hash_table_unref);
  g_array_unref (self->categories);
  g_array_unref (self->priorities);
  g_free (self->group);
  g_strfreev (self->words);
  ks_search_words_free (self->search_words);
  G_OBJECT_CLASS (ks_report_filter_parent_class)->finalize (object);
}

static void
ks_report_filter_class_init (KsReportFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_report_filter_dispose;
  object_class->finalize = ks_report_filter_finalize;
}

static void
ks_report_filter_init (KsReportFilter *self)
{
  self->items = g_ptr_array_new ();
  self->touched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->categories = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->priorities = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->sort = KS_REPORT_SORT_UPDATED_DESC;
}

static gboolean
refilter_idle (gpointer data)
{
  KsReportFilter *self = data;

  self->idle_id = 0;
  ks_report_filter_refilter (self);
  return G_SOURCE_REMOVE;
}

static void
on_base_items_changed (GListModel     *base,
                       guint           position,
                       guint           removed,
                       guint           added,
                       KsReportFilter *self)
{
  /* Remember which reports were announced: one that changed in place stays the
   * same object at the same position, so comparing the results alone would miss it. */
  if (!self->all_touched && added > 0)
    {
      if (added > 4096 || g_hash_table_size (self->touched) > 16384)
        {
          self->all_touched = TRUE;
          g_hash_table_remove_all (self->touched);
        }
      else
        for (guint i = position; i < position + added; i++)
          g_hash_table_add (self->touched, g_list_model_get_item (base, i));
    }
  /* Changed reports may have moved in the order. */
  self->base_changed = TRUE;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE - 10, refilter_idle, self, NULL);
}

KsReportFilter *
ks_report_filter_new (GListModel *base)
{
  KsReportFilter *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (base), NULL);

  self = g_object_new (KS_TYPE_REPORT_FILTER, NULL);
  self->base = g_object_ref (base);
  self->base_handler = g_signal_connect (base, "items-changed",
                                         G_CALLBACK (on_base_items_changed), self);
  ks_report_filter_refilter (self);
  return self;
}

GListModel *
ks_report_filter_get_base (KsReportFilter *self)
{
  g_return_val_if_fail (KS_IS_REPORT_FILTER (self), NULL);
  return self->base;
}

guint
ks_report_filter_get_n_total (KsReportFilter *self)
{
  g_return_val_if_fail (KS_IS_REPORT_FILTER (self), 0);
  return g_list_model_get_n_items (self->base);
}

static gboolean
array_has (GArray *array,
           gint64  v)
{
  guint lo = 0, hi = array->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      gint64 m = g_array_index (array, gint64, mid);
      if (m == v)
        return TRUE;
      if (m < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

static gboolean
group_matches (const char *groups,
               const char *group)
{
  gsize len = strlen (group);
  const char *p = groups;

  while (p != NULL && *p)
    {
      const char *bar = strchr (p, '|');
      gsize n = bar ? (gsize) (bar - p) : strlen (p);
      if (n == len && strncmp (p, group, len) == 0)
        return TRUE;
      p = bar ? bar + 1 : NULL;
    }
  return FALSE;
}

static gboolean
matches (KsReportFilter *self,
         KsReport       *r)
{
  /* A report made here and not yet sent (a placeholder, id below zero) shows
   * whatever the filter: the person who made it must see that it waits. */
  if (r->id < 0)
    return TRUE;
  if (self->states != NULL && !g_hash_table_contains (self->states, r->state))
    return FALSE;
  if (self->categories->len > 0 && !array_has (self->categories, r->category_id))
    return FALSE;
  if (self->priorities->len > 0 && !array_has (self->priorities, r->priority_id))
    return FALSE;
  if (self->group != NULL && !group_matches (r->group, self->group))
    return FALSE;
  if (self->wards != NULL && (r->ward == NULL || !g_hash_table_contains (self->wards, r->ward)))
    return FALSE;
  if (self->from != 0 && r->created < self->from)
    return FALSE;
  if (self->to != 0 && r->created > self->to)
    return FALSE;
  if (self->shortlist_user != 0 && r->shortlist_user != self->shortlist_user)
    return FALSE;
  switch (self->assigned)
    {
    case KS_REPORT_ASSIGNED_ME:
      if (r->shortlist_user == 0 || r->shortlist_user != self->assigned_me)
        return FALSE;
      break;
    case KS_REPORT_ASSIGNED_SOMEONE:
      if (r->shortlist_user == 0)
        return FALSE;
      break;
    case KS_REPORT_ASSIGNED_NOBODY:
      if (r->shortlist_user != 0)
        return FALSE;
      break;
    case KS_REPORT_ASSIGNED_ANY:
    default:
      break;
    }
  if (self->words != NULL)
    {
      if (self->text_id != 0 && r->id == self->text_id)
        return TRUE;
      if (!ks_report_has_words (r, self->search_words))
        return FALSE;
    }
  return TRUE;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int
cmp_updated_desc (gconstpointer a, gconstpointer b)
{
  KsReport *x = *(KsReport **) a, *y = *(KsReport **) b;
  int c = CMP (y->updated, x->updated);
  return c ? c : CMP (y->id, x->id);
}

static int
cmp_updated_asc (gconstpointer a, gconstpointer b)
{
  return -cmp_updated_desc (a, b);
}

static int
cmp_created_desc (gconstpointer a, gconstpointer b)
{
  KsReport *x = *(KsReport **) a, *y = *(KsReport **) b;
  int c = CMP (y->created, x->created);
  return c ? c : CMP (y->id, x->id);
}

static int
cmp_created_asc (gconstpointer a, gconstpointer b)
{
  return -cmp_created_desc (a, b);
}

static int
cmp_id_desc (gconstpointer a, gconstpointer b)
{
  KsReport *x = *(KsReport **) a, *y = *(KsReport **) b;
  return CMP (y->id, x->id);
}

static guint
shortlist_rank (GHashTable *ranks, gint64 id)
{
  guint rank = ranks ? GPOINTER_TO_UINT (g_hash_table_lookup (ranks, &id)) : 0;
  return rank ? rank : G_MAXUINT;
}

static int
cmp_shortlist (gconstpointer a, gconstpointer b, gpointer data)
{
  KsReport *x = *(KsReport **) a, *y = *(KsReport **) b;
  int c = CMP (x->shortlist_user == 0, y->shortlist_user == 0);
  if (c == 0)
    c = CMP (x->shortlist_user, y->shortlist_user);
  if (c == 0)
    c = CMP (shortlist_rank (data, x->id), shortlist_rank (data, y->id));
  return c ? c : CMP (x->id, y->id);
}

static GCompareFunc
sort_compare (KsReportSort sort)
{
  switch (sort)
    {
    case KS_REPORT_SORT_UPDATED_ASC: return cmp_updated_asc;
    case KS_REPORT_SORT_CREATED_DESC: return cmp_created_desc;
    case KS_REPORT_SORT_CREATED_ASC: return cmp_created_asc;
    case KS_REPORT_SORT_ID_DESC: return cmp_id_desc;
    case KS_REPORT_SORT_SHORTLIST: return NULL;
    case KS_REPORT_SORT_UPDATED_DESC:
    default: return cmp_updated_desc;
    }
}

/* The view's order first (when it has one), then the sort, which ends on the
 * id: a total order, so the result is the one a stable sort of the sorted
 * reports by the view's order gave. */
static int
cmp_order (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  KsReportFilter *self = data;
  GCompareFunc cmp;
  int c;

  if (self->compare != NULL &&
      (c = self->compare (*(KsReport **) a, *(KsReport **) b, self->compare_data)) != 0)
    return c;
  cmp = sort_compare (self->sort);
  return cmp ? cmp (a, b) : cmp_shortlist (a, b, self->shortlist_rank);
}

/* The order is to be made again at the next pass. The items borrow their
 * reports from it (a removed report may have no other ref): it is kept until
 * they are replaced. */
static void
retire_order (KsReportFilter *self)
{
  if (self->order == NULL)
    return;
  g_clear_pointer (&self->retired, g_ptr_array_unref);   /* none: a pass drops it */
  self->retired = g_steal_pointer (&self->order);
}

/* A report with the view's keys, for sorting by them. */
typedef struct {
  gint64    key[2];
  KsReport *report;
} Keyed;

static int
cmp_keyed (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  const Keyed *x = a, *y = b;
  KsReportFilter *self = data;
  GCompareFunc cmp;
  int c;

  if ((c = CMP (x->key[0], y->key[0])) != 0 || (c = CMP (x->key[1], y->key[1])) != 0)
    return c;
  cmp = sort_compare (self->sort);
  return cmp ? cmp (&x->report, &y->report) : cmp_shortlist (&x->report, &y->report, self->shortlist_rank);
}

/* The sort's own keys for report: a total order, the one its compare function
 * gives (sort_compare()); not for the shortlist's sort, which has none. */
static void
sort_keys (KsReportSort  sort,
           KsReport     *report,
           gint64        key[2])
{
  switch (sort)
    {
    case KS_REPORT_SORT_UPDATED_ASC: key[0] = report->updated; key[1] = report->id; break;
    case KS_REPORT_SORT_CREATED_DESC: key[0] = -report->created; key[1] = -report->id; break;
    case KS_REPORT_SORT_CREATED_ASC: key[0] = report->created; key[1] = report->id; break;
    case KS_REPORT_SORT_ID_DESC: key[0] = -report->id; key[1] = 0; break;
    case KS_REPORT_SORT_SHORTLIST: g_assert_not_reached ();
    case KS_REPORT_SORT_UPDATED_DESC:
    default: key[0] = -report->updated; key[1] = -report->id; break;
    }
}

static int
cmp_keys (gconstpointer a,
          gconstpointer b,
          gpointer      data)
{
  const Keyed *x = a, *y = b;
  int c = CMP (x->key[0], y->key[0]);

  return c ? c : CMP (x->key[1], y->key[1]);
}

/* keyed (n of them) into order, in the order cmp gives: by a radix sort of
 * both keys as one 64-bit key (the first's offset from its least above the
 * second's), when their ranges fit in 64 bits; runs of equal keys (the view's
 * order leaves ties to the sort) are then sorted by cmp. FALSE, and nothing
 * added, when the keys do not fit. With 500,000 reports at the start (the
 * Priority column's order), qsort took 86 ms and this takes 11-16 (the
 * passes 5-6 of them; the rest reads keyed in the new order, asked for
 * ahead). */
static gboolean
radix_sort_keyed (Keyed            *keyed,
                  guint             n,
                  GCompareDataFunc  cmp,
                  gpointer          data,
                  GPtrArray        *order)
{
  gint64 lo[2] = { G_MAXINT64, G_MAXINT64 }, hi[2] = { G_MININT64, G_MININT64 };
  g_autofree KsRadixItem *items = NULL, *room = NULL;
  KsRadixItem *s;
  guint shift;

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < 2; k++)
      {
        lo[k] = MIN (lo[k], keyed[i].key[k]);
        hi[k] = MAX (hi[k], keyed[i].key[k]);
      }
  shift = ks_radix_bits_of ((guint64) hi[1] - (guint64) lo[1]);
  if (ks_radix_bits_of ((guint64) hi[0] - (guint64) lo[0]) + shift > 64)
    return FALSE;

  items = g_new (KsRadixItem, n);
  room = g_new (KsRadixItem, n);
  for (guint i = 0; i < n; i++)
    {
      guint64 first = (guint64) keyed[i].key[0] - (guint64) lo[0];

      items[i].key = (shift < 64 ? first << shift : 0) | ((guint64) keyed[i].key[1] - (guint64) lo[1]);
      items[i].place = i;
    }
  s = ks_radix_sort (items, room, n);
  for (guint start = 0, end; start < n; start = end)
    {
      if (start + KS_REPORT_PREFETCH_AHEAD < n)
        __builtin_prefetch (&keyed[s[start + KS_REPORT_PREFETCH_AHEAD].place]);
      for (end = start + 1; end < n && s[end].key == s[start].key; end++)
        ;
      if (end - start > 1)
        {
          g_autofree Keyed *run = g_new (Keyed, end - start);

          for (guint i = start; i < end; i++)
            run[i - start] = keyed[s[i].place];
          g_qsort_with_data (run, end - start, sizeof (Keyed), cmp, data);
          for (guint i = 0; i < end - start; i++)
            g_ptr_array_add (order, run[i].report);
        }
      else
        g_ptr_array_add (order, keyed[s[start].place].report);
    }
  return TRUE;
}

/* Every base report, in the current order (once until the base, the sort or
 * the view's order changes). Sorted by keys side by side where the view's
 * order or the sort has them: the sort compares them in place, not two
 * reports' fields wherever the reports are in memory (with 500,000 reports,
 * 50 ms instead of 100). */
static void
sort_base (KsReportFilter *self)
{
  guint n = g_list_model_get_n_items (self->base);
  gboolean by_view = self->compare != NULL;
  g_autofree Keyed *keyed = NULL;

  self->order = g_ptr_array_new_full (n, g_object_unref);
  if (n > 1 && (by_view ? self->compare_keys != NULL : self->sort != KS_REPORT_SORT_SHORTLIST))
    {
      guint n_lent = 0;
      KsReport * const *lent = KS_IS_REPORT_STORE (self->base)
                               ? ks_report_store_peek_items (KS_REPORT_STORE (self->base), &n_lent) : NULL;

      keyed = g_new (Keyed, n);
      for (guint i = 0; i < n; i++)
        {
          /* The store's reports asked for ahead, as in a pass. */
          if (i + KS_REPORT_PREFETCH_AHEAD < n_lent)
            ks_report_prefetch_object (lent[i + KS_REPORT_PREFETCH_AHEAD]);
          keyed[i].report = g_list_model_get_item (self->base, i);
          if (by_view)
            self->compare_keys (keyed[i].report, keyed[i].key, self->compare_data);
          else
            sort_keys (self->sort, keyed[i].report, keyed[i].key);
        }
      if (radix_sort_keyed (keyed, n, by_view ? cmp_keyed : cmp_keys, self, self->order))
        return;
      g_qsort_with_data (keyed, n, sizeof (Keyed), by_view ? cmp_keyed : cmp_keys, self);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (self->order, keyed[i].report);
      return;
    }
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->order, g_list_model_get_item (self->base, i));
  if (n > 1)
    g_qsort_with_data (self->order->pdata, n, sizeof (gpointer), cmp_order, self);
}

/* The base announced a few reports (self->touched, changed in place or
 * added): they leave the order and go back in where they now belong, the
 * others keep theirs, in one pass rather than a sort of every report. FALSE
 * when that does not give the base's reports (some were removed): then only
 * sorting them all again does. */
static gboolean
update_order (KsReportFilter *self)
{
  guint n = g_list_model_get_n_items (self->base);
  g_autoptr(GPtrArray) moved = g_ptr_array_new_full (g_hash_table_size (self->touched), g_object_unref);
  GPtrArray *next;
  GHashTableIter iter;
  gpointer key;
  guint i = 0, j = 0;

  g_hash_table_iter_init (&iter, self->touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (moved, g_object_ref (key));
  if (moved->len > 1)
    g_qsort_with_data (moved->pdata, moved->len, sizeof (gpointer), cmp_order, self);
  next = g_ptr_array_new_full (n, g_object_unref);
  while (i < self->order->len || j < moved->len)
    {
      gpointer kept = i < self->order->len ? g_ptr_array_index (self->order, i) : NULL;

      if (kept != NULL && g_hash_table_contains (self->touched, kept))
        i++;
      else if (j < moved->len &&
               (kept == NULL || cmp_order (&g_ptr_array_index (moved, j), &kept, self) < 0))
        g_ptr_array_add (next, g_object_ref (g_ptr_array_index (moved, j++)));
      else
        {
          g_ptr_array_add (next, g_object_ref (kept));
          i++;
        }
    }
  if (next->len != n)
    {
      g_ptr_array_unref (next);
      return FALSE;
    }
  g_ptr_array_unref (self->order);
  self->order = next;
  return TRUE;
}

/* A pass. narrows: the criteria changed only so that no report they did not
 * match before can match now (more search words, or longer ones): then, when
 * the base has not changed either, the pass looks only at the current result,
 * which is in the order already (typing a search looks at fewer reports with
 * each letter). */
static void
refilter (KsReportFilter *self,
          gboolean        narrows)
{
  g_autoptr(GPtrArray) next = NULL;
  GPtrArray *scanned;
  guint old_n, new_n, prefix = 0, suffix = 0;
  gboolean same, by_criteria;

  if (self->freeze > 0)
    {
      /* Held changes narrow only if every one of them did. */
      self->narrowing = (self->dirty ? self->narrowing : TRUE) && narrows;
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;
  self->narrowing = FALSE;
  self->n_passes++;
  g_clear_handle_id (&self->idle_id, g_source_remove);
  narrows = narrows && self->order != NULL && !self->base_changed && !self->all_touched &&
            g_hash_table_size (self->touched) == 0;

  if (self->order != NULL && self->base_changed &&
      (self->all_touched || g_hash_table_size (self->touched) == 0 || !update_order (self)))
    retire_order (self);
  self->base_changed = FALSE;
  if (self->order == NULL)
    sort_base (self);
  /* A pass over the reports in their order: no sorting at a change of the
   * criteria, only when the base or the order changed. */
  scanned = narrows ? self->items : self->order;
  next = g_ptr_array_sized_new (MIN (scanned->len, 1024));
  for (guint i = 0; i < scanned->len; i++)
    {
      KsReport *r = g_ptr_array_index (scanned, i);

      /* The object some reports ahead, its text (read once the object is
       * there) half as far. */
      if (i + KS_REPORT_PREFETCH_AHEAD < scanned->len)
        ks_report_prefetch_object (g_ptr_array_index (scanned, i + KS_REPORT_PREFETCH_AHEAD));
      if (self->words != NULL && i + KS_REPORT_PREFETCH_AHEAD / 2 < scanned->len)
        ks_report_prefetch_text (g_ptr_array_index (scanned, i + KS_REPORT_PREFETCH_AHEAD / 2));
      if (matches (self, r))
        g_ptr_array_add (next, r);
    }

  old_n = self->items->len;
  new_n = next->len;
  while (prefix < old_n && prefix < new_n &&
         g_ptr_array_index (self->items, prefix) == g_ptr_array_index (next, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_ptr_array_index (self->items, old_n - 1 - suffix) == g_ptr_array_index (next, new_n - 1 - suffix))
    suffix++;

  /* Widen the range over the reports that changed in place. Outside the range
   * both results hold the same reports, so a position in the suffix maps to the
   * old result by the difference in lengths. */
  same = old_n == new_n && prefix == old_n;
  if (self->all_touched && new_n > 0)
    {
      prefix = 0;
      suffix = 0;
      same = FALSE;
    }
  else if (g_hash_table_size (self->touched) > 0)
    {
      guint lo = prefix, hi = new_n - suffix;

      for (guint i = 0; i < new_n; i++)
        if (g_hash_table_contains (self->touched, g_ptr_array_index (next, i)))
          {
            lo = same ? i : MIN (lo, i);
            hi = same ? i + 1 : MAX (hi, i + 1);
            same = FALSE;
          }
      prefix = lo;
      suffix = new_n - hi;
    }
  self->all_touched = FALSE;
  g_hash_table_remove_all (self->touched);

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&next);
  /* The items are the order's reports now: no ref a report each, taken and
   * dropped again at every pass. */
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  by_criteria = self->criteria_changed;
  self->criteria_changed = FALSE;
  if (!same)
    {
      self->telling_criteria = by_criteria;
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_n - prefix - suffix, new_n - prefix - suffix);
      self->telling_criteria = FALSE;
    }
}

KsReport * const *
ks_report_filter_peek_items (KsReportFilter *self,
                             guint          *n_items)
{
  g_return_val_if_fail (KS_IS_REPORT_FILTER (self), NULL);
  g_return_val_if_fail (n_items != NULL, NULL);
  *n_items = self->items->len;
  return (KsReport * const *) self->items->pdata;
}

guint
ks_report_filter_find_id (KsReportFilter *self,
                          gint64          id)
{
  g_return_val_if_fail (KS_IS_REPORT_FILTER (self), G_MAXUINT);

  for (guint i = 0; i < self->items->len; i++)
    if (((KsReport *) g_ptr_array_index (self->items, i))->id == id)
      return i;
  return G_MAXUINT;
}

guint
ks_report_filter_get_n_passes (KsReportFilter *self)
{
  g_return_val_if_fail (KS_IS_REPORT_FILTER (self), 0);
  return self->n_passes;
}

void
ks_report_filter_refilter (KsReportFilter *self)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  refilter (self, FALSE);
}

/* A pass for a change of the criteria (not of the order): the rows it
 * changes are told as such. */
static void
refilter_criteria (KsReportFilter *self,
                   gboolean        narrows)
{
  self->criteria_changed = TRUE;
  refilter (self, narrows);
}

gboolean
ks_report_filter_is_criteria_change (KsReportFilter *self)
{
  g_return_val_if_fail (KS_IS_REPORT_FILTER (self), FALSE);
  return self->telling_criteria;
}

void
ks_report_filter_freeze (KsReportFilter *self)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  self->freeze++;
}

void
ks_report_filter_thaw (KsReportFilter *self)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  g_return_if_fail (self->freeze > 0);
  if (--self->freeze == 0 && self->dirty)
    refilter (self, self->narrowing);
}

static int
cmp_int64 (gconstpointer a, gconstpointer b)
{
  return CMP (*(const gint64 *) a, *(const gint64 *) b);
}

/* Whether two sets of interned strings (NULL: none) hold the same. */
static gboolean
same_sets (GHashTable *a,
           GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key))
      return FALSE;
  return TRUE;
}

/* ids (n of them) sorted into array; TRUE when that changed what it held. */
static gboolean
set_ids (GArray       *array,
         const gint64 *ids,
         guint         n)
{
  g_autoptr(GArray) next = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  if (n > 0)
    g_array_append_vals (next, ids, n);
  g_array_sort (next, cmp_int64);
  if (next->len == array->len &&
      (n == 0 || memcmp (next->data, array->data, n * sizeof (gint64)) == 0))
    return FALSE;
  g_array_set_size (array, 0);
  g_array_append_vals (array, next->data, next->len);
  return TRUE;
}

void
ks_report_filter_set_states (KsReportFilter     *self,
                             const char * const *states)
{
  g_autoptr(GHashTable) before = NULL;

  g_return_if_fail (KS_IS_REPORT_FILTER (self));

  before = g_steal_pointer (&self->states);
  if (states != NULL && states[0] != NULL)
    {
      self->states = g_hash_table_new (NULL, NULL);
      for (guint i = 0; states[i]; i++)
        g_hash_table_add (self->states, (gpointer) g_intern_string (states[i]));
    }
  if (!same_sets (before, self->states))
    refilter_criteria (self, FALSE);
}

void
ks_report_filter_set_categories (KsReportFilter *self,
                                 const gint64   *ids,
                                 guint           n)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  if (set_ids (self->categories, ids, n))
    refilter_criteria (self, FALSE);
}

void
ks_report_filter_set_priorities (KsReportFilter *self,
                                 const gint64   *ids,
                                 guint           n)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  if (set_ids (self->priorities, ids, n))
    refilter_criteria (self, FALSE);
}

void
ks_report_filter_set_group (KsReportFilter *self,
                            const char     *group)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  if (group != NULL && group[0] == '\0')
    group = NULL;
  if (g_strcmp0 (group, self->group) == 0)
    return;
  g_free (self->group);
  self->group = g_strdup (group);
  refilter_criteria (self, FALSE);
}

void
ks_report_filter_set_ward (KsReportFilter *self,
                           const char     *ward)
{
  const char *wards[] = { ward, NULL };

  ks_report_filter_set_wards (self, ward != NULL && ward[0] != '\0' ? wards : NULL);
}

void
ks_report_filter_set_wards (KsReportFilter     *self,
                            const char * const *wards)
{
  g_autoptr(GHashTable) before = NULL;

  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  before = g_steal_pointer (&self->wards);
  for (guint i = 0; wards != NULL && wards[i] != NULL; i++)
    {
      if (self->wards == NULL)
        self->wards = g_hash_table_new (NULL, NULL);
      g_hash_table_add (self->wards, (gpointer) g_intern_string (wards[i]));
    }
  if (!same_sets (before, self->wards))
    refilter_criteria (self, FALSE);
}

void
ks_report_filter_set_date_range (KsReportFilter *self,
                                 gint64          from,
                                 gint64          to)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  if (self->from == from && self->to == to)
    return;
  self->from = from;
  self->to = to;
  refilter_criteria (self, FALSE);
}

/* Whether the words after match no report the words before did not: each
 * word before is part of a word after (a report holds the longer word, so it
 * holds the shorter). A number matches its report's id as well: not counted. */
static gboolean
words_narrow (char * const *before,
              gint64        before_id,
              char * const *after,
              gint64        after_id)
{
  if (before_id != 0 || after_id != 0 || after == NULL)
    return FALSE;
  for (guint i = 0; before != NULL && before[i] != NULL; i++)
    {
      guint j = 0;

      while (after[j] != NULL && strstr (after[j], before[i]) == NULL)
        j++;
      if (after[j] == NULL)
        return FALSE;
    }
  return TRUE;
}

void
ks_report_filter_set_text (KsReportFilter *self,
                           const char     *text)
{
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_auto(GStrv) before = NULL;
  gint64 before_id;
  char **parts;

  g_return_if_fail (KS_IS_REPORT_FILTER (self));

  before = g_steal_pointer (&self->words);
  g_clear_pointer (&self->search_words, ks_search_words_free);
  before_id = self->text_id;
  self->text_id = 0;
  if (text != NULL)
    {
      folded = ks_report_fold_text (text);
      g_strstrip (folded);
      if (folded[0] == '#')
        folded[0] = ' ';
    }
  if (folded != NULL && folded[0] != '\0')
    {
      char *end = NULL;
      gint64 id = g_ascii_strtoll (g_strstrip (folded), &end, 10);

      if (end != NULL && *end == '\0' && id > 0)
        self->text_id = id;

      words = g_ptr_array_new ();
      parts = g_strsplit_set (folded, " \t\n", -1);
      for (guint i = 0; parts[i]; i++)
        if (parts[i][0] != '\0')
          g_ptr_array_add (words, g_strdup (parts[i]));
      g_strfreev (parts);
      g_ptr_array_add (words, NULL);
      self->words = (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
      self->search_words = ks_search_words_new (self->words);
    }
  if (before_id == self->text_id &&
      (before == NULL ? self->words == NULL
                      : self->words != NULL && g_strv_equal ((const char * const *) before,
                                                             (const char * const *) self->words)))
    return;
  refilter_criteria (self, words_narrow (before, before_id, self->words, self->text_id));
}

void
ks_report_filter_set_shortlist_user (KsReportFilter *self,
                                     gint64          user_id)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  if (self->shortlist_user == user_id)
    return;
  self->shortlist_user = user_id;
  refilter_criteria (self, FALSE);
}

void
ks_report_filter_set_assigned (KsReportFilter   *self,
                               KsReportAssigned  assigned,
                               gint64            me)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  if (self->assigned == assigned && self->assigned_me == me)
    return;
  self->assigned = assigned;
  self->assigned_me = me;
  refilter_criteria (self, FALSE);
}

void
ks_report_filter_set_shortlist_order (KsReportFilter *self,
                                      const gint64   *ids,
                                      guint           n)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  g_clear_pointer (&self->shortlist_rank, g_hash_table_unref);
  if (n > 0)
    {
      self->shortlist_rank = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < n; i++)
        if (!g_hash_table_contains (self->shortlist_rank, &ids[i]))
          g_hash_table_insert (self->shortlist_rank, g_memdup2 (&ids[i], sizeof (gint64)),
                               GUINT_TO_POINTER (i + 1));
    }
  /* The ranks only order the shortlist's sort. */
  if (self->sort == KS_REPORT_SORT_SHORTLIST)
    retire_order (self);
  ks_report_filter_refilter (self);
}

void
ks_report_filter_set_sort (KsReportFilter *self,
                           KsReportSort    sort)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  if (sort != self->sort)
    retire_order (self);
  self->sort = sort;
  ks_report_filter_refilter (self);
}

void
ks_report_filter_set_compare (KsReportFilter   *self,
                              GCompareDataFunc  compare,
                              gpointer          data)
{
  ks_report_filter_set_compare_keys (self, compare, NULL, data);
}

void
ks_report_filter_set_compare_keys (KsReportFilter   *self,
                                   GCompareDataFunc  compare,
                                   KsReportSortKeys  keys,
                                   gpointer          data)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));
  self->compare = compare;
  self->compare_keys = compare != NULL ? keys : NULL;
  self->compare_data = data;
  retire_order (self);
  ks_report_filter_refilter (self);
}

KsReportSort
ks_report_filter_get_sort (KsReportFilter *self)
{
  g_return_val_if_fail (KS_IS_REPORT_FILTER (self), KS_REPORT_SORT_UPDATED_DESC);
  return self->sort;
}

void
ks_report_filter_reset (KsReportFilter *self)
{
  g_return_if_fail (KS_IS_REPORT_FILTER (self));

  g_clear_pointer (&self->states, g_hash_table_unref);
  g_array_set_size (self->categories, 0);
  g_array_set_size (self->priorities, 0);
  g_clear_pointer (&self->group, g_free);
  g_clear_pointer (&self->wards, g_hash_table_unref);
  self->from = self->to = 0;
  g_clear_pointer (&self->words, g_strfreev);
  g_clear_pointer (&self->search_words, ks_search_words_free);
  self->text_id = 0;
  self->shortlist_user = 0;
  self->assigned = KS_REPORT_ASSIGNED_ANY;
  refilter_criteria (self, FALSE);
}

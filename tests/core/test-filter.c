/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-filter.c: the report models without a server: store updates in place,
 * and the filter's criteria, text search and single items-changed, the
 * view's order kept without sorting again at a change of the criteria, and
 * each change told as the criteria's or not. */
#define G_LOG_DOMAIN "test-filter"

#include "ks-report-filter.h"
#include "ks-report-store.h"
#include "ks-report-private.h"

static KsReport *
make (gint64 id, const char *title, const char *state, gint64 category, gint64 created)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = g_strdup_printf (
    "{\"id\": %" G_GINT64_FORMAT ", \"title\": \"%s\", \"state\": \"%s\", \"category_id\": %" G_GINT64_FORMAT
    ", \"category\": \"Potholes\", \"group\": \"Roads|Pavements\", \"ward\": \"Carfax\", "
    "\"created\": %" G_GINT64_FORMAT ", \"updated\": \"2025-03-02T09:10:00Z\", \"version\": 1, "
    "\"lat\": 51.75, \"lon\": -1.25, \"acknowledged\": null, \"shortlist_user\": null}",
    id, title, state, category, created);

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return ks_report_new_from_json (json_node_get_object (json_parser_get_root (parser)), NULL);
}

static guint n_signals;

static void
count_signal (GListModel *model, guint pos, guint removed, guint added, gpointer data)
{
  n_signals++;
}

static void
test_filter (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  const char *open_states[] = { "confirmed", "investigating", NULL };
  gint64 cats[] = { 2 };

  g_ptr_array_add (reports, make (1, "Pothole on High Street", "confirmed", 1, 100));
  g_ptr_array_add (reports, make (2, "Broken street light", "fixed", 2, 200));
  g_ptr_array_add (reports, make (3, "Fly-tipping behind the café", "investigating", 2, 300));
  ks_report_store_replace_all (store, reports);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_cmpint (ks_report_get_created (ks_report_store_lookup (store, 1)), ==, 100);
  g_assert_cmpint (ks_report_get_updated (ks_report_store_lookup (store, 1)), ==, 1740906600);
  /* The store lends its reports, in its order. */
  {
    guint n_lent = 0;
    KsReport * const *lent = ks_report_store_peek_items (store, &n_lent);

    g_assert_cmpuint (n_lent, ==, 3);
    for (guint i = 0; i < n_lent; i++)
      g_assert_true (lent[i] == ks_report_store_lookup (store, i + 1));
  }

  filter = ks_report_filter_new (G_LIST_MODEL (store));
  g_signal_connect (filter, "items-changed", G_CALLBACK (count_signal), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 3);

  ks_report_filter_set_states (filter, open_states);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 2);
  /* A report's position in the result, found by its id. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (G_LIST_MODEL (filter), i);
      g_assert_cmpuint (ks_report_filter_find_id (filter, ks_report_get_id (r)), ==, i);
    }
  /* The same reports lent, in the same order. */
  {
    guint n_lent = 0;
    KsReport * const *lent = ks_report_filter_peek_items (filter, &n_lent);

    g_assert_cmpuint (n_lent, ==, 2);
    for (guint i = 0; i < n_lent; i++)
      {
        g_autoptr(KsReport) r = g_list_model_get_item (G_LIST_MODEL (filter), i);
        g_assert_true (lent[i] == r);
      }
  }
  g_assert_cmpuint (ks_report_filter_find_id (filter, 2), ==, G_MAXUINT);   /* fixed: filtered out */
  g_assert_cmpuint (ks_report_filter_find_id (filter, 99), ==, G_MAXUINT);
  ks_report_filter_set_categories (filter, cats, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  ks_report_filter_reset (filter);

  n_signals = 0;
  ks_report_filter_set_text (filter, "CAFE");
  g_assert_cmpuint (n_signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  ks_report_filter_set_text (filter, "street high");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  ks_report_filter_set_text (filter, "2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  /* ASCII text is searched in place, either case: the same answers as in
   * the folded text. */
  ks_report_filter_set_text (filter, "TREET");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 2);
  ks_report_filter_set_text (filter, "streets");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 0);
  ks_report_filter_set_text (filter, "gh st");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 2);
  ks_report_filter_set_text (filter, "light carfax potholes");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  ks_report_filter_set_text (filter, "Fly-Tipping CAFÉ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  ks_report_filter_set_text (filter, NULL);

  ks_report_filter_set_group (filter, "Pavements");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 3);
  ks_report_filter_set_group (filter, "Pave");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 0);
  ks_report_filter_set_group (filter, NULL);

  ks_report_filter_set_date_range (filter, 150, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 2);

  /* An in-place change in the store is seen on the next idle. */
  ks_report_filter_reset (filter);
  ks_report_filter_set_states (filter, open_states);
  {
    g_autoptr(GPtrArray) change = g_ptr_array_new_with_free_func (g_object_unref);
    KsReport *before = ks_report_store_lookup (store, 2);
    g_ptr_array_add (change, make (2, "Broken street light", "confirmed", 2, 200));
    g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 1);
    g_assert_true (ks_report_store_lookup (store, 2) == before);
    g_assert_cmpstr (ks_report_get_state (before), ==, "confirmed");
  }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 3);
}

static guint last_pos, last_removed, last_added;

static void
record_signal (GListModel *model, guint pos, guint removed, guint added, gpointer data)
{
  n_signals++;
  last_pos = pos;
  last_removed = removed;
  last_added = added;
}

/* A report that changes in place, staying where it is in the filtered result,
 * is announced by the filter at its own position: the views draw it again. */
static void
test_filter_in_place (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) change = g_ptr_array_new_with_free_func (g_object_unref);
  KsReport *report;
  guint pos = G_MAXUINT;

  for (gint64 id = 1; id <= 5; id++)
    g_ptr_array_add (reports, make (id, "Pothole", "confirmed", 1, 100 * id));
  ks_report_store_replace_all (store, reports);
  filter = ks_report_filter_new (G_LIST_MODEL (store));
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_ID_DESC);
  g_signal_connect (filter, "items-changed", G_CALLBACK (record_signal), NULL);
  report = ks_report_store_lookup (store, 3);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (G_LIST_MODEL (filter), i);
      if (r == report)
        pos = i;
    }
  g_assert_cmpuint (pos, ==, 2);

  n_signals = 0;
  g_ptr_array_add (change, make (3, "Pothole", "investigating", 1, 300));
  g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_signals, ==, 1);
  g_assert_cmpuint (last_pos, ==, 2);
  g_assert_cmpuint (last_removed, ==, 1);
  g_assert_cmpuint (last_added, ==, 1);

  /* Nothing announced: nothing emitted. */
  n_signals = 0;
  ks_report_filter_refilter (filter);
  g_assert_cmpuint (n_signals, ==, 0);
}

static guint n_compares;

/* A view's order: by category, highest first. */
static int
compare_category_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  gint64 x = ks_report_get_category_id ((KsReport *) a), y = ks_report_get_category_id ((KsReport *) b);

  n_compares++;
  return x < y ? 1 : x > y ? -1 : 0;
}

/* The same order as keys. */
static void
category_desc_keys (KsReport *report, gint64 key[2], gpointer data)
{
  key[0] = -ks_report_get_category_id (report);
  key[1] = 0;
}

static void
count_emitted (guint *count)
{
  (*count)++;
}

static void
assert_ids (KsReportFilter *filter, const gint64 *want, guint n)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (G_LIST_MODEL (filter), i);
      g_assert_cmpint (ks_report_get_id (r), ==, want[i]);
    }
}

/* A criterion set to what the filter already has makes no pass over the
 * reports (the sidebar sets every criterion again when the council's lists
 * arrive); a change makes one. */
static void
test_filter_unchanged (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  const char *open_states[] = { "investigating", "confirmed", NULL };
  const char *same_states[] = { "confirmed", "investigating", NULL };
  const char *wards[] = { "Carfax", NULL };
  const gint64 categories[] = { 2, 1 }, same_categories[] = { 1, 2 };
  const gint64 priorities[] = { 3 };
  guint passes;

  g_ptr_array_add (reports, make (1, "Pothole on High Street", "confirmed", 1, 100));
  g_ptr_array_add (reports, make (2, "Broken street light", "fixed", 2, 200));
  ks_report_store_replace_all (store, reports);
  filter = ks_report_filter_new (G_LIST_MODEL (store));
  ks_report_filter_set_states (filter, open_states);
  ks_report_filter_set_text (filter, "Street  ");
  ks_report_filter_set_categories (filter, categories, 2);
  ks_report_filter_set_priorities (filter, priorities, 1);
  ks_report_filter_set_group (filter, "Roads");
  ks_report_filter_set_wards (filter, wards);
  ks_report_filter_set_date_range (filter, 10, 20);
  ks_report_filter_set_shortlist_user (filter, 7);
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_ME, 7);
  passes = ks_report_filter_get_n_passes (filter);

  /* The same again, one by one and all at once. */
  ks_report_filter_set_states (filter, same_states);
  ks_report_filter_set_text (filter, "street");
  ks_report_filter_set_categories (filter, same_categories, 2);
  ks_report_filter_set_priorities (filter, priorities, 1);
  ks_report_filter_set_group (filter, "Roads");
  ks_report_filter_set_ward (filter, "Carfax");
  ks_report_filter_set_date_range (filter, 10, 20);
  ks_report_filter_set_shortlist_user (filter, 7);
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_ME, 7);
  ks_report_filter_freeze (filter);
  ks_report_filter_set_states (filter, open_states);
  ks_report_filter_set_text (filter, "STREET");
  ks_report_filter_thaw (filter);
  g_assert_cmpuint (ks_report_filter_get_n_passes (filter), ==, passes);

  /* Each change: one pass. */
  ks_report_filter_set_text (filter, "street light");
  g_assert_cmpuint (ks_report_filter_get_n_passes (filter), ==, passes + 1);
  ks_report_filter_set_states (filter, NULL);
  ks_report_filter_set_group (filter, NULL);
  ks_report_filter_set_priorities (filter, NULL, 0);
  ks_report_filter_set_date_range (filter, 0, 0);
  ks_report_filter_set_shortlist_user (filter, 0);
  ks_report_filter_set_assigned (filter, KS_REPORT_ASSIGNED_ANY, 0);
  ks_report_filter_set_categories (filter, categories, 1);
  ks_report_filter_set_ward (filter, NULL);
  g_assert_cmpuint (ks_report_filter_get_n_passes (filter), ==, passes + 9);
  /* Now only the text and category 2 hold: the street light. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  g_assert_cmpuint (ks_report_filter_find_id (filter, 2), ==, 0);
}

static GArray *told;   /* gboolean, one for each items-changed */

static void
record_criteria_change (GListModel *model, guint pos, guint removed, guint added, gpointer data)
{
  gboolean by_criteria = ks_report_filter_is_criteria_change (KS_REPORT_FILTER (model));

  g_array_append_val (told, by_criteria);
}

/* The last items-changed, told since the count before: made by the criteria? */
static gboolean
told_criteria (guint before)
{
  g_assert_cmpuint (told->len, ==, before + 1);
  return g_array_index (told, gboolean, told->len - 1);
}

/* Each change the filter tells says whether its criteria made it: a search or
 * a filter chosen, not the reports changing or their order. */
static void
test_filter_criteria_change (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) change = g_ptr_array_new_with_free_func (g_object_unref);
  const char *fixed[] = { "fixed", NULL };
  guint n;

  told = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_ptr_array_add (reports, make (1, "Pothole on High Street", "confirmed", 1, 100));
  g_ptr_array_add (reports, make (2, "Broken street light", "fixed", 2, 200));
  g_ptr_array_add (reports, make (3, "Fly-tipping behind the café", "investigating", 2, 300));
  ks_report_store_replace_all (store, reports);
  filter = ks_report_filter_new (G_LIST_MODEL (store));
  g_signal_connect (filter, "items-changed", G_CALLBACK (record_criteria_change), NULL);

  /* A search. */
  n = told->len;
  ks_report_filter_set_text (filter, "street");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 2);
  g_assert_true (told_criteria (n));
  g_assert_false (ks_report_filter_is_criteria_change (filter));

  /* A criterion that changes no row tells nothing, and what the reports
   * change next is theirs. */
  n = told->len;
  ks_report_filter_set_text (filter, "stree");
  g_assert_cmpuint (told->len, ==, n);
  g_ptr_array_add (change, make (4, "Street sign bent", "confirmed", 1, 400));
  g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 1);
  ks_report_filter_refilter (filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 3);
  g_assert_false (told_criteria (n));

  /* Another order, and its reverse (the rows move in one of them at least). */
  n = told->len;
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_CREATED_ASC);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_CREATED_DESC);
  g_assert_cmpuint (told->len, >, n);
  for (guint i = n; i < told->len; i++)
    g_assert_false (g_array_index (told, gboolean, i));

  /* Several criteria held, then a pass. */
  n = told->len;
  ks_report_filter_freeze (filter);
  ks_report_filter_set_states (filter, fixed);
  ks_report_filter_set_text (filter, NULL);
  g_assert_cmpuint (told->len, ==, n);
  ks_report_filter_thaw (filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  g_assert_true (told_criteria (n));

  /* Every criterion cleared. */
  n = told->len;
  ks_report_filter_reset (filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 4);
  g_assert_true (told_criteria (n));
  g_clear_pointer (&told, g_array_unref);
}

/* Each sort orders the reports by its field, ties by id, both when every
 * report is sorted and when a changed one goes back in where it belongs. */
static void
test_filter_sorts (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) change = g_ptr_array_new_with_free_func (g_object_unref);
  /* Created 300, 100, 300, 200, 100, 300; updated alike (make()'s). */
  const gint64 created[] = { 300, 100, 300, 200, 100, 300 };
  const gint64 updated_desc[] = { 6, 5, 4, 3, 2, 1 };
  const gint64 updated_asc[] = { 1, 2, 3, 4, 5, 6 };
  const gint64 created_desc[] = { 6, 3, 1, 4, 5, 2 };
  const gint64 created_asc[] = { 2, 5, 4, 1, 3, 6 };
  const gint64 id_desc[] = { 6, 5, 4, 3, 2, 1 };
  const gint64 moved_desc[] = { 2, 6, 3, 1, 4, 5 };
  const gint64 moved_asc[] = { 5, 4, 1, 3, 6, 2 };

  for (guint i = 0; i < G_N_ELEMENTS (created); i++)
    g_ptr_array_add (reports, make (i + 1, "Pothole", "confirmed", 1, created[i]));
  ks_report_store_replace_all (store, reports);
  filter = ks_report_filter_new (G_LIST_MODEL (store));
  /* The default: most recently changed first. */
  assert_ids (filter, updated_desc, 6);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_UPDATED_ASC);
  assert_ids (filter, updated_asc, 6);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_CREATED_DESC);
  assert_ids (filter, created_desc, 6);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_ID_DESC);
  assert_ids (filter, id_desc, 6);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_CREATED_ASC);
  assert_ids (filter, created_asc, 6);

  /* Report 2 now created at 400: last going up, first going down. */
  g_ptr_array_add (change, make (2, "Pothole", "confirmed", 1, 400));
  g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_ids (filter, moved_asc, 6);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_CREATED_DESC);
  assert_ids (filter, moved_desc, 6);
}

/* A report created and changed at the given times (Unix seconds). */
static KsReport *
make_at (gint64 id, gint64 category, gint64 created, gint64 updated)
{
  g_autoptr(KsReport) r = make (id, "Pothole", "confirmed", category, created);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (updated);
  g_autofree char *iso = g_date_time_format_iso8601 (when);
  g_autoptr(JsonObject) obj = json_object_new ();

  json_object_set_string_member (obj, "updated", iso);
  ks_report_apply_json (r, obj, FALSE);
  g_assert_cmpint (ks_report_get_updated (r), ==, updated);
  return g_steal_pointer (&r);
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

/* The sorts' orders, written out again from the reports' properties. */
static int
reference_order (gconstpointer a, gconstpointer b, gpointer data)
{
  KsReport *x = *(KsReport **) a, *y = *(KsReport **) b;
  KsReportSort sort = GPOINTER_TO_INT (data);
  gint64 ix = ks_report_get_id (x), iy = ks_report_get_id (y);
  int c;

  switch (sort)
    {
    case KS_REPORT_SORT_UPDATED_ASC:
      c = CMP (ks_report_get_updated (x), ks_report_get_updated (y));
      return c ? c : CMP (ix, iy);
    case KS_REPORT_SORT_CREATED_DESC:
      c = CMP (ks_report_get_created (y), ks_report_get_created (x));
      return c ? c : CMP (iy, ix);
    case KS_REPORT_SORT_CREATED_ASC:
      c = CMP (ks_report_get_created (x), ks_report_get_created (y));
      return c ? c : CMP (ix, iy);
    case KS_REPORT_SORT_ID_DESC:
      return CMP (iy, ix);
    case KS_REPORT_SORT_UPDATED_DESC:
    default:
      c = CMP (ks_report_get_updated (y), ks_report_get_updated (x));
      return c ? c : CMP (iy, ix);
    }
}

/* Category descending, then created going up (the view's ties to the sort). */
static int
reference_view_order (gconstpointer a, gconstpointer b, gpointer data)
{
  KsReport *x = *(KsReport **) a, *y = *(KsReport **) b;
  int c = CMP (ks_report_get_category_id (y), ks_report_get_category_id (x));

  return c ? c : reference_order (a, b, GINT_TO_POINTER (KS_REPORT_SORT_CREATED_ASC));
}

static void
assert_order (KsReportFilter *filter, GPtrArray *reports, GCompareDataFunc cmp, gpointer data)
{
  g_autoptr(GPtrArray) want = g_ptr_array_copy (reports, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);

  g_qsort_with_data (want->pdata, want->len, sizeof (gpointer), cmp, data);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, want->len);
  for (guint i = 0; i < want->len; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (G_LIST_MODEL (filter), i);
      g_assert_cmpint (ks_report_get_id (r), ==, ks_report_get_id (g_ptr_array_index (want, i)));
    }
}

/* Thousands of reports, many sharing a time: every sort gives its order
 * (the keys sorted as one number where they fit in 64 bits), and so does a
 * view's order whose keys tie; times too far apart to fit give it too. */
static void
test_filter_many_sorts (void)
{
  const KsReportSort sorts[] = { KS_REPORT_SORT_UPDATED_DESC, KS_REPORT_SORT_UPDATED_ASC,
                                 KS_REPORT_SORT_CREATED_DESC, KS_REPORT_SORT_CREATED_ASC,
                                 KS_REPORT_SORT_ID_DESC };
  const gint64 spreads[] = { 600, G_GINT64_CONSTANT (1) << 61 };

  for (guint s = 0; s < G_N_ELEMENTS (spreads); s++)
    {
      g_autoptr(KsReportStore) store = ks_report_store_new ();
      g_autoptr(KsReportFilter) filter = NULL;
      g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GRand) rand = g_rand_new_with_seed (7 + s);
      g_autoptr(GPtrArray) kept = NULL;

      for (guint i = 0; i < 5000; i++)
        {
          gint64 created = 1700000000 + (gint64) (g_rand_double (rand) * spreads[s]) - spreads[s] / 2;

          g_ptr_array_add (reports, make_at (g_rand_int_range (rand, 1, 1000) * 10000 + i,
                                             g_rand_int_range (rand, 1, 6), created,
                                             1700000000 + g_rand_int_range (rand, 0, 900)));
        }
      /* The store takes the array's reports: a copy to compare with. */
      kept = g_ptr_array_copy (reports, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
      g_ptr_array_set_free_func (kept, g_object_unref);
      ks_report_store_replace_all (store, reports);
      filter = ks_report_filter_new (G_LIST_MODEL (store));
      for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
        {
          ks_report_filter_set_sort (filter, sorts[i]);
          assert_order (filter, kept, reference_order, GINT_TO_POINTER (sorts[i]));
        }
      ks_report_filter_set_sort (filter, KS_REPORT_SORT_CREATED_ASC);
      ks_report_filter_set_compare_keys (filter, compare_category_desc, category_desc_keys, NULL);
      assert_order (filter, kept, reference_view_order, NULL);
    }
}

/* A view's order (the list's column sort) comes first, the sort breaks its
 * ties; the reports are sorted once: a change of the criteria or of the text
 * keeps their order without comparing them again, a change of the base sorts
 * them again. */
static void
test_filter_view_order (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) change = g_ptr_array_new_with_free_func (g_object_unref);
  const char *fixed[] = { "fixed", NULL };
  const gint64 by_view[] = { 5, 4, 2, 3, 1 };
  const gint64 by_view_fixed[] = { 5, 4, 1 };
  const gint64 by_view_text[] = { 5, 1 };
  const gint64 by_sort[] = { 5, 4, 3, 2, 1 };
  const gint64 moved[] = { 1, 5, 4, 2, 3 };

  /* Categories 1, 2, 1, 2, 2 (ids 1-5); fixed: 1, 4, 5; "lamp" in 1 and 5. */
  g_ptr_array_add (reports, make (1, "Lamp post down", "fixed", 1, 100));
  g_ptr_array_add (reports, make (2, "Pothole", "confirmed", 2, 200));
  g_ptr_array_add (reports, make (3, "Pothole", "confirmed", 1, 300));
  g_ptr_array_add (reports, make (4, "Pothole", "fixed", 2, 400));
  g_ptr_array_add (reports, make (5, "Lamp flickers", "fixed", 2, 500));
  ks_report_store_replace_all (store, reports);
  filter = ks_report_filter_new (G_LIST_MODEL (store));
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_ID_DESC);
  assert_ids (filter, by_sort, 5);

  ks_report_filter_set_compare (filter, compare_category_desc, NULL);
  assert_ids (filter, by_view, 5);
  g_assert_cmpuint (n_compares, >, 0);

  n_compares = 0;
  ks_report_filter_set_states (filter, fixed);
  assert_ids (filter, by_view_fixed, 3);
  ks_report_filter_set_text (filter, "LAMP");
  assert_ids (filter, by_view_text, 2);
  ks_report_filter_set_sort (filter, KS_REPORT_SORT_ID_DESC);
  ks_report_filter_reset (filter);
  assert_ids (filter, by_view, 5);
  g_assert_cmpuint (n_compares, ==, 0);

  /* Report 1 moves to category 3: first now. */
  g_ptr_array_add (change, make (1, "Lamp post down", "fixed", 3, 100));
  g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_ids (filter, moved, 5);
  g_assert_cmpuint (n_compares, >, 0);

  /* A new report and a changed one go in where they belong (the others keep
   * their order); a removed one leaves it. */
  {
    const gint64 added[] = { 6, 1, 5, 4, 3, 2 };
    const gint64 removed[] = { 6, 1, 5, 3, 2 };
    const gint64 gone = 4;

    g_ptr_array_set_size (change, 0);
    g_ptr_array_add (change, make (6, "Pothole", "confirmed", 3, 600));
    g_ptr_array_add (change, make (2, "Pothole", "confirmed", 1, 200));
    g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 2);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    assert_ids (filter, added, 6);
    ks_report_store_remove (store, &gone, 1);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    assert_ids (filter, removed, 5);
  }

  /* The same order given as keys: every report sorted by them without a
   * call of compare, to the same result; a report that moves is placed by
   * compare. */
  {
    const gint64 same[] = { 6, 1, 5, 3, 2 };
    const gint64 moved_again[] = { 6, 1, 5, 2, 3 };

    n_compares = 0;
    ks_report_filter_set_compare_keys (filter, compare_category_desc, category_desc_keys, NULL);
    assert_ids (filter, same, 5);
    g_assert_cmpuint (n_compares, ==, 0);
    g_ptr_array_set_size (change, 0);
    g_ptr_array_add (change, make (2, "Pothole", "confirmed", 2, 200));
    g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 1);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    assert_ids (filter, moved_again, 5);
    g_assert_cmpuint (n_compares, >, 0);
  }

  /* No view order: the sort alone. */
  {
    const gint64 by_sort_now[] = { 6, 5, 3, 2, 1 };

    ks_report_filter_set_compare (filter, NULL, NULL);
    assert_ids (filter, by_sort_now, 5);
  }
}

/* The filter's result equals that of a new filter given the same criteria. */
static void
assert_same_as_fresh (KsReportFilter *filter, KsReportStore *store,
                      const char * const *states, const char *text)
{
  g_autoptr(KsReportFilter) fresh = ks_report_filter_new (G_LIST_MODEL (store));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (filter));

  ks_report_filter_set_states (fresh, states);
  ks_report_filter_set_text (fresh, text);
  g_assert_cmpuint (n, ==, g_list_model_get_n_items (G_LIST_MODEL (fresh)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) a = g_list_model_get_item (G_LIST_MODEL (filter), i);
      g_autoptr(KsReport) b = g_list_model_get_item (G_LIST_MODEL (fresh), i);
      g_assert_true (a == b);
    }
}

/* Typing a search narrows it: each letter looks only at the reports the text
 * before matched. The result is always the one all the reports give: after a
 * word grows, a word is added, a word is taken away or changed, a number
 * typed, the states widened in the same frozen change, and a report changed
 * to match the longer word in the meantime. */
static void
test_filter_narrowing (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) change = g_ptr_array_new_with_free_func (g_object_unref);
  const char *titles[] = { "Pothole on High Street", "Street light out", "Streetlamp flickering",
                           "Pot plant on the path", "Broken paving slab", "Deep pothole, Street 12" };
  const char *open_states[] = { "confirmed", NULL };
  const char *texts[] = { "s", "st", "str", "street", "street pot", "street pothole", "street",
                          "pot", "pothole 12", "12", "123", "#12", "lamp", "", "p", "pa", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    g_ptr_array_add (reports, make (10 + i, titles[i], i % 2 ? "fixed" : "confirmed", 1, 100 * i));
  ks_report_store_replace_all (store, reports);
  filter = ks_report_filter_new (G_LIST_MODEL (store));
  for (guint i = 0; texts[i] != NULL; i++)
    {
      ks_report_filter_set_text (filter, texts[i]);
      assert_same_as_fresh (filter, store, NULL, texts[i]);
    }
  /* The plant and the paving (every report's category is "Potholes"). */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 2);

  /* Narrower text, wider states, in one frozen change: every report looked at. */
  ks_report_filter_set_states (filter, open_states);
  ks_report_filter_freeze (filter);
  ks_report_filter_set_states (filter, NULL);
  ks_report_filter_set_text (filter, "path");
  ks_report_filter_thaw (filter);
  assert_same_as_fresh (filter, store, NULL, "path");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);   /* the plant: fixed */

  /* Two narrowings held in one frozen change still narrow to the right result. */
  ks_report_filter_set_text (filter, "s");
  ks_report_filter_freeze (filter);
  ks_report_filter_set_text (filter, "st");
  ks_report_filter_set_text (filter, "street");
  ks_report_filter_thaw (filter);
  assert_same_as_fresh (filter, store, NULL, "street");

  /* A report that the shorter text did not match changes to match the longer
   * one before the letter is typed: it is found. */
  ks_report_filter_set_text (filter, "pavin");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 1);
  g_ptr_array_add (change, make (11, "Paving stones lifted", "fixed", 1, 100));
  g_assert_cmpuint (ks_report_store_upsert (store, change), ==, 1);
  ks_report_filter_set_text (filter, "paving");
  assert_same_as_fresh (filter, store, NULL, "paving");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 2);
}


/* A store filled elsewhere (a worker thread) handed over whole: the views
 * of the store they follow see every report at once, the ids are found, and
 * the other store is left empty, announcing nothing. */
static void
test_store_take_from (void)
{
  g_autoptr(KsReportStore) store = ks_report_store_new ();
  g_autoptr(KsReportStore) filled = ks_report_store_new ();
  g_autoptr(KsReportFilter) filter = ks_report_filter_new (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  const gint64 by_sort[] = { 3, 2, 1 };
  guint emitted = 0;

  g_ptr_array_add (before, make (9, "Old", "fixed", 1, 50));
  ks_report_store_replace_all (store, before);
  g_ptr_array_add (reports, make (1, "Lamp post down", "fixed", 1, 100));
  g_ptr_array_add (reports, make (2, "Pothole", "confirmed", 2, 200));
  g_ptr_array_add (reports, make (3, "Pothole", "confirmed", 1, 300));
  g_ptr_array_add (reports, make (2, "Pothole again", "confirmed", 2, 200));   /* a duplicate id */
  ks_report_store_replace_all (filled, reports);
  g_signal_connect_swapped (filled, "items-changed", G_CALLBACK (count_emitted), &emitted);

  ks_report_filter_set_sort (filter, KS_REPORT_SORT_ID_DESC);
  ks_report_store_take_from (store, filled);
  ks_report_filter_refilter (filter);
  assert_ids (filter, by_sort, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_cmpuint (ks_report_store_find (store, 3), ==, 2);
  g_assert_null (ks_report_store_lookup (store, 9));
  g_assert_cmpstr (ks_report_get_title (ks_report_store_lookup (store, 2)), ==, "Pothole");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filled)), ==, 0);
  g_assert_null (ks_report_store_lookup (filled, 1));
  g_assert_cmpuint (emitted, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/filter", test_filter);
  g_test_add_func ("/core/filter/in-place", test_filter_in_place);
  g_test_add_func ("/core/filter/sorts", test_filter_sorts);
  g_test_add_func ("/core/filter/many-sorts", test_filter_many_sorts);
  g_test_add_func ("/core/filter/unchanged", test_filter_unchanged);
  g_test_add_func ("/core/filter/view-order", test_filter_view_order);
  g_test_add_func ("/core/filter/narrowing", test_filter_narrowing);
  g_test_add_func ("/core/filter/criteria-change", test_filter_criteria_change);
  g_test_add_func ("/core/store/take-from", test_store_take_from);
  return g_test_run ();
}

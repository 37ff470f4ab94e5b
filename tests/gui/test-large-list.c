/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-large-list.c: the real window over a large cache (20,000 reports synced
 * from a real kerbside-server on loopback): a filter by state group, a text
 * search and clearing them, each asserted on the widgets (the "N of M" count,
 * the rows' State cells, how many rows the list has and in which order: a
 * filter keeps the order the list had, with no sorting again), the selected
 * report kept through them, the row widgets kept through a search (bound to
 * the found reports, not made anew), a column sort applied to the filtered rows,
 * and a search that filters the chosen report out shown from its first row.
 * The expected figures are counted here from the cached reports, not by the
 * filter. Saves PNGs into KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-large-list"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ks-gui-test.h"
#include "ks-gui-test-app.h"
#include "ks-filter-sidebar.h"
#include "ks-number-format.h"
#include "ks-report-list.h"
#include "ks-report-list-private.h"
#include "ks-states.h"

#define N_REPORTS 20000

static KsWindow *window;

static KsReportList *
report_list (void)
{
  return KS_REPORT_LIST (ks_window_get_report_list (window));
}

static KsFilterSidebar *
sidebar (void)
{
  return KS_FILTER_SIDEBAR (ks_window_get_filter_sidebar (window));
}

static GListModel *
rows (void)
{
  return ks_report_list_get_model (report_list ());
}

static GListModel *
cached (void)
{
  return ks_session_get_reports (ks_window_get_session (window));
}

/* The ids of the list's rows, in their order. */
static GArray *
row_ids (void)
{
  GListModel *model = rows ();
  guint n = g_list_model_get_n_items (model);
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      gint64 id = ks_report_get_id (r);

      g_array_append_val (ids, id);
    }
  return ids;
}

static gboolean
all_cached (gpointer data)
{
  KsSession *session = ks_window_get_session (window);

  return session && g_list_model_get_n_items (cached ()) >= GPOINTER_TO_UINT (data) &&
         !ks_sync_engine_get_syncing (ks_session_get_sync (session));
}

/* The "shown of all" label says it. */
static void
assert_count_label (guint shown,
                    guint all)
{
  g_autofree char *s = ks_format_count (shown);
  g_autofree char *a = ks_format_count (all);
  g_autofree char *want = g_strdup_printf ("%s of %s", s, a);

  if (ks_gui_find_label_exact (GTK_WIDGET (window), want) == NULL)
    {
      g_autofree char *text = ks_gui_all_text (GTK_WIDGET (window));
      g_test_message ("no label \"%s\" in:\n%s", want, text);
      g_assert_not_reached ();
    }
}

/* Every id of sub is in all, in the same order. */
static void
assert_subsequence (GArray *sub,
                    GArray *all)
{
  guint j = 0;

  for (guint i = 0; i < sub->len; i++)
    {
      gint64 id = g_array_index (sub, gint64, i);

      while (j < all->len && g_array_index (all, gint64, j) != id)
        j++;
      if (j == all->len)
        g_error ("row %u (report %" G_GINT64_FORMAT ") is out of the list's order", i, id);
      j++;
    }
}

static gboolean
fixed_state (KsReport *r)
{
  const KsState *state = ks_state_lookup (ks_report_get_state (r));

  return state != NULL && state->kind == KS_STATE_KIND_FIXED;
}

static gboolean
field_has (const char *field,
           const char *word)
{
  g_autofree char *low = field ? g_ascii_strdown (field, -1) : NULL;

  return low != NULL && strstr (low, word) != NULL;
}

/* Both words in the title, detail, ward or category (the demo's text is
 * ASCII). */
static gboolean
has_street_light (KsReport *r)
{
  const char *fields[] = { ks_report_get_title (r), ks_report_get_detail (r),
                           ks_report_get_ward (r), ks_report_get_category (r) };
  gboolean street = FALSE, light = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      street |= field_has (fields[i], "street");
      light |= field_has (fields[i], "light");
    }
  return street && light;
}

static guint
count_cached (gboolean (*want) (KsReport *), gboolean (*also) (KsReport *))
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (cached ()); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (cached (), i);

      n += want (r) && (also == NULL || also (r));
    }
  return n;
}

static void
scroll_to_top (void)
{
  GtkWidget *scroller = ks_gui_find_type (GTK_WIDGET (report_list ()), GTK_TYPE_SCROLLED_WINDOW);

  g_assert_nonnull (scroller);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), 0);
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
}

/* Whether the first row on screen is the model's first. */
static gboolean
first_row_on_screen (gpointer data)
{
  g_autoptr(GArray) shown = ks_report_list_get_shown_ids (report_list ());
  g_autoptr(KsReport) first = g_list_model_get_item (rows (), 0);

  return first != NULL && shown->len > 0 && g_array_index (shown, gint64, 0) == ks_report_get_id (first);
}

/* (Scrolled to the top again while waiting: rows that change as the list
 * is sorted again keep the view's place among them, not its top.) */
static gboolean
first_row_shown (gpointer data)
{
  if (first_row_on_screen (NULL))
    return TRUE;
  scroll_to_top ();
  return FALSE;
}

/* Scrolled to the top, the rows on screen are the first rows of the model, in
 * its order, each showing a fixed state's label (and matching the search when
 * searched for). */
static void
assert_rows_on_screen (gboolean searched)
{
  g_autoptr(GArray) shown = NULL;

  scroll_to_top ();
  if (!ks_test_wait_for (first_row_shown, NULL, 30))
    {
      g_autoptr(GArray) now = ks_report_list_get_shown_ids (report_list ());

      for (guint i = 0; i < MIN (3, now->len); i++)
        {
          g_autoptr(KsReport) r = g_list_model_get_item (rows (), i);
          g_test_message ("shown %" G_GINT64_FORMAT ", row %u is %" G_GINT64_FORMAT,
                          g_array_index (now, gint64, i), i, r ? ks_report_get_id (r) : 0);
        }
      g_test_message ("%u shown, %u rows", now->len, g_list_model_get_n_items (rows ()));
      ks_gui_save_screenshot (GTK_WIDGET (window), "large-list-not-at-top.png");
      g_assert_not_reached ();
    }
  shown = ks_report_list_get_shown_ids (report_list ());
  g_test_message ("%u rows on screen", shown->len);
  g_assert_cmpuint (shown->len, >=, MIN (10, g_list_model_get_n_items (rows ())));
  for (guint i = 0; i < shown->len; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (rows (), i);
      g_autofree char *state = NULL;
      g_autofree char *want = NULL;

      g_assert_nonnull (r);
      g_assert_cmpint (g_array_index (shown, gint64, i), ==, ks_report_get_id (r));
      g_assert_true (fixed_state (r));
      state = ks_gui_list_cell (window, ks_report_get_id (r), "state");
      /* The state's dot, then its name (or the report it duplicates). */
      if (ks_report_get_duplicate_of (r) != 0)
        want = g_strdup_printf ("\u25cf Duplicate of #%" G_GINT64_FORMAT, ks_report_get_duplicate_of (r));
      else
        want = g_strdup_printf ("\u25cf %s", ks_state_lookup (ks_report_get_state (r))->label);
      g_assert_cmpstr (state, ==, want);
      if (searched)
        g_assert_true (has_street_light (r));
    }
}

/* Marks every State cell the list has now, or counts those on screen and
 * how many of them were marked: a change of the rows that bound the row
 * widgets again keeps the marked ones, one that made new widgets has none. */
static void
mark_state_cells (GtkWidget *widget,
                  gboolean   mark,
                  guint     *n_shown,
                  guint     *n_marked)
{
  if (GTK_IS_INSCRIPTION (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "ks-column"), "state") == 0)
    {
      if (mark)
        g_object_set_data (G_OBJECT (widget), "test-marked", GINT_TO_POINTER (1));
      else if (gtk_widget_get_mapped (widget) && ks_report_list_cell_in_view (report_list (), widget))
        {
          (*n_shown)++;
          if (g_object_get_data (G_OBJECT (widget), "test-marked") != NULL)
            (*n_marked)++;
        }
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    mark_state_cells (c, mark, n_shown, n_marked);
}

static void
test_filter_search (void)
{
  guint n_shown = 0, n_marked = 0;
  g_autoptr(GArray) all_rows = NULL;
  g_autoptr(GArray) fixed_rows = NULL;
  g_autoptr(GArray) found_rows = NULL;
  g_autoptr(GArray) again = NULL;
  guint total, n_fixed, n_found;
  gint64 kept = 0, far;
  gint64 t;

  ks_gui_sign_in_as (window, "inspector@demo.invalid");
  total = (guint) ks_test_server_query_int (ks_gui_test_server (),
                                            "SELECT count(*) FROM reports");
  g_assert_cmpuint (total, >=, N_REPORTS / 2);
  g_assert_true (ks_test_wait_for (all_cached, GUINT_TO_POINTER (total), 300));
  ks_window_set_view (window, "list");
  ks_test_iterate (500);
  /* The reports came while the map was shown: the list opens at its top,
   * the first rows on screen, with nobody scrolling. */
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  ks_gui_save_screenshot (GTK_WIDGET (window), "large-list-opened.png");
  g_assert_true (first_row_on_screen (NULL));

  /* Every state: every cached report is a row. */
  ks_filter_sidebar_set_state_group (sidebar (), "all");
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  g_assert_cmpuint (g_list_model_get_n_items (rows ()), ==, total);
  assert_count_label (total, total);
  all_rows = row_ids ();

  /* The fixed ones: the rows are those, in the order they had. */
  n_fixed = count_cached (fixed_state, NULL);
  g_assert_cmpuint (n_fixed, >, 0);
  g_assert_cmpuint (n_fixed, <, total);
  t = g_get_monotonic_time ();
  ks_filter_sidebar_set_state_group (sidebar (), "fixed");
  g_test_message ("filter by state over %u reports: %.0f ms", total, (g_get_monotonic_time () - t) / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (rows ()), ==, n_fixed);
  assert_count_label (n_fixed, total);
  fixed_rows = row_ids ();
  assert_subsequence (fixed_rows, all_rows);
  ks_gui_save_screenshot (GTK_WIDGET (window), "large-list-filter.png");
  assert_rows_on_screen (FALSE);

  /* A report chosen among them stays selected through the search when it
   * matches it. */
  for (guint i = 0; i < g_list_model_get_n_items (rows ()) && kept == 0; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (rows (), i);

      if (has_street_light (r))
        kept = ks_report_get_id (r);
    }
  g_assert_cmpint (kept, >, 0);
  g_assert_true (ks_report_list_select_id (report_list (), kept));

  /* A search among them. */
  mark_state_cells (GTK_WIDGET (report_list ()), TRUE, NULL, NULL);
  n_found = count_cached (fixed_state, has_street_light);
  g_assert_cmpuint (n_found, >, 0);
  t = g_get_monotonic_time ();
  ks_filter_sidebar_set_search_text (sidebar (), "street light");
  g_test_message ("search over %u reports: %.0f ms", total, (g_get_monotonic_time () - t) / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (rows ()), ==, n_found);
  assert_count_label (n_found, total);
  found_rows = row_ids ();
  assert_subsequence (found_rows, fixed_rows);
  g_assert_cmpint (ks_report_list_get_selected_id (report_list ()), ==, kept);
  g_assert_cmpuint (ks_report_list_get_n_selected (report_list ()), ==, 1);
  ks_report_list_unselect (report_list ());
  ks_gui_save_screenshot (GTK_WIDGET (window), "large-list-search.png");
  assert_rows_on_screen (TRUE);
  /* The rows on screen show the found reports (above) in the row widgets
   * the list had before the search: bound again, not made anew. */
  mark_state_cells (GTK_WIDGET (report_list ()), FALSE, &n_shown, &n_marked);
  g_test_message ("%u State cells on screen after the search, %u of them kept", n_shown, n_marked);
  g_assert_cmpuint (n_shown, >=, 10);
  g_assert_cmpuint (n_marked, ==, n_shown);

  /* Sorted by Id, newest first: the found rows take that order. */
  ks_report_list_sort_by (report_list (), "id", GTK_SORT_DESCENDING);
  g_clear_pointer (&again, g_array_unref);
  again = row_ids ();
  g_assert_cmpuint (again->len, ==, n_found);
  for (guint i = 1; i < again->len; i++)
    g_assert_cmpint (g_array_index (again, gint64, i - 1), >, g_array_index (again, gint64, i));
  assert_rows_on_screen (TRUE);
  ks_report_list_sort_by (report_list (), "priority", GTK_SORT_ASCENDING);

  /* Cleared: every report again, in the order of the start. */
  ks_filter_sidebar_set_search_text (sidebar (), "");
  ks_filter_sidebar_set_state_group (sidebar (), "all");
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  assert_count_label (total, total);
  g_clear_pointer (&again, g_array_unref);
  again = row_ids ();
  g_assert_cmpuint (again->len, ==, all_rows->len);
  g_assert_cmpmem (again->data, again->len * sizeof (gint64), all_rows->data, all_rows->len * sizeof (gint64));
  ks_gui_save_screenshot (GTK_WIDGET (window), "large-list-cleared.png");

  /* Nothing selected and the list at its top: a search typed letter by
   * letter shows its first results there, with nobody scrolling. */
  ks_filter_sidebar_set_state_group (sidebar (), "open");
  ks_report_list_unselect (report_list ());
  g_assert_true (ks_test_wait_for (first_row_shown, NULL, 30));
  for (guint i = 1; i <= strlen ("street li"); i++)
    {
      g_autofree char *typed = g_strndup ("street li", i);

      ks_filter_sidebar_set_search_text (sidebar (), typed);
      ks_gui_wait_painted (GTK_WIDGET (window), 30);
    }
  ks_test_iterate (300);
  ks_gui_save_screenshot (GTK_WIDGET (window), "large-list-search-from-top.png");
  g_assert_true (first_row_on_screen (NULL));

  /* A report chosen far down the list, then a search it does not match: the
   * list shows the search's first results, with nobody scrolling. */
  ks_filter_sidebar_set_search_text (sidebar (), "");
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  far = 0;
  for (guint i = 300; i < g_list_model_get_n_items (rows ()) && far == 0; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (rows (), i);

      if (!has_street_light (r))
        far = ks_report_get_id (r);
    }
  g_assert_cmpint (far, >, 0);
  g_assert_true (ks_report_list_select_id (report_list (), far));
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  ks_test_iterate (300);
  g_assert_false (first_row_on_screen (NULL));
  ks_filter_sidebar_set_search_text (sidebar (), "street light");
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  ks_test_iterate (300);
  ks_gui_save_screenshot (GTK_WIDGET (window), "large-list-search-past-chosen.png");
  g_assert_cmpint (ks_report_list_get_selected_id (report_list ()), ==, 0);
  g_assert_true (first_row_on_screen (NULL));
}

int
main (int   argc,
      char *argv[])
{
  ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1440, 900);

  g_test_add_func ("/large-list/filter-search", test_filter_search);

  return ks_gui_test_run ();
}

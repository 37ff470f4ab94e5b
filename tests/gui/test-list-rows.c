/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-list-rows.c: the list's rows model (ks-list-rows.c) over a real
 * GtkMultiSelection of a GListStore, holding rows as a list view holds the
 * rows it has widgets for: which changes it announces for each change of the
 * store, which row objects come back at which positions, that rows no one
 * holds are freed, and that the selection is the wrapped model's. */
#define G_LOG_DOMAIN "test-list-rows"

#include "config.h"

#include <gtk/gtk.h>

#include "ks-list-rows.h"

typedef struct {
  guint position, removed, added;
} Change;

typedef struct {
  GListStore        *store;
  GtkSelectionModel *selection;
  KsListRows        *rows;
  GArray            *changes;      /* Change, announced by rows */
  GArray            *selections;   /* Change (position, n, 0) */
  GPtrArray         *held;         /* rows held, as a view would */
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Change c = { position, removed, added };

  /* As a view does: the count is the new one while it hears of it. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (f->selection)));
  g_array_append_val (f->changes, c);
}

static void
on_selection_changed (GtkSelectionModel *model,
                      guint              position,
                      guint              n,
                      Fixture           *f)
{
  Change c = { position, n, 0 };

  g_array_append_val (f->selections, c);
}

static void
fill (Fixture *f,
      guint    position,
      guint    removed,
      guint    added)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < added; i++)
    g_ptr_array_add (items, g_object_new (G_TYPE_OBJECT, NULL));
  g_list_store_splice (f->store, position, removed, items->pdata, added);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = g_list_store_new (G_TYPE_OBJECT);
  fill (f, 0, 0, 100);
  f->selection = GTK_SELECTION_MODEL (gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (f->store))));
  f->rows = ks_list_rows_new (f->selection);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  f->selections = g_array_new (FALSE, FALSE, sizeof (Change));
  f->held = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->rows, "items-changed", G_CALLBACK (on_items_changed), f);
  g_signal_connect (f->rows, "selection-changed", G_CALLBACK (on_selection_changed), f);
  /* The first ten rows are on screen. */
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (f->held, g_list_model_get_item (G_LIST_MODEL (f->rows), i));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_ptr_array_unref (f->held);
  g_clear_object (&f->rows);
  g_clear_object (&f->selection);
  g_clear_object (&f->store);
  g_array_unref (f->changes);
  g_array_unref (f->selections);
}

static void
assert_change (Fixture *f,
               guint    i,
               guint    position,
               guint    removed,
               guint    added)
{
  Change c;

  g_assert_cmpuint (i, <, f->changes->len);
  c = g_array_index (f->changes, Change, i);
  g_assert_cmpuint (c.position, ==, position);
  g_assert_cmpuint (c.removed, ==, removed);
  g_assert_cmpuint (c.added, ==, added);
}

/* The row at position is the held one (a new ref dropped at once). */
static void
assert_row_at (Fixture *f,
               guint    position,
               gpointer row)
{
  g_autoptr(GObject) now = g_list_model_get_item (G_LIST_MODEL (f->rows), position);

  g_assert_true (now == row);
}

/* Rows are the same objects while held; one no one holds is freed. */
static void
test_rows_kept_while_held (Fixture       *f,
                           gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==, 100);
  for (guint i = 0; i < 10; i++)
    assert_row_at (f, i, g_ptr_array_index (f->held, i));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->rows), 100));
  /* Asked for and dropped: not kept. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (f->rows), 50));
  g_assert_cmpuint (ks_list_rows_get_n_live (f->rows), ==, 10);
  g_ptr_array_remove_range (f->held, 5, 5);
  g_assert_cmpuint (ks_list_rows_get_n_live (f->rows), ==, 5);
}

/* A filter that leaves fewer reports (100 replaced by 40): the 60 past the
 * end go, and the rows held keep their objects, announced changed so that
 * they are bound again. */
static void
test_replaced_by_fewer (Fixture       *f,
                        gconstpointer  data)
{
  fill (f, 0, 100, 40);
  g_assert_cmpuint (f->changes->len, ==, 2);
  assert_change (f, 0, 40, 60, 0);
  assert_change (f, 1, 0, 10, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==, 40);
  for (guint i = 0; i < 10; i++)
    assert_row_at (f, i, g_ptr_array_index (f->held, i));
}

/* A search cleared (40 replaced by 100): the rows held are bound again, the
 * new ones come after. */
static void
test_replaced_by_more (Fixture       *f,
                       gconstpointer  data)
{
  fill (f, 0, 100, 40);
  g_array_set_size (f->changes, 0);
  fill (f, 0, 40, 100);
  g_assert_cmpuint (f->changes->len, ==, 2);
  assert_change (f, 0, 40, 0, 60);
  assert_change (f, 1, 0, 10, 10);
  for (guint i = 0; i < 10; i++)
    assert_row_at (f, i, g_ptr_array_index (f->held, i));
}

/* Fewer reports than rows on screen: the held rows past the end are gone for
 * good (never given again), the others kept. */
static void
test_rows_past_the_end_dropped (Fixture       *f,
                                gconstpointer  data)
{
  fill (f, 0, 100, 3);
  assert_change (f, 0, 3, 97, 0);
  assert_change (f, 1, 0, 3, 3);
  g_assert_cmpuint (ks_list_rows_get_n_live (f->rows), ==, 3);
  fill (f, 3, 0, 20);
  for (guint i = 0; i < 3; i++)
    assert_row_at (f, i, g_ptr_array_index (f->held, i));
  for (guint i = 3; i < 10; i++)
    {
      g_autoptr(GObject) now = g_list_model_get_item (G_LIST_MODEL (f->rows), i);

      g_assert_true (now != g_ptr_array_index (f->held, i));
    }
}

/* Reports added or removed before the rows held (a sync): only that is
 * announced, and the held rows move with their reports, not bound again. */
static void
test_changes_before_move_rows (Fixture       *f,
                               gconstpointer  data)
{
  fill (f, 0, 0, 5);
  g_assert_cmpuint (f->changes->len, ==, 1);
  assert_change (f, 0, 0, 0, 5);
  for (guint i = 0; i < 10; i++)
    assert_row_at (f, i + 5, g_ptr_array_index (f->held, i));

  g_array_set_size (f->changes, 0);
  g_list_store_splice (f->store, 0, 7, NULL, 0);
  g_assert_cmpuint (f->changes->len, ==, 1);
  assert_change (f, 0, 0, 7, 0);
  /* The two held rows at 5 and 6 were in the removed range: gone. */
  for (guint i = 2; i < 10; i++)
    assert_row_at (f, i - 2, g_ptr_array_index (f->held, i));
  g_assert_cmpuint (ks_list_rows_get_n_live (f->rows), ==, 8);
}

/* One report changed in place among the held rows (an action): that row
 * alone is bound again. Changes after the held rows announce nothing of them. */
static void
test_change_in_place (Fixture       *f,
                      gconstpointer  data)
{
  fill (f, 4, 1, 1);
  g_assert_cmpuint (f->changes->len, ==, 1);
  assert_change (f, 0, 4, 1, 1);
  assert_row_at (f, 4, g_ptr_array_index (f->held, 4));

  g_array_set_size (f->changes, 0);
  fill (f, 50, 2, 2);
  g_assert_cmpuint (f->changes->len, ==, 0);
  fill (f, 60, 1, 0);
  g_assert_cmpuint (f->changes->len, ==, 1);
  assert_change (f, 0, 60, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==, 99);
}

/* The selection is the wrapped model's, both ways. */
static void
test_selection_passed_through (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GtkBitset) set = NULL;

  g_assert_true (gtk_selection_model_select_item (GTK_SELECTION_MODEL (f->rows), 3, TRUE));
  g_assert_true (gtk_selection_model_is_selected (f->selection, 3));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (f->rows), 3));
  g_assert_cmpuint (f->selections->len, >=, 1);
  g_assert_true (gtk_selection_model_select_range (f->selection, 10, 5, FALSE));
  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (f->rows));
  g_assert_cmpuint (gtk_bitset_get_size (set), ==, 6);
  g_assert_true (gtk_bitset_contains (set, 14));
  g_assert_true (gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (f->rows)));
  g_assert_false (gtk_selection_model_is_selected (f->selection, 3));
  g_assert_true (gtk_selection_model_select_all (GTK_SELECTION_MODEL (f->rows)));
  g_assert_true (gtk_selection_model_is_selected (f->selection, 99));
  g_assert_true (gtk_selection_model_unselect_range (GTK_SELECTION_MODEL (f->rows), 0, 50));
  g_assert_true (gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (f->rows), 60));
  g_clear_pointer (&set, gtk_bitset_unref);
  set = gtk_selection_model_get_selection (f->selection);
  g_assert_cmpuint (gtk_bitset_get_size (set), ==, 49);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/list-rows/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("kept-while-held", test_rows_kept_while_held);
  ADD ("replaced-by-fewer", test_replaced_by_fewer);
  ADD ("replaced-by-more", test_replaced_by_more);
  ADD ("past-the-end-dropped", test_rows_past_the_end_dropped);
  ADD ("changes-before-move-rows", test_changes_before_move_rows);
  ADD ("change-in-place", test_change_in_place);
  ADD ("selection", test_selection_passed_through);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-list-rows.c: the rows a list view is given, one placeholder object a row.
 *
 * GTK 4.8's list item manager keys the row widgets it keeps by their item.
 * When a filter or a search replaces the reports, every item it had widgets
 * for is gone: it drops those widgets (about 200 rows of 9 cells) and makes
 * new ones, and, its anchor row being gone, looks every new item up among the
 * dropped ones (a ref and a hash lookup for each of up to 100,000 reports).
 * That was about half of a filter's or a search's time with the list shown.
 *
 * Here a row's object stays the same while its position has a widget: a
 * change of the reports is passed on as a change of the rows that now show
 * other reports (the same objects out and in again, so the manager takes
 * their widgets back and binds them again, GTK binding at every update), and
 * rows added or removed at the end of the changed range. The selection is the
 * wrapped model's, position for position. */
#define G_LOG_DOMAIN "ks-list-rows"

#include "config.h"
#include "ks-list-rows.h"

/* A row: its position while the manager may hold it, G_MAXUINT once it is
 * gone from the list. */
#define KS_TYPE_LIST_ROW (ks_list_row_get_type ())
G_DECLARE_FINAL_TYPE (KsListRow, ks_list_row, KS, LIST_ROW, GObject)

struct _KsListRow
{
  GObject     parent_instance;
  KsListRows *owner;      /* not a ref; NULL once dropped */
  guint       position;
};

G_DEFINE_FINAL_TYPE (KsListRow, ks_list_row, G_TYPE_OBJECT)

struct _KsListRows
{
  GObject            parent_instance;
  GtkSelectionModel *model;
  GPtrArray         *live;     /* KsListRow that exist, in no order */
  gulong             items_handler;
  gulong             selection_handler;
};

static void ks_list_rows_list_model_init (GListModelInterface *iface);
static void ks_list_rows_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KsListRows, ks_list_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ks_list_rows_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL, ks_list_rows_selection_model_init))

static void
ks_list_row_finalize (GObject *object)
{
  KsListRow *row = KS_LIST_ROW (object);

  if (row->owner != NULL)
    g_ptr_array_remove_fast (row->owner->live, row);
  G_OBJECT_CLASS (ks_list_row_parent_class)->finalize (object);
}

static void
ks_list_row_class_init (KsListRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ks_list_row_finalize;
}

static void
ks_list_row_init (KsListRow *row)
{
}

/* GListModel */

static GType
get_item_type (GListModel *list)
{
  return KS_TYPE_LIST_ROW;
}

static guint
get_n_items (GListModel *list)
{
  KsListRows *self = KS_LIST_ROWS (list);

  return self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
}

/* The row at position: the one that exists, else a new one. A linear look:
 * rows exist for the rows on screen and around them, a few hundred. */
static gpointer
get_item (GListModel *list,
          guint       position)
{
  KsListRows *self = KS_LIST_ROWS (list);
  KsListRow *row;

  if (position >= get_n_items (list))
    return NULL;
  for (guint i = 0; i < self->live->len; i++)
    {
      row = g_ptr_array_index (self->live, i);
      if (row->position == position)
        return g_object_ref (row);
    }
  row = g_object_new (KS_TYPE_LIST_ROW, NULL);
  row->owner = self;
  row->position = position;
  g_ptr_array_add (self->live, row);
  return row;
}

static void
ks_list_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* GtkSelectionModel: the wrapped model's, position for position. */

static gboolean
is_selected (GtkSelectionModel *model,
             guint              position)
{
  return gtk_selection_model_is_selected (KS_LIST_ROWS (model)->model, position);
}

static GtkBitset *
get_selection_in_range (GtkSelectionModel *model,
                        guint              position,
                        guint              n_items)
{
  return gtk_selection_model_get_selection_in_range (KS_LIST_ROWS (model)->model, position, n_items);
}

static gboolean
select_item (GtkSelectionModel *model,
             guint              position,
             gboolean           unselect_rest)
{
  return gtk_selection_model_select_item (KS_LIST_ROWS (model)->model, position, unselect_rest);
}

static gboolean
unselect_item (GtkSelectionModel *model,
               guint              position)
{
  return gtk_selection_model_unselect_item (KS_LIST_ROWS (model)->model, position);
}

static gboolean
select_range (GtkSelectionModel *model,
              guint              position,
              guint              n_items,
              gboolean           unselect_rest)
{
  return gtk_selection_model_select_range (KS_LIST_ROWS (model)->model, position, n_items, unselect_rest);
}

static gboolean
unselect_range (GtkSelectionModel *model,
                guint              position,
                guint              n_items)
{
  return gtk_selection_model_unselect_range (KS_LIST_ROWS (model)->model, position, n_items);
}

static gboolean
select_all (GtkSelectionModel *model)
{
  return gtk_selection_model_select_all (KS_LIST_ROWS (model)->model);
}

static gboolean
unselect_all (GtkSelectionModel *model)
{
  return gtk_selection_model_unselect_all (KS_LIST_ROWS (model)->model);
}

static gboolean
set_selection (GtkSelectionModel *model,
               GtkBitset         *selected,
               GtkBitset         *mask)
{
  return gtk_selection_model_set_selection (KS_LIST_ROWS (model)->model, selected, mask);
}

static void
ks_list_rows_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = is_selected;
  iface->get_selection_in_range = get_selection_in_range;
  iface->select_item = select_item;
  iface->unselect_item = unselect_item;
  iface->select_range = select_range;
  iface->unselect_range = unselect_range;
  iface->select_all = select_all;
  iface->unselect_all = unselect_all;
  iface->set_selection = set_selection;
}

/* The wrapped model's change, passed on. Of the removed and added reports,
 * as many positions as both have keep their rows (and show other reports);
 * the rest of the removed ones are dropped, or the rest of the added ones
 * are new, at the end of that range; rows after it move with it. Then the
 * kept rows that exist are announced changed, the same objects out and in:
 * the manager takes their widgets back and binds them to what they show now.
 * The positions between the first and the last of them that have no row are
 * announced too; those get widgets as any new row would. */
static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  KsListRows *self)
{
  guint common = MIN (removed, added);
  guint first = G_MAXUINT, last = 0;

  for (guint i = self->live->len; i-- > 0;)
    {
      KsListRow *row = g_ptr_array_index (self->live, i);

      if (row->position >= position + removed)
        row->position = row->position - removed + added;
      else if (row->position >= position + common)
        {
          row->owner = NULL;
          row->position = G_MAXUINT;
          g_ptr_array_remove_index_fast (self->live, i);
        }
      else if (row->position >= position)
        {
          first = MIN (first, row->position);
          last = MAX (last, row->position);
        }
    }
  if (removed != added)
    g_list_model_items_changed (G_LIST_MODEL (self), position + common, removed - common, added - common);
  if (first <= last)
    g_list_model_items_changed (G_LIST_MODEL (self), first, last - first + 1, last - first + 1);
}

static void
on_selection_changed (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      KsListRows        *self)
{
  gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position, n_items);
}

static void
ks_list_rows_dispose (GObject *object)
{
  KsListRows *self = KS_LIST_ROWS (object);

  if (self->model != NULL)
    {
      g_clear_signal_handler (&self->items_handler, self->model);
      g_clear_signal_handler (&self->selection_handler, self->model);
      g_clear_object (&self->model);
    }
  for (guint i = 0; i < self->live->len; i++)
    {
      KsListRow *row = g_ptr_array_index (self->live, i);

      row->owner = NULL;
      row->position = G_MAXUINT;
    }
  g_ptr_array_set_size (self->live, 0);
  G_OBJECT_CLASS (ks_list_rows_parent_class)->dispose (object);
}

static void
ks_list_rows_finalize (GObject *object)
{
  g_ptr_array_unref (KS_LIST_ROWS (object)->live);
  G_OBJECT_CLASS (ks_list_rows_parent_class)->finalize (object);
}

static void
ks_list_rows_class_init (KsListRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_list_rows_dispose;
  object_class->finalize = ks_list_rows_finalize;
}

static void
ks_list_rows_init (KsListRows *self)
{
  self->live = g_ptr_array_new ();
}

KsListRows *
ks_list_rows_new (GtkSelectionModel *model)
{
  KsListRows *self;

  g_return_val_if_fail (GTK_IS_SELECTION_MODEL (model), NULL);
  self = g_object_new (KS_TYPE_LIST_ROWS, NULL);
  self->model = g_object_ref (model);
  self->items_handler = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);
  self->selection_handler = g_signal_connect (model, "selection-changed",
                                              G_CALLBACK (on_selection_changed), self);
  return self;
}

guint
ks_list_rows_get_n_live (KsListRows *self)
{
  g_return_val_if_fail (KS_IS_LIST_ROWS (self), 0);
  return self->live->len;
}

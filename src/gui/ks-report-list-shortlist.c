/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-list-shortlist.c: the user's shortlist in the report list. When the
 * filter shows it in its order (My Shortlist), the list drops its column sort
 * and rows can be dragged onto one another: the dragged report takes the place
 * of the one it is dropped on, and the new order goes to the server through the
 * session (queued in the outbox when offline). */
#define G_LOG_DOMAIN "ks-report-list"

#include "config.h"
#include "ks-report-list-private.h"
#include "ks-object-int64.h"

#include <glib/gi18n.h>

static KsReportFilter *
filter_of (KsReportList *self)
{
  KsSession *session = self ? ks_report_list_get_session (self) : NULL;
  return session ? ks_session_get_filter (session) : NULL;
}

static gboolean
filter_in_shortlist_order (KsReportList *self)
{
  KsReportFilter *filter = filter_of (self);
  return filter != NULL && ks_report_filter_get_sort (filter) == KS_REPORT_SORT_SHORTLIST;
}

gboolean
ks_report_list_can_reorder (KsReportList *self)
{
  GtkSorter *sorter;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), FALSE);
  if (!filter_in_shortlist_order (self) ||
      !ks_session_can (ks_report_list_get_session (self), KS_PERM_SHORTLIST))
    return FALSE;
  /* Sorted by a column, the rows are not in the shortlist's order. */
  sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (ks_report_list_get_column_view (self)));
  return sorter == NULL || gtk_sorter_get_order (sorter) == GTK_SORTER_ORDER_NONE;
}

static gboolean
follow_now (gpointer data)
{
  KsReportList *self = data;
  GtkColumnView *view = GTK_COLUMN_VIEW (ks_report_list_get_column_view (self));
  gboolean want = filter_in_shortlist_order (self);
  gboolean was = g_object_get_data (G_OBJECT (self), "ks-shortlist-order") != NULL;

  g_object_set_data (G_OBJECT (self), "ks-follow-idle", NULL);
  if (want == was)
    return G_SOURCE_REMOVE;
  g_object_set_data (G_OBJECT (self), "ks-shortlist-order", GINT_TO_POINTER (want));
  if (want)
    gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  else
    ks_report_list_sort_by (self, "priority", GTK_SORT_ASCENDING);
  return G_SOURCE_REMOVE;
}

void
ks_report_list_follow_shortlist_order (KsReportList *self)
{
  gboolean want = filter_in_shortlist_order (self);
  gboolean was = g_object_get_data (G_OBJECT (self), "ks-shortlist-order") != NULL;

  /* Not from inside the model's items-changed: on the next idle. */
  if (want != was && g_object_get_data (G_OBJECT (self), "ks-follow-idle") == NULL)
    {
      g_object_set_data (G_OBJECT (self), "ks-follow-idle", GINT_TO_POINTER (1));
      g_idle_add_full (G_PRIORITY_HIGH_IDLE, follow_now, g_object_ref (self), g_object_unref);
    }
}

gboolean
ks_report_list_drop_report (KsReportList *self,
                            gint64        dragged,
                            gint64        onto)
{
  KsSession *session;
  g_autoptr(GArray) order = NULL;
  guint from = G_MAXUINT, to = G_MAXUINT;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), FALSE);
  if (!ks_report_list_can_reorder (self) || dragged == onto || dragged <= 0 || onto <= 0)
    return FALSE;
  session = ks_report_list_get_session (self);
  order = ks_session_get_shortlist_ids (session);
  for (guint i = 0; i < order->len; i++)
    {
      if (g_array_index (order, gint64, i) == dragged)
        from = i;
      if (g_array_index (order, gint64, i) == onto)
        to = i;
    }
  if (from == G_MAXUINT || to == G_MAXUINT)
    return FALSE;
  g_array_remove_index (order, from);
  g_array_insert_val (order, to, dragged);
  ks_session_reorder_shortlist_async (session, (const gint64 *) (gconstpointer) order->data,
                                      order->len, NULL, NULL, NULL);
  ks_report_filter_set_shortlist_order (filter_of (self), (const gint64 *) (gconstpointer) order->data,
                                        order->len);
  return TRUE;
}

static gint64
cell_report_id (GtkWidget *cell)
{
  return ks_object_get_int64 (cell, "ks-report-id");
}

/* A bound cell of the row that widget is, or is in (NULL: not a row). */
static GtkWidget *
cell_within (GtkWidget *widget,
             guint      depth)
{
  if (cell_report_id (widget) > 0)
    return widget;
  if (depth == 0)
    return NULL;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *cell = cell_within (c, depth - 1);
      if (cell != NULL)
        return cell;
    }
  return NULL;
}

/* The cell of the row at (x, y) of the column view, or NULL (a header, the
 * room below the last row). Up from the widget there to its row: the rows'
 * list itself is not one. */
static GtkWidget *
cell_at (GtkWidget *view,
         double     x,
         double     y)
{
  for (GtkWidget *w = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);
       w != NULL && w != view && !GTK_IS_LIST_VIEW (w);
       w = gtk_widget_get_parent (w))
    {
      /* A row holds its cells, a cell its label: two levels down at most. */
      GtkWidget *cell = cell_within (w, 2);
      if (cell != NULL)
        return cell;
    }
  return NULL;
}

/* The list a controller on its column view belongs to. */
static KsReportList *
list_of (GtkEventController *controller)
{
  GtkWidget *view = gtk_event_controller_get_widget (controller);
  GtkWidget *list = view ? gtk_widget_get_ancestor (view, KS_TYPE_REPORT_LIST) : NULL;

  return list ? KS_REPORT_LIST (list) : NULL;
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 gpointer       data)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  KsReportList *self = list_of (GTK_EVENT_CONTROLLER (source));
  GtkWidget *cell;

  if (self == NULL || !ks_report_list_can_reorder (self) || (cell = cell_at (view, x, y)) == NULL)
    return NULL;
  /* The dragged row's picture, for drag-begin. */
  g_object_set_data_full (G_OBJECT (source), "ks-drag-cell", g_object_ref (cell), g_object_unref);
  return gdk_content_provider_new_typed (G_TYPE_INT64, cell_report_id (cell));
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               gpointer       data)
{
  GtkWidget *cell = g_object_get_data (G_OBJECT (source), "ks-drag-cell");
  g_autoptr(GdkPaintable) icon = NULL;

  if (cell == NULL)
    return;
  icon = gtk_widget_paintable_new (cell);
  gtk_drag_source_set_icon (source, icon, 0, 0);
  g_object_set_data (G_OBJECT (source), "ks-drag-cell", NULL);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       data)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  KsReportList *self = list_of (GTK_EVENT_CONTROLLER (target));
  GtkWidget *cell;

  if (!G_VALUE_HOLDS_INT64 (value) || self == NULL || (cell = cell_at (view, x, y)) == NULL)
    return FALSE;
  return ks_report_list_drop_report (self, g_value_get_int64 (value), cell_report_id (cell));
}

void
ks_report_list_shortlist_setup (KsReportList *self)
{
  GtkWidget *column_view = ks_report_list_get_column_view (self);
  GtkDragSource *source;
  GtkDropTarget *target;

  /* One drag source and one drop target for the whole list, finding the row
   * under the pointer when called, rather than two controllers on every cell:
   * the list view makes and drops hundreds of cells at each change of the
   * rows, and each controller made its cells dearer. */
  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), NULL);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), NULL);
  gtk_widget_add_controller (column_view, GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (G_TYPE_INT64, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), NULL);
  gtk_widget_add_controller (column_view, GTK_EVENT_CONTROLLER (target));
}

/* For tests: the id cells on screen, by their place from the top. */
typedef struct {
  gint64 id;
  double y;
} Shown;

static void
collect_shown (GtkWidget *widget,
               GtkWidget *top,
               GArray    *out)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "ks-column"), "title") == 0 &&
      cell_report_id (widget) > 0)
    {
      graphene_point_t p = GRAPHENE_POINT_INIT (0, 0), q;

      if (gtk_widget_compute_point (widget, top, &p, &q) && q.y >= 0 &&
          ks_report_list_cell_in_view (KS_REPORT_LIST (top), widget))
        {
          Shown s = { cell_report_id (widget), q.y };
          g_array_append_val (out, s);
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_shown (c, top, out);
}

static int
cmp_shown (gconstpointer a, gconstpointer b)
{
  const Shown *x = a, *y = b;
  return x->y < y->y ? -1 : x->y > y->y;
}

GArray *
ks_report_list_get_shown_ids (KsReportList *self)
{
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (Shown));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), ids);
  collect_shown (GTK_WIDGET (self), GTK_WIDGET (self), shown);
  g_array_sort (shown, cmp_shown);
  for (guint i = 0; i < shown->len; i++)
    g_array_append_val (ids, g_array_index (shown, Shown, i).id);
  return ids;
}

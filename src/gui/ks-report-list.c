/* ks-report-list.c: the sortable, virtualised table of the filtered reports
 * (GtkColumnView over GtkSortListModel over the session's KsReportFilter). */
#define G_LOG_DOMAIN "ks-report-list"

#include "config.h"
#include "ks-report-list.h"
#include "ks-report-list-private.h"

#include <glib/gi18n.h>

#include "ks-states.h"

typedef enum {
  COL_ID,
  COL_TITLE,
  COL_CATEGORY,
  COL_STATE,
  COL_PRIORITY,
  COL_CREATED,
  COL_UPDATED,
  COL_WARD,
  N_COLUMNS
} Column;

static const char *column_names[N_COLUMNS] = {
  "id", "title", "category", "state", "priority", "created", "updated", "ward",
};

struct _KsReportList
{
  GtkWidget            parent_instance;

  KsSession           *session;
  GtkSortListModel    *sort_model;
  GtkSingleSelection  *selection;

  GtkWidget           *scroller;
  GtkWidget           *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  gint64               selected_id;
};

G_DEFINE_FINAL_TYPE (KsReportList, ks_report_list, GTK_TYPE_WIDGET)

enum {
  REPORT_SELECTED,
  REPORT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (t);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("");
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column col = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), col == COL_ID ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (col == COL_ID || col == COL_CREATED || col == COL_UPDATED)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "ks-column", (gpointer) column_names[col]);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  KsReportList *self = g_object_get_data (G_OBJECT (factory), "ks-report-list");
  Column col = GPOINTER_TO_UINT (user_data);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  KsReport *report = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  if (report == NULL)
    return;

  g_object_set_data (G_OBJECT (label), "ks-report-id", GSIZE_TO_POINTER ((gsize) ks_report_get_id (report)));
  switch (col)
    {
    case COL_ID:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, ks_report_get_id (report));
      gtk_label_set_text (label, text);
      break;
    case COL_TITLE:
      gtk_label_set_text (label, ks_report_get_title (report));
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), ks_report_get_title (report));
      break;
    case COL_CATEGORY:
      gtk_label_set_text (label, ks_report_get_category (report));
      break;
    case COL_STATE:
      {
        const KsState *state = ks_state_lookup (ks_report_get_state (report));
        g_autofree char *escaped = g_markup_escape_text (state ? state->label : ks_report_get_state (report), -1);

        text = g_strdup_printf ("<span foreground=\"%s\">●</span> %s",
                                state ? state->colour : "#77767b", escaped);
        gtk_label_set_markup (label, text);
      }
      break;
    case COL_PRIORITY:
      gtk_label_set_text (label, self && self->session
                          ? ks_session_get_priority_name (self->session, ks_report_get_priority_id (report))
                          : "");
      break;
    case COL_CREATED:
      text = format_time (ks_report_get_created (report));
      gtk_label_set_text (label, text);
      break;
    case COL_UPDATED:
      text = format_time (ks_report_get_updated (report));
      gtk_label_set_text (label, text);
      break;
    case COL_WARD:
      gtk_label_set_text (label, ks_report_get_ward (report));
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static gint64
selected_report_id (KsReportList *self)
{
  KsReport *report;

  if (self->selection == NULL)
    return 0;
  report = gtk_single_selection_get_selected_item (self->selection);
  return report ? ks_report_get_id (report) : 0;
}

static void
on_selection_changed (KsReportList *self)
{
  gint64 id = selected_report_id (self);

  if (id == self->selected_id)
    return;
  self->selected_id = id;
  g_signal_emit (self, signals[REPORT_SELECTED], 0, id);
}

static void
on_activate (KsReportList *self,
             guint         position)
{
  g_autoptr(KsReport) report = NULL;

  report = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);
  if (report == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_emit (self, signals[REPORT_ACTIVATED], 0, ks_report_get_id (report));
}

/* GtkColumnView 4.8 has no scroll_to(): use its list's action. */
static void
scroll_to (KsReportList *self,
           guint         position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->column_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        {
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
          return;
        }
    }
}

static void
ks_report_list_dispose (GObject *object)
{
  KsReportList *self = KS_REPORT_LIST (object);
  GtkWidget *child;

  if (self->column_view)
    gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_REPORT_LIST);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ks_report_list_parent_class)->dispose (object);
}

static void
ks_report_list_class_init (KsReportListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_report_list_dispose;

  signals[REPORT_SELECTED] =
    g_signal_new ("report-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[REPORT_ACTIVATED] =
    g_signal_new ("report-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (KS_TYPE_REPORT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-report-list.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KsReportList, scroller);
  gtk_widget_class_bind_template_child (widget_class, KsReportList, column_view);
  gtk_widget_class_bind_template_child_full (widget_class, "id_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_ID]));
  gtk_widget_class_bind_template_child_full (widget_class, "title_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_TITLE]));
  gtk_widget_class_bind_template_child_full (widget_class, "category_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_CATEGORY]));
  gtk_widget_class_bind_template_child_full (widget_class, "state_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_STATE]));
  gtk_widget_class_bind_template_child_full (widget_class, "priority_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_PRIORITY]));
  gtk_widget_class_bind_template_child_full (widget_class, "created_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_CREATED]));
  gtk_widget_class_bind_template_child_full (widget_class, "updated_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_UPDATED]));
  gtk_widget_class_bind_template_child_full (widget_class, "ward_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_WARD]));
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
ks_report_list_init (KsReportList *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

      g_object_set_data (G_OBJECT (factory), "ks-report-list", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (i));
      gtk_column_view_column_set_factory (self->columns[i], factory);
      g_object_unref (factory);
    }

  sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view));
  self->sort_model = gtk_sort_list_model_new (NULL, g_object_ref (sorter));
  gtk_sort_list_model_set_incremental (self->sort_model, TRUE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
ks_report_list_new (void)
{
  return g_object_new (KS_TYPE_REPORT_LIST, NULL);
}

void
ks_report_list_set_session (KsReportList *self,
                            KsSession    *session)
{
  g_return_if_fail (KS_IS_REPORT_LIST (self));

  if (!g_set_object (&self->session, session))
    return;

  gtk_sort_list_model_set_model (self->sort_model,
                                 session ? G_LIST_MODEL (ks_session_get_filter (session)) : NULL);
  gtk_column_view_column_set_visible (self->columns[COL_PRIORITY], session != NULL);
}

GListModel *
ks_report_list_get_model (KsReportList *self)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}

gint64
ks_report_list_get_selected_id (KsReportList *self)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), 0);
  return selected_report_id (self);
}

gboolean
ks_report_list_select_id (KsReportList *self,
                          gint64        id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), FALSE);

  if (id == selected_report_id (self))
    return id != 0;

  model = G_LIST_MODEL (self->sort_model);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);

      if (ks_report_get_id (report) == id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          scroll_to (self, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
ks_report_list_move_selection (KsReportList *self,
                               int           delta)
{
  guint n, pos, next;

  g_return_if_fail (KS_IS_REPORT_LIST (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (n == 0)
    return;

  pos = gtk_single_selection_get_selected (self->selection);
  if (pos == GTK_INVALID_LIST_POSITION)
    next = delta > 0 ? 0 : n - 1;
  else if (delta > 0)
    next = MIN (pos + 1, n - 1);
  else
    next = pos > 0 ? pos - 1 : 0;

  gtk_single_selection_set_selected (self->selection, next);
  scroll_to (self, next);
}

void
ks_report_list_unselect (KsReportList *self)
{
  g_return_if_fail (KS_IS_REPORT_LIST (self));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

void
ks_report_list_sort_by (KsReportList *self,
                        const char   *column,
                        GtkSortType   order)
{
  g_return_if_fail (KS_IS_REPORT_LIST (self));

  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_str_equal (column, column_names[i]))
      gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (self->column_view), self->columns[i], order);
}

/* Test-only: the text of the shown cell (see ks-report-list-private.h). */
static GtkLabel *
find_cell (GtkWidget  *widget,
           gint64      id,
           const char *column)
{
  if (GTK_IS_LABEL (widget)
      && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "ks-column"), column) == 0
      && (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (widget), "ks-report-id")) == id
      && gtk_widget_get_mapped (widget))
    return GTK_LABEL (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = find_cell (c, id, column);
      if (found)
        return found;
    }
  return NULL;
}

char *
ks_report_list_get_cell_text (KsReportList *self,
                              gint64        id,
                              const char   *column)
{
  GtkLabel *label;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);

  label = find_cell (self->column_view, id, column);
  return label ? g_strdup (gtk_label_get_text (label)) : NULL;
}

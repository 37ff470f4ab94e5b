/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-list.c: the sortable, virtualised table of the filtered reports
 * (GtkColumnView over the session's KsReportFilter, which keeps its reports
 * in the columns' order: sorted once, not again at each change of the filter).
 *
 * Many rows can be selected at once (GtkMultiSelection: Ctrl+click, Shift+click,
 * Shift+arrows, Ctrl+A for every report of the filter, scrolled into view or not),
 * for bulk actions. The selection is a bitset of positions: counting it, or
 * selecting all of 100,000 rows, touches no row. The detail follows one report of
 * the selection: the only one, or while several are selected the one it showed
 * (as long as it stays selected), else the first. */
#define G_LOG_DOMAIN "ks-report-list"

#include "config.h"
#include "ks-settings.h"
#include "ks-report-list.h"
#include "ks-report-list-private.h"
#include "ks-report-private.h"   /* the fields, for the sort comparison */

#include <glib/gi18n.h>
#include <string.h>

#include "ks-date-format.h"
#include "ks-list-rows.h"
#include "ks-states.h"
#include "ks-object-int64.h"

/* The title column takes the room the other columns leave (GTK 4.8's column
 * view gives none to an expanding column), never less than this. */
#define TITLE_MIN 140

typedef enum {
  COL_ID,
  COL_TITLE,
  COL_CATEGORY,
  COL_STATE,
  COL_PRIORITY,
  COL_CREATED,
  COL_UPDATED,
  COL_WARD,
  COL_ASSIGNED,
  N_COLUMNS
} Column;

static const char *column_names[N_COLUMNS] = {
  "id", "title", "category", "state", "priority", "created", "updated", "ward", "assigned",
};

/* The GSettings key that remembers which columns are shown. */
#define COLUMNS_KEY "list-columns"

struct _KsReportList
{
  GtkWidget            parent_instance;

  KsSession           *session;
  GtkSortListModel    *sort_model;   /* no sorter of its own: the filter sorts */
  GtkSorter           *column_sorter; /* the column view's */
  gboolean             in_rows_changed;
  guint                compare_idle;
  /* The columns' sort is known to be the Priority column's, ascending, alone
   * (as the list sets it): compared directly, not through the column view's
   * sorter chain. */
  gboolean             by_priority;
  gboolean             setting_priority;   /* inside our own sort by priority */
  gboolean             clearing_sort;      /* the sort cleared on the way to another */
  gboolean             ranks_changing;     /* the same columns, new ranks */
  GtkMultiSelection   *selection;
  KsListRows          *rows;         /* what the column view is given, */
  gboolean             rows_given;   /* once the list is first shown */

  GtkWidget           *scroller;
  GtkWidget           *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  int                  preferred_width[N_COLUMNS];  /* from the template */
  gboolean             chosen[N_COLUMNS];     /* shown by the person's choice (GSettings) */
  gboolean             squeezed[N_COLUMNS];   /* chosen, but left out for want of room */
  gint64               selected_id;
  guint                selected_pos;   /* where selected_id was last seen (a hint) */
  guint                n_selected;

  GSettings           *settings;
  GSimpleActionGroup  *actions;
  GMenu               *column_menu;
  KsReportListAnswers *answers;
  GHashTable          *assigned_bound;     /* GtkListItem of the Assigned column, bound */
  GtkSorter           *priority_rank_sorter;
  JsonArray           *ranked_priorities;  /* the list the ranks were taken from */
  GArray              *ranks;              /* PriorityRank of ranked_priorities */

  /* Keeping the person's place while the rows change under them. */
  gboolean             changing;
  guint                changing_pos;
  double               changing_value;
  double               changing_row_height;
  /* The place is given back once the list view has laid the new rows out. */
  GdkFrameClock       *restore_clock;
  gulong               restore_handler;
  guint                restore_pos;
  double               restore_offset;    /* the row's top, from the top of the view */
  gboolean             restore_top;       /* nothing selected: back to the top */
};

G_DEFINE_FINAL_TYPE (KsReportList, ks_report_list, GTK_TYPE_WIDGET)

enum {
  REPORT_SELECTED,
  REPORT_ACTIVATED,
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A cell's tooltip, asked for when the pointer rests on it. Not
 * gtk_widget_set_tooltip_text() at each bind: that asks the display server
 * where the pointer is (a round trip) for every cell of every row bound, at
 * each change of the rows. */
static gboolean
on_cell_query_tooltip (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    data)
{
  const char *text = g_object_get_data (G_OBJECT (cell), "ks-tooltip");

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
ks_report_list_cell_tooltip_setup (GtkWidget *cell)
{
  gtk_widget_set_has_tooltip (cell, TRUE);
  g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), NULL);
}

/* A cell: a GtkInscription, whose size depends on the font alone, not on its
 * text. A GtkLabel measures its text: a change of the rows (a filter, a search)
 * re-measured every cell bound, each text shaped by pango, about a third of
 * the time of a search with the list shown. */
GtkWidget *
ks_report_list_cell_new (const char *column,
                         float       xalign)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), xalign);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (cell), "ks-column", (gpointer) column);
  ks_report_list_cell_tooltip_setup (cell);
  return cell;
}

void
ks_report_list_cell_set_tooltip (GtkWidget  *cell,
                                 const char *text)
{
  g_object_set_data_full (G_OBJECT (cell), "ks-tooltip",
                          text != NULL && *text != '\0' ? g_strdup (text) : NULL, g_free);
}

static void
set_time (GtkInscription *cell,
          gint64          t)
{
  g_autofree char *text = ks_date_format (t);
  g_autofree char *full = ks_date_format_full (t);

  gtk_inscription_set_text (cell, text);
  ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), full);
}

/* The ranks of the council's priorities (their position, most urgent first),
 * taken from the list once rather than from its JSON at each comparison. */
typedef struct {
  gint64 id;
  int    rank;
} PriorityRank;

static void
take_ranks (KsReportList *self,
            JsonArray    *priorities)
{
  g_clear_pointer (&self->ranked_priorities, json_array_unref);
  self->ranked_priorities = priorities ? json_array_ref (priorities) : NULL;
  g_array_set_size (self->ranks, 0);
  for (guint i = 0; priorities && i < json_array_get_length (priorities); i++)
    {
      JsonNode *node = json_array_get_element (priorities, i);
      JsonObject *p = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      PriorityRank r;

      if (p == NULL)
        continue;
      r.id = json_object_get_int_member_with_default (p, "id", 0);
      r.rank = (int) MIN (json_object_get_int_member_with_default (p, "position", i), G_MAXINT / 2);
      g_array_append_val (self->ranks, r);
    }
}

/* Where a report's priority stands among the council's priorities: their
 * position (most urgent first), and no priority after every priority. */
static int
priority_rank (KsReport     *report,
               KsReportList *self)
{
  gint64 id = report->priority_id;

  if (id <= 0)
    return G_MAXINT;
  for (guint i = 0; i < self->ranks->len; i++)
    if (g_array_index (self->ranks, PriorityRank, i).id == id)
      return g_array_index (self->ranks, PriorityRank, i).rank;
  return (int) MIN (id, G_MAXINT / 2) + G_MAXINT / 2 - 1;   /* unknown priorities after known ones */
}

/* The Priority column's order: by rank, then the newest first. A plain C
 * comparison, reading the reports' fields without the getters' type checks:
 * GtkSortListModel calls it about n log n times, where sort keys
 * taken through GtkExpressions cost a closure call and a GValue per report at
 * every change of the model (most of a second for 100,000 reports). */
static int
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  KsReportList *self = data;
  KsReport *ra = (KsReport *) a, *rb = (KsReport *) b;
  int ka = priority_rank (ra, self), kb = priority_rank (rb, self);
  gint64 ca, cb;

  if (ka != kb)
    return ka < kb ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  ca = ra->created;
  cb = rb->created;
  if (ca != cb)
    return ca > cb ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return GTK_ORDERING_EQUAL;
}

static gboolean
same_ranks (GArray *a,
            GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_array_index (a, PriorityRank, i).id != g_array_index (b, PriorityRank, i).id ||
        g_array_index (a, PriorityRank, i).rank != g_array_index (b, PriorityRank, i).rank)
      return FALSE;
  return TRUE;
}

/* The ranks follow the priorities list: sort again when it was replaced by
 * one that ranks them otherwise (a list fetched again is most often the same:
 * sorting every report again for it would be for nothing). */
static void
check_priorities_changed (KsReportList *self)
{
  JsonArray *now = self->session ? ks_session_get_priorities (self->session) : NULL;
  g_autoptr(GArray) before = NULL;

  if (now == self->ranked_priorities)
    return;
  before = g_array_copy (self->ranks);
  take_ranks (self, now);
  if (same_ranks (before, self->ranks))
    return;
  self->ranks_changing = TRUE;
  gtk_sorter_changed (self->priority_rank_sorter, GTK_SORTER_CHANGE_DIFFERENT);
  self->ranks_changing = FALSE;
}

/* The list sorted by column alone. GTK's sort_by_column() tells only the new
 * column that the sort changed, so the header sorted by before kept its arrow
 * beside the new one's. Clearing the sort tells that header; the list does not
 * sort its rows for that passing state. */
static void
sort_by_column_alone (KsReportList        *self,
                      GtkColumnViewColumn *column,
                      GtkSortType          order)
{
  self->clearing_sort = TRUE;
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (self->column_view), NULL, GTK_SORT_ASCENDING);
  self->clearing_sort = FALSE;
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (self->column_view), column, order);
}

/* Priority, ascending, alone: what the list starts on. */
static void
sort_by_priority (KsReportList *self)
{
  self->setting_priority = TRUE;
  sort_by_column_alone (self, self->columns[COL_PRIORITY], GTK_SORT_ASCENDING);
  self->setting_priority = FALSE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column col = GPOINTER_TO_UINT (user_data);
  GtkWidget *cell = ks_report_list_cell_new (column_names[col], col == COL_ID ? 1.0 : 0.0);

  /* Titles ellipsize: the title column's width is set in size_allocate. */
  if (col == COL_TITLE)
    gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 10);
  if (col == COL_ID || col == COL_CREATED || col == COL_UPDATED)
    gtk_widget_add_css_class (cell, "numeric");
  gtk_list_item_set_child (item, cell);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  KsReportList *self = g_object_get_data (G_OBJECT (factory), "ks-report-list");
  Column col = GPOINTER_TO_UINT (user_data);
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  g_autoptr(KsReport) report = self ? ks_report_list_get_item_report (self, item) : NULL;
  g_autofree char *text = NULL;

  if (report == NULL)
    return;

  if (col == COL_ASSIGNED)
    g_hash_table_add (self->assigned_bound, item);
  ks_object_set_int64 (cell, "ks-report-id", ks_report_get_id (report));
  switch (col)
    {
    case COL_ID:
      /* A report made here that the server does not have yet has no reference. */
      if (ks_session_is_placeholder (ks_report_get_id (report)))
        {
          gtk_inscription_set_text (cell, _("Not sent"));
          ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), _("Waiting to be sent: it gets its reference when the server has it"));
          break;
        }
      text = g_strdup_printf ("%" G_GINT64_FORMAT, ks_report_get_id (report));
      gtk_inscription_set_text (cell, text);
      ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), NULL);
      break;
    case COL_TITLE:
      gtk_inscription_set_text (cell, ks_report_get_title (report));
      ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), ks_report_get_title (report));
      break;
    case COL_CATEGORY:
      gtk_inscription_set_text (cell, ks_report_get_category (report));
      break;
    case COL_STATE:
      {
        const KsState *state = ks_state_lookup (ks_report_get_state (report));
        gint64 of = ks_report_get_duplicate_of (report);
        g_autofree char *shown = of != 0
          ? g_strdup_printf (_("Duplicate of #%" G_GINT64_FORMAT), of)
          : g_strdup (state ? state->label : ks_report_get_state (report));
        g_autofree char *escaped = g_markup_escape_text (shown, -1);
        g_autofree char *tip = of != 0
          ? g_strdup_printf (_("%s: a duplicate of report %" G_GINT64_FORMAT),
                             state ? state->label : ks_report_get_state (report), of)
          : NULL;

        text = g_strdup_printf ("<span foreground=\"%s\">●</span> %s",
                                state ? state->colour : "#77767b", escaped);
        gtk_inscription_set_markup (cell, text);
        /* A narrow column keeps the number the link names. */
        gtk_inscription_set_text_overflow (cell, of != 0 ? GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE
                                                   : GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
        ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), tip ? tip : shown);
      }
      break;
    case COL_PRIORITY:
      {
        const char *name = self && self->session
                           ? ks_session_get_priority_name (self->session, ks_report_get_priority_id (report))
                           : "";

        gtk_inscription_set_text (cell, name);
        ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), *name ? name : NULL);
      }
      break;
    case COL_CREATED:
      set_time (cell, ks_report_get_created (report));
      break;
    case COL_UPDATED:
      set_time (cell, ks_report_get_updated (report));
      break;
    case COL_WARD:
      gtk_inscription_set_text (cell, ks_report_get_ward (report));
      break;
    case COL_ASSIGNED:
      {
        gint64 holder = ks_report_get_shortlist_user (report);
        const char *name = self && self->session && holder
                           ? ks_session_get_assignee_name (self->session, holder) : NULL;

        gtk_inscription_set_text (cell, holder == 0 ? "" : name ? name : _("A colleague"));
        ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), holder && name ? name : NULL);
      }
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
unbind_assigned (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  KsReportList *self = g_object_get_data (G_OBJECT (factory), "ks-report-list");

  if (self != NULL && self->assigned_bound != NULL)
    g_hash_table_remove (self->assigned_bound, item);
}

static gint64
id_at (KsReportList *self,
       guint         position)
{
  g_autoptr(KsReport) report = NULL;

  if (position == GTK_INVALID_LIST_POSITION)
    return 0;
  report = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);
  return report ? ks_report_get_id (report) : 0;
}

static guint find_position (KsReportList *self, gint64 id);

/* Where report id is in the list (checking the last place it was seen first). */
static guint
position_of (KsReportList *self,
             gint64        id)
{
  if (id == 0)
    return GTK_INVALID_LIST_POSITION;
  if (self->selected_pos != GTK_INVALID_LIST_POSITION && id_at (self, self->selected_pos) == id)
    return self->selected_pos;
  return find_position (self, id);
}

static gboolean
is_selected (KsReportList *self,
             guint         position)
{
  return position != GTK_INVALID_LIST_POSITION &&
         gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position);
}

/* The report the detail follows (see the top of this file), and its place. */
static gint64
selected_report_id_at (KsReportList *self,
                       guint        *out_position)
{
  g_autoptr(GtkBitset) set = NULL;
  guint pos;

  *out_position = GTK_INVALID_LIST_POSITION;
  if (self->selection == NULL)
    return 0;
  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_is_empty (set))
    return 0;
  if (gtk_bitset_get_size (set) > 1 && self->selected_id != 0)
    {
      pos = position_of (self, self->selected_id);
      if (pos != GTK_INVALID_LIST_POSITION && gtk_bitset_contains (set, pos))
        {
          *out_position = pos;
          return self->selected_id;
        }
    }
  *out_position = gtk_bitset_get_minimum (set);
  return id_at (self, *out_position);
}

static gint64
selected_report_id (KsReportList *self)
{
  guint pos;
  return selected_report_id_at (self, &pos);
}

static guint
count_selected (KsReportList *self)
{
  g_autoptr(GtkBitset) set = NULL;

  if (self->selection == NULL)
    return 0;
  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  return (guint) gtk_bitset_get_size (set);
}

static void
on_selection_changed (KsReportList *self)
{
  guint pos, n;
  gint64 id;

  /* While rows change, a selection that goes away is taken back at the end. */
  if (self->changing)
    return;
  id = selected_report_id_at (self, &pos);
  n = count_selected (self);
  if (pos != GTK_INVALID_LIST_POSITION)
    self->selected_pos = pos;
  if (n != self->n_selected)
    {
      self->n_selected = n;
      g_signal_emit (self, signals[SELECTION_CHANGED], 0, n);
    }
  if (id == self->selected_id)
    return;
  self->selected_id = id;
  g_signal_emit (self, signals[REPORT_SELECTED], 0, id);
}

/* Selects position alone (as a plain click does). */
static void
select_only (KsReportList *self,
             guint         position)
{
  if (position == GTK_INVALID_LIST_POSITION)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  else
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

static void
on_activate (KsReportList *self,
             guint         position)
{
  g_autoptr(KsReport) report = NULL;

  report = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);
  if (report == NULL)
    return;
  /* Enter on one of several selected rows opens it and keeps the selection. */
  if (!is_selected (self, position))
    select_only (self, position);
  self->selected_pos = position;
  if (self->selected_id != ks_report_get_id (report))
    {
      self->selected_id = ks_report_get_id (report);
      g_signal_emit (self, signals[REPORT_SELECTED], 0, self->selected_id);
    }
  g_signal_emit (self, signals[REPORT_ACTIVATED], 0, ks_report_get_id (report));
}

/* GtkColumnView 4.8 has no scroll_to(): use its list's action. A list not
 * shown yet has no rows to scroll: it opens at the selected report when it
 * is shown (give_rows()). */
static void
scroll_to (KsReportList *self,
           guint         position)
{
  if (!self->rows_given)
    return;
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

static GtkAdjustment *
vadjustment (KsReportList *self)
{
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
}

/* Rows are about to change (a sync, an action on a report): note where the
 * selected row is on screen. Runs before the selection model hears of it. */
static void
on_rows_changing (KsReportList *self)
{
  GtkAdjustment *adj = vadjustment (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  self->changing = TRUE;
  self->changing_pos = position_of (self, self->selected_id);
  self->changing_value = gtk_adjustment_get_value (adj);
  self->changing_row_height = n > 0 ? gtk_adjustment_get_upper (adj) / n : 0;
  /* A change before the last one was laid out: the place is still the one
   * the person had then, not where the view stands in between. */
  if (self->restore_handler != 0 && self->restore_top)
    self->changing_value = 0;
  else if (self->restore_handler != 0 && self->changing_pos == self->restore_pos)
    self->changing_value = self->restore_pos * self->changing_row_height - self->restore_offset;
}

static void
cancel_restore (KsReportList *self)
{
  /* The clock of a window being destroyed may have dropped its handlers. */
  if (self->restore_handler != 0 && g_signal_handler_is_connected (self->restore_clock, self->restore_handler))
    g_signal_handler_disconnect (self->restore_clock, self->restore_handler);
  self->restore_handler = 0;
  g_clear_object (&self->restore_clock);
}

/* The first row at the top: the list view's anchor, not only the adjustment
 * (a list not shown, the map being shown, keeps its adjustment at 0 while
 * its anchor moves with the rows). The value first, then the anchor: the
 * other way round, from a view scrolled down, the list view's own answer to
 * the value's change left its anchor some rows down (about 100 rows, in a
 * search after a report chosen far down the list). */
static void
go_to_top (KsReportList *self)
{
  gtk_adjustment_set_value (vadjustment (self), 0);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    scroll_to (self, 0);
}

/* After the layout that followed a change: the selected row goes back to where
 * it was on screen. Set any earlier, while the list view has not measured the
 * new rows, the value lands elsewhere (the view re-anchors on a row of the
 * replaced range, rows away from the selected one). */
static void
restore_place (KsReportList *self)
{
  GtkAdjustment *adj = vadjustment (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  double row_height, value;

  cancel_restore (self);
  if (self->restore_top)
    {
      /* Unless a report was chosen (and scrolled to) in the meantime. */
      self->restore_top = FALSE;
      if (self->selected_id == 0)
        go_to_top (self);
      return;
    }
  if (self->restore_pos >= n || self->restore_pos != position_of (self, self->selected_id))
    return;
  row_height = gtk_adjustment_get_upper (adj) / n;
  value = self->restore_pos * row_height - self->restore_offset;
  gtk_adjustment_set_value (adj, CLAMP (value, 0, MAX (0, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj))));
}

/* Row pos at offset pixels below the top of the view, after the next layout. */
static void
schedule_place (KsReportList *self,
                guint         pos,
                double        offset)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->restore_top = FALSE;
  self->restore_pos = pos;
  self->restore_offset = offset;
  if (clock == NULL)
    {
      restore_place (self);
      return;
    }
  if (self->restore_handler == 0)
    {
      self->restore_clock = g_object_ref (clock);
      self->restore_handler = g_signal_connect_object (clock, "after-paint", G_CALLBACK (restore_place),
                                                       self, G_CONNECT_SWAPPED);
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* The selected row back where it was on screen before the change. */
static void
schedule_restore (KsReportList *self,
                  guint         pos)
{
  schedule_place (self, pos, self->changing_pos * self->changing_row_height - self->changing_value);
}

/* Back to the top after the layout of the change (at once when the list is
 * not realized). */
static void
schedule_top (KsReportList *self)
{
  schedule_restore (self, GTK_INVALID_LIST_POSITION);
  if (self->restore_handler != 0)
    self->restore_top = TRUE;
  else
    go_to_top (self);
}

/* The session's filter when it is what the rows show, else NULL. */
static KsReportFilter *
shown_filter (KsReportList *self)
{
  KsReportFilter *filter = self->session ? ks_session_get_filter (self->session) : NULL;

  return filter != NULL && gtk_sort_list_model_get_model (self->sort_model) == G_LIST_MODEL (filter)
         ? filter : NULL;
}

/* The sort model passes the filter's rows through (the filter sorts): the
 * filter finds the position, without taking and dropping a ref to each
 * report on the way (100,000 of them after each change of the filter). */
static guint
find_position (KsReportList *self,
               gint64        id)
{
  KsReportFilter *filter = shown_filter (self);
  guint pos;

  if (filter == NULL)
    return GTK_INVALID_LIST_POSITION;
  pos = ks_report_filter_find_id (filter, id);
  return pos == G_MAXUINT ? GTK_INVALID_LIST_POSITION : pos;
}

/* Inside a change of the rows: whether the filter's criteria made it. */
static gboolean
criteria_change (KsReportList *self)
{
  KsReportFilter *filter = shown_filter (self);

  return filter != NULL && ks_report_filter_is_criteria_change (filter);
}

/* Rows changed: the selected report stays selected and keeps its place on
 * screen, so that the next j goes on from where the person was. */
static void
on_rows_changed (KsReportList *self)
{
  guint pos;

  if (!self->changing)
    return;
  self->changing = FALSE;
  self->in_rows_changed = TRUE;
  check_priorities_changed (self);
  self->in_rows_changed = FALSE;
  ks_report_list_follow_shortlist_order (self);

  self->selected_pos = GTK_INVALID_LIST_POSITION;
  if (self->selected_id == 0)
    {
      /* Nothing selected: a list at its top stays there. A search typed
       * shows its first results, and the list opened after a sync seen on
       * the map its first rows, not the rows the list view re-anchored on
       * among the new ones. */
      on_selection_changed (self);
      if (self->changing_value == 0)
        schedule_top (self);
      return;
    }
  pos = find_position (self, self->selected_id);
  if (pos == GTK_INVALID_LIST_POSITION)
    {
      /* The report left the list (filtered out, or gone; or for a moment,
       * as a report made offline takes its reference). Filtered out by a
       * search or a filter the person chose, with no other report selected:
       * the list shows the first of what they asked for. Otherwise it stays
       * where it is. */
      on_selection_changed (self);
      if (self->selected_id == 0 && criteria_change (self))
        schedule_top (self);
      return;
    }
  self->selected_pos = pos;
  if (!is_selected (self, pos))
    {
      self->changing = TRUE;
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), pos,
                                       count_selected (self) <= 1);
      self->changing = FALSE;
    }
  on_selection_changed (self);
  /* Even a row that kept its position may be re-laid out: the list view
   * re-anchors when the changed range held its anchor. */
  if (self->changing_pos != GTK_INVALID_LIST_POSITION && self->changing_row_height > 0)
    schedule_restore (self, pos);
}

/* Columns shown, remembered in GSettings */

static void
apply_columns (KsReportList *self)
{
  g_auto(GStrv) shown = g_settings_get_strv (self->settings, COLUMNS_KEY);
  gboolean any = FALSE;

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      gboolean visible = g_strv_contains ((const char * const *) shown, column_names[i]);

      /* The title is always there: a row must say what it is. */
      if (i == COL_TITLE)
        visible = TRUE;
      self->chosen[i] = visible;
      gtk_column_view_column_set_visible (self->columns[i], visible && !self->squeezed[i]);
      any |= visible;
      if (self->actions)
        {
          g_autofree char *name = g_strconcat ("column-", column_names[i], NULL);
          GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

          if (action)
            g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (visible));
        }
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
on_column_toggled (GSimpleAction *action,
                   GVariant      *value,
                   gpointer       user_data)
{
  KsReportList *self = user_data;
  const char *column = g_action_get_name (G_ACTION (action)) + strlen ("column-");

  ks_report_list_set_column_visible (self, column, g_variant_get_boolean (value));
}

static void
setup_column_menu (KsReportList *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  self->actions = g_simple_action_group_new ();
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autofree char *name = g_strconcat ("column-", column_names[i], NULL);
      g_autofree char *detailed = g_strconcat ("report-list.", name, NULL);
      g_autoptr(GSimpleAction) action = NULL;

      if (i == COL_TITLE)
        continue;
      action = g_simple_action_new_stateful (name, NULL, g_variant_new_boolean (TRUE));
      g_signal_connect (action, "change-state", G_CALLBACK (on_column_toggled), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
      g_menu_append (section, gtk_column_view_column_get_title (self->columns[i]), detailed);
    }
  g_menu_append_section (menu, _("Columns"), G_MENU_MODEL (section));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "report-list", G_ACTION_GROUP (self->actions));
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_column_view_column_set_header_menu (self->columns[i], G_MENU_MODEL (menu));
  self->column_menu = g_steal_pointer (&menu);
  self->answers = ks_report_list_answers_new (self, GTK_COLUMN_VIEW (self->column_view),
                                              self->actions, self->column_menu);
}

/* A column's name for the answers to a question, or NULL. */
static const char *
answer_code (const char *column)
{
  return g_str_has_prefix (column, "answer:") ? column + strlen ("answer:") : NULL;
}


static void
ks_report_list_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  KsReportList *self = KS_REPORT_LIST (widget);

  gtk_widget_measure (self->scroller, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

/* The narrowest each column may get before the title gives way: its header
 * stays whole (cells ellipsize, with the full text in a tooltip). */
static const int column_min_width[N_COLUMNS] = {
  [COL_ID] = 56, [COL_TITLE] = TITLE_MIN, [COL_CATEGORY] = 96, [COL_STATE] = 90,
  [COL_PRIORITY] = 86, [COL_CREATED] = 88, [COL_UPDATED] = 88, [COL_WARD] = 72,
  [COL_ASSIGNED] = 96,
};

/* When the chosen columns do not fit even at their narrowest, these give way
 * first (left out until there is room again, still ticked in the chooser):
 * triage needs State, Priority, Updated and Ward most. */
static const Column squeeze_order[] = {
  COL_CREATED, COL_CATEGORY, COL_ASSIGNED, COL_ID, COL_WARD, COL_UPDATED, COL_PRIORITY, COL_STATE,
};

/* Decides which chosen columns are left out at width; TRUE when that changed. */
static gboolean
squeeze_columns (KsReportList *self,
                 int           width)
{
  gboolean squeezed[N_COLUMNS] = { FALSE };
  gboolean changed = FALSE;
  /* The chosen answer columns keep their width: the others give way to them. */
  int need = TITLE_MIN + (self->answers ? ks_report_list_answers_get_width (self->answers) : 0);

  for (guint i = 0; i < N_COLUMNS; i++)
    if (i != COL_TITLE && self->chosen[i])
      need += column_min_width[i];
  for (guint k = 0; k < G_N_ELEMENTS (squeeze_order) && need > width; k++)
    if (self->chosen[squeeze_order[k]])
      {
        squeezed[squeeze_order[k]] = TRUE;
        need -= column_min_width[squeeze_order[k]];
      }
  for (guint i = 0; i < N_COLUMNS; i++)
    if (squeezed[i] != self->squeezed[i])
      {
        self->squeezed[i] = squeezed[i];
        gtk_column_view_column_set_visible (self->columns[i], self->chosen[i] && !squeezed[i]);
        changed = TRUE;
      }
  return changed;
}

static void
ks_report_list_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  KsReportList *self = KS_REPORT_LIST (widget);
  int answers = self->answers ? ks_report_list_answers_get_width (self->answers) : 0;
  int pref = 0, min = 0, avail = width - TITLE_MIN - answers, used = answers;
  double scale = 1.0;

  squeeze_columns (self, width);
  for (guint i = 0; i < N_COLUMNS; i++)
    if (i != COL_TITLE && gtk_column_view_column_get_visible (self->columns[i]))
      {
        pref += self->preferred_width[i];
        min += column_min_width[i];
      }
  /* Columns shrink from their preferred widths towards their minimum, evenly,
   * when the title would otherwise get less than TITLE_MIN. */
  if (avail < pref)
    scale = pref > min ? MAX (0.0, (double) (avail - min) / (pref - min)) : 0.0;
  for (guint i = 0; i < N_COLUMNS; i++)
    if (i != COL_TITLE && gtk_column_view_column_get_visible (self->columns[i]))
      {
        int w = column_min_width[i] + (int) ((self->preferred_width[i] - column_min_width[i]) * scale);

        used += w;
        if (gtk_column_view_column_get_fixed_width (self->columns[i]) != w)
          gtk_column_view_column_set_fixed_width (self->columns[i], w);
      }
  if (gtk_column_view_column_get_fixed_width (self->columns[COL_TITLE]) != MAX (TITLE_MIN, width - used))
    gtk_column_view_column_set_fixed_width (self->columns[COL_TITLE], MAX (TITLE_MIN, width - used));
  gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
}

static void
ks_report_list_dispose (GObject *object)
{
  KsReportList *self = KS_REPORT_LIST (object);
  GtkWidget *child;

  cancel_restore (self);
  g_clear_handle_id (&self->compare_idle, g_source_remove);
  if (self->session != NULL)
    ks_report_filter_set_compare (ks_session_get_filter (self->session), NULL, NULL);
  if (self->column_sorter != NULL)
    g_signal_handlers_disconnect_by_data (self->column_sorter, self);
  g_clear_object (&self->column_sorter);
  if (self->column_view)
    gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), NULL);
  g_clear_object (&self->rows);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->session);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->answers, ks_report_list_answers_free);
  g_clear_object (&self->actions);
  g_clear_object (&self->column_menu);
  g_clear_object (&self->priority_rank_sorter);
  g_clear_pointer (&self->assigned_bound, g_hash_table_unref);
  g_clear_pointer (&self->ranks, g_array_unref);
  g_clear_pointer (&self->ranked_priorities, json_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_REPORT_LIST);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ks_report_list_parent_class)->dispose (object);
}

/* The column view is given its rows when the list is first shown, not at
 * the start: the window opens on the map, and making the list's row widgets
 * (about 200 rows of 9 cells) and measuring them was about a tenth of a
 * second on the way to the first frame with reports. The list opens at the
 * selected report, else at its top. */
static void
give_rows (KsReportList *self)
{
  guint pos;

  if (self->rows_given)
    return;
  self->rows_given = TRUE;
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), GTK_SELECTION_MODEL (self->rows));
  pos = position_of (self, self->selected_id);
  if (pos == GTK_INVALID_LIST_POSITION)
    return;
  /* At the top of the view, once the rows are laid out: scrolled to before
   * that, GTK 4.8's list view showed no rows at all. */
  schedule_place (self, pos, 0);
}

static void
ks_report_list_map (GtkWidget *widget)
{
  give_rows (KS_REPORT_LIST (widget));
  GTK_WIDGET_CLASS (ks_report_list_parent_class)->map (widget);
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
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (KS_TYPE_REPORT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-report-list.ui");
  widget_class->map = ks_report_list_map;
  widget_class->measure = ks_report_list_measure;
  widget_class->size_allocate = ks_report_list_size_allocate;
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
  gtk_widget_class_bind_template_child_full (widget_class, "assigned_column", FALSE, G_STRUCT_OFFSET (KsReportList, columns[COL_ASSIGNED]));
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

/* Priority: the most urgent first, then the newest report first. Neither key
 * changes when someone acknowledges, updates or changes the state of a report,
 * so rows stay where they are while the person works down the list. */
static void
setup_priority_sorter (KsReportList *self)
{
  self->ranks = g_array_new (FALSE, FALSE, sizeof (PriorityRank));
  self->priority_rank_sorter = GTK_SORTER (gtk_custom_sorter_new (compare_priority, self, NULL));
  gtk_column_view_column_set_sorter (self->columns[COL_PRIORITY], self->priority_rank_sorter);
}

static void on_column_sorter_changed (KsReportList *self);

static void
ks_report_list_init (KsReportList *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->assigned_bound = g_hash_table_new (NULL, NULL);
  setup_priority_sorter (self);
  for (guint i = 0; i < N_COLUMNS; i++)
    self->preferred_width[i] = MAX (gtk_column_view_column_get_fixed_width (self->columns[i]),
                                    column_min_width[i]);

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

      g_object_set_data (G_OBJECT (factory), "ks-report-list", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (i));
      if (i == COL_ASSIGNED)
        g_signal_connect (factory, "unbind", G_CALLBACK (unbind_assigned), NULL);
      gtk_column_view_column_set_factory (self->columns[i], factory);
      g_object_unref (factory);
    }

  sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view));
  self->column_sorter = g_object_ref (sorter);
  g_signal_connect_swapped (sorter, "changed", G_CALLBACK (on_column_sorter_changed), self);
  /* A pass-through: the filter keeps the rows in the columns' order, so a
   * change of the filter sorts nothing again. */
  self->sort_model = gtk_sort_list_model_new (NULL, NULL);
  /* Before the selection model hears of a change... */
  g_signal_connect_swapped (self->sort_model, "items-changed", G_CALLBACK (on_rows_changing), self);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  /* ...and after. */
  g_signal_connect_swapped (self->sort_model, "items-changed", G_CALLBACK (on_rows_changed), self);
  self->selected_pos = GTK_INVALID_LIST_POSITION;
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  /* One object a row on screen, whatever report it shows: a change of the
   * rows binds the row widgets again rather than making new ones. Given to
   * the column view when the list is first shown (give_rows()). */
  self->rows = ks_list_rows_new (GTK_SELECTION_MODEL (self->selection));

  /* Rows of the shortlist, in its order, can be dragged to reorder it. */
  ks_report_list_shortlist_setup (self);
  setup_column_menu (self);
  self->settings = ks_settings_new ();
  g_signal_connect_swapped (self->settings, "changed::" COLUMNS_KEY, G_CALLBACK (apply_columns), self);
  apply_columns (self);

  /* A sort that suits triage, with its arrow on the Priority header. */
  sort_by_priority (self);
}

static void on_lists_changed (KsReportList *self);

/* The columns' order, for the filter to sort by (the sort it was asked for
 * breaks the ties, as the rows of a stable sort over it would be). */
static int
compare_by_columns (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  KsReportList *self = data;

  if (self->by_priority)
    return compare_priority (a, b, self);
  return gtk_sorter_compare (self->column_sorter, (gpointer) a, (gpointer) b);
}

/* The Priority column's order as keys: the rank, then the newest first. */
static void
priority_keys (KsReport *report,
               gint64    key[2],
               gpointer  data)
{
  key[0] = priority_rank (report, data);
  key[1] = -report->created;
}

static void
apply_column_order (KsReportList *self)
{
  KsReportFilter *filter = self->session ? ks_session_get_filter (self->session) : NULL;

  g_clear_handle_id (&self->compare_idle, g_source_remove);
  if (filter == NULL)
    return;
  if (gtk_sorter_get_order (self->column_sorter) == GTK_SORTER_ORDER_NONE)
    ks_report_filter_set_compare (filter, NULL, NULL);
  else if (self->by_priority)
    ks_report_filter_set_compare_keys (filter, compare_by_columns, priority_keys, self);
  else
    ks_report_filter_set_compare (filter, compare_by_columns, self);
}

static gboolean
apply_column_order_idle (gpointer data)
{
  KsReportList *self = data;

  self->compare_idle = 0;
  apply_column_order (self);
  return G_SOURCE_REMOVE;
}

/* A header clicked, or what a column's sort reads changed. Not from inside
 * the rows' items-changed (the filter would announce a change inside its
 * own announcement): on the next idle then. */
static void
on_column_sorter_changed (KsReportList *self)
{
  /* Anything but our own sort by priority, or new ranks for it, may have
   * changed the columns: through the column view's sorter then. */
  if (self->clearing_sort)
    return;
  if (self->setting_priority)
    self->by_priority = TRUE;
  else if (!self->ranks_changing)
    self->by_priority = FALSE;
  if (!self->in_rows_changed)
    apply_column_order (self);
  else if (self->compare_idle == 0)
    self->compare_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_column_order_idle, self, NULL);
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

  if (session == self->session)
    return;
  if (self->session != NULL)
    ks_report_filter_set_compare (ks_session_get_filter (self->session), NULL, NULL);
  g_set_object (&self->session, session);

  self->selected_id = 0;
  take_ranks (self, session ? ks_session_get_priorities (session) : NULL);
  self->ranks_changing = TRUE;
  gtk_sorter_changed (self->priority_rank_sorter, GTK_SORTER_CHANGE_DIFFERENT);
  self->ranks_changing = FALSE;
  apply_column_order (self);
  gtk_sort_list_model_set_model (self->sort_model,
                                 session ? G_LIST_MODEL (ks_session_get_filter (session)) : NULL);
  ks_report_list_answers_set_session (self->answers, session);
  if (session)
    g_signal_connect_object (session, "lists-changed", G_CALLBACK (on_lists_changed), self,
                             G_CONNECT_SWAPPED);
}

KsReport *
ks_report_list_get_item_report (KsReportList *self,
                                GtkListItem  *item)
{
  guint position = gtk_list_item_get_position (item);

  if (gtk_list_item_get_item (item) == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);
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
  guint pos;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), FALSE);

  pos = id != 0 ? find_position (self, id) : GTK_INVALID_LIST_POSITION;
  if (pos == GTK_INVALID_LIST_POSITION)
    return FALSE;
  /* Chosen again (from the map, a search, a link), it is brought into view
   * all the same: the list may have been scrolled away from it, or opened
   * before it was chosen. */
  if (!(id == selected_report_id (self) && count_selected (self) == 1))
    select_only (self, pos);
  scroll_to (self, pos);
  return TRUE;
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

  pos = position_of (self, selected_report_id (self));
  if (pos == GTK_INVALID_LIST_POSITION)
    next = delta > 0 ? 0 : n - 1;
  else if (delta > 0)
    next = MIN (pos + 1, n - 1);
  else
    next = pos > 0 ? pos - 1 : 0;

  select_only (self, next);
  scroll_to (self, next);
}

void
ks_report_list_unselect (KsReportList *self)
{
  g_return_if_fail (KS_IS_REPORT_LIST (self));
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

guint
ks_report_list_get_n_selected (KsReportList *self)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), 0);
  return count_selected (self);
}

GArray *
ks_report_list_get_selected_ids (KsReportList *self)
{
  g_autoptr(GtkBitset) set = NULL;
  GArray *ids;
  GtkBitsetIter iter;
  guint pos;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);

  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) gtk_bitset_get_size (set));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, set, &pos); more;
       more = gtk_bitset_iter_next (&iter, &pos))
    {
      gint64 id = id_at (self, pos);
      if (id != 0)
        g_array_append_val (ids, id);
    }
  return ids;
}

guint
ks_report_list_select_ids (KsReportList *self,
                           const gint64 *ids,
                           guint         n_ids)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  GListModel *model;
  guint n;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), 0);

  for (guint i = 0; i < n_ids; i++)
    g_hash_table_add (wanted, (gpointer) &ids[i]);
  model = G_LIST_MODEL (self->sort_model);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n && n_ids > 0; i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);
      gint64 id = ks_report_get_id (report);

      if (g_hash_table_contains (wanted, &id))
        gtk_bitset_add (selected, i);
    }
  mask = gtk_bitset_new_range (0, n);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
  if (!gtk_bitset_is_empty (selected))
    scroll_to (self, gtk_bitset_get_minimum (selected));
  return (guint) gtk_bitset_get_size (selected);
}

void
ks_report_list_select_all (KsReportList *self)
{
  g_return_if_fail (KS_IS_REPORT_LIST (self));
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

void
ks_report_list_sort_by (KsReportList *self,
                        const char   *column,
                        GtkSortType   order)
{
  GtkColumnViewColumn *col;

  g_return_if_fail (KS_IS_REPORT_LIST (self));

  if ((col = ks_report_list_get_column (self, column)) == self->columns[COL_PRIORITY] &&
      order == GTK_SORT_ASCENDING)
    sort_by_priority (self);
  else if (col != NULL)
    sort_by_column_alone (self, col, order);
}

/* Test-only: the text of the shown cell (see ks-report-list-private.h). The
 * list view keeps widgets for rows well beyond its edges: a cell counts when
 * its middle lies inside the scrolled window. */
gboolean
ks_report_list_cell_in_view (KsReportList *self,
                             GtkWidget    *cell)
{
  graphene_point_t p = GRAPHENE_POINT_INIT (0, gtk_widget_get_height (cell) / 2.0), q;

  return gtk_widget_compute_point (cell, self->scroller, &p, &q)
         && q.y >= 0 && q.y <= gtk_widget_get_height (self->scroller);
}

static GtkWidget *
find_cell (KsReportList *self,
           GtkWidget    *widget,
           gint64        id,
           const char   *column)
{
  if (GTK_IS_INSCRIPTION (widget)
      && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "ks-column"), column) == 0
      && ks_object_get_int64 (widget, "ks-report-id") == id
      && gtk_widget_get_mapped (widget) && ks_report_list_cell_in_view (self, widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_cell (self, c, id, column);
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
  GtkWidget *cell;
  const char *text;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);

  cell = find_cell (self, self->column_view, id, column);
  if (cell == NULL)
    return NULL;
  text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));
  return g_strdup (text ? text : "");
}

void
ks_report_list_set_column_visible (KsReportList *self,
                                   const char   *column,
                                   gboolean      visible)
{
  g_auto(GStrv) shown = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) next = NULL;

  g_return_if_fail (KS_IS_REPORT_LIST (self));
  g_return_if_fail (column != NULL);

  if (answer_code (column) != NULL)
    {
      ks_report_list_answers_set_visible (self->answers, answer_code (column), visible);
      return;
    }
  shown = g_settings_get_strv (self->settings, COLUMNS_KEY);
  /* Kept in the table's order. */
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      gboolean on = g_str_equal (column_names[i], column)
                    ? visible : g_strv_contains ((const char * const *) shown, column_names[i]);
      if (on)
        g_strv_builder_add (builder, column_names[i]);
    }
  next = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, COLUMNS_KEY, (const char * const *) next);
}

gboolean
ks_report_list_get_column_visible (KsReportList *self,
                                   const char   *column)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), FALSE);

  if (answer_code (column) != NULL)
    return ks_report_list_answers_get_column (self->answers, answer_code (column)) != NULL;
  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_str_equal (column, column_names[i]))
      return self->chosen[i];
  return FALSE;
}

gboolean
ks_report_list_get_column_shown (KsReportList *self,
                                 const char   *column)
{
  GtkColumnViewColumn *col;

  g_return_val_if_fail (KS_IS_REPORT_LIST (self), FALSE);

  col = ks_report_list_get_column (self, column);
  return col != NULL && gtk_column_view_column_get_visible (col);
}

GtkColumnViewColumn *
ks_report_list_get_column (KsReportList *self,
                           const char   *column)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);

  if (answer_code (column) != NULL)
    return ks_report_list_answers_get_column (self->answers, answer_code (column));
  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_str_equal (column, column_names[i]))
      return self->columns[i];
  return NULL;
}

GMenuModel *
ks_report_list_get_column_menu (KsReportList *self)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);
  return G_MENU_MODEL (self->column_menu);
}

KsSession *
ks_report_list_get_session (KsReportList *self)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);
  return self->session;
}

/* The names behind "Assigned to" arrive with the lists: the Assigned cells
 * bound now are given their names again, in place. Not a new factory: that
 * made every row's Assigned cell again (the old ones unparented, new ones
 * measured), a tenth of a search with the list shown when the lists arrived
 * in the middle of it. */
static void
on_lists_changed (KsReportList *self)
{
  GtkListItemFactory *factory = gtk_column_view_column_get_factory (self->columns[COL_ASSIGNED]);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer item;

  ks_report_list_answers_refresh (self->answers);
  if (factory == NULL)
    return;
  /* Binding again adds each item to the set: walk a copy. */
  g_hash_table_iter_init (&iter, self->assigned_bound);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    g_ptr_array_add (items, item);
  for (guint i = 0; i < items->len; i++)
    bind_cell (GTK_SIGNAL_LIST_ITEM_FACTORY (factory), g_ptr_array_index (items, i),
               GUINT_TO_POINTER (COL_ASSIGNED));
}

GtkWidget *
ks_report_list_get_column_view (KsReportList *self)
{
  g_return_val_if_fail (KS_IS_REPORT_LIST (self), NULL);
  return self->column_view;
}

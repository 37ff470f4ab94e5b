/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-list.h: the sortable, virtualised table of the filtered reports. */
#pragma once

#include <gtk/gtk.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_REPORT_LIST (ks_report_list_get_type ())
G_DECLARE_FINAL_TYPE (KsReportList, ks_report_list, KS, REPORT_LIST, GtkWidget)

GtkWidget  *ks_report_list_new              (void);
/* Shows the session's filtered model (NULL: nothing). */
void        ks_report_list_set_session      (KsReportList *self, KsSession *session);
/* The model as shown (sorted by the chosen column), a GListModel of KsReport. */
GListModel *ks_report_list_get_model        (KsReportList *self);
/* The selected report's id, or 0. */
gint64      ks_report_list_get_selected_id  (KsReportList *self);
/* Selects (and scrolls to) the report; returns FALSE when it is not shown. */
gboolean    ks_report_list_select_id        (KsReportList *self, gint64 id);
/* Moves the selection one row down (delta 1) or up (-1). */
void        ks_report_list_move_selection   (KsReportList *self, int delta);
void        ks_report_list_unselect         (KsReportList *self);
/* Several reports at once (for bulk actions): Ctrl+click, Shift+click,
 * Shift+arrows and Ctrl+A do the same from the keyboard and the pointer. */
guint       ks_report_list_get_n_selected   (KsReportList *self);
/* The selected reports' ids, in the list's order (a new GArray of gint64). */
GArray     *ks_report_list_get_selected_ids (KsReportList *self);
/* Selects exactly those of ids that the list shows; returns how many. */
guint       ks_report_list_select_ids       (KsReportList *self, const gint64 *ids, guint n_ids);
/* Every report of the filter, shown on screen or not. */
void        ks_report_list_select_all       (KsReportList *self);
/* Sorts by a column ("id", "title", "category", "state", "priority", "created",
 * "updated", "ward", "assigned", or a chosen "answer:CODE"), as clicking its
 * header does. */
void        ks_report_list_sort_by          (KsReportList *self, const char *column, GtkSortType order);

/* Shows or hides a column; remembered in GSettings ("list-columns"). The
 * title is always shown. Right-clicking a header offers the same. A column
 * "answer:CODE" shows the answers to the categories' question CODE (the menu's
 * "Answers" section; GSettings "list-answer-columns"). */
void        ks_report_list_set_column_visible (KsReportList *self, const char *column, gboolean visible);
gboolean    ks_report_list_get_column_visible (KsReportList *self, const char *column);
/* Whether a chosen column is on screen: when the chosen ones do not fit even at
 * their narrowest, Created, Category, Id (then Ward, Updated, Priority, State)
 * give way until there is room again. */
gboolean    ks_report_list_get_column_shown   (KsReportList *self, const char *column);
GtkColumnViewColumn *ks_report_list_get_column (KsReportList *self, const char *column);
GtkWidget  *ks_report_list_get_column_view  (KsReportList *self);

/* Signals:
 * "report-selected" (gint64 id): the selection changed (0: none).
 * "report-activated" (gint64 id): Enter or double click on a row.
 * "selection-changed" (guint n): how many rows are selected changed. */

G_END_DECLS

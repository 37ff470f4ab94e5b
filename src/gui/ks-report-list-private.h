/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-list-private.h: what the list shows, for tests. */
#pragma once

#include "ks-report-list.h"

G_BEGIN_DECLS

/* The text of the cell that the list shows for report id in column ("id",
 * "title", "category", "state", "priority", "created", "updated", "ward", "assigned",
 * or "answer:CODE"), as drawn on screen; NULL when that row is not on screen. */
char *ks_report_list_get_cell_text (KsReportList *self, gint64 id, const char *column);

/* Whether a cell's middle lies inside the list's scrolled window (the list
 * view keeps widgets for rows well beyond its edges). */
gboolean   ks_report_list_cell_in_view (KsReportList *self, GtkWidget *cell);
/* The ids of the rows on screen, top to bottom (a new array of gint64). */
GArray    *ks_report_list_get_shown_ids (KsReportList *self);
KsSession *ks_report_list_get_session   (KsReportList *self);
/* A cell's tooltip, given when asked for (set up once, in the factory's setup;
 * set at each bind; NULL or "": none). */
void       ks_report_list_cell_tooltip_setup     (GtkWidget *cell);
void       ks_report_list_cell_set_tooltip       (GtkWidget *cell, const char *text);
/* A new cell of column (a GtkInscription: one line, ellipsized at its end,
 * its "ks-column" data the column's name, its tooltip set up). */
GtkWidget *ks_report_list_cell_new               (const char *column, float xalign);
/* The report a row's cell shows (a new ref; NULL for an unbound item). The
 * column view's items are row placeholders (ks-list-rows.h): the report is
 * the one at the item's position. */
KsReport  *ks_report_list_get_item_report        (KsReportList *self, GtkListItem *item);

/* ks-report-list-shortlist.c: the user's shortlist, shown in its order (the
 * filter sorted by KS_REPORT_SORT_SHORTLIST, no column sort), is reordered by
 * dragging rows. */
void       ks_report_list_shortlist_setup        (KsReportList *self);
/* Follows the filter: its shortlist order drops the column sort, and leaving it
 * sorts by priority again. */
void       ks_report_list_follow_shortlist_order (KsReportList *self);
/* Whether rows can be dragged now. */
gboolean   ks_report_list_can_reorder            (KsReportList *self);
/* What dropping report dragged onto report onto does: dragged takes onto's place
 * in the shortlist (sent through the session). FALSE when it cannot. */
gboolean   ks_report_list_drop_report            (KsReportList *self, gint64 dragged, gint64 onto);

/* The column chooser (every column's header menu). */
GMenuModel *ks_report_list_get_column_menu       (KsReportList *self);

/* ks-report-list-answers.c: the columns of answers to the categories' questions
 * ("answer:CODE"), chosen in the column menu's "Answers" section. */
typedef struct _KsReportListAnswers KsReportListAnswers;
KsReportListAnswers *ks_report_list_answers_new  (KsReportList *list, GtkColumnView *view,
                                                  GSimpleActionGroup *actions, GMenu *menu);
void       ks_report_list_answers_free           (KsReportListAnswers *answers);
void       ks_report_list_answers_set_session    (KsReportListAnswers *answers, KsSession *session);
/* The catalogue changed: the questions, their labels and their values' names. */
void       ks_report_list_answers_refresh        (KsReportListAnswers *answers);
void       ks_report_list_answers_set_visible    (KsReportListAnswers *answers, const char *code,
                                                  gboolean visible);
/* The column of code while it is chosen, else NULL. */
GtkColumnViewColumn *ks_report_list_answers_get_column (KsReportListAnswers *answers, const char *code);
/* The width the chosen answer columns take. */
int        ks_report_list_answers_get_width      (KsReportListAnswers *answers);

G_END_DECLS

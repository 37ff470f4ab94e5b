/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-list-rows.h: the rows a list view is given, over a selection model of
 * reports: one object a row, the same object for as long as the row is on
 * screen, whatever report it shows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KS_TYPE_LIST_ROWS (ks_list_rows_get_type ())
G_DECLARE_FINAL_TYPE (KsListRows, ks_list_rows, KS, LIST_ROWS, GObject)

/* The rows of model: as many, selected as model's items are. Its items are
 * placeholders (bind from the list item's position, reading the report from
 * model). A change of model's items is passed on as a change of the rows
 * whose widgets must show other reports, so that the list view binds its
 * row widgets again instead of dropping them and making new ones. */
KsListRows *ks_list_rows_new       (GtkSelectionModel *model);
/* How many row objects exist now (the rows the list view keeps widgets for,
 * with any a caller holds): for tests. */
guint       ks_list_rows_get_n_live (KsListRows *self);

G_END_DECLS

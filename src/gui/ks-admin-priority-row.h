/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-priority-row.h: the category editor's "Default priority": a combo row
 * of the council's active priorities for the category, "None" first. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

/* category: the category as the API gives it (NULL: a new one, which only the
 * priorities tied to no category are for). Its current default is offered even
 * when it is no longer active, so that opening and saving changes nothing. */
GtkWidget *ks_admin_priority_row_new      (KsSession   *session,
                                           const char  *title,
                                           JsonObject  *category,
                                           gboolean     editable);
/* Chooses the priority (its id as text; NULL or "": None). */
void       ks_admin_priority_row_select   (GtkWidget   *row,
                                           const char  *id);
/* TRUE when the choice differs from the category's own; *out_id: the chosen
 * priority's id, 0 for None. */
gboolean   ks_admin_priority_row_changed  (GtkWidget   *row,
                                           gint64      *out_id);

G_END_DECLS

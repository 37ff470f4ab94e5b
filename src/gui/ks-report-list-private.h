/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-list-private.h: what the list shows, for tests. */
#pragma once

#include "ks-report-list.h"

G_BEGIN_DECLS

/* The text of the cell that the list shows for report id in column ("id",
 * "title", "category", "state", "priority", "created", "updated", "ward"), as
 * drawn on screen; NULL when that row is not on screen. */
char *ks_report_list_get_cell_text (KsReportList *self, gint64 id, const char *column);

G_END_DECLS

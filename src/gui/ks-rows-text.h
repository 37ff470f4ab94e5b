/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-rows-text.h: what a list of AdwActionRows shows, as text (for tests and
 * for the widgets' own accessors). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The AdwActionRow children of list, "title\nsubtitle" each, blank lines
 * between ("" when none). */
char *ks_rows_text (GtkWidget *list);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-csv.h: CSV cells (RFC 4180) that spreadsheets open as plain text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends s as one CSV cell: quoted when it holds a comma, a double quote or a
 * line break (quotes doubled). A cell that a spreadsheet would run as a formula
 * gets a leading apostrophe: one that begins with = + - @, a tab or a carriage
 * return, also after any leading white space (spaces, tabs, line breaks, no-break
 * and other Unicode spaces, zero-width characters), and their full-width forms.
 * NULL appends nothing (an empty cell). */
void     ks_csv_append_text      (GString *out, const char *s);

/* Whether a spreadsheet would run s as a formula (the rule above). */
gboolean ks_csv_looks_like_formula (const char *s);

G_END_DECLS

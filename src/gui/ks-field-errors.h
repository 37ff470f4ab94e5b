/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-field-errors.h: the server's sentence under the field it refused, in the
 * forms that send a set of fields at once (council settings, a new council). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows message under field index (its row marked "error"; errors[i] is the
 * label, shown with its parent) or, with index -1, in status; clears the rest.
 * message NULL clears them all. */
void ks_field_errors_show (GtkWidget  **rows,
                           GtkWidget  **errors,
                           guint        n,
                           GtkWidget   *status,
                           int          index,
                           const char  *message);

G_END_DECLS

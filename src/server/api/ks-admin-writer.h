/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-writer.h: the one writer of the admin kinds' wire shapes: an object
 * of any kind, and a list of them, as the store filled the rows. */
#pragma once

#include "ks-json-writer.h"
#include "store/ks-admin-kind.h"

G_BEGIN_DECLS

/* The object's members in its kind's field order (write-only fields left out). */
void ks_admin_write_row  (KsJsonWriter *w, const KsAdminRow *row);
/* {"<list key>": [rows], "next_cursor": null, or the last id when more follow}. */
void ks_admin_write_list (KsJsonWriter *w, const KsAdminKind *kind, GArray *rows,
                          gboolean more);

G_END_DECLS

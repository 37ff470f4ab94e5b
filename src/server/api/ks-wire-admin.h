/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-admin.h: the writers of the admin wire shapes: an object of any admin
 * kind and a list of them, the council's settings, and a page of the audit log,
 * from the rows the store filled. */
#pragma once

#include "ks-json-writer.h"
#include "store/ks-admin-kind.h"
#include "store/ks-admin-rows.h"

G_BEGIN_DECLS

/* The object's members in its kind's field order (write-only fields left out). */
void ks_admin_write_row  (KsJsonWriter *w, const KsAdminRow *row);
/* {"<list key>": [rows], "next_cursor": null, or the last id when more follow}. */
void ks_admin_write_list (KsJsonWriter *w, const KsAdminKind *kind, GArray *rows,
                          gboolean more);
/* The council and its settings. */
void ks_wire_write_body  (KsJsonWriter *w, const KsBodyRow *body);
/* {"entries": [KsAuditEntry...], "next_cursor": "<at>.<id>" of the last when more
 * follow, or null}. */
void ks_wire_write_audit_page (KsJsonWriter *w, GPtrArray *entries, gboolean more);

G_END_DECLS

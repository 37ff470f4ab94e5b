/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-admin-kinds.h: the generic admin-kind operations of the SQLite
 * store (list, get, create, update, remove: see ks-store-admin.h). */
#pragma once

#include "sqlite/ks-sqlite-store-private.h"

G_BEGIN_DECLS

/* Fills the generic admin-kind entries of the table. */
void ks_sqlite_admin_kinds_init (KsStoreAdminVTable *vtable);

G_END_DECLS

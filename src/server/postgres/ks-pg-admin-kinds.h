/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-admin-kinds.h: the generic admin-kind operations of the PostgreSQL
 * store (list, get, create, update, remove: see ks-store-admin.h). */
#pragma once

#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* Fills the generic admin-kind entries of the table. */
void     ks_pg_admin_kinds_init           (KsStoreAdminVTable *vtable);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-admin.c: the PostgreSQL store's the council catalogue, staff, roles and the admin kinds. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"

void
ks_pg_store_admin_init (KsStoreAdminVTable *vtable)
{
}

/* ks-sqlite-store-admin.c: the admin operations in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "ks-sqlite-store-private.h"

void
ks_sqlite_store_admin_init (KsStoreAdminVTable *vtable)
{
}

/* ks-sqlite-store-actions.c: the actions operations in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "ks-sqlite-store-private.h"

void
ks_sqlite_store_actions_init (KsStoreActionsVTable *vtable)
{
}

/* ks-sqlite-store-reports.c: the reports operations in SQLite. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "ks-sqlite-store-private.h"

void
ks_sqlite_store_reports_init (KsStoreReportsVTable *vtable)
{
}

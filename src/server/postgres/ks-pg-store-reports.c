/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-reports.c: the PostgreSQL store's reading reports: lists, filters, sorting, cursors, bounding boxes, text search, sync. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"

void
ks_pg_store_reports_init (KsStoreReportsVTable *vtable)
{
}

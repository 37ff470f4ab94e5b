/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-open311.c: the PostgreSQL store's Open311 service requests, updates and API keys. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"

void
ks_pg_store_open311_init (KsStoreOpen311VTable *vtable)
{
}

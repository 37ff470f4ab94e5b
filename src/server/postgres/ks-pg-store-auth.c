/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-auth.c: the PostgreSQL store's accounts, sessions, sign-in throttling, two-factor and email codes. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"

void
ks_pg_store_auth_init (KsStoreAuthVTable *vtable)
{
}

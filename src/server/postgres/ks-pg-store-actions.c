/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-actions.c: the PostgreSQL store's what staff do to a report and its timeline. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"

void
ks_pg_store_actions_init (KsStoreActionsVTable *vtable)
{
}

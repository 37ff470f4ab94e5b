/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-privacy.c: the PostgreSQL store's personal data: export, erasure, anonymising, opt-outs. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"

void
ks_pg_store_privacy_init (KsStorePrivacyVTable *vtable)
{
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store.h: the PostgreSQL implementation of KsStore (libpq), for a service
 * that runs several kerbside-server instances in front of one database. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

#define KS_TYPE_PG_STORE (ks_pg_store_get_type ())
G_DECLARE_FINAL_TYPE (KsPgStore, ks_pg_store, KS, PG_STORE, KsStore)

/* Connects to conninfo (a postgresql:// URI or key=value settings) and brings the
 * schema up to date under an advisory lock (several instances starting at once
 * migrate once). password: NULL, or the password kept apart from conninfo
 * (ks_pg_db_new_with_password()). Error: KS_ERROR_UNAVAILABLE when the database
 * cannot be reached. */
KsStore    *ks_pg_store_new            (const char *conninfo, const char *password,
                                        GError **error);

G_END_DECLS

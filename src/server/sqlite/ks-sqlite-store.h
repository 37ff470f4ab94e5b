/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store.h: the SQLite implementation of KsStore. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

#define KS_TYPE_SQLITE_STORE (ks_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (KsSqliteStore, ks_sqlite_store, KS, SQLITE_STORE, KsStore)

/* Opens (creating if needed) the database at path and brings its schema up to date. */
KsStore    *ks_sqlite_store_new        (const char *path, GError **error);
const char *ks_sqlite_store_get_path   (KsSqliteStore *self);
int         ks_sqlite_store_schema_version (KsSqliteStore *self);

G_END_DECLS

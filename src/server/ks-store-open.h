/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-open.h: opens the store a --db value names: a postgresql:// URI is the
 * PostgreSQL store, anything else a SQLite database file. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

/* TRUE when db names a PostgreSQL database rather than a file. */
gboolean  ks_store_db_is_postgresql (const char *db);

/* Opens db and brings its schema up to date. Errors say what to do (a build
 * without PostgreSQL, a database that cannot be reached). */
KsStore  *ks_store_open             (const char  *db,
                                     GError     **error);

G_END_DECLS

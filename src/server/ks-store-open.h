/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-open.h: opens the store a --db value names: a postgresql:// URI is the
 * PostgreSQL store, anything else a SQLite database file. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

/* TRUE when db names a PostgreSQL database rather than a file. */
gboolean  ks_store_db_is_postgresql  (const char *db);

/* TRUE when db is PostgreSQL settings that carry a password (which must not be
 * given on a command line: every user of the machine can read it there). */
gboolean  ks_store_db_has_password   (const char *db);

/* db as it may be shown in logs: a PostgreSQL password is left out. */
char     *ks_store_db_display        (const char *db);

/* Reads the database password from path: the first line, which must not be
 * empty; the file must not be readable by others than its owner and group. */
char     *ks_store_read_password_file (const char  *path,
                                       GError     **error);

/* Opens db and brings its schema up to date. password: for PostgreSQL, kept
 * apart from db (NULL: libpq's PGPASSWORD or ~/.pgpass). Errors say what to do
 * (a build without PostgreSQL, a database that cannot be reached). */
KsStore  *ks_store_open              (const char  *db,
                                      const char  *password,
                                      GError     **error);

G_END_DECLS

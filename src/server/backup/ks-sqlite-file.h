/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-file.h: a Kerbside SQLite database file opened by an operator's
 * command (backup, compact) on a connection of its own, apart from a server's. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Opens the database file at path for reading and writing, after checking that
 * it exists (it is never created) and that it is a Kerbside database (it has
 * the schema_migrations table). *wal is set when it is in WAL mode. NULL with
 * error otherwise. */
sqlite3  *ks_sqlite_file_open  (const char  *path,
                                gboolean    *wal,
                                GError     **error);

/* The first column of the first row of sql, or NULL. */
char     *ks_sqlite_file_query (sqlite3     *db,
                                const char  *sql);

/* Sets error to "what: SQLite's last message"; always returns FALSE. */
gboolean  ks_sqlite_file_fail  (sqlite3     *db,
                                const char  *what,
                                GError     **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-migrate-store.h: moves a whole installation from its SQLite database into an
 * empty PostgreSQL database, table by table with COPY, and verifies the copy (the
 * rows of each table counted and checksummed on both sides) before committing. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What was copied from one table. */
typedef struct {
  char    *table;
  gint64   rows;
  guint64  checksum;   /* order-independent: the sum of each row's SHA-256 prefix */
} KsMigratedTable;

void ks_migrated_table_free (KsMigratedTable *table);

/* Progress: table being copied, rows done so far, rows it has. */
typedef void (*KsMigrateProgress) (const char *table,
                                   gint64      rows_done,
                                   gint64      rows_total,
                                   gpointer    data);

/* Copies every table of the SQLite database sqlite_path (its schema first brought
 * up to date) into the PostgreSQL database conninfo (schema created or brought up
 * to date), which must hold no data yet. One transaction: on any failure, or a
 * count or checksum that differs after the copy, nothing is committed. tables
 * (may be NULL) receives a KsMigratedTable per table, in copy order. */
gboolean ks_migrate_store (const char         *sqlite_path,
                           const char         *conninfo,
                           const char         *password,
                           KsMigrateProgress   progress,
                           gpointer            data,
                           GPtrArray         **tables,
                           GError            **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-migrate.h: the PostgreSQL schema's migrations (data/sql-pg/NNNN-*.sql,
 * compiled in as resources), applied at start under an advisory lock so that
 * several instances starting at once apply each exactly once. */
#pragma once

#include "postgres/ks-pg-db.h"

G_BEGIN_DECLS

/* Where the PostgreSQL migrations are among the server's resources. */
#define KS_PG_MIGRATIONS "/org/kerbside/server/sql-pg"

/* The advisory lock key the runner holds while it migrates ("Kerbside"). */
#define KS_PG_MIGRATION_LOCK G_GINT64_CONSTANT (0x4b65726273696465)

/* Sorts migration file names by their number and refuses (KS_ERROR_FAILED, naming
 * them) a name that does not start with a number above zero or two with one
 * number: the second would never be applied. */
gboolean ks_pg_migrations_check (GStrv    names,
                                 GError **error);

/* Applies, in order, each migration of resource_dir (KS_PG_MIGRATIONS) not yet
 * recorded in schema_migrations, each in its own transaction with its record.
 * n_applied (may be NULL) is set to how many this call applied. */
gboolean ks_pg_migrate          (KsPgDb      *db,
                                 const char  *resource_dir,
                                 guint       *n_applied,
                                 GError     **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-open.c: picks the store for a --db value. */
#include "config.h"
#include "ks-store-open.h"
#include "ks-error.h"
#include "sqlite/ks-sqlite-store.h"
#if HAVE_POSTGRESQL
#include "postgres/ks-pg-store.h"
#endif

gboolean
ks_store_db_is_postgresql (const char *db)
{
  return db != NULL && (g_str_has_prefix (db, "postgresql://") || g_str_has_prefix (db, "postgres://"));
}

KsStore *
ks_store_open (const char  *db,
               GError     **error)
{
  g_return_val_if_fail (db != NULL, NULL);

  if (ks_store_db_is_postgresql (db))
    {
#if HAVE_POSTGRESQL
      return ks_pg_store_new (db, error);
#else
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "This kerbside-server was built without PostgreSQL: install libpq-dev "
                   "and build it again (meson setup --reconfigure -Dpostgresql=enabled).");
      return NULL;
#endif
    }
  return ks_sqlite_store_new (db, error);
}

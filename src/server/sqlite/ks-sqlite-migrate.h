/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-migrate.h: brings a store's database schema up to date. */
#pragma once

#include "sqlite/ks-sqlite-db.h"

G_BEGIN_DECLS

/* Applies every migration of data/sql/ not yet applied (through this thread's
 * connection of store, which must be attached); *out_version is the highest one
 * applied. */
gboolean ks_sqlite_migrate (KsStore *store, int *out_version, GError **error);

G_END_DECLS

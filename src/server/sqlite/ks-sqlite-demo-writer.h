/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-demo-writer.h: writes a planned demo data set straight into a SQLite
 * store, in bulk (the generator in demo/ plans it; this writes it). */
#pragma once

#include "store/ks-store.h"
#include "demo/ks-demo-plan.h"

G_BEGIN_DECLS

/* Connection settings for the bulk load and its write transaction;
 * *old_cache is what ks_sqlite_demo_end() puts back. */
gboolean ks_sqlite_demo_begin (KsStore *store, gint64 *old_cache, GError **error);
void     ks_sqlite_demo_end   (KsStore *store, gint64 old_cache);
/* Writes the council, its staff (hashes: their password hashes), catalogue and
 * the planned reports and updates, replacing earlier demo reports, then
 * rebuilds the indexes. Sets d's ids. In the transaction of ks_sqlite_demo_begin(). */
gboolean ks_sqlite_demo_write (KsStore *store, KsDemoPlan *d, char **hashes, gint64 t0,
                               GError **error);
/* Folds the write-ahead log into the database file. */
void     ks_sqlite_demo_checkpoint (KsStore *store);

G_END_DECLS

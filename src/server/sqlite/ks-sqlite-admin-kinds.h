/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-admin-kinds.h: the generic admin-kind operations of the SQLite
 * store (see ks-store-admin.h for what each does). */
#pragma once

#include "sqlite/ks-sqlite-store-private.h"

G_BEGIN_DECLS

gboolean ks_sqlite_admin_list   (KsStore *store, KsAdminObject kind, gint64 body_id,
                                 const KsAdminQuery *query, GArray *rows, gboolean *out_more,
                                 GError **error);
gboolean ks_sqlite_admin_get    (KsStore *store, KsAdminObject kind, gint64 id, KsAdminRow *out,
                                 GError **error);
gboolean ks_sqlite_admin_create (KsStore *store, KsAdminObject kind, gint64 body_id,
                                 const KsAdminRow *in, gint64 *out_id, GError **error);
gboolean ks_sqlite_admin_update (KsStore *store, KsAdminObject kind, gint64 id,
                                 const KsAdminRow *in, GError **error);
gboolean ks_sqlite_admin_remove (KsStore *store, KsAdminObject kind, gint64 id, GError **error);
/* Which council an object belongs to (KS_ERROR_NOT_FOUND when there is none). */
gboolean ks_sqlite_admin_object_body (KsStore *store, KsAdminObject kind, gint64 id,
                                      gint64 *out_body_id, GError **error);

G_END_DECLS

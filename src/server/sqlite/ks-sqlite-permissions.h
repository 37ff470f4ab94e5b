/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-permissions.h: permission sets in SQLite: reading and replacing the
 * permissions linked to an owner, and a user's effective permissions (their
 * roles' and their single ones), the one query sign-in and admin both use. */
#pragma once

#include "sqlite/ks-sqlite-store-private.h"

G_BEGIN_DECLS

/* Reads permission ids (column 0) of a bound statement into a set; ids this
 * version does not know are skipped. */
gboolean ks_sqlite_read_permission_set (sqlite3_stmt *st, KsPermissionSet *out,
                                        GError **error);
/* Replaces the permissions of owner_id: delete_sql takes (owner), insert_sql
 * (owner, permission id). Both must be static strings. */
gboolean ks_sqlite_replace_permissions (KsStore *store, const char *delete_sql,
                                        const char *insert_sql, gint64 owner_id,
                                        KsPermissionSet set, GError **error);
/* The permissions of a user's roles and their single ones (superusers are the
 * caller's business). */
gboolean ks_sqlite_user_permissions    (KsStore *store, gint64 user_id, KsPermissionSet *out,
                                        GError **error);

G_END_DECLS

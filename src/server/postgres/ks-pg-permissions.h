/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-permissions.h: permission sets in PostgreSQL: reading and replacing the
 * permissions linked to an owner, and a user's effective permissions (their
 * roles' and their single ones), the one query sign-in and admin both use. */
#pragma once

#include "postgres/ks-pg-store-private.h"

G_BEGIN_DECLS

/* Reads the permission ids in column 0 of every row of res into a set; ids this
 * version does not know are skipped. */
void     ks_pg_read_permission_set (const PGresult *res, KsPermissionSet *out);
/* Replaces the permissions of owner_id: del takes (owner), ins (owner,
 * permission id). */
gboolean ks_pg_replace_permissions (KsStore *store, const KsPgStatement *del,
                                    const KsPgStatement *ins, gint64 owner_id,
                                    KsPermissionSet set, GError **error);
/* The permissions of a user's roles and their single ones (superusers are the
 * caller's business). */
gboolean ks_pg_user_permissions    (KsStore *store, gint64 user_id, KsPermissionSet *out,
                                    GError **error);

G_END_DECLS

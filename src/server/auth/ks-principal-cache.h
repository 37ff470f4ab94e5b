/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-principal-cache.h: the principals of recent sessions kept in memory,
 * keyed by their token's hash, and dropped all at once when the database's
 * authentication epoch moves (any change to sessions, staff, roles,
 * permissions or assigned areas moves it, in the same transaction).
 *
 * Thread-safe: the server's workers share one cache. */
#pragma once

#include <glib.h>
#include "auth/ks-principal.h"

G_BEGIN_DECLS

typedef struct _KsPrincipalCache KsPrincipalCache;

KsPrincipalCache *ks_principal_cache_new  (guint max_entries);
void              ks_principal_cache_free (KsPrincipalCache *self);

/* Copies the principal kept for token_hash into out (its address untouched)
 * and returns TRUE, when one is kept under this epoch and its idle expiry is
 * still ahead of now. An epoch newer than the cache's drops everything kept;
 * an older one (a reader that began before a change) finds nothing. */
gboolean ks_principal_cache_get   (KsPrincipalCache *self, gint64 epoch,
                                   const char *token_hash, gint64 now,
                                   KsPrincipal *out);
/* Keeps a copy of principal (resolved from the database after reading epoch);
 * nothing is kept when the cache has seen a newer epoch meanwhile. */
void     ks_principal_cache_put   (KsPrincipalCache *self, gint64 epoch,
                                   const char *token_hash, const KsPrincipal *principal);
/* The session's idle expiry was moved forward (on this instance). */
void     ks_principal_cache_touched (KsPrincipalCache *self, const char *token_hash,
                                   gint64 last_used, gint64 expires);
/* How many principals are kept (for tests). */
guint    ks_principal_cache_size  (KsPrincipalCache *self);

G_END_DECLS

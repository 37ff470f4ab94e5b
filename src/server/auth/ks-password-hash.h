/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-password-hash.h: bcrypt password hashes ($2b$, through libxcrypt). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_BCRYPT_COST_MIN 4
#define KS_BCRYPT_COST_MAX 31

char     *ks_password_hash   (const char *password, int cost, GError **error);
/* Constant-time check. *needs_rehash is set when the hash's cost is not cost. */
gboolean  ks_password_verify (const char *password, const char *hash, int cost,
                              gboolean *needs_rehash);
/* Burns the time of one verification, for unknown accounts. */
void      ks_password_verify_dummy (const char *password, int cost);

/* Wall time the calling thread has spent in bcrypt so far, in microseconds (to
 * tell a sign-in's check from the rest of it). */
gint64    ks_password_hash_thread_time (void);

G_END_DECLS

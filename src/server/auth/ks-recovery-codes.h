/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-recovery-codes.h: two-factor recovery codes: KS_RECOVERY_CODES one-time codes
 * given when two-factor sign-in is turned on (and again on request), each usable
 * once instead of an authenticator code. They are random (10 characters of 31,
 * about 49 bits), shown once as "xxxxx-xxxxx" and kept only as bcrypt hashes. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

#define KS_RECOVERY_CODES       10
#define KS_RECOVERY_CODE_LENGTH 10
/* A sign-in checks up to KS_RECOVERY_CODES hashes, and the codes are random
 * rather than chosen: the bcrypt cost is the server's, capped at this. */
#define KS_RECOVERY_CODE_COST_MAX 8

/* TRUE when a typed code (spaces and dashes taken out) has the shape of a
 * recovery code rather than of an authenticator's 6 digits. */
gboolean  ks_recovery_code_shape     (const char *digits);
/* The bcrypt hashes of codes (for ks_store_auth_replace_recovery_codes), computed
 * outside any transaction: it is slow. */
GPtrArray *ks_recovery_codes_hash    (char **codes, int cost, GError **error);
/* KS_RECOVERY_CODES new codes in clear (NULL-terminated), to show once. */
char    **ks_recovery_codes_generate (void);
/* Uses up the user's unused code matching typed (*taken FALSE when none does). */
gboolean  ks_recovery_codes_take     (KsStore *store, gint64 user_id, const char *typed,
                                      int cost, gboolean *taken, GError **error);

G_END_DECLS

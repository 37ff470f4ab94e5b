/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-totp.h: time-based one-time passwords (RFC 6238) through liboath. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_TOTP_STEP    30
#define KS_TOTP_DIGITS  6
#define KS_TOTP_ISSUER  "Kerbside"

/* A new random 160-bit secret, base32 without padding (32 characters). */
char     *ks_totp_new_secret (void);
/* otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30 */
char     *ks_totp_uri        (const char *secret_b32, const char *account);
/* Checks code against the secret at time now, within one step either side.
 * On success *out_step is the matched time step (for refusing a replay). */
gboolean  ks_totp_check      (const char *secret_b32, const char *code, gint64 now,
                              gint64 *out_step);
/* The code for a time (tests and tools). */
char     *ks_totp_code_at    (const char *secret_b32, gint64 when);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-password-policy.h: what makes a staff password acceptable. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_PASSWORD_MIN_LENGTH_DEFAULT 8
#define KS_PASSWORD_MIN_LENGTH_FLOOR   6
/* bcrypt uses only the first 72 bytes of a password: longer ones are refused
 * rather than silently cut (the rest would not count). */
#define KS_PASSWORD_MAX_BYTES          72
/* The product's own name, which a password must not lean on either. */
#define KS_PASSWORD_PRODUCT_WORDS      "kerbside", "kerbside-server"

typedef struct {
  double   entropy_bits;  /* zxcvbn's estimate */
  int      score;         /* 0 (very weak) .. 4 (strong) */
  gboolean acceptable;
  char    *reason;        /* a sentence when not acceptable, else NULL */
} KsPasswordVerdict;

/* user_words: the user's email, name, the council's name and the like, which a
 * password must not lean on (the product's name always counts too). min_length
 * is raised to KS_PASSWORD_MIN_LENGTH_FLOOR if lower. */
void ks_password_check         (const char         *password,
                                guint               min_length,
                                const char * const *user_words,
                                KsPasswordVerdict  *verdict);
void ks_password_verdict_clear (KsPasswordVerdict  *verdict);

G_END_DECLS

/* ks-password-policy.h: what makes a staff password acceptable. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_PASSWORD_MIN_LENGTH_DEFAULT 8
#define KS_PASSWORD_MIN_LENGTH_FLOOR   6
#define KS_PASSWORD_MAX_LENGTH         256

typedef struct {
  double   entropy_bits;  /* zxcvbn's estimate */
  int      score;         /* 0 (very weak) .. 4 (strong) */
  gboolean acceptable;
  char    *reason;        /* a sentence when not acceptable, else NULL */
} KsPasswordVerdict;

/* user_words: the user's email, name and the like, which a password must not lean
 * on. min_length is raised to KS_PASSWORD_MIN_LENGTH_FLOOR if lower. */
void ks_password_check         (const char         *password,
                                guint               min_length,
                                const char * const *user_words,
                                KsPasswordVerdict  *verdict);
void ks_password_verdict_clear (KsPasswordVerdict  *verdict);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-recovery-codes.c: two-factor recovery codes (see the header). */
#include "auth/ks-recovery-codes.h"
#include "auth/ks-password-hash.h"
#include "ks-time.h"

#include <string.h>
#include <sys/random.h>

/* No 0/o, 1/l/i: a code is copied by hand from paper. */
static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

static int
code_cost (int cost)
{
  return CLAMP (cost, KS_BCRYPT_COST_MIN, KS_RECOVERY_CODE_COST_MAX);
}

/* Lower case, without spaces and dashes. */
static char *
normalise (const char *typed)
{
  GString *out = g_string_new (NULL);
  for (const char *p = typed; *p; p++)
    if (!g_ascii_isspace (*p) && *p != '-')
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

gboolean
ks_recovery_code_shape (const char *digits)
{
  g_autofree char *code = normalise (digits);

  if (strlen (code) != KS_RECOVERY_CODE_LENGTH)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

char **
ks_recovery_codes_generate (void)
{
  char **codes = g_new0 (char *, KS_RECOVERY_CODES + 1);

  for (guint i = 0; i < KS_RECOVERY_CODES; i++)
    {
      GString *code = g_string_new (NULL);
      guint n = 0;

      while (n < KS_RECOVERY_CODE_LENGTH)
        {
          guint8 raw[16];
          ssize_t got = getrandom (raw, sizeof raw, 0);
          if (got <= 0)
            g_error ("The kernel's random number generator is not available.");
          for (ssize_t k = 0; k < got && n < KS_RECOVERY_CODE_LENGTH; k++)
            {
              /* 31 symbols: take bytes below 248 (8 * 31) so that each is as likely. */
              if (raw[k] >= 248)
                continue;
              if (n == KS_RECOVERY_CODE_LENGTH / 2)
                g_string_append_c (code, '-');
              g_string_append_c (code, alphabet[raw[k] % 31]);
              n++;
            }
        }
      codes[i] = g_string_free (code, FALSE);
    }
  return codes;
}

GPtrArray *
ks_recovery_codes_hash (char **codes, int cost, GError **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *plain = normalise (codes[i]);
      char *hash = ks_password_hash (plain, code_cost (cost), error);
      if (hash == NULL)
        return NULL;
      g_ptr_array_add (hashes, hash);
    }
  return g_steal_pointer (&hashes);
}

gboolean
ks_recovery_codes_take (KsStore *store, gint64 user_id, const char *typed, int cost,
                        gboolean *taken, GError **error)
{
  g_autofree char *plain = normalise (typed);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  gint64 match = 0;

  *taken = FALSE;
  if (!ks_store_auth_unused_recovery_codes (store, user_id, &ids, &hashes, error))
    return FALSE;
  /* Every hash is checked, found or not, so that the time taken does not tell
   * which code matched. */
  for (guint i = 0; i < hashes->len; i++)
    if (ks_password_verify (plain, g_ptr_array_index (hashes, i), code_cost (cost), NULL) &&
        match == 0)
      match = g_array_index (ids, gint64, i);
  if (match == 0)
    return TRUE;
  return ks_store_auth_use_recovery_code (store, match, ks_time_now (), taken, error);
}

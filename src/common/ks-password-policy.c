/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-password-policy.c: password rules, with zxcvbn's strength estimate. */
#include "ks-password-policy.h"

#include <math.h>
#include <string.h>
#include <zxcvbn.h>

/* zxcvbn's score bands, in bits of entropy (log2 of guesses). */
static int
score_for_entropy (double bits)
{
  double guesses_log10 = bits * log10 (2.0);

  if (guesses_log10 < 3)
    return 0;
  if (guesses_log10 < 6)
    return 1;
  if (guesses_log10 < 8)
    return 2;
  if (guesses_log10 < 10)
    return 3;
  return 4;
}

static void
add_words (GPtrArray          *dict,
           const char * const *words)
{
  for (guint i = 0; words && words[i]; i++)
    {
      g_auto(GStrv) parts = g_regex_split_simple ("[^[:alnum:]]+", words[i], 0, 0);
      if (*words[i] == '\0')
        continue;
      g_ptr_array_add (dict, g_ascii_strdown (words[i], -1));
      for (guint j = 0; parts[j]; j++)
        if (strlen (parts[j]) >= 3)
          g_ptr_array_add (dict, g_ascii_strdown (parts[j], -1));
    }
}

void
ks_password_check (const char         *password,
                   guint               min_length,
                   const char * const *user_words,
                   KsPasswordVerdict  *verdict)
{
  static const char *product_words[] = { KS_PASSWORD_PRODUCT_WORDS, NULL };
  g_autoptr(GPtrArray) dict = g_ptr_array_new_with_free_func (g_free);
  glong chars;

  memset (verdict, 0, sizeof *verdict);
  min_length = MAX (min_length, KS_PASSWORD_MIN_LENGTH_FLOOR);

  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      verdict->reason = g_strdup ("The password must be text.");
      return;
    }

  chars = g_utf8_strlen (password, -1);

  /* The user's own words (email address parts, name parts, the council's name)
   * and the product's name count as known. */
  add_words (dict, product_words);
  add_words (dict, user_words);
  g_ptr_array_add (dict, NULL);

  verdict->entropy_bits = ZxcvbnMatch (password, (const char **) dict->pdata, NULL);
  verdict->score = score_for_entropy (verdict->entropy_bits);

  if (chars < (glong) min_length)
    verdict->reason = g_strdup_printf ("The password must be at least %u characters long.", min_length);
  else if (strlen (password) > KS_PASSWORD_MAX_BYTES)
    verdict->reason = g_strdup_printf ("The password is too long: it can be at most %u bytes (%u plain "
                                       "letters or digits, fewer with accents or other alphabets). "
                                       "Choose a shorter one.", KS_PASSWORD_MAX_BYTES, KS_PASSWORD_MAX_BYTES);
  else if (verdict->score < 2)
    verdict->reason = g_strdup ("The password is too easy to guess: it is a common password, "
                                "a simple pattern or close to your name or email. "
                                "Try a few unrelated words together.");
  else
    verdict->acceptable = TRUE;
}

void
ks_password_verdict_clear (KsPasswordVerdict *verdict)
{
  g_clear_pointer (&verdict->reason, g_free);
}

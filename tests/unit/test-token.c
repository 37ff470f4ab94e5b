/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-token.c: the server's session tokens (auth/ks-token.c): 32 random bytes
 * as unpadded base64url, never repeated, and their SHA-256 hash in hex. */
#include <glib.h>
#include <string.h>

#include "auth/ks-token.h"

static void
test_generate (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      char *token = ks_token_generate ();
      gsize len = 0;
      g_autofree char *padded = NULL;
      g_autofree guchar *raw = NULL;

      /* 32 bytes are 43 base64 characters without the '=' padding. */
      g_assert_cmpuint (strlen (token), ==, 43);
      for (const char *p = token; *p; p++)
        g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
      padded = g_strdup_printf ("%s=", token);
      g_strdelimit (padded, "-", '+');
      g_strdelimit (padded, "_", '/');
      raw = g_base64_decode (padded, &len);
      g_assert_cmpuint (len, ==, 32);
      g_assert_false (g_hash_table_contains (seen, token));
      g_hash_table_add (seen, token);
    }
}

static void
test_hash (void)
{
  g_autofree char *empty = ks_token_hash ("");
  g_autofree char *abc = ks_token_hash ("abc");
  g_autofree char *again = ks_token_hash ("abc");

  /* FIPS 180-2's SHA-256 examples. */
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (abc, ==, again);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/token/generate", test_generate);
  g_test_add_func ("/token/hash", test_hash);
  return g_test_run ();
}

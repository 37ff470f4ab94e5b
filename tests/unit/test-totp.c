/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-totp.c: the server's TOTP (auth/ks-totp.c) against the RFC 6238 test
 * vectors (SHA-1, 30 s steps; our codes are their last 6 digits), its window of
 * one step either side, junk codes and secrets, new secrets and the otpauth URI. */
#include <glib.h>
#include <string.h>

#include "auth/ks-totp.h"

/* RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32. */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static const struct {
  gint64      when;
  const char *code;   /* the RFC's 8-digit value, last 6 digits */
} vectors[] = {
  { 59,          "287082" },  /* 94287082 */
  { 1111111109,  "081804" },  /* 07081804 */
  { 1111111111,  "050471" },  /* 14050471 */
  { 1234567890,  "005924" },  /* 89005924 */
  { 2000000000,  "279037" },  /* 69279037 */
  { 20000000000, "353130" },  /* 65353130 */
};

static void
test_rfc_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *code = ks_totp_code_at (RFC_SECRET, vectors[i].when);
      gint64 step = -1;

      g_assert_cmpstr (code, ==, vectors[i].code);
      g_assert_true (ks_totp_check (RFC_SECRET, vectors[i].code, vectors[i].when, &step));
      g_assert_cmpint (step, ==, vectors[i].when / KS_TOTP_STEP);
    }
}

static void
test_window (void)
{
  gint64 when = 1234567890;  /* step 41152263 */
  gint64 step = 0;

  /* The code of the step before and after is taken, and says its own step. */
  g_assert_true (ks_totp_check (RFC_SECRET, "005924", when - 30, &step));
  g_assert_cmpint (step, ==, 41152263);
  g_assert_true (ks_totp_check (RFC_SECRET, "005924", when + 30, &step));
  g_assert_cmpint (step, ==, 41152263);
  /* Two steps away it is not. */
  g_assert_false (ks_totp_check (RFC_SECRET, "005924", when - 60, NULL));
  g_assert_false (ks_totp_check (RFC_SECRET, "005924", when + 60, NULL));
}

static void
test_junk (void)
{
  const char *codes[] = { "", "00592", "0059240", "00592a", " 05924", "-05924", "005924\n" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    g_assert_false (ks_totp_check (RFC_SECRET, codes[i], 1234567890, NULL));
  g_assert_false (ks_totp_check (RFC_SECRET, NULL, 1234567890, NULL));
  g_assert_false (ks_totp_check (NULL, "005924", 1234567890, NULL));
  g_assert_false (ks_totp_check ("not base32!", "005924", 1234567890, NULL));
  g_assert_null (ks_totp_code_at (NULL, 59));
  g_assert_null (ks_totp_code_at ("not base32!", 59));
}

static void
test_new_secret (void)
{
  g_autofree char *a = ks_totp_new_secret ();
  g_autofree char *b = ks_totp_new_secret ();
  g_autofree char *code = NULL;

  /* 20 random bytes: 32 base32 characters, no padding, never the same twice. */
  g_assert_cmpuint (strlen (a), ==, 32);
  for (const char *p = a; *p; p++)
    g_assert_true ((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7'));
  g_assert_cmpstr (a, !=, b);
  code = ks_totp_code_at (a, 1000000);
  g_assert_cmpuint (strlen (code), ==, KS_TOTP_DIGITS);
  g_assert_true (ks_totp_check (a, code, 1000000, NULL));
}

static void
test_uri (void)
{
  g_autofree char *uri = ks_totp_uri (RFC_SECRET, "inspector@demo.invalid");

  g_assert_cmpstr (uri, ==,
                   "otpauth://totp/Kerbside:inspector@demo.invalid?secret=" RFC_SECRET
                   "&issuer=Kerbside&algorithm=SHA1&digits=6&period=30");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/totp/rfc6238-vectors", test_rfc_vectors);
  g_test_add_func ("/totp/window", test_window);
  g_test_add_func ("/totp/junk", test_junk);
  g_test_add_func ("/totp/new-secret", test_new_secret);
  g_test_add_func ("/totp/uri", test_uri);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-totp.c: TOTP with liboath. */
#define G_LOG_DOMAIN "ks-totp"

#include "auth/ks-totp.h"

#include <liboath/oath.h>
#include <string.h>
#include <sys/random.h>

static void
ensure_init (void)
{
  static gsize done = 0;
  if (g_once_init_enter (&done))
    {
      if (oath_init () != OATH_OK)
        g_error ("liboath could not start.");
      g_once_init_leave (&done, 1);
    }
}

char *
ks_totp_new_secret (void)
{
  char raw[20];
  char *b32 = NULL;
  size_t len = 0;
  gsize got = 0;

  ensure_init ();
  while (got < sizeof raw)
    {
      ssize_t n = getrandom (raw + got, sizeof raw - got, 0);
      if (n < 0)
        g_error ("The kernel's random number generator is not available.");
      got += n;
    }
  if (oath_base32_encode (raw, sizeof raw, &b32, &len) != OATH_OK)
    g_error ("Could not encode a secret.");
  explicit_bzero (raw, sizeof raw);
  /* 20 bytes encode to 32 characters with no padding. */
  {
    char *out = g_strndup (b32, len);
    g_strdelimit (out, "=", '\0');
    free (b32);
    return out;
  }
}

char *
ks_totp_uri (const char *secret_b32,
             const char *account)
{
  g_autofree char *label = g_strdup_printf ("%s:%s", KS_TOTP_ISSUER, account);
  g_autofree char *label_esc = g_uri_escape_string (label, ":@", FALSE);
  g_autofree char *issuer_esc = g_uri_escape_string (KS_TOTP_ISSUER, NULL, FALSE);

  return g_strdup_printf ("otpauth://totp/%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&period=%d",
                          label_esc, secret_b32, issuer_esc, KS_TOTP_DIGITS, KS_TOTP_STEP);
}

static gboolean
decode_secret (const char *secret_b32, char **out, size_t *out_len)
{
  ensure_init ();
  if (secret_b32 == NULL)
    return FALSE;
  return oath_base32_decode (secret_b32, strlen (secret_b32), out, out_len) == OATH_OK;
}

gboolean
ks_totp_check (const char *secret_b32,
               const char *code,
               gint64      now,
               gint64     *out_step)
{
  char *secret = NULL;
  size_t secret_len = 0;
  uint64_t counter = 0;
  int pos = 0;
  int rc;

  if (code == NULL || strlen (code) != KS_TOTP_DIGITS)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!decode_secret (secret_b32, &secret, &secret_len))
    return FALSE;
  rc = oath_totp_validate3 (secret, secret_len, (time_t) now, KS_TOTP_STEP,
                            OATH_TOTP_DEFAULT_START_TIME, 1, &pos, &counter, code);
  explicit_bzero (secret, secret_len);
  free (secret);
  if (rc < 0)
    return FALSE;
  if (out_step)
    *out_step = (gint64) counter;
  return TRUE;
}

char *
ks_totp_code_at (const char *secret_b32,
                 gint64      when)
{
  char *secret = NULL;
  size_t secret_len = 0;
  char otp[KS_TOTP_DIGITS + 1];
  int rc;

  if (!decode_secret (secret_b32, &secret, &secret_len))
    return NULL;
  rc = oath_totp_generate (secret, secret_len, (time_t) when, KS_TOTP_STEP,
                           OATH_TOTP_DEFAULT_START_TIME, KS_TOTP_DIGITS, otp);
  explicit_bzero (secret, secret_len);
  free (secret);
  return rc == OATH_OK ? g_strdup (otp) : NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-token.c: random tokens and their hashes. */
#include "auth/ks-token.h"

#include <string.h>
#include <sys/random.h>

char *
ks_token_generate (void)
{
  guchar raw[32];
  gsize got = 0;
  char *b64;

  while (got < sizeof raw)
    {
      ssize_t n = getrandom (raw + got, sizeof raw - got, 0);
      if (n < 0)
        g_error ("The kernel's random number generator is not available.");
      got += n;
    }
  b64 = g_base64_encode (raw, sizeof raw);
  for (char *p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  memset (raw, 0, sizeof raw);
  return b64;
}

char *
ks_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

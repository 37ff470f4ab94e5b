/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-password-hash.c: bcrypt through libxcrypt. */
#include "auth/ks-password-hash.h"
#include "ks-error.h"
#include "ks-password-policy.h"

#include <crypt.h>
#include <string.h>

/* Wall time this thread has spent in bcrypt (ks_password_hash_thread_time). */
static __thread gint64 thread_time_us;

static char *
timed_crypt (const char *password, const char *setting, struct crypt_data *data)
{
  gint64 t0 = g_get_monotonic_time ();
  char *out = crypt_rn (password, setting, data, sizeof *data);

  thread_time_us += g_get_monotonic_time () - t0;
  return out;
}

gint64
ks_password_hash_thread_time (void)
{
  return thread_time_us;
}

char *
ks_password_hash (const char  *password,
                  int          cost,
                  GError     **error)
{
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  char *out;

  cost = CLAMP (cost, KS_BCRYPT_COST_MIN, KS_BCRYPT_COST_MAX);
  /* bcrypt would silently ignore the rest (ks_password_check refuses it first). */
  if (password == NULL || strlen (password) > KS_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The password is too long: it can be at most %u bytes.", KS_PASSWORD_MAX_BYTES);
      return NULL;
    }
  if (crypt_gensalt_rn ("$2b$", cost, NULL, 0, setting, sizeof setting) == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "Could not make a password salt.");
      return NULL;
    }
  out = timed_crypt (password, setting, data);
  if (out == NULL || out[0] == '*')
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "Could not hash the password.");
      return NULL;
    }
  out = g_strdup (out);
  explicit_bzero (data, sizeof *data);
  return out;
}

static gboolean
equal_constant_time (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guchar diff = la != lb;
  for (gsize i = 0; i < la && i < lb; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i];
  return diff == 0;
}

static int
hash_cost (const char *hash)
{
  /* $2b$NN$... */
  if (strlen (hash) < 7 || hash[0] != '$' || hash[3] != '$' || hash[6] != '$')
    return -1;
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

gboolean
ks_password_verify (const char *password,
                    const char *hash,
                    int         cost,
                    gboolean   *needs_rehash)
{
  g_autofree struct crypt_data *data = NULL;
  const char *out;
  gboolean ok;

  if (needs_rehash)
    *needs_rehash = FALSE;
  if (password == NULL || hash == NULL || !g_str_has_prefix (hash, "$2"))
    return FALSE;
  data = g_new0 (struct crypt_data, 1);
  out = timed_crypt (password, hash, data);
  ok = out != NULL && out[0] != '*' && equal_constant_time (out, hash);
  explicit_bzero (data, sizeof *data);
  if (ok && needs_rehash)
    *needs_rehash = hash_cost (hash) != cost;
  return ok;
}

void
ks_password_verify_dummy (const char *password,
                          int         cost)
{
  static char *dummy[KS_BCRYPT_COST_MAX + 1];
  static GMutex lock;
  char *hash;

  cost = CLAMP (cost, KS_BCRYPT_COST_MIN, KS_BCRYPT_COST_MAX);
  g_mutex_lock (&lock);
  if (dummy[cost] == NULL)
    dummy[cost] = ks_password_hash ("not a real password", cost, NULL);
  hash = dummy[cost];
  g_mutex_unlock (&lock);
  if (hash)
    ks_password_verify (password ? password : "", hash, cost, NULL);
}

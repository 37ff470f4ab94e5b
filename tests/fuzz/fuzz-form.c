/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-form.c: the Open311 form body parser (ks_form_parse()).
 *
 * Any bytes as an application/x-www-form-urlencoded body. A parsed form holds only
 * UTF-8 keys and values without NUL; encoding its pairs again and parsing that
 * gives the same pairs in the same order. */
#include "http/ks-form.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
encode (GString *out, const char *s)
{
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
        g_string_append_c (out, *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(KsForm) form = NULL;
  g_autoptr(KsForm) again = NULL;
  g_autoptr(KsForm) limited = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) encoded = g_string_new (NULL);
  guint n;

  form = ks_form_parse ((const char *) data, size, 0, &error);
  limited = ks_form_parse ((const char *) data, size, 3, NULL);
  if (form == NULL)
    {
      if (error == NULL || error->message[0] == '\0' || limited != NULL)
        abort ();
      return 0;
    }
  n = ks_form_size (form);
  if ((limited != NULL) != (n <= 3))
    abort ();
  for (guint i = 0; i < n; i++)
    {
      const char *k = ks_form_key (form, i), *v = ks_form_value (form, i);
      if (k == NULL || v == NULL || !g_utf8_validate (k, -1, NULL) || !g_utf8_validate (v, -1, NULL))
        abort ();
      if (ks_form_get (form, k) == NULL || ks_form_count (form, k) == 0)
        abort ();
      if (i > 0)
        g_string_append_c (encoded, '&');
      encode (encoded, k);
      g_string_append_c (encoded, '=');
      encode (encoded, v);
    }
  again = ks_form_parse (encoded->str, encoded->len, 0, NULL);
  if (again == NULL)
    abort ();
  /* Pairs with an empty key and no '=' are kept as ("", ""); encoded they read
   * the same. */
  if (ks_form_size (again) != n)
    abort ();
  for (guint i = 0; i < n; i++)
    if (strcmp (ks_form_key (again, i), ks_form_key (form, i)) != 0 ||
        strcmp (ks_form_value (again, i), ks_form_value (form, i)) != 0)
      abort ();
  return 0;
}

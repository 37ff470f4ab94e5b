/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-form.c: form-urlencoded parsing that keeps repeated keys. */
#define G_LOG_DOMAIN "ks-form"

#include "http/ks-form.h"
#include "ks-error.h"

#include <string.h>

struct _KsForm
{
  GPtrArray *pairs; /* key, value, key, value... */
};

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes [p, end) into a new string; NULL when malformed. */
static char *
decode (const char *p,
        const char *end)
{
  GString *out = g_string_sized_new (end - p);

  while (p < end)
    {
      if (*p == '+')
        g_string_append_c (out, ' ');
      else if (*p == '%')
        {
          int hi, lo;
          if (end - p < 3 || (hi = hex_value (p[1])) < 0 || (lo = hex_value (p[2])) < 0 ||
              (hi == 0 && lo == 0))
            {
              g_string_free (out, TRUE);
              return NULL;
            }
          g_string_append_c (out, (char) (hi * 16 + lo));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
      p++;
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

KsForm *
ks_form_parse (const char  *data,
               gsize        len,
               guint        max_pairs,
               GError     **error)
{
  g_autoptr(KsForm) form = g_new0 (KsForm, 1);
  const char *p = data, *end = data ? data + len : NULL;

  form->pairs = g_ptr_array_new_with_free_func (g_free);
  while (p != NULL && p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *stop = amp ? amp : end;
      const char *eq = memchr (p, '=', stop - p);
      char *key, *value;

      if (stop == p)
        {
          p = stop + 1;
          continue;
        }
      if (memchr (p, '\0', stop - p) != NULL)
        goto bad;
      key = decode (p, eq ? eq : stop);
      value = eq ? decode (eq + 1, stop) : g_strdup ("");
      if (key == NULL || value == NULL)
        {
          g_free (key);
          g_free (value);
          goto bad;
        }
      g_ptr_array_add (form->pairs, key);
      g_ptr_array_add (form->pairs, value);
      if (max_pairs > 0 && form->pairs->len / 2 > max_pairs)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "The form has more than %u fields. Send fewer fields.", max_pairs);
          return NULL;
        }
      p = stop + 1;
    }
  return g_steal_pointer (&form);

bad:
  g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
               "The form data is not valid: send it as application/x-www-form-urlencoded "
               "UTF-8 text with well-formed %%XX escapes.");
  return NULL;
}

void
ks_form_free (KsForm *form)
{
  if (form == NULL)
    return;
  g_clear_pointer (&form->pairs, g_ptr_array_unref);
  g_free (form);
}

guint
ks_form_size (const KsForm *form)
{
  return form->pairs->len / 2;
}

const char *
ks_form_key (const KsForm *form,
             guint         i)
{
  g_return_val_if_fail (i < form->pairs->len / 2, NULL);
  return g_ptr_array_index (form->pairs, 2 * i);
}

const char *
ks_form_value (const KsForm *form,
               guint         i)
{
  g_return_val_if_fail (i < form->pairs->len / 2, NULL);
  return g_ptr_array_index (form->pairs, 2 * i + 1);
}

const char *
ks_form_get (const KsForm *form,
             const char   *key)
{
  for (guint i = 0; i + 1 < form->pairs->len; i += 2)
    if (strcmp (g_ptr_array_index (form->pairs, i), key) == 0)
      return g_ptr_array_index (form->pairs, i + 1);
  return NULL;
}

guint
ks_form_count (const KsForm *form,
               const char   *key)
{
  guint n = 0;

  for (guint i = 0; i + 1 < form->pairs->len; i += 2)
    if (strcmp (g_ptr_array_index (form->pairs, i), key) == 0)
      n++;
  return n;
}

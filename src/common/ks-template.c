/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-template.c: filling the {{placeholders}} of template responses. */
#include "ks-template.h"

#include <string.h>

static const char * const placeholders[] = {
  "id", "title", "category", "state", "council", "ward", "reporter_name", "url", NULL
};

const char * const *
ks_template_placeholders (void)
{
  return placeholders;
}

GHashTable *
ks_template_values_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* If p starts a placeholder "{{ name }}", returns TRUE with the name's bounds and
 * the position just after the closing braces. */
static gboolean
scan_placeholder (const char  *p,
                  const char **name_start,
                  gsize       *name_len,
                  const char **after)
{
  const char *q = p + 2;
  const char *start;

  while (*q == ' ')
    q++;
  start = q;
  while (is_name_char (*q))
    q++;
  if (q == start)
    return FALSE;
  *name_start = start;
  *name_len = q - start;
  while (*q == ' ')
    q++;
  if (q[0] != '}' || q[1] != '}')
    return FALSE;
  *after = q + 2;
  return TRUE;
}

char *
ks_template_fill (const char *text,
                  GHashTable *values)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text) + 64);
  p = text;
  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *name = NULL, *after = NULL;
      gsize name_len = 0;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);

      if (values != NULL && scan_placeholder (open, &name, &name_len, &after))
        {
          g_autofree char *key = g_strndup (name, name_len);
          const char *value = g_hash_table_lookup (values, key);

          if (value != NULL)
            {
              g_string_append (out, value);
              p = after;
              continue;
            }
        }
      /* Not a placeholder we know: keep the first brace and look again from the
       * next one, so that "{{{title}}" still finds "{{title}}". */
      g_string_append_c (out, '{');
      p = open + 1;
    }
  return g_string_free (out, FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-template.c: filling template responses (ks_template_fill()).
 *
 * The input is a template text, then NUL-separated name=value pairs for the
 * placeholders. Filling never reads past the text, keeps text without "{{" as it
 * is, gives the text back unchanged without values, and gives UTF-8 for UTF-8. */
#include "ks-template.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* Copy: the text must be NUL-terminated, and libFuzzer's buffer is not. */
  g_autofree char *copy = g_malloc (size + 1);
  g_autoptr(GHashTable) values = ks_template_values_new ();
  g_autofree char *filled = NULL;
  g_autofree char *bare = NULL;
  const char *text, *p, *end;
  gboolean all_utf8;

  memcpy (copy, data, size);
  copy[size] = '\0';
  text = copy;
  end = copy + size;
  all_utf8 = g_utf8_validate (text, -1, NULL);

  for (p = text + strlen (text) + 1; p < end; p += strlen (p) + 1)
    {
      const char *eq = strchr (p, '=');
      if (eq == NULL)
        continue;
      if (!g_utf8_validate (eq + 1, -1, NULL))
        all_utf8 = FALSE;
      g_hash_table_replace (values, g_strndup (p, eq - p), g_strdup (eq + 1));
    }

  filled = ks_template_fill (text, values);
  bare = ks_template_fill (text, NULL);
  if (filled == NULL || bare == NULL || strcmp (bare, text) != 0)
    abort ();
  if (strstr (text, "{{") == NULL && strcmp (filled, text) != 0)
    abort ();
  if (all_utf8 && !g_utf8_validate (filled, -1, NULL))
    abort ();
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-csv.c: CSV cells (RFC 4180) that spreadsheets open as plain text. */
#include "api/ks-csv.h"

#include <string.h>

/* Characters a spreadsheet skips before it looks for a formula sign. */
static gboolean
is_skipped (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x1680 || c == 0x180E ||
         (c >= 0x2000 && c <= 0x200D) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x2060 || c == 0x3000 || c == 0xFEFF;
}

static gboolean
is_formula_sign (gunichar c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' ||
         c == 0xFF1D || c == 0xFF0B || c == 0xFF0D || c == 0xFF20 || /* full-width */
         c == 0xFE62 || c == 0xFE63 || c == 0xFE66 || c == 0xFE6B || /* small forms */
         c == 0x2212;                                                /* minus sign */
}

gboolean
ks_csv_looks_like_formula (const char *s)
{
  const char *p;

  if (s == NULL || *s == '\0')
    return FALSE;
  if (*s == '\t' || *s == '\r')
    return TRUE;
  for (p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        return FALSE;
      if (!is_skipped (c))
        return is_formula_sign (c);
    }
  return FALSE;
}

void
ks_csv_append_text (GString *out, const char *s)
{
  gboolean formula, quote;

  if (s == NULL)
    return;
  formula = ks_csv_looks_like_formula (s);
  quote = strpbrk (s, ",\"\r\n") != NULL;
  if (!formula && !quote)
    {
      g_string_append (out, s);
      return;
    }
  if (quote)
    g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

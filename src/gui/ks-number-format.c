/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-number-format.c: counts grouped by thousands, durations in days. */
#define G_LOG_DOMAIN "ks-number-format"

#include "config.h"
#include "ks-number-format.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

char *
ks_format_count (gint64 n)
{
  const struct lconv *lc = localeconv ();
  const char *sep = (lc && lc->thousands_sep && *lc->thousands_sep) ? lc->thousands_sep : ",";
  char digits[32];
  GString *out = g_string_new (NULL);
  guint len, first;

  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, (guint64) (n < 0 ? -(n + 1) + 1 : n));
  if (n < 0)
    g_string_append_c (out, '-');
  len = strlen (digits);
  first = len % 3 ? len % 3 : 3;
  g_string_append_len (out, digits, first);
  for (guint i = first; i < len; i += 3)
    {
      g_string_append (out, sep);
      g_string_append_len (out, digits + i, 3);
    }
  return g_string_free (out, FALSE);
}

char *
ks_format_duration (double hours)
{
  if (hours >= 24.0)
    return g_strdup_printf (_("%.1f days"), hours / 24.0);
  return g_strdup_printf (_("%.1f hours"), hours);
}

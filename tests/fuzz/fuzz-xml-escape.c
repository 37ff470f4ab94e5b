/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-xml-escape.c: the XML writer's escaping (ks_xml_escape_append(), and text
 * written through ks_xml_writer_element_len()).
 *
 * Any bytes as text. What comes out is UTF-8 made only of characters XML 1.0
 * allows, with no markup: no '<' or '>', and every '&' starts a known entity or a
 * character reference. */
#include "open311/ks-xml-writer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static gboolean
xml_char_ok (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD ||
         (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

static void
check_text (const char *s, gsize len)
{
  static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
  const char *end = s + len;

  if (!g_utf8_validate (s, len, NULL))
    abort ();
  for (const char *p = s; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!xml_char_ok (c) || c == '<' || c == '>')
        abort ();
      if (c == '&')
        {
          gboolean known = FALSE;
          for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
            if ((gsize) (end - p) >= strlen (entities[i]) &&
                strncmp (p, entities[i], strlen (entities[i])) == 0)
              known = TRUE;
          if (!known && end - p > 3 && p[1] == '#')
            {
              const char *q = p + 2;
              while (q < end && g_ascii_isdigit (*q))
                q++;
              known = q > p + 2 && q < end && *q == ';' &&
                      xml_char_ok ((gunichar) g_ascii_strtoull (p + 2, NULL, 10));
            }
          if (!known)
            abort ();
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) doc = g_string_new (NULL);
  KsXmlWriter w;
  const char *body;
  gsize prefix_len;

  ks_xml_escape_append (out, (const char *) data, size);
  check_text (out->str, out->len);
  /* Text with nothing to escape or drop comes out as it went in. */
  if (g_utf8_validate_len ((const char *) data, size, NULL))
    {
      gboolean plain = TRUE;
      for (const char *p = (const char *) data; p < (const char *) data + size; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if (!xml_char_ok (c) || c == 0 || (c < 0x80 && strchr ("&<>\"'\r\x7f", (int) c) != NULL))
            plain = FALSE;
        }
      if (plain && (out->len != size || memcmp (out->str, data, size) != 0))
        abort ();
    }

  ks_xml_writer_init (&w, doc);
  ks_xml_writer_begin (&w, "service_requests");
  ks_xml_writer_element_len (&w, "description", (const char *) data, size);
  ks_xml_writer_end (&w);
  body = strstr (doc->str, "?>");
  if (body == NULL)
    abort ();
  body += 2;
  while (*body == '\n')
    body++;
  prefix_len = strlen ("<service_requests><description>");
  if (size == 0)
    return 0;
  if (strncmp (body, "<service_requests><description>", prefix_len) != 0)
    abort ();
  body += prefix_len;
  {
    const char *close = g_strrstr (body, "</description></service_requests>");
    if (close == NULL || strcmp (close, "</description></service_requests>") != 0)
      abort ();
    check_text (body, close - body);
  }
  return 0;
}

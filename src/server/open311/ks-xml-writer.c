/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-xml-writer.c: streaming XML over a GString. */
#define G_LOG_DOMAIN "ks-xml-writer"

#include "open311/ks-xml-writer.h"
#include "ks-time.h"

#include <math.h>
#include <string.h>

void
ks_xml_writer_init (KsXmlWriter *w,
                    GString     *str)
{
  w->str = str;
  w->depth = 0;
  g_string_append_len (str, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", 39);
}

void
ks_xml_writer_begin (KsXmlWriter *w,
                     const char  *name)
{
  g_return_if_fail (w->depth < KS_XML_WRITER_MAX_DEPTH);
  w->open[w->depth++] = name;
  g_string_append_c (w->str, '<');
  g_string_append (w->str, name);
  g_string_append_c (w->str, '>');
}

void
ks_xml_writer_end (KsXmlWriter *w)
{
  g_return_if_fail (w->depth > 0);
  w->depth--;
  g_string_append_len (w->str, "</", 2);
  g_string_append (w->str, w->open[w->depth]);
  g_string_append_c (w->str, '>');
}

/* XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
static gboolean
xml_char_ok (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD ||
         (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

/* For each ASCII byte: 0 copied as it is, 1 escaped or dropped. Bytes of 0x80 and
 * above are checked as UTF-8. */
static const guint8 ascii_special[128] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1,  /* \t and \n pass */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,  /* " & ' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,  /* < > */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,  /* DEL is allowed but escaped */
};

void
ks_xml_escape_append (GString    *str,
                      const char *text,
                      gssize      len)
{
  const char *p, *end, *run;

  if (text == NULL)
    return;
  if (len < 0)
    len = strlen (text);
  end = text + len;
  run = p = text;
  while (p < end)
    {
      guchar c = (guchar) *p;
      const char *rep;

      if (c < 0x80)
        {
          if (G_LIKELY (!ascii_special[c]))
            {
              p++;
              continue;
            }
          switch (c)
            {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&apos;"; break;
            case '\r': rep = "&#13;"; break;
            case 0x7f: rep = "&#127;"; break;
            default: rep = ""; break; /* not allowed in XML 1.0: dropped */
            }
          g_string_append_len (str, run, p - run);
          g_string_append (str, rep);
          run = ++p;
          continue;
        }
      else
        {
          /* Multi-byte: keep valid characters XML allows, replace the rest. */
          gunichar u = g_utf8_get_char_validated (p, end - p);
          gboolean invalid = u == (gunichar) -1 || u == (gunichar) -2;

          if (invalid || !xml_char_ok (u))
            {
              g_string_append_len (str, run, p - run);
              g_string_append (str, "\xEF\xBF\xBD"); /* U+FFFD */
              p += invalid ? 1 : g_utf8_skip[c];
              run = p;
              continue;
            }
          p += g_utf8_skip[c];
        }
    }
  g_string_append_len (str, run, p - run);
}

static void
open_tag (KsXmlWriter *w, const char *name)
{
  g_string_append_c (w->str, '<');
  g_string_append (w->str, name);
  g_string_append_c (w->str, '>');
}

static void
close_tag (KsXmlWriter *w, const char *name)
{
  g_string_append_len (w->str, "</", 2);
  g_string_append (w->str, name);
  g_string_append_c (w->str, '>');
}

static void
empty_tag (KsXmlWriter *w, const char *name)
{
  g_string_append_c (w->str, '<');
  g_string_append (w->str, name);
  g_string_append_len (w->str, "/>", 2);
}

void
ks_xml_writer_element_len (KsXmlWriter *w,
                           const char  *name,
                           const char  *text,
                           gssize       len)
{
  if (text == NULL || len == 0 || (len < 0 && *text == '\0'))
    {
      empty_tag (w, name);
      return;
    }
  open_tag (w, name);
  ks_xml_escape_append (w->str, text, len);
  close_tag (w, name);
}

void
ks_xml_writer_element (KsXmlWriter *w,
                       const char  *name,
                       const char  *text)
{
  ks_xml_writer_element_len (w, name, text, -1);
}

void
ks_xml_append_int (GString *str,
                   gint64   value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 v = value < 0 ? -(guint64) value : (guint64) value;

  do
    {
      *--p = '0' + v % 10;
      v /= 10;
    }
  while (v != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (str, p, buf + sizeof buf - p);
}

void
ks_xml_append_double (GString *str,
                      double   value)
{
  gint64 scaled, whole, frac;
  char digits[8];
  int n = 7;

  if (!isfinite (value) || fabs (value) >= 1e11)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (str, isfinite (value) ? g_ascii_dtostr (buf, sizeof buf, value) : "0");
      return;
    }
  scaled = llround (value * 1e7);
  if (scaled < 0)
    {
      g_string_append_c (str, '-');
      scaled = -scaled;
    }
  whole = scaled / 10000000;
  frac = scaled % 10000000;
  ks_xml_append_int (str, whole);
  if (frac == 0)
    return;
  for (int i = 6; i >= 0; i--)
    {
      digits[i] = '0' + frac % 10;
      frac /= 10;
    }
  while (n > 0 && digits[n - 1] == '0')
    n--;
  g_string_append_c (str, '.');
  g_string_append_len (str, digits, n);
}

void
ks_xml_writer_element_int (KsXmlWriter *w,
                           const char  *name,
                           gint64       value)
{
  open_tag (w, name);
  ks_xml_append_int (w->str, value);
  close_tag (w, name);
}

void
ks_xml_writer_element_double (KsXmlWriter *w,
                              const char  *name,
                              double       value)
{
  open_tag (w, name);
  ks_xml_append_double (w->str, value);
  close_tag (w, name);
}

void
ks_xml_writer_element_bool (KsXmlWriter *w,
                            const char  *name,
                            gboolean     value)
{
  open_tag (w, name);
  g_string_append (w->str, value ? "true" : "false");
  close_tag (w, name);
}

void
ks_xml_writer_element_timestamp (KsXmlWriter *w,
                                 const char  *name,
                                 gint64       unix_seconds)
{
  char buf[KS_TIME_ISO_BUF_SIZE];

  if (unix_seconds == 0)
    {
      empty_tag (w, name);
      return;
    }
  open_tag (w, name);
  g_string_append_len (w->str, buf, ks_time_format_iso (unix_seconds, buf));
  close_tag (w, name);
}

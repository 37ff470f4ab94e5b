/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-json-writer.c: streaming JSON writer. */
#include "ks-json-writer.h"
#include "ks-time.h"

#include <math.h>
#include <string.h>

/* g_string_append_len, inlined when the string has room (as GLib does itself
 * from 2.76): the writers append a few bytes at a time, millions of times in a
 * list or sync answer, and GLib 2.74's call costs more than the copy. */
static inline void
append_len (GString    *str,
            const char *s,
            gsize       len)
{
  if (G_LIKELY (str->len + len < str->allocated_len))
    {
      memcpy (str->str + str->len, s, len);
      str->len += len;
      str->str[str->len] = '\0';
    }
  else
    g_string_append_len (str, s, (gssize) len);
}

void
ks_json_writer_init (KsJsonWriter *w,
                     GString      *str)
{
  memset (w, 0, sizeof *w);
  w->str = str;
}

static void
before_value (KsJsonWriter *w)
{
  if (w->after_key)
    {
      w->after_key = FALSE;
      return;
    }
  if (w->need_comma & (G_GUINT64_CONSTANT (1) << w->depth))
    g_string_append_c (w->str, ',');
  w->need_comma |= G_GUINT64_CONSTANT (1) << w->depth;
}

static void
open_level (KsJsonWriter *w, char c)
{
  before_value (w);
  g_string_append_c (w->str, c);
  g_assert (w->depth < 63);
  w->depth++;
  w->need_comma &= ~(G_GUINT64_CONSTANT (1) << w->depth);
}

static void
close_level (KsJsonWriter *w, char c)
{
  g_assert (w->depth > 0);
  w->need_comma &= ~(G_GUINT64_CONSTANT (1) << w->depth);
  w->depth--;
  g_string_append_c (w->str, c);
}

void ks_json_writer_begin_object (KsJsonWriter *w) { open_level (w, '{'); }
void ks_json_writer_end_object   (KsJsonWriter *w) { close_level (w, '}'); }
void ks_json_writer_begin_array  (KsJsonWriter *w) { open_level (w, '['); }
void ks_json_writer_end_array    (KsJsonWriter *w) { close_level (w, ']'); }

void
ks_json_escape_append (GString    *str,
                       const char *s,
                       gssize      len)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *) s;
  const guchar *end = p + (len < 0 ? strlen (s) : (gsize) len);
  const guchar *run = p;

  g_string_append_c (str, '"');
  for (; p < end; p++)
    {
      guchar c = *p;
      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      append_len (str, (const char *) run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':  append_len (str, "\\\"", 2); break;
        case '\\': append_len (str, "\\\\", 2); break;
        case '\n': append_len (str, "\\n", 2); break;
        case '\r': append_len (str, "\\r", 2); break;
        case '\t': append_len (str, "\\t", 2); break;
        default:
          {
            char buf[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            append_len (str, buf, 6);
          }
        }
    }
  append_len (str, (const char *) run, p - run);
  g_string_append_c (str, '"');
}

void
ks_json_writer_key (KsJsonWriter *w,
                    const char   *key)
{
  before_value (w);
  ks_json_escape_append (w->str, key, -1);
  g_string_append_c (w->str, ':');
  w->after_key = TRUE;
}

void
ks_json_writer_key_encoded (KsJsonWriter *w,
                            const char   *encoded,
                            gsize         len)
{
  before_value (w);
  append_len (w->str, encoded, len);
  w->after_key = TRUE;
}

void
ks_json_writer_string_len (KsJsonWriter *w,
                           const char   *value,
                           gssize        len)
{
  before_value (w);
  if (value == NULL)
    append_len (w->str, "null", 4);
  else if (!g_utf8_validate_len (value, len < 0 ? strlen (value) : (gsize) len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (value, len);
      ks_json_escape_append (w->str, valid, -1);
    }
  else
    ks_json_escape_append (w->str, value, len);
}

void
ks_json_writer_string (KsJsonWriter *w,
                       const char   *value)
{
  ks_json_writer_string_len (w, value, -1);
}

/* Integers without printf: this is on the hot path of list and sync answers. */
static void
append_int (GString *str, gint64 v)
{
  char buf[24];
  int i = sizeof buf;
  guint64 u = v < 0 ? (guint64) (-(v + 1)) + 1 : (guint64) v;

  do
    {
      buf[--i] = '0' + (u % 10);
      u /= 10;
    }
  while (u != 0);
  if (v < 0)
    buf[--i] = '-';
  append_len (str, buf + i, sizeof buf - i);
}

void
ks_json_writer_int (KsJsonWriter *w,
                    gint64        value)
{
  before_value (w);
  append_int (w->str, value);
}

void
ks_json_writer_double (KsJsonWriter *w,
                       double        value)
{
  before_value (w);
  if (!isfinite (value))
    {
      append_len (w->str, "null", 4);
      return;
    }
  /* Coordinates and similar: 7 decimal places (about 1 cm), written as a fixed
   * point number without printf. */
  if (fabs (value) < 1e12)
    {
      gint64 scaled = (gint64) llround (value * 1e7);
      gint64 ip;
      gint64 frac;
      char fbuf[8];

      if (scaled < 0)
        {
          g_string_append_c (w->str, '-');
          scaled = -scaled;
        }
      ip = scaled / 10000000;
      frac = scaled % 10000000;
      append_int (w->str, ip);
      if (frac != 0)
        {
          int n = 7;
          for (int i = 6; i >= 0; i--)
            {
              fbuf[i] = '0' + frac % 10;
              frac /= 10;
            }
          while (n > 1 && fbuf[n - 1] == '0')
            n--;
          g_string_append_c (w->str, '.');
          append_len (w->str, fbuf, n);
        }
    }
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (w->str, g_ascii_dtostr (buf, sizeof buf, value));
    }
}

void
ks_json_writer_bool (KsJsonWriter *w,
                     gboolean      value)
{
  before_value (w);
  if (value)
    append_len (w->str, "true", 4);
  else
    append_len (w->str, "false", 5);
}

void
ks_json_writer_null (KsJsonWriter *w)
{
  before_value (w);
  append_len (w->str, "null", 4);
}

void
ks_json_writer_raw (KsJsonWriter *w,
                    const char   *json)
{
  before_value (w);
  g_string_append (w->str, json);
}

void
ks_json_writer_raw_len (KsJsonWriter *w,
                        const char   *json,
                        gsize         len)
{
  before_value (w);
  append_len (w->str, json, len);
}

void
ks_json_writer_reopen_object (KsJsonWriter *w,
                              const char   *json,
                              gsize         len)
{
  g_return_if_fail (len >= 2 && json[0] == '{' && json[len - 1] == '}');

  before_value (w);
  append_len (w->str, json, len - 1);
  g_assert (w->depth < 63);
  w->depth++;
  if (len > 2)
    w->need_comma |= G_GUINT64_CONSTANT (1) << w->depth;
  else
    w->need_comma &= ~(G_GUINT64_CONSTANT (1) << w->depth);
}

void
ks_json_writer_timestamp (KsJsonWriter *w,
                          gint64        unix_seconds)
{
  char buf[KS_TIME_ISO_BUF_SIZE];

  before_value (w);
  if (unix_seconds == 0)
    {
      append_len (w->str, "null", 4);
      return;
    }
  g_string_append_c (w->str, '"');
  append_len (w->str, buf, ks_time_format_iso (unix_seconds, buf));
  g_string_append_c (w->str, '"');
}

void ks_json_writer_member_string (KsJsonWriter *w, const char *key, const char *value)
{ ks_json_writer_key (w, key); ks_json_writer_string (w, value); }
void ks_json_writer_member_int (KsJsonWriter *w, const char *key, gint64 value)
{ ks_json_writer_key (w, key); ks_json_writer_int (w, value); }
void ks_json_writer_member_double (KsJsonWriter *w, const char *key, double value)
{ ks_json_writer_key (w, key); ks_json_writer_double (w, value); }
void ks_json_writer_member_bool (KsJsonWriter *w, const char *key, gboolean value)
{ ks_json_writer_key (w, key); ks_json_writer_bool (w, value); }
void ks_json_writer_member_null (KsJsonWriter *w, const char *key)
{ ks_json_writer_key (w, key); ks_json_writer_null (w); }
void ks_json_writer_member_timestamp (KsJsonWriter *w, const char *key, gint64 unix_seconds)
{ ks_json_writer_key (w, key); ks_json_writer_timestamp (w, unix_seconds); }

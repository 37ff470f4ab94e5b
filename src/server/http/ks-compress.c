/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compress.c: gzip for answers (GIO's zlib converter). */
#define G_LOG_DOMAIN "ks-compress"

#include "http/ks-compress.h"

#include <libsoup/soup.h>
#include <string.h>

/* zlib's fastest level: a sync page shrinks nearly as much as at the default
 * level (JSON repeats its member names in every report) for a fraction of the
 * CPU, which is what the worker spends while others wait. */
#define KS_GZIP_LEVEL 1

gboolean
ks_compress_accepts_gzip (const char *accept_encoding)
{
  GSList *unacceptable = NULL;
  GSList *accepted;
  gboolean gzip = FALSE, star = FALSE, refused = FALSE;

  if (accept_encoding == NULL)
    return FALSE;
  accepted = soup_header_parse_quality_list (accept_encoding, &unacceptable);
  for (GSList *l = accepted; l != NULL; l = l->next)
    {
      if (g_ascii_strcasecmp (l->data, "gzip") == 0 || g_ascii_strcasecmp (l->data, "x-gzip") == 0)
        gzip = TRUE;
      else if (strcmp (l->data, "*") == 0)
        star = TRUE;
    }
  for (GSList *l = unacceptable; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, "gzip") == 0 || g_ascii_strcasecmp (l->data, "x-gzip") == 0)
      refused = TRUE;
  soup_header_free_list (accepted);
  soup_header_free_list (unacceptable);
  return gzip || (star && !refused);
}

gboolean
ks_compress_type_is_text (const char *content_type)
{
  if (content_type == NULL)
    return TRUE; /* the default: application/json */
  return g_str_has_prefix (content_type, "application/json") ||
         g_str_has_prefix (content_type, "application/xml") ||
         g_str_has_prefix (content_type, "text/");
}

GConverter *
ks_compress_gzip_new (void)
{
  return G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, KS_GZIP_LEVEL));
}

gboolean
ks_compress_gzip_feed (GConverter *gzip,
                       const char *data,
                       gsize       len,
                       gboolean    end,
                       GString    *out)
{
  GConverterFlags flags = end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS;
  /* Room for what this piece may become: JSON compresses well, and the loop
   * grows the room when it does not. */
  gsize room = MAX (len / 4, 16384);

  while (len > 0 || end)
    {
      g_autoptr(GError) error = NULL;
      gsize old = out->len, nread = 0, written = 0;
      GConverterResult res;

      g_string_set_size (out, old + room);
      res = g_converter_convert (gzip, data, len, out->str + old, room, flags,
                                 &nread, &written, &error);
      g_string_set_size (out, old + written);
      if (res == G_CONVERTER_ERROR)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              room *= 2;
              continue;
            }
          g_warning ("Could not compress an answer: %s", error->message);
          return FALSE;
        }
      data += nread;
      len -= nread;
      if (res == G_CONVERTER_FINISHED)
        break;
      if (written == room)
        room *= 2;
    }
  return TRUE;
}

gboolean
ks_compress_gzip_string (GString *text)
{
  g_autoptr(GConverter) gzip = ks_compress_gzip_new ();
  g_autoptr(GString) out = g_string_sized_new (text->len / 6 + 64);

  if (!ks_compress_gzip_feed (gzip, text->str, text->len, TRUE, out))
    return FALSE;
  g_string_truncate (text, 0);
  g_string_append_len (text, out->str, out->len);
  return TRUE;
}

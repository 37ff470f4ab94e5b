/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compress.c: zstd (libzstd) and gzip (GIO's zlib converter) for answers. */
#define G_LOG_DOMAIN "ks-compress"

#include "http/ks-compress.h"

#include <libsoup/soup.h>
#include <string.h>
#include <zstd.h>

/* zlib's fastest level: a sync page shrinks nearly as much as at the default
 * level (JSON repeats its member names in every report) for a fraction of the
 * CPU, which is what the worker spends while others wait. */
#define KS_GZIP_LEVEL 1

/* zstd's level 1, its fastest regular level: JSON's repeated member names
 * make it shrink well even there. */
#define KS_ZSTD_LEVEL 1

/* The quality (0 to 1) an Accept-Encoding element gives: its q parameter, or 1. */
static double
element_quality (char **parts)
{
  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
        {
          char *end = NULL;
          double q = g_ascii_strtod (p + 2, &end);

          if (end == p + 2)
            return 0;
          return CLAMP (q, 0, 1);
        }
    }
  return 1;
}

/* Hand-parsed rather than with soup_header_parse_quality_list(): that one drops
 * the q-values, which the choice between two accepted codings needs. */
KsEncoding
ks_compress_choose (const char *accept_encoding)
{
  GSList *elements;
  double zstd = -1, gzip = -1, star = -1;

  if (accept_encoding == NULL)
    return KS_ENCODING_IDENTITY;
  elements = soup_header_parse_list (accept_encoding);
  for (GSList *l = elements; l != NULL; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (l->data, ";", -1);
      const char *name = g_strstrip (parts[0]);
      double q = element_quality (parts);

      if (g_ascii_strcasecmp (name, "zstd") == 0)
        zstd = MAX (zstd, q);
      else if (g_ascii_strcasecmp (name, "gzip") == 0 || g_ascii_strcasecmp (name, "x-gzip") == 0)
        gzip = MAX (gzip, q);
      else if (strcmp (name, "*") == 0)
        star = MAX (star, q);
    }
  soup_header_free_list (elements);

  if (gzip < 0)
    gzip = star; /* not named: "*" says */
  if (zstd > 0 && zstd >= gzip)
    return KS_ENCODING_ZSTD;
  if (gzip > 0)
    return KS_ENCODING_GZIP;
  return KS_ENCODING_IDENTITY;
}

const char *
ks_compress_encoding_name (KsEncoding encoding)
{
  switch (encoding)
    {
    case KS_ENCODING_GZIP:
      return "gzip";
    case KS_ENCODING_ZSTD:
      return "zstd";
    case KS_ENCODING_IDENTITY:
    default:
      return "identity";
    }
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

struct _KsCompressor {
  KsEncoding  encoding;
  GConverter *gzip;
  ZSTD_CCtx  *zstd;
};

KsCompressor *
ks_compressor_new (KsEncoding encoding)
{
  KsCompressor *self = g_new0 (KsCompressor, 1);

  g_return_val_if_fail (encoding != KS_ENCODING_IDENTITY, NULL);
  self->encoding = encoding;
  if (encoding == KS_ENCODING_GZIP)
    self->gzip = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, KS_GZIP_LEVEL));
  else
    {
      self->zstd = ZSTD_createCCtx ();
      g_assert (self->zstd != NULL);
      ZSTD_CCtx_setParameter (self->zstd, ZSTD_c_compressionLevel, KS_ZSTD_LEVEL);
      /* The frame says its end with a checksum: a client sees a damaged or
       * cut answer as such. */
      ZSTD_CCtx_setParameter (self->zstd, ZSTD_c_checksumFlag, 1);
    }
  return self;
}

void
ks_compressor_free (KsCompressor *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->gzip);
  ZSTD_freeCCtx (self->zstd);
  g_free (self);
}

static gboolean
gzip_feed (GConverter *gzip,
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

static gboolean
zstd_feed (ZSTD_CCtx  *zstd,
           const char *data,
           gsize       len,
           gboolean    end,
           GString    *out)
{
  ZSTD_inBuffer in = { data, len, 0 };
  ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
  /* Room for what this piece may become; the loop grows it when zstd says it
   * has more to give. */
  gsize room = MAX (len / 4, ZSTD_CStreamOutSize ());

  for (;;)
    {
      gsize old = out->len, left;
      ZSTD_outBuffer o;

      g_string_set_size (out, old + room);
      o = (ZSTD_outBuffer) { out->str + old, room, 0 };
      left = ZSTD_compressStream2 (zstd, &o, &in, mode);
      g_string_set_size (out, old + o.pos);
      if (ZSTD_isError (left))
        {
          g_warning ("Could not compress an answer: %s", ZSTD_getErrorName (left));
          return FALSE;
        }
      /* Done: with end, all flushed; without, all the input taken (zstd may
       * keep some in its block for the next piece). */
      if (end ? left == 0 : in.pos == in.size)
        return TRUE;
      if (o.pos == o.size)
        room *= 2;
    }
}

gboolean
ks_compressor_feed (KsCompressor *self,
                    const char   *data,
                    gsize         len,
                    gboolean      end,
                    GString      *out)
{
  if (self->gzip != NULL)
    return gzip_feed (self->gzip, data, len, end, out);
  return zstd_feed (self->zstd, data, len, end, out);
}

gboolean
ks_compress_string (KsEncoding  encoding,
                    GString    *text)
{
  g_autoptr(KsCompressor) compressor = ks_compressor_new (encoding);
  g_autoptr(GString) out = g_string_sized_new (text->len / 6 + 64);

  if (!ks_compressor_feed (compressor, text->str, text->len, TRUE, out))
    return FALSE;
  g_string_truncate (text, 0);
  g_string_append_len (text, out->str, out->len);
  return TRUE;
}

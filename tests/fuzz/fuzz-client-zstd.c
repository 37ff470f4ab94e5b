/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-client-zstd.c: the app's decoding of answers in zstd
 * (ks_client_zstd_decode()), against libzstd's streaming decoder with the same
 * limits, written out here.
 *
 * Any bytes as an answer. Whatever the plain streaming decoder gives in full
 * (at most MAX_SIZE bytes), the app's decoder gives too, byte for byte; what
 * the app's decoder gives is never more than MAX_SIZE; a refusal comes with a
 * sentence. The app's decoder may take a frame the streaming one refuses:
 * decoded at once there is no window, so neither a window larger than
 * streaming allows nor a block larger than its frame's window matters
 * (corpus/client-zstd/regress-small-window); and where libzstd's own decoder
 * of whole frames refuses what streaming lets through (corrupt frames: see
 * taken_at_once()), the app's may refuse too. */
#include "ks-client-zstd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define MAX_SIZE (8 * 1024 * 1024)

/* The whole of data streamed, growing to MAX_SIZE at most. NULL if damaged,
 * cut short or larger. */
static GBytes *
reference (const uint8_t *data, size_t size)
{
  ZSTD_DCtx *dctx = ZSTD_createDCtx ();
  GByteArray *out = g_byte_array_new ();
  ZSTD_inBuffer in = { data, size, 0 };
  guint8 buf[65536];
  size_t left = 1;

  ZSTD_DCtx_setParameter (dctx, ZSTD_d_windowLogMax, 24);
  while (size > 0)
    {
      ZSTD_outBuffer o = { buf, sizeof buf, 0 };

      left = ZSTD_decompressStream (dctx, &o, &in);
      if (ZSTD_isError (left))
        break;
      if (out->len + o.pos > MAX_SIZE)
        {
          left = 1;
          break;
        }
      g_byte_array_append (out, buf, (guint) o.pos);
      if (in.pos == in.size && left == 0)
        break;
      if (in.pos == in.size && o.pos < o.size)
        break;   /* cut short: left is not 0 */
    }
  ZSTD_freeDCtx (dctx);
  if (size == 0 || left != 0)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

/* Whether libzstd's decoder of whole frames at once (ZSTD_decompress(), the
 * one the app tries first) takes data, given room for MAX_SIZE. libzstd 1.5.4's
 * two decoders differ on frames the format calls corrupt, which streaming lets
 * through and the other refuses: a frame whose content differs from its
 * header's size (regress-size-declared declares 2.4 MB and holds nothing), a
 * compressed block of no bytes (regress-empty-block; streaming takes any
 * block of size 0 as empty). Where it refuses, the app may refuse too. */
static gboolean
taken_at_once (const uint8_t *data, size_t size)
{
  static guint8 *room;

  if (room == NULL)
    room = g_malloc (MAX_SIZE);
  return !ZSTD_isError (ZSTD_decompress (room, MAX_SIZE, data, size));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) packed = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = ks_client_zstd_decode (packed, MAX_SIZE, &error);
  g_autoptr(GBytes) want = reference (data, size);

  if (want != NULL && !taken_at_once (data, size))
    g_clear_pointer (&want, g_bytes_unref);

  if (got == NULL && (error == NULL || error->message[0] == '\0'))
    abort ();
  if (got != NULL && g_bytes_get_size (got) > MAX_SIZE)
    abort ();
  if (want != NULL && (got == NULL || !g_bytes_equal (got, want)))
    abort ();
  return 0;
}

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
 * (corpus/client-zstd/regress-small-window); and it refuses a frame whose
 * header says it holds more or less than it does, which streaming lets
 * through (corpus/client-zstd/regress-size-declared). */
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

/* Whether every frame of data that says how much it holds holds that much.
 * libzstd's decoder of a whole frame at once (the app's) refuses a frame
 * whose content differs from its header's size; its streaming decoder (1.5.4)
 * gives what the frame holds (corpus/client-zstd/regress-size-declared: a
 * frame that declares 2.4 MB and holds nothing). TRUE when the frames cannot
 * be told apart: the streaming decoder's verdict stands. */
static gboolean
declared_sizes_hold (const uint8_t *data, size_t size)
{
  size_t off = 0;

  while (off < size)
    {
      size_t frame = ZSTD_findFrameCompressedSize (data + off, size - off);
      unsigned long long declared;
      g_autoptr(GBytes) held = NULL;

      if (ZSTD_isError (frame) || frame == 0)
        return TRUE;
      declared = ZSTD_getFrameContentSize (data + off, frame);
      if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
          ((held = reference (data + off, frame)) == NULL || g_bytes_get_size (held) != declared))
        return FALSE;
      off += frame;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) packed = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = ks_client_zstd_decode (packed, MAX_SIZE, &error);
  g_autoptr(GBytes) want = reference (data, size);

  if (want != NULL && !declared_sizes_hold (data, size))
    g_clear_pointer (&want, g_bytes_unref);

  if (got == NULL && (error == NULL || error->message[0] == '\0'))
    abort ();
  if (got != NULL && g_bytes_get_size (got) > MAX_SIZE)
    abort ();
  if (want != NULL && (got == NULL || !g_bytes_equal (got, want)))
    abort ();
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-client-zstd.c: zstd answers decoded with libzstd's streaming decoder. */
#define G_LOG_DOMAIN "ks-client"

#include "ks-client-zstd.h"
#include "ks-error.h"

#include <zstd.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_DCtx, ZSTD_freeDCtx)

/* The largest window a frame may ask for (2^24 = 16 MB): the server's fast
 * levels use 512 KB at most; a frame asking for more is refused rather than
 * given the memory. */
#define WINDOW_LOG_MAX 24

static GBytes *
fail (GError    **error,
      const char *why)
{
  g_debug ("zstd answer not decoded: %s", why);
  g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
               "The server's answer arrived damaged or incomplete. Try again later.");
  return NULL;
}

GBytes *
ks_client_zstd_decode (GBytes  *packed,
                       gsize    max_size,
                       GError **error)
{
  g_autoptr(ZSTD_DCtx) dctx = NULL;
  g_autoptr(GByteArray) out = NULL;
  gsize size = 0, room;
  const guint8 *data = g_bytes_get_data (packed, &size);
  unsigned long long known;
  ZSTD_inBuffer in = { data, size, 0 };

  if (size == 0)
    return fail (error, "empty");
  /* Room for all of it when the frame says how much (a whole answer), else a
   * guess from JSON's usual ratio; it grows as needed up to max_size. */
  known = ZSTD_getFrameContentSize (data, size);
  if (known != ZSTD_CONTENTSIZE_UNKNOWN && known != ZSTD_CONTENTSIZE_ERROR && known <= max_size)
    room = MAX (known, 1);
  else
    room = MIN (MAX (size * 8, (gsize) 65536), max_size);

  dctx = ZSTD_createDCtx ();
  g_assert (dctx != NULL);
  ZSTD_DCtx_setParameter (dctx, ZSTD_d_windowLogMax, WINDOW_LOG_MAX);
  out = g_byte_array_sized_new (room);
  for (;;)
    {
      ZSTD_outBuffer o;
      guint old = out->len;
      gsize left;

      if (out->len == room)
        {
          if (room >= max_size)
            return fail (error, "larger than the most an answer may be");
          room = MIN (room * 2, max_size);
        }
      g_byte_array_set_size (out, room);
      o = (ZSTD_outBuffer) { out->data + old, room - old, 0 };
      left = ZSTD_decompressStream (dctx, &o, &in);
      g_byte_array_set_size (out, old + o.pos);
      if (ZSTD_isError (left))
        return fail (error, ZSTD_getErrorName (left));
      if (in.pos == in.size && left == 0)
        break; /* the last frame ended with the input */
      /* All read and all given out (the room was not filled), and the frame
       * still not at its end: the answer was cut short. */
      if (in.pos == in.size && o.pos < o.size)
        return fail (error, "cut short");
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

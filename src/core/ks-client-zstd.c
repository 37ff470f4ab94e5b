/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-client-zstd.c: zstd answers decoded with libzstd: at once into room
 * enough for all of it, streamed when that guess falls short. */
#define G_LOG_DOMAIN "ks-client"

#include "ks-client-zstd.h"
#include "ks-error.h"
#include "ks-huge-bytes.h"

#include <zstd.h>
#include <zstd_errors.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_DCtx, ZSTD_freeDCtx)

/* The largest window a frame may ask for (2^24 = 16 MB) when streamed: the
 * server's fast levels use 512 KB at most; a frame asking for more is refused
 * rather than given the memory. (Decoded at once, a frame has no window of its
 * own: it writes to the room given, which max_size bounds.) */
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

/* All of data decoded in one call, straight into room bytes: the streaming
 * decoder's copy from its window, and the page faults of a fresh buffer, were
 * a fifth of the app's time in a first sync. NULL with *too_small set when it
 * does not fit; NULL with an error when data is damaged or cut short. */
static GBytes *
decode_at_once (ZSTD_DCtx    *dctx,
                const guint8 *data,
                gsize         size,
                gsize         room,
                gboolean     *too_small,
                GError      **error)
{
  gpointer huge = room >= KS_HUGE_BYTES_MIN ? ks_huge_bytes_alloc (room) : NULL;
  guint8 *out = huge != NULL ? huge : g_malloc (room);
  gsize n = ZSTD_decompressDCtx (dctx, out, room, data, size);

  *too_small = FALSE;
  if (!ZSTD_isError (n))
    return huge != NULL ? ks_huge_bytes_take (huge, room, n)
                        : g_bytes_new_take (g_realloc (out, MAX (n, 1)), n);
  if (huge != NULL)
    ks_huge_bytes_free (huge, room);
  else
    g_free (out);
  if (ZSTD_getErrorCode (n) == ZSTD_error_dstSize_tooSmall)
    {
      *too_small = TRUE;
      return NULL;
    }
  return fail (error, ZSTD_getErrorName (n));
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
  gboolean too_small;
  GBytes *whole;

  if (size == 0)
    return fail (error, "empty");
  dctx = ZSTD_createDCtx ();
  g_assert (dctx != NULL);

  /* Room for all of it when the frame says how much (a whole answer), else a
   * generous guess from JSON's usual ratio (a sync page packed as it was
   * written does not say how much): memory is only taken where it is
   * written. */
  known = ZSTD_getFrameContentSize (data, size);
  if (known != ZSTD_CONTENTSIZE_UNKNOWN && known != ZSTD_CONTENTSIZE_ERROR && known <= max_size)
    room = MAX (known, 1);
  else
    room = MIN (MAX (size * 16, (gsize) 65536), max_size);
  whole = decode_at_once (dctx, data, size, room, &too_small, error);
  if (whole != NULL || !too_small)
    return whole;
  if (room >= max_size)
    return fail (error, "larger than the most an answer may be");

  /* More than the guess: streamed, growing as needed up to max_size, with
   * the window a frame may ask for bounded. */
  ZSTD_DCtx_reset (dctx, ZSTD_reset_session_and_parameters);
  ZSTD_DCtx_setParameter (dctx, ZSTD_d_windowLogMax, WINDOW_LOG_MAX);
  room = MIN (room * 2, max_size);
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

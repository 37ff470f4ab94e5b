/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-client-zstd.c: the app's zstd decoding of answers, against libzstd's
 * own encodings of the same bytes: a frame that says its size and one that
 * does not (as a sync page packed as it is written), small and big (the huge
 * page buffer), packed beyond the first guess, several frames; and every way
 * an answer can be bad. */
#define G_LOG_DOMAIN "test-client-zstd"

#include "ks-client-zstd.h"
#include "ks-error.h"

#include <string.h>
#include <zstd.h>

/* n bytes of JSON-like text, as varied as a sync page (ratio about 5 to 8). */
static GBytes *
make_plain (gsize n)
{
  GString *s = g_string_sized_new (n + 256);
  GRand *rand = g_rand_new_with_seed (15);

  g_string_append_c (s, '[');
  while (s->len < n)
    g_string_append_printf (s, "{\"id\":%u,\"title\":\"Pothole %u near %x\",\"lat\":51.%06u},",
                            g_rand_int (rand) % 1000000, g_rand_int (rand) % 97,
                            g_rand_int (rand), g_rand_int (rand) % 1000000);
  g_string_truncate (s, n);
  g_rand_free (rand);
  return g_string_free_to_bytes (s);
}

/* plain as one frame that says its size. */
static GBytes *
pack_sized (GBytes *plain)
{
  gsize n = 0;
  const void *data = g_bytes_get_data (plain, &n);
  gsize cap = ZSTD_compressBound (n);
  guint8 *out = g_malloc (cap);
  gsize len = ZSTD_compress (out, cap, data, n, 1);

  g_assert_false (ZSTD_isError (len));
  return g_bytes_new_take (out, len);
}

/* plain as one frame written in pieces of piece bytes, which does not say its
 * size (as the server packs a sync page). */
static GBytes *
pack_streamed (GBytes *plain,
               gsize   piece)
{
  gsize n = 0, done = 0;
  const guint8 *data = g_bytes_get_data (plain, &n);
  ZSTD_CCtx *cctx = ZSTD_createCCtx ();
  GByteArray *out = g_byte_array_new ();
  guint8 buf[65536];

  ZSTD_CCtx_setParameter (cctx, ZSTD_c_compressionLevel, 1);
  do
    {
      gsize take = MIN (piece, n - done);
      gboolean last = done + take == n;
      ZSTD_inBuffer in = { data + done, take, 0 };
      gsize left;

      do
        {
          ZSTD_outBuffer o = { buf, sizeof buf, 0 };

          left = ZSTD_compressStream2 (cctx, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
          g_assert_false (ZSTD_isError (left));
          g_byte_array_append (out, buf, (guint) o.pos);
        }
      while (in.pos < in.size || (last && left != 0));
      done += take;
    }
  while (done < n);
  ZSTD_freeCCtx (cctx);
  /* (Given whole at once, zstd writes the size after all.) */
  if (n > piece)
    g_assert_true (ZSTD_getFrameContentSize (out->data, out->len) == ZSTD_CONTENTSIZE_UNKNOWN);
  return g_byte_array_free_to_bytes (out);
}

static void
assert_decodes_to (GBytes *packed,
                   GBytes *plain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = ks_client_zstd_decode (packed, KS_CLIENT_ZSTD_MAX_SIZE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpuint (g_bytes_get_size (got), ==, g_bytes_get_size (plain));
  g_assert_true (g_bytes_equal (got, plain));
}

static void
assert_refused (GBytes *packed,
                gsize   max_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = ks_client_zstd_decode (packed, max_size, &error);

  g_assert_null (got);
  g_assert_error (error, KS_ERROR, KS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "damaged or incomplete"));
}

static void
test_small_and_big (void)
{
  /* Under and over the size a huge page buffer is used for. */
  const gsize sizes[] = { 1, 1000, 300 * 1000, 6 * 1000 * 1000, 17 * 1000 * 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) plain = make_plain (sizes[i]);
      g_autoptr(GBytes) sized = pack_sized (plain);
      g_autoptr(GBytes) streamed = pack_streamed (plain, 256 * 1024);

      assert_decodes_to (sized, plain);
      assert_decodes_to (streamed, plain);
    }
}

/* Packed far more than the first guess (16 times the packed size) allows: the
 * decoder goes on streamed and still gives all of it. */
static void
test_beyond_the_guess (void)
{
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) streamed = NULL;
  guint8 *same = g_malloc (20 * 1000 * 1000);

  memset (same, 'a', 20 * 1000 * 1000);
  plain = g_bytes_new_take (same, 20 * 1000 * 1000);
  streamed = pack_streamed (plain, 1000 * 1000);
  g_assert_cmpuint (g_bytes_get_size (streamed) * 16, <, g_bytes_get_size (plain));
  assert_decodes_to (streamed, plain);
}

/* Two frames one after the other decode to both. */
static void
test_two_frames (void)
{
  g_autoptr(GBytes) a = make_plain (5 * 1000 * 1000);
  g_autoptr(GBytes) b = make_plain (70 * 1000);
  g_autoptr(GBytes) pa = pack_streamed (a, 256 * 1024);
  g_autoptr(GBytes) pb = pack_sized (b);
  GByteArray *joined = g_byte_array_new (), *both = g_byte_array_new ();
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GBytes) plain = NULL;

  g_byte_array_append (joined, g_bytes_get_data (pa, NULL), (guint) g_bytes_get_size (pa));
  g_byte_array_append (joined, g_bytes_get_data (pb, NULL), (guint) g_bytes_get_size (pb));
  g_byte_array_append (both, g_bytes_get_data (a, NULL), (guint) g_bytes_get_size (a));
  g_byte_array_append (both, g_bytes_get_data (b, NULL), (guint) g_bytes_get_size (b));
  packed = g_byte_array_free_to_bytes (joined);
  plain = g_byte_array_free_to_bytes (both);
  assert_decodes_to (packed, plain);
}

/* Cut short, damaged, empty, or decoding to more than the most allowed: an
 * error, never a part. */
static void
test_bad_answers (void)
{
  g_autoptr(GBytes) plain = make_plain (6 * 1000 * 1000);
  g_autoptr(GBytes) sized = pack_sized (plain);
  g_autoptr(GBytes) streamed = pack_streamed (plain, 256 * 1024);
  GBytes *packs[] = { sized, streamed };
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) not_zstd = g_bytes_new_static ("{\"reports\":[]}", 14);

  assert_refused (empty, KS_CLIENT_ZSTD_MAX_SIZE);
  assert_refused (not_zstd, KS_CLIENT_ZSTD_MAX_SIZE);
  for (guint i = 0; i < G_N_ELEMENTS (packs); i++)
    {
      gsize n = g_bytes_get_size (packs[i]);
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (packs[i], 0, n - 3);
      g_autoptr(GBytes) half = g_bytes_new_from_bytes (packs[i], 0, n / 2);
      guint8 *bad = g_memdup2 (g_bytes_get_data (packs[i], NULL), n);
      g_autoptr(GBytes) damaged = NULL;

      bad[6] ^= 0xff;   /* in the frame header */
      damaged = g_bytes_new_take (bad, n);
      assert_refused (cut, KS_CLIENT_ZSTD_MAX_SIZE);
      assert_refused (half, KS_CLIENT_ZSTD_MAX_SIZE);
      assert_refused (damaged, KS_CLIENT_ZSTD_MAX_SIZE);
      /* One byte more than allowed. */
      assert_refused (packs[i], g_bytes_get_size (plain) - 1);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client-zstd/small-and-big", test_small_and_big);
  g_test_add_func ("/client-zstd/beyond-the-guess", test_beyond_the_guess);
  g_test_add_func ("/client-zstd/two-frames", test_two_frames);
  g_test_add_func ("/client-zstd/bad-answers", test_bad_answers);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-photos.c: procedural demo photos and a small PNG encoder.
 *
 * The pictures are drawn into an RGB buffer with a handful of primitives (noise,
 * ellipses, rectangles, gradients, brush strokes) and encoded by hand as PNG: the
 * signature, an IHDR chunk, one IDAT chunk holding the filtered rows compressed
 * with GIO's GZlibCompressor (zlib format), and IEND; each chunk's CRC-32 is
 * computed here (the PNG polynomial, table-driven). Nothing else is needed to make
 * a valid PNG, so the server depends on no image library. */
#define G_LOG_DOMAIN "ks-demo-photos"

#include "demo/ks-demo-photos.h"
#include "http/ks-media.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#define PHOTO_W 480
#define PHOTO_H 360

/* ---- PNG ---- */

static guint32 crc_table[256];

static void
crc_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;
          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          crc_table[n] = c;
        }
      g_once_init_leave (&done, 1);
    }
}

static guint32
crc_update (guint32 crc, const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
put_be32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (out, b, 4);
}

/* A chunk: length, type, data, CRC-32 of type and data. */
static void
put_chunk (GByteArray *out, const char *type, const guint8 *data, gsize len)
{
  guint32 crc = 0xffffffffu;

  put_be32 (out, (guint32) len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (out, data, len);
  crc = crc_update (crc, (const guint8 *) type, 4);
  crc = crc_update (crc, data, len);
  put_be32 (out, crc ^ 0xffffffffu);
}

GBytes *
ks_png_encode_rgb (const guint8 *rgb,
                   guint         width,
                   guint         height,
                   GError      **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) raw = NULL;
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GZlibCompressor) zlib = NULL;
  g_autofree guint8 *packed = NULL;
  guint8 ihdr[13];
  gsize stride = (gsize) width * 3, in_pos = 0, out_len = 0, cap;

  crc_init ();
  /* Each row: filter type 1 (Sub: each byte minus the one a pixel to its left),
   * which makes smooth and noisy areas alike compress well. */
  raw = g_byte_array_sized_new ((height * (stride + 1)));
  for (guint y = 0; y < height; y++)
    {
      const guint8 *row = rgb + y * stride;
      guint8 filter = 1;

      g_byte_array_append (raw, &filter, 1);
      g_byte_array_append (raw, row, 3);
      for (gsize i = 3; i < stride; i++)
        {
          guint8 d = (guint8) (row[i] - row[i - 3]);
          g_byte_array_append (raw, &d, 1);
        }
    }

  zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  cap = raw->len + raw->len / 8 + 1024;
  packed = g_malloc (cap);
  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult res;

      res = g_converter_convert (G_CONVERTER (zlib), raw->data + in_pos, raw->len - in_pos,
                                 packed + out_len, cap - out_len, G_CONVERTER_INPUT_AT_END,
                                 &read, &written, error);
      if (res == G_CONVERTER_ERROR)
        return NULL;
      in_pos += read;
      out_len += written;
      if (res == G_CONVERTER_FINISHED)
        break;
      if (cap - out_len < 1024)
        {
          cap *= 2;
          packed = g_realloc (packed, cap);
        }
    }

  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;    /* bit depth */
  ihdr[9] = 2;    /* colour type: RGB */
  ihdr[10] = 0;   /* deflate */
  ihdr[11] = 0;   /* adaptive filtering (per-row filter byte) */
  ihdr[12] = 0;   /* not interlaced */

  out = g_byte_array_sized_new (out_len + 64);
  g_byte_array_append (out, signature, sizeof signature);
  put_chunk (out, "IHDR", ihdr, sizeof ihdr);
  put_chunk (out, "IDAT", packed, out_len);
  put_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---- drawing ---- */

typedef struct {
  guint8  *px;
  guint32  seed;
} Canvas;

typedef struct { double r, g, b; } Rgb;

static guint32
hash3 (guint32 x, guint32 y, guint32 s)
{
  guint32 h = x * 374761393u + y * 668265263u + s * 2246822519u;
  h = (h ^ (h >> 13)) * 1274126177u;
  return h ^ (h >> 16);
}

/* Uniform in [-1, 1], fixed per pixel. */
static double
noise (Canvas *c, int x, int y, guint32 salt)
{
  return (hash3 ((guint32) x, (guint32) y, c->seed ^ salt) & 0xffff) / 32767.5 - 1.0;
}

static void
blend (Canvas *c, int x, int y, Rgb col, double a)
{
  guint8 *p;

  if (x < 0 || y < 0 || x >= PHOTO_W || y >= PHOTO_H || a <= 0)
    return;
  if (a > 1)
    a = 1;
  p = c->px + ((gsize) y * PHOTO_W + x) * 3;
  p[0] = (guint8) CLAMP (p[0] + (col.r - p[0]) * a, 0, 255);
  p[1] = (guint8) CLAMP (p[1] + (col.g - p[1]) * a, 0, 255);
  p[2] = (guint8) CLAMP (p[2] + (col.b - p[2]) * a, 0, 255);
}

static Rgb
shade (Rgb col, double k)
{
  return (Rgb) { col.r * k, col.g * k, col.b * k };
}

/* A vertical gradient from top to bottom colour over rows y0..y1, with grain. */
static void
fill_gradient (Canvas *c, int y0, int y1, Rgb top, Rgb bottom, double grain)
{
  for (int y = MAX (y0, 0); y < MIN (y1, PHOTO_H); y++)
    {
      double t = (double) (y - y0) / MAX (y1 - y0, 1);
      Rgb col = { top.r + (bottom.r - top.r) * t, top.g + (bottom.g - top.g) * t,
                  top.b + (bottom.b - top.b) * t };
      for (int x = 0; x < PHOTO_W; x++)
        {
          double n = grain * noise (c, x, y, 1);
          blend (c, x, y, (Rgb) { col.r + n, col.g + n, col.b + n }, 1);
        }
    }
}

/* A filled ellipse with a soft edge; k darkens or lightens towards the centre. */
static void
ellipse (Canvas *c, double cx, double cy, double rx, double ry, Rgb col, double alpha,
         double grain)
{
  for (int y = (int) (cy - ry - 2); y <= (int) (cy + ry + 2); y++)
    for (int x = (int) (cx - rx - 2); x <= (int) (cx + rx + 2); x++)
      {
        double dx = (x - cx) / rx, dy = (y - cy) / ry;
        double d = sqrt (dx * dx + dy * dy);
        double edge = (1.0 - d) * MIN (rx, ry);   /* pixels inside the edge */
        double n = grain * noise (c, x, y, 7);

        if (edge > -1)
          blend (c, x, y, (Rgb) { col.r + n, col.g + n, col.b + n },
                 alpha * CLAMP (edge + 0.5, 0, 1));
      }
}

static void
rect (Canvas *c, int x0, int y0, int x1, int y1, Rgb col, double grain)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        double n = grain * noise (c, x, y, 3);
        blend (c, x, y, (Rgb) { col.r + n, col.g + n, col.b + n }, 1);
      }
}

/* A brush stroke along a wavy line (graffiti). */
static void
stroke (Canvas *c, GRand *rand, double x0, double y0, double len, double width, Rgb col)
{
  double amp = g_rand_double_range (rand, 10, 40);
  double freq = g_rand_double_range (rand, 0.02, 0.06);
  double phase = g_rand_double_range (rand, 0, 6.28);

  for (double t = 0; t < len; t += 1.5)
    ellipse (c, x0 + t, y0 + amp * sin (t * freq + phase), width, width, col, 0.9, 0);
}

static void
draw_road (Canvas *c, GRand *rand)
{
  Rgb asphalt = { 92, 92, 96 };
  double cx = g_rand_double_range (rand, 170, 310);
  double cy = g_rand_double_range (rand, 170, 230);
  double rx = g_rand_double_range (rand, 70, 120);
  double ry = rx * g_rand_double_range (rand, 0.45, 0.65);

  fill_gradient (c, 0, PHOTO_H, shade (asphalt, 0.85), shade (asphalt, 1.1), 18);
  /* stone chips */
  for (int i = 0; i < 900; i++)
    blend (c, g_rand_int_range (rand, 0, PHOTO_W), g_rand_int_range (rand, 0, PHOTO_H),
           (Rgb) { 170, 168, 160 }, 0.6);
  /* a painted line */
  if (g_rand_boolean (rand))
    for (int y = 0; y < PHOTO_H; y++)
      rect (c, 40 + y / 6, y, 56 + y / 6, y + 1, (Rgb) { 225, 220, 200 }, 12);
  else
    for (int y = 0; y < PHOTO_H; y++)
      {
        rect (c, 420 - y / 8, y, 430 - y / 8, y + 1, (Rgb) { 220, 190, 40 }, 10);
        rect (c, 436 - y / 8, y, 446 - y / 8, y + 1, (Rgb) { 220, 190, 40 }, 10);
      }
  /* the pothole: a broken rim, the dark hole, and sometimes water in it */
  ellipse (c, cx, cy, rx + 10, ry + 7, (Rgb) { 120, 118, 112 }, 0.8, 25);
  ellipse (c, cx, cy + 3, rx, ry, (Rgb) { 40, 38, 36 }, 1, 14);
  ellipse (c, cx + 4, cy + 6, rx * 0.8, ry * 0.75, (Rgb) { 28, 26, 25 }, 1, 10);
  if (g_rand_boolean (rand))
    ellipse (c, cx + 6, cy + 10, rx * 0.55, ry * 0.45, (Rgb) { 90, 105, 120 }, 0.85, 8);
  for (int i = 0; i < 14; i++)
    {
      double a = g_rand_double_range (rand, 0, 6.28);
      ellipse (c, cx + cos (a) * (rx + 14), cy + sin (a) * (ry + 10),
               g_rand_double_range (rand, 3, 9), g_rand_double_range (rand, 2, 6),
               (Rgb) { 60, 58, 56 }, 0.9, 10);
    }
}

static void
draw_lamp (Canvas *c, GRand *rand)
{
  gboolean dusk = g_rand_int_range (rand, 0, 3) == 0;
  Rgb sky_top = dusk ? (Rgb) { 40, 50, 95 } : (Rgb) { 95, 145, 210 };
  Rgb sky_low = dusk ? (Rgb) { 230, 140, 90 } : (Rgb) { 200, 220, 235 };
  int px = g_rand_int_range (rand, 150, 330);
  int ground = 290;
  gboolean bent = g_rand_boolean (rand);

  fill_gradient (c, 0, ground, sky_top, sky_low, 3);
  if (!dusk)
    for (int i = 0; i < 5; i++)
      {
        double x = g_rand_double_range (rand, 0, PHOTO_W), y = g_rand_double_range (rand, 30, 150);
        for (int k = 0; k < 4; k++)
          ellipse (c, x + k * 22, y + (k % 2) * 6, 30, 16, (Rgb) { 250, 250, 252 }, 0.8, 4);
      }
  /* houses in the distance */
  for (int x = 0; x < PHOTO_W; x += 70)
    {
      int h = g_rand_int_range (rand, 40, 80);
      rect (c, x, ground - h, x + 64, ground, (Rgb) { 150, 100, 80 }, 10);
    }
  fill_gradient (c, ground, PHOTO_H, (Rgb) { 150, 150, 150 }, (Rgb) { 120, 120, 118 }, 12);
  /* the post: a column, leaning when it was hit */
  for (int y = 60; y < ground + 10; y++)
    {
      int lean = bent ? (ground + 10 - y) / 6 : 0;
      rect (c, px - 7 + lean, y, px + 7 + lean, y + 1, (Rgb) { 45, 60, 50 }, 6);
      blend (c, px - 4 + lean, y, (Rgb) { 110, 130, 115 }, 0.6);
    }
  {
    int top_lean = bent ? (ground + 10 - 60) / 6 : 0;
    int hx = px + top_lean;
    rect (c, hx, 60, hx + 60, 68, (Rgb) { 45, 60, 50 }, 6);
    rect (c, hx + 40, 66, hx + 80, 80, (Rgb) { 60, 70, 65 }, 6);
    ellipse (c, hx + 60, 82, 18, 6, dusk ? (Rgb) { 255, 235, 150 } : (Rgb) { 200, 200, 190 },
             1, 4);
    if (dusk && g_rand_boolean (rand))
      ellipse (c, hx + 60, 90, 60, 40, (Rgb) { 255, 230, 150 }, 0.25, 0);
  }
}

static void
draw_bags (Canvas *c, GRand *rand)
{
  int wall = 130;
  int n = g_rand_int_range (rand, 3, 7);

  /* a wall, then paving slabs */
  fill_gradient (c, 0, wall, (Rgb) { 170, 160, 145 }, (Rgb) { 150, 140, 128 }, 10);
  fill_gradient (c, wall, PHOTO_H, (Rgb) { 175, 172, 165 }, (Rgb) { 150, 148, 142 }, 10);
  for (int y = wall; y < PHOTO_H; y += 45)
    rect (c, 0, y, PHOTO_W, y + 2, (Rgb) { 110, 108, 104 }, 4);
  for (int x = 0; x < PHOTO_W; x += 80)
    rect (c, x, wall, x + 2, PHOTO_H, (Rgb) { 110, 108, 104 }, 4);
  /* a cardboard box sometimes */
  if (g_rand_boolean (rand))
    {
      int bx = g_rand_int_range (rand, 20, 360);
      rect (c, bx, 170, bx + 100, 260, (Rgb) { 170, 125, 75 }, 10);
      rect (c, bx, 170, bx + 100, 178, (Rgb) { 140, 100, 60 }, 8);
    }
  /* the bags: dark shiny blobs with a knot and a highlight */
  for (int i = 0; i < n; i++)
    {
      double x = g_rand_double_range (rand, 60, 420);
      double y = g_rand_double_range (rand, 200, 300);
      double r = g_rand_double_range (rand, 40, 70);
      gboolean white = g_rand_int_range (rand, 0, 4) == 0;
      Rgb col = white ? (Rgb) { 215, 215, 210 } : (Rgb) { 30, 30, 34 };

      ellipse (c, x + 8, y + r * 0.55, r, r * 0.25, (Rgb) { 60, 60, 60 }, 0.5, 0);
      ellipse (c, x, y, r, r * 0.8, col, 1, 8);
      ellipse (c, x, y - r * 0.85, r * 0.18, r * 0.22, col, 1, 6);
      ellipse (c, x - r * 0.35, y - r * 0.3, r * 0.22, r * 0.12,
               white ? (Rgb) { 250, 250, 250 } : (Rgb) { 95, 95, 105 }, 0.8, 0);
    }
}

static void
draw_wall (Canvas *c, GRand *rand)
{
  static const Rgb paints[] = {
    { 220, 40, 60 }, { 40, 120, 220 }, { 250, 200, 30 }, { 30, 180, 90 },
    { 240, 240, 240 }, { 160, 60, 200 }, { 20, 20, 20 },
  };
  Rgb brick = { 160, 75, 55 };
  int n = g_rand_int_range (rand, 2, 5);

  fill_gradient (c, 0, PHOTO_H, (Rgb) { 190, 185, 175 }, (Rgb) { 170, 165, 155 }, 6);
  for (int row = 0; row * 24 < PHOTO_H; row++)
    for (int x = (row % 2) ? -30 : 0; x < PHOTO_W; x += 60)
      {
        double k = 0.85 + 0.3 * (hash3 ((guint32) x + 100, (guint32) row, c->seed) & 0xff) / 255.0;
        rect (c, x + 2, row * 24 + 2, x + 58, row * 24 + 22, shade (brick, k), 14);
      }
  for (int i = 0; i < n; i++)
    {
      Rgb col = paints[g_rand_int_range (rand, 0, G_N_ELEMENTS (paints))];
      stroke (c, rand, g_rand_double_range (rand, 20, 200), g_rand_double_range (rand, 80, 280),
              g_rand_double_range (rand, 150, 280), g_rand_double_range (rand, 4, 9), col);
    }
  /* drips */
  for (int i = 0; i < 6; i++)
    {
      int x = g_rand_int_range (rand, 40, 440), y = g_rand_int_range (rand, 100, 260);
      rect (c, x, y, x + 3, y + g_rand_int_range (rand, 10, 50),
            paints[g_rand_int_range (rand, 0, 3)], 0);
    }
}

KsDemoScene
ks_demo_photo_scene (const char *category_code)
{
  if (category_code == NULL)
    return KS_DEMO_SCENE_ROAD;
  if (strstr (category_code, "light") || strstr (category_code, "lamp") ||
      strstr (category_code, "sign"))
    return KS_DEMO_SCENE_LAMP;
  if (strstr (category_code, "graffiti") || strstr (category_code, "park"))
    return KS_DEMO_SCENE_WALL;
  if (strstr (category_code, "tipping") || strstr (category_code, "litter") ||
      strstr (category_code, "bin") || strstr (category_code, "abandoned") ||
      strstr (category_code, "fouling") || strstr (category_code, "vegetation"))
    return KS_DEMO_SCENE_BAGS;
  return KS_DEMO_SCENE_ROAD;
}

gboolean
ks_demo_photos_write (const char *dir,
                      guint32     seed,
                      char       *refs[KS_DEMO_N_PHOTOS],
                      GError    **error)
{
  g_autofree guint8 *px = g_malloc ((gsize) PHOTO_W * PHOTO_H * 3);

  memset (refs, 0, sizeof (char *) * KS_DEMO_N_PHOTOS);
  for (guint i = 0; i < KS_DEMO_N_PHOTOS; i++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed * 7919u + i);
      g_autoptr(GBytes) png = NULL;
      g_autofree char *key = NULL, *sum = NULL, *name = NULL;
      Canvas c = { px, seed + i * 104729u };
      const guint8 *data;
      gsize len;

      memset (px, 0, (gsize) PHOTO_W * PHOTO_H * 3);
      switch ((KsDemoScene) (i / KS_DEMO_PHOTOS_PER_SCENE))
        {
        case KS_DEMO_SCENE_ROAD: draw_road (&c, rand); break;
        case KS_DEMO_SCENE_LAMP: draw_lamp (&c, rand); break;
        case KS_DEMO_SCENE_BAGS: draw_bags (&c, rand); break;
        case KS_DEMO_SCENE_WALL:
        case KS_DEMO_N_SCENES:
        default: draw_wall (&c, rand); break;
        }
      if ((png = ks_png_encode_rgb (px, PHOTO_W, PHOTO_H, error)) == NULL)
        goto fail;
      /* The same seed gives the same names, so a refresh overwrites its files. */
      key = g_strdup_printf ("kerbside-demo-photo-%u-%u", seed, i);
      sum = g_compute_checksum_for_string (G_CHECKSUM_MD5, key, -1);
      name = g_strconcat (sum, ".png", NULL);
      data = g_bytes_get_data (png, &len);
      if (!ks_media_write (dir, name, data, len, error))
        goto fail;
      refs[i] = g_strconcat (KS_MEDIA_PREFIX, name, NULL);
    }
  return TRUE;

fail:
  for (guint i = 0; i < KS_DEMO_N_PHOTOS; i++)
    g_clear_pointer (&refs[i], g_free);
  return FALSE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-image.h: decoding, redacting and re-encoding photos (gdk-pixbuf, with only
 * its PNG and JPEG loaders asked for). An upload is accepted only when it decodes
 * as a whole image; a redaction fills rectangles of the decoded pixels and writes
 * the image again, without the original's metadata (EXIF, comments, text chunks). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Images larger than this many pixels are refused before their pixels are read. */
#define KS_IMAGE_MAX_PIXELS  (50 * 1000 * 1000)
/* The most rectangles one redaction may fill. */
#define KS_IMAGE_MAX_RECTS   100

/* A rectangle in the image's pixels. */
typedef struct {
  int x, y, width, height;
} KsImageRect;

/* Decodes the whole image (a JPEG or PNG by its magic bytes). KS_ERROR_INVALID with
 * a sentence for the user when it is not one, is cut short or is too large. */
gboolean ks_image_check  (const guint8 *data, gsize len, int *out_width,
                          int *out_height, GError **error);
/* Decodes the image, fills each rectangle (clipped to the image) with opaque black
 * and encodes it again in the same format (JPEG at quality 90). KS_ERROR_INVALID
 * when a rectangle lies wholly outside the image. */
GBytes  *ks_image_redact (const guint8 *data, gsize len, const KsImageRect *rects,
                          guint n_rects, GError **error);

G_END_DECLS

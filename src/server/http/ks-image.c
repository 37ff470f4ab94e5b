/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-image.c: decoding, redacting and re-encoding photos (see ks-image.h). */
#define G_LOG_DOMAIN "ks-image"

#include "http/ks-image.h"
#include "http/ks-media.h"
#include "ks-error.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

typedef struct {
  gboolean too_large;
  int      rows_done;   /* the rows the loader has decoded, from the top */
} SizeCheck;

/* Runs before the loader allocates the pixels: a huge image (a few bytes of PNG can
 * claim 100,000 x 100,000) is stopped here, as gdk_pixbuf_get_file_info() stops a
 * loader, by asking for a size of 0 x 0. */
static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeCheck *check = user_data;

  if (width <= 0 || height <= 0 || (gint64) width * height > KS_IMAGE_MAX_PIXELS)
    {
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/* The loaders decode from the top down and say which rows they have filled: an
 * image cut short ends before its last row. (gdk-pixbuf's PNG loader reports no
 * error at close when the header came through but the pixels did not.) */
static void
on_area_updated (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 gpointer         user_data)
{
  SizeCheck *check = user_data;

  check->rows_done = MAX (check->rows_done, y + height);
}

/* The decoded image, or NULL with a sentence for the user. *out_type: "png" or
 * "jpeg", the gdk-pixbuf name of the format. */
static GdkPixbuf *
decode (const guint8 *data,
        gsize         len,
        const char  **out_type,
        GError      **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local = NULL;
  const char *mime = ks_media_sniff (data, len);
  SizeCheck check = { FALSE, 0 };
  gboolean ok;
  GdkPixbuf *pixbuf;

  if (mime == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The photo is not a JPEG or PNG image. Choose a JPEG or PNG file.");
      return NULL;
    }
  *out_type = strcmp (mime, "image/png") == 0 ? "png" : "jpeg";
  /* Only the loader of the format the bytes claim: never one of the other
   * loaders gdk-pixbuf may have installed (SVG, TIFF, ICO...). */
  loader = gdk_pixbuf_loader_new_with_type (*out_type, &local);
  if (loader == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "This server cannot read %s images: %s. Ask the administrator to "
                   "install gdk-pixbuf's loaders.", *out_type, local->message);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);
  g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), &check);
  ok = gdk_pixbuf_loader_write (loader, data, len, &local);
  /* Always close: it finishes the image, and reports one cut short. */
  ok = gdk_pixbuf_loader_close (loader, ok ? &local : NULL) && ok;
  if (check.too_large)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The photo is larger than %d megapixels. Scale it down and try again.",
                   KS_IMAGE_MAX_PIXELS / 1000000);
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!ok || pixbuf == NULL || check.rows_done < gdk_pixbuf_get_height (pixbuf))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The photo could not be read as a %s image (%s). Choose another file.",
                   strcmp (*out_type, "png") == 0 ? "PNG" : "JPEG",
                   local != NULL ? local->message : "the file ends before the picture does");
      return NULL;
    }
  return g_object_ref (pixbuf);
}

gboolean
ks_image_check (const guint8 *data,
                gsize         len,
                int          *out_width,
                int          *out_height,
                GError      **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const char *type;

  if ((pixbuf = decode (data, len, &type, error)) == NULL)
    return FALSE;
  if (out_width)
    *out_width = gdk_pixbuf_get_width (pixbuf);
  if (out_height)
    *out_height = gdk_pixbuf_get_height (pixbuf);
  return TRUE;
}

GBytes *
ks_image_redact (const guint8      *data,
                 gsize              len,
                 const KsImageRect *rects,
                 guint              n_rects,
                 GError           **error)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;
  const char *type;
  int width, height;
  gboolean ok;

  if ((decoded = decode (data, len, &type, error)) == NULL)
    return NULL;
  /* The loader's pixbuf may share its pixels; paint on a copy of our own. */
  pixbuf = gdk_pixbuf_copy (decoded);
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  for (guint i = 0; i < n_rects; i++)
    {
      int x0 = MAX (rects[i].x, 0), y0 = MAX (rects[i].y, 0);
      int x1 = (int) MIN ((gint64) rects[i].x + rects[i].width, width);
      int y1 = (int) MIN ((gint64) rects[i].y + rects[i].height, height);
      g_autoptr(GdkPixbuf) area = NULL;

      if (rects[i].width <= 0 || rects[i].height <= 0 || x0 >= x1 || y0 >= y1)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "Rectangle %u lies outside the photo (%d x %d pixels). Draw it "
                       "over the photo again.", i + 1, width, height);
          return NULL;
        }
      area = gdk_pixbuf_new_subpixbuf (pixbuf, x0, y0, x1 - x0, y1 - y0);
      gdk_pixbuf_fill (area, 0x000000ff);
    }
  /* No option asks for metadata, so none is written: the EXIF block, comments and
   * text chunks of the original (a camera's place and time) stay behind. */
  if (strcmp (type, "jpeg") == 0)
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", error, "quality", "90", NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL);
  if (!ok)
    {
      g_prefix_error (error, "Could not write the redacted photo: ");
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

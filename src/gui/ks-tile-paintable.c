/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-tile-paintable.c: a map tile the app drew, as a texture or painted
 * straight from its cairo surface. */
#include "ks-tile-paintable.h"

struct _KsTilePaintable
{
  GObject          parent_instance;

  cairo_surface_t *surface;
  GdkTexture      *texture;  /* NULL when painted from the surface */
};

static void ks_tile_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KsTilePaintable, ks_tile_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, ks_tile_paintable_paintable_init))

static void
ks_tile_paintable_snapshot (GdkPaintable *paintable,
                            GdkSnapshot  *snapshot,
                            double        width,
                            double        height)
{
  KsTilePaintable *self = KS_TILE_PAINTABLE (paintable);
  cairo_t *cr;

  if (self->texture != NULL)
    {
      gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
      return;
    }
  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (GTK_SNAPSHOT (snapshot), &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_scale (cr, width / cairo_image_surface_get_width (self->surface),
               height / cairo_image_surface_get_height (self->surface));
  cairo_set_source_surface (cr, self->surface, 0, 0);
  /* As GTK draws a texture: at a zoom between levels the tile is scaled,
   * and its edge pixels padded outwards keep a seam from showing between
   * tiles. */
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_destroy (cr);
}

static int
ks_tile_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return cairo_image_surface_get_width (KS_TILE_PAINTABLE (paintable)->surface);
}

static int
ks_tile_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return cairo_image_surface_get_height (KS_TILE_PAINTABLE (paintable)->surface);
}

static GdkPaintableFlags
ks_tile_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
ks_tile_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = ks_tile_paintable_snapshot;
  iface->get_intrinsic_width = ks_tile_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = ks_tile_paintable_get_intrinsic_height;
  iface->get_flags = ks_tile_paintable_get_flags;
}

static void
ks_tile_paintable_finalize (GObject *object)
{
  KsTilePaintable *self = KS_TILE_PAINTABLE (object);

  g_clear_object (&self->texture);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  G_OBJECT_CLASS (ks_tile_paintable_parent_class)->finalize (object);
}

static void
ks_tile_paintable_class_init (KsTilePaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ks_tile_paintable_finalize;
}

static void
ks_tile_paintable_init (KsTilePaintable *self)
{
}

KsTilePaintable *
ks_tile_paintable_new (cairo_surface_t *surface,
                       gboolean         paint_surface)
{
  KsTilePaintable *self;

  g_return_val_if_fail (surface != NULL && cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE, NULL);
  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32, NULL);

  self = g_object_new (KS_TYPE_TILE_PAINTABLE, NULL);
  self->surface = cairo_surface_reference (surface);
  cairo_surface_flush (surface);
  if (!paint_surface)
    {
      int stride = cairo_image_surface_get_stride (surface);
      int height = cairo_image_surface_get_height (surface);
      /* The texture keeps the surface's pixels (no copy of them). Cairo's
       * ARGB32 is GDK's default memory format. */
      g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                                            (gsize) stride * height,
                                                            (GDestroyNotify) cairo_surface_destroy,
                                                            cairo_surface_reference (surface));

      self->texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                              GDK_MEMORY_DEFAULT, bytes, stride);
    }
  return self;
}

gboolean
ks_tile_paintable_get_paint_surface (KsTilePaintable *self)
{
  g_return_val_if_fail (KS_IS_TILE_PAINTABLE (self), FALSE);

  return self->texture == NULL;
}

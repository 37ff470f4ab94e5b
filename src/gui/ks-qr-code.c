/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-qr-code.c: a QR code (libqrencode) drawn crisply with a quiet zone.
 *
 * Each module is a whole number of pixels and the code sits on whole pixels,
 * so the edges stay sharp for a camera; dark runs of a row are drawn as one
 * rectangle. Always black on white, whatever the theme: scanners need it. */
#define G_LOG_DOMAIN "ks-qr-code"

#include "config.h"
#include "ks-qr-code.h"

#include <math.h>
#include <qrencode.h>
#include <string.h>

/* Modules of white around the code, as the standard asks. */
#define QUIET_ZONE 4
/* Smallest module, in pixels. */
#define MIN_MODULE_PX 4

struct _KsQrCode
{
  GtkWidget  parent_instance;

  char      *text;
  guint      size;      /* modules per side */
  guint8    *dark;      /* size * size, 1 = dark */
};

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KsQrCode, ks_qr_code, GTK_TYPE_WIDGET)

static void
encode (KsQrCode *self)
{
  QRcode *code;

  g_clear_pointer (&self->dark, g_free);
  self->size = 0;
  if (self->text == NULL || *self->text == '\0')
    return;

  code = QRcode_encodeString8bit (self->text, 0, QR_ECLEVEL_M);
  if (code == NULL)
    {
      g_warning ("Could not make a QR code of %zu bytes", strlen (self->text));
      return;
    }
  self->size = (guint) code->width;
  self->dark = g_malloc ((gsize) self->size * self->size);
  for (guint i = 0; i < self->size * self->size; i++)
    self->dark[i] = code->data[i] & 1;
  QRcode_free (code);
}

static void
ks_qr_code_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  KsQrCode *self = KS_QR_CODE (widget);
  guint total = self->size ? self->size + 2 * QUIET_ZONE : 0;

  *minimum = total * MIN_MODULE_PX;
  *natural = total * MAX (MIN_MODULE_PX, 6);
}

static void
ks_qr_code_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  KsQrCode *self = KS_QR_CODE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint total, module;
  int x0, y0, side;
  GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA black = { 0, 0, 0, 1 };
  GtkNative *native;
  graphene_point_t origin;
  gboolean saved = FALSE;

  if (self->size == 0)
    return;
  total = self->size + 2 * QUIET_ZONE;
  module = MAX (1, (guint) MIN (width, height) / total);
  side = (int) (module * total);
  x0 = (width - side) / 2;
  y0 = (height - side) / 2;

  /* The widget may sit at a fraction of a pixel (a scrolled view): move onto
   * whole pixels, or the module edges blur into grey seams. */
  native = gtk_widget_get_native (widget);
  if (native != NULL &&
      gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (0, 0), &origin))
    {
      double sx = 0, sy = 0;

      gtk_native_get_surface_transform (native, &sx, &sy);
      origin.x += sx;
      origin.y += sy;
      gtk_snapshot_save (snapshot);
      saved = TRUE;
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (origin.x) - origin.x,
                                                              roundf (origin.y) - origin.y));
    }

  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (x0, y0, side, side));
  x0 += QUIET_ZONE * module;
  y0 += QUIET_ZONE * module;
  for (guint row = 0; row < self->size; row++)
    {
      const guint8 *line = self->dark + (gsize) row * self->size;

      for (guint col = 0; col < self->size; )
        {
          guint run = 0;

          if (!line[col])
            {
              col++;
              continue;
            }
          while (col + run < self->size && line[col + run])
            run++;
          gtk_snapshot_append_color (snapshot, &black,
                                     &GRAPHENE_RECT_INIT (x0 + (int) (col * module), y0 + (int) (row * module),
                                                          run * module, module));
          col += run;
        }
    }
  if (saved)
    gtk_snapshot_restore (snapshot);
}

static void
ks_qr_code_finalize (GObject *object)
{
  KsQrCode *self = KS_QR_CODE (object);

  g_free (self->text);
  g_free (self->dark);
  G_OBJECT_CLASS (ks_qr_code_parent_class)->finalize (object);
}

static void
ks_qr_code_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KsQrCode *self = KS_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_qr_code_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KsQrCode *self = KS_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      ks_qr_code_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_qr_code_class_init (KsQrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ks_qr_code_finalize;
  object_class->get_property = ks_qr_code_get_property;
  object_class->set_property = ks_qr_code_set_property;
  widget_class->measure = ks_qr_code_measure;
  widget_class->snapshot = ks_qr_code_snapshot;

  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "ks-qr-code");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ks_qr_code_init (KsQrCode *self)
{
}

GtkWidget *
ks_qr_code_new (void)
{
  return g_object_new (KS_TYPE_QR_CODE, NULL);
}

void
ks_qr_code_set_text (KsQrCode   *self,
                     const char *text)
{
  g_return_if_fail (KS_IS_QR_CODE (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  encode (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

const char *
ks_qr_code_get_text (KsQrCode *self)
{
  g_return_val_if_fail (KS_IS_QR_CODE (self), NULL);
  return self->text;
}

guint
ks_qr_code_get_modules (KsQrCode *self)
{
  g_return_val_if_fail (KS_IS_QR_CODE (self), 0);
  return self->size;
}

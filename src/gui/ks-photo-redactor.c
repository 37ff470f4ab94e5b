/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-redactor.c: drawing redaction rectangles over a photo (see
 * ks-photo-redactor.h). */
#define G_LOG_DOMAIN "ks-photo-redactor"

#include "config.h"
#include "ks-photo-redactor.h"

struct _KsPhotoRedactor
{
  GtkWidget   parent_instance;

  GdkTexture *texture;
  GArray     *rects;        /* int quadruples in the photo's pixels */
  gboolean    editable;
  gboolean    dragging;
  double      start_x, start_y, end_x, end_y;  /* widget coordinates of the drag */
};

G_DEFINE_FINAL_TYPE (KsPhotoRedactor, ks_photo_redactor, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Where the photo lies in the widget: scaled to fit, centred. */
static gboolean
placement (KsPhotoRedactor *self, double *ox, double *oy, double *scale)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  int iw, ih;

  if (self->texture == NULL || w <= 0 || h <= 0)
    return FALSE;
  iw = gdk_texture_get_width (self->texture);
  ih = gdk_texture_get_height (self->texture);
  *scale = MIN ((double) w / iw, (double) h / ih);
  *ox = (w - iw * *scale) / 2;
  *oy = (h - ih * *scale) / 2;
  return TRUE;
}

gboolean
ks_photo_redactor_widget_to_image (KsPhotoRedactor *self, double wx, double wy,
                                   double *ix, double *iy)
{
  double ox, oy, scale;

  g_return_val_if_fail (KS_IS_PHOTO_REDACTOR (self), FALSE);
  if (!placement (self, &ox, &oy, &scale))
    return FALSE;
  *ix = CLAMP ((wx - ox) / scale, 0, gdk_texture_get_width (self->texture));
  *iy = CLAMP ((wy - oy) / scale, 0, gdk_texture_get_height (self->texture));
  return wx >= ox && wy >= oy && (wx - ox) / scale <= gdk_texture_get_width (self->texture) &&
         (wy - oy) / scale <= gdk_texture_get_height (self->texture);
}

static void
fill (GtkSnapshot *snapshot, double x, double y, double w, double h, const GdkRGBA *colour)
{
  gtk_snapshot_append_color (snapshot, colour, &GRAPHENE_RECT_INIT (x, y, w, h));
}

static void
ks_photo_redactor_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  KsPhotoRedactor *self = KS_PHOTO_REDACTOR (widget);
  static const GdkRGBA black = { 0, 0, 0, 1 };
  static const GdkRGBA pending = { 0, 0, 0, 0.6 };
  double ox, oy, scale;

  if (!placement (self, &ox, &oy, &scale))
    return;
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT (ox, oy,
                                                    gdk_texture_get_width (self->texture) * scale,
                                                    gdk_texture_get_height (self->texture) * scale));
  for (guint i = 0; i < self->rects->len / 4; i++)
    {
      const int *r = &g_array_index (self->rects, int, 4 * i);

      fill (snapshot, ox + r[0] * scale, oy + r[1] * scale, r[2] * scale, r[3] * scale, &black);
    }
  if (self->dragging)
    fill (snapshot, MIN (self->start_x, self->end_x), MIN (self->start_y, self->end_y),
          ABS (self->end_x - self->start_x), ABS (self->end_y - self->start_y), &pending);
}

static void
ks_photo_redactor_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline,
                           int *natural_baseline)
{
  KsPhotoRedactor *self = KS_PHOTO_REDACTOR (widget);

  *minimum = 100;
  *natural = 100;
  if (self->texture != NULL)
    *natural = MAX (100, MIN (800, orientation == GTK_ORIENTATION_HORIZONTAL
                                   ? gdk_texture_get_width (self->texture)
                                   : gdk_texture_get_height (self->texture)));
}

void
ks_photo_redactor_add_rect (KsPhotoRedactor *self, int x, int y, int width, int height)
{
  int iw, ih, x1, y1;

  g_return_if_fail (KS_IS_PHOTO_REDACTOR (self));
  if (self->texture == NULL)
    return;
  iw = gdk_texture_get_width (self->texture);
  ih = gdk_texture_get_height (self->texture);
  x1 = MIN (x + width, iw);
  y1 = MIN (y + height, ih);
  x = MAX (x, 0);
  y = MAX (y, 0);
  if (x1 <= x || y1 <= y)
    return;
  g_array_append_vals (self->rects, (int[]) { x, y, x1 - x, y1 - y }, 4);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

void
ks_photo_redactor_clear (KsPhotoRedactor *self)
{
  g_return_if_fail (KS_IS_PHOTO_REDACTOR (self));
  g_array_set_size (self->rects, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

const int *
ks_photo_redactor_get_rects (KsPhotoRedactor *self, guint *n)
{
  g_return_val_if_fail (KS_IS_PHOTO_REDACTOR (self), NULL);
  *n = self->rects->len / 4;
  return (const int *) self->rects->data;
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, KsPhotoRedactor *self)
{
  double ix, iy;

  if (!self->editable || !ks_photo_redactor_widget_to_image (self, x, y, &ix, &iy))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragging = TRUE;
  self->start_x = self->end_x = x;
  self->start_y = self->end_y = y;
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, KsPhotoRedactor *self)
{
  if (!self->dragging)
    return;
  self->end_x = self->start_x + dx;
  self->end_y = self->start_y + dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, KsPhotoRedactor *self)
{
  double x0, y0, x1, y1;

  if (!self->dragging)
    return;
  self->dragging = FALSE;
  self->end_x = self->start_x + dx;
  self->end_y = self->start_y + dy;
  ks_photo_redactor_widget_to_image (self, MIN (self->start_x, self->end_x),
                                     MIN (self->start_y, self->end_y), &x0, &y0);
  ks_photo_redactor_widget_to_image (self, MAX (self->start_x, self->end_x),
                                     MAX (self->start_y, self->end_y), &x1, &y1);
  /* Outwards to whole pixels: the area drawn is all covered. */
  ks_photo_redactor_add_rect (self, (int) x0, (int) y0, (int) (x1 + 0.999) - (int) x0,
                              (int) (y1 + 0.999) - (int) y0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ks_photo_redactor_set_texture (KsPhotoRedactor *self, GdkTexture *texture)
{
  g_return_if_fail (KS_IS_PHOTO_REDACTOR (self));
  g_set_object (&self->texture, texture);
  g_array_set_size (self->rects, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

GdkTexture *
ks_photo_redactor_get_texture (KsPhotoRedactor *self)
{
  g_return_val_if_fail (KS_IS_PHOTO_REDACTOR (self), NULL);
  return self->texture;
}

void
ks_photo_redactor_set_editable (KsPhotoRedactor *self, gboolean editable)
{
  g_return_if_fail (KS_IS_PHOTO_REDACTOR (self));
  self->editable = editable;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), editable ? "crosshair" : NULL);
}

static void
ks_photo_redactor_finalize (GObject *object)
{
  KsPhotoRedactor *self = KS_PHOTO_REDACTOR (object);

  g_clear_object (&self->texture);
  g_array_unref (self->rects);
  G_OBJECT_CLASS (ks_photo_redactor_parent_class)->finalize (object);
}

static void
ks_photo_redactor_class_init (KsPhotoRedactorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ks_photo_redactor_finalize;
  widget_class->snapshot = ks_photo_redactor_snapshot;
  widget_class->measure = ks_photo_redactor_measure;
  /* The rectangles changed (added, cleared, or a new photo). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ks_photo_redactor_init (KsPhotoRedactor *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->rects = g_array_new (FALSE, FALSE, sizeof (int));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
ks_photo_redactor_new (void)
{
  return g_object_new (KS_TYPE_PHOTO_REDACTOR, NULL);
}

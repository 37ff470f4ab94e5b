/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-redactor.h: a photo shown large (scaled to fit), over which a moderator
 * draws rectangles with the pointer (press, drag, release) to cover faces and
 * number plates. Rectangles are kept in the photo's own pixels, as the server
 * fills them; each is drawn black, as it will look once saved. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KS_TYPE_PHOTO_REDACTOR (ks_photo_redactor_get_type ())
G_DECLARE_FINAL_TYPE (KsPhotoRedactor, ks_photo_redactor, KS, PHOTO_REDACTOR, GtkWidget)

GtkWidget  *ks_photo_redactor_new         (void);
void        ks_photo_redactor_set_texture (KsPhotoRedactor *self, GdkTexture *texture);
GdkTexture *ks_photo_redactor_get_texture (KsPhotoRedactor *self);
/* Whether rectangles can be drawn (moderators only). */
void        ks_photo_redactor_set_editable (KsPhotoRedactor *self, gboolean editable);
/* Adds a rectangle in the photo's pixels (clipped to it; ignored when empty). */
void        ks_photo_redactor_add_rect    (KsPhotoRedactor *self, int x, int y, int width,
                                           int height);
void        ks_photo_redactor_clear       (KsPhotoRedactor *self);
/* The rectangles: n quadruples (x, y, width, height), owned by the widget. */
const int  *ks_photo_redactor_get_rects   (KsPhotoRedactor *self, guint *n);
/* Where a point of the widget falls in the photo's pixels (FALSE off the photo). */
gboolean    ks_photo_redactor_widget_to_image (KsPhotoRedactor *self, double wx, double wy,
                                               double *ix, double *iy);

G_END_DECLS

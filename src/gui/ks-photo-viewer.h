/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-viewer.h: one photo of a report shown large. For staff who may moderate
 * it is also where a photo is redacted: draw rectangles, give a reason, Save (the
 * server covers them for everyone); and where a redacted photo's original is
 * restored. Both go through the outbox like every report action; the detail
 * shows the outcome. */
#pragma once

#include <adwaita.h>
#include "ks-report-detail.h"
#include "ks-photo-redactor.h"

G_BEGIN_DECLS

#define KS_TYPE_PHOTO_VIEWER (ks_photo_viewer_get_type ())
G_DECLARE_FINAL_TYPE (KsPhotoViewer, ks_photo_viewer, KS, PHOTO_VIEWER, AdwWindow)

/* url: the photo's address in the detail's "photos"; redacted: whether it is a
 * redacted one (its original can be restored). */
GtkWidget       *ks_photo_viewer_new          (KsReportDetail *detail, const char *url,
                                               gboolean redacted, GdkTexture *texture);
KsPhotoRedactor *ks_photo_viewer_get_redactor (KsPhotoViewer *self);

G_END_DECLS

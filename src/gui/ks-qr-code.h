/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-qr-code.h: a QR code (libqrencode) drawn crisply with a quiet zone. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KS_TYPE_QR_CODE (ks_qr_code_get_type ())
G_DECLARE_FINAL_TYPE (KsQrCode, ks_qr_code, KS, QR_CODE, GtkWidget)

GtkWidget  *ks_qr_code_new      (void);
/* The text to encode (NULL or "" draws nothing). Property "text". */
void        ks_qr_code_set_text (KsQrCode *self, const char *text);
const char *ks_qr_code_get_text (KsQrCode *self);
/* Modules per side, quiet zone not counted (0 when there is no code). */
guint       ks_qr_code_get_modules (KsQrCode *self);

G_END_DECLS

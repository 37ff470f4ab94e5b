/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-picker.h: "Add Photo…" for the dialogs that send a photo: picks a JPEG
 * or PNG file, shows its name, and checks its size and type before it is sent. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KS_TYPE_PHOTO_PICKER (ks_photo_picker_get_type ())
G_DECLARE_FINAL_TYPE (KsPhotoPicker, ks_photo_picker, KS, PHOTO_PICKER, GtkBox)

GtkWidget *ks_photo_picker_new       (void);
/* The chosen photo's bytes (checked), or NULL when none is chosen. */
GBytes    *ks_photo_picker_get_photo (KsPhotoPicker *self);
/* Loads a file as if it had been chosen (tests and drag and drop). */
void       ks_photo_picker_set_file  (KsPhotoPicker *self, GFile *file);

/* Limits a file chooser to JPEG and PNG images (what the server takes). */
void       ks_photo_picker_add_filter (GtkFileChooser *chooser);

G_END_DECLS

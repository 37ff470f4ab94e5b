/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-recovery-codes.h: two-factor recovery codes shown once, after they are made:
 * what they are for, the codes in two columns, and a button that copies them. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KS_TYPE_RECOVERY_CODES (ks_recovery_codes_get_type ())
G_DECLARE_FINAL_TYPE (KsRecoveryCodes, ks_recovery_codes, KS, RECOVERY_CODES, GtkWidget)

GtkWidget  *ks_recovery_codes_new       (void);
/* Shows codes (NULL-terminated; NULL: none). */
void        ks_recovery_codes_set_codes (KsRecoveryCodes *self, const char *const *codes);
/* The codes as they are copied: one a line. */
char       *ks_recovery_codes_get_text  (KsRecoveryCodes *self);
/* The code labels on screen, in order (tests). */
GList      *ks_recovery_codes_get_labels (KsRecoveryCodes *self);
/* Copies them to the clipboard, as the Copy button does. */
void        ks_recovery_codes_copy      (KsRecoveryCodes *self);

G_END_DECLS

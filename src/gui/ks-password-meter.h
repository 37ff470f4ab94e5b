/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-password-meter.h: a live strength meter for a new password (zxcvbn's
 * estimate through ks-password-policy.h): a level bar and the verdict's sentence. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KS_TYPE_PASSWORD_METER (ks_password_meter_get_type ())
G_DECLARE_FINAL_TYPE (KsPasswordMeter, ks_password_meter, KS, PASSWORD_METER, GtkWidget)

GtkWidget  *ks_password_meter_new            (void);
/* The person's own words (email, name), which a password must not lean on. */
void        ks_password_meter_set_user_words (KsPasswordMeter *self, const char * const *words);
/* The council's minimum length (the default when 0). */
void        ks_password_meter_set_min_length (KsPasswordMeter *self, guint min_length);
/* Checks the password and shows the verdict ("" or NULL: empty meter). */
void        ks_password_meter_set_password   (KsPasswordMeter *self, const char *password);

/* 0 (very weak) .. 4 (strong); -1 when empty. */
int         ks_password_meter_get_score      (KsPasswordMeter *self);
gboolean    ks_password_meter_get_acceptable (KsPasswordMeter *self);
/* The sentence shown under the bar. */
const char *ks_password_meter_get_text       (KsPasswordMeter *self);
double      ks_password_meter_get_level      (KsPasswordMeter *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-two-factor-setup.h: turning on two-factor authentication: a QR code of the
 * otpauth URI for an authenticator app, the key as text, and a code to confirm.
 * Used by the account window and by the mandatory setup at sign-in. */
#pragma once

#include <gtk/gtk.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_TWO_FACTOR_SETUP (ks_two_factor_setup_get_type ())
G_DECLARE_FINAL_TYPE (KsTwoFactorSetup, ks_two_factor_setup, KS, TWO_FACTOR_SETUP, GtkWidget)

GtkWidget  *ks_two_factor_setup_new         (void);
/* Asks the server for a new secret and shows it (NULL: forgets it). */
void        ks_two_factor_setup_set_session (KsTwoFactorSetup *self, KsSession *session);
/* Asks again for a new secret (after an error). */
void        ks_two_factor_setup_restart     (KsTwoFactorSetup *self);

/* First the password again ("password"; skipped just after signing in by
 * email), then "loading", "ready" or "failed"; "codes" once it is on. */
const char *ks_two_factor_setup_get_state   (KsTwoFactorSetup *self);
/* The server's otpauth:// URI and the base32 secret (NULL until ready). */
const char *ks_two_factor_setup_get_uri     (KsTwoFactorSetup *self);
const char *ks_two_factor_setup_get_secret  (KsTwoFactorSetup *self);
GtkWidget  *ks_two_factor_setup_get_qr_code (KsTwoFactorSetup *self);
/* Types the password, and goes on as Continue does (a wrong one comes back to
 * "password" with the server's sentence). */
void        ks_two_factor_setup_set_password (KsTwoFactorSetup *self, const char *password);
void        ks_two_factor_setup_continue     (KsTwoFactorSetup *self);
const char *ks_two_factor_setup_get_password_error (KsTwoFactorSetup *self);
/* Types a code and confirms it, as the person would. */
void        ks_two_factor_setup_set_code    (KsTwoFactorSetup *self, const char *code);
void        ks_two_factor_setup_submit      (KsTwoFactorSetup *self);
gboolean    ks_two_factor_setup_get_busy    (KsTwoFactorSetup *self);
/* The sentence shown under the code (NULL when none). */
const char *ks_two_factor_setup_get_error   (KsTwoFactorSetup *self);

/* After the code is taken: state "codes" shows the recovery codes once (a
 * KsRecoveryCodes); Done ("I have saved them") goes on. */
GtkWidget  *ks_two_factor_setup_get_recovery_codes (KsTwoFactorSetup *self);
void        ks_two_factor_setup_done        (KsTwoFactorSetup *self);

/* Signal "enabled": the server turned 2FA on (the session's /me is updated) and
 * the person saw the recovery codes. */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-account-window.h: "Your Account": name and email, password change with a
 * live strength meter, two-factor authentication, and the signed-in sessions. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_ACCOUNT_WINDOW (ks_account_window_get_type ())
G_DECLARE_FINAL_TYPE (KsAccountWindow, ks_account_window, KS, ACCOUNT_WINDOW, AdwPreferencesWindow)

GtkWidget  *ks_account_window_new                 (GtkWindow *parent, KsSession *session);

/* Parts and steps, for tests. */
void        ks_account_window_set_passwords       (KsAccountWindow *self, const char *current,
                                                   const char *new_password, const char *repeat);
/* Presses Change Password. */
void        ks_account_window_change_password     (KsAccountWindow *self);
gboolean    ks_account_window_get_busy            (KsAccountWindow *self);
/* FALSE for a while after signing in by email: a new password can then be
 * chosen without the current one (the Current Password row is hidden). */
gboolean    ks_account_window_get_needs_current_password (KsAccountWindow *self);
/* The sentence under the password fields (the server's when it refused), or NULL. */
const char *ks_account_window_get_password_error  (KsAccountWindow *self);
GtkWidget  *ks_account_window_get_password_meter  (KsAccountWindow *self);
/* Opens the "Turn On" dialog; returns its KsTwoFactorSetup. */
GtkWidget  *ks_account_window_turn_on_two_factor  (KsAccountWindow *self);
GtkWindow  *ks_account_window_get_two_factor_dialog (KsAccountWindow *self);
/* Opens the "Turn Off" dialog (when 2FA is on) and types the password and code
 * in it; returns the dialog, whose Turn Off response confirms. */
GtkWindow  *ks_account_window_turn_off_two_factor (KsAccountWindow *self, const char *password,
                                                   const char *code);
gboolean    ks_account_window_get_two_factor_on   (KsAccountWindow *self);
/* The "Recovery codes" row (its subtitle says how many are left). Opens "Get
 * New Recovery Codes?" and types the password; the dialog's "renew" response
 * confirms, then a dialog shows the new codes (a KsRecoveryCodes). */
GtkWidget  *ks_account_window_get_recovery_row    (KsAccountWindow *self);
GtkWindow  *ks_account_window_renew_recovery_codes (KsAccountWindow *self, const char *password);
GtkWindow  *ks_account_window_get_recovery_codes_dialog (KsAccountWindow *self);
GtkWidget  *ks_account_window_get_recovery_codes  (KsAccountWindow *self);
/* Rows in the sessions list (after it loaded), -1 while loading. */
int         ks_account_window_get_n_sessions      (KsAccountWindow *self);
void        ks_account_window_reload_sessions     (KsAccountWindow *self);
void        ks_account_window_show_page           (KsAccountWindow *self, const char *name);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-account.h: the signed-in person's own account (the /account endpoints):
 * two-factor authentication, password and sessions. These work while a sign-in
 * waits for 2FA setup too (ks_session_get_two_factor_setup_required()). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "ks-session.h"

G_BEGIN_DECLS

/* GET /me, passed to ks_session_update_me(). Finishes with the /me object. */
void        ks_account_refresh_async            (KsSession *session, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
JsonObject *ks_account_refresh_finish           (KsSession *session, GAsyncResult *result, GError **error);

/* A new TOTP secret, not active yet, after the password again (NULL: only just
 * after signing in by email, see ks_account_change_password_async()). Finishes
 * with {"secret", "otpauth_uri", "issuer", "account", "digits", "period"}. */
void        ks_account_two_factor_setup_async   (KsSession *session, const char *password,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
JsonObject *ks_account_two_factor_setup_finish  (KsSession *session, GAsyncResult *result, GError **error);

/* Turns 2FA on with a current code; the session's /me is updated (and a sign-in
 * that waited for the setup goes on). *out_recovery_codes (nullable): the
 * one-time recovery codes the server gave, in clear, shown only this once
 * (NULL-terminated; empty from a server without them). */
void        ks_account_two_factor_enable_async  (KsSession *session, const char *code,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean    ks_account_two_factor_enable_finish (KsSession *session, GAsyncResult *result,
                                                 char ***out_recovery_codes, GError **error);

/* New recovery codes in place of the old ones, with the password or a code (the
 * authenticator's or a recovery code; one of them non-NULL). The session's /me
 * is updated (its "recovery_codes_left"). Finishes with the new codes in clear
 * (NULL-terminated), to show once. */
void        ks_account_renew_recovery_codes_async  (KsSession *session, const char *password,
                                                    const char *code, GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
char      **ks_account_renew_recovery_codes_finish (KsSession *session, GAsyncResult *result,
                                                    GError **error);
/* How many unused recovery codes /me says the person has (0 with 2FA off). */
gint64      ks_account_recovery_codes_left       (KsSession *session);

/* Turns 2FA off with a current code and the password (refused when the council
 * requires it). */
void        ks_account_two_factor_disable_async  (KsSession *session, const char *code,
                                                  const char *password,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean    ks_account_two_factor_disable_finish (KsSession *session, GAsyncResult *result, GError **error);

/* Changes the password; the server signs out every other session. Errors carry
 * the server's sentence (a weak password, a wrong current password).
 * current_password NULL: only for a while after signing in by email (/me's
 * "password_reset_expires" is set), and only once. */
void        ks_account_change_password_async    (KsSession *session, const char *current_password,
                                                 const char *new_password, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean    ks_account_change_password_finish   (KsSession *session, GAsyncResult *result, GError **error);

/* The account's sessions: an array of {"id", "created", "last_used", "expires",
 * "address", "user_agent", "current"}. */
void        ks_account_list_sessions_async      (KsSession *session, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
JsonArray  *ks_account_list_sessions_finish     (KsSession *session, GAsyncResult *result, GError **error);

/* Signs one session out. */
void        ks_account_revoke_session_async     (KsSession *session, gint64 session_id,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean    ks_account_revoke_session_finish    (KsSession *session, GAsyncResult *result, GError **error);

/* Signs out every session but this one. *out_count (nullable): how many. */
void        ks_account_revoke_other_sessions_async  (KsSession *session, GCancellable *cancellable,
                                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean    ks_account_revoke_other_sessions_finish (KsSession *session, GAsyncResult *result,
                                                     guint *out_count, GError **error);

/* "Kerbside desktop app 0.1.0", "curl 7.88", "Web browser (Firefox)", ... from a
 * User-Agent; "Unknown app" for NULL or empty. */
char       *ks_account_describe_user_agent      (const char *user_agent);
/* "ABCD EFGH IJKL ..." : a base32 secret in groups of four. */
char       *ks_account_group_secret             (const char *secret);

G_END_DECLS

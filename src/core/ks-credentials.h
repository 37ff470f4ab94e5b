/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-credentials.h: the session token in the system keyring (libsecret).
 * Schema "org.kerbside.Kerbside.Token", attributes "server" and "email".
 * Only the session token is ever stored, never the password. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      ks_credentials_store_async   (const char          *server,
                                        const char          *email,
                                        const char          *token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  ks_credentials_store_finish  (GAsyncResult *result, GError **error);

/* Finishes with the token, or NULL and no error when none is stored. A keyring
 * that cannot be reached or stays locked gives KS_ERROR_KEYRING. */
void      ks_credentials_lookup_async  (const char          *server,
                                        const char          *email,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *ks_credentials_lookup_finish (GAsyncResult *result, GError **error);

void      ks_credentials_clear_async   (const char          *server,
                                        const char          *email,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  ks_credentials_clear_finish  (GAsyncResult *result, GError **error);

G_END_DECLS

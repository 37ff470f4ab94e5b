/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-loader.h: fetches a report's photo (on our server or another host)
 * and sends the session token only to our own server. */
#pragma once

#include <gio/gio.h>
#include "ks-client.h"

G_BEGIN_DECLS

#define KS_TYPE_PHOTO_LOADER (ks_photo_loader_get_type ())
G_DECLARE_FINAL_TYPE (KsPhotoLoader, ks_photo_loader, KS, PHOTO_LOADER, GObject)

KsPhotoLoader *ks_photo_loader_new         (void);

/* photo: a report's "photo" as the server gives it: a path on the server
 * ("/api/v1/media/...") or an http(s) address on another host. The client's
 * token is sent as "Authorization: Bearer" only when the address has the
 * client's own origin (scheme, host and port); never to another host. */
void           ks_photo_loader_load_async  (KsPhotoLoader       *self,
                                            KsClient            *client,
                                            const char          *photo,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* The photo's bytes as they came, or NULL with a KS_ERROR (G_IO_ERROR_CANCELLED
 * when cancelled) saying why. */
GBytes        *ks_photo_loader_load_finish (KsPhotoLoader  *self,
                                            GAsyncResult   *result,
                                            GError        **error);

/* Whether a and b are web addresses of one origin (scheme, host, port). */
gboolean       ks_photo_same_origin        (const char *a,
                                            const char *b);

G_END_DECLS

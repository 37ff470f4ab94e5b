/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-server.h: kerbside-server's HTTP front: listening, routing, the worker
 * pools, and a clean shutdown. */
#pragma once

#include <libsoup/soup.h>
#include "http/ks-router.h"
#include "http/ks-server-config.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

#define KS_TYPE_SERVER (ks_server_get_type ())
G_DECLARE_FINAL_TYPE (KsServer, ks_server, KS, SERVER, GObject)

/* Serves the routes of router (the server takes it over). */
KsServer             *ks_server_new         (const KsServerConfig *config,
                                             KsStore              *store,
                                             KsRouter             *router);
gboolean              ks_server_start       (KsServer *self, GError **error);
/* Stops taking new requests, waits for those in flight, then closes. */
void                  ks_server_shutdown    (KsServer *self, GCallback done, gpointer user_data);
guint                 ks_server_get_port    (KsServer *self);
const KsServerConfig *ks_server_get_config  (KsServer *self);
KsStore              *ks_server_get_store   (KsServer *self);
/* The routes it serves (a request that runs others, as a bulk action does). */
KsRouter             *ks_server_get_router  (KsServer *self);

G_END_DECLS

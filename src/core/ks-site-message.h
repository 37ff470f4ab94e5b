/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-site-message.h: the council's site message (a banner every member of its
 * staff sees) over the staff API, without widgets: read by anyone signed in,
 * set (with an optional end) and removed by administrators. The requests of a
 * platform operator name the council the client works in. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "ks-client.h"

G_BEGIN_DECLS

/* A site message as the server gives it ({"text", "until"}; until null or an
 * ISO time): its text (NULL when node is not one) and its end (0: none). */
const char *ks_site_message_text  (JsonNode *node);
gint64      ks_site_message_until (JsonNode *node);

/* GET: finishes with the message's node ({"text", "until"}) to unref, or a
 * null node when there is none; NULL with an error sentence. */
void        ks_site_message_get_async   (KsClient            *client,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* PUT: text, and until (unix seconds; 0 for none). Finishes with the message
 * as it now is. */
void        ks_site_message_set_async   (KsClient            *client,
                                         const char          *text,
                                         gint64               until,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* DELETE: finishes with a null node. */
void        ks_site_message_clear_async (KsClient            *client,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
JsonNode   *ks_site_message_finish      (KsClient            *client,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS

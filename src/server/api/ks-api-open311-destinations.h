/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-open311-destinations.h: a council's Open311 destinations (the admin kind
 * open311_destination, docs/api.md): what the generic admin handlers ask of it. */
#pragma once

#include "http/ks-request.h"
#include "store/ks-admin-kind.h"

G_BEGIN_DECLS

/* Reads "api_key" (a string, or null to remove the key) into row's api_key,
 * api_key_set and api_key_last4; answers 422 for an empty key, and for a new
 * name in an update (categories name the destination). */
gboolean ks_api_open311_destination_parse_key (KsRequest *req, JsonObject *obj, gboolean create,
                                               KsAdminRow *row);
/* A category's destination open311:NAME must name an active Open311 destination
 * of the council or an [open311 NAME] group of the configuration (422 otherwise);
 * other destinations pass. */
gboolean ks_api_open311_destination_check (KsRequest *req, gint64 body_id,
                                           const char *destination);

G_END_DECLS

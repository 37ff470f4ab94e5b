/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places.h: what the app asks the server about places and callers: the
 * council's gazetteer (GET /api/v1/places) and a caller's reports (GET
 * /api/v1/caller-reports). Neither is kept in the cache: while the server
 * cannot be reached they fail at once (KS_ERROR_UNAVAILABLE) with a sentence
 * to show, rather than wait. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "ks-session.h"

G_BEGIN_DECLS

/* The most places one search asks for. */
#define KS_PLACES_MAX 50

/* The places whose words begin with the words of text, best first: the
 * server's "places" array, each {"id", "kind" ("street", "postcode",
 * "place"), "name", "context", "lat", "lon"}. limit: 1 to KS_PLACES_MAX. Text
 * with no letter or digit finishes with an empty array without asking. */
void        ks_places_search_async        (KsSession           *session,
                                           const char          *text,
                                           guint                limit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
JsonArray  *ks_places_search_finish       (KsSession           *session,
                                           GAsyncResult        *result,
                                           GError             **error);

/* The reports of a caller, newest first: by "email", "phone", "name" or
 * "reference" (NULL: the server tells from the text). Finishes with the
 * server's answer {"by", "reports" (each in the list shape with "address" and
 * "reporter" {"name", "email", "phone"}), "next_cursor"}. Needs
 * create_report_on_behalf (the server audits each search). */
void        ks_places_find_caller_reports_async  (KsSession           *session,
                                                  const char          *text,
                                                  const char          *by,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonObject *ks_places_find_caller_reports_finish (KsSession           *session,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* "High Street, Oxford, OX1" from a place object (its name and context). */
char       *ks_places_describe            (JsonObject          *place);

G_END_DECLS

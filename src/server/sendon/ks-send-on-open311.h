/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on-open311.h: Kerbside as an Open311 client of a contractor's service
 * ([open311 NAME] of the configuration): POST requests.json with a report, and
 * GET servicerequestupdates.json for what the contractor did since. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include "http/ks-server-config.h"
#include "sendon/ks-send-on-config.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

typedef enum {
  KS_OPEN311_POSTED,         /* accepted: *out_remote_id is its service_request_id */
  KS_OPEN311_NOT_DELIVERED,  /* it did not reach the service, or the service failed (5xx):
                              * nothing was made there, try again later */
  KS_OPEN311_REFUSED,        /* the service refused it (4xx, or no id in its answer):
                              * sending again would not help */
  KS_OPEN311_ANSWER_LOST,    /* sent, but no answer came: it may have been made there */
} KsOpen311PostOutcome;

/* The form a report is POSTed with (from the store: report, location, category
 * code mapped to the service's, answers as attribute[CODE], photo link). FALSE on
 * a store error. */
gboolean ks_send_on_open311_form (const KsServerConfig *config, KsStore *store,
                                  const KsOpen311Endpoint *endpoint, gint64 report_id,
                                  char **out_form, GError **error);

/* POSTs form (application/x-www-form-urlencoded) to ENDPOINT/requests.json with
 * an Idempotency-Key header. *out_message: why, when not posted. */
KsOpen311PostOutcome ks_send_on_open311_post (SoupSession *session,
                                              const KsOpen311Endpoint *endpoint,
                                              const char *form, const char *idempotency_key,
                                              char **out_remote_id, char **out_message);

/* GETs ENDPOINT/servicerequestupdates.json from start to end (Unix times): the
 * array of request updates. */
JsonArray *ks_send_on_open311_updates (SoupSession *session,
                                       const KsOpen311Endpoint *endpoint,
                                       gint64 start, gint64 end, GError **error);

G_END_DECLS

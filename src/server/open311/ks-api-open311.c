/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-open311.c: Open311 GeoReport v2 with the servicerequestupdates extension,
 * in XML and JSON, at /open311/v2/; and the staff endpoints for API keys.
 *
 * Everything under /open311/ is public (no staff session): reads show only public
 * reports and updates and never personal data; writes need an API key of the
 * council (api_key), checked against the SHA-256 the store keeps.
 *
 * The files of open311/: ks-open311-services.c (discovery, services),
 * -requests.c, -updates.c, -status.c (the Open311 status mapping), -format.c
 * (XML or JSON answers, and errors), -context.c and -params.c (what every
 * handler reads and checks), -api-keys.c (staff endpoints). */
#define G_LOG_DOMAIN "ks-api-open311"

#include "api/ks-api.h"
#include "open311/ks-open311-private.h"

void
ks_api_open311_register (KsRouter *router)
{
  /* Open311 clients get every error in their own format, the server's too. */
  ks_router_add_group (router, "/open311", ks_api_open311_write_error);

  ks_open311_services_register (router);
  ks_open311_requests_register (router);
  ks_open311_updates_register (router);
  ks_open311_api_keys_register (router);
}

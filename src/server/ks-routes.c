/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-routes.c: the route table of kerbside-server, made of each area's own
 * registration (api/ and open311/; the order matters only where two patterns
 * could match one path). */
#define G_LOG_DOMAIN "ks-routes"

#include "ks-routes.h"
#include "api/ks-api.h"

void
ks_api_register_routes (KsRouter *router)
{
  ks_api_auth_register (router);
  ks_api_reports_register (router);
  ks_api_actions_register (router);
  ks_api_catalogue_register (router);
  ks_api_open311_destinations_register (router);
  ks_api_staff_register (router);
  ks_api_roles_register (router);
  ks_api_body_register (router);
  ks_api_dashboard_register (router);
  ks_api_audit_register (router);
  ks_api_account_register (router);
  ks_api_open311_register (router);
  ks_api_privacy_register (router);
  ks_api_media_register (router);
  ks_api_duplicates_register (router);
  ks_api_places_register (router);
  ks_api_callers_register (router);
  ks_api_states_register (router);
  ks_api_questionnaire_register (router);
  ks_api_retention_register (router);
  ks_api_abuse_register (router);
  ks_api_site_message_register (router);
  ks_api_hide_person_register (router);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api.h: the API areas. Each area (a file of api/ or open311/) registers its
 * own routes; ks_api_register_routes() (ks-routes.c) calls every registration. */
#pragma once

#include "http/ks-router.h"

G_BEGIN_DECLS

/* One area each: add a new area's registration here and in ks-routes.c. */
void ks_api_auth_register    (KsRouter *router);
void ks_api_reports_register (KsRouter *router);
void ks_api_actions_register (KsRouter *router);
void ks_api_catalogue_register (KsRouter *router);
void ks_api_open311_destinations_register (KsRouter *router);  /* a council's Open311 destinations */  /* categories, priorities, templates */
void ks_api_staff_register   (KsRouter *router);
void ks_api_roles_register   (KsRouter *router);
void ks_api_body_register    (KsRouter *router);    /* council settings */
void ks_api_dashboard_register (KsRouter *router);
void ks_api_audit_register   (KsRouter *router);
void ks_api_account_register (KsRouter *router);
void ks_api_open311_register (KsRouter *router);
void ks_api_privacy_register (KsRouter *router);
void ks_api_media_register   (KsRouter *router);
void ks_api_duplicates_register (KsRouter *router);  /* duplicates, nearby reports */
void ks_api_places_register  (KsRouter *router);    /* the gazetteer */
void ks_api_callers_register (KsRouter *router);    /* a caller's reports */
void ks_api_states_register  (KsRouter *router);    /* a council's own states */
void ks_api_questionnaire_register (KsRouter *router);  /* "was it fixed?" answers */
void ks_api_retention_register (KsRouter *router);  /* the retention job's dry run */
void ks_api_abuse_register (KsRouter *router);      /* the abuse list */
void ks_api_site_message_register (KsRouter *router);  /* the staff's banner */
void ks_api_hide_person_register (KsRouter *router);  /* hide everywhere */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-catalogue.c: the routes of the council's catalogue: categories,
 * priorities and reply templates, served by the generic admin handlers. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"

static void handle_list_categories (KsRequest *req) { ks_api_admin_list (req, KS_ADMIN_OBJECT_CATEGORY); }
static void handle_create_category (KsRequest *req) { ks_api_admin_create (req, KS_ADMIN_OBJECT_CATEGORY); }
static void handle_update_category (KsRequest *req) { ks_api_admin_update (req, KS_ADMIN_OBJECT_CATEGORY); }

static void handle_list_priorities (KsRequest *req) { ks_api_admin_list (req, KS_ADMIN_OBJECT_PRIORITY); }
static void handle_create_priority (KsRequest *req) { ks_api_admin_create (req, KS_ADMIN_OBJECT_PRIORITY); }
static void handle_update_priority (KsRequest *req) { ks_api_admin_update (req, KS_ADMIN_OBJECT_PRIORITY); }
static void handle_delete_priority (KsRequest *req) { ks_api_admin_delete (req, KS_ADMIN_OBJECT_PRIORITY); }

static void handle_create_template (KsRequest *req) { ks_api_admin_create (req, KS_ADMIN_OBJECT_TEMPLATE); }
static void handle_update_template (KsRequest *req) { ks_api_admin_update (req, KS_ADMIN_OBJECT_TEMPLATE); }
static void handle_delete_template (KsRequest *req) { ks_api_admin_delete (req, KS_ADMIN_OBJECT_TEMPLATE); }

static void handle_list_email_templates (KsRequest *req) { ks_api_admin_list (req, KS_ADMIN_OBJECT_EMAIL_TEMPLATE); }
static void handle_create_email_template (KsRequest *req) { ks_api_admin_create (req, KS_ADMIN_OBJECT_EMAIL_TEMPLATE); }
static void handle_update_email_template (KsRequest *req) { ks_api_admin_update (req, KS_ADMIN_OBJECT_EMAIL_TEMPLATE); }
static void handle_delete_email_template (KsRequest *req) { ks_api_admin_delete (req, KS_ADMIN_OBJECT_EMAIL_TEMPLATE); }

/* Templates are read by those who edit them and those who use them, for one
 * category (?category_id=: its own and those of none) or all. */
static void
handle_list_templates (KsRequest *req)
{
  KsAdminQuery q = KS_ADMIN_QUERY_INIT;
  gint64 body_id = 0;

  if (!ks_principal_can (&req->principal, KS_PERM_EDIT_TEMPLATES) &&
      !ks_request_require (req, KS_PERM_USE_TEMPLATES))
    return;
  if (!ks_api_request_body (req, FALSE, &body_id) ||
      !ks_request_query_int (req, "category_id", 1, G_MAXINT64, 0, &q.category_id))
    return;
  ks_api_admin_answer_list (req, KS_ADMIN_OBJECT_TEMPLATE, body_id, &q);
}

void
ks_api_catalogue_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/categories", 0, KS_PERM_NONE, handle_list_categories);
  ks_router_add (router, "POST", "/api/v1/categories", 0, KS_PERM_EDIT_CATEGORIES, handle_create_category);
  ks_router_add (router, "PATCH", "/api/v1/categories/{id}", 0, KS_PERM_EDIT_CATEGORIES, handle_update_category);

  ks_router_add (router, "GET", "/api/v1/priorities", 0, KS_PERM_NONE, handle_list_priorities);
  ks_router_add (router, "POST", "/api/v1/priorities", 0, KS_PERM_EDIT_PRIORITIES, handle_create_priority);
  ks_router_add (router, "PATCH", "/api/v1/priorities/{id}", 0, KS_PERM_EDIT_PRIORITIES, handle_update_priority);
  ks_router_add (router, "DELETE", "/api/v1/priorities/{id}", 0, KS_PERM_EDIT_PRIORITIES, handle_delete_priority);

  ks_router_add (router, "GET", "/api/v1/templates", 0, KS_PERM_NONE, handle_list_templates);
  ks_router_add (router, "POST", "/api/v1/templates", 0, KS_PERM_EDIT_TEMPLATES, handle_create_template);
  ks_router_add (router, "PATCH", "/api/v1/templates/{id}", 0, KS_PERM_EDIT_TEMPLATES, handle_update_template);
  ks_router_add (router, "DELETE", "/api/v1/templates/{id}", 0, KS_PERM_EDIT_TEMPLATES, handle_delete_template);

  /* The council's texts of the emails to residents (ks-notices.h). */
  ks_router_add (router, "GET", "/api/v1/email-templates", 0, KS_PERM_EDIT_TEMPLATES, handle_list_email_templates);
  ks_router_add (router, "POST", "/api/v1/email-templates", 0, KS_PERM_EDIT_TEMPLATES, handle_create_email_template);
  ks_router_add (router, "PATCH", "/api/v1/email-templates/{id}", 0, KS_PERM_EDIT_TEMPLATES, handle_update_email_template);
  ks_router_add (router, "DELETE", "/api/v1/email-templates/{id}", 0, KS_PERM_EDIT_TEMPLATES, handle_delete_email_template);
}

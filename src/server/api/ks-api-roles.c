/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-roles.c: the council's roles. The generic admin handlers serve them,
 * with two rules of their own: the four default roles keep their name and
 * permissions, and nobody takes away their own right to manage staff. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"

/* Loads the role; FALSE when answered. */
static gboolean
load_role (KsRequest  *req,
           gint64      id,
           KsAdminRow *role)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_admin_get (req->store, KS_ADMIN_OBJECT_ROLE, id, role, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

static void handle_list_roles (KsRequest *req) { ks_api_admin_list (req, KS_ADMIN_OBJECT_ROLE); }
static void handle_create_role (KsRequest *req) { ks_api_admin_create (req, KS_ADMIN_OBJECT_ROLE); }

static void
handle_update_role (KsRequest *req)
{
  const KsAdminKind *kind = ks_admin_kind (KS_ADMIN_OBJECT_ROLE);
  g_autoptr(GError) error = NULL;
  g_auto(KsAdminRow) role = { 0 };
  g_auto(KsAdminRow) in = { 0 };
  const KsAdminValue *name, *perms;
  const char *role_name;
  JsonObject *obj;
  gint64 id, body_id = 0;

  ks_admin_row_init (&in, kind);
  if (!ks_request_param_id (req, "id", &id) ||
      !ks_api_admin_find (req, KS_ADMIN_OBJECT_ROLE, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_api_admin_parse_row (req, obj, FALSE, &in) ||
      !load_role (req, id, &role))
    return;
  name = ks_admin_row_get (&in, "name");
  perms = ks_admin_row_get (&in, "permissions");
  role_name = ks_admin_row_get (&role, "name")->text;
  if (ks_admin_row_get (&role, "is_default")->number &&
      ((perms->set && perms->permissions != ks_admin_row_get (&role, "permissions")->permissions) ||
       (name->set && g_strcmp0 (name->text, role_name) != 0)))
    {
      ks_request_error (req, 422, "default_role",
                        "“%s” is one of the four default roles, whose name and permissions are "
                        "fixed. Create a custom role with the permissions you need instead.",
                        role_name);
      return;
    }
  if (!ks_api_admin_check_links (req, &in, body_id))
    return;
  if (!ks_store_admin_update (req->store, KS_ADMIN_OBJECT_ROLE, id, &in, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_api_admin_keeps_own_manage_staff (req) ||
      (ks_api_admin_changes_visibility (&in) &&
       !ks_api_admin_visibility_changed (req, body_id, 0)))
    return;
  ks_api_admin_audit_and_answer (req, KS_ADMIN_OBJECT_ROLE, kind->audit_update, obj, NULL, NULL,
                                 body_id, id, 200);
}

static void
handle_delete_role (KsRequest *req)
{
  const KsAdminKind *kind = ks_admin_kind (KS_ADMIN_OBJECT_ROLE);
  g_autoptr(GError) error = NULL;
  g_auto(KsAdminRow) role = { 0 };
  g_autofree char *details = NULL;
  const char *role_name;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !ks_api_admin_find (req, KS_ADMIN_OBJECT_ROLE, id, &body_id) ||
      !load_role (req, id, &role))
    return;
  role_name = ks_admin_row_get (&role, "name")->text;
  if (ks_admin_row_get (&role, "is_default")->number)
    {
      ks_request_error (req, 422, "default_role",
                        "“%s” is one of the four default roles, which cannot be deleted. "
                        "Take it away from staff instead.", role_name);
      return;
    }
  if (!ks_store_admin_remove (req->store, KS_ADMIN_OBJECT_ROLE, id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_api_admin_keeps_own_manage_staff (req) ||
      !ks_api_admin_visibility_changed (req, body_id, 0))
    return;
  details = ks_api_admin_name_details (role_name);
  if (!ks_request_audit (req, body_id, kind->audit_delete, kind->object_type, id, details))
    return;
  ks_request_no_content (req);
}

void
ks_api_roles_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/roles", 0, KS_PERM_MANAGE_STAFF, handle_list_roles);
  ks_router_add (router, "POST", "/api/v1/roles", 0, KS_PERM_MANAGE_STAFF, handle_create_role);
  ks_router_add (router, "PATCH", "/api/v1/roles/{id}", 0, KS_PERM_MANAGE_STAFF, handle_update_role);
  ks_router_add (router, "DELETE", "/api/v1/roles/{id}", 0, KS_PERM_MANAGE_STAFF, handle_delete_role);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-body.c: the council settings (two-factor rule, password length, photos per
 * report). */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"
#include "api/ks-wire-admin.h"
#include "api/ks-api-actions-private.h"
#include "ks-password-policy.h"

static void
answer_body (KsRequest *req,
             gint64     body_id)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsBodyRow) body = { 0 };
  KsJsonWriter w;

  if (!ks_store_admin_get_body (req->store, body_id, &body, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_wire_write_body (&w, &body);
}

static void
handle_get_body (KsRequest *req)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  answer_body (req, body_id);
}

static void
handle_update_body (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  JsonObject *obj;
  gint64 body_id = 0, min_length = -1, max_photos = 0;
  int require_2fa = -1;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_api_admin_get_flag (req, obj, "require_2fa", &require_2fa) ||
      !ks_request_get_int (req, obj, "password_min_length", FALSE, KS_PASSWORD_MIN_LENGTH_FLOOR,
                           64, &min_length) ||
      !ks_request_get_int (req, obj, "max_photos", FALSE, 1, KS_MAX_PHOTOS_LIMIT, &max_photos))
    return;
  if (!ks_store_admin_update_body (req->store, body_id, require_2fa, (int) min_length, &error) ||
      (max_photos > 0 &&
       !ks_store_photos_set_max_photos (req->store, body_id, (guint) max_photos, &error)))
    {
      ks_request_gerror (req, error);
      return;
    }
  details = ks_api_admin_changed_fields (obj, (const char *[]) { "require_2fa", "password_min_length",
                                                                "max_photos", NULL },
                            NULL, NULL);
  if (!ks_request_audit (req, body_id, "update_body", "body", body_id, details))
    return;
  answer_body (req, body_id);
}

void
ks_api_body_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/body", 0, KS_PERM_NONE, handle_get_body);
  ks_router_add (router, "PATCH", "/api/v1/body", 0, KS_PERM_MANAGE_STAFF, handle_update_body);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-staff.c: the council's staff accounts. The generic admin handlers read
 * and write them; what is their own: the email address (lowercased, never
 * changed), passwords (checked against the council's policy and hashed before
 * any transaction, bcrypt being slow), two-factor (only turned off here), and
 * nobody deactivating themselves or taking away their own right to manage staff. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"
#include "auth/ks-password-hash.h"
#include "http/ks-server-config.h"
#include "ks-password-policy.h"

/* Checks a new password against the council's policy (422 weak_password) and hashes
 * it. Runs before any transaction: bcrypt is slow. */
static char *
check_and_hash_password (KsRequest  *req,
                         gint64      body_id,
                         const char *password,
                         const char *email,
                         const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body_name = NULL;
  g_autofree char *body_area = NULL;
  const char *words[] = { email, name, NULL, NULL, NULL };
  KsPasswordVerdict verdict;
  guint min_length = KS_PASSWORD_MIN_LENGTH_DEFAULT;
  char *hash;

  if (body_id != 0 &&
      (!ks_store_admin_body_password_min_length (req->store, body_id, &min_length, &error) ||
       !ks_store_auth_body_names (req->store, body_id, &body_name, &body_area, &error)))
    {
      ks_request_gerror (req, error);
      return NULL;
    }
  words[2] = body_name;
  words[3] = body_name ? body_area : NULL;
  ks_password_check (password, min_length, words, &verdict);
  if (!verdict.acceptable)
    {
      ks_request_error (req, 422, "weak_password", "%s", verdict.reason);
      ks_password_verdict_clear (&verdict);
      return NULL;
    }
  ks_password_verdict_clear (&verdict);
  hash = ks_password_hash (password, req->config->bcrypt_cost, &error);
  if (hash == NULL)
    ks_request_gerror (req, error);
  return hash;
}

static void
handle_list_staff (KsRequest *req)
{
  KsAdminQuery q = KS_ADMIN_QUERY_INIT;
  const char *cursor = ks_request_query (req, "cursor");
  const char *active = ks_request_query (req, "active");
  gint64 body_id = 0, limit = 0;

  if (!ks_api_request_body (req, FALSE, &body_id) ||
      !ks_request_query_int (req, "limit", 1, KS_API_MAX_PAGE, KS_API_DEFAULT_PAGE, &limit))
    return;
  q.limit = limit;
  if (cursor != NULL)
    {
      guint64 v = 0;
      if (!g_ascii_string_to_unsigned (cursor, 10, 1, G_MAXINT64, &v, NULL))
        {
          ks_request_error (req, 422, "invalid",
                            "The cursor is not valid. Start again from the first page.");
          return;
        }
      q.after_id = (gint64) v;
    }
  if (active != NULL)
    {
      if (g_strcmp0 (active, "true") != 0 && g_strcmp0 (active, "false") != 0)
        {
          ks_request_error (req, 422, "invalid", "The parameter “active” must be true or false.");
          return;
        }
      q.active = g_strcmp0 (active, "true") == 0;
    }
  q.search = ks_request_query (req, "q");
  if (q.search != NULL && g_utf8_strlen (q.search, -1) > KS_API_MAX_NAME_LENGTH)
    {
      ks_request_error (req, 422, "invalid", "The search text is too long.");
      return;
    }
  if (!ks_request_audit (req, body_id, "list_staff", "user", 0, NULL))
    return;
  ks_api_admin_answer_list (req, KS_ADMIN_OBJECT_USER, body_id, &q);
}

static void
handle_get_staff (KsRequest *req)
{
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !ks_api_admin_find (req, KS_ADMIN_OBJECT_USER, id, &body_id))
    return;
  if (!ks_request_audit (req, body_id, "view_staff", "user", id, NULL))
    return;
  ks_api_admin_answer_object (req, 200, KS_ADMIN_OBJECT_USER, id);
}

static void
handle_create_staff (KsRequest *req)
{
  const KsAdminKind *kind = ks_admin_kind (KS_ADMIN_OBJECT_USER);
  g_autoptr(GError) error = NULL;
  g_auto(KsAdminRow) in = { 0 };
  g_autofree char *email = NULL, *hash = NULL;
  const char *raw_email = NULL, *password = NULL;
  JsonObject *obj;
  gint64 body_id = 0, id = 0;

  ks_admin_row_init (&in, kind);
  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_api_admin_target_body (req, obj, &body_id) ||
      !ks_api_admin_get_text (req, obj, "email", TRUE, KS_API_MAX_EMAIL_LENGTH, &raw_email) ||
      !ks_api_admin_parse_row (req, obj, TRUE, &in) ||
      !ks_request_get_string (req, obj, "password", FALSE, 1024, &password))
    return;
  email = g_strstrip (g_ascii_strdown (raw_email, -1));
  if (!ks_api_looks_like_email (email))
    {
      ks_request_error (req, 422, "invalid",
                        "The email address is not valid. Check it and try again.");
      return;
    }
  ks_admin_row_set_text (&in, "email", email);

  if (password != NULL &&
      (hash = check_and_hash_password (req, body_id, password, email,
                                       ks_admin_row_get (&in, "name")->text)) == NULL)
    return;
  if (hash != NULL)
    ks_admin_row_set_text (&in, "password", hash);

  if (!ks_api_admin_own_write_begin (req))
    return;
  if (!ks_api_admin_check_links (req, &in, body_id))
    ;
  else if (!ks_store_admin_create (req->store, KS_ADMIN_OBJECT_USER, body_id, &in, &id, &error))
    ks_request_gerror (req, error);
  else
    {
      /* The address by its hash, as every audit entry names one. */
      g_autofree char *address_hash = ks_privacy_address_hash (email);

      ks_api_admin_audit_and_answer (req, KS_ADMIN_OBJECT_USER, kind->audit_create, obj,
                                     "email_sha256", address_hash, body_id, id, 201);
    }
  ks_api_admin_own_write_finish (req);
}

static void
handle_update_staff (KsRequest *req)
{
  const KsAdminKind *kind = ks_admin_kind (KS_ADMIN_OBJECT_USER);
  g_autoptr(GError) error = NULL;
  g_auto(KsAdminRow) info = { 0 };
  g_auto(KsAdminRow) in = { 0 };
  g_autofree char *hash = NULL;
  const char *password = NULL, *name;
  gboolean self, two_factor = TRUE, deactivate;
  JsonObject *obj;
  gint64 id, body_id = 0, staff_body;

  ks_admin_row_init (&in, kind);
  if (!ks_request_param_id (req, "id", &id) ||
      !ks_api_admin_find (req, KS_ADMIN_OBJECT_USER, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_api_admin_parse_row (req, obj, FALSE, &in) ||
      !ks_request_get_string (req, obj, "password", FALSE, 1024, &password) ||
      !ks_request_get_bool (req, obj, "two_factor_enabled", FALSE, &two_factor))
    return;
  if (ks_request_member (req, obj, "email") != NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The email address of an account cannot be changed. Create a new "
                        "account for the new address and deactivate this one.");
      return;
    }
  if (two_factor)
    {
      if (ks_request_has (obj, "two_factor_enabled"))
        {
          ks_request_error (req, 422, "invalid",
                            "Staff turn two-factor authentication on themselves, from their "
                            "account page. Here it can only be turned off (false).");
          return;
        }
    }
  else
    ks_admin_row_set_number (&in, "two_factor_enabled", 0);

  self = id == req->principal.user_id;
  deactivate = ks_admin_row_get (&in, "active")->set && ks_admin_row_get (&in, "active")->number == 0;
  if (self && deactivate)
    {
      ks_request_error (req, 422, "invalid",
                        "You cannot deactivate your own account. Ask another administrator.");
      return;
    }
  if (!ks_store_admin_get (req->store, KS_ADMIN_OBJECT_USER, id, &info, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  staff_body = ks_admin_row_get (&info, "body_id")->number;
  name = ks_admin_row_get (&in, "name")->text;
  if (password != NULL &&
      (hash = check_and_hash_password (req, staff_body, password,
                                       ks_admin_row_get (&info, "email")->text,
                                       name ? name : ks_admin_row_get (&info, "name")->text)) == NULL)
    return;
  if (hash != NULL)
    ks_admin_row_set_text (&in, "password", hash);

  if (!ks_api_admin_own_write_begin (req))
    return;
  if (!ks_api_admin_check_links (req, &in, staff_body))
    ;
  else if (!ks_store_admin_update (req->store, KS_ADMIN_OBJECT_USER, id, &in, &error) ||
           ((deactivate || hash != NULL) &&
            !ks_store_auth_revoke_user_sessions (req->store, id,
                                                 self ? req->principal.session_id : 0, &error)))
    ks_request_gerror (req, error);
  else if (ks_api_admin_changes_visibility (&in) &&
           !ks_api_admin_visibility_changed (req, staff_body, 0))
    ;
  else if (!self || ks_api_admin_keeps_own_manage_staff (req))
    {
      ks_api_admin_audit_and_answer (req, KS_ADMIN_OBJECT_USER, kind->audit_update, obj,
                                     NULL, NULL, body_id, id, 200);
    }
  ks_api_admin_own_write_finish (req);
}

static void
handle_staff_logout_everywhere (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !ks_api_admin_find (req, KS_ADMIN_OBJECT_USER, id, &body_id))
    return;
  if (!ks_store_auth_revoke_user_sessions (req->store, id, 0, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_request_audit (req, body_id, "logout_everywhere", "user", id, NULL))
    return;
  ks_request_no_content (req);
}

void
ks_api_staff_register (KsRouter *router)
{
  const KsRouteFlags hashing = KS_ROUTE_SLOW | KS_ROUTE_NO_TXN;

  ks_router_add (router, "GET", "/api/v1/staff", 0, KS_PERM_MANAGE_STAFF, handle_list_staff);
  ks_router_add (router, "GET", "/api/v1/staff/{id}", 0, KS_PERM_MANAGE_STAFF, handle_get_staff);
  ks_router_add (router, "POST", "/api/v1/staff", hashing, KS_PERM_MANAGE_STAFF, handle_create_staff);
  ks_router_add (router, "PATCH", "/api/v1/staff/{id}", hashing, KS_PERM_MANAGE_STAFF, handle_update_staff);
  ks_router_add (router, "POST", "/api/v1/staff/{id}/logout-everywhere", 0, KS_PERM_MANAGE_STAFF,
                 handle_staff_logout_everywhere);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-api-keys.c: the staff endpoints for Open311 API keys (list, create,
 * revoke; manage_staff). */
#define G_LOG_DOMAIN "ks-open311-api-keys"

#include "open311/ks-open311-private.h"
#include "auth/ks-api-key.h"

/* ---------------------------------------------------------------------------
 * Staff: API keys (manage_staff)
 * ------------------------------------------------------------------------- */

static void
write_key (KsJsonWriter   *w,
           const KsApiKey *k)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", k->id);
  ks_json_writer_member_int (w, "body_id", k->body_id);
  ks_json_writer_member_string (w, "jurisdiction_id", k->body_slug);
  ks_json_writer_member_string (w, "name", k->name);
  ks_json_writer_member_timestamp (w, "created", k->created);
  ks_json_writer_member_timestamp (w, "revoked", k->revoked);
  ks_json_writer_member_timestamp (w, "last_used", k->last_used);
  ks_json_writer_member_bool (w, "notify_residents", k->notify_residents);
  ks_json_writer_end_object (w);
}

static void
handle_keys_list (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  gint64 body_id = req->principal.body_id;
  KsJsonWriter w;

  if (req->principal.is_superuser &&
      !ks_request_query_int (req, "body_id", 1, G_MAXINT64, 0, &body_id))
    return;
  if (!ks_store_open311_list_api_keys (req->store, body_id, &keys, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "api_keys");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < keys->len; i++)
    write_key (&w, g_ptr_array_index (keys, i));
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

static void
handle_keys_create (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsApiKey) key = { 0 };
  g_autofree char *token = NULL, *name = NULL;
  JsonObject *obj;
  const char *name_in = NULL;
  gint64 body_id = req->principal.body_id, id = 0;
  gboolean found = FALSE;
  KsJsonWriter w;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "name", TRUE, MAX_NAME, &name_in))
    return;
  if (req->principal.is_superuser)
    {
      if (!ks_request_get_int (req, obj, "body_id", TRUE, 1, G_MAXINT64, &body_id))
        return;
    }
  else if (ks_request_has (obj, "body_id"))
    {
      gint64 given = 0;
      if (!ks_request_get_int (req, obj, "body_id", FALSE, 1, G_MAXINT64, &given))
        return;
      if (given != body_id)
        {
          ks_request_error (req, 422, "invalid",
                            "You can only make API keys for your own council: leave body_id out.");
          return;
        }
    }
  name = g_strstrip (g_strdup (name_in));

  if (!ks_api_key_issue (req->store, &req->principal, NULL, body_id, name, &id, &token, &error) ||
      !ks_store_open311_get_api_key (req->store, id, &found, &key, &error))
    {
      if (error != NULL && error->domain == KS_ERROR && error->code == KS_ERROR_CONFLICT)
        ks_request_error (req, 422, "invalid", "There is no council with body_id %" G_GINT64_FORMAT
                          ": give the id of an existing council.", body_id);
      else
        ks_request_gerror (req, error);
      return;
    }

  ks_request_begin_json (req, 201, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "api_key");
  write_key (&w, &key);
  ks_json_writer_member_string (&w, "key", token);
  ks_json_writer_end_object (&w);
}

/* The key of the path's id, when it is one of the caller's council; answers 404
 * otherwise. */
static gboolean
load_key (KsRequest *req, KsApiKey *key)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;
  gint64 id;

  if (!ks_request_param_id (req, "id", &id))
    return FALSE;
  if (!ks_store_open311_get_api_key (req->store, id, &found, key, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!found || !ks_principal_in_body (&req->principal, key->body_id))
    {
      ks_request_error (req, 404, "not_found", "There is no API key %" G_GINT64_FORMAT
                        " in your council. Check the id in the list of keys.", id);
      return FALSE;
    }
  return TRUE;
}

static void
answer_key (KsRequest *req, const KsApiKey *key)
{
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "api_key");
  write_key (&w, key);
  ks_json_writer_end_object (&w);
}

/* PATCH {"notify_residents": bool}: whether the residents whose reports this
 * client sends in get Kerbside's emails (off: the client tells its own users). */
static void
handle_keys_update (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsApiKey) key = { 0 };
  JsonObject *obj;
  gboolean notify = FALSE;

  if (!load_key (req, &key) || (obj = ks_request_json_object (req)) == NULL)
    return;
  if (!ks_request_has (obj, "notify_residents"))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “notify_residents” (true or false) is required.");
      return;
    }
  if (!ks_request_get_bool (req, obj, "notify_residents", TRUE, &notify))
    return;
  if (!ks_api_key_set_notify_residents (req->store, &req->principal, NULL, &key, notify, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  answer_key (req, &key);
}

static void
handle_keys_revoke (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsApiKey) key = { 0 };

  if (!load_key (req, &key))
    return;
  if (!ks_api_key_revoke (req->store, &req->principal, NULL, &key, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  answer_key (req, &key);
}

void
ks_open311_api_keys_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/api-keys", 0, KS_PERM_MANAGE_STAFF, handle_keys_list);
  ks_router_add (router, "POST", "/api/v1/api-keys", 0, KS_PERM_MANAGE_STAFF, handle_keys_create);
  ks_router_add (router, "PATCH", "/api/v1/api-keys/{id}", 0, KS_PERM_MANAGE_STAFF,
                 handle_keys_update);
  ks_router_add (router, "DELETE", "/api/v1/api-keys/{id}", 0, KS_PERM_MANAGE_STAFF,
                 handle_keys_revoke);
}

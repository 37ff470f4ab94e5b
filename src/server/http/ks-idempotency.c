/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-idempotency.c: Idempotency-Key on writes (see ks-idempotency.h). */
#define G_LOG_DOMAIN "ks-server"

#include "http/ks-idempotency.h"
#include "ks-json-writer.h"

#include <string.h>

char *
ks_idempotency_request_hash (const char *method,
                             const char *path,
                             GBytes     *body)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 0;
  const guchar *data = body ? g_bytes_get_data (body, &len) : NULL;

  /* NUL-separated, so that no two requests give the same input. */
  g_checksum_update (sum, (const guchar *) method, strlen (method) + 1);
  g_checksum_update (sum, (const guchar *) path, strlen (path) + 1);
  if (data != NULL && len > 0)
    g_checksum_update (sum, data, len);
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
member_is_set (JsonObject *obj, const char *name)
{
  JsonNode *n = json_object_get_member (obj, name);
  return n != NULL && !JSON_NODE_HOLDS_NULL (n);
}

/* Collects the ids of the reports whose reporter's personal data the answer holds:
 * every object with a "reporter" object that has a name, email or phone. */
static void
find_personal (JsonNode *node, GArray *ids)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        find_personal (json_array_get_element (a, i), ids);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      JsonNode *rep = json_object_get_member (o, "reporter");
      g_autoptr(GList) members = NULL;

      if (rep != NULL && JSON_NODE_HOLDS_OBJECT (rep))
        {
          JsonObject *r = json_node_get_object (rep);
          if (member_is_set (r, "name") || member_is_set (r, "email") ||
              member_is_set (r, "phone"))
            {
              JsonNode *id = json_object_get_member (o, "id");
              gint64 v = id != NULL && JSON_NODE_HOLDS_VALUE (id) ? json_node_get_int (id) : 0;
              g_array_append_val (ids, v);
            }
        }
      members = json_object_get_values (o);
      for (GList *l = members; l != NULL; l = l->next)
        find_personal (l->data, ids);
    }
}

/* A replayed answer shows personal data again: audited as a view, like
 * GET /reports/{id}. FALSE (with the answer replaced by the error) when the audit
 * entry cannot be written. */
static gboolean
audit_replay (KsRequest *req, const char *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *details = NULL;

  if (response == NULL || strstr (response, "\"reporter\"") == NULL ||
      !json_parser_load_from_data (parser, response, -1, NULL))
    return TRUE;
  find_personal (json_parser_get_root (parser), ids);
  if (ids->len == 0)
    return TRUE;
  details = g_strdup_printf ("{\"replayed\":true,\"method\":\"%s\",\"reports\":%u}",
                             req->method, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < i && !seen; j++)
        seen = g_array_index (ids, gint64, j) == id;
      if (!seen && !ks_request_audit (req, 0, "view_personal_data", "report", id, details))
        return FALSE;
    }
  return TRUE;
}

gboolean
ks_idempotency_begin (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *method = NULL, *path = NULL, *hash = NULL, *response = NULL;
  g_autofree char *mine = NULL;
  guint status = 0;

  if (req->idempotency_key == NULL || req->principal.user_id == 0)
    return TRUE;
  if (!ks_store_idempotency_lookup (req->store, req->principal.user_id, req->idempotency_key,
                                    &method, &path, &hash, &status, &response, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (status == 0)
    return TRUE;
  ks_store_rollback (req->store);
  if (g_strcmp0 (method, req->method) != 0 || g_strcmp0 (path, req->path) != 0)
    {
      ks_request_error (req, 422, "idempotency_key_reused",
                        "This idempotency key was already used for a different request (%s %s). "
                        "Use a new key for each new action.", method, path);
      return FALSE;
    }
  mine = ks_idempotency_request_hash (req->method, req->path, req->body);
  if (hash != NULL && strcmp (hash, mine) != 0)
    {
      ks_request_error (req, 422, "idempotency_key_reused",
                        "This idempotency key was already used for %s %s with a different "
                        "body, and that change was made. Use a new key for each new change; "
                        "send the same key only to repeat exactly the same request.",
                        method, path);
      return FALSE;
    }
  g_string_assign (req->response, response);
  req->status = status;
  ks_request_add_header (req, "Idempotent-Replayed", "true");
  audit_replay (req, response);
  return FALSE;
}

gboolean
ks_idempotency_finish (KsRequest *req, GError **error)
{
  g_autofree char *hash = NULL;

  if (req->idempotency_key == NULL || req->principal.user_id == 0)
    return TRUE;
  hash = ks_idempotency_request_hash (req->method, req->path, req->body);
  return ks_store_idempotency_store (req->store, req->principal.user_id, req->idempotency_key,
                                     req->method, req->path, hash, req->status,
                                     req->response->str, error);
}

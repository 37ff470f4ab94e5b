/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin.c: the administration's calls to the staff API (see ks-admin.h). */
#define G_LOG_DOMAIN "ks-admin"

#include "ks-admin.h"
#include "ks-error.h"

#include <glib/gi18n.h>

static const struct {
  const char *id;
  const char *path;
  const char *list_key;
} collections[] = {
  [KS_ADMIN_STAFF]      = { "staff", "/api/v1/staff", "staff" },
  [KS_ADMIN_ROLES]      = { "roles", "/api/v1/roles", "roles" },
  [KS_ADMIN_CATEGORIES] = { "categories", "/api/v1/categories", "categories" },
  [KS_ADMIN_PRIORITIES] = { "priorities", "/api/v1/priorities", "priorities" },
  [KS_ADMIN_TEMPLATES]  = { "templates", "/api/v1/templates", "templates" },
  [KS_ADMIN_API_KEYS]   = { "api-keys", "/api/v1/api-keys", "api_keys" },
  [KS_ADMIN_STATES]     = { "states", "/api/v1/council-states", "states" },
  [KS_ADMIN_EMAIL_TEMPLATES] = { "email-templates", "/api/v1/email-templates", "email_templates" },
  [KS_ADMIN_COUNCILS]   = { "councils", "/api/v1/councils", "councils" },
  [KS_ADMIN_OPEN311_DESTINATIONS] = { "open311-destinations", "/api/v1/open311-destinations",
                                      "open311_destinations" },
};

const char *
ks_admin_collection_id (KsAdminCollection collection)
{
  g_return_val_if_fail (collection < KS_N_ADMIN_COLLECTIONS, NULL);
  return collections[collection].id;
}

gboolean
ks_admin_collection_from_id (const char        *id,
                             KsAdminCollection *out)
{
  for (guint c = 0; c < KS_N_ADMIN_COLLECTIONS; c++)
    if (g_strcmp0 (id, collections[c].id) == 0)
      {
        *out = c;
        return TRUE;
      }
  return FALSE;
}

/* The answer of a request becomes the task's result (a JsonNode). */
static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) error_body = NULL;
  GError *error = NULL;
  JsonNode *node = ks_client_request_finish (KS_CLIENT (source), result, &error_body, &error);

  if (node == NULL)
    {
      /* A refused value names its field: forms show the sentence beside it. */
      JsonObject *o = error_body && JSON_NODE_HOLDS_OBJECT (error_body) ? json_node_get_object (error_body) : NULL;
      JsonObject *e = o && json_object_has_member (o, "error") &&
                      JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "error"))
                      ? json_object_get_object_member (o, "error") : NULL;

      if (e != NULL && json_object_get_string_member_with_default (e, "field", NULL) != NULL)
        g_object_set_data_full (G_OBJECT (task), "ks-error-field",
                                g_strdup (json_object_get_string_member (e, "field")), g_free);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
call (KsClient            *client,
      gpointer             tag,
      gpointer             task_data,
      const char          *method,
      const char          *path,
      JsonNode            *body,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  g_autofree char *key = NULL;

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, task_data, NULL);
  if (g_strcmp0 (method, "GET") != 0)
    key = g_uuid_string_random ();
  ks_client_request_async (client, method, path, body, key, cancellable, on_answer, task);
}

void
ks_admin_list_async (KsClient            *client,
                     KsAdminCollection    collection,
                     const char          *search,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (collection < KS_N_ADMIN_COLLECTIONS);
  if (collection == KS_ADMIN_STAFF)
    {
      g_autofree char *escaped = g_uri_escape_string (search ? search : "", NULL, FALSE);

      path = g_strdup_printf ("%s?limit=200%s%s", collections[collection].path,
                              *escaped ? "&q=" : "", escaped);
    }
  else
    path = g_strdup (collections[collection].path);
  /* A platform operator's lists are those of the council they work in. */
  if (collection != KS_ADMIN_COUNCILS)
    {
      char *scoped = ks_client_council_path (client, path);
      g_free (path);
      path = scoped;
    }
  call (client, ks_admin_list_async, GUINT_TO_POINTER (collection), "GET", path, NULL,
        cancellable, callback, user_data);
}

JsonArray *
ks_admin_list_finish (KsClient      *client,
                      GAsyncResult  *result,
                      GError       **error)
{
  KsAdminCollection collection = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;
  JsonNode *items;

  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  node = g_task_propagate_pointer (G_TASK (result), error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      (obj = json_node_get_object (node)) == NULL ||
      (items = json_object_get_member (obj, collections[collection].list_key)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s",
                   _("The server sent an answer this app cannot read. Try again later."));
      return NULL;
    }
  /* Open311 destinations: the server configuration's groups come after the
   * council's own (each with "source": "config"), shown but not edited. */
  if (json_object_has_member (obj, "configured") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "configured")))
    {
      JsonArray *all = json_array_new ();
      JsonArray *parts[] = { json_node_get_array (items), json_object_get_array_member (obj, "configured") };

      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        for (guint i = 0; i < json_array_get_length (parts[p]); i++)
          json_array_add_element (all, json_node_copy (json_array_get_element (parts[p], i)));
      return all;
    }
  return json_array_ref (json_node_get_array (items));
}

void
ks_admin_create_async (KsClient            *client,
                       KsAdminCollection    collection,
                       JsonNode            *body,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonNode) scoped = NULL;

  g_return_if_fail (collection < KS_N_ADMIN_COLLECTIONS);
  /* A platform operator names the council a new object goes to. */
  if (collection != KS_ADMIN_COUNCILS && ks_client_get_council_id (client) > 0 &&
      body != NULL && JSON_NODE_HOLDS_OBJECT (body) &&
      !json_object_has_member (json_node_get_object (body), "body_id"))
    {
      scoped = json_node_copy (body);
      json_object_set_int_member (json_node_get_object (scoped), "body_id",
                                  ks_client_get_council_id (client));
      body = scoped;
    }
  call (client, ks_admin_change_finish, NULL, "POST", collections[collection].path, body,
        cancellable, callback, user_data);
}

/* PATCH or DELETE of one object of the collection. */
static void
change_one (KsClient            *client,
            KsAdminCollection    collection,
            const char          *method,
            gint64               id,
            JsonNode            *body,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (collection < KS_N_ADMIN_COLLECTIONS);
  path = g_strdup_printf ("%s/%" G_GINT64_FORMAT, collections[collection].path, id);
  call (client, ks_admin_change_finish, NULL, method, path, body, cancellable, callback,
        user_data);
}

void
ks_admin_update_async (KsClient            *client,
                       KsAdminCollection    collection,
                       gint64               id,
                       JsonNode            *body,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  change_one (client, collection, "PATCH", id, body, cancellable, callback, user_data);
}

void
ks_admin_delete_async (KsClient            *client,
                       KsAdminCollection    collection,
                       gint64               id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  change_one (client, collection, "DELETE", id, NULL, cancellable, callback, user_data);
}

void
ks_admin_sign_out_everywhere_async (KsClient            *client,
                                    gint64               staff_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = g_strdup_printf ("%s/%" G_GINT64_FORMAT "/logout-everywhere",
                                           collections[KS_ADMIN_STAFF].path, staff_id);

  call (client, ks_admin_change_finish, NULL, "POST", path, NULL, cancellable, callback,
        user_data);
}

void
ks_admin_get_council_async (KsClient            *client,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *path = ks_client_council_path (client, "/api/v1/body");

  call (client, ks_admin_change_finish, NULL, "GET", path, NULL, cancellable, callback,
        user_data);
}

void
ks_admin_update_council_async (KsClient            *client,
                               JsonNode            *body,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  gint64 council = ks_client_get_council_id (client);

  if (council > 0)
    change_one (client, KS_ADMIN_COUNCILS, "PATCH", council, body, cancellable, callback,
                user_data);
  else
    call (client, ks_admin_change_finish, NULL, "PATCH", "/api/v1/body", body, cancellable,
          callback, user_data);
}

JsonNode *
ks_admin_change_finish (KsClient      *client,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ks_admin_change_finish, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
ks_admin_error_field (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_object_get_data (G_OBJECT (result), "ks-error-field");
}

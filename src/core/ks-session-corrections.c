/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-corrections.c: correcting a report through the session: its
 * category, its location, its answers to the category's questions. Each is
 * applied to the cached report at once (what the app can know before the
 * server answers) and sent through the outbox, so it waits there when offline;
 * the server's answer (the new ward, the answers kept) replaces the guess. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"

static char *
report_path (gint64      report_id,
             const char *action)
{
  return g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/%s", report_id, action);
}

/* The answers as the wire's "attributes" array ({code, value} objects) from an
 * "attributes" object as the API takes it ({"CODE": value or [values]}); values
 * null or "" leave a question out. */
static JsonArray *
answers_array (JsonObject *attributes,
               JsonArray  *keep)
{
  JsonArray *out = json_array_new ();
  g_autoptr(GList) codes = attributes ? json_object_get_members (attributes) : NULL;

  /* The answers kept first (those not given again), then those given. */
  for (guint i = 0; keep != NULL && i < json_array_get_length (keep); i++)
    {
      JsonObject *a = json_array_get_object_element (keep, i);
      const char *code = a ? json_object_get_string_member_with_default (a, "code", NULL) : NULL;

      if (code != NULL && (attributes == NULL || !json_object_has_member (attributes, code)))
        json_array_add_object_element (out, json_object_ref (a));
    }
  for (GList *l = codes; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (attributes, l->data);
      g_autoptr(JsonArray) one = NULL;
      JsonArray *values;

      if (JSON_NODE_HOLDS_ARRAY (value))
        values = json_node_get_array (value);
      else
        {
          one = json_array_new ();
          json_array_add_element (one, json_node_copy (value));
          values = one;
        }
      for (guint i = 0; i < json_array_get_length (values); i++)
        {
          JsonNode *v = json_array_get_element (values, i);
          JsonObject *a;

          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING ||
              *json_node_get_string (v) == '\0')
            continue;
          a = json_object_new ();
          json_object_set_string_member (a, "code", l->data);
          json_object_set_string_member (a, "value", json_node_get_string (v));
          json_array_add_object_element (out, a);
        }
    }
  return out;
}

void
ks_session_change_category_async (KsSession           *self,
                                  gint64               report_id,
                                  gint64               category_id,
                                  JsonObject          *attributes,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "category");
  JsonObject *category;

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_int_member (body, "category_id", category_id);
  if (attributes != NULL)
    json_object_set_object_member (body, "attributes", json_object_ref (attributes));
  json_object_set_int_member (opt, "category_id", category_id);
  category = ks_session_find_by_id (ks_session_get_categories (self), category_id);
  if (category != NULL)
    {
      json_object_set_string_member (opt, "category",
                                     json_object_get_string_member_with_default (category, "name", ""));
      if (json_object_has_member (category, "group"))
        json_object_set_member (opt, "group",
                                json_node_copy (json_object_get_member (category, "group")));
    }
  ks_session_run_action (self, "category", report_id, "POST", path, body, TRUE, opt,
                                ks_session_change_category_async, cancellable, callback,
                                user_data);
}

void
ks_session_change_location_async (KsSession           *self,
                                  gint64               report_id,
                                  double               lat,
                                  double               lon,
                                  const char          *address,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "location");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_double_member (body, "lat", lat);
  json_object_set_double_member (body, "lon", lon);
  json_object_set_double_member (opt, "lat", lat);
  json_object_set_double_member (opt, "lon", lon);
  if (address != NULL && *address != '\0')
    {
      json_object_set_string_member (body, "address", address);
      json_object_set_string_member (opt, "address", address);
    }
  else if (address != NULL)
    {
      json_object_set_null_member (body, "address");
      json_object_set_null_member (opt, "address");
    }
  ks_session_run_action (self, "location", report_id, "POST", path, body, TRUE, opt,
                                ks_session_change_location_async, cancellable, callback,
                                user_data);
}

void
ks_session_set_attributes_async (KsSession           *self,
                                 gint64               report_id,
                                 JsonObject          *attributes,
                                 JsonArray           *current,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "attributes");

  g_return_if_fail (KS_IS_SESSION (self));
  g_return_if_fail (attributes != NULL);
  json_object_set_object_member (body, "attributes", json_object_ref (attributes));
  json_object_set_array_member (opt, "attributes", answers_array (attributes, current));
  ks_session_run_action (self, "attributes", report_id, "POST", path, body, TRUE, opt,
                                ks_session_set_attributes_async, cancellable, callback,
                                user_data);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bulk-result.c: a bulk action's answer, item by item. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-bulk-result.h"
#include "ks-error.h"

#include <string.h>

static const char *const names[KS_BULK_N_STATUS] = {
  "ok", "conflict", "forbidden", "not_found", "invalid"
};

const char *
ks_bulk_status_to_string (KsBulkStatus status)
{
  return status < KS_BULK_N_STATUS ? names[status] : "invalid";
}

static void
item_clear (gpointer data)
{
  KsBulkItem *item = data;
  g_free (item->message);
}

void
ks_bulk_result_free (KsBulkResult *result)
{
  if (result == NULL)
    return;
  g_free (result->action);
  g_array_unref (result->items);
  g_free (result);
}

KsBulkResult *
ks_bulk_result_new_from_json (JsonObject  *answer,
                              GError     **error)
{
  g_autoptr(KsBulkResult) result = g_new0 (KsBulkResult, 1);
  JsonArray *results;

  result->items = g_array_new (FALSE, TRUE, sizeof (KsBulkItem));
  g_array_set_clear_func (result->items, item_clear);
  if (answer == NULL || !json_object_has_member (answer, "results") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "results")))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The server sent an answer to the bulk action that the app cannot read. "
                   "Refresh the list to see what changed.");
      return NULL;
    }
  result->action = g_strdup (json_object_get_string_member_with_default (answer, "action", ""));
  results = json_object_get_array_member (answer, "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *n = json_array_get_element (results, i);
      JsonObject *o, *report;
      KsBulkItem item = { 0 };
      const char *status;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      o = json_node_get_object (n);
      item.id = json_object_get_int_member_with_default (o, "id", 0);
      status = json_object_get_string_member_with_default (o, "status", "invalid");
      item.status = KS_BULK_INVALID;
      for (guint s = 0; s < KS_BULK_N_STATUS; s++)
        if (strcmp (status, names[s]) == 0)
          item.status = s;
      if (json_object_has_member (o, "message"))
        item.message = g_strdup (json_object_get_string_member_with_default (o, "message", ""));
      if (json_object_has_member (o, "report") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "report")))
        {
          report = json_object_get_object_member (o, "report");
          item.version = json_object_get_int_member_with_default (report, "version", 0);
        }
      result->counts[item.status]++;
      g_array_append_val (result->items, item);
    }
  return g_steal_pointer (&result);
}

GArray *
ks_bulk_result_ids (const KsBulkResult *result,
                    KsBulkStatus        status)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < result->items->len; i++)
    {
      const KsBulkItem *item = &g_array_index (result->items, KsBulkItem, i);
      if (item->status == status)
        g_array_append_val (ids, item->id);
    }
  return ids;
}

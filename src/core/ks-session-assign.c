/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-assign.c: who does the work: assigning a report to a colleague's
 * shortlist, the names of those who can hold reports, and the order of the
 * user's own shortlist (read from the cache, reordered through the outbox, and
 * followed after each sync when it was reordered on another device). */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"
#include "ks-report-private.h"

JsonArray *
ks_session_get_assignees (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  return self->assignees;
}

const char *
ks_session_get_assignee_name (KsSession *self,
                              gint64     user_id)
{
  JsonObject *a;

  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  if (user_id <= 0)
    return NULL;
  a = ks_session_find_by_id (self->assignees, user_id);
  if (a != NULL && json_object_has_member (a, "name") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (a, "name")))
    return json_object_get_string_member (a, "name");
  if (user_id == self->user_id && self->user_name != NULL)
    return self->user_name;
  return NULL;
}

void
ks_session_assign_async (KsSession           *self,
                         gint64               report_id,
                         gint64               user_id,
                         gboolean             take,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_int_member (body, "report_id", report_id);
  if (user_id != self->user_id)
    json_object_set_int_member (body, "user_id", user_id);
  if (take)
    json_object_set_boolean_member (body, "take", TRUE);
  json_object_set_int_member (opt, "shortlist_user", user_id);
  /* At the end of their shortlist, as the server puts it. */
  json_object_set_null_member (opt, "shortlist_position");
  ks_session_run_action (self, user_id == self->user_id ? "shortlist_add" : "shortlist_assign",
                                report_id, "POST", "/api/v1/shortlist", body, FALSE, opt,
                                ks_session_assign_async, cancellable, callback, user_data);
}

typedef struct {
  gint64 id;
  gint64 position;   /* G_MAXINT64: not known yet (after the known ones) */
} Placed;

static int
cmp_placed (gconstpointer a, gconstpointer b)
{
  const Placed *x = a, *y = b;

  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

GArray *
ks_session_get_shortlist_ids (KsSession *self)
{
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  GArray *ids;
  GListModel *model;
  guint n;

  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  model = G_LIST_MODEL (self->store);
  n = model ? g_list_model_get_n_items (model) : 0;
  for (guint i = 0; i < n && self->user_id != 0; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      Placed p = { r->id, G_MAXINT64 };

      if (r->shortlist_user != self->user_id)
        continue;
      /* The position is in the report as last received (the sync's
       * shortlist_position, or the order set here). */
      if (self->cache != NULL)
        {
          g_autoptr(JsonObject) json = ks_cache_get_report_json (self->cache, r->id);
          JsonNode *pos = json ? json_object_get_member (json, "shortlist_position") : NULL;

          if (pos != NULL && JSON_NODE_HOLDS_VALUE (pos) && json_node_get_int (pos) > 0)
            p.position = json_node_get_int (pos);
        }
      g_array_append_val (placed, p);
    }
  g_array_sort (placed, cmp_placed);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), placed->len);
  for (guint i = 0; i < placed->len; i++)
    g_array_append_val (ids, g_array_index (placed, Placed, i).id);
  return ids;
}

void
ks_session_reorder_shortlist_async (KsSession           *self,
                                    const gint64        *report_ids,
                                    guint                n,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *ids = json_array_sized_new (n);

  g_return_if_fail (KS_IS_SESSION (self));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();

      json_array_add_int_element (ids, report_ids[i]);
      /* The new order at once, as the server will number it. */
      json_object_set_int_member (fields, "id", report_ids[i]);
      json_object_set_int_member (fields, "shortlist_position", i + 1);
      if (self->signed_in)
        ks_session_apply_report_fields (self, fields);
    }
  json_object_set_array_member (body, "report_ids", ids);
  ks_session_run_action (self, "shortlist_reorder", 0, "PUT", "/api/v1/shortlist", body,
                                FALSE, NULL, ks_session_reorder_shortlist_async, cancellable,
                                callback, user_data);
}

void
ks_session_follow_shortlist_order (KsSession *self)
{
  g_autoptr(GArray) ids = NULL;

  if (self->filter == NULL || ks_report_filter_get_sort (self->filter) != KS_REPORT_SORT_SHORTLIST)
    return;
  ids = ks_session_get_shortlist_ids (self);
  ks_report_filter_set_shortlist_order (self->filter, (const gint64 *) (gconstpointer) ids->data, ids->len);
}

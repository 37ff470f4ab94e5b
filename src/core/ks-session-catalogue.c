/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-catalogue.c: the session's reference lists (categories,
 * priorities, templates, states): fetched, cached, filtered by category, and
 * template texts filled in from a report. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-states.h"

#include <string.h>

/* Reference lists */

JsonArray *ks_session_get_categories (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->categories; }
JsonArray *ks_session_get_priorities (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->priorities; }
JsonArray *ks_session_get_templates (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->templates; }
JsonArray *ks_session_get_states (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->states; }

JsonObject *
ks_session_get_boundaries (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  return self->boundaries;
}

GPtrArray *
ks_session_get_ward_names (KsSession *self)
{
  GPtrArray *names = g_ptr_array_new ();
  JsonArray *wards;

  g_return_val_if_fail (KS_IS_SESSION (self), names);
  if (self->boundaries == NULL || !json_object_has_member (self->boundaries, "wards") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (self->boundaries, "wards")))
    return names;
  wards = json_object_get_array_member (self->boundaries, "wards");
  for (guint i = 0; i < json_array_get_length (wards); i++)
    {
      JsonNode *node = json_array_get_element (wards, i);
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      name = json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL);
      if (name != NULL && *name != '\0')
        g_ptr_array_add (names, (gpointer) g_intern_string (name));
    }
  return names;
}

/* The boundaries' answer: an object with "wards" and "body_id". */
static gboolean
is_boundaries (JsonNode *node)
{
  JsonObject *obj;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  obj = json_node_get_object (node);
  return json_object_has_member (obj, "body_id") && json_object_has_member (obj, "wards") &&
         JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "wards"));
}

/* Whether a list or the boundaries as fetched are what the session has
 * already (cached, or fetched before): then nothing that shows them is
 * filled again. At a start from the cache the lists arrive while the first
 * filters and searches are being made, and filling the filters' choices and
 * the list's columns again cost some 40-70 ms of the main thread at 500,000
 * reports. */
static gboolean
same_as (JsonNode *held,
         JsonNode *fetched)
{
  return held != NULL && json_node_equal (held, fetched);
}

/* Whether the boundaries changed. */
static gboolean
set_boundaries (KsSession *self,
                JsonNode  *node,
                gboolean   save)
{
  g_autoptr(JsonNode) held = NULL;

  if (self->boundaries != NULL)
    held = json_node_init_object (json_node_alloc (), self->boundaries);
  if (same_as (held, node))
    return FALSE;
  g_clear_pointer (&self->boundaries, json_object_unref);
  self->boundaries = json_object_ref (json_node_get_object (node));
  if (save && self->cache != NULL)
    {
      g_autofree char *text = json_to_string (node, FALSE);
      ks_cache_set_string (self->cache, "boundaries", text, NULL);
    }
  return TRUE;
}

/* "categories" can be a plain array or an object holding one. */
static JsonArray *
array_in (JsonNode   *node,
          const char *name)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      if (json_object_has_member (obj, name) && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, name)))
        return json_object_get_array_member (obj, name);
    }
  return NULL;
}

static JsonArray **
list_slot (KsSession  *self,
           const char *name)
{
  if (strcmp (name, "categories") == 0)
    return &self->categories;
  if (strcmp (name, "priorities") == 0)
    return &self->priorities;
  if (strcmp (name, "templates") == 0)
    return &self->templates;
  if (strcmp (name, "assignees") == 0)
    return &self->assignees;
  return &self->states;
}

static void
register_council_states (JsonArray *states)
{
  for (guint i = 0; i < json_array_get_length (states); i++)
    {
      JsonNode *node = json_array_get_element (states, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      KsState state = { 0 };

      if (o == NULL || json_object_get_int_member_with_default (o, "body_id", 0) == 0 ||
          !ks_state_kind_from_id (json_object_get_string_member_with_default (o, "kind", NULL),
                                  &state.kind))
        continue;
      state.id = json_object_get_string_member_with_default (o, "id", NULL);
      state.label = json_object_get_string_member_with_default (o, "label", NULL);
      state.colour = json_object_get_string_member_with_default (o, "colour", NULL);
      state.body_id = json_object_get_int_member (o, "body_id");
      state.inactive = !json_object_get_boolean_member_with_default (o, "active", TRUE);
      if (state.id != NULL && state.label != NULL)
        ks_states_register (&state);
    }
}

/* Whether the list changed. */
static gboolean
set_list (KsSession  *self,
          const char *name,
          JsonArray  *array,
          gboolean    save)
{
  JsonArray **slot = list_slot (self, name);
  g_autoptr(JsonNode) held = NULL;
  g_autoptr(JsonNode) fetched = json_node_init_array (json_node_alloc (), array);

  if (*slot != NULL)
    held = json_node_init_array (json_node_alloc (), *slot);
  if (same_as (held, fetched))
    return FALSE;

  /* The council's own states join the table of states that the filters, the
   * list, the map and Change State read. */
  if (g_strcmp0 (name, "states") == 0)
    register_council_states (array);
  g_clear_pointer (slot, json_array_unref);
  *slot = json_array_ref (array);
  if (save && self->cache != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);
      g_autofree char *text = json_to_string (node, FALSE);
      ks_cache_set_string (self->cache, name, text, NULL);
    }
  return TRUE;
}

void
ks_session_clear_lists (KsSession *self)
{
  static const char *const names[] = { "categories", "priorities", "templates", "states", "assignees" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonArray) empty = json_array_new ();
      set_list (self, names[i], empty, FALSE);
    }
  g_clear_pointer (&self->boundaries, json_object_unref);
}

void
ks_session_load_lists_from_cache (KsSession *self)
{
  static const char *const names[] = { "categories", "priorities", "templates", "states", "assignees" };
  g_autofree char *boundaries = ks_cache_get_string (self->cache, "boundaries");

  if (boundaries != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, boundaries, -1, NULL) &&
          is_boundaries (json_parser_get_root (parser)))
        set_boundaries (self, json_parser_get_root (parser), FALSE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *text = ks_cache_get_string (self->cache, names[i]);
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL))
        {
          JsonArray *array = array_in (json_parser_get_root (parser), names[i]);
          if (array != NULL)
            set_list (self, names[i], array, FALSE);
        }
    }
}

typedef struct {
  guint    pending;
  gboolean changed;
  GError  *error;
} ListsData;

static void
lists_data_free (ListsData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
list_done (GTask *task)
{
  KsSession *self = g_task_get_source_object (task);
  ListsData *data = g_task_get_task_data (task);

  if (--data->pending == 0)
    {
      /* Everything that shows the catalogue fills itself again if any list
       * changed (the filters on a first run, with nothing cached, get their
       * groups and priorities now). */
      if (data->changed)
        g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_LISTS_CHANGED], 0);
      if (data->error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
list_failed (KsClient *client,
             GTask    *task,
             GError   *failure,
             JsonNode *error_body)
{
  ListsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = failure;

  /* A role without an admin permission may not read every list: keep the rest. */
  if (data->error == NULL && !g_error_matches (error, KS_ERROR, KS_ERROR_FORBIDDEN) &&
      !g_error_matches (error, KS_ERROR, KS_ERROR_NOT_FOUND))
    data->error = g_steal_pointer (&error);
  list_done (task);
}

static void
list_answer (KsClient *client,
             GTask    *task,
             JsonNode *node)
{
  static const char *const names[] = { "categories", "priorities", "templates", "states", "assignees" };
  KsSession *self = g_task_get_source_object (task);
  ListsData *data = g_task_get_task_data (task);

  if (is_boundaries (node))
    {
      data->changed |= set_boundaries (self, node, TRUE);
      list_done (task);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonArray *array = array_in (node, names[i]);
      if (array != NULL)
        {
          data->changed |= set_list (self, names[i], array, TRUE);
          break;
        }
    }
  list_done (task);
}

void
ks_session_refresh_lists_async (KsSession           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  static const char *const paths[] = {
    "/api/v1/categories", "/api/v1/priorities", "/api/v1/templates", "/api/v1/states",
    "/api/v1/assignees", "/api/v1/boundaries"
  };
  g_autoptr(GTask) task = ks_client_task_new (self, ks_session_refresh_lists_async,
                                              cancellable, callback, user_data);
  ListsData *data = g_new0 (ListsData, 1);

  g_task_set_task_data (task, data, (GDestroyNotify) lists_data_free);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in first.");
      return;
    }
  data->pending = G_N_ELEMENTS (paths);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      /* A platform operator's lists are those of the council they work in. */
      g_autofree char *path = ks_client_council_path (self->client, paths[i]);
      ks_client_call_full (self->client, task, "GET", path, NULL, cancellable,
                           list_answer, list_failed);
    }
}

gboolean
ks_session_refresh_lists_finish (KsSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return ks_client_task_finish (self, result, error);
}

/* Whether a priority/template object applies to a category: no "categories"
 * (or "category_ids") list, or an empty one, means all of them. */
static gboolean
applies_to (JsonObject *obj,
            gint64      category_id)
{
  JsonArray *cats = NULL;

  if (json_object_has_member (obj, "categories") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "categories")))
    cats = json_object_get_array_member (obj, "categories");
  else if (json_object_has_member (obj, "category_ids") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "category_ids")))
    cats = json_object_get_array_member (obj, "category_ids");
  if (cats == NULL || json_array_get_length (cats) == 0)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (cats); i++)
    {
      JsonNode *n = json_array_get_element (cats, i);
      gint64 id = 0;
      if (JSON_NODE_HOLDS_VALUE (n))
        id = json_node_get_int (n);
      else if (JSON_NODE_HOLDS_OBJECT (n) && json_object_has_member (json_node_get_object (n), "id"))
        id = json_object_get_int_member (json_node_get_object (n), "id");
      if (id == category_id)
        return TRUE;
    }
  return FALSE;
}

static JsonArray *
filter_for_category (JsonArray *all,
                     gint64     category_id)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonNode *n = json_array_get_element (all, i);
      if (JSON_NODE_HOLDS_OBJECT (n) && applies_to (json_node_get_object (n), category_id))
        json_array_add_element (out, json_node_copy (n));
    }
  return out;
}

JsonArray *
ks_session_get_priorities_for_category (KsSession *self,
                                        gint64     category_id)
{
  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  return filter_for_category (self->priorities, category_id);
}

JsonArray *
ks_session_get_templates_for_category (KsSession *self,
                                       gint64     category_id)
{
  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  return filter_for_category (self->templates, category_id);
}

JsonObject *
ks_session_find_by_id (JsonArray *array,
            gint64     id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (n) &&
          json_object_has_member (json_node_get_object (n), "id") &&
          json_object_get_int_member (json_node_get_object (n), "id") == id)
        return json_node_get_object (n);
    }
  return NULL;
}

const char *
ks_session_get_priority_name (KsSession *self,
                              gint64     priority_id)
{
  JsonObject *p;

  g_return_val_if_fail (KS_IS_SESSION (self), "");
  p = priority_id > 0 ? ks_session_find_by_id (self->priorities, priority_id) : NULL;
  if (p != NULL && json_object_has_member (p, "name"))
    return json_object_get_string_member (p, "name");
  return "";
}
char *
ks_session_expand_template (KsSession  *self,
                            const char *text,
                            KsReport   *report)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  if (text == NULL)
    return g_strdup ("");
  out = g_string_new (NULL);
  for (p = text; *p; )
    {
      const char *end;
      if (p[0] == '{' && p[1] == '{' && (end = strstr (p + 2, "}}")) != NULL)
        {
          g_autofree char *name = g_strstrip (g_strndup (p + 2, end - p - 2));
          const char *value = NULL;
          const KsState *state;

          if (report != NULL && strcmp (name, "id") == 0)
            g_string_append_printf (out, "%" G_GINT64_FORMAT, report->id);
          else
            {
              if (report != NULL && strcmp (name, "title") == 0)
                value = report->title;
              else if (report != NULL && strcmp (name, "category") == 0)
                value = report->category;
              else if (report != NULL && strcmp (name, "ward") == 0)
                value = report->ward;
              else if (report != NULL && strcmp (name, "state") == 0)
                value = (state = ks_state_lookup (report->state)) ? state->label : report->state;
              else if (strcmp (name, "user") == 0)
                value = self->user_name;
              else if (strcmp (name, "council") == 0 && self->me != NULL &&
                       json_object_has_member (self->me, "body") &&
                       JSON_NODE_HOLDS_OBJECT (json_object_get_member (self->me, "body")))
                value = json_object_get_string_member (json_object_get_object_member (self->me, "body"), "name");
              g_string_append (out, value ? value : "");
            }
          p = end + 2;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}


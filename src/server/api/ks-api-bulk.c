/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-bulk.c: POST /api/v1/reports/bulk: one action (a state, a priority, a
 * template reply...) applied to many reports, each on its own version, answered
 * item by item.
 *
 * Each item runs the single action's own route (its permission, its handler, its
 * checks, its audit entry) as a request of its own, inside the bulk request's write
 * transaction and in a savepoint: an item that is refused (conflict, forbidden, not
 * found, invalid) is undone alone and never undoes the others. The items that
 * succeeded commit together at the end, with the idempotency record of the whole
 * request, so that a replay with the same Idempotency-Key answers the same results
 * and changes nothing more. A fault of the server itself (5xx) on any item answers
 * that error and changes nothing.
 *
 * A bad request (unknown action, a field the action does not take, malformed or
 * repeated items, too many) is refused as a whole before anything is written; so is
 * one whose every item is refused as invalid for the same reason (a state that does
 * not exist, a priority of another council...). */
#define G_LOG_DOMAIN "ks-api-bulk"

#include "api/ks-api-actions-private.h"
#include "api/ks-wire-report.h"
#include "http/ks-server.h"

#include <string.h>

/* The most reports one request may name: a whole council's open reports after a
 * storm, answered in a few seconds (docs/api.md). */
#define KS_BULK_MAX_ITEMS 5000

typedef struct {
  const char        *name;      /* "action" of the request */
  const char        *route;     /* the single action: POST /api/v1/reports/{id}/<route>, or
                                 * a path of its own that takes the report as "report_id" */
  const char *const *fields;    /* the members "params" may have */
  const char        *required;  /* one of them that must be given, or NULL */
} BulkAction;

/* A route of its own: its single action takes no "version", so the item's version
 * is checked first, with the actions' own step. */
#define OWN_PATH(route) ((route)[0] == '/')

static const char *const state_fields[] = { "state", "text", NULL };
static const char *const priority_fields[] = { "priority_id", NULL };
static const char *const template_fields[] = { "template_id", "public", NULL };
static const char *const acknowledge_fields[] = { "text", "template_id", NULL };
static const char *const assign_fields[] = { "user_id", "take", NULL };
static const char *const category_fields[] = { "category_id", "attributes", NULL };

static const BulkAction actions[] = {
  { "state",       "state",       state_fields,       "state" },
  { "priority",    "priority",    priority_fields,    "priority_id" },
  { "template",    "updates",     template_fields,    "template_id" },
  { "acknowledge", "acknowledge", acknowledge_fields, NULL },
  /* Onto a colleague's shortlist (or one's own without "user_id"). */
  { "assign",      "/api/v1/shortlist", assign_fields, NULL },
  /* A correction: the new category's questions applied to each report, as the
   * single correction does (update_status or moderate_report). */
  { "category",    "category",    category_fields,    "category_id" },
};

typedef enum {
  ITEM_OK,
  ITEM_CONFLICT,
  ITEM_FORBIDDEN,
  ITEM_NOT_FOUND,
  ITEM_INVALID,
  N_ITEM_STATUS
} ItemStatus;

static const char *const status_names[N_ITEM_STATUS] = {
  "ok", "conflict", "forbidden", "not_found", "invalid"
};

typedef struct {
  gint64      id;
  gint64      version;
  ItemStatus  status;
  char       *message;   /* why it was refused; NULL when it succeeded */
  char       *report;    /* the report's detail as JSON (as it is now), or NULL */
  gint64      detail_of; /* the report whose detail its answer gives, written at the end */
} Item;

static void
item_clear (gpointer data)
{
  Item *item = data;
  g_free (item->message);
  g_free (item->report);
}

static const BulkAction *
find_action (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (strcmp (actions[i].name, name) == 0)
      return &actions[i];
  return NULL;
}

static char *
action_names (void)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_string_append_printf (s, "%s“%s”", i ? ", " : "", actions[i].name);
  return g_string_free (s, FALSE);
}

/* "params": an object whose members the action takes; its JSON is returned. */
static char *
read_params (KsRequest        *req,
             JsonObject       *obj,
             const BulkAction *action)
{
  JsonNode *node = ks_request_member (req, obj, "params");
  JsonObject *params;
  JsonObjectIter it;
  const char *name;
  JsonNode *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (action->required != NULL)
        {
          ks_request_error (req, 422, "invalid",
                            "The action “%s” needs “params” with “%s”.", action->name,
                            action->required);
          return NULL;
        }
      return g_strdup ("{}");
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “params” must be an object: the fields of the single "
                        "action, without “version”.");
      return NULL;
    }
  params = json_node_get_object (node);
  json_object_iter_init (&it, params);
  while (json_object_iter_next (&it, &name, &value))
    {
      gboolean known = FALSE;

      if (strcmp (name, "version") == 0)
        {
          ks_request_error (req, 422, "invalid",
                            "Each item carries its own “version”: remove it from “params”.");
          return NULL;
        }
      for (guint i = 0; action->fields[i] != NULL && !known; i++)
        known = strcmp (action->fields[i], name) == 0;
      if (!known)
        {
          g_autofree char *shown = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 60));
          g_autofree char *taken = g_strjoinv ("”, “", (char **) action->fields);
          ks_request_error (req, 422, "unknown_field",
                            "The field “params.%s” is not one the action “%s” takes (it takes "
                            "“%s”). Remove it.", shown, action->name, taken);
          return NULL;
        }
    }
  if (action->required != NULL && !json_object_has_member (params, action->required))
    {
      ks_request_error (req, 422, "invalid",
                        "The action “%s” needs “params” with “%s”.", action->name,
                        action->required);
      return NULL;
    }
  return json_to_string (node, FALSE);
}

static gboolean
read_int_member (JsonObject *o,
                 const char *name,
                 gint64     *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return *out > 0;
}

/* "items": 1 to KS_BULK_MAX_ITEMS objects {"id", "version"}, each report once. */
static GArray *
read_items (KsRequest  *req,
            JsonObject *obj)
{
  JsonNode *node = ks_request_member (req, obj, "items");
  g_autoptr(GArray) items = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “items” is required: a list of {\"id\", \"version\"}, one "
                        "for each report.");
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    {
      ks_request_error (req, 422, "invalid", "The list “items” is empty: name at least one report.");
      return NULL;
    }
  if (n > KS_BULK_MAX_ITEMS)
    {
      ks_request_error (req, 422, "too_many",
                        "A bulk action takes at most %d reports; this one names %u. Split it "
                        "into several requests.", KS_BULK_MAX_ITEMS, n);
      return NULL;
    }

  items = g_array_sized_new (FALSE, TRUE, sizeof (Item), n);
  g_array_set_clear_func (items, item_clear);
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *o = e != NULL && JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      Item item = { 0 };

      if (o == NULL || json_object_get_size (o) != 2 ||
          !read_int_member (o, "id", &item.id) || !read_int_member (o, "version", &item.version))
        {
          ks_request_error (req, 422, "invalid",
                            "Item %u of “items” must be {\"id\": <report id>, \"version\": <the "
                            "version you saw>}, both positive whole numbers, and nothing else.",
                            i + 1);
          return NULL;
        }
      g_array_append_val (items, item);
      if (!g_hash_table_add (seen, &g_array_index (items, Item, i).id))
        {
          ks_request_error (req, 422, "invalid",
                            "The report %" G_GINT64_FORMAT " is named twice in “items”. Name "
                            "each report once.", item.id);
          return NULL;
        }
    }
  return g_steal_pointer (&items);
}

/* What an item's own request answered, as the item's result. FALSE when it is a
 * fault of the server (which ends the whole request). */
static gboolean
take_answer (KsRequest *sub,
             Item      *item)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = NULL, *error;
  JsonNode *report = NULL;

  switch (sub->status)
    {
    case 200: case 201: item->status = ITEM_OK; break;
    case 409: item->status = ITEM_CONFLICT; break;
    case 403: item->status = ITEM_FORBIDDEN; break;
    case 404: case 410: item->status = ITEM_NOT_FOUND; break;
    case 400: case 413: case 422: item->status = ITEM_INVALID; break;
    default: return FALSE;
    }

  /* The report's detail (a success's, or the current one of a conflict) is written
   * at the end, for all items at once. */
  if (item->status == ITEM_OK || item->status == ITEM_CONFLICT)
    item->detail_of = sub->detail_report;
  if (item->status == ITEM_OK && strcmp (sub->response->str, "{\"report\":null}") == 0)
    return TRUE;

  /* The usual success, {"report":<detail>}: taken as it is, without parsing. */
  if (item->status == ITEM_OK && g_str_has_prefix (sub->response->str, "{\"report\":{") &&
      sub->response->len > 12 && sub->response->str[sub->response->len - 1] == '}')
    {
      item->report = g_strndup (sub->response->str + 10, sub->response->len - 11);
      return TRUE;
    }

  if (json_parser_load_from_data (parser, sub->response->str, sub->response->len, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_get_object (json_parser_get_root (parser));
  if (root == NULL)
    return item->status != ITEM_OK;

  if (item->status == ITEM_OK)
    report = json_object_get_member (root, "report");
  else
    {
      error = json_object_get_object_member (root, "error");
      if (error != NULL && json_object_has_member (error, "message"))
        item->message = g_strdup (json_object_get_string_member (error, "message"));
      /* A conflict carries the report as it is now: retry on its version. */
      report = json_object_get_member (root, "current");
    }
  if (report != NULL && JSON_NODE_HOLDS_OBJECT (report))
    item->report = json_to_string (report, FALSE);
  return TRUE;
}

/* For a single action that takes no version: the report as the caller saw it,
 * or a 404/409 answer as the versioned actions give. */
static gboolean
check_version (KsRequest  *sub,
               const Item *item)
{
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(JsonObject) obj = json_object_new ();

  json_object_set_int_member (obj, "version", item->version);
  return ks_api_load_report (sub, item->id, &report) &&
         ks_action_check_version (sub, obj, TRUE, &report);
}

/* Runs the single action's route for one item, in the savepoint set before it
 * (kept and set again after a success, rolled back to after a refusal). FALSE,
 * with req's answer set, when the whole request must stop. */
static gboolean
run_item (KsRequest        *req,
          KsRouter         *router,
          const BulkAction *action,
          const char       *params_json,
          Item             *item)
{
  g_autoptr(GError) error = NULL;
  KsRequest *sub = ks_request_new ();
  const KsRoute *route;
  gboolean path_known = FALSE, ok, done;
  char *body;

  sub->server = req->server;
  sub->config = req->config;
  sub->store = req->store;
  sub->method = g_strdup ("POST");
  sub->path = OWN_PATH (action->route)
    ? g_strdup (action->route)
    : g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/%s", item->id, action->route);
  sub->content_type = g_strdup ("application/json");
  sub->user_agent = g_strdup (req->user_agent);
  /* Borrowed: given back before the item's request is freed. */
  sub->principal = req->principal;
  sub->detail_deferred = TRUE;
  if (OWN_PATH (action->route))
    body = strcmp (params_json, "{}") == 0
      ? g_strdup_printf ("{\"report_id\":%" G_GINT64_FORMAT "}", item->id)
      : g_strdup_printf ("{\"report_id\":%" G_GINT64_FORMAT ",%s", item->id, params_json + 1);
  else
    body = strcmp (params_json, "{}") == 0
      ? g_strdup_printf ("{\"version\":%" G_GINT64_FORMAT "}", item->version)
      : g_strdup_printf ("{\"version\":%" G_GINT64_FORMAT ",%s", item->version, params_json + 1);
  sub->body = g_bytes_new_take (body, strlen (body));

  route = ks_router_match (router, "POST", sub->path, sub->params, &path_known);
  if (route == NULL)
    {
      g_warning ("bulk action %s: no route %s", action->name, sub->path);
      ks_request_error (req, 500, "internal", "The server could not answer this request.");
      ok = FALSE;
      goto out;
    }

  ks_request_set_current (sub);
  if ((route->permission == KS_PERM_NONE || ks_request_require (sub, route->permission)) &&
      (!OWN_PATH (action->route) || check_version (sub, item)))
    route->handler (sub);
  if (sub->status >= 200 && sub->status < 300)
    ks_request_check_fields (sub);
  ks_request_set_current (req);
  if (sub->status == 0)
    ks_request_error (sub, 500, "internal", "The server could not answer this request.");

  done = sub->status >= 200 && sub->status < 300;
  if (!ks_store_savepoint (req->store, done ? KS_SAVEPOINT_KEEP : KS_SAVEPOINT_UNDO, &error))
    {
      ks_request_gerror (req, error);
      ok = FALSE;
      goto out;
    }

  ok = take_answer (sub, item);
  if (!ok)
    {
      /* The database away, or worse: answer what the item met, and write nothing. */
      req->status = sub->status;
      g_string_assign (req->response, sub->response->str);
      for (guint i = 0; i + 1 < sub->response_headers->len; i += 2)
        ks_request_add_header (req, g_ptr_array_index (sub->response_headers, i),
                               g_ptr_array_index (sub->response_headers, i + 1));
    }

out:
  memset (&sub->principal, 0, sizeof sub->principal);
  ks_request_free (sub);
  return ok;
}

/* The detail of each item's report, as it is once every item was applied: read for
 * all of them at once (a few queries in all, not a few per report), then written. */
static gboolean
write_details (KsRequest *req,
               GArray    *items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);
  g_autoptr(GString) json = g_string_new (NULL);
  gboolean ok = TRUE;

  for (guint i = 0; i < items->len; i++)
    if (g_array_index (items, Item, i).detail_of > 0)
      g_array_append_val (ids, g_array_index (items, Item, i).detail_of);
  if (!ks_store_reports_read_ahead (req->store, (const gint64 *) ids->data, ids->len, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  for (guint i = 0; i < items->len && ok; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      KsJsonWriter w;

      if (item->detail_of <= 0)
        continue;
      g_string_truncate (json, 0);
      ks_json_writer_init (&w, json);
      if (ks_wire_report_write_detail (req->store, &req->principal, item->detail_of, &w, NULL,
                                       NULL, &error))
        item->report = g_strndup (json->str, json->len);
      else if (g_error_matches (error, KS_ERROR, KS_ERROR_NOT_FOUND))
        g_clear_error (&error);   /* no longer to be seen: the result says so without it */
      else
        {
          ks_request_gerror (req, error);
          ok = FALSE;
        }
    }
  ks_store_reports_forget_ahead (req->store);
  return ok;
}

/* Every item refused as invalid, for one reason: the request itself is. */
static gboolean
all_invalid_alike (GArray *items)
{
  const Item *first = &g_array_index (items, Item, 0);

  for (guint i = 0; i < items->len; i++)
    {
      const Item *item = &g_array_index (items, Item, i);
      if (item->status != ITEM_INVALID || g_strcmp0 (item->message, first->message) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
handle_bulk (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = NULL;
  g_autofree char *params_json = NULL;
  const BulkAction *action;
  KsRouter *router = ks_server_get_router (req->server);
  guint counts[N_ITEM_STATUS] = { 0 };
  const char *name = NULL;
  JsonObject *obj;
  KsJsonWriter w;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "action", TRUE, 40, &name))
    return;
  if ((action = find_action (name)) == NULL)
    {
      g_autofree char *known = action_names ();
      ks_request_error (req, 422, "invalid",
                        "There is no bulk action “%s”. Choose one of %s.", name, known);
      return;
    }
  if ((params_json = read_params (req, obj, action)) == NULL ||
      (items = read_items (req, obj)) == NULL)
    return;

  if (!ks_store_savepoint (req->store, KS_SAVEPOINT_BEGIN, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      if (!run_item (req, router, action, params_json, item))
        return;
      counts[item->status]++;
    }
  if (!ks_store_savepoint (req->store, KS_SAVEPOINT_END, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!write_details (req, items))
    return;

  if (all_invalid_alike (items))
    {
      const Item *first = &g_array_index (items, Item, 0);
      ks_request_error (req, 422, "invalid", "%s",
                        first->message ? first->message : "The request is not valid.");
      return;
    }

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "action", action->name);
  ks_json_writer_key (&w, "counts");
  ks_json_writer_begin_object (&w);
  for (guint s = 0; s < N_ITEM_STATUS; s++)
    ks_json_writer_member_int (&w, status_names[s], counts[s]);
  ks_json_writer_end_object (&w);
  ks_json_writer_key (&w, "results");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < items->len; i++)
    {
      const Item *item = &g_array_index (items, Item, i);

      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "id", item->id);
      ks_json_writer_member_string (&w, "status", status_names[item->status]);
      if (item->message != NULL)
        ks_json_writer_member_string (&w, "message", item->message);
      if (item->report != NULL)
        {
          ks_json_writer_key (&w, "report");
          ks_json_writer_raw (&w, item->report);
        }
      ks_json_writer_end_object (&w);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

void
ks_api_bulk_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports/bulk", 0, KS_PERM_NONE, handle_bulk);
}

/* ks-api-admin.c: the admin part of the staff API: categories, priorities,
 * templates, staff accounts, roles, council settings, dashboard and audit log. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "http/ks-idempotency.h"
#include "http/ks-router.h"
#include "api/ks-api-util.h"
#include "http/ks-server-config.h"
#include "auth/ks-password-hash.h"
#include "ks-password-policy.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

#define MAX_NAME_LENGTH        200
#define MAX_CODE_LENGTH        64
#define MAX_TEXT_LENGTH        8000
#define MAX_EMAIL_LENGTH       254
#define MAX_GROUPS             20
#define MAX_GROUP_LENGTH       100
#define MAX_IDS                1000
#define MAX_QUESTIONS          100
#define MAX_VALUES             500
#define MAX_RESPONSE_HOURS     (24 * 366)
#define MAX_POSITION           1000000
#define MAX_PAGE               200
#define DEFAULT_PAGE           50

/* Request helpers */

/* The council a new object goes to: the staff member's own; platform operators
 * name it with "body_id" in the body. */
static gboolean
target_body (KsRequest  *req,
             JsonObject *obj,
             gint64     *out)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0, unused = 0;

  if (!req->principal.is_superuser)
    {
      *out = req->principal.body_id;
      return TRUE;
    }
  if (!ks_request_get_int (req, obj, "body_id", TRUE, 1, G_MAXINT64, &body_id))
    return FALSE;
  if (!ks_store_admin_object_body (req->store, KS_ADMIN_OBJECT_BODY, body_id, &unused, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  *out = body_id;
  return TRUE;
}

/* The object must exist and belong to the principal's council (404 otherwise,
 * so that other councils' objects are not revealed). */
static gboolean
find_object (KsRequest     *req,
             KsAdminObject  kind,
             gint64         id,
             gint64        *out_body_id)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0;

  if (!ks_store_admin_object_body (req->store, kind, id, &body_id, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!ks_principal_in_body (&req->principal, body_id))
    {
      static const char *nouns[] = {
        [KS_ADMIN_OBJECT_BODY] = "council", [KS_ADMIN_OBJECT_CATEGORY] = "category",
        [KS_ADMIN_OBJECT_PRIORITY] = "priority", [KS_ADMIN_OBJECT_TEMPLATE] = "template",
        [KS_ADMIN_OBJECT_ROLE] = "role", [KS_ADMIN_OBJECT_USER] = "staff account",
      };
      ks_request_error (req, 404, "not_found",
                        "There is no such %s. It may have been deleted: reload the list.",
                        nouns[kind]);
      return FALSE;
    }
  if (out_body_id)
    *out_body_id = body_id;
  return TRUE;
}

/* A string member that, when present, must not be blank. */
static gboolean
get_text (KsRequest   *req,
          JsonObject  *obj,
          const char  *name,
          gboolean     required,
          gsize        max_len,
          const char **out)
{
  const char *s = NULL;

  if (!ks_request_get_string (req, obj, name, required, max_len, &s))
    return FALSE;
  if (s != NULL && ks_api_is_blank (s))
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must not be empty.", name);
      return FALSE;
    }
  if (s != NULL)
    *out = s;
  return TRUE;
}

/* A member that may be null (to clear it): *set tells whether it was given. */
static gboolean
get_nullable_string (KsRequest   *req,
                     JsonObject  *obj,
                     const char  *name,
                     gsize        max_len,
                     gboolean    *set,
                     const char **out)
{
  JsonNode *n = ks_request_member (req, obj, name);

  *set = n != NULL;
  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  return ks_request_get_string (req, obj, name, FALSE, max_len, out);
}

static gboolean
get_flag (KsRequest  *req,
          JsonObject *obj,
          const char *name,
          int        *out)
{
  gboolean v = FALSE;

  *out = -1;
  if (!ks_request_has (obj, name))
    return TRUE;
  if (!ks_request_get_bool (req, obj, name, FALSE, &v))
    return FALSE;
  *out = v ? 1 : 0;
  return TRUE;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* An array of positive ids (duplicates dropped); *out stays NULL when absent. */
static gboolean
get_id_array (KsRequest   *req,
              JsonObject  *obj,
              const char  *name,
              GArray     **out)
{
  JsonNode *n = ks_request_member (req, obj, name);
  g_autoptr(GArray) ids = NULL;
  JsonArray *array;
  guint len;

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must be a list of ids.", name);
      return FALSE;
    }
  array = json_node_get_array (n);
  len = json_array_get_length (array);
  if (len > MAX_IDS)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” has too many ids (at most %d).",
                        name, MAX_IDS);
      return FALSE;
    }
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), len);
  for (guint i = 0; i < len; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64 ||
          (id = json_node_get_int (e)) <= 0)
        {
          ks_request_error (req, 422, "invalid",
                            "The field “%s” must be a list of ids (positive whole numbers).", name);
          return FALSE;
        }
      g_array_append_val (ids, id);
    }
  g_array_sort (ids, compare_ids);
  for (guint i = 1; i < ids->len; )
    if (g_array_index (ids, gint64, i) == g_array_index (ids, gint64, i - 1))
      g_array_remove_index (ids, i);
    else
      i++;
  *out = g_steal_pointer (&ids);
  return TRUE;
}

/* An array of permission ids ("view_report", ...): unknown ones answer 422. */
static gboolean
get_permissions (KsRequest       *req,
                 JsonObject      *obj,
                 const char      *name,
                 gboolean         required,
                 gboolean        *present,
                 KsPermissionSet *out)
{
  JsonNode *n = ks_request_member (req, obj, name);
  JsonArray *array;
  KsPermissionSet set = 0;

  *present = FALSE;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        {
          ks_request_error (req, 422, "invalid", "The field “%s” is required.", name);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “%s” must be a list of permission ids, such as "
                        "[\"view_report\", \"update_status\"].", name);
      return FALSE;
    }
  array = json_node_get_array (n);
  if (json_array_get_length (array) > 4 * KS_N_PERMISSIONS)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” lists too many permissions.", name);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      KsPermission p;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          ks_request_error (req, 422, "invalid",
                            "The field “%s” must be a list of permission ids (strings).", name);
          return FALSE;
        }
      if (!ks_permission_from_id (json_node_get_string (e), &p))
        {
          g_autofree char *shown = g_strndup (json_node_get_string (e), 64);
          ks_request_error (req, 422, "invalid",
                            "“%s” is not a permission. See GET /api/v1/permissions for the list.",
                            shown);
          return FALSE;
        }
      set |= 1u << p;
    }
  *present = TRUE;
  *out = set;
  return TRUE;
}

static gboolean
looks_like_email (const char *s)
{
  const char *at;

  if (s == NULL || *s == '\0' || strlen (s) > MAX_EMAIL_LENGTH)
    return FALSE;
  for (const char *p = s; *p; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return FALSE;
  at = strchr (s, '@');
  if (at == NULL || at == s || strchr (at + 1, '@') != NULL)
    return FALSE;
  return strchr (at + 1, '.') != NULL && at[1] != '.' && !g_str_has_suffix (s, ".");
}

static gboolean
is_code (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* {"fields": [the members of the request body among names]}, for the audit log. */
static char *
changed_fields (JsonObject         *obj,
                const char * const *names,
                const char         *extra_key,
                const char         *extra_value)
{
  g_autoptr(GString) s = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  if (extra_key != NULL)
    ks_json_writer_member_string (&w, extra_key, extra_value);
  ks_json_writer_key (&w, "fields");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; names[i]; i++)
    if (json_object_has_member (obj, names[i]))
      ks_json_writer_string (&w, names[i]);
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Answers status with one object written by a store call. */
typedef gboolean (*WriteOne) (KsStore *self, gint64 id, KsJsonWriter *w, GError **error);

static void
answer_object (KsRequest *req,
               guint      status,
               WriteOne   write,
               gint64     id)
{
  g_autoptr(GError) error = NULL;
  KsJsonWriter w;

  ks_request_begin_json (req, status, &w);
  if (!write (req->store, id, &w, &error))
    ks_request_gerror (req, error);
}

/* Answers a list written by a store call under the key name. */
typedef gboolean (*WriteList) (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error);

static void
answer_list (KsRequest  *req,
             const char *name,
             WriteList   write,
             gint64      body_id)
{
  g_autoptr(GError) error = NULL;
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, name);
  if (!write (req->store, body_id, &w, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_member_null (&w, "next_cursor");
  ks_json_writer_end_object (&w);
}

/* Answers 422 and returns FALSE when the signed-in staff member would lose
 * manage_staff through the change just made (the transaction then rolls back). */
static gboolean
keeps_own_manage_staff (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsPermissionSet perms = 0;

  if (req->principal.is_superuser)
    return TRUE;
  if (!ks_store_admin_user_permissions (req->store, req->principal.user_id, &perms, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!KS_PERMISSION_SET_HAS (perms, KS_PERM_MANAGE_STAFF))
    {
      ks_request_error (req, 422, "invalid",
                        "This change would take away your own permission to manage staff "
                        "accounts. Ask another administrator to make it.");
      return FALSE;
    }
  return TRUE;
}

/* Transactions of routes that manage their own (KS_ROUTE_NO_TXN): opens the write
 * transaction and answers a replayed idempotency key; FALSE when answered. */
static gboolean
own_write_begin (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return ks_idempotency_begin (req);
}

/* Commits when the answer is 2xx (with the idempotency record), else rolls back. */
static void
own_write_finish (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  /* A body field the handler did not read is refused, as the framework does. */
  if (req->status < 200 || req->status >= 300 || !ks_request_check_fields (req))
    {
      ks_store_rollback (req->store);
      return;
    }
  if (!ks_idempotency_finish (req, &error) || !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
    }
}

/* Categories */

static const char *datatypes[] = {
  "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist", NULL
};

static gboolean
is_one_of (const char *s, const char * const *list)
{
  for (guint i = 0; list[i]; i++)
    if (g_strcmp0 (s, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Validates one value of a list question and writes it. */
static gboolean
write_question_value (KsRequest    *req,
                      guint         q,
                      const char   *qcode,
                      guint         v,
                      JsonNode     *node,
                      GHashTable   *keys,
                      KsJsonWriter *w)
{
  static const char *members[] = { "key", "name", NULL };
  JsonObject *o;
  const char *key, *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”): value %u must be an object with “key” and “name”.",
                        q, qcode, v);
      return FALSE;
    }
  o = json_node_get_object (node);
  {
    GList *l = json_object_get_members (o);
    for (GList *it = l; it; it = it->next)
      if (!is_one_of (it->data, members))
        {
          g_autofree char *shown = g_strndup (it->data, 64);
          ks_request_error (req, 422, "invalid",
                            "Extra question %u (“%s”): value %u has an unknown field “%s”. "
                            "A value has only “key” and “name”.", q, qcode, v, shown);
          g_list_free (l);
          return FALSE;
        }
    g_list_free (l);
  }
  key = json_object_get_string_member_with_default (o, "key", NULL);
  name = json_object_get_string_member_with_default (o, "name", NULL);
  if (key == NULL || ks_api_is_blank (key) || g_utf8_strlen (key, -1) > MAX_GROUP_LENGTH ||
      name == NULL || ks_api_is_blank (name) || g_utf8_strlen (name, -1) > MAX_NAME_LENGTH)
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”): value %u needs a “key” (up to %d characters) "
                        "and a “name” (up to %d characters), both text.",
                        q, qcode, v, MAX_GROUP_LENGTH, MAX_NAME_LENGTH);
      return FALSE;
    }
  if (!g_hash_table_add (keys, (gpointer) key))
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”): the value key “%s” is used twice. "
                        "Give each value its own key.", q, qcode, key);
      return FALSE;
    }
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "key", key);
  ks_json_writer_member_string (w, "name", name);
  ks_json_writer_end_object (w);
  return TRUE;
}

/* Validates one extra question and writes it in the stored shape. */
static gboolean
write_question (KsRequest    *req,
                guint         q,
                JsonNode     *node,
                GHashTable   *codes,
                KsJsonWriter *w)
{
  static const char *members[] = {
    "code", "description", "datatype", "required", "order", "values", "automated", NULL
  };
  static const char *automated_kinds[] = { "hidden_field", "server_set", NULL };
  JsonObject *o;
  JsonNode *n;
  const char *code, *description, *datatype, *automated = NULL;
  gboolean required = FALSE, is_list;
  gint64 order = q;
  guint n_values = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ks_request_error (req, 422, "invalid", "Extra question %u must be an object.", q);
      return FALSE;
    }
  o = json_node_get_object (node);
  {
    GList *l = json_object_get_members (o);
    for (GList *it = l; it; it = it->next)
      if (!is_one_of (it->data, members))
        {
          g_autofree char *shown = g_strndup (it->data, 64);
          ks_request_error (req, 422, "invalid",
                            "Extra question %u has an unknown field “%s”. A question has code, "
                            "description, datatype, required, order, values and automated.",
                            q, shown);
          g_list_free (l);
          return FALSE;
        }
    g_list_free (l);
  }

  n = json_object_get_member (o, "code");
  code = (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
         ? json_node_get_string (n) : NULL;
  if (code == NULL || !is_code (code) || strlen (code) > MAX_CODE_LENGTH)
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u needs a “code” of up to %d letters, digits, "
                        "“_”, “-” or “.”.", q, MAX_CODE_LENGTH);
      return FALSE;
    }
  if (!g_hash_table_add (codes, (gpointer) code))
    {
      ks_request_error (req, 422, "invalid",
                        "Two extra questions have the code “%s”. Give each question its own code.",
                        code);
      return FALSE;
    }

  n = json_object_get_member (o, "description");
  description = (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
                ? json_node_get_string (n) : NULL;
  if (description == NULL || ks_api_is_blank (description) ||
      g_utf8_strlen (description, -1) > MAX_TEXT_LENGTH)
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”) needs a “description”: the question as "
                        "residents see it (up to %d characters).", q, code, MAX_TEXT_LENGTH);
      return FALSE;
    }

  n = json_object_get_member (o, "datatype");
  datatype = (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
             ? json_node_get_string (n) : NULL;
  if (!is_one_of (datatype, datatypes))
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”): “datatype” must be one of string, number, "
                        "datetime, text, singlevaluelist, multivaluelist.", q, code);
      return FALSE;
    }
  is_list = g_str_has_suffix (datatype, "valuelist");

  n = json_object_get_member (o, "required");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
        {
          ks_request_error (req, 422, "invalid",
                            "Extra question %u (“%s”): “required” must be true or false.", q, code);
          return FALSE;
        }
      required = json_node_get_boolean (n);
    }

  n = json_object_get_member (o, "order");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64 ||
          json_node_get_int (n) < 0 || json_node_get_int (n) > MAX_POSITION)
        {
          ks_request_error (req, 422, "invalid",
                            "Extra question %u (“%s”): “order” must be a whole number from 0 to %d.",
                            q, code, MAX_POSITION);
          return FALSE;
        }
      order = json_node_get_int (n);
    }

  n = json_object_get_member (o, "automated");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      automated = (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
                  ? json_node_get_string (n) : NULL;
      if (!is_one_of (automated, automated_kinds))
        {
          ks_request_error (req, 422, "invalid",
                            "Extra question %u (“%s”): “automated” must be hidden_field, "
                            "server_set or null.", q, code);
          return FALSE;
        }
    }

  n = json_object_get_member (o, "values");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!JSON_NODE_HOLDS_ARRAY (n))
        {
          ks_request_error (req, 422, "invalid",
                            "Extra question %u (“%s”): “values” must be a list of "
                            "{\"key\", \"name\"} objects.", q, code);
          return FALSE;
        }
      n_values = json_array_get_length (json_node_get_array (n));
    }
  if (is_list && n_values == 0)
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”) is a %s: give it at least one value to choose from.",
                        q, code, datatype);
      return FALSE;
    }
  if (!is_list && n_values > 0)
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”): only singlevaluelist and multivaluelist "
                        "questions have values. Remove them or change the datatype.", q, code);
      return FALSE;
    }
  if (n_values > MAX_VALUES)
    {
      ks_request_error (req, 422, "invalid",
                        "Extra question %u (“%s”) has too many values (at most %d).",
                        q, code, MAX_VALUES);
      return FALSE;
    }

  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "code", code);
  ks_json_writer_member_string (w, "description", description);
  ks_json_writer_member_string (w, "datatype", datatype);
  ks_json_writer_member_bool (w, "required", required);
  ks_json_writer_member_int (w, "order", order);
  ks_json_writer_key (w, "values");
  ks_json_writer_begin_array (w);
  if (n_values > 0)
    {
      g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
      JsonArray *values = json_node_get_array (n);

      for (guint v = 0; v < n_values; v++)
        if (!write_question_value (req, q, code, v + 1, json_array_get_element (values, v), keys, w))
          return FALSE;
    }
  ks_json_writer_end_array (w);
  if (automated != NULL)
    ks_json_writer_member_string (w, "automated", automated);
  ks_json_writer_end_object (w);
  return TRUE;
}

/* "extra": validated and rewritten as stored; *out stays NULL when absent. */
static gboolean
get_extra (KsRequest   *req,
           JsonObject  *obj,
           char       **out)
{
  JsonNode *n = ks_request_member (req, obj, "extra");
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) s = NULL;
  JsonArray *array;
  KsJsonWriter w;

  *out = NULL;
  if (n == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *out = g_strdup ("[]");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “extra” must be a list of questions (or an empty list).");
      return FALSE;
    }
  array = json_node_get_array (n);
  if (json_array_get_length (array) > MAX_QUESTIONS)
    {
      ks_request_error (req, 422, "invalid",
                        "A category can have at most %d extra questions.", MAX_QUESTIONS);
      return FALSE;
    }
  s = g_string_new (NULL);
  ks_json_writer_init (&w, s);
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!write_question (req, i + 1, json_array_get_element (array, i), codes, &w))
      return FALSE;
  ks_json_writer_end_array (&w);
  *out = g_string_free (g_steal_pointer (&s), FALSE);
  return TRUE;
}

/* "groups": a list of group names, stored '|'-separated; *out stays NULL when absent. */
static gboolean
get_groups (KsRequest   *req,
            JsonObject  *obj,
            char       **out)
{
  JsonNode *n = ks_request_member (req, obj, "groups");
  g_autoptr(GString) joined = g_string_new (NULL);
  JsonArray *array;

  *out = NULL;
  if (n == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *out = g_strdup ("");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (json_node_get_array (n)) > MAX_GROUPS)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “groups” must be a list of up to %d group names.", MAX_GROUPS);
      return FALSE;
    }
  array = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      g_autofree char *name = NULL;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          ks_request_error (req, 422, "invalid", "The field “groups” must be a list of names (text).");
          return FALSE;
        }
      name = g_strstrip (g_strdup (json_node_get_string (e)));
      if (*name == '\0' || strchr (name, '|') != NULL ||
          g_utf8_strlen (name, -1) > MAX_GROUP_LENGTH)
        {
          ks_request_error (req, 422, "invalid",
                            "Each group name must be 1 to %d characters, without “|”.",
                            MAX_GROUP_LENGTH);
          return FALSE;
        }
      if (joined->len > 0)
        g_string_append_c (joined, '|');
      g_string_append (joined, name);
    }
  *out = g_string_free (g_steal_pointer (&joined), FALSE);
  return TRUE;
}

static const char *category_fields[] = {
  "code", "name", "groups", "description", "destination", "extra", "active", "private", NULL
};

/* Parses a category body; create requires code and name. */
static gboolean
parse_category (KsRequest       *req,
                JsonObject      *obj,
                gboolean         create,
                KsCategoryInput *in,
                char           **groups,
                char           **extra)
{
  if (!get_text (req, obj, "code", create, MAX_CODE_LENGTH, &in->code) ||
      !get_text (req, obj, "name", create, MAX_NAME_LENGTH, &in->name) ||
      !ks_request_get_string (req, obj, "description", FALSE, MAX_TEXT_LENGTH, &in->description) ||
      !get_nullable_string (req, obj, "destination", MAX_EMAIL_LENGTH, &in->set_destination,
                            &in->destination) ||
      !get_flag (req, obj, "active", &in->active) ||
      !get_flag (req, obj, "private", &in->is_private) ||
      !get_groups (req, obj, groups) ||
      !get_extra (req, obj, extra))
    return FALSE;
  if (in->code != NULL && !is_code (in->code))
    {
      ks_request_error (req, 422, "invalid",
                        "The code may only have letters, digits, “_”, “-” and “.” (as used by Open311).");
      return FALSE;
    }
  if (in->destination != NULL && *in->destination == '\0')
    in->destination = NULL;
  if (in->destination != NULL && !looks_like_email (in->destination))
    {
      ks_request_error (req, 422, "invalid",
                        "The destination must be an email address, such as roads@council.example.");
      return FALSE;
    }
  in->groups = *groups;
  in->extra = *extra;
  return TRUE;
}

static void
handle_list_categories (KsRequest *req)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, FALSE, &body_id))
    return;
  answer_list (req, "categories", ks_store_admin_list_categories, body_id);
}

static void
handle_create_category (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *groups = NULL, *extra = NULL, *details = NULL;
  KsCategoryInput in = { .active = -1, .is_private = -1 };
  JsonObject *obj;
  gint64 body_id = 0, id = 0;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !target_body (req, obj, &body_id) ||
      !parse_category (req, obj, TRUE, &in, &groups, &extra))
    return;
  if (!ks_store_admin_create_category (req->store, body_id, &in, &id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, category_fields, "code", in.code);
  if (!ks_request_audit (req, body_id, "create_category", "category", id, details))
    return;
  answer_object (req, 201, ks_store_admin_write_category, id);
}

static void
handle_update_category (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *groups = NULL, *extra = NULL, *details = NULL;
  KsCategoryInput in = { .active = -1, .is_private = -1 };
  JsonObject *obj;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_CATEGORY, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !parse_category (req, obj, FALSE, &in, &groups, &extra))
    return;
  if (!ks_store_admin_update_category (req->store, id, &in, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, category_fields, NULL, NULL);
  if (!ks_request_audit (req, body_id, "update_category", "category", id, details))
    return;
  answer_object (req, 200, ks_store_admin_write_category, id);
}

/* Priorities */

static const char *priority_fields[] = {
  "name", "description", "response_hours", "position", "active", "category_ids", NULL
};

static gboolean
parse_priority (KsRequest       *req,
                JsonObject      *obj,
                gboolean         create,
                gint64           body_id,
                KsPriorityInput *in)
{
  g_autoptr(GError) error = NULL;

  if (!get_text (req, obj, "name", create, MAX_NAME_LENGTH, &in->name) ||
      !ks_request_get_string (req, obj, "description", FALSE, MAX_TEXT_LENGTH, &in->description) ||
      !get_flag (req, obj, "active", &in->active) ||
      !get_id_array (req, obj, "category_ids", &in->category_ids))
    return FALSE;
  in->set_response_hours = ks_request_member (req, obj, "response_hours") != NULL;
  in->response_hours = -1;
  if (!ks_request_get_int (req, obj, "response_hours", FALSE, 0, MAX_RESPONSE_HOURS,
                           &in->response_hours))
    return FALSE;
  in->set_position = ks_request_has (obj, "position");
  if (!ks_request_get_int (req, obj, "position", FALSE, 0, MAX_POSITION, &in->position))
    return FALSE;
  if (!ks_store_admin_check_ids (req->store, KS_ADMIN_OBJECT_CATEGORY, body_id,
                                 in->category_ids, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
handle_list_priorities (KsRequest *req)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, FALSE, &body_id))
    return;
  answer_list (req, "priorities", ks_store_admin_list_priorities, body_id);
}

static void
handle_create_priority (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  KsPriorityInput in = { .active = -1 };
  JsonObject *obj;
  gint64 body_id = 0, id = 0;
  gboolean ok;

  if ((obj = ks_request_json_object (req)) == NULL || !target_body (req, obj, &body_id))
    return;
  ok = parse_priority (req, obj, TRUE, body_id, &in) &&
       ks_store_admin_create_priority (req->store, body_id, &in, &id, &error);
  g_clear_pointer (&in.category_ids, g_array_unref);
  if (!ok)
    {
      if (error != NULL)
        ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, priority_fields, "name", in.name);
  if (!ks_request_audit (req, body_id, "create_priority", "priority", id, details))
    return;
  answer_object (req, 201, ks_store_admin_write_priority, id);
}

static void
handle_update_priority (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  KsPriorityInput in = { .active = -1 };
  JsonObject *obj;
  gint64 id, body_id = 0;
  gboolean ok;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_PRIORITY, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL)
    return;
  ok = parse_priority (req, obj, FALSE, body_id, &in) &&
       ks_store_admin_update_priority (req->store, id, &in, &error);
  g_clear_pointer (&in.category_ids, g_array_unref);
  if (!ok)
    {
      if (error != NULL)
        ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, priority_fields, NULL, NULL);
  if (!ks_request_audit (req, body_id, "update_priority", "priority", id, details))
    return;
  answer_object (req, 200, ks_store_admin_write_priority, id);
}

/* Deletes one object of the caller's council with the store's delete function;
 * audited; 204. */
static void
delete_object (KsRequest    *req,
               KsAdminObject kind,
               gboolean    (*delete_fn) (KsStore *, gint64, GError **),
               const char   *action,
               const char   *object_type)
{
  g_autoptr(GError) error = NULL;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, kind, id, &body_id))
    return;
  if (!delete_fn (req->store, id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_request_audit (req, body_id, action, object_type, id, NULL))
    return;
  ks_request_no_content (req);
}

static void
handle_delete_priority (KsRequest *req)
{
  delete_object (req, KS_ADMIN_OBJECT_PRIORITY, ks_store_admin_delete_priority, "delete_priority", "priority");
}

/* Templates */

static const char *template_fields[] = {
  "title", "text", "state", "position", "category_ids", NULL
};

static gboolean
parse_template (KsRequest       *req,
                JsonObject      *obj,
                gboolean         create,
                gint64           body_id,
                KsTemplateInput *in)
{
  g_autoptr(GError) error = NULL;

  if (!get_text (req, obj, "title", create, MAX_NAME_LENGTH, &in->title) ||
      !get_text (req, obj, "text", create, MAX_TEXT_LENGTH, &in->text) ||
      !get_nullable_string (req, obj, "state", 64, &in->set_state, &in->state) ||
      !get_id_array (req, obj, "category_ids", &in->category_ids))
    return FALSE;
  in->set_position = ks_request_has (obj, "position");
  if (!ks_request_get_int (req, obj, "position", FALSE, 0, MAX_POSITION, &in->position))
    return FALSE;
  if (in->state != NULL && !ks_state_is_valid (in->state))
    {
      g_autofree char *shown = g_strndup (in->state, 64);
      ks_request_error (req, 422, "invalid",
                        "“%s” is not a report state. Use one of GET /api/v1/states, or null.",
                        shown);
      return FALSE;
    }
  if (!ks_store_admin_check_ids (req->store, KS_ADMIN_OBJECT_CATEGORY, body_id,
                                 in->category_ids, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
handle_list_templates (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0, category_id = 0;
  KsJsonWriter w;

  if (!ks_principal_can (&req->principal, KS_PERM_EDIT_TEMPLATES) &&
      !ks_request_require (req, KS_PERM_USE_TEMPLATES))
    return;
  if (!ks_api_request_body (req, FALSE, &body_id) ||
      !ks_request_query_int (req, "category_id", 1, G_MAXINT64, 0, &category_id))
    return;
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "templates");
  if (!ks_store_admin_list_templates (req->store, body_id, category_id, &w, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_member_null (&w, "next_cursor");
  ks_json_writer_end_object (&w);
}

static void
handle_create_template (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  KsTemplateInput in = { 0 };
  JsonObject *obj;
  gint64 body_id = 0, id = 0;
  gboolean ok;

  if ((obj = ks_request_json_object (req)) == NULL || !target_body (req, obj, &body_id))
    return;
  ok = parse_template (req, obj, TRUE, body_id, &in) &&
       ks_store_admin_create_template (req->store, body_id, &in, &id, &error);
  g_clear_pointer (&in.category_ids, g_array_unref);
  if (!ok)
    {
      if (error != NULL)
        ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, template_fields, "title", in.title);
  if (!ks_request_audit (req, body_id, "create_template", "template", id, details))
    return;
  answer_object (req, 201, ks_store_admin_write_template, id);
}

static void
handle_update_template (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  KsTemplateInput in = { 0 };
  JsonObject *obj;
  gint64 id, body_id = 0;
  gboolean ok;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_TEMPLATE, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL)
    return;
  ok = parse_template (req, obj, FALSE, body_id, &in) &&
       ks_store_admin_update_template (req->store, id, &in, &error);
  g_clear_pointer (&in.category_ids, g_array_unref);
  if (!ok)
    {
      if (error != NULL)
        ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, template_fields, NULL, NULL);
  if (!ks_request_audit (req, body_id, "update_template", "template", id, details))
    return;
  answer_object (req, 200, ks_store_admin_write_template, id);
}

static void
handle_delete_template (KsRequest *req)
{
  delete_object (req, KS_ADMIN_OBJECT_TEMPLATE, ks_store_admin_delete_template, "delete_template", "template");
}

/* Staff accounts */

static const char *staff_fields[] = {
  "email", "name", "password", "active", "role_ids", "permissions", "two_factor_enabled", NULL
};

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
  g_autoptr(GError) error = NULL;
  KsStaffQuery q = { .active = -1 };
  const char *cursor = ks_request_query (req, "cursor");
  const char *active = ks_request_query (req, "active");
  gint64 body_id = 0, limit = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, FALSE, &body_id) ||
      !ks_request_query_int (req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit))
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
  if (q.search != NULL && g_utf8_strlen (q.search, -1) > MAX_NAME_LENGTH)
    {
      ks_request_error (req, 422, "invalid", "The search text is too long.");
      return;
    }
  if (!ks_request_audit (req, body_id, "list_staff", "user", 0, NULL))
    return;
  ks_request_begin_json (req, 200, &w);
  if (!ks_store_admin_list_staff (req->store, body_id, &q, &w, &error))
    ks_request_gerror (req, error);
}

static void
handle_get_staff (KsRequest *req)
{
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_USER, id, &body_id))
    return;
  if (!ks_request_audit (req, body_id, "view_staff", "user", id, NULL))
    return;
  answer_object (req, 200, ks_store_admin_write_staff, id);
}

static void
handle_create_staff (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) role_ids = NULL;
  g_autofree char *email = NULL, *hash = NULL, *details = NULL;
  KsStaffInput in = { .active = -1 };
  const char *raw_email = NULL, *password = NULL;
  JsonObject *obj;
  gint64 body_id = 0, id = 0;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !target_body (req, obj, &body_id) ||
      !get_text (req, obj, "email", TRUE, MAX_EMAIL_LENGTH, &raw_email) ||
      !get_text (req, obj, "name", TRUE, MAX_NAME_LENGTH, &in.name) ||
      !ks_request_get_string (req, obj, "password", FALSE, 1024, &password) ||
      !get_flag (req, obj, "active", &in.active) ||
      !get_id_array (req, obj, "role_ids", &role_ids) ||
      !get_permissions (req, obj, "permissions", FALSE, &in.set_permissions, &in.permissions))
    return;
  email = g_strstrip (g_ascii_strdown (raw_email, -1));
  if (!looks_like_email (email))
    {
      ks_request_error (req, 422, "invalid",
                        "The email address is not valid. Check it and try again.");
      return;
    }
  in.email = email;
  in.role_ids = role_ids;

  if (password != NULL &&
      (hash = check_and_hash_password (req, body_id, password, email, in.name)) == NULL)
    return;
  in.password_hash = hash;

  if (!own_write_begin (req))
    return;
  if (!ks_store_admin_check_ids (req->store, KS_ADMIN_OBJECT_ROLE, body_id, role_ids, &error) ||
      !ks_store_admin_create_staff (req->store, body_id, &in, &id, &error))
    ks_request_gerror (req, error);
  else
    {
      /* The address by its hash, as every audit entry names one. */
      g_autofree char *address_hash = ks_privacy_address_hash (email);

      details = changed_fields (obj, staff_fields, "email_sha256", address_hash);
      if (ks_request_audit (req, body_id, "create_staff", "user", id, details))
        answer_object (req, 201, ks_store_admin_write_staff, id);
    }
  own_write_finish (req);
}

static void
handle_update_staff (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) role_ids = NULL;
  g_auto(KsStaffInfo) info = { 0 };
  g_autofree char *hash = NULL, *details = NULL;
  KsStaffInput in = { .active = -1 };
  const char *password = NULL;
  gboolean self, two_factor = TRUE;
  JsonObject *obj;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_USER, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !get_text (req, obj, "name", FALSE, MAX_NAME_LENGTH, &in.name) ||
      !ks_request_get_string (req, obj, "password", FALSE, 1024, &password) ||
      !get_flag (req, obj, "active", &in.active) ||
      !ks_request_get_bool (req, obj, "two_factor_enabled", FALSE, &two_factor) ||
      !get_id_array (req, obj, "role_ids", &role_ids) ||
      !get_permissions (req, obj, "permissions", FALSE, &in.set_permissions, &in.permissions))
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
    in.clear_two_factor = TRUE;
  in.role_ids = role_ids;

  self = id == req->principal.user_id;
  if (self && in.active == 0)
    {
      ks_request_error (req, 422, "invalid",
                        "You cannot deactivate your own account. Ask another administrator.");
      return;
    }
  if (!ks_store_admin_get_staff (req->store, id, &info, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (password != NULL &&
      (hash = check_and_hash_password (req, info.body_id, password, info.email,
                                       in.name ? in.name : info.name)) == NULL)
    return;
  in.password_hash = hash;

  if (!own_write_begin (req))
    return;
  if (!ks_store_admin_check_ids (req->store, KS_ADMIN_OBJECT_ROLE, info.body_id, role_ids, &error) ||
      !ks_store_admin_update_staff (req->store, id, &in, &error) ||
      ((in.active == 0 || hash != NULL) &&
       !ks_store_auth_revoke_user_sessions (req->store, id,
                                            self ? req->principal.session_id : 0, &error)))
    ks_request_gerror (req, error);
  else if (!self || keeps_own_manage_staff (req))
    {
      details = changed_fields (obj, staff_fields, NULL, NULL);
      if (ks_request_audit (req, body_id, "update_staff", "user", id, details))
        answer_object (req, 200, ks_store_admin_write_staff, id);
    }
  own_write_finish (req);
}

static void
handle_staff_logout_everywhere (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_USER, id, &body_id))
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

/* Roles */

static void
handle_list_roles (KsRequest *req)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, FALSE, &body_id))
    return;
  answer_list (req, "roles", ks_store_admin_list_roles, body_id);
}

static void
handle_create_role (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  const char *name = NULL;
  KsPermissionSet perms = 0;
  gboolean present = FALSE;
  JsonObject *obj;
  gint64 body_id = 0, id = 0;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !target_body (req, obj, &body_id) ||
      !get_text (req, obj, "name", TRUE, MAX_NAME_LENGTH, &name) ||
      !get_permissions (req, obj, "permissions", TRUE, &present, &perms))
    return;
  if (!ks_store_admin_create_role (req->store, body_id, name, FALSE, perms, &id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, (const char *[]) { "name", "permissions", NULL }, "name", name);
  if (!ks_request_audit (req, body_id, "create_role", "role", id, details))
    return;
  answer_object (req, 201, ks_store_admin_write_role, id);
}

static void
handle_update_role (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsRoleInfo) role = { 0 };
  g_autofree char *details = NULL;
  const char *name = NULL;
  KsPermissionSet perms = 0;
  gboolean present = FALSE;
  JsonObject *obj;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_ROLE, id, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !get_text (req, obj, "name", FALSE, MAX_NAME_LENGTH, &name) ||
      !get_permissions (req, obj, "permissions", FALSE, &present, &perms))
    return;
  if (!ks_store_admin_get_role (req->store, id, &role, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (role.is_default &&
      ((present && perms != role.permissions) ||
       (name != NULL && g_strcmp0 (name, role.name) != 0)))
    {
      ks_request_error (req, 422, "default_role",
                        "“%s” is one of the four default roles, whose name and permissions are "
                        "fixed. Create a custom role with the permissions you need instead.",
                        role.name);
      return;
    }
  if (!ks_store_admin_update_role (req->store, id, name, present ? &perms : NULL, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!keeps_own_manage_staff (req))
    return;
  details = changed_fields (obj, (const char *[]) { "name", "permissions", NULL }, NULL, NULL);
  if (!ks_request_audit (req, body_id, "update_role", "role", id, details))
    return;
  answer_object (req, 200, ks_store_admin_write_role, id);
}

static void
handle_delete_role (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsRoleInfo) role = { 0 };
  g_autofree char *details = NULL;
  gint64 id, body_id = 0;

  if (!ks_request_param_id (req, "id", &id) ||
      !find_object (req, KS_ADMIN_OBJECT_ROLE, id, &body_id))
    return;
  if (!ks_store_admin_get_role (req->store, id, &role, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (role.is_default)
    {
      ks_request_error (req, 422, "default_role",
                        "“%s” is one of the four default roles, which cannot be deleted. "
                        "Take it away from staff instead.", role.name);
      return;
    }
  if (!ks_store_admin_delete_role (req->store, id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!keeps_own_manage_staff (req))
    return;
  {
    g_autoptr(GString) s = g_string_new (NULL);
    KsJsonWriter w;
    ks_json_writer_init (&w, s);
    ks_json_writer_begin_object (&w);
    ks_json_writer_member_string (&w, "name", role.name);
    ks_json_writer_end_object (&w);
    details = g_string_free (g_steal_pointer (&s), FALSE);
  }
  if (!ks_request_audit (req, body_id, "delete_role", "role", id, details))
    return;
  ks_request_no_content (req);
}

/* Council settings */

static void
handle_get_body (KsRequest *req)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  answer_object (req, 200, ks_store_admin_write_body, body_id);
}

static void
handle_update_body (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  JsonObject *obj;
  gint64 body_id = 0, min_length = -1;
  int require_2fa = -1;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !get_flag (req, obj, "require_2fa", &require_2fa) ||
      !ks_request_get_int (req, obj, "password_min_length", FALSE, KS_PASSWORD_MIN_LENGTH_FLOOR,
                           64, &min_length))
    return;
  if (!ks_store_admin_update_body (req->store, body_id, require_2fa, (int) min_length, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  details = changed_fields (obj, (const char *[]) { "require_2fa", "password_min_length", NULL },
                            NULL, NULL);
  if (!ks_request_audit (req, body_id, "update_body", "body", body_id, details))
    return;
  answer_object (req, 200, ks_store_admin_write_body, body_id);
}

/* Dashboard */

static void
handle_dashboard_summary (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  ks_request_begin_json (req, 200, &w);
  if (!ks_store_admin_dashboard_summary (req->store, body_id, ks_time_now (), &w, &error))
    ks_request_gerror (req, error);
}

static void
handle_dashboard_timeline (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0, days = 30;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      !ks_request_query_int (req, "days", 1, 366, 30, &days))
    return;
  ks_request_begin_json (req, 200, &w);
  if (!ks_store_admin_dashboard_timeline (req->store, body_id, ks_time_now (), (guint) days,
                                          &w, &error))
    ks_request_gerror (req, error);
}

static void
handle_dashboard_stats (KsRequest *req)
{
  static const char *names[] = { "category", "state", "ward", "priority", NULL };
  g_autoptr(GError) error = NULL;
  const char *by = ks_request_query (req, "by");
  gint64 body_id = 0, from = 0, to = 0;
  KsStatsBy which = KS_STATS_BY_CATEGORY;
  gboolean known = by == NULL;
  KsJsonWriter w;

  for (guint i = 0; by != NULL && names[i]; i++)
    if (strcmp (by, names[i]) == 0)
      {
        which = (KsStatsBy) i;
        known = TRUE;
      }
  if (!known)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “by” must be category, state, ward or priority.");
      return;
    }
  if (!ks_api_request_body (req, TRUE, &body_id) || !ks_api_query_range (req, &from, &to))
    return;
  ks_request_begin_json (req, 200, &w);
  if (!ks_store_admin_dashboard_stats (req->store, body_id, which, from, to, &w, &error))
    ks_request_gerror (req, error);
}

static void
handle_dashboard_export (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  gint64 body_id = 0, from = 0, to = 0, rows = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id) || !ks_api_query_range (req, &from, &to))
    return;
  g_string_truncate (req->response, 0);
  if (!ks_store_admin_dashboard_export_csv (req->store, body_id, from, to, req->response,
                                            &rows, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "rows", rows);
  ks_json_writer_member_timestamp (&w, "from", from);
  ks_json_writer_member_timestamp (&w, "to", to);
  ks_json_writer_end_object (&w);
  if (!ks_request_audit (req, body_id, "export_csv", "body", body_id, details->str))
    return;
  req->status = 200;
  g_free (req->response_type);
  req->response_type = g_strdup ("text/csv; charset=utf-8");
  ks_request_add_header (req, "Content-Disposition", "attachment; filename=\"reports.csv\"");
}

/* Audit log */

static void
handle_list_audit (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsAuditQuery q = { 0 };
  const char *cursor = ks_request_query (req, "cursor");
  gint64 body_id = 0, limit = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, FALSE, &body_id) ||
      !ks_request_query_int (req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) ||
      !ks_request_query_int (req, "user_id", 1, G_MAXINT64, 0, &q.user_id) ||
      !ks_request_query_int (req, "object_id", 1, G_MAXINT64, 0, &q.object_id))
    return;
  q.limit = limit;
  q.object_type = ks_request_query (req, "object_type");
  if (q.object_type != NULL && (strlen (q.object_type) > 50 || !is_code (q.object_type)))
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “object_type” must be a type such as report, user or category.");
      return;
    }
  if (cursor != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (cursor, ".", 3);
      guint64 at = 0, id = 0;

      if (g_strv_length (parts) != 2 ||
          !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT64, &at, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXINT64, &id, NULL))
        {
          ks_request_error (req, 422, "invalid",
                            "The cursor is not valid. Start again from the first page.");
          return;
        }
      q.cursor_at = (gint64) at;
      q.cursor_id = (gint64) id;
    }
  ks_request_begin_json (req, 200, &w);
  if (!ks_store_admin_list_audit (req->store, body_id, &q, &w, &error))
    ks_request_gerror (req, error);
}

void
ks_api_admin_register (KsRouter *router)
{
  const KsRouteFlags hashing = KS_ROUTE_SLOW | KS_ROUTE_NO_TXN;

  ks_router_add (router, "GET", "/api/v1/categories", 0, KS_PERM_NONE, handle_list_categories);
  ks_router_add (router, "POST", "/api/v1/categories", 0, KS_PERM_EDIT_CATEGORIES, handle_create_category);
  ks_router_add (router, "PATCH", "/api/v1/categories/{id}", 0, KS_PERM_EDIT_CATEGORIES, handle_update_category);

  ks_router_add (router, "GET", "/api/v1/priorities", 0, KS_PERM_NONE, handle_list_priorities);
  ks_router_add (router, "POST", "/api/v1/priorities", 0, KS_PERM_EDIT_PRIORITIES, handle_create_priority);
  ks_router_add (router, "PATCH", "/api/v1/priorities/{id}", 0, KS_PERM_EDIT_PRIORITIES, handle_update_priority);
  ks_router_add (router, "DELETE", "/api/v1/priorities/{id}", 0, KS_PERM_EDIT_PRIORITIES, handle_delete_priority);

  ks_router_add (router, "GET", "/api/v1/templates", 0, KS_PERM_NONE, handle_list_templates);
  ks_router_add (router, "POST", "/api/v1/templates", 0, KS_PERM_EDIT_TEMPLATES, handle_create_template);
  ks_router_add (router, "PATCH", "/api/v1/templates/{id}", 0, KS_PERM_EDIT_TEMPLATES, handle_update_template);
  ks_router_add (router, "DELETE", "/api/v1/templates/{id}", 0, KS_PERM_EDIT_TEMPLATES, handle_delete_template);

  ks_router_add (router, "GET", "/api/v1/staff", 0, KS_PERM_MANAGE_STAFF, handle_list_staff);
  ks_router_add (router, "GET", "/api/v1/staff/{id}", 0, KS_PERM_MANAGE_STAFF, handle_get_staff);
  ks_router_add (router, "POST", "/api/v1/staff", hashing, KS_PERM_MANAGE_STAFF, handle_create_staff);
  ks_router_add (router, "PATCH", "/api/v1/staff/{id}", hashing, KS_PERM_MANAGE_STAFF, handle_update_staff);
  ks_router_add (router, "POST", "/api/v1/staff/{id}/logout-everywhere", 0, KS_PERM_MANAGE_STAFF,
                 handle_staff_logout_everywhere);

  ks_router_add (router, "GET", "/api/v1/roles", 0, KS_PERM_MANAGE_STAFF, handle_list_roles);
  ks_router_add (router, "POST", "/api/v1/roles", 0, KS_PERM_MANAGE_STAFF, handle_create_role);
  ks_router_add (router, "PATCH", "/api/v1/roles/{id}", 0, KS_PERM_MANAGE_STAFF, handle_update_role);
  ks_router_add (router, "DELETE", "/api/v1/roles/{id}", 0, KS_PERM_MANAGE_STAFF, handle_delete_role);

  ks_router_add (router, "GET", "/api/v1/body", 0, KS_PERM_NONE, handle_get_body);
  ks_router_add (router, "PATCH", "/api/v1/body", 0, KS_PERM_MANAGE_STAFF, handle_update_body);

  ks_router_add (router, "GET", "/api/v1/dashboard/summary", 0, KS_PERM_VIEW_DASHBOARD, handle_dashboard_summary);
  ks_router_add (router, "GET", "/api/v1/dashboard/timeline", 0, KS_PERM_VIEW_DASHBOARD, handle_dashboard_timeline);
  ks_router_add (router, "GET", "/api/v1/dashboard/stats", 0, KS_PERM_VIEW_DASHBOARD, handle_dashboard_stats);
  ks_router_add (router, "GET", "/api/v1/dashboard/export.csv", KS_ROUTE_RAW, KS_PERM_VIEW_DASHBOARD,
                 handle_dashboard_export);

  ks_router_add (router, "GET", "/api/v1/audit", 0, KS_PERM_MANAGE_STAFF, handle_list_audit);
}

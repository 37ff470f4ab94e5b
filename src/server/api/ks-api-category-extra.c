/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-category-extra.c: reading a category's "groups" and "extra" questions
 * from a request, checked and rewritten in the shape the store keeps. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api-category-extra.h"
#include "api/ks-api-admin-util.h"

#include <string.h>

#define MAX_NAME_LENGTH        KS_API_MAX_NAME_LENGTH
#define MAX_CODE_LENGTH        KS_API_MAX_CODE_LENGTH
#define MAX_TEXT_LENGTH        KS_API_MAX_TEXT_LENGTH
#define MAX_POSITION           KS_API_MAX_POSITION
#define MAX_GROUPS             20
#define MAX_GROUP_LENGTH       100
#define MAX_QUESTIONS          100
#define MAX_VALUES             500

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
  if (code == NULL || !ks_api_is_code (code) || strlen (code) > MAX_CODE_LENGTH)
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
gboolean
ks_api_category_get_extra (KsRequest   *req,
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
gboolean
ks_api_category_get_groups (KsRequest   *req,
            JsonObject  *obj,
            const char  *field,
            guint        max_names,
            char       **out)
{
  JsonNode *n = ks_request_member (req, obj, field);
  g_autoptr(GString) joined = g_string_new (NULL);
  JsonArray *array;

  *out = NULL;
  if (max_names == 0)
    max_names = MAX_GROUPS;
  if (n == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *out = g_strdup ("");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (json_node_get_array (n)) > max_names)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “%s” must be a list of up to %u names.", field, max_names);
      return FALSE;
    }
  array = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      g_autofree char *name = NULL;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          ks_request_error (req, 422, "invalid", "The field “%s” must be a list of names (text).",
                            field);
          return FALSE;
        }
      name = g_strstrip (g_strdup (json_node_get_string (e)));
      if (*name == '\0' || strchr (name, '|') != NULL ||
          g_utf8_strlen (name, -1) > MAX_GROUP_LENGTH)
        {
          ks_request_error (req, 422, "invalid",
                            "Each name in “%s” must be 1 to %d characters, without “|”.",
                            field, MAX_GROUP_LENGTH);
          return FALSE;
        }
      if (joined->len > 0)
        g_string_append_c (joined, '|');
      g_string_append (joined, name);
    }
  *out = g_string_free (g_steal_pointer (&joined), FALSE);
  return TRUE;
}

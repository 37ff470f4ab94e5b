/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-questions.c: a category's extra questions and the checks on their answers. */
#define G_LOG_DOMAIN "ks-questions"

#include "api/ks-questions.h"

#include <math.h>
#include <string.h>

static const char *
member_string (JsonObject *o,
               const char *name,
               const char *def)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return def;
}

static gboolean
member_bool (JsonObject *o,
             const char *name,
             gboolean    def)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return def;
  if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (n);
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return json_node_get_int (n) != 0;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (n), "true") == 0;
  return def;
}

static int
question_order (gconstpointer a,
                gconstpointer b)
{
  const KsQuestion *x = a, *y = b;
  return x->order < y->order ? -1 : x->order > y->order;
}

GArray *
ks_questions_parse (JsonParser *parser,
                    const char *extra)
{
  GArray *questions = g_array_new (FALSE, TRUE, sizeof (KsQuestion));
  JsonNode *root;
  JsonArray *array;

  if (extra == NULL || !json_parser_load_from_data (parser, extra, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return questions;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);
      JsonObject *o;
      JsonNode *order, *values;
      const char *automated;
      KsQuestion q = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      o = json_node_get_object (n);
      q.code = member_string (o, "code", NULL);
      if (q.code == NULL || *q.code == '\0')
        continue;
      automated = member_string (o, "automated", NULL);
      if (g_strcmp0 (automated, "server_set") == 0)
        continue;
      q.hidden_field = g_strcmp0 (automated, "hidden_field") == 0;
      q.variable = member_bool (o, "variable", TRUE);
      q.required = member_bool (o, "required", FALSE);
      q.datatype = member_string (o, "datatype", "string");
      q.datatype_description = member_string (o, "datatype_description", "");
      q.description = member_string (o, "description", q.code);
      order = json_object_get_member (o, "order");
      q.order = (order != NULL && JSON_NODE_HOLDS_VALUE (order) &&
                 json_node_get_value_type (order) == G_TYPE_INT64)
        ? json_node_get_int (order) : (gint64) i + 1;
      values = json_object_get_member (o, "values");
      if (values != NULL && JSON_NODE_HOLDS_ARRAY (values))
        q.values = json_node_get_array (values);
      g_array_append_val (questions, q);
    }
  g_array_sort (questions, question_order);
  return questions;
}

char *
ks_question_value_text (JsonObject *o,
                        const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return g_strdup ("");
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (n));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (n) ? "true" : "false");
    default:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (n)));
      }
    }
}

gboolean
ks_question_has_key (const KsQuestion *q,
                     const char       *key)
{
  if (q->values == NULL)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (q->values); i++)
    {
      JsonNode *n = json_array_get_element (q->values, i);
      g_autofree char *k = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      k = ks_question_value_text (json_node_get_object (n), "key");
      if (strcmp (k, key) == 0)
        return TRUE;
    }
  return FALSE;
}

const KsQuestion *
ks_questions_find (GArray     *questions,
                   const char *code)
{
  for (guint i = 0; i < questions->len; i++)
    {
      const KsQuestion *q = &g_array_index (questions, KsQuestion, i);
      if (strcmp (q->code, code) == 0)
        return q;
    }
  return NULL;
}

static gboolean
is_list (const KsQuestion *q)
{
  return strcmp (q->datatype, "singlevaluelist") == 0 ||
         strcmp (q->datatype, "multivaluelist") == 0;
}

KsAnswerProblem
ks_questions_check (GArray            *questions,
                    GPtrArray         *answers,
                    const KsQuestion **out_question,
                    const char       **out_value)
{
  for (guint i = 0; i < questions->len; i++)
    {
      const KsQuestion *q = &g_array_index (questions, KsQuestion, i);
      gboolean given = FALSE;

      if (!q->variable)
        continue;
      *out_question = q;
      for (guint p = 0; p + 1 < answers->len; p += 2)
        {
          const char *value = g_ptr_array_index (answers, p + 1);

          if (strcmp (g_ptr_array_index (answers, p), q->code) != 0 || *value == '\0')
            continue;
          given = TRUE;
          *out_value = value;
          if (is_list (q) && !ks_question_has_key (q, value))
            return KS_ANSWER_NOT_LISTED;
          if (strcmp (q->datatype, "number") == 0)
            {
              char *end = NULL;
              double d = g_ascii_strtod (value, &end);
              if (end == value || *end != '\0' || !isfinite (d))
                return KS_ANSWER_NOT_A_NUMBER;
            }
        }
      *out_value = NULL;
      if (q->required && !given)
        return KS_ANSWER_MISSING;
    }
  *out_question = NULL;
  return KS_ANSWER_OK;
}

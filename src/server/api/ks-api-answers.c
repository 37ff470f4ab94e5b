/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-answers.c: answers to a category's extra questions as staff send them
 * ("attributes": {"CODE": value}, a list of values for a multivaluelist), checked
 * as Open311 checks them (api/ks-questions.c): creating a report, correcting its
 * answers, and changing its category all go through here. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "api/ks-api-actions-private.h"
#include "api/ks-questions.h"

#include <math.h>
#include <string.h>

/* One answer of "attributes" as text: a string, number or boolean. */
static char *
answer_text (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

static gboolean
add_answer (KsRequest        *req,
            const KsQuestion *q,
            JsonNode         *node,
            GPtrArray        *pairs)
{
  char *text = answer_text (node);

  if (text == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The answer to “%s” (%s) must be text or a number%s.", q->description,
                        q->code, strcmp (q->datatype, "multivaluelist") == 0 ? ", or a list of them" : "");
      return FALSE;
    }
  if (g_utf8_strlen (text, -1) > MAX_ANSWER_LENGTH)
    {
      ks_request_error (req, 422, "invalid",
                        "The answer to “%s” (%s) is too long: write at most %d characters.",
                        q->description, q->code, MAX_ANSWER_LENGTH);
      g_free (text);
      return FALSE;
    }
  if (pairs->len / 2 >= MAX_ANSWERS)
    {
      ks_request_error (req, 422, "invalid", "There are too many answers: send at most %d.", MAX_ANSWERS);
      g_free (text);
      return FALSE;
    }
  if (*text == '\0')
    {
      /* An empty answer leaves the question unanswered. */
      g_free (text);
      return TRUE;
    }
  g_ptr_array_add (pairs, g_strdup (q->code));
  g_ptr_array_add (pairs, text);
  return TRUE;
}

/* An answer the report already has still fits question q (nullable): q is
 * asked, and the value is one it lists, or a number where it wants one. */
static gboolean
answer_fits (const KsQuestion *q,
             const char       *value)
{
  if (q == NULL || !q->variable)
    return FALSE;
  if ((strcmp (q->datatype, "singlevaluelist") == 0 ||
       strcmp (q->datatype, "multivaluelist") == 0) && !ks_question_has_key (q, value))
    return FALSE;
  if (strcmp (q->datatype, "number") == 0)
    {
      char *end = NULL;
      double d = g_ascii_strtod (value, &end);
      if (end == value || *end != '\0' || !isfinite (d))
        return FALSE;
    }
  return TRUE;
}

static gboolean
explain_problem (KsRequest        *req,
                 KsAnswerProblem   problem,
                 const KsQuestion *q,
                 const char       *bad)
{
  g_autoptr(GString) keys = NULL;

  switch (problem)
    {
    case KS_ANSWER_OK:
      return TRUE;
    case KS_ANSWER_NOT_LISTED:
      keys = g_string_new (NULL);
      for (guint i = 0; q->values != NULL && i < json_array_get_length (q->values); i++)
        {
          JsonNode *n = json_array_get_element (q->values, i);
          g_autofree char *key = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (n))
            continue;
          key = ks_question_value_text (json_node_get_object (n), "key");
          g_string_append_printf (keys, "%s“%s”", keys->len ? ", " : "", key);
        }
      ks_request_error (req, 422, "invalid",
                        "“%s” is not an answer to “%s” (%s): choose one of %s.",
                        bad, q->description, q->code, keys->str);
      return FALSE;
    case KS_ANSWER_NOT_A_NUMBER:
      ks_request_error (req, 422, "invalid",
                        "The answer to “%s” (%s) must be a number.", q->description, q->code);
      return FALSE;
    case KS_ANSWER_MISSING:
    default:
      ks_request_error (req, 422, "invalid",
                        "The question “%s” (%s) must be answered: add it to “attributes” and "
                        "send it again.", q->description, q->code);
      return FALSE;
    }
}

gboolean
ks_action_read_answers (KsRequest       *req,
                        JsonObject      *obj,
                        const char      *extra,
                        const GPtrArray *current,
                        GPtrArray       *pairs,
                        GPtrArray       *dropped)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) questions = ks_questions_parse (parser, extra);
  g_autoptr(GList) codes = NULL;
  g_autoptr(GPtrArray) given = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = ks_request_member (req, obj, "attributes");
  JsonObject *answers = NULL;
  const KsQuestion *q = NULL;
  const char *bad = NULL;
  KsAnswerProblem problem;

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ks_request_error (req, 422, "invalid",
                            "The field “attributes” must be an object of answers to the "
                            "category's questions: {\"CODE\": \"answer\"}.");
          return FALSE;
        }
      answers = json_node_get_object (node);
      codes = json_object_get_members (answers);
    }
  for (GList *l = codes; l != NULL; l = l->next)
    {
      const char *code = l->data;
      JsonNode *value = json_object_get_member (answers, code);

      q = ks_questions_find (questions, code);
      if (q == NULL || !q->variable)
        {
          ks_request_error (req, 422, "invalid",
                            "The category has no question “%s” to answer. Its questions are "
                            "its “extra” in GET /api/v1/categories.", code);
          return FALSE;
        }
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *list = json_node_get_array (value);

          if (strcmp (q->datatype, "multivaluelist") != 0)
            {
              ks_request_error (req, 422, "invalid",
                                "The question “%s” (%s) takes one answer, not a list.",
                                q->description, q->code);
              return FALSE;
            }
          for (guint i = 0; i < json_array_get_length (list); i++)
            if (!add_answer (req, q, json_array_get_element (list, i), given))
              return FALSE;
        }
      else if (!JSON_NODE_HOLDS_NULL (value) && !add_answer (req, q, value, given))
        return FALSE;
    }

  /* The answers in the questions' order: those given, else those the report has
   * that still fit. Anything else the report had is dropped. */
  for (guint i = 0; i < questions->len; i++)
    {
      const KsQuestion *question = &g_array_index (questions, KsQuestion, i);
      gboolean is_given = answers != NULL && json_object_has_member (answers, question->code);

      if (is_given)
        {
          for (guint p = 0; p + 1 < given->len; p += 2)
            if (strcmp (g_ptr_array_index (given, p), question->code) == 0)
              {
                g_ptr_array_add (pairs, g_strdup (g_ptr_array_index (given, p)));
                g_ptr_array_add (pairs, g_strdup (g_ptr_array_index (given, p + 1)));
              }
          continue;
        }
      for (guint p = 0; current != NULL && p + 1 < current->len; p += 2)
        if (strcmp (g_ptr_array_index (current, p), question->code) == 0 &&
            answer_fits (question, g_ptr_array_index (current, p + 1)))
          {
            g_ptr_array_add (pairs, g_strdup (g_ptr_array_index (current, p)));
            g_ptr_array_add (pairs, g_strdup (g_ptr_array_index (current, p + 1)));
          }
    }
  for (guint p = 0; current != NULL && dropped != NULL && p + 1 < current->len; p += 2)
    {
      const char *code = g_ptr_array_index (current, p);
      const char *value = g_ptr_array_index (current, p + 1);
      gboolean kept = FALSE;

      for (guint k = 0; k + 1 < pairs->len && !kept; k += 2)
        kept = strcmp (g_ptr_array_index (pairs, k), code) == 0 &&
               strcmp (g_ptr_array_index (pairs, k + 1), value) == 0;
      if (!kept)
        {
          g_ptr_array_add (dropped, g_strdup (code));
          g_ptr_array_add (dropped, g_strdup (value));
        }
    }

  problem = ks_questions_check (questions, pairs, &q, &bad);
  return explain_problem (req, problem, q, bad);
}

gboolean
ks_action_same_answers (const GPtrArray *a,
                        const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

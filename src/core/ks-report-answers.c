/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-answers.c: a report's answers to its category's questions, as the
 * app holds them: pairs of code and value ({code, value, code, value, ...,
 * NULL}), the values of a question answered more than once (a multivaluelist)
 * joined with ", ", in the order the sync gives them.
 *
 * The cache keeps them in a column of their own, as text made of the pairs with
 * ASCII unit and record separators (code US value RS code US value): loading
 * 100,000 reports splits that text, where reading the answers out of each
 * report's JSON would mean a parser per report. */
#define G_LOG_DOMAIN "ks-report"

#include "ks-report-private.h"

#include <string.h>

#define UNIT_SEP   '\x1f'
#define RECORD_SEP '\x1e'

void
ks_report_answers_add (GPtrArray  *pairs,
                       const char *code,
                       const char *value)
{
  if (code == NULL || *code == '\0' || value == NULL || *value == '\0')
    return;
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (g_str_equal (g_ptr_array_index (pairs, i), code))
      {
        char *joined = g_strconcat (g_ptr_array_index (pairs, i + 1), ", ", value, NULL);

        g_free (g_ptr_array_index (pairs, i + 1));
        g_ptr_array_index (pairs, i + 1) = joined;
        return;
      }
  g_ptr_array_add (pairs, g_strdup (code));
  g_ptr_array_add (pairs, g_strdup (value));
}

char **
ks_report_answers_end (GPtrArray *pairs)
{
  if (pairs->len == 0)
    {
      g_ptr_array_unref (pairs);
      return NULL;
    }
  g_ptr_array_add (pairs, NULL);
  return (char **) g_ptr_array_free (pairs, FALSE);
}

char **
ks_report_answers_from_json (JsonArray *attributes)
{
  GPtrArray *pairs = g_ptr_array_new ();

  for (guint i = 0; attributes != NULL && i < json_array_get_length (attributes); i++)
    {
      JsonNode *node = json_array_get_element (attributes, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *value = a ? json_object_get_member (a, "value") : NULL;
      JsonNode *code = a ? json_object_get_member (a, "code") : NULL;
      g_autofree char *text = NULL;

      if (code == NULL || !JSON_NODE_HOLDS_VALUE (code) || json_node_get_value_type (code) != G_TYPE_STRING ||
          value == NULL || !JSON_NODE_HOLDS_VALUE (value))
        continue;
      if (json_node_get_value_type (value) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else if (json_node_get_value_type (value) == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      else
        continue;
      ks_report_answers_add (pairs, json_node_get_string (code), text);
    }
  return ks_report_answers_end (pairs);
}

/* text without the two separators (a value cannot hold them: they would split it). */
static void
append_clean (GString    *out,
              const char *text)
{
  for (const char *p = text; *p; p++)
    g_string_append_c (out, (*p == UNIT_SEP || *p == RECORD_SEP) ? ' ' : *p);
}

char *
ks_report_answers_encode (const char * const *answers)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; answers != NULL && answers[i] != NULL && answers[i + 1] != NULL; i += 2)
    {
      if (out->len > 0)
        g_string_append_c (out, RECORD_SEP);
      append_clean (out, answers[i]);
      g_string_append_c (out, UNIT_SEP);
      append_clean (out, answers[i + 1]);
    }
  return g_string_free (out, FALSE);
}

char **
ks_report_answers_decode (const char *text)
{
  GPtrArray *pairs;
  const char *p = text;

  if (text == NULL || *text == '\0')
    return NULL;
  pairs = g_ptr_array_new ();
  while (*p)
    {
      const char *end = strchr (p, RECORD_SEP);
      const char *sep;
      gsize len = end ? (gsize) (end - p) : strlen (p);

      sep = memchr (p, UNIT_SEP, len);
      if (sep != NULL)
        {
          g_autofree char *code = g_strndup (p, sep - p);
          g_autofree char *value = g_strndup (sep + 1, len - (sep + 1 - p));

          ks_report_answers_add (pairs, code, value);
        }
      p += len;
      if (*p == RECORD_SEP)
        p++;
    }
  return ks_report_answers_end (pairs);
}

static gboolean
answers_equal (const char * const *a,
               const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal (a, b);
}

gboolean
ks_report_set_answers_take (KsReport  *self,
                            char     **answers)
{
  self->answers_known = TRUE;
  if (answers_equal ((const char * const *) self->answers, (const char * const *) answers))
    {
      g_strfreev (answers);
      return FALSE;
    }
  g_strfreev (self->answers);
  self->answers = answers;
  return TRUE;
}

const char * const *
ks_report_get_answers (KsReport *self)
{
  g_return_val_if_fail (KS_IS_REPORT (self), NULL);
  return (const char * const *) self->answers;
}

const char *
ks_report_get_answer (KsReport   *self,
                      const char *code)
{
  g_return_val_if_fail (KS_IS_REPORT (self), NULL);

  for (guint i = 0; code != NULL && self->answers != NULL && self->answers[i] != NULL; i += 2)
    if (g_str_equal (self->answers[i], code))
      return self->answers[i + 1];
  return NULL;
}

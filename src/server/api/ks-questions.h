/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-questions.h: a category's extra questions (its "extra" JSON) and the checks
 * that answers to them must pass, shared by every way a report comes in (the
 * staff API and Open311), so both accept and refuse the same answers. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *code;
  const char *datatype;             /* string, number, datetime, text, singlevaluelist, multivaluelist */
  const char *datatype_description;
  const char *description;
  gboolean    variable;             /* FALSE: information only, never answered */
  gboolean    required;
  gboolean    hidden_field;         /* automated: the client fills it in itself */
  gint64      order;
  JsonArray  *values;               /* {key, name} objects, or NULL */
} KsQuestion;

/* The questions a client sees, in order; those the server sets itself
 * (automated: server_set) are left out. Strings point into parser. Never NULL. */
GArray     *ks_questions_parse        (JsonParser *parser,
                                       const char *extra);

/* The key or name of a value entry as text (keys may be numbers). */
char       *ks_question_value_text    (JsonObject *value,
                                       const char *member);

/* TRUE when the question lists no values, or lists key. */
gboolean    ks_question_has_key       (const KsQuestion *question,
                                       const char       *key);

const KsQuestion *ks_questions_find   (GArray     *questions,
                                       const char *code);

typedef enum {
  KS_ANSWER_OK,
  KS_ANSWER_NOT_LISTED,             /* a list question answered with a key it does not list */
  KS_ANSWER_NOT_A_NUMBER,
  KS_ANSWER_MISSING,                /* a required question left unanswered */
} KsAnswerProblem;

/* Checks answers (code, value, code, value... with a code repeated for the
 * values of a multivaluelist; empty values count as unanswered) against the
 * questions. On a problem, *out_question is the question at fault and
 * *out_value (nullable) the value. Codes that are no question are not looked
 * at here. */
KsAnswerProblem ks_questions_check    (GArray            *questions,
                                       GPtrArray         *answers,
                                       const KsQuestion **out_question,
                                       const char       **out_value);

G_END_DECLS

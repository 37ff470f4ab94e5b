/* ks-api-actions.c: what staff do to reports: create one for a resident,
 * acknowledge, update, change state or priority, moderate, hide and unhide, ask
 * for more information, and keep a shortlist.
 *
 * Every handler here runs inside the request's write transaction: it validates all
 * of its input before it writes anything, and answers the report as it now is,
 * {"report": <detail>}. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "api/ks-api.h"
#include "http/ks-router.h"
#include "api/ks-api-util.h"
#include "api/ks-wire-report.h"
#include "ks-geo.h"
#include "mail/ks-mailer.h"
#include "http/ks-media.h"
#include "api/ks-questions.h"
#include "http/ks-server-config.h"
#include "ks-states.h"
#include "ks-template.h"
#include "ks-time.h"

#include <math.h>
#include <string.h>

#define MAX_TITLE_LENGTH   200
#define MAX_DETAIL_LENGTH  10000
#define MAX_TEXT_LENGTH    5000
#define MAX_REASON_LENGTH  1000
#define MAX_NAME_LENGTH    200
#define MAX_EMAIL_LENGTH   254
#define MAX_PHONE_LENGTH   40
#define MAX_ADDRESS_LENGTH 500
#define MAX_SHORTLIST      1000
#define MAX_ANSWERS        100
#define MAX_ANSWER_LENGTH  4000

/* Titles, names and the like are single lines: no control characters. */
static gboolean
check_one_line (KsRequest  *req,
                const char *field,
                const char *value)
{
  if (value == NULL)
    return TRUE;
  for (const guchar *p = (const guchar *) value; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      {
        ks_request_error (req, 422, "invalid",
                          "The field “%s” must be a single line of text, without line breaks "
                          "or tabs.", field);
        return FALSE;
      }
  return TRUE;
}

/* The same, for the report named by a path parameter. */
static gboolean
load_report (KsRequest    *req,
             const char   *param,
             KsReportCore *report)
{
  gint64 id;

  return ks_request_param_id (req, param, &id) && ks_api_load_report (req, id, report);
}

/* Writes the report detail after "key" (the caller opened the object). */
static gboolean
write_detail (KsRequest    *req,
              KsJsonWriter *w,
              const char   *key,
              gint64        report_id)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0;

  ks_json_writer_key (w, key);
  if (!ks_wire_report_write_detail (req->store, &req->principal, report_id, w, &body_id, NULL,
                                    &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

/* The usual answer: {"report": <detail>}. */
static void
answer_report (KsRequest *req,
               guint      status,
               gint64     report_id)
{
  KsJsonWriter w;

  ks_request_begin_json (req, status, &w);
  ks_json_writer_begin_object (&w);
  if (!write_detail (req, &w, "report", report_id))
    return;
  ks_json_writer_end_object (&w);
}

/* 409 with the report as it is now, so the app can show both sides. */
static void
answer_conflict (KsRequest  *req,
                 gint64      report_id,
                 const char *message)
{
  KsJsonWriter w;

  ks_request_begin_json (req, 409, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "error");
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "code", "conflict");
  ks_json_writer_member_string (&w, "message", message);
  ks_json_writer_end_object (&w);
  if (!write_detail (req, &w, "current", report_id))
    return;
  ks_json_writer_end_object (&w);
}

/* Reads "version": the version of the report the change was based on. When the
 * report has changed since, answers 409 with the current report. */
static gboolean
check_version (KsRequest          *req,
               JsonObject         *obj,
               gboolean            required,
               const KsReportCore *report)
{
  gint64 version = 0;
  g_autofree char *message = NULL;

  if (!ks_request_get_int (req, obj, "version", required, 1, G_MAXINT64, &version))
    return FALSE;
  if (version == 0 || version == report->version)
    return TRUE;
  message = g_strdup_printf ("Someone changed this report while you were looking at it "
                             "(you had version %" G_GINT64_FORMAT ", it is now at version %"
                             G_GINT64_FORMAT "). Check the report as it is now and try again.",
                             version, report->version);
  answer_conflict (req, report->id, message);
  return FALSE;
}

/* A hidden report keeps its state until it is unhidden. */
static gboolean
check_not_hidden (KsRequest          *req,
                  const KsReportCore *report)
{
  if (g_strcmp0 (report->state, "hidden") != 0)
    return TRUE;
  answer_conflict (req, report->id,
                   "This report is hidden. It must be unhidden first (by someone who may hide "
                   "reports) before its state can change.");
  return FALSE;
}

/* A state staff may move a report to: any open, fixed or closed state. */
static gboolean
check_target_state (KsRequest  *req,
                    const char *field,
                    const char *state)
{
  const KsState *s = ks_state_lookup (state);

  if (s == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “%s” must be one of the report states (see GET /api/v1/states).",
                        field);
      return FALSE;
    }
  if (s->kind == KS_STATE_KIND_HIDDEN)
    {
      ks_request_error (req, 422, "invalid",
                        "To hide a report, use “Hide” (POST /api/v1/reports/{id}/hide).");
      return FALSE;
    }
  if (s->kind == KS_STATE_KIND_UNCONFIRMED)
    {
      ks_request_error (req, 422, "invalid",
                        "A report cannot be set back to unconfirmed. Choose an open, fixed or "
                        "closed state.");
      return FALSE;
    }
  return TRUE;
}

/* Reads the optional "template_id": a template of the report's council for its
 * category, which needs the permission to use templates. */
static gboolean
load_template (KsRequest          *req,
               JsonObject         *obj,
               const KsReportCore *report,
               KsTemplateRow      *template,
               gboolean           *have)
{
  g_autoptr(GError) error = NULL;
  gint64 template_id = 0;
  gboolean found = FALSE;

  *have = FALSE;
  if (!ks_request_get_int (req, obj, "template_id", FALSE, 1, G_MAXINT64, &template_id))
    return FALSE;
  if (template_id == 0)
    return TRUE;
  if (!ks_request_require (req, KS_PERM_USE_TEMPLATES))
    return FALSE;
  if (!ks_store_actions_get_template (req->store, template_id, report->category_id, &found,
                                      template, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (!found || template->body_id != report->body_id)
    {
      ks_request_error (req, 422, "invalid",
                        "There is no template %" G_GINT64_FORMAT " for this report's council. "
                        "Choose one from the list of templates.", template_id);
      return FALSE;
    }
  if (!template->applies)
    {
      ks_request_error (req, 422, "invalid",
                        "The template “%s” is not for the category “%s”. Choose another template.",
                        template->title, report->category);
      return FALSE;
    }
  *have = TRUE;
  return TRUE;
}

/* The values of template placeholders for a report that will be in state. */
static GHashTable *
template_values (KsRequest          *req,
                 const KsReportCore *report,
                 const char         *state)
{
  GHashTable *values = ks_template_values_new ();
  const KsState *s = ks_state_lookup (state);
  const char *base = req->config->public_url ? req->config->public_url : "";
  gsize base_len = strlen (base);

  while (base_len > 0 && base[base_len - 1] == '/')
    base_len--;
  g_hash_table_insert (values, g_strdup ("id"), g_strdup_printf ("%" G_GINT64_FORMAT, report->id));
  g_hash_table_insert (values, g_strdup ("title"), g_strdup (report->title ? report->title : ""));
  g_hash_table_insert (values, g_strdup ("category"), g_strdup (report->category ? report->category : ""));
  g_hash_table_insert (values, g_strdup ("state"), g_strdup (s ? s->label : (state ? state : "")));
  g_hash_table_insert (values, g_strdup ("council"), g_strdup (report->council ? report->council : ""));
  g_hash_table_insert (values, g_strdup ("ward"), g_strdup (report->ward ? report->ward : ""));
  g_hash_table_insert (values, g_strdup ("reporter_name"),
                       g_strdup (report->show_name && report->reporter_name ? report->reporter_name : ""));
  g_hash_table_insert (values, g_strdup ("url"),
                       g_strdup_printf ("%.*s/reports/%" G_GINT64_FORMAT, (int) base_len, base, report->id));
  return values;
}

/* The text of a reply: text as given, or the template's; with a template, its
 * placeholders filled. NULL when there is none. */
static char *
reply_text (KsRequest           *req,
            const KsReportCore  *report,
            const char          *text,
            const KsTemplateRow *template,
            gboolean             have_template,
            const char          *state)
{
  g_autoptr(GHashTable) values = NULL;
  const char *source = text;

  if (have_template && ks_api_is_blank (source))
    source = template->text;
  if (ks_api_is_blank (source))
    return NULL;
  if (!have_template)
    return g_strdup (source);
  values = template_values (req, report, state);
  return ks_template_fill (source, values);
}

/* Audit details are small JSON objects; start one with ks_json_writer_begin_object. */
static gboolean
audit (KsRequest          *req,
       const KsReportCore *report,
       const char         *action,
       GString            *details)
{
  return ks_request_audit (req, report->body_id, action, "report", report->id,
                           details ? details->str : NULL);
}

static gboolean
fail (KsRequest *req, GError *error)
{
  ks_request_gerror (req, error);
  return FALSE;
}

/* ---- photos ---- */

/* Reads the optional "photo": the base64 of a JPEG or PNG image (a "data:" URL
 * prefix is allowed), at most KS_MEDIA_MAX_BYTES decoded. Sets *out_data to the
 * decoded bytes, or NULL when there is no photo. Answers 413/422 and returns FALSE
 * when the photo is not acceptable. Nothing is written yet. */
static gboolean
read_photo (KsRequest  *req,
            JsonObject *obj,
            GBytes    **out_data)
{
  const char *text = NULL, *comma;
  g_autofree guchar *data = NULL;
  gsize len = 0, n_chars = 0;
  JsonNode *node;

  *out_data = NULL;
  node = ks_request_member (req, obj, "photo");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “photo” must be a string: the base64 of a JPEG or PNG "
                        "image.");
      return FALSE;
    }
  text = json_node_get_string (node);
  if (g_str_has_prefix (text, "data:") && (comma = strchr (text, ',')) != NULL)
    text = comma + 1;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '+' || *p == '/' || *p == '=')
        n_chars++;
      else if (!g_ascii_isspace (*p))
        {
          ks_request_error (req, 422, "invalid",
                            "The field “photo” is not valid base64. Send the image's bytes "
                            "encoded as base64.");
          return FALSE;
        }
    }
  if (n_chars == 0)
    return TRUE;
  if (n_chars / 4 * 3 > KS_MEDIA_MAX_BYTES + 3)
    {
      ks_request_error (req, 413, "too_large",
                        "The photo is larger than %d MB. Choose a smaller photo, or scale "
                        "it down first.", KS_MEDIA_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  data = g_base64_decode (text, &len);
  if (len > KS_MEDIA_MAX_BYTES)
    {
      ks_request_error (req, 413, "too_large",
                        "The photo is larger than %d MB. Choose a smaller photo, or scale "
                        "it down first.", KS_MEDIA_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (ks_media_sniff (data, len) == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The photo is not a JPEG or PNG image. Choose a JPEG or PNG file.");
      return FALSE;
    }
  *out_data = g_bytes_new_take (g_steal_pointer (&data), len);
  return TRUE;
}

/* Stores a photo read by read_photo() in the media directory and returns its
 * reference ("/api/v1/media/NAME"); NULL with an answer set when that fails. */
static char *
save_photo (KsRequest *req,
            GBytes    *photo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (photo, &len);

  name = ks_media_save (req->config->media_dir, data, len, &error);
  if (name == NULL)
    {
      g_warning ("%s", error->message);
      ks_request_gerror (req, error);
      return NULL;
    }
  return g_strconcat (KS_MEDIA_PREFIX, name, NULL);
}

/* ---- create on behalf ---- */

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
  g_ptr_array_add (pairs, g_strdup (q->code));
  g_ptr_array_add (pairs, text);
  return TRUE;
}

/* Reads "attributes", the answers to the category's questions ({"CODE": value},
 * a list of values for a multivaluelist), into code, value pairs, and checks
 * them as Open311 does: listed values, numbers, every required question. */
static gboolean
read_answers (KsRequest  *req,
              JsonObject *obj,
              const char *extra,
              GPtrArray  *pairs)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) questions = ks_questions_parse (parser, extra);
  g_autoptr(GList) codes = NULL;
  JsonNode *node = ks_request_member (req, obj, "attributes");
  JsonObject *answers = NULL;
  const KsQuestion *q = NULL;
  const char *bad = NULL;
  g_autoptr(GString) keys = NULL;

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
            if (!add_answer (req, q, json_array_get_element (list, i), pairs))
              return FALSE;
        }
      else if (!JSON_NODE_HOLDS_NULL (value) && !add_answer (req, q, value, pairs))
        return FALSE;
    }

  switch (ks_questions_check (questions, pairs, &q, &bad))
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
                        "send the report again.", q->description, q->code);
      return FALSE;
    }
}

static void
handle_create (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *council = NULL;
  g_autofree char *email_lower = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  JsonObject *obj, *reporter = NULL;
  JsonNode *node;
  KsNewReport nr = { 0 };
  KsNewUpdate created = { 0 };
  KsReportCore report = { 0 };
  KsJsonWriter dw;
  gint64 category_id = 0, body_id = 0, report_id = 0;
  gboolean as_council = FALSE, show_name = FALSE, found = FALSE, active = FALSE;
  const char *title = NULL, *detail = NULL, *address = NULL;
  const char *name = NULL, *email = NULL, *phone = NULL;
  double lat = NAN, lon = NAN;
  g_autofree char *location = NULL;
  g_autofree char *photo_ref = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func (g_free);

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_int (req, obj, "category_id", TRUE, 1, G_MAXINT64, &category_id) ||
      !ks_request_get_string (req, obj, "title", TRUE, MAX_TITLE_LENGTH, &title) ||
      !ks_request_get_string (req, obj, "detail", TRUE, MAX_DETAIL_LENGTH, &detail) ||
      !ks_request_get_double (req, obj, "lat", TRUE, &lat) ||
      !ks_request_get_double (req, obj, "lon", TRUE, &lon) ||
      !ks_request_get_string (req, obj, "address", FALSE, MAX_ADDRESS_LENGTH, &address) ||
      !ks_request_get_bool (req, obj, "as_council", FALSE, &as_council) ||
      !read_photo (req, obj, &photo))
    return;

  if (!check_one_line (req, "title", title) || !check_one_line (req, "address", address))
    return;
  if (!ks_geo_valid_lat_lon (lat, lon))
    {
      ks_request_error (req, 422, "invalid",
                        "The fields “lat” and “lon” must be a latitude (-90 to 90) and a "
                        "longitude (-180 to 180) in degrees.");
      return;
    }

  node = ks_request_member (req, obj, "reporter");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ks_request_error (req, 422, "invalid",
                            "The field “reporter” must be an object: {\"name\", \"email\", "
                            "\"phone\", \"show_name\"}.");
          return;
        }
      reporter = json_node_get_object (node);
    }
  if (as_council && reporter != NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "Give either “reporter” or “as_council”, not both.");
      return;
    }
  if (!as_council && reporter == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “reporter” is required (the resident's name and contact "
                        "details), unless “as_council” is true.");
      return;
    }
  if (reporter != NULL)
    {
      if (!ks_request_get_string (req, reporter, "name", TRUE, MAX_NAME_LENGTH, &name) ||
          !ks_request_get_string (req, reporter, "email", FALSE, MAX_EMAIL_LENGTH, &email) ||
          !ks_request_get_string (req, reporter, "phone", FALSE, MAX_PHONE_LENGTH, &phone) ||
          !ks_request_get_bool (req, reporter, "show_name", FALSE, &show_name))
        return;
      if (!check_one_line (req, "name", name) || !check_one_line (req, "phone", phone))
        return;
      if (ks_api_is_blank (email))
        email = NULL;
      if (ks_api_is_blank (phone))
        phone = NULL;
      if (email != NULL)
        {
          email_lower = g_utf8_strdown (email, -1);
          g_strstrip (email_lower);
          if (!ks_mailer_address_is_valid (email_lower))
            {
              ks_request_error (req, 422, "invalid",
                                "The reporter's email address “%s” is not valid. Check it, or "
                                "leave it out.", email);
              return;
            }
        }
    }

  if (!ks_store_actions_get_category (req->store, category_id, &found, &body_id, &active, &extra,
                                      &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!found || !ks_principal_in_body (&req->principal, body_id))
    {
      ks_request_error (req, 422, "invalid",
                        "There is no category %" G_GINT64_FORMAT " in your council. Choose one "
                        "from the list of categories.", category_id);
      return;
    }
  if (!active)
    {
      ks_request_error (req, 422, "invalid",
                        "That category is not in use any more. Choose another category.");
      return;
    }
  if (!read_answers (req, obj, extra, answers))
    return;
  if (!ks_store_actions_get_council_name (req->store, body_id, &council, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  nr.body_id = body_id;
  nr.category_id = category_id;
  nr.title = title;
  nr.detail = detail;
  nr.lat = lat;
  nr.lon = lon;
  nr.address = ks_api_is_blank (address) ? NULL : address;
  nr.created_by = req->principal.user_id;
  nr.attributes = (const char * const *) answers->pdata;
  nr.n_attributes = answers->len / 2;
  if (as_council)
    {
      nr.reporter_name = council;
      nr.show_name = TRUE;
    }
  else
    {
      nr.reporter_name = name;
      nr.reporter_email = email_lower;
      nr.reporter_phone = phone;
      nr.show_name = show_name;
    }

  if (photo != NULL && (photo_ref = save_photo (req, photo)) == NULL)
    return;
  nr.photo = photo_ref;
  if (!ks_store_actions_create_report (req->store, &nr, &report_id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  created.report_id = report_id;
  created.user_id = req->principal.user_id;
  created.author_name = req->principal.name;
  created.kind = "created";
  created.state = "confirmed";
  created.public = FALSE;
  if (!ks_store_actions_add_update (req->store, &created, NULL, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  report.id = report_id;
  report.body_id = body_id;
  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_int (&dw, "category_id", category_id);
  ks_json_writer_member_bool (&dw, "as_council", as_council);
  if (photo_ref != NULL)
    ks_json_writer_member_string (&dw, "photo", photo_ref);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "create_report", details))
    return;

  answer_report (req, 201, report_id);
  if (req->status == 201)
    {
      location = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
      ks_request_add_header (req, "Location", location);
    }
}

/* ---- acknowledge ---- */

/* Applies a change to the report and adds its timeline entry, written by the
 * caller, in the request's transaction; answers the error and returns FALSE on
 * failure. */
static gboolean
record_change (KsRequest            *req,
               gint64                report_id,
               const KsReportChange *change,
               KsNewUpdate          *update)
{
  g_autoptr(GError) error = NULL;

  update->report_id = report_id;
  update->user_id = req->principal.user_id;
  update->author_name = req->principal.name;
  if (!ks_store_actions_change_report (req->store, report_id, change, &error) ||
      !ks_store_actions_add_update (req->store, update, NULL, &error))
    {
      fail (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
handle_acknowledge (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsTemplateRow) template = { 0 };
  g_autofree char *reply = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *text = NULL;
  gboolean have_template = FALSE, first;

  if (!load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "text", FALSE, MAX_TEXT_LENGTH, &text) ||
      !check_version (req, obj, FALSE, &report) ||
      !load_template (req, obj, &report, &template, &have_template))
    return;

  /* Acknowledging is not a change of state, even with a template that has one. */
  reply = reply_text (req, &report, text, &template, have_template, report.state);
  first = report.acknowledged == 0;
  if (!first && reply == NULL)
    {
      answer_report (req, 200, report.id);
      return;
    }

  if (first)
    {
      change.set_acknowledged = TRUE;
      change.acknowledged = ks_time_now ();
      change.acknowledged_by = req->principal.user_id;
    }
  update.kind = first ? "acknowledge" : "update";
  update.text = reply;
  update.public = reply != NULL;

  if (!record_change (req, report.id, &change, &update))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_bool (&dw, "first", first);
  ks_json_writer_member_bool (&dw, "reply", reply != NULL);
  if (have_template)
    ks_json_writer_member_int (&dw, "template_id", template.id);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "acknowledge", details))
    return;
  answer_report (req, 200, report.id);
}

/* ---- public update ---- */

static void
handle_update (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsTemplateRow) template = { 0 };
  g_autofree char *reply = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *text = NULL, *state = NULL, *new_state;
  gboolean have_template = FALSE, public = TRUE;
  g_autofree char *photo_ref = NULL;
  g_autoptr(GBytes) photo = NULL;

  if (!load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "text", FALSE, MAX_TEXT_LENGTH, &text) ||
      !ks_request_get_string (req, obj, "state", FALSE, 40, &state) ||
      !ks_request_get_bool (req, obj, "public", FALSE, &public) ||
      !read_photo (req, obj, &photo) ||
      (state != NULL && !check_target_state (req, "state", state)) ||
      !check_version (req, obj, FALSE, &report) ||
      !load_template (req, obj, &report, &template, &have_template))
    return;

  new_state = state != NULL ? state : (have_template ? template.state : NULL);
  if (new_state != NULL && !check_target_state (req, "state", new_state))
    return;
  if (g_strcmp0 (new_state, report.state) == 0)
    new_state = NULL;
  if (new_state != NULL &&
      (!ks_request_require (req, KS_PERM_UPDATE_STATUS) || !check_not_hidden (req, &report)))
    return;

  reply = reply_text (req, &report, text, &template, have_template,
                      new_state ? new_state : report.state);
  if (reply == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “text” is required (or choose a template).");
      return;
    }

  change.set_state = new_state != NULL;
  change.state = new_state;
  update.kind = "update";
  update.text = reply;
  update.state = new_state;
  update.public = public;
  if (photo != NULL && (photo_ref = save_photo (req, photo)) == NULL)
    return;
  update.photo = photo_ref;
  if (!record_change (req, report.id, &change, &update))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_bool (&dw, "public", public);
  if (photo_ref != NULL)
    ks_json_writer_member_string (&dw, "photo", photo_ref);
  if (new_state != NULL)
    {
      ks_json_writer_member_string (&dw, "from", report.state);
      ks_json_writer_member_string (&dw, "to", new_state);
    }
  if (have_template)
    ks_json_writer_member_int (&dw, "template_id", template.id);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "update_report", details))
    return;
  answer_report (req, 200, report.id);
}

/* ---- state ---- */

static void
handle_state (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *state = NULL, *text = NULL;
  gboolean same;

  if (!load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "state", TRUE, 40, &state) ||
      !ks_request_get_string (req, obj, "text", FALSE, MAX_TEXT_LENGTH, &text) ||
      !check_target_state (req, "state", state) ||
      !check_version (req, obj, TRUE, &report))
    return;

  same = g_strcmp0 (state, report.state) == 0;
  if (same && ks_api_is_blank (text))
    {
      answer_report (req, 200, report.id);
      return;
    }
  if (!same && !check_not_hidden (req, &report))
    return;

  change.set_state = !same;
  change.state = state;
  update.kind = same ? "update" : "state";
  update.text = ks_api_is_blank (text) ? NULL : text;
  update.state = same ? NULL : state;
  update.public = TRUE;
  if (!record_change (req, report.id, &change, &update))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_string (&dw, "from", report.state);
  ks_json_writer_member_string (&dw, "to", state);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "update_status", details))
    return;
  answer_report (req, 200, report.id);
}

/* ---- priority ---- */

static void
handle_priority (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  gint64 priority_id = 0, body_id = 0;
  gboolean found = FALSE, active = FALSE, applies = FALSE;

  if (!load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL)
    return;
  if (ks_request_member (req, obj, "priority_id") == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “priority_id” is required (null takes the priority away).");
      return;
    }
  if (!ks_request_get_int (req, obj, "priority_id", FALSE, 1, G_MAXINT64, &priority_id) ||
      !check_version (req, obj, TRUE, &report))
    return;

  if (priority_id != 0)
    {
      if (!ks_store_actions_get_priority (req->store, priority_id, report.category_id, &found,
                                          &body_id, &active, &applies, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      if (!found || body_id != report.body_id)
        {
          ks_request_error (req, 422, "invalid",
                            "There is no priority %" G_GINT64_FORMAT " in this report's council. "
                            "Choose one from the list of priorities.", priority_id);
          return;
        }
      if (!active)
        {
          ks_request_error (req, 422, "invalid",
                            "That priority is not in use any more. Choose another priority.");
          return;
        }
      if (!applies)
        {
          ks_request_error (req, 422, "invalid",
                            "That priority is not for the category “%s”. Choose one of the "
                            "priorities set for this category.", report.category);
          return;
        }
    }

  if (priority_id == report.priority_id)
    {
      answer_report (req, 200, report.id);
      return;
    }

  change.set_priority = TRUE;
  change.priority_id = priority_id;
  update.kind = "priority";
  update.priority_id = priority_id;
  update.public = FALSE;
  if (!record_change (req, report.id, &change, &update))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_key (&dw, "from");
  if (report.priority_id)
    ks_json_writer_int (&dw, report.priority_id);
  else
    ks_json_writer_null (&dw);
  ks_json_writer_key (&dw, "to");
  if (priority_id)
    ks_json_writer_int (&dw, priority_id);
  else
    ks_json_writer_null (&dw);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "prioritise", details))
    return;
  answer_report (req, 200, report.id);
}

/* ---- moderation ---- */

static void
handle_moderate (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsReportChange change = { 0 };
  KsNewModeration mod = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *reason = NULL, *title = NULL, *detail = NULL;
  gboolean show_name = FALSE, remove_photo = FALSE;

  if (!load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, &reason) ||
      !ks_request_get_string (req, obj, "title", FALSE, MAX_TITLE_LENGTH, &title) ||
      !ks_request_get_string (req, obj, "detail", FALSE, MAX_DETAIL_LENGTH, &detail) ||
      !ks_request_get_bool (req, obj, "show_name", FALSE, &show_name) ||
      !ks_request_get_bool (req, obj, "remove_photo", FALSE, &remove_photo))
    return;
  if (!ks_request_has (obj, "show_name"))
    show_name = report.show_name;
  if (!check_one_line (req, "title", title))
    return;
  if (title != NULL && ks_api_is_blank (title))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “title” must not be empty. Give the corrected title, or "
                        "leave the field out to keep it.");
      return;
    }
  if (!check_version (req, obj, TRUE, &report))
    return;

  change.set_title = title != NULL && g_strcmp0 (title, report.title) != 0;
  change.title = title;
  change.set_detail = detail != NULL && g_strcmp0 (detail, report.detail) != 0;
  change.detail = detail;
  change.set_show_name = show_name != report.show_name;
  change.show_name = show_name;
  change.remove_photo = remove_photo && report.photo != NULL;

  if (remove_photo && report.photo == NULL && !change.set_title && !change.set_detail &&
      !change.set_show_name)
    {
      ks_request_error (req, 422, "invalid", "This report has no photo to remove.");
      return;
    }
  if (!change.set_title && !change.set_detail && !change.set_show_name && !change.remove_photo)
    {
      ks_request_error (req, 422, "invalid",
                        "Nothing would change. Give a new “title” or “detail”, change "
                        "“show_name”, or set “remove_photo”.");
      return;
    }

  mod.report_id = report.id;
  mod.user_id = req->principal.user_id;
  mod.reason = reason;
  mod.old_title = report.title;
  mod.new_title = change.set_title ? title : report.title;
  mod.old_detail = report.detail;
  mod.new_detail = change.set_detail ? detail : report.detail;
  mod.old_show_name = report.show_name;
  mod.new_show_name = show_name;
  mod.old_photo = report.photo;
  mod.photo_removed = change.remove_photo;
  if (!ks_store_actions_change_report (req->store, report.id, &change, &error) ||
      !ks_store_actions_add_moderation (req->store, &mod, NULL, &error))
    {
      fail (req, error);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_key (&dw, "fields");
  ks_json_writer_begin_array (&dw);
  if (change.set_title)
    ks_json_writer_string (&dw, "title");
  if (change.set_detail)
    ks_json_writer_string (&dw, "detail");
  if (change.set_show_name)
    ks_json_writer_string (&dw, "show_name");
  if (change.remove_photo)
    ks_json_writer_string (&dw, "photo");
  ks_json_writer_end_array (&dw);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "moderate", details))
    return;
  answer_report (req, 200, report.id);
}

/* ---- hide and unhide ---- */

static void
hide_or_unhide (KsRequest *req,
                gboolean   hide)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *previous = NULL;
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *reason = NULL, *new_state;
  gboolean hidden;

  if (!load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", FALSE, MAX_REASON_LENGTH, &reason) ||
      !check_version (req, obj, TRUE, &report))
    return;

  hidden = g_strcmp0 (report.state, "hidden") == 0;
  if (hide == hidden)
    {
      answer_report (req, 200, report.id);
      return;
    }

  if (hide)
    new_state = "hidden";
  else
    {
      /* Back to the state it had before it was hidden. */
      if (!ks_store_actions_state_before_hide (req->store, report.id, &previous, &error))
        {
          fail (req, error);
          return;
        }
      if (!ks_state_is_public (previous))
        {
          g_free (previous);
          previous = g_strdup ("confirmed");
        }
      new_state = previous;
    }

  change.set_state = TRUE;
  change.state = new_state;
  update.kind = hide ? "hide" : "unhide";
  update.text = ks_api_is_blank (reason) ? NULL : reason;
  update.state = new_state;
  update.public = FALSE;
  if (!record_change (req, report.id, &change, &update))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_string (&dw, "from", report.state);
  ks_json_writer_member_string (&dw, "to", new_state);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, hide ? "hide" : "unhide", details))
    return;
  answer_report (req, 200, report.id);
}

static void
handle_hide (KsRequest *req)
{
  hide_or_unhide (req, TRUE);
}

static void
handle_unhide (KsRequest *req)
{
  hide_or_unhide (req, FALSE);
}

/* ---- request for more information ---- */

static char *
request_info_body (KsRequest          *req,
                   const KsReportCore *report,
                   const char         *text)
{
  const char *base = req->config->public_url ? req->config->public_url : "";
  gsize base_len = strlen (base);
  GString *body = g_string_new (NULL);

  while (base_len > 0 && base[base_len - 1] == '/')
    base_len--;
  if (!ks_api_is_blank (report->reporter_name))
    g_string_append_printf (body, "Dear %s,\n\n", report->reporter_name);
  else
    g_string_append (body, "Hello,\n\n");
  g_string_append_printf (body,
                          "%s needs more information about the problem you reported, "
                          "“%s” (reference %" G_GINT64_FORMAT "):\n\n%s\n\n"
                          "You can answer by adding an update to your report:\n"
                          "%.*s/reports/%" G_GINT64_FORMAT "\n\n"
                          "Thank you,\n%s\n",
                          report->council, report->title, report->id, text,
                          (int) base_len, base, report->id, report->council);
  return g_string_free (body, FALSE);
}

static void
handle_request_info (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  KsReportChange change = { 0 };
  KsNewUpdate update = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  const char *text = NULL;
  gboolean changes_state, emailed;

  if (!load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "text", TRUE, MAX_TEXT_LENGTH, &text) ||
      !check_version (req, obj, FALSE, &report) ||
      !check_not_hidden (req, &report))
    return;

  changes_state = g_strcmp0 (report.state, "awaiting_information") != 0;
  change.set_state = changes_state;
  change.state = "awaiting_information";
  update.kind = "request_info";
  update.text = text;
  update.state = changes_state ? "awaiting_information" : NULL;
  update.public = TRUE;
  if (!record_change (req, report.id, &change, &update))
    return;

  /* The question goes to the reporter when we have an address for them; it stays
   * on the report either way. */
  emailed = report.reporter_email != NULL && ks_mailer_address_is_valid (report.reporter_email);

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_bool (&dw, "emailed", emailed);
  if (changes_state)
    {
      ks_json_writer_member_string (&dw, "from", report.state);
      ks_json_writer_member_string (&dw, "to", "awaiting_information");
    }
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "request_info", details))
    return;

  /* Last, so that nothing after it can fail and leave a mail for a change that
   * was rolled back. */
  if (emailed)
    {
      subject = g_strdup_printf ("Your report “%s”: the council needs more information",
                                 report.title);
      body = request_info_body (req, &report, text);
      if (!ks_mailer_send (req->config, req->store, report.reporter_email, subject, body,
                           FALSE, report.id, &error))
        {
          fail (req, error);
          return;
        }
    }
  answer_report (req, 200, report.id);
}

/* ---- shortlist ---- */

static void
handle_shortlist_get (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  if (!ks_wire_report_write_shortlist (req->store, req->principal.user_id, &w, &error))
    ks_request_gerror (req, error);
}

/* A report leaving someone's shortlist disappears from their app when that is all
 * they may see. */
static gboolean
tombstone_if_needed (KsRequest          *req,
                     const KsReportCore *report,
                     gint64              user_id)
{
  g_autoptr(GError) error = NULL;
  gboolean sees_all = TRUE;

  if (!ks_store_actions_user_sees_all (req->store, user_id, &sees_all, &error) ||
      (!sees_all && !ks_store_actions_add_tombstone (req->store, report->id, report->body_id,
                                                     user_id, &error)))
    return fail (req, error);
  return TRUE;
}

static void
handle_shortlist_add (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw;
  JsonObject *obj;
  gint64 report_id = 0, me = req->principal.user_id, previous;
  gboolean take = FALSE;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_int (req, obj, "report_id", TRUE, 1, G_MAXINT64, &report_id) ||
      !ks_request_get_bool (req, obj, "take", FALSE, &take))
    return;
  if (!ks_api_load_report (req, report_id, &report))
    return;

  previous = report.shortlist_user;
  if (previous == me)
    {
      answer_report (req, 200, report.id);
      return;
    }
  if (previous != 0 && !take)
    {
      KsJsonWriter w;
      g_autofree char *message = g_strdup_printf (
        "This report is on %s's shortlist. Ask them, or take it over onto yours.",
        report.shortlist_user_name ? report.shortlist_user_name : "another inspector");

      ks_request_begin_json (req, 409, &w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_key (&w, "error");
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "code", "conflict");
      ks_json_writer_member_string (&w, "message", message);
      ks_json_writer_end_object (&w);
      ks_json_writer_key (&w, "holder");
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "id", previous);
      ks_json_writer_member_string (&w, "name", report.shortlist_user_name);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_object (&w);
      return;
    }

  if (previous != 0 && !tombstone_if_needed (req, &report, previous))
    return;
  if (!ks_store_actions_shortlist_set (req->store, report.id, me, 0, &error))
    {
      fail (req, error);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  if (previous != 0)
    ks_json_writer_member_int (&dw, "taken_from", previous);
  ks_json_writer_end_object (&dw);
  if (!audit (req, &report, "shortlist_add", details))
    return;
  answer_report (req, 200, report.id);
}

static void
handle_shortlist_remove (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };

  if (!load_report (req, "report_id", &report))
    return;
  if (report.shortlist_user != req->principal.user_id)
    {
      ks_request_error (req, 404, "not_found",
                        "Report %" G_GINT64_FORMAT " is not on your shortlist. Refresh your "
                        "shortlist.", report.id);
      return;
    }
  if (!ks_store_actions_shortlist_set (req->store, report.id, 0, 0, &error))
    {
      fail (req, error);
      return;
    }
  if (!tombstone_if_needed (req, &report, req->principal.user_id) ||
      !audit (req, &report, "shortlist_remove", NULL))
    return;

  /* Someone who sees only their shortlist may no longer see this report. */
  if (ks_principal_can (&req->principal, KS_PERM_VIEW_ALL_REPORTS))
    answer_report (req, 200, report.id);
  else
    ks_request_no_content (req);
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
handle_shortlist_reorder (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) current = NULL;
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) sorted_current = NULL;
  g_autoptr(GArray) sorted_wanted = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw, w;
  JsonObject *obj;
  JsonNode *node;
  JsonArray *array;
  gboolean same = TRUE;
  guint n;

  if ((obj = ks_request_json_object (req)) == NULL)
    return;
  node = ks_request_member (req, obj, "report_ids");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “report_ids” is required: the ids of the reports on your "
                        "shortlist, in the order you want them.");
      return;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > MAX_SHORTLIST)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “report_ids” has too many ids (at most %d).", MAX_SHORTLIST);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64 ||
          (id = json_node_get_int (e)) <= 0)
        {
          ks_request_error (req, 422, "invalid",
                            "The field “report_ids” must hold report ids (whole numbers).");
          return;
        }
      g_array_append_val (wanted, id);
    }

  if (!ks_store_actions_shortlist_ids (req->store, req->principal.user_id, &current, &error))
    {
      fail (req, error);
      return;
    }
  sorted_current = g_array_copy (current);
  sorted_wanted = g_array_copy (wanted);
  g_array_sort (sorted_current, compare_ids);
  g_array_sort (sorted_wanted, compare_ids);
  if (sorted_current->len != sorted_wanted->len ||
      (n > 0 && memcmp (sorted_current->data, sorted_wanted->data, n * sizeof (gint64)) != 0))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “report_ids” must list exactly the reports on your shortlist "
                        "(%u of them), each once. Refresh your shortlist and try again.",
                        current->len);
      return;
    }

  for (guint i = 0; i < n; i++)
    if (g_array_index (current, gint64, i) != g_array_index (wanted, gint64, i))
      same = FALSE;
  /* Positions are rewritten 1..n even when the order is the same, which also
   * closes the gaps left by removals. */
  for (guint i = 0; i < n && !same; i++)
    if (!ks_store_actions_shortlist_set (req->store, g_array_index (wanted, gint64, i),
                                         req->principal.user_id, i + 1, &error))
      {
        fail (req, error);
        return;
      }

  if (!same)
    {
      ks_json_writer_init (&dw, details);
      ks_json_writer_begin_object (&dw);
      ks_json_writer_member_int (&dw, "count", n);
      ks_json_writer_end_object (&dw);
      if (!ks_request_audit (req, req->principal.body_id, "shortlist_reorder", "user",
                             req->principal.user_id, details->str))
        return;
    }

  ks_request_begin_json (req, 200, &w);
  if (!ks_wire_report_write_shortlist (req->store, req->principal.user_id, &w, &error))
    ks_request_gerror (req, error);
}

void
ks_api_actions_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports", 0,
                 KS_PERM_CREATE_REPORT_ON_BEHALF, handle_create);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/acknowledge", 0,
                 KS_PERM_ACKNOWLEDGE_REPORT, handle_acknowledge);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/updates", 0,
                 KS_PERM_UPDATE_REPORT, handle_update);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/state", 0,
                 KS_PERM_UPDATE_STATUS, handle_state);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/priority", 0,
                 KS_PERM_PRIORITISE_REPORT, handle_priority);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/moderate", 0,
                 KS_PERM_MODERATE_REPORT, handle_moderate);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/hide", 0,
                 KS_PERM_HIDE_REPORT, handle_hide);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/unhide", 0,
                 KS_PERM_HIDE_REPORT, handle_unhide);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/request-info", 0,
                 KS_PERM_REQUEST_MORE_INFO, handle_request_info);
  ks_router_add (router, "GET", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_get);
  ks_router_add (router, "POST", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_add);
  ks_router_add (router, "PUT", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_reorder);
  ks_router_add (router, "DELETE", "/api/v1/shortlist/{report_id}", 0,
                 KS_PERM_SHORTLIST, handle_shortlist_remove);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-action-steps.c: the steps the report action handlers share: checks of
 * their input (one-line text, the version, the target state, a template), the
 * answer with the report's detail, the audit entry and the photo. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "councils/ks-boundaries.h"
#include "api/ks-api-actions-private.h"
#include "api/ks-api-states.h"
#include "api/ks-wire-report.h"
#include "http/ks-image.h"
#include "http/ks-media.h"
#include "http/ks-server-config.h"
#include "ks-states.h"
#include "ks-template.h"

#include <string.h>

/* Titles, names and the like are single lines: no control characters. */
gboolean
ks_action_check_one_line (KsRequest  *req,
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
gboolean
ks_action_load_report (KsRequest    *req,
                       const char   *param,
                       KsReportCore *report)
{
  gint64 id;

  return ks_request_param_id (req, param, &id) && ks_api_load_report (req, id, report);
}

gboolean
ks_action_write_detail (KsRequest    *req,
                        KsJsonWriter *w,
                        const char   *key,
                        gint64        report_id)
{
  g_autoptr(GError) error = NULL;

  ks_json_writer_key (w, key);
  if (req->detail_deferred)
    {
      ks_json_writer_null (w);
      req->detail_report = report_id;
      return TRUE;
    }
  if (!ks_wire_report_write_detail (req->store, &req->principal, report_id, w, NULL, NULL,
                                    &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

/* The usual answer: {"report": <detail>}. */
void
ks_action_answer_report (KsRequest *req,
                         guint      status,
                         gint64     report_id)
{
  KsJsonWriter w;

  ks_request_begin_json (req, status, &w);
  ks_json_writer_begin_object (&w);
  if (!ks_action_write_detail (req, &w, "report", report_id))
    return;
  ks_json_writer_end_object (&w);
}

void
ks_action_begin_conflict (KsRequest    *req,
                          KsJsonWriter *w,
                          const char   *message)
{
  ks_request_begin_json (req, 409, w);
  ks_json_writer_begin_object (w);
  ks_json_writer_key (w, "error");
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "code", "conflict");
  ks_json_writer_member_string (w, "message", message);
  ks_json_writer_end_object (w);
}

/* 409 with the report as it is now, so the app can show both sides. */
static void
answer_conflict (KsRequest  *req,
                 gint64      report_id,
                 const char *message)
{
  KsJsonWriter w;

  ks_action_begin_conflict (req, &w, message);
  if (!ks_action_write_detail (req, &w, "current", report_id))
    return;
  ks_json_writer_end_object (&w);
}

/* Reads "version": the version of the report the change was based on. When the
 * report has changed since, answers 409 with the current report. */
gboolean
ks_action_check_version (KsRequest          *req,
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
gboolean
ks_action_check_not_hidden (KsRequest          *req,
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
gboolean
ks_action_check_target_state (KsRequest  *req,
                              gint64      body_id,
                              const char *field,
                              const char *state)
{
  const KsState *s = ks_api_state_lookup (req->store, state);

  if (s == NULL || !ks_state_in_body (s, body_id))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “%s” must be one of the report states (see GET /api/v1/states).",
                        field);
      return FALSE;
    }
  if (s->inactive)
    {
      ks_request_error (req, 422, "invalid",
                        "The state “%s” is no longer in use. Choose another state.", s->label);
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
gboolean
ks_action_load_template (KsRequest          *req,
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

/* The text of a reply: text as given, or the template's; with a template, its
 * placeholders filled. NULL when there is none. */
char *
ks_action_reply_text (KsRequest           *req,
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
  values = ks_report_template_values (report, state, req->config->public_url);
  return ks_template_fill (source, values);
}

char *
ks_action_reply_email_text (KsRequest           *req,
                            const KsReportCore  *report,
                            const char          *text,
                            const KsTemplateRow *template,
                            gboolean             have_template,
                            const char          *state)
{
  g_autoptr(GHashTable) values = NULL;

  if (!have_template || template->email_text == NULL || !ks_api_is_blank (text))
    return NULL;
  values = ks_report_template_values (report, state, req->config->public_url);
  return ks_template_fill (template->email_text, values);
}

/* Audit details are small JSON objects; start one with ks_json_writer_begin_object. */
gboolean
ks_action_audit (KsRequest          *req,
                 const KsReportCore *report,
                 const char         *action,
                 GString            *details)
{
  return ks_request_audit (req, report->body_id, action, "report", report->id,
                           details ? details->str : NULL);
}

gboolean
ks_action_fail (KsRequest *req, GError *error)
{
  ks_request_gerror (req, error);
  return FALSE;
}

gboolean
ks_action_ward_at (KsRequest *req, gint64 body_id, double lat, double lon,
                   gint64 except_report_id, char **out_ward)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean inside = TRUE;

  if (!ks_boundaries_ward (req->store, body_id, lat, lon, except_report_id, &inside, out_ward,
                           &error))
    return ks_action_fail (req, error);
  if (inside)
    return TRUE;
  g_clear_pointer (out_ward, g_free);
  message = ks_boundaries_outside_message (req->store, body_id, lat, lon);
  ks_request_error (req, 422, "outside_area", "%s", message);
  return FALSE;
}

/* ---- photos ---- */

/* Decodes one photo: the base64 of a JPEG or PNG image (a "data:" URL prefix is
 * allowed), at most KS_MEDIA_MAX_BYTES decoded, that decodes as a whole image.
 * *out_data: NULL for an empty string. Answers 413/422 and returns FALSE when it
 * is not acceptable. */
static gboolean
read_one_photo (KsRequest  *req,
                const char *field,
                JsonNode   *node,
                GBytes    **out_data)
{
  g_autoptr(GError) error = NULL;
  const char *text = NULL, *comma;
  g_autofree guchar *data = NULL;
  gsize len = 0, n_chars = 0;

  *out_data = NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “%s” must be a string: the base64 of a JPEG or PNG "
                        "image.", field);
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
                            "The field “%s” is not valid base64. Send the image's bytes "
                            "encoded as base64.", field);
          return FALSE;
        }
    }
  if (n_chars == 0)
    return TRUE;
  if (n_chars / 4 * 3 > KS_MEDIA_MAX_BYTES + 3 ||
      ((data = g_base64_decode (text, &len)) != NULL && len > KS_MEDIA_MAX_BYTES))
    {
      ks_request_error (req, 413, "too_large",
                        "The photo is larger than %d MB. Choose a smaller photo, or scale "
                        "it down first.", KS_MEDIA_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  /* Decoded whole: a file that only starts like a JPEG or PNG is refused. */
  if (!ks_image_check (data, len, NULL, NULL, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  *out_data = g_bytes_new_take (g_steal_pointer (&data), len);
  return TRUE;
}

gboolean
ks_action_read_photos (KsRequest  *req,
                       JsonObject *obj,
                       GPtrArray **out_photos)
{
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GBytes *data = NULL;
  JsonNode *node;

  *out_photos = NULL;
  node = ks_request_member (req, obj, "photo");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!read_one_photo (req, "photo", node, &data))
        return FALSE;
      if (data != NULL)
        g_ptr_array_add (photos, data);
    }
  node = ks_request_member (req, obj, "photos");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          ks_request_error (req, 422, "invalid",
                            "The field “photos” must be a list of strings, each the base64 "
                            "of a JPEG or PNG image.");
          return FALSE;
        }
      array = json_node_get_array (node);
      if (json_array_get_length (array) > KS_MAX_PHOTOS_LIMIT)
        {
          ks_request_error (req, 422, "too_many_photos",
                            "At most %d photos can be sent at once. Send fewer photos.",
                            KS_MAX_PHOTOS_LIMIT);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (!read_one_photo (req, "photos", json_array_get_element (array, i), &data))
            return FALSE;
          if (data != NULL)
            g_ptr_array_add (photos, data);
        }
    }
  *out_photos = g_steal_pointer (&photos);
  return TRUE;
}

gboolean
ks_action_check_photo_limit (KsRequest *req,
                             gint64     body_id,
                             guint      existing,
                             guint      adding)
{
  g_autoptr(GError) error = NULL;
  guint max = 0;

  if (adding == 0)
    return TRUE;
  if (!ks_store_photos_max_photos (req->store, body_id, &max, &error))
    return ks_action_fail (req, error);
  if (existing + adding > max)
    {
      ks_request_error (req, 422, "too_many_photos",
                        "Your council allows at most %u photos per report and per update; "
                        "this one would have %u. Send fewer photos.", max, existing + adding);
      return FALSE;
    }
  return TRUE;
}

gboolean
ks_action_save_photos (KsRequest *req,
                       GPtrArray *photos,
                       GPtrArray *refs)
{
  for (guint i = 0; i < photos->len; i++)
    {
      char *ref = ks_action_save_photo (req, g_ptr_array_index (photos, i));

      if (ref == NULL)
        return FALSE;
      g_ptr_array_add (refs, ref);
    }
  return TRUE;
}

void
ks_action_member_photos (KsJsonWriter *w,
                         GPtrArray    *refs)
{
  if (refs->len == 0)
    return;
  ks_json_writer_member_string (w, "photo", g_ptr_array_index (refs, 0));
  ks_json_writer_key (w, "photos");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < refs->len; i++)
    ks_json_writer_string (w, g_ptr_array_index (refs, i));
  ks_json_writer_end_array (w);
}

/* Stores a photo read by ks_action_read_photos() in the media directory and returns its
 * reference ("/api/v1/media/NAME"); NULL with an answer set when that fails. */
char *
ks_action_save_photo (KsRequest *req,
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on-email.c: the email of a report sent on (ks-send-on-email.h). */
#define G_LOG_DOMAIN "ks-send-on"

#include "sendon/ks-send-on-email.h"
#include "api/ks-questions.h"
#include "http/ks-media.h"
#include "mail/ks-mailer.h"
#include "mail/ks-notices.h"
#include "ks-error.h"
#include "ks-states.h"
#include "ks-template.h"

#include <string.h>

/* "Question: answer" lines, the questions' own words where the category has them. */
static gboolean
answers_text (KsStore *store, const KsReportCore *report, GString *out, GError **error)
{
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) questions = NULL;
  g_autofree char *extra = NULL;
  gboolean found = FALSE, active = FALSE;
  gint64 body_id = 0;

  if (!ks_store_actions_get_attributes (store, report->id, &pairs, error) ||
      !ks_store_actions_get_category (store, report->category_id, &found, &body_id, &active,
                                      &extra, error))
    return FALSE;
  questions = ks_questions_parse (parser, extra);
  for (guint i = 0; pairs != NULL && i + 1 < pairs->len; i += 2)
    {
      const char *code = g_ptr_array_index (pairs, i);
      const char *value = g_ptr_array_index (pairs, i + 1);
      const KsQuestion *q = ks_questions_find (questions, code);

      if (value == NULL || *value == '\0')
        continue;
      if (out->len == 0)
        g_string_append (out, "Answers:\n");
      g_string_append_printf (out, "- %s: %s\n",
                              q != NULL && q->description != NULL ? q->description : code, value);
    }
  if (out->len > 0)
    g_string_append_c (out, '\n');
  return TRUE;
}

gboolean
ks_send_on_email (const KsServerConfig *config, KsStore *store, const KsSending *sending,
                  GError **error)
{
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsBodyRow) body = { 0 };
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GHashTable) escaped = NULL;
  g_autoptr(GString) answers = g_string_new (NULL);
  g_autofree char *subject_t = NULL, *text_t = NULL, *html_t = NULL;
  g_autofree char *subject = NULL, *text = NULL, *html_body = NULL, *html = NULL;
  g_autofree char *file = NULL, *address = NULL, *base = ks_notices_public_base (config);
  g_autofree char *location = NULL, *photos = NULL;
  KsMailOutcome outcome = KS_MAIL_WRITTEN;
  KsMail mail = { 0 };
  gboolean found = FALSE;
  double lat = 0, lon = 0;

  if (!ks_mailer_address_is_valid (sending->destination))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "“%s” is not an email address.", sending->destination);
      return FALSE;
    }
  if (!ks_store_actions_get_report (store, sending->report_id, &found, &report, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "The report is gone.");
      return FALSE;
    }
  if (!ks_store_actions_get_location (store, report.id, &lat, &lon, &address, error) ||
      !ks_store_admin_get_body (store, report.body_id, &body, error) ||
      !answers_text (store, &report, answers, error) ||
      !ks_notices_template (store, report.body_id, KS_NOTICE_SEND_ON, &subject_t, &text_t,
                            &html_t, error))
    return FALSE;

  values = ks_report_template_values (&report, report.state, config->public_url);
  g_hash_table_insert (values, g_strdup ("reference"),
                       g_strdup_printf ("%" G_GINT64_FORMAT, report.id));
  g_hash_table_insert (values, g_strdup ("detail"), g_strdup (report.detail ? report.detail : ""));
  g_hash_table_insert (values, g_strdup ("reply_to"),
                       g_strdup (body.email != NULL && *body.email != '\0' ? body.email
                                                                          : "the council"));
  location = address != NULL && *address != '\0'
    ? g_strdup_printf ("%s (%.6f, %.6f)", address, lat, lon)
    : g_strdup_printf ("%.6f, %.6f", lat, lon);
  g_hash_table_insert (values, g_strdup ("location"), g_steal_pointer (&location));
  g_hash_table_insert (values, g_strdup ("map_url"),
                       g_strdup_printf ("https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f"
                                        "#map=18/%.6f/%.6f", lat, lon, lat, lon));
  g_hash_table_insert (values, g_strdup ("answers"), g_strdup (answers->str));
  if (report.photo != NULL && ks_media_name_from_ref (report.photo) != NULL)
    photos = g_strdup_printf ("Photo: %s/open311/v2/media/%s\n\n", base,
                              ks_media_name_from_ref (report.photo));
  g_hash_table_insert (values, g_strdup ("photos"), g_strdup (photos ? photos : ""));

  subject = ks_template_fill (subject_t, values);
  text = ks_template_fill (text_t, values);
  if (html_t != NULL && *html_t != '\0')
    {
      escaped = ks_notices_html_values (values);
      html_body = ks_template_fill (html_t, escaped);
      html = ks_notices_html_document (subject, html_body);
    }

  file = g_strdup_printf ("sendon-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT ".eml", sending->id,
                          sending->generation);
  mail.to = sending->destination;
  mail.subject = subject;
  mail.text = text;
  mail.html = html;
  mail.from_name = report.council;
  mail.reply_to = body.email != NULL && *body.email != '\0' ? body.email : NULL;
  mail.report_id = report.id;
  mail.file_name = file;
  if (!ks_mailer_send_mail (config, store, &mail, &outcome, error))
    return FALSE;
  if (outcome == KS_MAIL_OPTED_OUT)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "%s has opted out of emails from Kerbside.", sending->destination);
      return FALSE;
    }
  if (outcome == KS_MAIL_ALREADY_WRITTEN)
    g_message ("The email of sending %" G_GINT64_FORMAT " was in the outbox already: "
               "not written again", sending->id);
  return TRUE;
}

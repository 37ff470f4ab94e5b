/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-notices.c: the notice worker (see ks-notices.h): the texts of the emails to
 * residents and the rounds that write them. */
#define G_LOG_DOMAIN "ks-notices"

#include "mail/ks-notices.h"
#include "mail/ks-mailer.h"
#include "auth/ks-token.h"
#include "ks-error.h"
#include "ks-states.h"
#include "ks-template.h"
#include "ks-time.h"
#include "ks-worker-loop.h"

#include <string.h>

#define ROUND_LIMIT 50

/* ---- The texts ---- */

typedef struct {
  const char *kind;
  const char *subject;
  const char *text;
} DefaultText;

/* What a council without an email template of its own sends. */
static const DefaultText defaults[] = {
  { KS_NOTICE_CONFIRMATION,
    "Your report to {{council}}: {{title}} (reference {{reference}})",
    "Thank you for your report to {{council}}.\n\n"
    "Your reference is {{reference}}: {{title}}\n"
    "It is now: {{state}}\n\n"
    "Follow it at {{url}}\n\n"
    "Questions? Write to {{reply_to}}, giving your reference." },
  { KS_NOTICE_UPDATE,
    "Your report {{reference}} ({{title}}): {{state}}",
    "{{council}} has news of your report {{reference}}: {{title}}\n\n"
    "{{update}}\n\n"
    "It is now: {{state}}\n\n"
    "Follow it at {{url}}" },
  { KS_NOTICE_MODERATED,
    "Your report {{reference}} was edited",
    "{{council}} has edited your report {{reference}} before showing it to the public, "
    "for example to take out personal details.\n\n"
    "It now reads: {{title}}\n\n"
    "See it at {{url}}. Questions? Write to {{reply_to}}." },
  { KS_NOTICE_QUESTIONNAIRE,
    "Has it been fixed? Your report {{reference}} ({{title}})",
    "{{council}} marked your report {{reference}} as fixed: {{title}}\n\n"
    "Was it fixed? Please tell us with one click:\n\n"
    "Yes, it is fixed: {{fixed_url}}\n"
    "No, it is not fixed: {{not_fixed_url}}\n\n"
    "If it is not fixed, the report opens again." },
  /* To the team or contractor of the report's category (sendon/ks-send-on-email.c). */
  { KS_NOTICE_SEND_ON,
    "Report {{reference}} for {{category}}: {{title}}",
    "{{council}} sends you this report to act on.\n\n"
    "Reference: {{reference}}\n"
    "Category: {{category}}\n"
    "Summary: {{title}}\n"
    "{{detail}}\n\n"
    "State: {{state}}\n"
    "Location: {{location}}\n"
    "Map: {{map_url}}\n\n"
    "{{answers}}"
    "{{photos}}"
    "The report: {{url}}\n\n"
    "Reply to {{reply_to}}, giving the reference." },
};

static const DefaultText *
default_text (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (strcmp (defaults[i].kind, kind) == 0)
      return &defaults[i];
  return NULL;
}

char *
ks_notices_public_base (const KsServerConfig *config)
{
  const char *base = config->public_url ? config->public_url : "https://kerbside.invalid";
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;
  return g_strndup (base, len);
}

char *
ks_notices_questionnaire_url (const KsServerConfig *config,
                              const char           *token,
                              const char           *answer)
{
  g_autofree char *base = ks_notices_public_base (config);

  return g_strdup_printf ("%s/questionnaire?token=%s&answer=%s", base, token, answer);
}

/* Text as HTML paragraphs: blank lines part them, line ends become <br>, and
 * http(s) addresses become links. */
void
ks_notices_append_html_text (GString *out, const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      if (g_str_has_prefix (p, "http://") || g_str_has_prefix (p, "https://"))
        {
          const char *end = p;
          g_autofree char *url = NULL, *escaped = NULL;

          while (*end != '\0' && !g_ascii_isspace (*end) && *end != '<' && *end != '>' &&
                 *end != '"')
            end++;
          url = g_strndup (p, end - p);
          escaped = g_markup_escape_text (url, -1);
          g_string_append_printf (out, "<a href=\"%s\">%s</a>", escaped, escaped);
          p = end;
          continue;
        }
      if (*p == '\n' && p[1] == '\n')
        {
          g_string_append (out, "</p>\n<p>");
          while (*p == '\n')
            p++;
          continue;
        }
      if (*p == '\n')
        g_string_append (out, "<br>\n");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '"')
        g_string_append (out, "&quot;");
      else
        g_string_append_c (out, *p);
      p++;
    }
}

char *
ks_notices_html_document (const char *subject, const char *body_html)
{
  g_autofree char *title = g_markup_escape_text (subject, -1);

  return g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<title>%s</title></head>\n<body>\n%s\n</body></html>\n",
                          title, body_html);
}

/* The same values, made safe for HTML (text with line ends kept as <br>). */
GHashTable *
ks_notices_html_values (GHashTable *values)
{
  GHashTable *out = ks_template_values_new ();
  GHashTableIter it;
  gpointer key, value;

  g_hash_table_iter_init (&it, values);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      GString *s = g_string_new (NULL);
      ks_notices_append_html_text (s, value);
      g_hash_table_insert (out, g_strdup (key), g_string_free (s, FALSE));
    }
  return out;
}

/* The public updates an update email tells of, one paragraph each (the email's
 * own text when the update has one). */
static void
gather_update (const KsNoticeUpdate *u, gpointer user_data)
{
  GString *text = user_data;
  const char *words = u->email_text != NULL && *u->email_text != '\0' ? u->email_text : u->text;
  const KsState *state = u->state ? ks_state_lookup (u->state) : NULL;

  if (text->len > 0)
    g_string_append (text, "\n\n");
  if (words != NULL && *words != '\0')
    g_string_append (text, words);
  else if (state != NULL)
    g_string_append_printf (text, "The report is now: %s", state->label);
  else
    g_string_truncate (text, text->len > 2 ? text->len - 2 : 0);
}

/* The council's template for kind, or the built-in one. */
gboolean
ks_notices_template (KsStore *store, gint64 body_id, const char *kind, char **subject, char **text,
               char **html, GError **error)
{
  g_autoptr(GArray) rows = ks_admin_rows_new ();
  KsAdminQuery q = KS_ADMIN_QUERY_INIT;
  const DefaultText *d = default_text (kind);

  if (!ks_store_admin_list (store, KS_ADMIN_OBJECT_EMAIL_TEMPLATE, body_id, &q, rows, NULL,
                            error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      KsAdminRow *row = &g_array_index (rows, KsAdminRow, i);
      if (g_strcmp0 (ks_admin_row_get (row, "kind")->text, kind) == 0)
        {
          *subject = g_strdup (ks_admin_row_get (row, "subject")->text);
          *text = g_strdup (ks_admin_row_get (row, "text")->text);
          *html = g_strdup (ks_admin_row_get (row, "html")->text);
          return TRUE;
        }
    }
  *subject = g_strdup (d->subject);
  *text = g_strdup (d->text);
  *html = NULL;
  return TRUE;
}

/* ---- One email ---- */

static gboolean
finish (KsStore *store, const KsNotice *n, const char *state, const char *subject,
        const char *file, const char *why, const char *token_hash, GError **error)
{
  KsNoticeResult r = { state, ks_time_now (), subject, file, why, token_hash };

  if (strcmp (state, "sent") != 0)
    g_message ("Email %" G_GINT64_FORMAT " (%s) about report %" G_GINT64_FORMAT ": %s%s%s",
               n->id, n->kind, n->report_id, state, why ? ": " : "", why ? why : "");
  return ks_store_notices_finish (store, n->id, &r, error);
}

static gboolean
send_one (const KsServerConfig *config, KsStore *store, gint64 id, GError **error)
{
  g_auto(KsNotice) n = { 0 };
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsBodyRow) body = { 0 };
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GHashTable) escaped = NULL;
  g_autoptr(GString) update = g_string_new (NULL);
  g_autofree char *subject_t = NULL, *text_t = NULL, *html_t = NULL;
  g_autofree char *subject = NULL, *text = NULL, *html_body = NULL, *html = NULL;
  g_autofree char *token = NULL, *token_hash = NULL, *file = NULL;
  g_autoptr(GError) mail_error = NULL;
  KsMailOutcome outcome = KS_MAIL_WRITTEN;
  KsMail mail = { 0 };
  gboolean found = FALSE;

  if (!ks_store_notices_get (store, id, &found, &n, error))
    return FALSE;
  if (!found || g_strcmp0 (n.state, "queued") != 0)
    return TRUE;
  if (!ks_store_actions_get_report (store, n.report_id, &found, &report, error))
    return FALSE;
  /* Anonymised or gone since it was queued: nobody to write to. */
  if (!found || report.reporter_email == NULL || !ks_mailer_address_is_valid (report.reporter_email))
    return finish (store, &n, "skipped", NULL, NULL, "The report has no email address now.",
                   NULL, error);
  if (g_strcmp0 (report.state, "hidden") == 0)
    return finish (store, &n, "skipped", NULL, NULL, "The report is hidden.", NULL, error);

  if (strcmp (n.kind, KS_NOTICE_UPDATE) == 0)
    {
      if (!ks_store_notices_updates_since (store, n.report_id, n.from_update, gather_update,
                                           update, error))
        return FALSE;
      if (update->len == 0)
        return finish (store, &n, "skipped", NULL, NULL,
                       "Nothing public is left to tell (the updates were hidden).", NULL, error);
    }
  if (!ks_store_admin_get_body (store, report.body_id, &body, error) ||
      !ks_notices_template (store, report.body_id, n.kind, &subject_t, &text_t, &html_t, error))
    return FALSE;

  values = ks_report_template_values (&report, report.state, config->public_url);
  g_hash_table_insert (values, g_strdup ("reference"),
                       g_strdup_printf ("%" G_GINT64_FORMAT, report.id));
  g_hash_table_insert (values, g_strdup ("reply_to"),
                       g_strdup (body.email != NULL && *body.email != '\0' ? body.email
                                                                          : "the council"));
  g_hash_table_insert (values, g_strdup ("update"), g_strdup (update->str));
  if (strcmp (n.kind, KS_NOTICE_QUESTIONNAIRE) == 0)
    {
      token = ks_token_generate ();
      token_hash = ks_token_hash (token);
      g_hash_table_insert (values, g_strdup ("fixed_url"),
                           ks_notices_questionnaire_url (config, token, "fixed"));
      g_hash_table_insert (values, g_strdup ("not_fixed_url"),
                           ks_notices_questionnaire_url (config, token, "not_fixed"));
    }

  subject = ks_template_fill (subject_t, values);
  text = ks_template_fill (text_t, values);
  if (html_t != NULL && *html_t != '\0')
    {
      escaped = ks_notices_html_values (values);
      html_body = ks_template_fill (html_t, escaped);
    }
  else
    {
      GString *s = g_string_new ("<p>");
      ks_notices_append_html_text (s, text);
      g_string_append (s, "</p>");
      html_body = g_string_free (s, FALSE);
    }
  html = ks_notices_html_document (subject, html_body);

  file = g_strdup_printf ("resident-%" G_GINT64_FORMAT ".eml", n.id);
  mail.to = report.reporter_email;
  mail.subject = subject;
  mail.text = text;
  mail.html = html;
  mail.from_name = report.council;
  mail.reply_to = body.email;
  mail.report_id = report.id;
  mail.file_name = file;
  if (!ks_mailer_send_mail (config, store, &mail, &outcome, &mail_error))
    {
      if (mail_error->domain == KS_ERROR && mail_error->code == KS_ERROR_INVALID)
        return finish (store, &n, "failed", subject, NULL, mail_error->message, NULL, error);
      g_propagate_error (error, g_steal_pointer (&mail_error));
      return FALSE;
    }
  if (outcome == KS_MAIL_OPTED_OUT)
    return finish (store, &n, "opted_out", subject, NULL, NULL, NULL, error);
  /* Written by a round that died before it committed: the file stands. (Were
   * it a questionnaire, its links hold a token that was never kept, and do not
   * work: the resident can still reply by email.) */
  if (outcome == KS_MAIL_ALREADY_WRITTEN)
    g_message ("Email %" G_GINT64_FORMAT " was already in the outbox: not written again", n.id);
  return finish (store, &n, "sent", subject, file, NULL,
                 outcome == KS_MAIL_WRITTEN ? token_hash : NULL, error);
}

gboolean
ks_notices_run (const KsServerConfig *config,
                KsStore              *store,
                guint                *out_handled,
                GError              **error)
{
  guint handled = 0;

  if (out_handled)
    *out_handled = 0;
  for (;;)
    {
      g_autoptr(GArray) ids = NULL;

      if (!ks_store_begin_write (store, error))
        return FALSE;
      if (!ks_store_notices_due (store, ks_time_now (), ROUND_LIMIT, &ids, error))
        goto fail;
      for (guint i = 0; i < ids->len; i++)
        if (!send_one (config, store, g_array_index (ids, gint64, i), error))
          goto fail;
      if (!ks_store_commit (store, error))
        goto fail;
      handled += ids->len;
      if (out_handled)
        *out_handled = handled;
      if (ids->len < ROUND_LIMIT)
        return TRUE;
    }

fail:
  ks_store_rollback (store);
  return FALSE;
}

/* ---- The thread ---- */

struct _KsNotices
{
  const KsServerConfig *config;   /* the server's, alive longer than the worker */
  KsStore              *store;
  KsWorkerLoop         *loop;
};

static void
notices_round (KsWorkerLoop *loop, gpointer data)
{
  KsNotices *self = data;
  g_autoptr(GError) error = NULL;

  if (!ks_notices_run (self->config, self->store, NULL, &error))
    g_warning ("Emails to residents: %s (trying again in %d s)", error->message,
               self->config->notice_poll_seconds);
}

KsNotices *
ks_notices_start (const KsServerConfig *config, KsStore *store)
{
  KsWorkerLoopSpec spec = { .name = "ks-notices", .every_seconds = config->notice_poll_seconds,
                            .round = notices_round };
  KsNotices *self;

  if (config->outbox_dir == NULL)
    return NULL;
  self = g_new0 (KsNotices, 1);
  self->config = config;
  self->store = g_object_ref (store);
  self->loop = ks_worker_loop_start (&spec, self);
  return self;
}

void
ks_notices_stop (KsNotices *self)
{
  if (self == NULL)
    return;
  ks_worker_loop_stop (self->loop);
  g_object_unref (self->store);
  g_free (self);
}

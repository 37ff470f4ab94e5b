/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-emails.c: the detail's facet "Emails to the Resident": what
 * the server emailed (or is about to email) the reporter about the report, one
 * row each: what it was, sent, queued (until when), opted out, failed or
 * skipped (why), and the questionnaire's answer. The server gives the list only
 * to staff who see the reporter's personal data; without it the group stays
 * hidden. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-date-format.h"
#include "ks-rows-text.h"

static const char *
member_text (JsonObject *o,
             const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static char *
member_time (JsonObject *o,
             const char *member)
{
  const char *iso = member_text (o, member);
  g_autoptr(GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return dt ? ks_date_format (g_date_time_to_unix (dt)) : NULL;
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "confirmation") == 0)
    return _("Confirmation");
  if (g_strcmp0 (kind, "update") == 0)
    return _("News of updates");
  if (g_strcmp0 (kind, "moderated") == 0)
    return _("Report moderated");
  if (g_strcmp0 (kind, "questionnaire") == 0)
    return _("Questionnaire: was it fixed?");
  return kind ? kind : "";
}

/* "Sent 4 Dec, 12:01", "Queued until 12:02", ... */
static char *
state_text (JsonObject *e)
{
  const char *state = member_text (e, "state");
  g_autofree char *sent = member_time (e, "sent");
  g_autofree char *due = member_time (e, "due");
  const char *why = member_text (e, "error");

  if (g_strcmp0 (state, "queued") == 0)
    return g_strdup_printf (_("Queued, to be sent %s"), due ? g_strstrip (due) : "");
  if (g_strcmp0 (state, "sent") == 0)
    return g_strdup_printf (_("Sent %s"), sent ? g_strstrip (sent) : "");
  if (g_strcmp0 (state, "opted_out") == 0)
    return g_strdup (_("Not sent: the resident opted out of emails"));
  if (g_strcmp0 (state, "failed") == 0)
    return g_strdup_printf (_("Failed: %s"), why ? why : _("no reason given"));
  if (g_strcmp0 (state, "skipped") == 0)
    return g_strdup_printf (_("Not sent: %s"), why ? why : "");
  return g_strdup (state ? state : "");
}

void
ks_report_detail_show_emails (KsReportDetail *self,
                              GtkWidget      *group,
                              GtkWidget      *list)
{
  JsonObject *detail = ks_report_detail_get_detail (self);
  JsonArray *emails = NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
  if (detail && json_object_has_member (detail, "emails") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (detail, "emails")))
    emails = json_object_get_array_member (detail, "emails");
  if (emails)
    n = json_array_get_length (emails);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *e = json_array_get_object_element (emails, i);
      GtkWidget *row;
      g_autofree char *status = NULL;
      g_autoptr(GString) subtitle = g_string_new (NULL);
      const char *subject, *answer;

      if (e == NULL)
        continue;
      status = state_text (e);
      g_string_append (subtitle, status);
      subject = member_text (e, "subject");
      if (subject != NULL)
        g_string_append_printf (subtitle, "\n%s", subject);
      answer = member_text (e, "answer");
      if (answer != NULL)
        g_string_append_printf (subtitle, "\n%s", g_str_equal (answer, "fixed")
                                ? _("The resident answered: fixed")
                                : _("The resident answered: not fixed"));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kind_label (member_text (e, "kind")));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (g_strcmp0 (member_text (e, "state"), "queued") == 0
                                                               ? "mail-send-receive-symbolic"
                                                               : "mail-unread-symbolic"));
      gtk_widget_set_name (row, "email-row");
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_widget_set_visible (group, n > 0);
}

char *
ks_report_detail_emails_text (GtkWidget *list)
{
  return ks_rows_text (list);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-sendings.c: the detail's facet "Sent On": where the server sent
 * the report on (its category's destination: a team's email, a contractor's
 * Open311 service), one row each: the destination, and sent (when, the
 * contractor's reference), waiting, retrying (why, and when next) or failed (why).
 * Staff who may update a report's status get a Resend button on each row. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-date-format.h"
#include "ks-rows-text.h"
#include "ks-object-int64.h"

static const char *
member_text (JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static char *
member_time (JsonObject *o, const char *member)
{
  const char *iso = member_text (o, member);
  g_autoptr(GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  char *text = dt ? ks_date_format (g_date_time_to_unix (dt)) : NULL;

  return text ? g_strstrip (text) : NULL;
}

/* "Sent 4 Dec, 12:01", "Failed: why", "Retrying at 12:05 (3 attempts): why" ... */
static char *
status_text (JsonObject *s)
{
  const char *status = member_text (s, "status");
  const char *why = member_text (s, "last_error");
  const char *remote = member_text (s, "remote_id");
  g_autofree char *sent = member_time (s, "sent");
  g_autofree char *next = member_time (s, "next_attempt");
  gint64 attempts = json_object_get_int_member_with_default (s, "attempts", 0);

  if (g_strcmp0 (status, "sent") == 0 && remote != NULL)
    return g_strdup_printf (_("Sent %s (their reference %s)"), sent ? sent : "", remote);
  if (g_strcmp0 (status, "sent") == 0)
    return g_strdup_printf (_("Sent %s"), sent ? sent : "");
  if (g_strcmp0 (status, "pending") == 0)
    return g_strdup (_("Waiting to be sent"));
  if (g_strcmp0 (status, "sending") == 0)
    return g_strdup (_("Being sent now"));
  if (g_strcmp0 (status, "retrying") == 0)
    return g_strdup_printf (ngettext ("Retrying %s (%" G_GINT64_FORMAT " attempt so far): %s",
                                      "Retrying %s (%" G_GINT64_FORMAT " attempts so far): %s",
                                      attempts),
                            next ? next : "", attempts, why ? why : _("no reason given"));
  if (g_strcmp0 (status, "failed") == 0)
    return g_strdup_printf (_("Failed: %s"), why ? why : _("no reason given"));
  return g_strdup (status ? status : "");
}

/* "open311:highways" reads "highways (Open311)". */
static char *
destination_text (const char *destination)
{
  if (destination != NULL && g_str_has_prefix (destination, "open311:"))
    return g_strdup_printf (_("%s (Open311)"), destination + strlen ("open311:"));
  return g_strdup (destination ? destination : "");
}

static void
on_resent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(KsReportDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = ks_session_resend_finish (KS_SESSION (source), result, &error);

  if (answer == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not resend: %s"), error->message);
      ks_report_detail_show_toast (self, message);
    }
  else
    ks_report_detail_show_toast (self, _("It will be sent again in a moment"));
  ks_report_detail_reload (self);
}

static void
on_resend_clicked (GtkButton *button, KsReportDetail *self)
{
  KsSession *session = ks_report_detail_get_session (self);
  gint64 report_id = ks_object_get_int64 (button, "report-id");
  gint64 sending_id = ks_object_get_int64 (button, "sending-id");

  if (session == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  ks_session_resend_async (session, report_id, sending_id, NULL, on_resent, g_object_ref (self));
}

void
ks_report_detail_show_sendings (KsReportDetail *self, GtkWidget *group, GtkWidget *list)
{
  JsonObject *detail = ks_report_detail_get_detail (self);
  KsSession *session = ks_report_detail_get_session (self);
  gboolean can_resend = session != NULL && ks_session_can (session, KS_PERM_UPDATE_STATUS);
  JsonArray *sendings = NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
  if (detail && json_object_has_member (detail, "sendings") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (detail, "sendings")))
    sendings = json_object_get_array_member (detail, "sendings");
  if (sendings)
    n = json_array_get_length (sendings);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = json_array_get_object_element (sendings, i);
      g_autofree char *title = NULL, *subtitle = NULL;
      const char *status;
      GtkWidget *row;

      if (s == NULL)
        continue;
      status = member_text (s, "status");
      title = destination_text (member_text (s, "destination"));
      subtitle = status_text (s);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* The whole reason of a failure: 0 lines is no limit. */
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (
                                   g_strcmp0 (status, "failed") == 0 ? "dialog-warning-symbolic"
                                   : g_strcmp0 (status, "sent") == 0 ? "mail-send-symbolic"
                                   : "mail-send-receive-symbolic"));
      if (can_resend && g_strcmp0 (status, "sending") != 0)
        {
          GtkWidget *button = gtk_button_new_with_label (_("Resend"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_name (button, "resend-button");
          gtk_widget_set_tooltip_text (button, _("Send the report to this destination again"));
          ks_object_set_int64 (button, "report-id", json_object_get_int_member_with_default (detail, "id", 0));
          ks_object_set_int64 (button, "sending-id", json_object_get_int_member_with_default (s, "id", 0));
          g_signal_connect (button, "clicked", G_CALLBACK (on_resend_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_widget_set_name (row, "sending-row");
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_widget_set_visible (group, n > 0);
}

char *
ks_report_detail_sendings_text (GtkWidget *list)
{
  return ks_rows_text (list);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-hide-person.c: the detail's "Hide Everywhere" in the
 * reporter's group, for staff who may hide reports: all of this reporter's
 * reports and updates in the council hidden at once (with a reason), or, on a
 * hidden report, shown again as they were. The shown report changes at once;
 * a sync brings the others. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#define ROW_KEY "ks-hide-person-row"

typedef struct {
  GWeakRef  detail;
  gint64    report_id;
  gboolean  hide;
  GtkWidget *reason;
} Ask;

static void
ask_free (gpointer data)
{
  Ask *a = data;

  g_weak_ref_clear (&a->detail);
  g_free (a);
}

typedef struct {
  KsSession          *session;
  KsReportActionData *action;
} Sent;

/* The toast as for every action, then a sync for the person's other reports. */
static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;
  KsSyncEngine *sync = ks_session_get_sync (sent->session);

  ks_report_detail_action_done (source, result, sent->action);
  if (sync != NULL)
    ks_sync_engine_sync_async (sync, NULL, NULL, NULL);
  g_object_unref (sent->session);
  g_free (sent);
}

static void send_change (KsReportDetail *self, gint64 report_id, gboolean hide, const char *reason);

static void
undo_hide (KsReportDetail *self,
           gpointer        data)
{
  send_change (self, *(const gint64 *) data, FALSE, _("Undone"));
}

static void
send_change (KsReportDetail *self,
             gint64          report_id,
             gboolean        hide,
             const char     *reason)
{
  KsSession *session = ks_report_detail_get_session (self);
  Sent *sent;

  if (session == NULL || !ks_session_can (session, KS_PERM_HIDE_REPORT))
    return;
  sent = g_new0 (Sent, 1);
  sent->session = g_object_ref (session);
  sent->action = ks_report_detail_action_data (self, hide
                                               ? _("Hid all of this reporter's reports and updates (tick Hidden under State to find them)")
                                               : _("Showed this reporter's reports and updates again"));
  if (hide)
    ks_report_action_data_offer_undo (sent->action, undo_hide,
                                      g_memdup2 (&report_id, sizeof report_id), g_free);
  ks_session_set_reporter_hidden_async (session, report_id, hide, reason, NULL, on_done, sent);
}

static void
on_reason_changed (AdwMessageDialog *dialog,
                   GtkEditable      *entry)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  Ask *a = g_object_get_data (G_OBJECT (dialog), "ks-ask");

  adw_message_dialog_set_response_enabled (dialog, a->hide ? "hide" : "unhide", *reason != '\0');
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  Ask *a = g_object_get_data (G_OBJECT (dialog), "ks-ask");
  g_autoptr(KsReportDetail) self = g_weak_ref_get (&a->detail);
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (a->reason))));

  if (self == NULL || *reason == '\0' ||
      g_strcmp0 (response, a->hide ? "hide" : "unhide") != 0)
    return;
  send_change (self, a->report_id, a->hide, reason);
}

/* The report as the app has it now (the detail's copy may be older). */
static gboolean
shown_hidden (KsReportDetail *self)
{
  KsReport *report = ks_report_detail_get_report (self);

  return report != NULL && g_strcmp0 (ks_report_get_state (report), "hidden") == 0;
}

static void
on_clicked (GtkButton      *button,
            KsReportDetail *self)
{
  KsReport *report = ks_report_detail_get_report (self);
  gboolean hide;
  AdwMessageDialog *dialog;
  Ask *a;

  if (report == NULL)
    return;
  hide = !shown_hidden (self);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       NULL, NULL));
  gtk_widget_set_name (GTK_WIDGET (dialog), "hide-everywhere");
  a = g_new0 (Ask, 1);
  g_weak_ref_init (&a->detail, self);
  a->report_id = ks_report_get_id (report);
  a->hide = hide;
  g_object_set_data_full (G_OBJECT (dialog), "ks-ask", a, ask_free);
  if (hide)
    {
      adw_message_dialog_set_heading (dialog, _("Hide All of This Reporter's Reports?"));
      adw_message_dialog_set_body (dialog,
        _("Every report and update this person sent the council (by their email address) is hidden from the public and from Open311. Staff still see them, marked hidden. You can undo it."));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "hide", _("_Hide Everywhere"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "hide", ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      adw_message_dialog_set_heading (dialog, _("Show This Reporter's Reports Again?"));
      adw_message_dialog_set_body (dialog,
        _("The reports and updates hidden everywhere are shown again, each in the state it had. Those hidden one by one stay hidden."));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "unhide", _("_Show Again"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "unhide", ADW_RESPONSE_SUGGESTED);
    }
  a->reason = gtk_entry_new ();
  gtk_widget_set_name (a->reason, "hide-everywhere-reason");
  gtk_entry_set_placeholder_text (GTK_ENTRY (a->reason), _("Reason (required)"));
  g_signal_connect_swapped (a->reason, "changed", G_CALLBACK (on_reason_changed), dialog);
  adw_message_dialog_set_extra_child (dialog, a->reason);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, hide ? "hide" : "unhide", FALSE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
ks_report_detail_hide_person_show (KsReportDetail *self,
                                   GtkWidget      *group,
                                   const char     *email)
{
  KsSession *session = ks_report_detail_get_session (self);
  GtkWidget *row = g_object_get_data (G_OBJECT (group), ROW_KEY);
  GtkWidget *button;
  gboolean hidden;

  if (row == NULL)
    {
      row = adw_action_row_new ();
      gtk_widget_set_name (row, "hide-everywhere-row");
      button = gtk_button_new ();
      gtk_widget_set_name (button, "hide-everywhere");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect (button, "clicked", G_CALLBACK (on_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      g_object_set_data (G_OBJECT (row), "ks-button", button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_object_set_data (G_OBJECT (group), ROW_KEY, row);
    }
  button = g_object_get_data (G_OBJECT (row), "ks-button");
  hidden = shown_hidden (self);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 hidden ? _("Hidden Everywhere?") : _("All of This Reporter's Reports"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               hidden ? _("Show again what was hidden with all of this reporter's reports")
                                      : _("Hide every report and update they sent, at once"));
  gtk_button_set_label (GTK_BUTTON (button), hidden ? _("Show Everywhere Again…") : _("Hide Everywhere…"));
  gtk_widget_set_visible (row, session != NULL && ks_session_can (session, KS_PERM_HIDE_REPORT) &&
                               email != NULL && *email != '\0');
}

GtkWidget *
ks_report_detail_hide_person_button (GtkWidget *group)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (group), ROW_KEY);

  return row && gtk_widget_get_visible (row) ? g_object_get_data (G_OBJECT (row), "ks-button") : NULL;
}

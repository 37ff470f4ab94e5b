/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-outbox-dialog.c: a refused or conflicting change from the outbox, with
 * both versions in the staff's words, and the person's decision carried out. */
#define G_LOG_DOMAIN "ks-outbox-dialog"

#include "config.h"
#include "ks-outbox-dialog.h"
#include "ks-change-text.h"

#include <glib/gi18n.h>

struct _KsOutboxDialog
{
  AdwMessageDialog  parent_instance;

  KsSession        *session;
  gint64            entry_id;
  gint64            report_id;

  GtkWidget        *body_label;
};

G_DEFINE_FINAL_TYPE (KsOutboxDialog, ks_outbox_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (KsOutboxDialog *self,
       const char     *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

static void
on_taken_over (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KsOutboxDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;

  if (!ks_session_action_finish (KS_SESSION (source), result, &queued, &error))
    toast (self, error->message);
  else
    toast (self, queued ? _("Saved on this computer. It will be sent when the server can be reached.")
                        : _("The report is on your shortlist now."));
}

static void
ks_outbox_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  KsOutboxDialog *self = KS_OUTBOX_DIALOG (dialog);
  KsOutbox *outbox = self->session ? ks_session_get_outbox (self->session) : NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (outbox != NULL)
    {
      if (g_str_equal (response, "theirs"))
        {
          ok = ks_outbox_discard (outbox, self->entry_id, &error);
          if (ok)
            toast (self, _("Your change was dropped; the server’s version stands."));
        }
      else if (g_str_equal (response, "mine"))
        {
          ok = ks_outbox_retry (outbox, self->entry_id, &error);
          if (ok)
            toast (self, _("Your change is being sent again over the server’s version."));
        }
      else if (g_str_equal (response, "take"))
        {
          /* The refused add is replaced by one that takes the report over. */
          ok = ks_outbox_discard (outbox, self->entry_id, &error);
          if (ok)
            ks_session_take_over_shortlist_async (self->session, self->report_id, NULL,
                                                  on_taken_over, g_object_ref (self));
        }
      if (!ok)
        toast (self, error->message);
    }

  if (ADW_MESSAGE_DIALOG_CLASS (ks_outbox_dialog_parent_class)->response)
    ADW_MESSAGE_DIALOG_CLASS (ks_outbox_dialog_parent_class)->response (dialog, response);
}

static void
ks_outbox_dialog_dispose (GObject *object)
{
  KsOutboxDialog *self = KS_OUTBOX_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_OUTBOX_DIALOG);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ks_outbox_dialog_parent_class)->dispose (object);
}

static void
ks_outbox_dialog_class_init (KsOutboxDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = ks_outbox_dialog_dispose;
  dialog_class->response = ks_outbox_dialog_response;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-outbox-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KsOutboxDialog, body_label);
}

static void
ks_outbox_dialog_init (KsOutboxDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_outbox_dialog_new (GtkWindow     *parent,
                      KsSession     *session,
                      KsOutboxEntry *entry,
                      gboolean       conflict)
{
  KsOutboxDialog *self;
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *body = NULL;
  gboolean held;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  mine = ks_change_text_describe (session, entry);
  /* Someone else holds the report: taking it over is what the person can do
   * (sending the same add again would only be refused again). */
  held = conflict && g_strcmp0 (entry->action, "shortlist_add") == 0
         && ks_session_can (session, KS_PERM_SHORTLIST);

  if (held)
    {
      heading = g_strdup_printf (_("Report %" G_GINT64_FORMAT " Is on a Colleague’s Shortlist"), entry->report_id);
      body = g_strdup (entry->error_message ? entry->error_message
                                            : _("Someone else has this report on their shortlist."));
    }
  else if (conflict)
    {
      heading = g_strdup_printf (_("Report %" G_GINT64_FORMAT " Changed Meanwhile"), entry->report_id);
      theirs = ks_change_text_current (session, entry->current);
      body = g_strdup_printf (_("%s\n\nYour change: %s%s%s"),
                              entry->error_message ? entry->error_message
                                                   : _("Someone changed this report after you started."),
                              mine, theirs ? _("\nOn the server now: ") : "", theirs ? theirs : "");
    }
  else
    {
      heading = g_strdup_printf (_("Change to Report %" G_GINT64_FORMAT " Refused"), entry->report_id);
      body = g_strdup_printf (_("%s\n\nYour change: %s"),
                              entry->error_message ? entry->error_message : _("The server refused the change."),
                              mine);
    }

  self = g_object_new (KS_TYPE_OUTBOX_DIALOG,
                       "transient-for", parent,
                       "heading", heading,
                       NULL);
  dialog = ADW_MESSAGE_DIALOG (self);
  self->session = g_object_ref (session);
  self->entry_id = entry->id;
  self->report_id = entry->report_id;
  gtk_label_set_label (GTK_LABEL (self->body_label), body);

  if (held)
    {
      adw_message_dialog_add_responses (dialog,
                                        "later", _("Decide _Later"),
                                        "theirs", _("_Leave It with Them"),
                                        "take", _("_Take Over"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "take", ADW_RESPONSE_SUGGESTED);
    }
  else
    {
      adw_message_dialog_add_responses (dialog,
                                        "later", _("Decide _Later"),
                                        "theirs", conflict ? _("_Take Theirs") : _("_Drop My Change"),
                                        "mine", conflict ? _("_Keep Mine") : _("_Try Again"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "theirs", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (dialog, "mine", ADW_RESPONSE_SUGGESTED);
    }
  gtk_widget_set_name (GTK_WIDGET (self), conflict ? "conflict-dialog" : "rejected-dialog");
  return GTK_WIDGET (self);
}

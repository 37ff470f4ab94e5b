/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-placeholder.c: the detail of a report created here that has
 * not reached the server yet (a placeholder, see ks_session_is_placeholder()):
 * no reference, a notice that it waits to be sent, or, when the server refused
 * it, its sentence and a Discard button. Nothing is fetched for it and no action
 * is offered until the server has it; then it becomes the report in place. */
#define G_LOG_DOMAIN "ks-report-detail"

#include <glib/gi18n.h>
#include "ks-report-detail-private.h"

typedef struct {
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *discard;
  gint64     entry_id;
} Notice;

static void
on_discard (GtkButton      *button,
            KsReportDetail *self)
{
  Notice *notice = g_object_get_data (G_OBJECT (self), "ks-placeholder-notice");
  KsSession *session = ks_report_detail_get_session (self);
  KsOutbox *outbox = session ? ks_session_get_outbox (session) : NULL;
  g_autoptr(GError) error = NULL;

  if (notice == NULL || outbox == NULL)
    return;
  if (!ks_outbox_discard (outbox, notice->entry_id, &error))
    ks_report_detail_show_toast (self, error->message);
  else
    ks_report_detail_show_toast (self, _("The new report was discarded."));
}

static Notice *
ensure_notice (KsReportDetail *self,
               GtkWidget      *anchor)
{
  Notice *notice = g_object_get_data (G_OBJECT (self), "ks-placeholder-notice");

  if (notice != NULL)
    return notice;
  notice = g_new0 (Notice, 1);
  notice->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_name (notice->box, "placeholder-notice");
  gtk_widget_add_css_class (notice->box, "card");
  gtk_widget_add_css_class (notice->box, "ks-placeholder-notice");
  notice->label = gtk_label_new (NULL);
  gtk_widget_set_name (notice->label, "placeholder-label");
  gtk_label_set_wrap (GTK_LABEL (notice->label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (notice->label), 0);
  gtk_widget_set_hexpand (notice->label, TRUE);
  gtk_widget_set_margin_start (notice->label, 12);
  gtk_widget_set_margin_top (notice->label, 8);
  gtk_widget_set_margin_bottom (notice->label, 8);
  notice->discard = gtk_button_new_with_mnemonic (_("_Discard"));
  gtk_widget_set_name (notice->discard, "placeholder-discard");
  gtk_widget_add_css_class (notice->discard, "destructive-action");
  gtk_widget_set_valign (notice->discard, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_end (notice->discard, 12);
  g_signal_connect (notice->discard, "clicked", G_CALLBACK (on_discard), self);
  gtk_box_append (GTK_BOX (notice->box), notice->label);
  gtk_box_append (GTK_BOX (notice->box), notice->discard);
  gtk_widget_insert_before (notice->box, gtk_widget_get_parent (anchor), anchor);
  g_object_set_data_full (G_OBJECT (self), "ks-placeholder-notice", notice, g_free);
  return notice;
}

gboolean
ks_report_detail_placeholder_show (KsReportDetail *self,
                                   KsReport       *report,
                                   GtkWidget      *anchor,
                                   GtkWidget      *id_label,
                                   GtkWidget      *actions_box)
{
  KsSession *session = ks_report_detail_get_session (self);
  g_autoptr(KsOutboxEntry) entry = NULL;
  Notice *notice = g_object_get_data (G_OBJECT (self), "ks-placeholder-notice");
  g_autofree char *text = NULL;

  if (report == NULL || !ks_session_is_placeholder (ks_report_get_id (report)))
    {
      if (notice != NULL)
        gtk_widget_set_visible (notice->box, FALSE);
      gtk_widget_set_sensitive (actions_box, TRUE);
      return FALSE;
    }
  notice = ensure_notice (self, anchor);
  entry = session ? ks_session_get_placeholder_entry (session, ks_report_get_id (report)) : NULL;
  notice->entry_id = entry ? entry->id : 0;
  if (entry != NULL && entry->state != KS_OUTBOX_PENDING)
    {
      gtk_label_set_text (GTK_LABEL (id_label), _("Not accepted"));
      text = g_strdup_printf (_("The server did not accept this new report: %s Correct it in a new "
                                "report, or discard this one."),
                              entry->error_message ? entry->error_message : _("no reason given."));
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (id_label), _("Waiting to be sent"));
      text = g_strdup (_("Saved on this computer. It gets its reference when the server has it, "
                         "and can be worked on from then."));
    }
  gtk_label_set_text (GTK_LABEL (notice->label), text);
  gtk_widget_set_visible (notice->discard, entry != NULL && entry->state != KS_OUTBOX_PENDING);
  gtk_widget_set_visible (notice->box, TRUE);
  gtk_widget_set_sensitive (actions_box, FALSE);
  return TRUE;
}

const char *
ks_report_detail_get_placeholder_text (KsReportDetail *self)
{
  Notice *notice = g_object_get_data (G_OBJECT (self), "ks-placeholder-notice");

  if (notice == NULL || !gtk_widget_get_visible (notice->box))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (notice->label));
}

GtkWidget *
ks_report_detail_get_placeholder_discard (KsReportDetail *self)
{
  Notice *notice = g_object_get_data (G_OBJECT (self), "ks-placeholder-notice");

  return notice != NULL ? notice->discard : NULL;
}

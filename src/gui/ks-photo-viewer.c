/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-viewer.c: one photo large, and redacting it (see ks-photo-viewer.h). */
#define G_LOG_DOMAIN "ks-photo-viewer"

#include "config.h"
#include "ks-photo-viewer.h"
#include "ks-report-detail-private.h"

#include <glib/gi18n.h>

struct _KsPhotoViewer
{
  AdwWindow        parent_instance;

  KsReportDetail  *detail;
  char            *url;
  gboolean         redacted;
  gboolean         moderator;

  KsPhotoRedactor *redactor;
  GtkWidget       *clear_button;
  GtkWidget       *save_button;
  GtkWidget       *restore_button;
  GtkWidget       *redact_bar;
  GtkWidget       *reason_entry;
};

G_DEFINE_FINAL_TYPE (KsPhotoViewer, ks_photo_viewer, ADW_TYPE_WINDOW)

static const char *
reason (KsPhotoViewer *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->reason_entry));
}

static gboolean
has_reason (KsPhotoViewer *self)
{
  g_autofree char *text = g_strstrip (g_strdup (reason (self)));

  return *text != '\0';
}

static void
update_buttons (KsPhotoViewer *self)
{
  guint n = 0;

  ks_photo_redactor_get_rects (self->redactor, &n);
  gtk_widget_set_sensitive (self->clear_button, self->moderator && n > 0);
  gtk_widget_set_sensitive (self->save_button, self->moderator && n > 0 && has_reason (self));
  gtk_widget_set_sensitive (self->restore_button, self->moderator && has_reason (self));
}

static void
on_clear_clicked (KsPhotoViewer *self)
{
  ks_photo_redactor_clear (self->redactor);
}

static void
on_save_clicked (KsPhotoViewer *self)
{
  KsSession *session = ks_report_detail_get_session (self->detail);
  KsReport *report = ks_report_detail_get_report (self->detail);
  const int *rects;
  guint n = 0;

  rects = ks_photo_redactor_get_rects (self->redactor, &n);
  if (session == NULL || report == NULL || n == 0 || !has_reason (self))
    return;
  ks_session_redact_photo_async (session, ks_report_get_id (report), self->url, rects, n,
                                 reason (self), NULL, ks_report_detail_action_done,
                                 ks_report_detail_action_data (self->detail,
                                                               _("Photo redacted")));
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_restore_clicked (KsPhotoViewer *self)
{
  KsSession *session = ks_report_detail_get_session (self->detail);
  KsReport *report = ks_report_detail_get_report (self->detail);

  if (session == NULL || report == NULL || !has_reason (self))
    return;
  ks_session_restore_photo_async (session, ks_report_get_id (report), self->url, reason (self),
                                  NULL, ks_report_detail_action_done,
                                  ks_report_detail_action_data (self->detail,
                                                                _("Original photo restored")));
  gtk_window_close (GTK_WINDOW (self));
}

static void
ks_photo_viewer_dispose (GObject *object)
{
  KsPhotoViewer *self = KS_PHOTO_VIEWER (object);

  g_clear_object (&self->detail);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_PHOTO_VIEWER);
  G_OBJECT_CLASS (ks_photo_viewer_parent_class)->dispose (object);
}

static void
ks_photo_viewer_finalize (GObject *object)
{
  KsPhotoViewer *self = KS_PHOTO_VIEWER (object);

  g_free (self->url);
  G_OBJECT_CLASS (ks_photo_viewer_parent_class)->finalize (object);
}

static void
ks_photo_viewer_class_init (KsPhotoViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_photo_viewer_dispose;
  object_class->finalize = ks_photo_viewer_finalize;
  g_type_ensure (KS_TYPE_PHOTO_REDACTOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kerbside/Kerbside/ks-photo-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, KsPhotoViewer, redactor);
  gtk_widget_class_bind_template_child (widget_class, KsPhotoViewer, clear_button);
  gtk_widget_class_bind_template_child (widget_class, KsPhotoViewer, save_button);
  gtk_widget_class_bind_template_child (widget_class, KsPhotoViewer, restore_button);
  gtk_widget_class_bind_template_child (widget_class, KsPhotoViewer, redact_bar);
  gtk_widget_class_bind_template_child (widget_class, KsPhotoViewer, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_restore_clicked);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ks_photo_viewer_init (KsPhotoViewer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->redactor, "changed", G_CALLBACK (update_buttons), self);
}

GtkWidget *
ks_photo_viewer_new (KsReportDetail *detail,
                     const char     *url,
                     gboolean        redacted,
                     GdkTexture     *texture)
{
  KsPhotoViewer *self;
  KsSession *session;
  GtkRoot *root;

  g_return_val_if_fail (KS_IS_REPORT_DETAIL (detail), NULL);
  self = g_object_new (KS_TYPE_PHOTO_VIEWER, NULL);
  self->detail = g_object_ref (detail);
  self->url = g_strdup (url);
  self->redacted = redacted;
  session = ks_report_detail_get_session (detail);
  /* Only moderators draw; the server checks again. */
  self->moderator = session != NULL && ks_session_can (session, KS_PERM_MODERATE_REPORT);
  ks_photo_redactor_set_texture (self->redactor, texture);
  ks_photo_redactor_set_editable (self->redactor, self->moderator);
  gtk_widget_set_visible (self->redact_bar, self->moderator);
  gtk_widget_set_visible (self->save_button, self->moderator);
  gtk_widget_set_visible (self->clear_button, self->moderator);
  gtk_widget_set_visible (self->restore_button, self->moderator && redacted);
  if (redacted)
    gtk_window_set_title (GTK_WINDOW (self), _("Photo (redacted)"));
  root = gtk_widget_get_root (GTK_WIDGET (detail));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  update_buttons (self);
  return GTK_WIDGET (self);
}

KsPhotoRedactor *
ks_photo_viewer_get_redactor (KsPhotoViewer *self)
{
  g_return_val_if_fail (KS_IS_PHOTO_VIEWER (self), NULL);
  return self->redactor;
}

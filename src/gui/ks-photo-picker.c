/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-picker.c: "Add Photo…": a JPEG or PNG file for an update or a new
 * report, read in the background and checked (type, 5 MB) before it is sent. */
#define G_LOG_DOMAIN "ks-photo-picker"

#include "config.h"
#include "ks-photo-picker.h"
#include "ks-session.h"

#include <glib/gi18n.h>

struct _KsPhotoPicker
{
  GtkBox        parent_instance;

  GBytes       *photo;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;

  GtkWidget    *add_button;
  GtkWidget    *status_label;
  GtkWidget    *remove_button;
};

G_DEFINE_FINAL_TYPE (KsPhotoPicker, ks_photo_picker, GTK_TYPE_BOX)

static void
show_status (KsPhotoPicker *self,
             const char    *text,
             gboolean       is_error)
{
  gtk_label_set_label (GTK_LABEL (self->status_label), text);
  if (is_error)
    {
      gtk_widget_remove_css_class (self->status_label, "dim-label");
      gtk_widget_add_css_class (self->status_label, "error");
    }
  else
    {
      gtk_widget_remove_css_class (self->status_label, "error");
      gtk_widget_add_css_class (self->status_label, "dim-label");
    }
}

static void
clear_photo (KsPhotoPicker *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->photo, g_bytes_unref);
  gtk_widget_set_visible (self->remove_button, FALSE);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  KsPhotoPicker *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL, *text = NULL, *size = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self = user_data;
      text = g_strdup_printf (_("Could not read the photo: %s. Choose another file."), error->message);
      show_status (self, text, TRUE);
      return;
    }
  self = user_data;
  bytes = g_bytes_new_take (contents, len);
  if (!ks_session_check_photo (bytes, &error))
    {
      show_status (self, error->message, TRUE);
      return;
    }
  name = g_file_get_basename (G_FILE (source));
  size = g_format_size (len);
  text = g_strdup_printf ("%s (%s)", name, size);
  self->photo = g_steal_pointer (&bytes);
  show_status (self, text, FALSE);
  gtk_widget_set_visible (self->remove_button, TRUE);
}

void
ks_photo_picker_set_file (KsPhotoPicker *self,
                          GFile         *file)
{
  g_autoptr(GFileInfo) info = NULL;

  g_return_if_fail (KS_IS_PHOTO_PICKER (self));
  g_return_if_fail (G_IS_FILE (file));

  clear_photo (self);
  /* Refuse a huge file before reading it. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL && g_file_info_get_size (info) > KS_SESSION_MAX_PHOTO_BYTES)
    {
      g_autofree char *text = g_strdup_printf (_("The photo is larger than %d MB. Choose a smaller photo, or scale it down first."),
                                               KS_SESSION_MAX_PHOTO_BYTES / (1024 * 1024));
      show_status (self, text, TRUE);
      return;
    }
  show_status (self, _("Reading the photo…"), FALSE);
  self->cancellable = g_cancellable_new ();
  g_file_load_contents_async (file, self->cancellable, on_loaded, self);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     KsPhotoPicker   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        ks_photo_picker_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

void
ks_photo_picker_add_filter (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("JPEG and PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "jpg");
  gtk_file_filter_add_suffix (filter, "jpeg");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
on_add_clicked (KsPhotoPicker *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Add Photo"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  ks_photo_picker_add_filter (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_remove_clicked (KsPhotoPicker *self)
{
  clear_photo (self);
  show_status (self, _("No photo"), FALSE);
}

GBytes *
ks_photo_picker_get_photo (KsPhotoPicker *self)
{
  g_return_val_if_fail (KS_IS_PHOTO_PICKER (self), NULL);
  return self->photo;
}

static void
ks_photo_picker_dispose (GObject *object)
{
  KsPhotoPicker *self = KS_PHOTO_PICKER (object);

  clear_photo (self);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), KS_TYPE_PHOTO_PICKER);
  G_OBJECT_CLASS (ks_photo_picker_parent_class)->dispose (object);
}

static void
ks_photo_picker_class_init (KsPhotoPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_photo_picker_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-photo-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, KsPhotoPicker, add_button);
  gtk_widget_class_bind_template_child (widget_class, KsPhotoPicker, status_label);
  gtk_widget_class_bind_template_child (widget_class, KsPhotoPicker, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
}

static void
ks_photo_picker_init (KsPhotoPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_photo_picker_new (void)
{
  return g_object_new (KS_TYPE_PHOTO_PICKER, NULL);
}

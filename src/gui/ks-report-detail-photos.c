/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-photos.c: the detail's photos facet: a strip of every photo of
 * the report and of its updates (click one to see it large, where moderators
 * redact it: ks-photo-viewer.c), and "Add Photos…" for staff who may update the
 * report (a file chooser; the photos go through the outbox). */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail-private.h"
#include "ks-photo-loader.h"
#include "ks-photo-picker.h"
#include "ks-photo-viewer.h"

#include <glib/gi18n.h>

#define THUMB_WIDTH  96
#define THUMB_HEIGHT 72

/* What a thumbnail button knows: its photo's address, whether it is redacted,
 * and the picture once loaded (object data "texture"). */
typedef struct {
  char     *url;
  gboolean  redacted;
} Thumb;

static void
thumb_free (Thumb *thumb)
{
  g_free (thumb->url);
  g_free (thumb);
}

static void
on_thumb_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWidget) button = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *picture = gtk_button_get_child (GTK_BUTTON (button));

  bytes = ks_photo_loader_load_finish (KS_PHOTO_LOADER (source), result, &error);
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_widget_set_tooltip_text (button, _("This photo could not be loaded. Check your "
                                               "connection, then open the report again."));
      return;
    }
  gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
  g_object_set_data_full (G_OBJECT (button), "texture", g_steal_pointer (&texture),
                          g_object_unref);
  gtk_widget_set_sensitive (button, TRUE);
}

static void
on_thumb_clicked (GtkButton      *button,
                  KsReportDetail *self)
{
  Thumb *thumb = g_object_get_data (G_OBJECT (button), "thumb");
  GdkTexture *texture = g_object_get_data (G_OBJECT (button), "texture");

  if (thumb != NULL && texture != NULL)
    gtk_window_present (GTK_WINDOW (ks_photo_viewer_new (self, thumb->url, thumb->redacted,
                                                         texture)));
}

static GtkWidget *
thumb_new (KsReportDetail *self,
           JsonObject     *photo,
           guint           index)
{
  g_autofree char *name = g_strdup_printf ("photo-thumb-%u", index);
  Thumb *thumb = g_new0 (Thumb, 1);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *button = gtk_button_new ();
  JsonNode *update = json_object_get_member (photo, "update_id");

  thumb->url = g_strdup (json_object_get_string_member_with_default (photo, "url", ""));
  thumb->redacted = json_object_get_boolean_member_with_default (photo, "redacted", FALSE);
  gtk_widget_set_size_request (picture, THUMB_WIDTH, THUMB_HEIGHT);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture),
                                    update != NULL && !JSON_NODE_HOLDS_NULL (update)
                                    ? _("Photo sent with an update") : _("Photo of the report"));
  gtk_button_set_child (GTK_BUTTON (button), picture);
  gtk_widget_set_name (button, name);
  gtk_widget_set_sensitive (button, FALSE);
  gtk_widget_set_tooltip_text (button, thumb->redacted
                               ? _("Redacted photo: click to see it large")
                               : _("Click to see the photo large"));
  gtk_widget_add_css_class (button, "flat");
  if (thumb->redacted)
    gtk_widget_add_css_class (button, "redacted-photo");
  g_object_set_data_full (G_OBJECT (button), "thumb", thumb, (GDestroyNotify) thumb_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_thumb_clicked), self);
  return button;
}

/* ---- Add Photos… ---- */

void
ks_report_detail_add_photo_files (KsReportDetail *self,
                                  GFile         **files,
                                  guint           n_files)
{
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  KsSession *session = ks_report_detail_get_session (self);
  KsReport *report = ks_report_detail_get_report (self);

  if (session == NULL || report == NULL || n_files == 0)
    return;
  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *message = NULL;
      gsize len = 0;
      GBytes *bytes;

      if (!g_file_load_contents (files[i], NULL, &contents, &len, NULL, &error))
        {
          message = g_strdup_printf (_("Could not read the photo: %s"), error->message);
          ks_report_detail_show_toast (self, message);
          return;
        }
      bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
      g_ptr_array_add (photos, bytes);
      if (!ks_session_check_photo (bytes, &error))
        {
          ks_report_detail_show_toast (self, error->message);
          return;
        }
    }
  ks_session_add_photos_async (session, ks_report_get_id (report),
                               (GBytes * const *) photos->pdata, photos->len, NULL,
                               ks_report_detail_action_done,
                               ks_report_detail_action_data (self,
                                                             ngettext ("Photo added",
                                                                       "Photos added",
                                                                       photos->len)));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     KsReportDetail  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) list = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        g_ptr_array_add (files, g_list_model_get_item (list, i));
      ks_report_detail_add_photo_files (self, (GFile **) files->pdata, files->len);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
on_add_clicked (GtkButton      *button,
                KsReportDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Add Photos"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  ks_photo_picker_add_filter (GTK_FILE_CHOOSER (chooser));
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the strip ---- */

void
ks_report_detail_photos_show (KsReportDetail *self,
                              GtkWidget      *strip,
                              JsonObject     *detail)
{
  KsSession *session = ks_report_detail_get_session (self);
  GCancellable *previous = g_object_get_data (G_OBJECT (strip), "cancellable");
  KsPhotoLoader *loader = g_object_get_data (G_OBJECT (strip), "loader");
  KsClient *client = session != NULL ? ks_session_get_client (session) : NULL;
  GCancellable *cancellable;
  JsonArray *photos = NULL;
  GtkWidget *child;
  guint n = 0;

  if (previous != NULL)
    g_cancellable_cancel (previous);
  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (strip), "cancellable", cancellable, g_object_unref);
  if (loader == NULL)
    {
      loader = ks_photo_loader_new ();
      g_object_set_data_full (G_OBJECT (strip), "loader", loader, g_object_unref);
    }
  while ((child = gtk_widget_get_first_child (strip)) != NULL)
    gtk_box_remove (GTK_BOX (strip), child);

  if (detail != NULL && json_object_has_member (detail, "photos") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (detail, "photos")))
    photos = json_object_get_array_member (detail, "photos");
  for (guint i = 0; photos != NULL && i < json_array_get_length (photos); i++)
    {
      JsonNode *node = json_array_get_element (photos, i);
      GtkWidget *button;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      button = thumb_new (self, json_node_get_object (node), n++);
      gtk_box_append (GTK_BOX (strip), button);
      if (client != NULL)
        ks_photo_loader_load_async (loader, client,
                                    ((Thumb *) g_object_get_data (G_OBJECT (button), "thumb"))->url,
                                    cancellable, on_thumb_read, g_object_ref (button));
    }

  if (detail != NULL && session != NULL && ks_session_can (session, KS_PERM_UPDATE_REPORT))
    {
      GtkWidget *add = gtk_button_new_with_mnemonic (_("Add _Photos…"));

      gtk_widget_set_name (add, "add-photos");
      gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (add, _("Add JPEG or PNG photos to the report"));
      g_signal_connect (add, "clicked", G_CALLBACK (on_add_clicked), self);
      gtk_box_append (GTK_BOX (strip), add);
    }
  gtk_widget_set_visible (gtk_widget_get_parent (gtk_widget_get_parent (strip)),
                          gtk_widget_get_first_child (strip) != NULL);
}

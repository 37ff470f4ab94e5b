/* ks-create-report-dialog.c: a report entered on a resident's (or the
 * council's) behalf, at a place picked on the map. */
#define G_LOG_DOMAIN "ks-create-report-dialog"

#include "config.h"
#include "ks-create-report-dialog.h"
#include "ks-photo-picker.h"

#include <glib/gi18n.h>

struct _KsCreateReportDialog
{
  AdwMessageDialog  parent_instance;

  double            lat;
  double            lon;
  GArray           *category_ids;
  char             *detail;

  GtkWidget        *category_row;
  GtkStringList    *category_model;
  GtkWidget        *title_row;
  GtkWidget        *detail_view;
  GtkWidget        *resident_check;
  GtkWidget        *council_check;
  GtkWidget        *resident_box;
  GtkWidget        *name_row;
  GtkWidget        *email_row;
  GtkWidget        *phone_row;
  GtkWidget        *photo_picker;
};

G_DEFINE_FINAL_TYPE (KsCreateReportDialog, ks_create_report_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
for_resident (KsCreateReportDialog *self)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->resident_check));
}

static void
on_changed (KsCreateReportDialog *self)
{
  gboolean ok;

  gtk_widget_set_sensitive (self->resident_box, for_resident (self));
  ok = self->category_ids->len > 0
       && *gtk_editable_get_text (GTK_EDITABLE (self->title_row)) != '\0'
       && (!for_resident (self) || *gtk_editable_get_text (GTK_EDITABLE (self->name_row)) != '\0');
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "create", ok);
}

static void
ks_create_report_dialog_finalize (GObject *object)
{
  KsCreateReportDialog *self = KS_CREATE_REPORT_DIALOG (object);

  g_array_unref (self->category_ids);
  g_free (self->detail);

  G_OBJECT_CLASS (ks_create_report_dialog_parent_class)->finalize (object);
}

static void
ks_create_report_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KS_TYPE_CREATE_REPORT_DIALOG);
  G_OBJECT_CLASS (ks_create_report_dialog_parent_class)->dispose (object);
}

static void
ks_create_report_dialog_class_init (KsCreateReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ks_create_report_dialog_finalize;
  object_class->dispose = ks_create_report_dialog_dispose;

  g_type_ensure (KS_TYPE_PHOTO_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-create-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, photo_picker);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, category_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, category_model);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, detail_view);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, resident_check);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, council_check);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, resident_box);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, phone_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
ks_create_report_dialog_init (KsCreateReportDialog *self)
{
  self->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_create_report_dialog_new (GtkWindow *parent,
                             KsSession *session,
                             double     lat,
                             double     lon)
{
  KsCreateReportDialog *self;
  JsonArray *categories;
  g_autofree char *body = NULL;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  self = g_object_new (KS_TYPE_CREATE_REPORT_DIALOG, "transient-for", parent, NULL);
  self->lat = lat;
  self->lon = lon;

  body = g_strdup_printf (_("A report at %.5f, %.5f, entered for a resident who phoned or came in, "
                            "or as the council itself."), lat, lon);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  categories = ks_session_get_categories (session);
  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      gint64 id;

      if (c == NULL || !json_object_get_boolean_member_with_default (c, "active", TRUE))
        continue;
      id = json_object_get_int_member_with_default (c, "id", 0);
      gtk_string_list_append (self->category_model, json_object_get_string_member_with_default (c, "name", ""));
      g_array_append_val (self->category_ids, id);
    }
  on_changed (self);

  return GTK_WIDGET (self);
}

void
ks_create_report_dialog_get_location (KsCreateReportDialog *self,
                                      double               *lat,
                                      double               *lon)
{
  g_return_if_fail (KS_IS_CREATE_REPORT_DIALOG (self));
  *lat = self->lat;
  *lon = self->lon;
}

gint64
ks_create_report_dialog_get_category_id (KsCreateReportDialog *self)
{
  guint sel;

  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), 0);

  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->category_row));
  if (sel == GTK_INVALID_LIST_POSITION || sel >= self->category_ids->len)
    return 0;
  return g_array_index (self->category_ids, gint64, sel);
}

const char *
ks_create_report_dialog_get_title (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->title_row));
}

const char *
ks_create_report_dialog_get_detail (KsCreateReportDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->detail_view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (self->detail);
  self->detail = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return self->detail;
}

static const char *
optional_text (KsCreateReportDialog *self,
               GtkWidget            *row)
{
  const char *text;

  if (!for_resident (self))
    return NULL;
  text = gtk_editable_get_text (GTK_EDITABLE (row));
  return *text ? text : NULL;
}

const char *
ks_create_report_dialog_get_reporter_name (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return optional_text (self, self->name_row);
}

const char *
ks_create_report_dialog_get_reporter_email (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return optional_text (self, self->email_row);
}

const char *
ks_create_report_dialog_get_reporter_phone (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return optional_text (self, self->phone_row);
}

void
ks_create_report_dialog_fill (KsCreateReportDialog *self,
                              guint                 category_index,
                              const char           *title,
                              const char           *detail,
                              const char           *reporter_name)
{
  g_return_if_fail (KS_IS_CREATE_REPORT_DIALOG (self));

  adw_combo_row_set_selected (ADW_COMBO_ROW (self->category_row), category_index);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title ? title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->detail_view)),
                            detail ? detail : "", -1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (reporter_name ? self->resident_check : self->council_check), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), reporter_name ? reporter_name : "");
}

GBytes *
ks_create_report_dialog_get_photo (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return ks_photo_picker_get_photo (KS_PHOTO_PICKER (self->photo_picker));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-new-council-dialog.c: creating a council from the council picker (see
 * ks-new-council-dialog.h). The slug follows the name as it is typed until the
 * person edits it; the server checks every value (docs/api.md). */
#define G_LOG_DOMAIN "ks-new-council-dialog"

#include "config.h"
#include "ks-new-council-dialog.h"
#include "ks-admin.h"
#include "ks-field-form.h"

#include <glib/gi18n.h>
#include <string.h>

static const KsField fields[] = {
  { "name", N_("Name"), NULL, KS_FIELD_TEXT, FALSE },
  { "slug", N_("Short Name in Addresses"), NULL, KS_FIELD_TEXT, FALSE },
  { "email", N_("Contact Address"), NULL, KS_FIELD_TEXT, FALSE },
};
#define N_FIELDS G_N_ELEMENTS (fields)

struct _KsNewCouncilDialog
{
  AdwWindow     parent_instance;

  KsSession    *session;
  GCancellable *cancellable;
  GtkWidget    *create_button;
  GtkWidget    *spinner;
  GtkWidget    *status;
  GtkWidget    *rows[N_FIELDS];
  GtkWidget    *errors[N_FIELDS];
  gboolean      slug_edited;    /* the person typed the slug: it no longer follows */
  gboolean      setting_slug;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (KsNewCouncilDialog, ks_new_council_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static int
field_index (const char *name)
{
  return ks_field_index (fields, N_FIELDS, name);
}

/* The sentence under the field at fault (index -1: under them all). */
static void
show_error (KsNewCouncilDialog *self,
            int                 index,
            const char         *message)
{
  ks_field_errors_show (self->rows, self->errors, N_FIELDS, self->status, index, message);
}

static const char *
text_of (KsNewCouncilDialog *self,
         const char         *field)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->rows[field_index (field)]));
}

static void
update_button (KsNewCouncilDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (text_of (self, "name")));

  gtk_widget_set_sensitive (self->create_button,
                            !self->busy && *name != '\0' && *text_of (self, "slug") != '\0');
}

/* "St Albans City & District Council" -> "st-albans-city-district-council". */
static char *
slug_for (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, NULL);
  GString *s = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, g_ascii_tolower (*p));
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len > 40)
    g_string_truncate (s, 40);
  return g_string_free (s, FALSE);
}

static void
on_name_changed (KsNewCouncilDialog *self)
{
  if (!self->slug_edited)
    {
      g_autofree char *slug = slug_for (text_of (self, "name"));

      self->setting_slug = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->rows[field_index ("slug")]), slug);
      self->setting_slug = FALSE;
    }
  update_button (self);
}

static void
on_slug_changed (KsNewCouncilDialog *self)
{
  if (!self->setting_slug)
    self->slug_edited = TRUE;
  update_button (self);
}

static void
set_busy (KsNewCouncilDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->spinner, busy);
  for (guint i = 0; i < N_FIELDS; i++)
    gtk_widget_set_sensitive (self->rows[i], !busy);
  update_button (self);
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KsNewCouncilDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_admin_change_finish (KS_CLIENT (source), result, &error);
  JsonObject *council;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (node == NULL)
    {
      const char *field = ks_admin_error_field (result);

      /* A taken slug is a conflict without a field: it is the slug's. */
      if (field == NULL && strstr (error->message, "slug") != NULL)
        field = "slug";
      show_error (self, field_index (field), error->message);
      return;
    }
  council = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (council != NULL && json_object_has_member (council, "council"))
    council = json_object_get_object_member (council, "council");
  if (council == NULL || json_object_get_int_member_with_default (council, "id", 0) <= 0)
    {
      show_error (self, -1, _("The server's answer did not name the new council."));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, json_object_get_int_member (council, "id"),
                 json_object_get_string_member_with_default (council, "name", ""));
  gtk_window_close (GTK_WINDOW (self));
}

void
ks_new_council_dialog_create (KsNewCouncilDialog *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *name = NULL;
  const char *email;

  g_return_if_fail (KS_IS_NEW_COUNCIL_DIALOG (self));
  if (self->busy || ks_session_get_client (self->session) == NULL)
    return;
  name = g_strstrip (g_strdup (text_of (self, "name")));
  email = text_of (self, "email");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "slug");
  json_builder_add_string_value (b, text_of (self, "slug"));
  if (*email != '\0')
    {
      json_builder_set_member_name (b, "email");
      json_builder_add_string_value (b, email);
    }
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  show_error (self, -1, NULL);
  set_busy (self, TRUE);
  ks_admin_create_async (ks_session_get_client (self->session), KS_ADMIN_COUNCILS, body,
                         self->cancellable, on_created, g_object_ref (self));
}

static void
ks_new_council_dialog_dispose (GObject *object)
{
  KsNewCouncilDialog *self = KS_NEW_COUNCIL_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ks_new_council_dialog_parent_class)->dispose (object);
}

static void
ks_new_council_dialog_class_init (KsNewCouncilDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_new_council_dialog_dispose;
  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64,
                                          G_TYPE_STRING);
}

static void
ks_new_council_dialog_init (KsNewCouncilDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *intro = gtk_label_new (_("The council gets the four default roles. Import its "
                                      "boundaries and places, and create its first administrator, "
                                      "as docs/admin.md says."));
  GtkWidget *list = gtk_list_box_new ();

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("New Council"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 460, -1);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  self->create_button = gtk_button_new_with_mnemonic (_("C_reate"));
  gtk_widget_set_name (self->create_button, "create");
  gtk_widget_add_css_class (self->create_button, "suggested-action");
  g_signal_connect_swapped (self->create_button, "clicked", G_CALLBACK (ks_new_council_dialog_create), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->create_button);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (box), header);

  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (intro), 50);
  gtk_widget_add_css_class (intro, "dim-label");
  gtk_box_append (GTK_BOX (content), intro);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_top (list, 6);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      GtkWidget *error_row = ks_field_error_row_new (&self->errors[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(fields[i].title));
      gtk_widget_set_name (row, fields[i].name);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      gtk_list_box_append (GTK_LIST_BOX (list), error_row);
      self->rows[i] = row;
    }
  gtk_box_append (GTK_BOX (content), list);
  self->status = ks_field_status_new ();
  gtk_box_append (GTK_BOX (content), self->status);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (self), box);

  g_signal_connect_swapped (self->rows[field_index ("name")], "changed", G_CALLBACK (on_name_changed), self);
  g_signal_connect_swapped (self->rows[field_index ("slug")], "changed", G_CALLBACK (on_slug_changed), self);
  g_signal_connect_swapped (self->rows[field_index ("email")], "changed", G_CALLBACK (update_button), self);
  update_button (self);
}

GtkWidget *
ks_new_council_dialog_new (GtkWindow *parent,
                           KsSession *session)
{
  KsNewCouncilDialog *self = g_object_new (KS_TYPE_NEW_COUNCIL_DIALOG, "transient-for", parent, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}

void
ks_new_council_dialog_set (KsNewCouncilDialog *self,
                           const char         *field,
                           const char         *value)
{
  int i;

  g_return_if_fail (KS_IS_NEW_COUNCIL_DIALOG (self));
  i = field_index (field);
  g_return_if_fail (i >= 0);
  gtk_editable_set_text (GTK_EDITABLE (self->rows[i]), value ? value : "");
}

const char *
ks_new_council_dialog_get_error (KsNewCouncilDialog *self,
                                 const char         *field)
{
  int i;

  g_return_val_if_fail (KS_IS_NEW_COUNCIL_DIALOG (self), NULL);
  i = field_index (field);
  return ks_field_error_shown (i < 0 ? self->status : self->errors[i]);
}

gboolean
ks_new_council_dialog_get_busy (KsNewCouncilDialog *self)
{
  g_return_val_if_fail (KS_IS_NEW_COUNCIL_DIALOG (self), FALSE);
  return self->busy;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-site-message-editor.c: the council's site message in the admin window
 * (see ks-site-message-editor.h). The end is typed in local time; the server
 * checks the text and that the end is to come. */
#define G_LOG_DOMAIN "ks-site-message-editor"

#include "ks-site-message-editor.h"
#include "ks-site-message.h"
#include "ks-error.h"

#include <glib/gi18n.h>
#include <string.h>

struct _KsSiteMessageEditor
{
  AdwPreferencesGroup  parent_instance;

  KsSession           *session;
  GCancellable        *cancellable;
  GtkWidget           *text_row;
  GtkWidget           *until_row;
  GtkWidget           *save_button;
  GtkWidget           *remove_button;
  GtkWidget           *status;     /* what is in force, or the server's sentence */
  gboolean             error;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (KsSiteMessageEditor, ks_site_message_editor, ADW_TYPE_PREFERENCES_GROUP)

static void
set_busy (KsSiteMessageEditor *self,
          gboolean             busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->save_button, !busy);
  gtk_widget_set_sensitive (self->remove_button, !busy);
}

static void
say (KsSiteMessageEditor *self,
     const char          *sentence,
     gboolean             error)
{
  self->error = error;
  gtk_label_set_text (GTK_LABEL (self->status), sentence ? sentence : "");
  gtk_widget_set_visible (self->status, sentence != NULL);
  if (error)
    gtk_widget_add_css_class (self->status, "error");
  else
    gtk_widget_remove_css_class (self->status, "error");
}

/* The fields show the message in force (a null node: none). */
static void
fill (KsSiteMessageEditor *self,
      JsonNode            *message)
{
  const char *text = ks_site_message_text (message);
  gint64 until = ks_site_message_until (message);
  g_autofree char *end = NULL;

  if (until > 0)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (until);
      end = g_date_time_format (t, "%Y-%m-%d %H:%M");
    }
  gtk_editable_set_text (GTK_EDITABLE (self->text_row), text ? text : "");
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), end ? end : "");
  if (text == NULL)
    say (self, _("No message is shown to staff."), FALSE);
  else if (end != NULL)
    {
      g_autofree char *s = g_strdup_printf (_("Shown to all staff until %s."), end);
      say (self, s, FALSE);
    }
  else
    say (self, _("Shown to all staff until it is removed."), FALSE);
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) message = ks_site_message_finish (KS_CLIENT (source), result, &error);
  g_autoptr(KsSiteMessageEditor) self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (message == NULL)
    say (self, error->message, TRUE);
  else
    fill (self, message);
}

static KsClient *
begin (KsSiteMessageEditor *self)
{
  KsClient *client = ks_session_get_client (self->session);

  if (self->busy || client == NULL)
    return NULL;
  set_busy (self, TRUE);
  return client;
}

/* The end as typed, "YYYY-MM-DD HH:MM" in local time (or ISO 8601): unix
 * seconds, 0 for none; FALSE when it cannot be read. */
static gboolean
parse_until (const char *typed,
             gint64     *out)
{
  g_autofree char *text = g_strstrip (g_strdup (typed));
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) t = NULL;
  g_autofree char *iso = NULL;

  *out = 0;
  if (*text == '\0')
    return TRUE;
  g_strdelimit (text, " ", 'T');
  /* Minutes are enough; GLib's parser wants the seconds. */
  iso = strlen (text) == 16 ? g_strconcat (text, ":00", NULL) : g_strdup (text);
  if ((t = g_date_time_new_from_iso8601 (iso, local)) == NULL)
    return FALSE;
  *out = g_date_time_to_unix (t);
  return TRUE;
}

void
ks_site_message_editor_save (KsSiteMessageEditor *self)
{
  KsClient *client;
  gint64 until = 0;

  g_return_if_fail (KS_IS_SITE_MESSAGE_EDITOR (self));
  if (!parse_until (gtk_editable_get_text (GTK_EDITABLE (self->until_row)), &until))
    {
      say (self, _("Write the end as a date and time, such as 2026-12-24 08:00, or leave it empty."), TRUE);
      return;
    }
  if ((client = begin (self)) != NULL)
    ks_site_message_set_async (client, gtk_editable_get_text (GTK_EDITABLE (self->text_row)), until,
                               self->cancellable, on_answer, g_object_ref (self));
}

void
ks_site_message_editor_remove (KsSiteMessageEditor *self)
{
  KsClient *client;

  g_return_if_fail (KS_IS_SITE_MESSAGE_EDITOR (self));
  if ((client = begin (self)) != NULL)
    ks_site_message_clear_async (client, self->cancellable, on_answer, g_object_ref (self));
}

void
ks_site_message_editor_set_text (KsSiteMessageEditor *self,
                                 const char          *text)
{
  g_return_if_fail (KS_IS_SITE_MESSAGE_EDITOR (self));
  gtk_editable_set_text (GTK_EDITABLE (self->text_row), text);
}

void
ks_site_message_editor_set_until (KsSiteMessageEditor *self,
                                  const char          *until)
{
  g_return_if_fail (KS_IS_SITE_MESSAGE_EDITOR (self));
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), until);
}

const char *
ks_site_message_editor_get_error (KsSiteMessageEditor *self)
{
  g_return_val_if_fail (KS_IS_SITE_MESSAGE_EDITOR (self), NULL);
  return self->error ? gtk_label_get_text (GTK_LABEL (self->status)) : NULL;
}

gboolean
ks_site_message_editor_get_busy (KsSiteMessageEditor *self)
{
  g_return_val_if_fail (KS_IS_SITE_MESSAGE_EDITOR (self), FALSE);
  return self->busy;
}

GtkWidget *
ks_site_message_editor_new (KsSession *session)
{
  KsSiteMessageEditor *self;
  KsClient *client;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);
  self = g_object_new (KS_TYPE_SITE_MESSAGE_EDITOR,
                       "title", _("Site Message"),
                       "description", _("A banner every member of staff sees at the top of the main window, such as an out-of-hours notice"),
                       NULL);
  self->session = g_object_ref (session);
  if ((client = begin (self)) != NULL)
    ks_site_message_get_async (client, self->cancellable, on_answer, g_object_ref (self));
  return GTK_WIDGET (self);
}

static void
ks_site_message_editor_dispose (GObject *object)
{
  KsSiteMessageEditor *self = KS_SITE_MESSAGE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ks_site_message_editor_parent_class)->dispose (object);
}

static void
ks_site_message_editor_class_init (KsSiteMessageEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ks_site_message_editor_dispose;
}

static void
ks_site_message_editor_init (KsSiteMessageEditor *self)
{
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->cancellable = g_cancellable_new ();
  self->remove_button = gtk_button_new_with_mnemonic (_("_Remove"));
  gtk_widget_set_name (self->remove_button, "site-message-remove");
  gtk_widget_set_valign (self->remove_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->remove_button, "clicked", G_CALLBACK (ks_site_message_editor_remove), self);
  self->save_button = gtk_button_new_with_mnemonic (_("_Show Message"));
  gtk_widget_set_name (self->save_button, "site-message-save");
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_valign (self->save_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (ks_site_message_editor_save), self);
  gtk_box_append (GTK_BOX (suffix), self->remove_button);
  gtk_box_append (GTK_BOX (suffix), self->save_button);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), suffix);

  self->text_row = adw_entry_row_new ();
  gtk_widget_set_name (self->text_row, "site-message-text");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->text_row), _("Message"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->text_row);
  self->until_row = adw_entry_row_new ();
  gtk_widget_set_name (self->until_row, "site-message-until");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->until_row),
                                 _("Ends (optional, such as 2026-12-24 08:00)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->until_row);
  self->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_widget_add_css_class (self->status, "dim-label");
  gtk_widget_set_margin_top (self->status, 6);
  gtk_widget_set_visible (self->status, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->status);
}

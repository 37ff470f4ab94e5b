/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-window-council.c: the council picker of a platform operator (superuser)
 * in the header bar: the councils by name; choosing one switches the session
 * to it, and the window starts again on that council's reports, map, filters
 * and lists. Its last entry, "New Council…", creates one and switches to it.
 * The council chosen is remembered (GSettings "last-council") for the next
 * sign-in. Staff do not see it. */
#define G_LOG_DOMAIN "ks-window"

#include "ks-window-private.h"
#include "ks-admin.h"
#include "ks-new-council-dialog.h"

#include <glib/gi18n.h>

static void select_current (KsWindow *self);

static void
on_council_created (KsWindow   *self,
                    gint64      id,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *done = g_strdup_printf (_("“%s” is created."), name);

  ks_window_add_toast (self, done);
  if (!ks_session_switch_council (self->session, id, &error))
    {
      ks_window_add_toast (self, error->message);
      ks_window_council_update (self);
    }
}

static void
open_new_council (KsWindow *self)
{
  GtkWidget *dialog = ks_new_council_dialog_new (GTK_WINDOW (self), self->session);

  g_signal_connect_object (dialog, "created", G_CALLBACK (on_council_created), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_council_picked (KsWindow *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->council_picker));
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->council_ids == NULL || i == GTK_INVALID_LIST_POSITION)
    return;
  if (i == self->council_ids->len)
    {
      /* "New Council…": the picker goes on showing the council worked in. */
      select_current (self);
      open_new_council (self);
      return;
    }
  if (i > self->council_ids->len)
    return;
  id = g_array_index (self->council_ids, gint64, i);
  if (id == ks_session_get_council_id (self->session))
    return;
  if (!ks_session_switch_council (self->session, id, &error))
    {
      ks_window_add_toast (self, error->message);
      ks_window_council_update (self);
    }
}

/* Selects the session's council in the picker, without switching. */
static void
select_current (KsWindow *self)
{
  gint64 current = ks_session_get_council_id (self->session);

  for (guint i = 0; self->council_ids && i < self->council_ids->len; i++)
    if (g_array_index (self->council_ids, gint64, i) == current)
      {
        g_signal_handler_block (self->council_picker, self->council_picked_handler);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->council_picker), i);
        g_signal_handler_unblock (self->council_picker, self->council_picked_handler);
      }
}

static void
on_councils (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  KsWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) councils = ks_admin_list_finish (KS_CLIENT (source), result, &error);
  g_autoptr(GtkStringList) names = NULL;

  if (councils == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ks_window_add_toast (self, error->message);
      return;
    }
  names = gtk_string_list_new (NULL);
  g_array_set_size (self->council_ids, 0);
  for (guint i = 0; i < json_array_get_length (councils); i++)
    {
      JsonObject *o = json_array_get_object_element (councils, i);
      gint64 id = json_object_get_int_member_with_default (o, "id", 0);

      if (id <= 0)
        continue;
      g_array_append_val (self->council_ids, id);
      gtk_string_list_append (names, json_object_get_string_member_with_default (o, "name", ""));
    }
  gtk_string_list_append (names, _("New Council…"));
  g_signal_handler_block (self->council_picker, self->council_picked_handler);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->council_picker), G_LIST_MODEL (names));
  g_signal_handler_unblock (self->council_picker, self->council_picked_handler);
  select_current (self);
  gtk_widget_set_visible (self->council_picker, self->council_ids->len > 0);
}

void
ks_window_council_update (KsWindow *self)
{
  gboolean operator = self->session != NULL && ks_session_is_signed_in (self->session) &&
                      ks_session_is_superuser (self->session);

  if (self->council_ids == NULL)
    {
      self->council_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      self->council_picked_handler = g_signal_connect_swapped (self->council_picker, "notify::selected",
                                                               G_CALLBACK (on_council_picked), self);
    }
  if (!operator)
    {
      gtk_widget_set_visible (self->council_picker, FALSE);
      return;
    }
  if (ks_session_get_council_id (self->session) > 0)
    g_settings_set_int64 (self->settings, "last-council", ks_session_get_council_id (self->session));
  g_cancellable_cancel (self->councils_cancellable);
  g_clear_object (&self->councils_cancellable);
  self->councils_cancellable = g_cancellable_new ();
  ks_admin_list_async (ks_session_get_client (self->session), KS_ADMIN_COUNCILS, NULL,
                       self->councils_cancellable, on_councils, self);
}

void
ks_window_council_dispose (KsWindow *self)
{
  g_cancellable_cancel (self->councils_cancellable);
  g_clear_object (&self->councils_cancellable);
  g_clear_pointer (&self->council_ids, g_array_unref);
}

GtkDropDown *
ks_window_get_council_picker (KsWindow *self)
{
  g_return_val_if_fail (KS_IS_WINDOW (self), NULL);
  return GTK_DROP_DOWN (self->council_picker);
}

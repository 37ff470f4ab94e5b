/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-place-search.c: matching places under an entry, looked up on the server
 * a moment after the typing stops. */
#define G_LOG_DOMAIN "ks-place-search"

#include "config.h"
#include "ks-place-search.h"

#include <glib/gi18n.h>

#include "ks-places.h"
#include "ks-rows-text.h"

/* How many places are offered. */
#define N_OFFERED 8

struct _KsPlaceSearch
{
  GtkWidget     parent_instance;

  KsSession    *session;
  GtkEditable  *entry;          /* weak */
  GtkWidget    *group;
  GtkWidget    *list;
  GtkWidget    *status_label;
  JsonArray    *places;         /* what the rows show, or NULL */
  GCancellable *cancellable;    /* the lookup running, or NULL */
  guint         delay_id;
  guint         quiet;          /* > 0: text set by the program, not looked up */
};

G_DEFINE_FINAL_TYPE (KsPlaceSearch, ks_place_search, GTK_TYPE_WIDGET)

enum { SIGNAL_PLACE_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_status (KsPlaceSearch *self,
            const char    *text)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text ? text : "");
  gtk_widget_set_visible (self->status_label, text && *text);
}

static void
clear_rows (KsPlaceSearch *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), row);
  g_clear_pointer (&self->places, json_array_unref);
  gtk_widget_set_visible (self->list, FALSE);
}

static void
stop (KsPlaceSearch *self)
{
  g_clear_handle_id (&self->delay_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "street") == 0)
    return _("Street");
  if (g_strcmp0 (kind, "postcode") == 0)
    return _("Postcode");
  return _("Place");
}

static const char *
kind_icon (const char *kind)
{
  if (g_strcmp0 (kind, "street") == 0)
    return "find-location-symbolic";
  if (g_strcmp0 (kind, "postcode") == 0)
    return "mail-unread-symbolic";
  return "mark-location-symbolic";
}

static void
show_places (KsPlaceSearch *self,
             JsonArray     *places,
             const char    *text)
{
  guint n = json_array_get_length (places);

  clear_rows (self);
  self->places = json_array_ref (places);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *place = json_array_get_object_element (places, i);
      const char *kind = json_object_get_string_member_with_default (place, "kind", "place");
      const char *context = json_object_get_string_member_with_default (place, "context", "");
      g_autofree char *subtitle = context && *context
        ? g_strdup_printf ("%s · %s", kind_label (kind), context) : g_strdup (kind_label (kind));
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     json_object_get_string_member_with_default (place, "name", ""));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), kind_icon (kind));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_name (row, "place-row");
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
    }
  gtk_widget_set_visible (self->list, n > 0);
  if (n == 0)
    {
      g_autofree char *none = g_strdup_printf (_("No places match “%s”."), text);
      set_status (self, none);
    }
  else
    set_status (self, NULL);
}

static void
on_search_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KsPlaceSearch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) places = ks_places_search_finish (KS_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the text changed: a newer lookup runs */
  g_clear_object (&self->cancellable);
  if (places == NULL)
    {
      clear_rows (self);
      set_status (self, error->message);
      return;
    }
  show_places (self, places, self->entry ? gtk_editable_get_text (self->entry) : "");
}

static gboolean
worth_looking_up (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  return g_utf8_strlen (stripped, -1) >= 2;
}

static gboolean
look_up (gpointer data)
{
  KsPlaceSearch *self = data;
  const char *text;

  self->delay_id = 0;
  if (self->session == NULL || self->entry == NULL)
    return G_SOURCE_REMOVE;
  text = gtk_editable_get_text (self->entry);
  self->cancellable = g_cancellable_new ();
  ks_places_search_async (self->session, text, N_OFFERED, self->cancellable,
                          on_search_done, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_text_changed (KsPlaceSearch *self)
{
  const char *text;

  if (self->quiet > 0)
    return;
  stop (self);
  text = self->entry ? gtk_editable_get_text (self->entry) : "";
  if (self->session == NULL || !worth_looking_up (text))
    {
      clear_rows (self);
      set_status (self, NULL);
      gtk_widget_set_visible (self->group, FALSE);
      return;
    }
  gtk_widget_set_visible (self->group, TRUE);
  if (self->places == NULL)
    set_status (self, _("Looking for places…"));
  self->delay_id = g_timeout_add (KS_PLACE_SEARCH_DELAY_MS, look_up, self);
}

static void
on_row_activated (KsPlaceSearch *self,
                  GtkListBoxRow *row)
{
  ks_place_search_choose (self, (guint) gtk_list_box_row_get_index (row));
}

static void
ks_place_search_dispose (GObject *object)
{
  KsPlaceSearch *self = KS_PLACE_SEARCH (object);

  stop (self);
  ks_place_search_attach (self, NULL);
  g_clear_object (&self->session);
  g_clear_pointer (&self->places, json_array_unref);
  g_clear_pointer (&self->group, gtk_widget_unparent);

  G_OBJECT_CLASS (ks_place_search_parent_class)->dispose (object);
}

static void
ks_place_search_class_init (KsPlaceSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_place_search_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  signals[SIGNAL_PLACE_CHOSEN] =
    g_signal_new ("place-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
ks_place_search_init (KsPlaceSearch *self)
{
  self->group = adw_preferences_group_new ();
  gtk_widget_set_parent (self->group, GTK_WIDGET (self));
  gtk_widget_set_visible (self->group, FALSE);

  self->list = gtk_list_box_new ();
  gtk_widget_set_name (self->list, "place-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_visible (self->list, FALSE);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->list);

  self->status_label = gtk_label_new (NULL);
  gtk_widget_set_name (self->status_label, "place-status");
  gtk_label_set_wrap (GTK_LABEL (self->status_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_widget_set_margin_top (self->status_label, 6);
  gtk_widget_add_css_class (self->status_label, "dim-label");
  gtk_widget_set_visible (self->status_label, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->status_label);
}

GtkWidget *
ks_place_search_new (const char *title)
{
  KsPlaceSearch *self = g_object_new (KS_TYPE_PLACE_SEARCH, NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), title ? title : "");
  return GTK_WIDGET (self);
}

void
ks_place_search_set_session (KsPlaceSearch *self,
                             KsSession     *session)
{
  g_return_if_fail (KS_IS_PLACE_SEARCH (self));

  stop (self);
  g_set_object (&self->session, session);
  clear_rows (self);
  set_status (self, NULL);
  gtk_widget_set_visible (self->group, FALSE);
}

void
ks_place_search_attach (KsPlaceSearch *self,
                        GtkEditable   *entry)
{
  g_return_if_fail (KS_IS_PLACE_SEARCH (self));

  if (self->entry != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->entry, on_text_changed, self);
      g_object_remove_weak_pointer (G_OBJECT (self->entry), (gpointer *) &self->entry);
    }
  self->entry = entry;
  if (entry != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (entry), (gpointer *) &self->entry);
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (on_text_changed), self);
    }
}

void
ks_place_search_set_entry_text (KsPlaceSearch *self,
                                const char    *text)
{
  g_return_if_fail (KS_IS_PLACE_SEARCH (self));

  stop (self);
  clear_rows (self);
  set_status (self, NULL);
  gtk_widget_set_visible (self->group, FALSE);
  if (self->entry == NULL)
    return;
  self->quiet++;
  gtk_editable_set_text (self->entry, text ? text : "");
  self->quiet--;
}

gboolean
ks_place_search_choose (KsPlaceSearch *self,
                        guint          index)
{
  g_autoptr(JsonObject) place = NULL;

  g_return_val_if_fail (KS_IS_PLACE_SEARCH (self), FALSE);

  if (self->places == NULL || index >= json_array_get_length (self->places))
    return FALSE;
  place = json_object_ref (json_array_get_object_element (self->places, index));
  g_signal_emit (self, signals[SIGNAL_PLACE_CHOSEN], 0, place);
  return TRUE;
}

char *
ks_place_search_get_rows_text (KsPlaceSearch *self)
{
  g_return_val_if_fail (KS_IS_PLACE_SEARCH (self), NULL);
  return ks_rows_text (self->list);
}

guint
ks_place_search_get_n_rows (KsPlaceSearch *self)
{
  g_return_val_if_fail (KS_IS_PLACE_SEARCH (self), 0);
  return self->places ? json_array_get_length (self->places) : 0;
}

const char *
ks_place_search_get_status (KsPlaceSearch *self)
{
  g_return_val_if_fail (KS_IS_PLACE_SEARCH (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

gboolean
ks_place_search_is_busy (KsPlaceSearch *self)
{
  g_return_val_if_fail (KS_IS_PLACE_SEARCH (self), FALSE);
  return self->delay_id != 0 || self->cancellable != NULL;
}

GtkWidget *
ks_place_search_get_row (KsPlaceSearch *self,
                         guint          index)
{
  g_return_val_if_fail (KS_IS_PLACE_SEARCH (self), NULL);
  return GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), (int) index));
}

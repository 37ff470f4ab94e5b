/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-preferences-window.c: server, map tiles and sync interval, saved in GSettings. */
#define G_LOG_DOMAIN "ks-preferences-window"

#include "config.h"
#include "ks-preferences-window.h"

#include <glib/gi18n.h>

#include "ks-client.h"

struct _KsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GtkWidget            *server_row;
  GtkWidget            *tile_choice_row;
  GtkWidget            *tile_row;
  gboolean              loading;
  GtkWidget            *interval_spin;
};

G_DEFINE_FINAL_TYPE (KsPreferencesWindow, ks_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_toast (KsPreferencesWindow *self,
            const char          *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1); /* toast titles are markup */

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

static void
on_server_apply (KsPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->server_row));

  if (*text == '\0')
    {
      g_settings_set_string (self->settings, "server-url", "");
      return;
    }

  url = ks_client_normalise_url (text, &error);
  if (url == NULL)
    {
      gtk_widget_add_css_class (self->server_row, "error");
      show_toast (self, error->message);
      return;
    }

  gtk_widget_remove_css_class (self->server_row, "error");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  g_settings_set_string (self->settings, "server-url", url);
  show_toast (self, _("Saved. The new server is used the next time you sign in."));
}

static gboolean
tile_url_is_valid (const char *text)
{
  if (!g_str_has_prefix (text, "https://") && !g_str_has_prefix (text, "http://"))
    return FALSE;
  return strstr (text, "{z}") && strstr (text, "{x}") && (strstr (text, "{y}") || strstr (text, "{tmsy}"));
}

static void
on_tile_apply (KsPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tile_row));

  if (!tile_url_is_valid (text))
    {
      gtk_widget_add_css_class (self->tile_row, "error");
      show_toast (self, _("Enter a tile address starting with https:// that contains {z}, {x} and {y}."));
      return;
    }

  gtk_widget_remove_css_class (self->tile_row, "error");
  g_settings_set_string (self->settings, "tile-url", text);
  show_toast (self, _("Saved. The map uses the new tiles."));
}

enum { TILES_BUILTIN, TILES_OSM, TILES_CUSTOM };

static guint
tile_choice_for (GSettings  *settings,
                 const char *url)
{
  g_autoptr(GVariant) def = g_settings_get_default_value (settings, "tile-url");

  if (*url == '\0' || g_str_equal (url, "kerbside:builtin"))
    return TILES_BUILTIN;
  if (g_str_equal (url, g_variant_get_string (def, NULL)))
    return TILES_OSM;
  return TILES_CUSTOM;
}

/* Built-in and OpenStreetMap take effect at once; a custom address when it is
 * applied (and checked). */
static void
on_tile_choice (KsPreferencesWindow *self)
{
  guint choice = adw_combo_row_get_selected (ADW_COMBO_ROW (self->tile_choice_row));

  gtk_widget_set_visible (self->tile_row, choice == TILES_CUSTOM);
  if (self->loading)
    return;
  switch (choice)
    {
    case TILES_BUILTIN:
      g_settings_set_string (self->settings, "tile-url", "kerbside:builtin");
      break;
    case TILES_OSM:
      g_settings_reset (self->settings, "tile-url");
      break;
    default:
      gtk_widget_grab_focus (self->tile_row);
      break;
    }
}

static void
ks_preferences_window_dispose (GObject *object)
{
  KsPreferencesWindow *self = KS_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (ks_preferences_window_parent_class)->dispose (object);
}

static void
ks_preferences_window_class_init (KsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KsPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, KsPreferencesWindow, tile_choice_row);
  gtk_widget_class_bind_template_child (widget_class, KsPreferencesWindow, tile_row);
  gtk_widget_class_bind_template_child (widget_class, KsPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_server_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_tile_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_tile_choice);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ks_preferences_window_init (KsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_preferences_window_new (GSettings *settings)
{
  KsPreferencesWindow *self;
  g_autofree char *server = NULL;
  g_autofree char *tiles = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (KS_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  server = g_settings_get_string (settings, "server-url");
  tiles = g_settings_get_string (settings, "tile-url");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  self->loading = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->tile_choice_row), tile_choice_for (settings, tiles));
  if (tile_choice_for (settings, tiles) == TILES_CUSTOM)
    gtk_editable_set_text (GTK_EDITABLE (self->tile_row), tiles);
  gtk_widget_set_visible (self->tile_row, tile_choice_for (settings, tiles) == TILES_CUSTOM);
  self->loading = FALSE;
  g_settings_bind (settings, "sync-interval",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->interval_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);

  return GTK_WIDGET (self);
}

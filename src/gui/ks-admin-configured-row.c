/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-configured-row.c: an Open311 destination of the server's
 * configuration file in the administration (see ks-admin-configured-row.h). */
#define G_LOG_DOMAIN "ks-admin-configured-row"

#include "config.h"
#include "ks-admin-configured-row.h"

#include <glib/gi18n.h>

gboolean
ks_admin_configured_row_is_for (JsonObject *o)
{
  return g_strcmp0 (json_object_get_string_member_with_default (o, "source", NULL), "config") == 0;
}

GtkWidget *
ks_admin_configured_row_new (JsonObject *o)
{
  GtkWidget *row = adw_action_row_new ();
  const char *name = json_object_get_string_member_with_default (o, "name", "");
  const char *endpoint = json_object_get_string_member_with_default (o, "endpoint", "");
  gboolean replaced = json_object_get_boolean_member_with_default (o, "replaced", FALSE);
  g_autofree char *sub = NULL;

  sub = g_strdup_printf ("%s · %s", endpoint ? endpoint : "",
                         replaced ? _("From the server’s configuration file · Replaced by the council’s entry")
                                  : _("From the server’s configuration file"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_tooltip_text (row, _("Change it in the server’s configuration file, or add an "
                                      "entry of the same name here, which wins."));
  if (replaced)
    gtk_widget_add_css_class (row, "dim-label");
  return row;
}

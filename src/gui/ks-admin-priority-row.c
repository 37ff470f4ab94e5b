/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-priority-row.c: the category editor's "Default priority" row. The ids
 * behind the labels are kept on the row (position 0: None). */
#include "config.h"
#include "ks-admin-priority-row.h"

#include <glib/gi18n.h>

#define IDS_KEY "ks-priority-ids"
#define ORIGINAL_KEY "ks-priority-original"

static gint64
int_member (JsonObject *o, const char *member)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, member))
    return 0;
  n = json_object_get_member (o, member);
  return JSON_NODE_HOLDS_VALUE (n) ? json_node_get_int (n) : 0;
}

GtkWidget *
ks_admin_priority_row_new (KsSession  *session,
                           const char *title,
                           JsonObject *category,
                           gboolean    editable)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(JsonArray) offered = ks_session_get_priorities_for_category (session,
                                                                        int_member (category, "id"));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 current = int_member (category, "default_priority_id"), none = 0;
  guint selected = 0;

  gtk_string_list_append (labels, _("None"));
  g_array_append_val (ids, none);
  for (guint i = 0; i < json_array_get_length (offered); i++)
    {
      JsonObject *p = json_array_get_object_element (offered, i);
      gint64 id = int_member (p, "id");
      gboolean active = !json_object_has_member (p, "active") ||
                        json_object_get_boolean_member (p, "active");

      if (id == 0 || (!active && id != current))
        continue;
      if (id == current)
        selected = ids->len;
      gtk_string_list_append (labels, json_object_get_string_member_with_default (p, "name", ""));
      g_array_append_val (ids, id);
    }
  /* A default no longer for the category: still shown, as it is. */
  if (current != 0 && selected == 0)
    {
      const char *name = ks_session_get_priority_name (session, current);
      g_autofree char *label = g_strdup_printf (_("%s (not for this category)"),
                                                *name ? name : "?");

      selected = ids->len;
      gtk_string_list_append (labels, label);
      g_array_append_val (ids, current);
    }

  g_object_set_data_full (G_OBJECT (row), IDS_KEY, ids, (GDestroyNotify) g_array_unref);
  g_object_set_data (G_OBJECT (row), ORIGINAL_KEY, GINT_TO_POINTER ((int) selected));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  gtk_widget_set_sensitive (row, editable);
  return row;
}

void
ks_admin_priority_row_select (GtkWidget  *row,
                              const char *id)
{
  GArray *ids = g_object_get_data (G_OBJECT (row), IDS_KEY);
  gint64 wanted = id != NULL && *id ? g_ascii_strtoll (id, NULL, 10) : 0;

  g_return_if_fail (ids != NULL);
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == wanted)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
        return;
      }
  g_warning ("The priority %s is not offered", id);
}

gboolean
ks_admin_priority_row_changed (GtkWidget *row,
                               gint64    *out_id)
{
  GArray *ids = g_object_get_data (G_OBJECT (row), IDS_KEY);
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
  guint original = (guint) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ORIGINAL_KEY));

  g_return_val_if_fail (ids != NULL, FALSE);
  if (selected >= ids->len)
    selected = 0;
  *out_id = g_array_index (ids, gint64, selected);
  return selected != original;
}

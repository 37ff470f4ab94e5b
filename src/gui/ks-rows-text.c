/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-rows-text.c: a list's action rows as text. */
#include "ks-rows-text.h"

char *
ks_rows_text (GtkWidget *list)
{
  GString *s = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      if (!ADW_IS_ACTION_ROW (row))
        continue;
      g_string_append_printf (s, "%s%s\n%s", s->len ? "\n\n" : "",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
    }
  return g_string_free (s, FALSE);
}

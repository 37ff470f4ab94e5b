/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-field-form.c: the field-table forms' shared parts (see ks-field-form.h). */
#include "ks-field-form.h"

#include <adwaita.h>
#include <string.h>

int
ks_field_index (const KsField *fields,
                guint          n,
                const char    *name)
{
  for (guint i = 0; name != NULL && i < n; i++)
    if (strcmp (fields[i].name, name) == 0)
      return (int) i;
  return -1;
}

GtkWidget *
ks_field_error_row_new (GtkWidget **label)
{
  GtkWidget *error = gtk_label_new (NULL);
  GtkWidget *row = adw_preferences_row_new ();

  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_margin_start (error, 12);
  gtk_widget_set_margin_end (error, 12);
  gtk_widget_set_margin_top (error, 6);
  gtk_widget_set_margin_bottom (error, 6);
  /* A row of its own right under the field's (a plain widget would go below
   * the whole list). */
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), error);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_visible (row, FALSE);
  *label = error;
  return row;
}

GtkWidget *
ks_field_status_new (void)
{
  GtkWidget *status = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_widget_add_css_class (status, "error");
  gtk_widget_set_visible (status, FALSE);
  return status;
}

void
ks_field_errors_show (GtkWidget  **rows,
                      GtkWidget  **errors,
                      guint        n,
                      GtkWidget   *status,
                      int          index,
                      const char  *message)
{
  for (guint i = 0; i < n; i++)
    {
      gboolean here = (int) i == index && message != NULL;

      gtk_label_set_text (GTK_LABEL (errors[i]), here ? message : "");
      gtk_widget_set_visible (gtk_widget_get_parent (errors[i]), here);
      if (here)
        gtk_widget_add_css_class (rows[i], "error");
      else
        gtk_widget_remove_css_class (rows[i], "error");
    }
  gtk_label_set_text (GTK_LABEL (status), index < 0 && message ? message : "");
  gtk_widget_set_visible (status, index < 0 && message != NULL);
}

const char *
ks_field_error_shown (GtkWidget *label)
{
  GtkWidget *parent = gtk_widget_get_parent (label);
  /* An error label shows with its row; the status line by itself. */
  GtkWidget *shown = GTK_IS_LIST_BOX_ROW (parent) ? parent : label;

  return gtk_widget_get_visible (shown) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

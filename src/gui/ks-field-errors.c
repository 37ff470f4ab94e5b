/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-field-errors.c: a refusal under its field (see ks-field-errors.h). */
#include "ks-field-errors.h"

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

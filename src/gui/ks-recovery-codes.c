/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-recovery-codes.c: two-factor recovery codes shown once. */
#define G_LOG_DOMAIN "ks-recovery-codes"

#include "config.h"
#include "ks-recovery-codes.h"

#include <glib/gi18n.h>

struct _KsRecoveryCodes
{
  GtkWidget  parent_instance;

  GtkWidget *grid;
  GtkWidget *copy_button;

  char     **codes;
};

G_DEFINE_FINAL_TYPE (KsRecoveryCodes, ks_recovery_codes, GTK_TYPE_WIDGET)

void
ks_recovery_codes_set_codes (KsRecoveryCodes   *self,
                             const char *const *codes)
{
  GtkWidget *child;
  guint n;

  g_return_if_fail (KS_IS_RECOVERY_CODES (self));

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_strfreev (self->codes);
  self->codes = g_strdupv ((char **) codes);
  n = self->codes ? g_strv_length (self->codes) : 0;
  /* Down the first column, then the second, as they are numbered. */
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *label = gtk_label_new (self->codes[i]);
      guint rows = (n + 1) / 2;

      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      /* Selectable with the pointer, without the first one selected on showing. */
      gtk_widget_set_focusable (label, FALSE);
      gtk_widget_add_css_class (label, "monospace");
      gtk_widget_add_css_class (label, "ks-recovery-code");
      gtk_grid_attach (GTK_GRID (self->grid), label, i / rows, i % rows, 1, 1);
    }
  gtk_button_set_label (GTK_BUTTON (self->copy_button), _("_Copy Codes"));
  gtk_widget_set_sensitive (self->copy_button, n > 0);
}

char *
ks_recovery_codes_get_text (KsRecoveryCodes *self)
{
  g_autofree char *joined = NULL;

  g_return_val_if_fail (KS_IS_RECOVERY_CODES (self), NULL);
  if (self->codes == NULL || self->codes[0] == NULL)
    return g_strdup ("");
  joined = g_strjoinv ("\n", self->codes);
  return g_strconcat (joined, "\n", NULL);
}

GList *
ks_recovery_codes_get_labels (KsRecoveryCodes *self)
{
  GList *labels = NULL;
  guint n, rows;

  g_return_val_if_fail (KS_IS_RECOVERY_CODES (self), NULL);
  n = self->codes ? g_strv_length (self->codes) : 0;
  rows = (n + 1) / 2;
  for (guint i = 0; i < n; i++)
    labels = g_list_append (labels, gtk_grid_get_child_at (GTK_GRID (self->grid), i / rows, i % rows));
  return labels;
}

void
ks_recovery_codes_copy (KsRecoveryCodes *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KS_IS_RECOVERY_CODES (self));
  text = ks_recovery_codes_get_text (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  gtk_button_set_label (GTK_BUTTON (self->copy_button), _("Copied"));
}

static void
ks_recovery_codes_dispose (GObject *object)
{
  KsRecoveryCodes *self = KS_RECOVERY_CODES (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_RECOVERY_CODES);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ks_recovery_codes_parent_class)->dispose (object);
}

static void
ks_recovery_codes_finalize (GObject *object)
{
  KsRecoveryCodes *self = KS_RECOVERY_CODES (object);

  g_strfreev (self->codes);
  G_OBJECT_CLASS (ks_recovery_codes_parent_class)->finalize (object);
}

static void
ks_recovery_codes_class_init (KsRecoveryCodesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_recovery_codes_dispose;
  object_class->finalize = ks_recovery_codes_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-recovery-codes.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KsRecoveryCodes, grid);
  gtk_widget_class_bind_template_child (widget_class, KsRecoveryCodes, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, ks_recovery_codes_copy);
}

static void
ks_recovery_codes_init (KsRecoveryCodes *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_recovery_codes_new (void)
{
  return g_object_new (KS_TYPE_RECOVERY_CODES, NULL);
}

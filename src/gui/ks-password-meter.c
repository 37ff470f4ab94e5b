/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-password-meter.c: a live strength meter for a new password. */
#define G_LOG_DOMAIN "ks-password-meter"

#include "config.h"
#include "ks-password-meter.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ks-password-policy.h"

struct _KsPasswordMeter
{
  GtkWidget   parent_instance;

  GtkWidget  *level_bar;
  GtkWidget  *label;

  GStrv       user_words;
  guint       min_length;
  char       *password;
  int         score;
  gboolean    acceptable;
};

G_DEFINE_FINAL_TYPE (KsPasswordMeter, ks_password_meter, GTK_TYPE_WIDGET)

static void
update (KsPasswordMeter *self)
{
  GtkWidget *label = self->label;
  KsPasswordVerdict verdict;
  g_autofree char *hint = NULL;
  guint min_length = self->min_length ? self->min_length : KS_PASSWORD_MIN_LENGTH_DEFAULT;

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");

  if (self->password == NULL || *self->password == '\0')
    {
      self->score = -1;
      self->acceptable = FALSE;
      gtk_level_bar_set_value (GTK_LEVEL_BAR (self->level_bar), 0);
      hint = g_strdup_printf (_("Use at least %u characters: a few unrelated words together are strong and easy to remember."),
                              MAX (min_length, KS_PASSWORD_MIN_LENGTH_FLOOR));
      gtk_label_set_text (GTK_LABEL (label), hint);
      return;
    }

  ks_password_check (self->password, min_length, (const char * const *) self->user_words, &verdict);
  self->score = verdict.score;
  self->acceptable = verdict.acceptable;
  /* One step on the bar even for the weakest, so that something shows. */
  gtk_level_bar_set_value (GTK_LEVEL_BAR (self->level_bar), verdict.acceptable ? verdict.score + 1 : MIN (verdict.score + 1, 2));
  if (!verdict.acceptable)
    {
      gtk_label_set_text (GTK_LABEL (label), verdict.reason);
      gtk_widget_add_css_class (label, "error");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (label),
                          verdict.score >= 4 ? _("Strong password.")
                          : verdict.score == 3 ? _("Good password.")
                          : _("Fair password: adding another word makes it much stronger."));
      gtk_widget_add_css_class (label, "success");
    }
  ks_password_verdict_clear (&verdict);
}

static void
ks_password_meter_dispose (GObject *object)
{
  KsPasswordMeter *self = KS_PASSWORD_METER (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_PASSWORD_METER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ks_password_meter_parent_class)->dispose (object);
}

static void
ks_password_meter_finalize (GObject *object)
{
  KsPasswordMeter *self = KS_PASSWORD_METER (object);

  g_strfreev (self->user_words);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  G_OBJECT_CLASS (ks_password_meter_parent_class)->finalize (object);
}

static void
ks_password_meter_class_init (KsPasswordMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_password_meter_dispose;
  object_class->finalize = ks_password_meter_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-password-meter.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ks-password-meter");
  gtk_widget_class_bind_template_child (widget_class, KsPasswordMeter, level_bar);
  gtk_widget_class_bind_template_child (widget_class, KsPasswordMeter, label);
}

static void
ks_password_meter_init (KsPasswordMeter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->score = -1;
  /* Red, orange, yellowish, green: the offsets are the bar's values. */
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->level_bar), "ks-weak", 1);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->level_bar), GTK_LEVEL_BAR_OFFSET_LOW, 2);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->level_bar), GTK_LEVEL_BAR_OFFSET_HIGH, 4);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (self->level_bar), GTK_LEVEL_BAR_OFFSET_FULL, 5);
  update (self);
}

GtkWidget *
ks_password_meter_new (void)
{
  return g_object_new (KS_TYPE_PASSWORD_METER, NULL);
}

void
ks_password_meter_set_user_words (KsPasswordMeter    *self,
                                  const char * const *words)
{
  g_return_if_fail (KS_IS_PASSWORD_METER (self));
  g_strfreev (self->user_words);
  self->user_words = g_strdupv ((char **) words);
  update (self);
}

void
ks_password_meter_set_min_length (KsPasswordMeter *self,
                                  guint            min_length)
{
  g_return_if_fail (KS_IS_PASSWORD_METER (self));
  self->min_length = min_length;
  update (self);
}

void
ks_password_meter_set_password (KsPasswordMeter *self,
                                const char      *password)
{
  g_return_if_fail (KS_IS_PASSWORD_METER (self));
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  update (self);
}

int
ks_password_meter_get_score (KsPasswordMeter *self)
{
  g_return_val_if_fail (KS_IS_PASSWORD_METER (self), -1);
  return self->score;
}

gboolean
ks_password_meter_get_acceptable (KsPasswordMeter *self)
{
  g_return_val_if_fail (KS_IS_PASSWORD_METER (self), FALSE);
  return self->acceptable;
}

const char *
ks_password_meter_get_text (KsPasswordMeter *self)
{
  g_return_val_if_fail (KS_IS_PASSWORD_METER (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}

double
ks_password_meter_get_level (KsPasswordMeter *self)
{
  g_return_val_if_fail (KS_IS_PASSWORD_METER (self), 0);
  return gtk_level_bar_get_value (GTK_LEVEL_BAR (self->level_bar));
}

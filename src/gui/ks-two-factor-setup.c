/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-two-factor-setup.c: turning on two-factor authentication. */
#define G_LOG_DOMAIN "ks-two-factor-setup"

#include "config.h"
#include "ks-two-factor-setup.h"

#include <glib/gi18n.h>

#include "ks-account.h"
#include "ks-error.h"
#include "ks-qr-code.h"
#include "ks-recovery-codes.h"
#include "ks-time.h"

#define CODE_DIGITS 6

struct _KsTwoFactorSetup
{
  GtkWidget     parent_instance;

  GtkWidget    *stack;
  GtkWidget    *password_entry;
  GtkWidget    *password_error_label;
  GtkWidget    *continue_button;
  GtkWidget    *loading_spinner;
  GtkWidget    *failed_label;
  GtkWidget    *qr_code;
  GtkWidget    *secret_label;
  GtkWidget    *copy_button;
  GtkWidget    *code_entry;
  GtkWidget    *error_revealer;
  GtkWidget    *error_label;
  GtkWidget    *enable_button;
  GtkWidget    *spinner;
  GtkWidget    *recovery_codes;
  GtkWidget    *done_button;

  KsSession    *session;
  GCancellable *cancellable;
  char         *uri;
  char         *secret;
  char         *error;
  gboolean      busy;
  gboolean      asked_password;  /* FALSE: an email sign-in's grant stood in for it */
};

enum {
  SIGNAL_ENABLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KsTwoFactorSetup, ks_two_factor_setup, GTK_TYPE_WIDGET)

static guint
count_digits (const char *text)
{
  guint n = 0;

  for (const char *p = text; p && *p; p++)
    if (g_ascii_isdigit (*p))
      n++;
  return n;
}

static void
show_error (KsTwoFactorSetup *self,
            const char       *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message ? message : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
}

static void
show_password_error (KsTwoFactorSetup *self,
                     const char       *message)
{
  gtk_label_set_text (GTK_LABEL (self->password_error_label), message ? message : "");
  gtk_widget_set_visible (self->password_error_label, message != NULL);
}

static void
update_sensitivity (KsTwoFactorSetup *self)
{
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));

  gtk_widget_set_sensitive (self->enable_button, !self->busy && count_digits (code) == CODE_DIGITS);
  gtk_editable_set_editable (GTK_EDITABLE (self->code_entry), !self->busy);
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
}

static void
on_setup (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  KsTwoFactorSetup *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = ks_account_two_factor_setup_finish (KS_SESSION (source), result, &error);
  g_autofree char *grouped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), FALSE);
  if (answer == NULL && self->asked_password &&
      (g_error_matches (error, KS_ERROR, KS_ERROR_INVALID) || g_error_matches (error, KS_ERROR, KS_ERROR_THROTTLED)))
    {
      /* A wrong password (or too many): ask again, saying why. */
      show_password_error (self, error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "password");
      gtk_widget_grab_focus (self->password_entry);
      return;
    }
  if (answer == NULL || json_object_get_string_member_with_default (answer, "otpauth_uri", NULL) == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->failed_label),
                          error ? error->message
                                : _("The server did not send a key. Try again, and tell your administrator if it keeps happening."));
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "failed");
      return;
    }

  g_free (self->uri);
  self->uri = g_strdup (json_object_get_string_member (answer, "otpauth_uri"));
  g_free (self->secret);
  self->secret = g_strdup (json_object_get_string_member_with_default (answer, "secret", ""));
  grouped = ks_account_group_secret (self->secret);
  ks_qr_code_set_text (KS_QR_CODE (self->qr_code), self->uri);
  gtk_label_set_text (GTK_LABEL (self->secret_label), grouped);
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  show_error (self, NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "ready");
  gtk_widget_grab_focus (self->code_entry);
}

static void
on_password_changed (KsTwoFactorSetup *self)
{
  gtk_widget_set_sensitive (self->continue_button,
                            *gtk_editable_get_text (GTK_EDITABLE (self->password_entry)) != '\0');
}

/* /me says this session signed in by email moments ago (its reset grant). */
static gboolean
reset_granted (KsSession *session)
{
  JsonObject *me = ks_session_get_me (session);
  const char *until = me ? json_object_get_string_member_with_default (me, "password_reset_expires", NULL) : NULL;
  g_autoptr(GDateTime) when = until ? g_date_time_new_from_iso8601 (until, NULL) : NULL;

  return when != NULL && g_date_time_to_unix (when) > ks_time_now ();
}

static void
request_secret (KsTwoFactorSetup *self,
                const char       *password)
{
  self->asked_password = password != NULL;
  show_password_error (self, NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  gtk_spinner_set_spinning (GTK_SPINNER (self->loading_spinner), TRUE);
  ks_account_two_factor_setup_async (self->session, password, self->cancellable, on_setup, self);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
}

void
ks_two_factor_setup_restart (KsTwoFactorSetup *self)
{
  g_return_if_fail (KS_IS_TWO_FACTOR_SETUP (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->secret, g_free);
  ks_qr_code_set_text (KS_QR_CODE (self->qr_code), NULL);
  ks_recovery_codes_set_codes (KS_RECOVERY_CODES (self->recovery_codes), NULL);
  self->busy = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  show_error (self, NULL);
  update_sensitivity (self);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  show_password_error (self, NULL);
  if (self->session == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  /* Just after signing in by email the server takes the session's word for it. */
  if (reset_granted (self->session))
    {
      request_secret (self, NULL);
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "password");
  gtk_widget_grab_focus (self->password_entry);
}

void
ks_two_factor_setup_continue (KsTwoFactorSetup *self)
{
  const char *password;

  g_return_if_fail (KS_IS_TWO_FACTOR_SETUP (self));

  password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  if (self->session == NULL || !g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "password"))
    return;
  if (*password == '\0')
    {
      show_password_error (self, _("Enter your password to confirm that it is you."));
      return;
    }
  request_secret (self, password);
}

void
ks_two_factor_setup_set_password (KsTwoFactorSetup *self,
                                  const char       *password)
{
  g_return_if_fail (KS_IS_TWO_FACTOR_SETUP (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), password ? password : "");
}

const char *
ks_two_factor_setup_get_password_error (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), NULL);
  return gtk_widget_get_visible (self->password_error_label)
         ? gtk_label_get_text (GTK_LABEL (self->password_error_label)) : NULL;
}

static void
on_enabled (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  KsTwoFactorSetup *self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = NULL;

  if (!ks_account_two_factor_enable_finish (KS_SESSION (source), result, &codes, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  update_sensitivity (self);
  if (error != NULL)
    {
      show_error (self, error->message);
      gtk_editable_select_region (GTK_EDITABLE (self->code_entry), 0, -1);
      gtk_widget_grab_focus (self->code_entry);
      return;
    }
  /* 2FA is on; the recovery codes are shown this once, before going on. */
  if (codes != NULL && codes[0] != NULL)
    {
      ks_recovery_codes_set_codes (KS_RECOVERY_CODES (self->recovery_codes), (const char *const *) codes);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "codes");
      gtk_widget_grab_focus (self->done_button);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_ENABLED], 0);
}

void
ks_two_factor_setup_done (KsTwoFactorSetup *self)
{
  g_return_if_fail (KS_IS_TWO_FACTOR_SETUP (self));

  if (!g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "codes"))
    return;
  /* Out of sight once read. */
  ks_recovery_codes_set_codes (KS_RECOVERY_CODES (self->recovery_codes), NULL);
  g_signal_emit (self, signals[SIGNAL_ENABLED], 0);
}

GtkWidget *
ks_two_factor_setup_get_recovery_codes (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), NULL);
  return self->recovery_codes;
}

void
ks_two_factor_setup_submit (KsTwoFactorSetup *self)
{
  const char *code;

  g_return_if_fail (KS_IS_TWO_FACTOR_SETUP (self));

  code = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));
  if (self->busy || self->session == NULL || self->uri == NULL)
    return;
  if (count_digits (code) != CODE_DIGITS)
    {
      show_error (self, _("Enter the 6-digit code your authenticator app shows for Kerbside."));
      return;
    }
  self->busy = TRUE;
  show_error (self, NULL);
  update_sensitivity (self);
  ks_account_two_factor_enable_async (self->session, code, self->cancellable, on_enabled, self);
}

static void
on_code_changed (KsTwoFactorSetup *self)
{
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));

  update_sensitivity (self);
  /* A whole code typed or pasted ("123 456" too): go on at once. */
  if (!self->busy && count_digits (code) == CODE_DIGITS && self->error == NULL)
    ks_two_factor_setup_submit (self);
  else if (self->error != NULL && count_digits (code) == 0)
    show_error (self, NULL);
}

static void
on_copy_clicked (KsTwoFactorSetup *self)
{
  if (self->secret == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->secret);
  gtk_widget_set_tooltip_text (self->copy_button, _("Copied"));
}

static void
ks_two_factor_setup_dispose (GObject *object)
{
  KsTwoFactorSetup *self = KS_TWO_FACTOR_SETUP (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_TWO_FACTOR_SETUP);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ks_two_factor_setup_parent_class)->dispose (object);
}

static void
ks_two_factor_setup_finalize (GObject *object)
{
  KsTwoFactorSetup *self = KS_TWO_FACTOR_SETUP (object);

  g_free (self->uri);
  g_free (self->secret);
  g_free (self->error);
  G_OBJECT_CLASS (ks_two_factor_setup_parent_class)->finalize (object);
}

static void
ks_two_factor_setup_class_init (KsTwoFactorSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_two_factor_setup_dispose;
  object_class->finalize = ks_two_factor_setup_finalize;

  signals[SIGNAL_ENABLED] = g_signal_new ("enabled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (KS_TYPE_QR_CODE);
  g_type_ensure (KS_TYPE_RECOVERY_CODES);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-two-factor-setup.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ks-two-factor-setup");
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, stack);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, password_entry);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, password_error_label);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, continue_button);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, failed_label);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, qr_code);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, secret_label);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, copy_button);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, code_entry);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, error_label);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, enable_button);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, spinner);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, recovery_codes);
  gtk_widget_class_bind_template_child (widget_class, KsTwoFactorSetup, done_button);
  gtk_widget_class_bind_template_callback (widget_class, ks_two_factor_setup_restart);
  gtk_widget_class_bind_template_callback (widget_class, ks_two_factor_setup_continue);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, ks_two_factor_setup_submit);
  gtk_widget_class_bind_template_callback (widget_class, on_code_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, ks_two_factor_setup_done);
}

static void
ks_two_factor_setup_init (KsTwoFactorSetup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ks_two_factor_setup_new (void)
{
  return g_object_new (KS_TYPE_TWO_FACTOR_SETUP, NULL);
}

void
ks_two_factor_setup_set_session (KsTwoFactorSetup *self,
                                 KsSession        *session)
{
  g_return_if_fail (KS_IS_TWO_FACTOR_SETUP (self));

  g_set_object (&self->session, session);
  ks_two_factor_setup_restart (self);
}

const char *
ks_two_factor_setup_get_state (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

const char *
ks_two_factor_setup_get_uri (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), NULL);
  return self->uri;
}

const char *
ks_two_factor_setup_get_secret (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), NULL);
  return self->secret;
}

GtkWidget *
ks_two_factor_setup_get_qr_code (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), NULL);
  return self->qr_code;
}

void
ks_two_factor_setup_set_code (KsTwoFactorSetup *self,
                              const char       *code)
{
  g_return_if_fail (KS_IS_TWO_FACTOR_SETUP (self));
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), code ? code : "");
}

gboolean
ks_two_factor_setup_get_busy (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), FALSE);
  return self->busy;
}

const char *
ks_two_factor_setup_get_error (KsTwoFactorSetup *self)
{
  g_return_val_if_fail (KS_IS_TWO_FACTOR_SETUP (self), NULL);
  return self->error;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sign-in-page.c: the sign-in form (server, email, password), the two-factor
 * code step, and sign-in by email. */
#define G_LOG_DOMAIN "ks-sign-in-page"

#include "config.h"
#include "ks-sign-in-page-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ks-client.h"

#define TOTP_DIGITS       6
#define EMAIL_CODE_DIGITS 8


G_DEFINE_FINAL_TYPE (KsSignInPage, ks_sign_in_page, GTK_TYPE_WIDGET)

enum {
  SUBMIT,
  SUBMIT_CODE,
  CANCEL_CODE,
  CANCEL,
  REQUEST_EMAIL_CODE,
  SUBMIT_EMAIL_CODE,
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
step_is (KsSignInPage *self,
         const char   *step)
{
  return g_strcmp0 (self->step, step) == 0;
}

static guint
code_digits (KsSignInPage *self)
{
  return step_is (self, "email-code") ? EMAIL_CODE_DIGITS : TOTP_DIGITS;
}

/* A two-factor recovery code: "abcde-fghjk" (letters and digits). */
#define RECOVERY_CODE_CHARS 10

/* The code step's entry holds a recovery code rather than the authenticator's
 * digits: it has letters in it, or more digits than an authenticator's code. */
static gboolean
typed_recovery_code (KsSignInPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));
  guint digits = 0;

  if (!step_is (self, "code"))
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isalpha (*p))
        return TRUE;
      if (g_ascii_isdigit (*p))
        digits++;
    }
  return digits > TOTP_DIGITS;
}

/* The digits of the code entry, without the spaces and dashes people paste;
 * or the letters and digits of a recovery code. */
static char *
typed_code (KsSignInPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));
  gboolean recovery = typed_recovery_code (self);
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p) || (recovery && g_ascii_isalpha (*p)))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static guint
typed_code_length (KsSignInPage *self)
{
  return typed_recovery_code (self) ? RECOVERY_CODE_CHARS : code_digits (self);
}

static gboolean
fields_complete (KsSignInPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (step_is (self, "code") || step_is (self, "email-code"))
    {
      g_autofree char *code = typed_code (self);
      return strlen (code) == typed_code_length (self);
    }
  if (step_is (self, "email"))
    return *server && *email;
  return *server && *email && *password;
}

static void
update_sensitivity (KsSignInPage *self)
{
  gboolean code_step = step_is (self, "code") || step_is (self, "email-code");

  gtk_widget_set_sensitive (self->sign_in_button, !self->busy && fields_complete (self));
  gtk_widget_set_sensitive (self->fields_box, !self->busy);
  gtk_widget_set_sensitive (self->other_button, !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->code_entry), !self->busy);
  gtk_widget_set_sensitive (self->session_only_button, !self->busy && (code_step || fields_complete (self)));
}

static void
update_hint (KsSignInPage *self)
{
  const char *text = self->message;

  if (text == NULL)
    {
      if (step_is (self, "code"))
        text = _("Enter the 6-digit code from your authenticator app. Lost your phone? "
                 "Enter one of your recovery codes instead.");
      else if (step_is (self, "email"))
        text = _("Kerbside sends a single-use code to your work email. It works for one day. "
                 "Forgotten your password? Sign in with the code, then choose a new one in Your Account.");
      else if (step_is (self, "email-code"))
        text = _("Enter the 8-digit code from the email.");
      else
        text = self->hint ? self->hint : _("Use the account your council gave you.");
    }
  gtk_label_set_text (GTK_LABEL (self->hint_label), text);
}

static void
emit_submit (KsSignInPage *self,
             gboolean      session_only)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  g_autofree char *code = NULL;

  if (self->busy || !fields_complete (self))
    return;

  if (step_is (self, "code"))
    {
      code = typed_code (self);
      g_signal_emit (self, signals[SUBMIT_CODE], 0, code, session_only || self->session_only);
      return;
    }

  server = ks_client_normalise_url (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &error);
  if (server == NULL)
    {
      ks_sign_in_page_show_error (self, error->message, FALSE);
      gtk_widget_grab_focus (self->server_row);
      return;
    }
  /* A bare address stays as typed for the password step: the window finds out
   * which scheme answers (plain http is tried on this computer only) and
   * writes back the address that worked, port included. */
  if (step_is (self, "password") && strstr (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), "://") == NULL)
    {
      g_free (server);
      server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);

  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  if (strchr (email, '@') == NULL)
    {
      ks_sign_in_page_show_error (self, _("Enter your full email address, for example name@council.gov.uk."), FALSE);
      gtk_widget_grab_focus (self->email_row);
      return;
    }

  if (step_is (self, "email"))
    g_signal_emit (self, signals[REQUEST_EMAIL_CODE], 0, server, email);
  else if (step_is (self, "email-code"))
    {
      code = typed_code (self);
      g_signal_emit (self, signals[SUBMIT_EMAIL_CODE], 0, server, email, code, session_only);
    }
  else
    {
      self->session_only = session_only;
      g_signal_emit (self, signals[SUBMIT], 0, server, email,
                     gtk_editable_get_text (GTK_EDITABLE (self->password_row)), session_only);
    }
}

static void
on_sign_in_clicked (KsSignInPage *self)
{
  emit_submit (self, FALSE);
}

static void
on_session_only_clicked (KsSignInPage *self)
{
  emit_submit (self, TRUE);
}

static void
on_row_activated (KsSignInPage *self,
                  AdwEntryRow  *row)
{
  if (fields_complete (self))
    {
      emit_submit (self, FALSE);
      return;
    }

  if (GTK_WIDGET (row) == self->server_row)
    gtk_widget_grab_focus (self->email_row);
  else if (GTK_WIDGET (row) == self->email_row && step_is (self, "password"))
    gtk_widget_grab_focus (self->password_row);
  else
    ks_sign_in_page_focus (self);
}

static void
on_field_changed (KsSignInPage *self)
{
  update_sensitivity (self);
}

static void
on_code_changed (KsSignInPage *self)
{
  g_autofree char *code = typed_code (self);

  update_sensitivity (self);
  /* A whole code typed or pasted: go on at once. */
  if (!self->busy && strlen (code) == typed_code_length (self))
    emit_submit (self, FALSE);
}

static void
on_code_activated (KsSignInPage *self)
{
  emit_submit (self, FALSE);
}

static void
on_cancel_clicked (KsSignInPage *self)
{
  g_signal_emit (self, signals[CANCEL], 0);
}

static void
on_other_clicked (KsSignInPage *self)
{
  if (step_is (self, "password"))
    ks_sign_in_page_set_step (self, "email");
  else
    {
      gboolean was_code = step_is (self, "code");

      ks_sign_in_page_set_step (self, "password");
      if (was_code)
        g_signal_emit (self, signals[CANCEL_CODE], 0);
    }
  ks_sign_in_page_focus (self);
}

static void
ks_sign_in_page_dispose (GObject *object)
{
  KsSignInPage *self = KS_SIGN_IN_PAGE (object);
  GtkWidget *child;

  ks_sign_in_page_stop (self);
  g_clear_handle_id (&self->wait_tick, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_SIGN_IN_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ks_sign_in_page_parent_class)->dispose (object);
}

static void
ks_sign_in_page_finalize (GObject *object)
{
  KsSignInPage *self = KS_SIGN_IN_PAGE (object);

  g_free (self->step);
  g_free (self->hint);
  g_free (self->message);
  g_free (self->error);
  g_free (self->resuming);
  g_free (self->wait_code);

  G_OBJECT_CLASS (ks_sign_in_page_parent_class)->finalize (object);
}

static void
ks_sign_in_page_class_init (KsSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_sign_in_page_dispose;
  object_class->finalize = ks_sign_in_page_finalize;

  signals[SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SUBMIT_CODE] =
    g_signal_new ("submit-code", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[CANCEL_CODE] =
    g_signal_new ("cancel-code", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[REQUEST_EMAIL_CODE] =
    g_signal_new ("request-email-code", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SUBMIT_EMAIL_CODE] =
    g_signal_new ("submit-email-code", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-sign-in-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ks-sign-in-page");

  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, button_label);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, session_only_button);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, other_button);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, wait_label);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_session_only_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_other_clicked);
}

static void
ks_sign_in_page_init (KsSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->step = g_strdup ("password");
}

GtkWidget *
ks_sign_in_page_new (void)
{
  return g_object_new (KS_TYPE_SIGN_IN_PAGE, NULL);
}

void
ks_sign_in_page_set_server (KsSignInPage *self,
                            const char   *server)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server ? server : "");
}

const char *
ks_sign_in_page_get_server (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

void
ks_sign_in_page_set_email (KsSignInPage *self,
                           const char   *email)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email ? email : "");
}

const char *
ks_sign_in_page_get_email (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->email_row));
}

void
ks_sign_in_page_set_password (KsSignInPage *self,
                              const char   *password)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
}

void
ks_sign_in_page_set_hint (KsSignInPage *self,
                          const char   *hint)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  g_free (self->hint);
  self->hint = g_strdup (hint);
  update_hint (self);
}

void
ks_sign_in_page_set_step (KsSignInPage *self,
                          const char   *step)
{
  gboolean code_step, email_step;
  const char *title, *button, *busy;

  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (step != NULL);

  g_free (self->step);
  self->step = g_strdup (step);
  g_clear_pointer (&self->message, g_free);
  code_step = step_is (self, "code") || step_is (self, "email-code");
  email_step = step_is (self, "email");
  if (!step_is (self, "code") && !step_is (self, "email-code"))
    self->session_only = FALSE;

  if (step_is (self, "code"))
    title = _("Enter Your Code"), button = _("_Verify"), busy = _("Checking…");
  else if (email_step)
    title = _("Sign In by Email"), button = _("_Send Code"), busy = _("Sending…");
  else if (step_is (self, "email-code"))
    title = _("Check Your Email"), button = _("_Sign In"), busy = _("Signing In…");
  else
    title = _("Sign In to Kerbside"), button = _("_Sign In"), busy = _("Signing In…");
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  gtk_label_set_text_with_mnemonic (GTK_LABEL (self->button_label), button);
  gtk_label_set_text (GTK_LABEL (self->busy_label), busy);

  gtk_widget_set_visible (self->fields_box, !code_step);
  gtk_widget_set_visible (self->password_row, step_is (self, "password"));
  gtk_widget_set_visible (self->code_entry, code_step);
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->code_entry),
                                  step_is (self, "email-code") ? "1234 5678" : "123 456");
  gtk_editable_set_width_chars (GTK_EDITABLE (self->code_entry), step_is (self, "email-code") ? 14 : 11);
  gtk_button_set_label (GTK_BUTTON (self->other_button),
                        step_is (self, "password") ? _("Sign In by _Email Instead")
                        : step_is (self, "code") ? _("Use a _different account")
                        : _("Sign In with a _Password Instead"));
  gtk_button_set_use_underline (GTK_BUTTON (self->other_button), TRUE);

  ks_sign_in_page_show_error (self, NULL, FALSE);
  update_hint (self);
  update_sensitivity (self);
}

const char *
ks_sign_in_page_get_step (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), NULL);
  return self->step;
}

void
ks_sign_in_page_set_message (KsSignInPage *self,
                             const char   *message)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  g_free (self->message);
  self->message = g_strdup (message);
  update_hint (self);
}

const char *
ks_sign_in_page_get_message (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->hint_label));
}

void
ks_sign_in_page_set_code (KsSignInPage *self,
                          const char   *code)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), code ? code : "");
}

void
ks_sign_in_page_set_busy (KsSignInPage *self,
                          gboolean      busy)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));

  self->busy = !!busy;
  /* Take the focus away before the fields go insensitive. */
  if (self->busy && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

      if (focus && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) &&
          !gtk_widget_is_ancestor (focus, self->code_entry))
        gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
    }
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
  /* Every wait can be cancelled. */
  gtk_widget_set_visible (self->cancel_button, self->busy);
  gtk_stack_set_visible_child_name (GTK_STACK (self->button_stack), self->busy ? "busy" : "label");
  if (self->busy)
    ks_sign_in_page_show_error (self, NULL, FALSE);
  else
    ks_sign_in_page_set_wait (self, 0, NULL);
  update_sensitivity (self);
}

gboolean
ks_sign_in_page_get_busy (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), FALSE);
  return self->busy;
}

void
ks_sign_in_page_show_error (KsSignInPage *self,
                            const char   *message,
                            gboolean      offer_session_only)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));

  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message ? message : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
  gtk_widget_set_visible (self->session_only_button, offer_session_only);
}

const char *
ks_sign_in_page_get_error (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), NULL);
  return self->error;
}

void
ks_sign_in_page_focus (KsSignInPage *self)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));

  if (step_is (self, "code") || step_is (self, "email-code"))
    gtk_widget_grab_focus (self->code_entry);
  else if (!*gtk_editable_get_text (GTK_EDITABLE (self->server_row)))
    gtk_widget_grab_focus (self->server_row);
  else if (!*gtk_editable_get_text (GTK_EDITABLE (self->email_row)) || step_is (self, "email"))
    gtk_widget_grab_focus (self->email_row);
  else
    gtk_widget_grab_focus (self->password_row);
}

void
ks_sign_in_page_submit (KsSignInPage *self,
                        gboolean      session_only)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  emit_submit (self, session_only);
}

void
ks_sign_in_page_set_resuming (KsSignInPage *self,
                              const char   *email)
{
  g_autofree char *hint = NULL;

  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));

  g_free (self->resuming);
  self->resuming = g_strdup (email);
  /* A stored session: a status, not an empty password form. */
  gtk_widget_set_visible (self->fields_box, email == NULL);
  gtk_widget_set_visible (self->other_button, email == NULL);
  gtk_widget_set_visible (self->sign_in_button, email == NULL);
  if (email != NULL)
    {
      hint = g_strdup_printf (_("Signing in as %s…"), email);
      gtk_label_set_text (GTK_LABEL (self->title_label), _("Signing In"));
      gtk_label_set_text (GTK_LABEL (self->hint_label), hint);
      ks_sign_in_page_set_busy (self, TRUE);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->title_label), _("Sign in to Kerbside"));
      update_hint (self);
    }
}

const char *
ks_sign_in_page_get_resuming (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), NULL);
  return self->resuming;
}

void
ks_sign_in_page_focus_server (KsSignInPage *self)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  gtk_widget_grab_focus (self->server_row);
}

void
ks_sign_in_page_cancel (KsSignInPage *self)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  if (self->busy)
    g_signal_emit (self, signals[CANCEL], 0);
}

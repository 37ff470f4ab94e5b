/* ks-sign-in-page.c: the sign-in form (server, email, password). */
#define G_LOG_DOMAIN "ks-sign-in-page"

#include "config.h"
#include "ks-sign-in-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-client.h"

struct _KsSignInPage
{
  GtkWidget   parent_instance;

  GtkWidget  *server_row;
  GtkWidget  *email_row;
  GtkWidget  *password_row;
  GtkWidget  *fields_box;
  GtkWidget  *hint_label;
  GtkWidget  *error_revealer;
  GtkWidget  *error_label;
  GtkWidget  *sign_in_button;
  GtkWidget  *button_stack;
  GtkWidget  *spinner;
  GtkWidget  *session_only_button;

  char       *error;
  gboolean    busy;
};

G_DEFINE_FINAL_TYPE (KsSignInPage, ks_sign_in_page, GTK_TYPE_WIDGET)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
fields_complete (KsSignInPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  return *server && *email && *password;
}

static void
update_sensitivity (KsSignInPage *self)
{
  gtk_widget_set_sensitive (self->sign_in_button, !self->busy && fields_complete (self));
  gtk_widget_set_sensitive (self->fields_box, !self->busy);
  gtk_widget_set_sensitive (self->session_only_button, !self->busy && fields_complete (self));
}

static void
submit (KsSignInPage *self,
        gboolean      session_only)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  const char *password;

  if (self->busy || !fields_complete (self))
    return;

  server = ks_client_normalise_url (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &error);
  if (server == NULL)
    {
      ks_sign_in_page_show_error (self, error->message, FALSE);
      gtk_widget_grab_focus (self->server_row);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);

  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  if (strchr (email, '@') == NULL)
    {
      ks_sign_in_page_show_error (self, _("Enter your full email address, for example name@council.gov.uk."), FALSE);
      gtk_widget_grab_focus (self->email_row);
      return;
    }
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  g_signal_emit (self, signals[SUBMIT], 0, server, email, password, session_only);
}

static void
on_sign_in_clicked (KsSignInPage *self)
{
  submit (self, FALSE);
}

static void
on_session_only_clicked (KsSignInPage *self)
{
  submit (self, TRUE);
}

static void
on_row_activated (KsSignInPage *self,
                  AdwEntryRow  *row)
{
  if (fields_complete (self))
    {
      submit (self, FALSE);
      return;
    }

  if (GTK_WIDGET (row) == self->server_row)
    gtk_widget_grab_focus (self->email_row);
  else if (GTK_WIDGET (row) == self->email_row)
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
ks_sign_in_page_dispose (GObject *object)
{
  KsSignInPage *self = KS_SIGN_IN_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_SIGN_IN_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ks_sign_in_page_parent_class)->dispose (object);
}

static void
ks_sign_in_page_finalize (GObject *object)
{
  KsSignInPage *self = KS_SIGN_IN_PAGE (object);

  g_free (self->error);

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
    g_signal_new ("submit",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-sign-in-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ks-sign-in-page");

  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KsSignInPage, session_only_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_session_only_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
}

static void
ks_sign_in_page_init (KsSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
  gtk_label_set_text (GTK_LABEL (self->hint_label),
                      hint ? hint : _("Use the account your council gave you."));
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

      if (focus && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
        gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
    }
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
  gtk_stack_set_visible_child_name (GTK_STACK (self->button_stack), self->busy ? "busy" : "label");
  if (self->busy)
    ks_sign_in_page_show_error (self, NULL, FALSE);
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

  if (!*gtk_editable_get_text (GTK_EDITABLE (self->server_row)))
    gtk_widget_grab_focus (self->server_row);
  else if (!*gtk_editable_get_text (GTK_EDITABLE (self->email_row)))
    gtk_widget_grab_focus (self->email_row);
  else
    gtk_widget_grab_focus (self->password_row);
}

void
ks_sign_in_page_submit (KsSignInPage *self,
                        gboolean      session_only)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  submit (self, session_only);
}

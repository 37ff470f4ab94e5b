/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-account-window.c: "Your Account": name and email, password change with a
 * live strength meter, two-factor authentication, and the signed-in sessions. */
#define G_LOG_DOMAIN "ks-account-window"

#include "config.h"
#include "ks-account-window.h"

#include <glib/gi18n.h>

#include "ks-account.h"
#include "ks-error.h"
#include "ks-password-meter.h"
#include "ks-recovery-codes.h"
#include "ks-time.h"
#include "ks-two-factor-setup.h"
#include "ks-object-int64.h"

struct _KsAccountWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkWidget    *name_row;
  GtkWidget    *email_row;
  GtkWidget    *council_row;
  GtkWidget    *password_group;
  GtkWidget    *role_row;
  GtkWidget    *current_row;
  GtkWidget    *new_row;
  GtkWidget    *repeat_row;
  GtkWidget    *meter;
  GtkWidget    *password_error_revealer;
  GtkWidget    *password_error_label;
  GtkWidget    *password_button;
  GtkWidget    *password_spinner;
  GtkWidget    *two_factor_row;
  GtkWidget    *two_factor_button;
  GtkWidget    *recovery_row;
  GtkWidget    *recovery_button;
  GtkWidget    *sessions_list;
  GtkWidget    *sessions_placeholder;
  GtkWidget    *sign_out_others_button;

  KsSession    *session;
  GCancellable *cancellable;
  GtkWindow    *two_factor_dialog;
  GtkWindow    *turn_off_dialog;
  GtkWindow    *renew_dialog;      /* asks the password for new recovery codes */
  GtkWindow    *codes_dialog;      /* shows them, once */
  char         *password_error;
  gint64        reset_until;   /* may set a password without the current one until then */
  gboolean      busy;
  int           n_sessions;
};

G_DEFINE_FINAL_TYPE (KsAccountWindow, ks_account_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (KsAccountWindow *self,
       const char      *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1); /* toast titles are markup */
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 5);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), t);
}

static JsonObject *
me_body (JsonObject *me)
{
  if (me == NULL || !json_object_has_member (me, "body") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (me, "body")))
    return NULL;
  return json_object_get_object_member (me, "body");
}

/* A session that signed in with an emailed code may choose a new password
 * without the current one for a short time (/me's "password_reset_expires"). */
static gboolean
reset_allowed (KsAccountWindow *self)
{
  return self->reset_until > ks_time_now ();
}

static void
update_password_group (KsAccountWindow *self)
{
  JsonObject *me = ks_session_get_me (self->session);
  const char *until = me ? json_object_get_string_member_with_default (me, "password_reset_expires", NULL) : NULL;
  g_autoptr(GDateTime) when = until ? g_date_time_new_from_iso8601 (until, NULL) : NULL;

  self->reset_until = when ? g_date_time_to_unix (when) : 0;
  gtk_widget_set_visible (self->current_row, !reset_allowed (self));
  if (reset_allowed (self))
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (when);
      g_autofree char *hhmm = g_date_time_format (local, "%H:%M");
      g_autofree char *text = g_strdup_printf (_("You signed in with a code sent by email: until %s you can choose "
                                                 "a new password without the current one. Changing it signs you "
                                                 "out on every other computer and phone."), hhmm);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->password_group), text);
    }
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->password_group),
                                           _("Changing your password signs you out on every other computer and phone."));
}

/* The roles' names ("Inspectors"), or what the account is without one. */
static char *
me_roles (JsonObject *me)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonNode *node = me ? json_object_get_member (me, "roles") : NULL;

  if (me && json_object_get_boolean_member_with_default (me, "is_superuser", FALSE))
    g_ptr_array_add (names, (gpointer) _("Platform operator"));
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *roles = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (roles); i++)
        {
          JsonObject *role = json_array_get_object_element (roles, i);
          const char *name = role ? json_object_get_string_member_with_default (role, "name", NULL) : NULL;

          if (name != NULL && *name != '\0')
            g_ptr_array_add (names, (gpointer) name);
        }
    }
  if (names->len == 0)
    return g_strdup (_("No role: single permissions only"));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

/* You, and two-factor authentication */

static void
update_from_me (KsAccountWindow *self)
{
  JsonObject *me = ks_session_get_me (self->session);
  JsonObject *body = me_body (me);
  const char *name = me ? json_object_get_string_member_with_default (me, "name", "") : "";
  const char *email = me ? json_object_get_string_member_with_default (me, "email", "") : "";
  gboolean on = me && json_object_get_boolean_member_with_default (me, "two_factor_enabled", FALSE);
  gboolean required = me && (json_object_get_boolean_member_with_default (me, "is_superuser", FALSE) ||
                             (body && json_object_get_boolean_member_with_default (body, "require_2fa", FALSE)));
  const char *body_name = body ? json_object_get_string_member_with_default (body, "name", NULL) : NULL;
  const char *body_area = body ? json_object_get_string_member_with_default (body, "area_name", NULL) : NULL;
  const char *words[] = { email, name, body_name, body_name ? body_area : NULL, NULL };

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->name_row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->email_row), email);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->council_row),
                               body ? json_object_get_string_member_with_default (body, "name", "")
                                    : _("Platform operator (all councils)"));
  {
    g_autofree char *roles = me_roles (me);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->role_row), roles);
  }
  ks_password_meter_set_user_words (KS_PASSWORD_METER (self->meter), words);
  update_password_group (self);
  ks_password_meter_set_min_length (KS_PASSWORD_METER (self->meter),
                                    body ? (guint) json_object_get_int_member_with_default (body, "password_min_length", 0) : 0);

  if (on)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->two_factor_row),
                                   required ? _("On. Your council requires it, so it cannot be turned off.")
                                            : _("On: signing in needs a code from your authenticator app."));
      gtk_button_set_label (GTK_BUTTON (self->two_factor_button), _("Turn Off…"));
      gtk_widget_remove_css_class (self->two_factor_button, "suggested-action");
      gtk_widget_set_visible (self->two_factor_button, !required);
    }
  else
    {
      gtk_widget_set_visible (self->recovery_row, FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->two_factor_row),
                                   _("Off: your password alone signs you in."));
      gtk_button_set_label (GTK_BUTTON (self->two_factor_button), _("Turn On…"));
      gtk_widget_add_css_class (self->two_factor_button, "suggested-action");
      gtk_widget_set_visible (self->two_factor_button, TRUE);
    }
  if (on)
    {
      gint64 left = ks_account_recovery_codes_left (self->session);
      g_autofree char *text = NULL;

      if (left == 0)
        text = g_strdup (_("None left. Get new ones now: without them, losing your phone locks you out."));
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%d left. Each signs you in once if you lose your phone.",
                                             "%d left. Each signs you in once if you lose your phone.",
                                             (gulong) left), (int) left);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->recovery_row), text);
      if (left <= 3)
        gtk_widget_add_css_class (self->recovery_row, "warning");
      else
        gtk_widget_remove_css_class (self->recovery_row, "warning");
      gtk_widget_set_visible (self->recovery_row, TRUE);
    }
}

static void
on_setup_enabled (KsAccountWindow *self)
{
  if (self->two_factor_dialog != NULL)
    gtk_window_destroy (self->two_factor_dialog);
  update_from_me (self);
  toast (self, _("Two-factor authentication is on. Keep your phone’s authenticator app: you need it to sign in."));
  ks_account_window_reload_sessions (self);
}

static void
on_two_factor_dialog_destroy (KsAccountWindow *self)
{
  self->two_factor_dialog = NULL;
}

GtkWidget *
ks_account_window_turn_on_two_factor (KsAccountWindow *self)
{
  GtkWidget *dialog, *box, *header, *scrolled, *clamp, *setup;

  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);

  if (self->two_factor_dialog != NULL)
    gtk_window_destroy (self->two_factor_dialog);

  dialog = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), _("Turn On Two-Factor Authentication"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 480, 720);
  gtk_widget_set_name (dialog, "two-factor-dialog");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Two-Factor Authentication"), NULL));
  gtk_box_append (GTK_BOX (box), header);

  setup = ks_two_factor_setup_new ();
  gtk_widget_set_margin_top (setup, 12);
  gtk_widget_set_margin_bottom (setup, 24);
  gtk_widget_set_margin_start (setup, 12);
  gtk_widget_set_margin_end (setup, 12);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 420);
  adw_clamp_set_child (ADW_CLAMP (clamp), setup);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (dialog), box);

  g_signal_connect_object (setup, "enabled", G_CALLBACK (on_setup_enabled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_two_factor_dialog_destroy), self, G_CONNECT_SWAPPED);
  self->two_factor_dialog = GTK_WINDOW (dialog);
  ks_two_factor_setup_set_session (KS_TWO_FACTOR_SETUP (setup), self->session);
  gtk_window_present (GTK_WINDOW (dialog));
  return setup;
}

static void
on_disabled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KsAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ks_account_two_factor_disable_finish (KS_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  update_from_me (self);
  toast (self, _("Two-factor authentication is off."));
}

static void
on_turn_off_response (AdwMessageDialog *dialog,
                      const char       *response,
                      KsAccountWindow  *self)
{
  GtkWidget *code = g_object_get_data (G_OBJECT (dialog), "ks-code-entry");
  GtkWidget *password = g_object_get_data (G_OBJECT (dialog), "ks-password-entry");

  if (!g_str_equal (response, "turn-off"))
    return;
  ks_account_two_factor_disable_async (self->session, gtk_editable_get_text (GTK_EDITABLE (code)),
                                       gtk_editable_get_text (GTK_EDITABLE (password)),
                                       self->cancellable, on_disabled, g_object_ref (self));
}

static void
on_turn_off_entry_activate (GtkWidget        *entry,
                            AdwMessageDialog *dialog)
{
  GtkWidget *code = g_object_get_data (G_OBJECT (dialog), "ks-code-entry");
  GtkWidget *password = g_object_get_data (G_OBJECT (dialog), "ks-password-entry");

  if (!*gtk_editable_get_text (GTK_EDITABLE (password)))
    {
      gtk_widget_grab_focus (password);
      return;
    }
  if (!*gtk_editable_get_text (GTK_EDITABLE (code)))
    {
      gtk_widget_grab_focus (code);
      return;
    }
  adw_message_dialog_response (dialog, "turn-off");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
on_two_factor_clicked (KsAccountWindow *self)
{
  JsonObject *me = ks_session_get_me (self->session);
  GtkWidget *dialog, *entry, *password, *box;

  if (!(me && json_object_get_boolean_member_with_default (me, "two_factor_enabled", FALSE)))
    {
      ks_account_window_turn_on_two_factor (self);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Turn Off Two-Factor Authentication?"),
                                   _("Your password alone will sign you in again. Enter your password and the current code from your authenticator app (or one of your recovery codes) to confirm."));
  password = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (password), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (password), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_placeholder_text (GTK_ENTRY (password), _("Password"));
  entry = gtk_entry_new ();
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "123 456");
  gtk_entry_set_alignment (GTK_ENTRY (entry), 0.5);
  gtk_widget_add_css_class (entry, "ks-code-entry");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (box), password);
  gtk_box_append (GTK_BOX (box), entry);
  g_object_set_data (G_OBJECT (dialog), "ks-code-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "ks-password-entry", password);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "turn-off", _("_Turn Off"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "turn-off", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "two-factor-off-dialog");
  g_signal_connect (entry, "activate", G_CALLBACK (on_turn_off_entry_activate), dialog);
  g_signal_connect (password, "activate", G_CALLBACK (on_turn_off_entry_activate), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_turn_off_response), self, 0);
  self->turn_off_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->turn_off_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (password);
}

GtkWindow *
ks_account_window_turn_off_two_factor (KsAccountWindow *self,
                                       const char      *password,
                                       const char      *code)
{
  GtkWidget *dialog;

  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);

  on_two_factor_clicked (self);
  dialog = GTK_WIDGET (self->turn_off_dialog);
  if (dialog == NULL)
    return NULL;
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "ks-password-entry")),
                         password ? password : "");
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "ks-code-entry")),
                         code ? code : "");
  return GTK_WINDOW (dialog);
}

/* Recovery codes */

static void
show_codes (KsAccountWindow   *self,
            const char *const *codes)
{
  GtkWidget *dialog, *view;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Your New Recovery Codes"), NULL);
  view = ks_recovery_codes_new ();
  ks_recovery_codes_set_codes (KS_RECOVERY_CODES (view), codes);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), view);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "done", _("_Done: I Have Saved Them"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "done", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "done");
  gtk_widget_set_name (dialog, "recovery-codes-dialog");
  g_object_set_data (G_OBJECT (dialog), "ks-recovery-codes", view);
  self->codes_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->codes_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_renewed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KsAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = ks_account_renew_recovery_codes_finish (KS_SESSION (source), result, &error);

  if (codes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  update_from_me (self);
  show_codes (self, (const char *const *) codes);
}

static void
on_renew_response (AdwMessageDialog *dialog,
                   const char       *response,
                   KsAccountWindow  *self)
{
  GtkWidget *password = g_object_get_data (G_OBJECT (dialog), "ks-password-entry");

  if (!g_str_equal (response, "renew"))
    return;
  ks_account_renew_recovery_codes_async (self->session, gtk_editable_get_text (GTK_EDITABLE (password)),
                                         NULL, self->cancellable, on_renewed, g_object_ref (self));
}

static void
on_renew_entry_activate (GtkWidget        *entry,
                         AdwMessageDialog *dialog)
{
  if (!*gtk_editable_get_text (GTK_EDITABLE (entry)))
    return;
  adw_message_dialog_response (dialog, "renew");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
on_renew_password_changed (GtkWidget        *entry,
                           AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "renew", *gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0');
}

static void
on_recovery_clicked (KsAccountWindow *self)
{
  GtkWidget *dialog, *password;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Get New Recovery Codes?"),
                                   _("The recovery codes you have now stop working. Enter your password to confirm."));
  password = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (password), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (password), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_placeholder_text (GTK_ENTRY (password), _("Password"));
  g_object_set_data (G_OBJECT (dialog), "ks-password-entry", password);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), password);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "renew", _("_Get New Codes"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "renew", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "renew", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "recovery-renew-dialog");
  g_signal_connect (password, "activate", G_CALLBACK (on_renew_entry_activate), dialog);
  g_signal_connect (password, "changed", G_CALLBACK (on_renew_password_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_renew_response), self, 0);
  self->renew_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->renew_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (password);
}

GtkWindow *
ks_account_window_renew_recovery_codes (KsAccountWindow *self,
                                        const char      *password)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);

  on_recovery_clicked (self);
  if (self->renew_dialog == NULL)
    return NULL;
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (self->renew_dialog), "ks-password-entry")),
                         password ? password : "");
  return self->renew_dialog;
}

GtkWindow *
ks_account_window_get_recovery_codes_dialog (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);
  return self->codes_dialog;
}

GtkWidget *
ks_account_window_get_recovery_codes (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);
  return self->codes_dialog ? g_object_get_data (G_OBJECT (self->codes_dialog), "ks-recovery-codes") : NULL;
}

GtkWidget *
ks_account_window_get_recovery_row (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);
  return self->recovery_row;
}

/* Password */

static void on_me_refreshed (GObject *source, GAsyncResult *result, gpointer user_data);

static void
show_password_error (KsAccountWindow *self,
                     const char      *message)
{
  g_free (self->password_error);
  self->password_error = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->password_error_label), message ? message : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->password_error_revealer), message != NULL);
}

static void
update_password_sensitivity (KsAccountWindow *self)
{
  gboolean filled = (reset_allowed (self) || *gtk_editable_get_text (GTK_EDITABLE (self->current_row))) &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->new_row)) &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));

  gtk_widget_set_sensitive (self->password_button, filled && !self->busy);
  gtk_widget_set_visible (self->password_spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->password_spinner), self->busy);
}

static void
on_password_changed (KsAccountWindow *self,
                     GtkEditable     *row)
{
  if (GTK_WIDGET (row) == self->new_row)
    ks_password_meter_set_password (KS_PASSWORD_METER (self->meter), gtk_editable_get_text (row));
  update_password_sensitivity (self);
}

static void
on_password_activated (KsAccountWindow *self,
                       GtkWidget       *row)
{
  if (gtk_widget_get_sensitive (self->password_button))
    ks_account_window_change_password (self);
  else if (row == self->current_row)
    gtk_widget_grab_focus (self->new_row);
  else if (row == self->new_row)
    gtk_widget_grab_focus (self->repeat_row);
}

static void
on_password_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KsAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ks_account_change_password_finish (KS_SESSION (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  update_password_sensitivity (self);
  if (error != NULL)
    {
      show_password_error (self, error->message);
      /* The meter already shows the same sentence when the server agrees with it. */
      if (g_strcmp0 (error->message, ks_password_meter_get_text (KS_PASSWORD_METER (self->meter))) == 0)
        gtk_revealer_set_reveal_child (GTK_REVEALER (self->password_error_revealer), FALSE);
      if (g_strrstr (error->message, "current") != NULL)
        gtk_widget_grab_focus (self->current_row);
      else
        gtk_widget_grab_focus (self->new_row);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->current_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  toast (self, _("Password changed. You are signed out on every other computer and phone."));
  ks_account_window_reload_sessions (self);
  /* A reset by email works once: the current password is needed again. */
  ks_account_refresh_async (self->session, self->cancellable, on_me_refreshed, g_object_ref (self));
}

void
ks_account_window_change_password (KsAccountWindow *self)
{
  const char *current, *new_password, *repeat;

  g_return_if_fail (KS_IS_ACCOUNT_WINDOW (self));

  current = gtk_editable_get_text (GTK_EDITABLE (self->current_row));
  new_password = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  if (self->busy)
    return;
  if (reset_allowed (self))
    current = NULL;
  else if (!*current)
    {
      show_password_error (self, _("Enter your current password."));
      gtk_widget_grab_focus (self->current_row);
      return;
    }
  if (g_strcmp0 (new_password, repeat) != 0)
    {
      show_password_error (self, _("The two new passwords are not the same. Type the new password again in both fields."));
      gtk_widget_grab_focus (self->repeat_row);
      return;
    }
  /* The server decides (the council may ask for more than the meter knows):
   * its reason is shown when it refuses. */
  self->busy = TRUE;
  show_password_error (self, NULL);
  update_password_sensitivity (self);
  ks_account_change_password_async (self->session, current, new_password, self->cancellable,
                                    on_password_done, g_object_ref (self));
}

/* Sessions */

static char *
describe_time (const char *iso)
{
  gint64 when = 0, now = ks_time_now ();
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL || !ks_time_parse_iso (iso, &when))
    return g_strdup (_("not known"));
  if (now - when < 120)
    return g_strdup (_("just now"));
  if (now - when < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         (int) ((now - when) / 60)), (int) ((now - when) / 60));
  dt = g_date_time_new_from_unix_utc (when);
  local = g_date_time_to_local (dt);
  if (now - when < 24 * 3600)
    return g_date_time_format (local, _("today at %H:%M"));
  return g_date_time_format (local, _("%-d %B %Y at %H:%M"));
}

static void on_session_sign_out_clicked (GtkButton *button, KsAccountWindow *self);

static GtkWidget *
session_row (KsAccountWindow *self,
             JsonObject      *one)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *device = ks_account_describe_user_agent (json_object_get_string_member_with_default (one, "user_agent", NULL));
  g_autofree char *last = describe_time (json_object_get_string_member_with_default (one, "last_used", NULL));
  g_autofree char *subtitle = NULL;
  const char *address = json_object_get_string_member_with_default (one, "address", NULL);
  gboolean current = json_object_get_boolean_member_with_default (one, "current", FALSE);

  subtitle = g_strdup_printf (_("From %s · last used %s"), address ? address : _("an unknown address"), last);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), device);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (current ? "computer-symbolic" : "network-server-symbolic"));
  if (current)
    {
      GtkWidget *label = gtk_label_new (_("This Device"));

      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_widget_set_name (row, "session-current");
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Sign _Out"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      ks_object_set_int64 (button, "ks-session-id", json_object_get_int_member_with_default (one, "id", 0));
      g_signal_connect (button, "clicked", G_CALLBACK (on_session_sign_out_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
on_sessions (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KsAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) sessions = ks_account_list_sessions_finish (KS_SESSION (source), result, &error);
  GtkListBoxRow *row;
  guint others = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  while ((row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->sessions_list), 0)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->sessions_list), GTK_WIDGET (row));
  if (sessions == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->sessions_placeholder), error->message);
      self->n_sessions = 0;
      return;
    }
  self->n_sessions = (int) json_array_get_length (sessions);
  for (guint i = 0; i < json_array_get_length (sessions); i++)
    {
      JsonObject *one = json_array_get_object_element (sessions, i);

      if (one == NULL)
        continue;
      if (!json_object_get_boolean_member_with_default (one, "current", FALSE))
        others++;
      gtk_list_box_append (GTK_LIST_BOX (self->sessions_list), session_row (self, one));
    }
  gtk_label_set_text (GTK_LABEL (self->sessions_placeholder), _("No sessions."));
  gtk_widget_set_sensitive (self->sign_out_others_button, others > 0);
  gtk_widget_set_tooltip_text (self->sign_out_others_button,
                               others > 0 ? _("Signs out every session but this one")
                                          : _("You are signed in nowhere else"));
}

void
ks_account_window_reload_sessions (KsAccountWindow *self)
{
  g_return_if_fail (KS_IS_ACCOUNT_WINDOW (self));
  self->n_sessions = -1;
  ks_account_list_sessions_async (self->session, self->cancellable, on_sessions, g_object_ref (self));
}

static void
on_session_revoked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KsAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ks_account_revoke_session_finish (KS_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  toast (self, _("Signed out there."));
  ks_account_window_reload_sessions (self);
}

static void
on_session_sign_out_clicked (GtkButton       *button,
                             KsAccountWindow *self)
{
  gint64 id = ks_object_get_int64 (button, "ks-session-id");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  ks_account_revoke_session_async (self->session, id, self->cancellable, on_session_revoked, g_object_ref (self));
}

static void
on_others_revoked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KsAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!ks_account_revoke_other_sessions_finish (KS_SESSION (source), result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Signed out %u other session.",
                                                               "Signed out %u other sessions.", n), n);
      toast (self, message);
    }
  ks_account_window_reload_sessions (self);
}

static void
on_sign_out_others_clicked (KsAccountWindow *self)
{
  gtk_widget_set_sensitive (self->sign_out_others_button, FALSE);
  ks_account_revoke_other_sessions_async (self->session, self->cancellable, on_others_revoked, g_object_ref (self));
}

/* Life cycle */

static void
on_signed_out (KsAccountWindow *self)
{
  /* The session is over: nothing here can work any more. */
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_me_refreshed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KsAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) me = ks_account_refresh_finish (KS_SESSION (source), result, &error);

  if (me != NULL)
    update_from_me (self);
}

static void
ks_account_window_dispose (GObject *object)
{
  KsAccountWindow *self = KS_ACCOUNT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->two_factor_dialog != NULL)
    gtk_window_destroy (self->two_factor_dialog);
  if (self->turn_off_dialog != NULL)
    {
      GtkWindow *dialog = self->turn_off_dialog;
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->turn_off_dialog);
      self->turn_off_dialog = NULL;
      gtk_window_destroy (dialog);
    }
  if (self->renew_dialog != NULL)
    {
      GtkWindow *dialog = self->renew_dialog;
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->renew_dialog);
      self->renew_dialog = NULL;
      gtk_window_destroy (dialog);
    }
  if (self->codes_dialog != NULL)
    {
      GtkWindow *dialog = self->codes_dialog;
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->codes_dialog);
      self->codes_dialog = NULL;
      gtk_window_destroy (dialog);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_ACCOUNT_WINDOW);
  G_OBJECT_CLASS (ks_account_window_parent_class)->dispose (object);
}

static void
ks_account_window_finalize (GObject *object)
{
  KsAccountWindow *self = KS_ACCOUNT_WINDOW (object);

  g_free (self->password_error);
  G_OBJECT_CLASS (ks_account_window_parent_class)->finalize (object);
}

static void
ks_account_window_class_init (KsAccountWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_account_window_dispose;
  object_class->finalize = ks_account_window_finalize;

  g_type_ensure (KS_TYPE_PASSWORD_METER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-account-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, council_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, password_group);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, current_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, new_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, meter);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, password_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, password_error_label);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, password_button);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, password_spinner);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, two_factor_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, two_factor_button);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, recovery_row);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, recovery_button);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, sessions_list);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, sessions_placeholder);
  gtk_widget_class_bind_template_child (widget_class, KsAccountWindow, sign_out_others_button);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
  gtk_widget_class_bind_template_callback (widget_class, ks_account_window_change_password);
  gtk_widget_class_bind_template_callback (widget_class, on_two_factor_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_recovery_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_out_others_clicked);
}

static void
ks_account_window_init (KsAccountWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->n_sessions = -1;
}

GtkWidget *
ks_account_window_new (GtkWindow *parent,
                       KsSession *session)
{
  KsAccountWindow *self;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  self = g_object_new (KS_TYPE_ACCOUNT_WINDOW, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "signed-out", G_CALLBACK (on_signed_out), self);
  update_from_me (self);
  ks_account_refresh_async (session, self->cancellable, on_me_refreshed, g_object_ref (self));
  ks_account_window_reload_sessions (self);
  return GTK_WIDGET (self);
}

void
ks_account_window_set_passwords (KsAccountWindow *self,
                                 const char      *current,
                                 const char      *new_password,
                                 const char      *repeat)
{
  g_return_if_fail (KS_IS_ACCOUNT_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->current_row), current ? current : "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), new_password ? new_password : "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), repeat ? repeat : "");
}

gboolean
ks_account_window_get_needs_current_password (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), TRUE);
  return gtk_widget_get_visible (self->current_row);
}

gboolean
ks_account_window_get_busy (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), FALSE);
  return self->busy;
}

const char *
ks_account_window_get_password_error (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);
  return self->password_error;
}

GtkWidget *
ks_account_window_get_password_meter (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);
  return self->meter;
}

GtkWindow *
ks_account_window_get_two_factor_dialog (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), NULL);
  return self->two_factor_dialog;
}

gboolean
ks_account_window_get_two_factor_on (KsAccountWindow *self)
{
  JsonObject *me;

  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), FALSE);
  me = ks_session_get_me (self->session);
  return me && json_object_get_boolean_member_with_default (me, "two_factor_enabled", FALSE);
}

int
ks_account_window_get_n_sessions (KsAccountWindow *self)
{
  g_return_val_if_fail (KS_IS_ACCOUNT_WINDOW (self), -1);
  return self->n_sessions;
}

void
ks_account_window_show_page (KsAccountWindow *self,
                             const char      *name)
{
  g_return_if_fail (KS_IS_ACCOUNT_WINDOW (self));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), name);
}

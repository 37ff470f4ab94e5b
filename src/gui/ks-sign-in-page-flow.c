/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sign-in-page-flow.c: the sign-in page signs in itself: it finds the server,
 * signs in with the password, the two-factor code or an emailed code, resumes
 * a stored session, and says "signed-in" when the session is ready. */
#define G_LOG_DOMAIN "ks-sign-in-page"

#include "config.h"
#include "ks-sign-in-page-private.h"

#include <glib/gi18n.h>

#include "ks-error.h"

static gboolean is_server_error (const GError *error);

/* Signed in (or only two-factor set-up is left): the window takes over. */
static void
signed_in (KsSignInPage *self)
{
  self->awaiting_session_only = FALSE;
  g_signal_emit_by_name (self, "signed-in");
}

static void
on_keyring_error (KsSignInPage *self,
                  const GError *error)
{
  if (self->signing_in)
    {
      self->keyring_failed = TRUE;
      g_free (self->keyring_message);
      self->keyring_message = g_strdup (error ? error->message : NULL);
    }
}

static char *
keyring_sentence (const char *detail)
{
  return g_strdup_printf (_("Kerbside could not keep your sign-in in the system keyring%s%s "
                            "You can sign in for this session only: you will need your password next time."),
                          detail ? ": " : ".", detail ? detail : "");
}

static void
on_sign_in_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KsSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KsSignInPage *page = self;
  gboolean session_only = self->flow_session_only;

  self->signing_in = FALSE;
  ks_sign_in_page_set_busy (page, FALSE);

  if (!ks_session_sign_in_finish (KS_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, KS_ERROR, KS_ERROR_TWO_FACTOR_REQUIRED))
        {
          /* The password was right: the authenticator's code comes next. */
          ks_sign_in_page_set_step (page, "code");
          ks_sign_in_page_set_message (page, error->message);
          ks_sign_in_page_focus (page);
          return;
        }
      if (g_strcmp0 (ks_sign_in_page_get_step (page), "code") == 0)
        {
          if (!ks_session_has_challenge (self->session))
            {
              /* The challenge expired: start again with the password. */
              ks_sign_in_page_set_step (page, "password");
              ks_sign_in_page_show_error (page, error->message, FALSE);
            }
          else
            {
              ks_sign_in_page_set_code (page, "");
              ks_sign_in_page_show_error (page, error->message, FALSE);
            }
          ks_sign_in_page_focus (page);
          return;
        }
      if (g_error_matches (error, KS_ERROR, KS_ERROR_KEYRING))
        {
          g_autofree char *sentence = keyring_sentence (error->message);
          ks_sign_in_page_show_error (page, sentence, TRUE);
        }
      else
        ks_sign_in_page_show_error (page, error->message, FALSE);
      if (is_server_error (error))
        ks_sign_in_page_focus_server (page);
      else
        ks_sign_in_page_focus (page);
      return;
    }

  g_settings_set_string (self->settings, "server-url", ks_sign_in_page_get_server (page));
  g_settings_set_string (self->settings, "last-email", ks_sign_in_page_get_email (page));
  ks_sign_in_page_set_password (page, "");

  if (self->keyring_failed && !session_only)
    {
      g_autofree char *sentence = keyring_sentence (self->keyring_message);

      self->awaiting_session_only = TRUE;
      ks_sign_in_page_show_error (page, sentence, TRUE);
      return;
    }

  signed_in (self);
}

/* Errors about the server (not the account) send the person to its field. */
static gboolean
is_server_error (const GError *error)
{
  return g_error_matches (error, KS_ERROR, KS_ERROR_UNAVAILABLE) ||
         g_error_matches (error, KS_ERROR, KS_ERROR_TLS) ||
         g_error_matches (error, KS_ERROR, KS_ERROR_NOT_FOUND) ||
         g_error_matches (error, KS_ERROR, KS_ERROR_INVALID);
}

static void
on_server_found (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KsSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ks_client_find_server_finish (result, &error);
  KsSignInPage *page = self;
  g_autofree char *password = g_steal_pointer (&self->sign_in_password);

  if (url == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->signing_in = FALSE;
      ks_sign_in_page_set_busy (page, FALSE);
      ks_sign_in_page_show_error (page, error->message, FALSE);
      ks_sign_in_page_focus_server (page);
      return;
    }
  ks_sign_in_page_set_server (page, url);
  ks_session_sign_in_async (self->session, url, self->sign_in_email,
                            password, self->cancellable, on_sign_in_done, g_object_ref (self));
}

/* A sign-in (or the resume's first request) that the server asked to send
 * again later: the page counts down to it. */
static void
on_session_waiting (KsSignInPage *self,
                    const char   *path,
                    guint         seconds,
                    const char   *code)
{
  if (self->busy && (g_str_has_prefix (path, "/api/v1/auth/") || g_str_equal (path, "/api/v1/me")))
    ks_sign_in_page_set_wait (self, seconds, code);
}

/* Cancel while signing in (or resuming): stop waiting, back to the form. */
static void
on_sign_in_cancel (KsSignInPage *self)
{
  KsSignInPage *page = self;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->signing_in = FALSE;
  g_clear_pointer (&self->sign_in_password, g_free);
  ks_sign_in_page_set_resuming (page, NULL);
  ks_sign_in_page_set_busy (page, FALSE);
  ks_sign_in_page_show_error (page, _("Signing in was cancelled. Check the address, then sign in again."), FALSE);
  ks_sign_in_page_focus_server (page);
}

static void
on_sign_in_submit (KsSignInPage *self,
                   const char   *server,
                   const char   *email,
                   const char   *password,
                   gboolean      session_only)
{
  KsSignInPage *page = self;

  /* Already signed in, only the keyring failed: go on without it. */
  if (session_only && self->awaiting_session_only &&
      (ks_session_is_signed_in (self->session) || ks_session_get_two_factor_setup_required (self->session))
      && g_strcmp0 (ks_session_get_server_url (self->session), server) == 0)
    {
      signed_in (self);
      return;
    }

  self->signing_in = TRUE;
  self->keyring_failed = FALSE;
  self->awaiting_session_only = FALSE;
  self->flow_session_only = session_only;
  ks_sign_in_page_set_busy (page, TRUE);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* First find which address answers (and if none, why), then sign in. */
  g_free (self->sign_in_email);
  self->sign_in_email = g_strdup (email);
  g_free (self->sign_in_password);
  self->sign_in_password = g_strdup (password);
  ks_client_find_server_async (server, self->cancellable, on_server_found, g_object_ref (self));
}

static GCancellable *
renew_cancellable (KsSignInPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

static void
on_submit_code (KsSignInPage *self,
                const char   *code,
                gboolean      session_only)
{
  KsSignInPage *page = self;

  /* Already signed in, only the keyring failed: go on without it. */
  if (session_only && self->awaiting_session_only &&
      (ks_session_is_signed_in (self->session) || ks_session_get_two_factor_setup_required (self->session)))
    {
      signed_in (self);
      return;
    }

  self->signing_in = TRUE;
  self->keyring_failed = FALSE;
  self->awaiting_session_only = FALSE;
  self->flow_session_only = session_only;
  ks_sign_in_page_set_busy (page, TRUE);
  ks_session_sign_in_code_async (self->session, code, renew_cancellable (self),
                                 on_sign_in_done, g_object_ref (self));
}

static void
on_cancel_code (KsSignInPage *self)
{
  g_cancellable_cancel (self->cancellable);
  ks_session_forget_challenge (self->session);
}

static void
on_email_code_sent (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KsSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = ks_session_request_email_code_finish (KS_SESSION (source), result, &error);
  KsSignInPage *page = self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ks_sign_in_page_set_busy (page, FALSE);
  if (message == NULL)
    {
      ks_sign_in_page_show_error (page, error->message, FALSE);
      ks_sign_in_page_focus (page);
      return;
    }
  g_settings_set_string (self->settings, "server-url", ks_sign_in_page_get_server (page));
  g_settings_set_string (self->settings, "last-email", ks_sign_in_page_get_email (page));
  ks_sign_in_page_set_step (page, "email-code");
  ks_sign_in_page_set_message (page, message);
  ks_sign_in_page_focus (page);
}

static void
on_request_email_code (KsSignInPage *self,
                       const char   *server,
                       const char   *email)
{
  ks_sign_in_page_set_busy (self, TRUE);
  ks_session_request_email_code_async (self->session, server, email,
                                       renew_cancellable (self), on_email_code_sent, g_object_ref (self));
}

static void
on_submit_email_code (KsSignInPage *self,
                      const char   *server,
                      const char   *email,
                      const char   *code,
                      gboolean      session_only)
{
  self->signing_in = TRUE;
  self->keyring_failed = FALSE;
  self->awaiting_session_only = FALSE;
  self->flow_session_only = session_only;
  ks_sign_in_page_set_busy (self, TRUE);
  ks_session_sign_in_email_code_async (self->session, server, email, code, renew_cancellable (self),
                                       on_sign_in_done, g_object_ref (self));
}

static void
on_resume_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KsSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KsSignInPage *page = self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ks_sign_in_page_set_resuming (page, NULL);
  ks_sign_in_page_set_busy (page, FALSE);

  if (ks_session_resume_finish (KS_SESSION (source), result, &error))
    {
      signed_in (self);
      return;
    }

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ks_sign_in_page_focus (page);
      return;
    }

  if (g_error_matches (error, KS_ERROR, KS_ERROR_KEYRING))
    {
      g_autofree char *sentence = keyring_sentence (error->message);
      ks_sign_in_page_show_error (page, sentence, TRUE);
    }
  else
    ks_sign_in_page_show_error (page, error->message, FALSE);
  ks_sign_in_page_focus (page);
}

void
ks_sign_in_page_start (KsSignInPage *self,
                       KsSession    *session,
                       GSettings    *settings,
                       const char   *server_override)
{
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  KsSignInPage *page = self;
  const char *hint = g_getenv ("KERBSIDE_SIGN_IN_HINT");

  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (KS_IS_SESSION (session));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  self->settings = g_object_ref (settings);
  g_signal_connect_swapped (self->session, "keyring-error", G_CALLBACK (on_keyring_error), self);
  g_signal_connect_swapped (self->session, "waiting", G_CALLBACK (on_session_waiting), self);
  g_signal_connect (self, "submit", G_CALLBACK (on_sign_in_submit), NULL);
  g_signal_connect (self, "submit-code", G_CALLBACK (on_submit_code), NULL);
  g_signal_connect (self, "cancel-code", G_CALLBACK (on_cancel_code), NULL);
  g_signal_connect (self, "cancel", G_CALLBACK (on_sign_in_cancel), NULL);
  g_signal_connect (self, "request-email-code", G_CALLBACK (on_request_email_code), NULL);
  g_signal_connect (self, "submit-email-code", G_CALLBACK (on_submit_email_code), NULL);

  server = server_override ? g_strdup (server_override) : g_settings_get_string (self->settings, "server-url");
  email = g_settings_get_string (self->settings, "last-email");
  ks_sign_in_page_set_server (page, server);
  ks_sign_in_page_set_email (page, email);
  if (hint && *hint)
    ks_sign_in_page_set_hint (page, hint);

  if (*server && *email)
    {
      ks_sign_in_page_set_resuming (page, email);
      self->cancellable = g_cancellable_new ();
      ks_session_resume_async (self->session, server, email, self->cancellable,
                               on_resume_done, g_object_ref (self));
    }
  else
    ks_sign_in_page_focus (page);
}

void
ks_sign_in_page_reset (KsSignInPage *self,
                       const char   *message)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));

  ks_sign_in_page_set_step (self, "password");
  ks_sign_in_page_set_busy (self, FALSE);
  ks_sign_in_page_set_password (self, "");
  ks_sign_in_page_show_error (self, message, FALSE);
}

gboolean
ks_sign_in_page_get_signing_in (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), FALSE);
  return self->signing_in;
}

void
ks_sign_in_page_stop (KsSignInPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->keyring_message, g_free);
  g_clear_pointer (&self->sign_in_email, g_free);
  g_clear_pointer (&self->sign_in_password, g_free);
}

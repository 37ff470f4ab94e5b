/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sign-in-page.h: the sign-in form (server, email, password), the two-factor
 * code step, and sign-in by email (ask for a code, then enter it); once started
 * with a session, the page signs in itself. */
#pragma once

#include <gtk/gtk.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_SIGN_IN_PAGE (ks_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (KsSignInPage, ks_sign_in_page, KS, SIGN_IN_PAGE, GtkWidget)

GtkWidget  *ks_sign_in_page_new          (void);

void        ks_sign_in_page_set_server   (KsSignInPage *self, const char *server);
const char *ks_sign_in_page_get_server   (KsSignInPage *self);
void        ks_sign_in_page_set_email    (KsSignInPage *self, const char *email);
const char *ks_sign_in_page_get_email    (KsSignInPage *self);
void        ks_sign_in_page_set_password (KsSignInPage *self, const char *password);
void        ks_sign_in_page_set_hint     (KsSignInPage *self, const char *hint);

/* Steps: "password" (the form), "code" (the 6-digit code of two-factor
 * authentication), "email" (ask for a sign-in code by email; a new password is
 * chosen after signing in with it) and "email-code" (enter the emailed code). Changing the step
 * clears the code and the error. */
void        ks_sign_in_page_set_step     (KsSignInPage *self, const char *step);
const char *ks_sign_in_page_get_step     (KsSignInPage *self);
/* A sentence above the form for this step (the server's, e.g. "a code is on
 * its way"); NULL: the step's own. */
void        ks_sign_in_page_set_message  (KsSignInPage *self, const char *message);
const char *ks_sign_in_page_get_message  (KsSignInPage *self);
/* Types a code (digits; spaces and dashes are fine). A whole code submits. */
void        ks_sign_in_page_set_code     (KsSignInPage *self, const char *code);

/* Shows the spinner and makes the form insensitive while busy. */
void        ks_sign_in_page_set_busy     (KsSignInPage *self, gboolean busy);
gboolean    ks_sign_in_page_get_busy     (KsSignInPage *self);
/* Shows a sentence under the form (NULL hides it). offer_session_only shows the
 * "Sign in for this session only" button (when the keyring cannot be used). */
void        ks_sign_in_page_show_error   (KsSignInPage *self,
                                          const char   *message,
                                          gboolean      offer_session_only);
const char *ks_sign_in_page_get_error    (KsSignInPage *self);
/* Submits the current step as its main button does. */
void        ks_sign_in_page_submit       (KsSignInPage *self,
                                          gboolean      session_only);
/* Focuses the first empty field (the code entry on code steps). */
void        ks_sign_in_page_focus        (KsSignInPage *self);

/* Signals (the server address is already checked: https, or http to this computer):
 * "submit" (const char *server, const char *email, const char *password,
 *   gboolean session_only): sign in with a password.
 * "submit-code" (const char *code, gboolean session_only): the two-factor code.
 * "cancel-code": "Use a different account" on the code step (the page is back
 *   on the password step).
 * "request-email-code" (const char *server, const char *email): send a
 *   sign-in code by email.
 * "submit-email-code" (const char *server, const char *email, const char *code,
 *   gboolean session_only): sign in with the emailed code. */

/* A stored session is being resumed: "Signing in as EMAIL…" with Cancel
 * instead of the form (NULL: the form again). */
void        ks_sign_in_page_set_resuming  (KsSignInPage *self, const char *email);
const char *ks_sign_in_page_get_resuming  (KsSignInPage *self);
void        ks_sign_in_page_focus_server  (KsSignInPage *self);
/* While busy: the server answered 503 with Retry-After (code "busy" or
 * "unavailable") and the app tries again in seconds; shows a sentence counting
 * them down ("The server is busy; trying again in 4 s…"). 0 hides it (as does
 * the end of the busy state). ks_sign_in_page_get_wait(): that sentence, or NULL. */
void        ks_sign_in_page_set_wait      (KsSignInPage *self, guint seconds, const char *code);
const char *ks_sign_in_page_get_wait      (KsSignInPage *self);
/* The Cancel button (shown while busy): emits "cancel". */
void        ks_sign_in_page_cancel        (KsSignInPage *self);

/* The flow (ks-sign-in-page-flow.c). Fills in the last server (or
 * server_override) and email from settings and resumes a stored session if
 * there is one; from then on the page answers its own signals: it finds the
 * server, signs in with the password, the two-factor code or an emailed code,
 * remembers the server and email in settings, and emits "signed-in" () when
 * the session is signed in (or only needs two-factor set-up). Call once. */
void        ks_sign_in_page_start         (KsSignInPage *self,
                                           KsSession    *session,
                                           GSettings    *settings,
                                           const char   *server_override);
/* Back to the password form, with a sentence (nullable), e.g. after signing out. */
void        ks_sign_in_page_reset         (KsSignInPage *self,
                                           const char   *message);
/* Whether a sign-in is under way (keyring problems are then the page's to say). */
gboolean    ks_sign_in_page_get_signing_in (KsSignInPage *self);

G_END_DECLS

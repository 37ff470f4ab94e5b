/* ks-sign-in-page.h: the sign-in form (server, email, password). */
#pragma once

#include <gtk/gtk.h>

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

/* Shows the spinner and makes the form insensitive while busy. */
void        ks_sign_in_page_set_busy     (KsSignInPage *self, gboolean busy);
gboolean    ks_sign_in_page_get_busy     (KsSignInPage *self);
/* Shows a sentence under the form (NULL hides it). offer_session_only shows the
 * "Sign in for this session only" button (when the keyring cannot be used). */
void        ks_sign_in_page_show_error   (KsSignInPage *self,
                                          const char   *message,
                                          gboolean      offer_session_only);
const char *ks_sign_in_page_get_error    (KsSignInPage *self);
/* Submits the form as the Sign In button does. */
void        ks_sign_in_page_submit       (KsSignInPage *self,
                                          gboolean      session_only);
/* Focuses the first empty field. */
void        ks_sign_in_page_focus        (KsSignInPage *self);

/* Signal "submit" (const char *server, const char *email, const char *password,
 * gboolean session_only): the person asked to sign in. The server address is
 * already checked (https, or http to this computer). */

G_END_DECLS

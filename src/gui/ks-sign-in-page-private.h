/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sign-in-page-private.h: the sign-in page's instance struct, shared by the
 * form (ks-sign-in-page.c) and the flow (ks-sign-in-page-flow.c). */
#pragma once

#include <adwaita.h>
#include "ks-sign-in-page.h"

G_BEGIN_DECLS

struct _KsSignInPage
{
  GtkWidget   parent_instance;

  GtkWidget  *title_label;
  GtkWidget  *server_row;
  GtkWidget  *email_row;
  GtkWidget  *password_row;
  GtkWidget  *code_entry;
  GtkWidget  *fields_box;
  GtkWidget  *hint_label;
  GtkWidget  *error_revealer;
  GtkWidget  *error_label;
  GtkWidget  *sign_in_button;
  GtkWidget  *button_stack;
  GtkWidget  *button_label;
  GtkWidget  *busy_label;
  GtkWidget  *spinner;
  GtkWidget  *session_only_button;
  GtkWidget  *other_button;
  GtkWidget  *cancel_button;
  GtkWidget  *wait_label;
  char       *resuming;   /* the email being signed in silently, or NULL */

  char       *step;
  char       *hint;       /* the password step's hint */
  char       *message;
  char       *error;
  gboolean    busy;
  gboolean    session_only;

  /* Waiting for the server to take the sign-in (ks-sign-in-page-wait.c) */
  guint       wait_left;  /* seconds until the app tries again */
  guint       wait_tick;
  char       *wait_code;  /* the 503's code: "busy", "unavailable" */

  /* The sign-in flow (ks-sign-in-page-flow.c), once started */
  KsSession    *session;
  GSettings    *settings;
  GCancellable *cancellable;
  gboolean      signing_in;
  gboolean      keyring_failed;   /* the keyring failed during this sign-in */
  char         *keyring_message;
  gboolean      awaiting_session_only;
  gboolean      flow_session_only; /* this sign-in is for this session only */
  char         *sign_in_email;    /* while the server is being found */
  char         *sign_in_password;
};

/* Cancels the flow and lets go of the session (dispose). */
void ks_sign_in_page_stop (KsSignInPage *self);

G_END_DECLS

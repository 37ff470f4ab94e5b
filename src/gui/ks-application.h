/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-application.h: the Kerbside desktop application. */
#pragma once

#include <adwaita.h>

#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_APPLICATION (ks_application_get_type ())
G_DECLARE_FINAL_TYPE (KsApplication, ks_application, KS, APPLICATION, AdwApplication)

KsApplication *ks_application_new               (void);
GSettings     *ks_application_get_settings      (KsApplication *self);
/* The server given with --server (overrides the saved one), or NULL. */
const char    *ks_application_get_server_override (KsApplication *self);
/* A window's session (a new ref), reading ahead the cache of the account
 * its sign-in page will resume: the first one was made at startup, before
 * GTK started. */
KsSession     *ks_application_new_session       (KsApplication *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-council-settings.h: the council's settings as a page of the admin window:
 * name (platform operators), contact address, public URL, mandatory two-factor
 * authentication, password length, duplicate radius, photos, data retention;
 * and the site message staff see (ks-site-message-editor.h).
 * A value the server refuses shows its sentence under the field at fault. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_COUNCIL_SETTINGS (ks_council_settings_get_type ())
G_DECLARE_FINAL_TYPE (KsCouncilSettings, ks_council_settings, KS, COUNCIL_SETTINGS, AdwPreferencesPage)

GtkWidget  *ks_council_settings_new       (KsSession *session);
/* Whether the signed-in person may see it: platform operators and those who
 * manage staff (who may change the council's settings). */
gboolean    ks_council_settings_allowed   (KsSession *session);
/* Fetches the settings again (the fields show the server's values). */
void        ks_council_settings_reload    (KsCouncilSettings *self);
/* For tests and keyboard users: the field of a wire name ("email",
 * "public_url", "password_min_length", "require_2fa" ("true"/"false"), ...)
 * as shown, typing into it, the sentence under it (NULL: none), saving. */
char       *ks_council_settings_get       (KsCouncilSettings *self, const char *field);
void        ks_council_settings_set       (KsCouncilSettings *self, const char *field, const char *text);
const char *ks_council_settings_get_error (KsCouncilSettings *self, const char *field);
void        ks_council_settings_save      (KsCouncilSettings *self);
gboolean    ks_council_settings_get_busy  (KsCouncilSettings *self);
/* Whether the fields hold the server's answer (after loading or saving). */
gboolean    ks_council_settings_get_loaded (KsCouncilSettings *self);

G_END_DECLS

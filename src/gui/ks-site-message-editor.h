/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-site-message-editor.h: the council's site message in the admin window (a
 * group of its Council page): the text, an optional end, set and removed by
 * administrators. A value the server refuses shows its sentence. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_SITE_MESSAGE_EDITOR (ks_site_message_editor_get_type ())
G_DECLARE_FINAL_TYPE (KsSiteMessageEditor, ks_site_message_editor, KS, SITE_MESSAGE_EDITOR, AdwPreferencesGroup)

GtkWidget  *ks_site_message_editor_new       (KsSession *session);
/* For tests and keyboard users: typing the text and the end (local time,
 * "2026-12-24 08:00"; "" for none), setting, removing; the sentence shown
 * (NULL: none), whether a request runs. */
void        ks_site_message_editor_set_text  (KsSiteMessageEditor *self, const char *text);
void        ks_site_message_editor_set_until (KsSiteMessageEditor *self, const char *until);
void        ks_site_message_editor_save      (KsSiteMessageEditor *self);
void        ks_site_message_editor_remove    (KsSiteMessageEditor *self);
const char *ks_site_message_editor_get_error (KsSiteMessageEditor *self);
gboolean    ks_site_message_editor_get_busy  (KsSiteMessageEditor *self);

G_END_DECLS

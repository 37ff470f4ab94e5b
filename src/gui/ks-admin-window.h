/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-window.h: the council's administration: staff, roles, categories,
 * priorities, templates and Open311 API keys; only the pages the signed-in
 * person's permissions allow. Edits open as subpages; confirmations as
 * AdwMessageDialogs; the server's sentences appear inline and as toasts. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_ADMIN_WINDOW (ks_admin_window_get_type ())
G_DECLARE_FINAL_TYPE (KsAdminWindow, ks_admin_window, KS, ADMIN_WINDOW, AdwPreferencesWindow)

/* Page names: "staff", "roles", "categories", "priorities", "templates",
 * "api-keys". */
GtkWidget  *ks_admin_window_new            (GtkWindow *parent, KsSession *session);
/* Presents the administration of `parent` (one per parent window); NULL when
 * the session has no page to show. */
GtkWidget  *ks_admin_window_show           (GtkWindow *parent, KsSession *session);
/* TRUE when at least one page is allowed. */
gboolean    ks_admin_window_has_pages      (KsSession *session);

/* For tests. */
/* The pages present, in order (NULL-terminated, free with g_strfreev). */
char      **ks_admin_window_get_page_names (KsAdminWindow *self);
void        ks_admin_window_show_page      (KsAdminWindow *self, const char *name);
/* The "council" page (KsCouncilSettings), or NULL when the person may not see it. */
GtkWidget  *ks_admin_window_get_council_settings (KsAdminWindow *self);
/* Rows of a page's list once loaded, -1 while loading or on error. */
int         ks_admin_window_get_n_rows     (KsAdminWindow *self, const char *page);
/* Opens the editor of a page's object (id 0: a new one); returns the subpage. */
GtkWidget  *ks_admin_window_open_editor    (KsAdminWindow *self, const char *page, gint64 id);
/* Fills the open editor's field (the API member name): text fields, "groups"
 * as "a, b", "state" as a state id (NULL: none), "kind" of an email template
 * as its id ("update"), "default_priority_id" as a priority's id (NULL: None),
 * switches as "true"/"false". */
void        ks_admin_window_editor_set     (KsAdminWindow *self, const char *member, const char *value);
/* Ticks an id in a list field ("category_ids", "role_ids": numeric ids;
 * "permissions": permission ids). */
void        ks_admin_window_editor_check   (KsAdminWindow *self, const char *member,
                                            const char *id, gboolean checked);
/* The choices of a list field of the open editor ("state": its labels, "No
 * change" first; "default_priority_id": "None" then the priorities), as shown. */
char      **ks_admin_window_editor_choices (KsAdminWindow *self, const char *member);
/* Presses Save. */
void        ks_admin_window_editor_save    (KsAdminWindow *self);
gboolean    ks_admin_window_get_busy       (KsAdminWindow *self);
/* TRUE while an editor subpage is open. */
gboolean    ks_admin_window_editor_open    (KsAdminWindow *self);
/* The sentence shown in the open editor (the server's refusal), or NULL. */
const char *ks_admin_window_get_editor_error (KsAdminWindow *self);
const char *ks_admin_window_get_last_toast (KsAdminWindow *self);
/* The key shown once after creating an API key, or NULL. */
const char *ks_admin_window_get_new_key    (KsAdminWindow *self);

/* A title ("Staff Account") in sentence case for toasts ("Staff account"). */
char      *ks_admin_sentence_case         (const char *title);

G_END_DECLS

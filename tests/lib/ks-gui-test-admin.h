/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-admin.h: what the GUI tests of the administration window share:
 * the signed-in window's token for API calls made beside the app, the
 * administration window it opened, and conditions on that window's editor to
 * wait for with ks_test_wait_for(). */
#pragma once

#include "ks-admin-window.h"
#include "ks-window.h"

G_BEGIN_DECLS

/* The bearer token of the window's session (for checking over HTTP what the
 * app did), or NULL when signed out. */
const char    *ks_gui_test_token                (KsWindow *window);
/* The administration window opened from this window, or NULL. */
KsAdminWindow *ks_gui_test_admin_window         (KsWindow *window);
/* Conditions on a KsAdminWindow: its editor has saved and closed, and the
 * slide back from it has ended; its editor shows the server's refusal. */
gboolean       ks_gui_test_admin_editor_closed  (gpointer admin);
gboolean       ks_gui_test_admin_editor_error   (gpointer admin);

G_END_DECLS

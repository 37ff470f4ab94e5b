/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-admin.c: the administration window as the GUI tests see it. */
#include "config.h"

#include "ks-gui-test-admin.h"

#include "ks-client.h"
#include "ks-gui-test.h"
#include "ks-session.h"

const char *
ks_gui_test_token (KsWindow *window)
{
  return ks_client_get_token (ks_session_get_client (ks_window_get_session (window)));
}

KsAdminWindow *
ks_gui_test_admin_window (KsWindow *window)
{
  GtkWindow *admin = ks_gui_find_transient (GTK_WINDOW (window), KS_TYPE_ADMIN_WINDOW);

  return admin != NULL ? KS_ADMIN_WINDOW (admin) : NULL;
}

static gboolean
is_sliding (GtkWidget     *widget,
            gconstpointer  data)
{
  return ADW_IS_LEAFLET (widget) && adw_leaflet_get_child_transition_running (ADW_LEAFLET (widget));
}

/* Closed, and the slide back to the page has ended, so that the next editor
 * opened is shown at once. */
gboolean
ks_gui_test_admin_editor_closed (gpointer admin)
{
  return !ks_admin_window_get_busy (admin) && !ks_admin_window_editor_open (admin) &&
         ks_gui_find (GTK_WIDGET (admin), is_sliding, NULL) == NULL;
}

gboolean
ks_gui_test_admin_editor_error (gpointer admin)
{
  return !ks_admin_window_get_busy (admin) && ks_admin_window_get_editor_error (admin) != NULL;
}

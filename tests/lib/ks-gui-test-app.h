/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-app.h: the stage of a GUI test: private settings, the real
 * server on a demo database, the application and its windows, and signing in
 * and out through the sign-in page as a person would. */
#pragma once

#include <adwaita.h>

#include "ks-application.h"
#include "ks-test-server.h"
#include "ks-window.h"

G_BEGIN_DECLS

/* Call first in main: private XDG directories, GTK, the server on a demo
 * database of n_reports with a test clock (stopped even when the test
 * aborts: ks_test_server_move_clock() instead of sleeping), the screenshot
 * directory, and the application with the built-in map tiles and no
 * remembered server or email. Returns the server. */
KsTestServer  *ks_gui_test_init        (int *argc, char ***argv, int n_reports);
KsTestServer  *ks_gui_test_server      (void);
KsApplication *ks_gui_test_app         (void);
/* A new window of the application at this size, shown. */
KsWindow      *ks_gui_test_new_window  (int width, int height);
/* Runs the test cases, then closes the windows and stops the server. */
int            ks_gui_test_run         (void);

/* A registered application whose settings name this server and last email
 * ("" or NULL for none), with the built-in map tiles. */
KsApplication *ks_gui_test_app_new     (const char *server_url, const char *last_email);

/* Whether window shows page ("main", "sign-in"). */
gboolean       ks_gui_page_is          (KsWindow *window, const char *page);
/* Conditions on a KsWindow for ks_test_wait_for(): the main page is shown;
 * the sign-in page is shown and not busy; signed in, the list shows reports
 * and no sync is running. */
gboolean       ks_gui_main_shown       (gpointer window);
gboolean       ks_gui_sign_in_idle     (gpointer window);
gboolean       ks_gui_reports_shown    (gpointer window);
/* The main page, at least want reports in the session, and (when synced)
 * no sync running. */
gboolean       ks_gui_reports_ready    (KsWindow *window, guint want, gboolean synced);

/* Fills the password step of the sign-in page (the test server's address)
 * and submits it; does not wait. */
void           ks_gui_fill_sign_in     (KsWindow *window, const char *email, const char *password);
/* Signs in as email with the test password and waits until the reports are
 * shown and synced. Does nothing when already signed in as email; signs the
 * other person out first. */
void           ks_gui_sign_in_as       (KsWindow *window, const char *email);
/* Signs out and waits for the sign-in page to be idle. */
void           ks_gui_sign_out         (KsWindow *window);

G_END_DECLS

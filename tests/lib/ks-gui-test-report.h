/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test-report.h: what GUI tests do to one report as a person would:
 * find it in the list, open its detail, click one of its actions, pick a
 * state in Change State; and the server's own view of it. */
#pragma once

#include <json-glib/json-glib.h>

#include "ks-gui-test.h"
#include "ks-report-detail.h"

G_BEGIN_DECLS

/* Shows report id in the detail (list view) and waits until it is loaded. */
KsReportDetail *ks_gui_open_report       (KsWindow *window, gint64 id);
/* A report of the list whose state is state (NULL: any) other than not_this,
 * selected and scrolled into view; fails the test when there is none. */
gint64          ks_gui_report_on_screen  (KsWindow *window, const char *state, gint64 not_this);
/* Clicks the detail's action button ("state", "priority", ...): it must be
 * there and sensitive. */
void            ks_gui_click_action      (KsWindow *window, const char *action);
/* Ticks state_id in the Change State dialog (its check is named "state-ID"). */
void            ks_gui_choose_state      (AdwMessageDialog *dialog, const char *state_id);
/* The report as the server has it (GET /api/v1/reports/{id} as the demo's
 * administrator). */
JsonObject     *ks_gui_server_report     (const char *server_url, gint64 id);

G_END_DECLS

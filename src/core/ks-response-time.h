/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-response-time.h: what the report detail says about a report's target
 * response time (docs/admin.md, "Response times"): "Respond by 14:30 Tue",
 * "Overdue by 3 h", "Responded in 2 h (met)" or "(late)". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* created, responded (0: not yet) and now: Unix seconds; response_hours: the
 * priority's (below 0: it has none); open: the report is in an open state. NULL
 * when there is nothing to say (no target, or closed without a response). Times
 * are shown in the local time zone. */
char *ks_response_time_text (gint64   created,
                             gint64   response_hours,
                             gint64   responded,
                             gboolean open,
                             gint64   now);

G_END_DECLS

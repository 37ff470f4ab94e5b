/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-date-format.h: the one way the app shows a date and time to a person,
 * in the desktop's locale: "Today 14:05", "Yesterday 09:12", else the
 * locale's date (%x). The list and the detail use it alike. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* unix_seconds <= 0: "". */
char *ks_date_format       (gint64 unix_seconds);
/* The same, relative to `now` (local time), for tests. */
char *ks_date_format_at    (gint64 unix_seconds, GDateTime *now);
/* The full date and time in the locale's style (%c), for tooltips. */
char *ks_date_format_full  (gint64 unix_seconds);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-number-format.h: counts and durations as people read them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 12345 -> "12,345": grouped with the locale's thousands separator, or a comma
 * when the locale has none (C/POSIX: the app's texts are English). */
char *ks_format_count    (gint64 n);
/* A duration given in hours: "19.9 days" from a day up, "5.2 hours" below. */
char *ks_format_duration (double hours);

G_END_DECLS

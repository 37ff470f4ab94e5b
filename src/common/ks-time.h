/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-time.h: timestamps. Kerbside stores Unix seconds (UTC) and speaks
 * ISO 8601 / W3C dates on the wire. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_TIME_ISO_BUF_SIZE 32

/* Unix seconds now: the real time, or the test clocks' (below). */
gint64    ks_time_now             (void);
/* The test clock, for tests only (kerbside-server serve --test-clock): from
 * now on "now" is the real time plus the seconds written in file (a decimal
 * number, read again at every call, 0 when unreadable), so that a test moves
 * the clock forward instead of sleeping. file must be a regular file of this
 * user that no one else may write; FALSE with error otherwise. */
gboolean  ks_time_set_test_clock  (const char *file, GError **error);
/* The in-process test clock, for test programs that run the app's code
 * themselves: from now on "now" is the real time plus seconds (replacing any
 * offset set before), so that the app and the test server it talks to read
 * the same moment. Any thread may call ks_time_now() meanwhile. */
void      ks_time_set_test_offset (double seconds);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf, returns its length. */
gsize     ks_time_format_iso      (gint64 unix_seconds, char buf[KS_TIME_ISO_BUF_SIZE]);
char     *ks_time_to_iso          (gint64 unix_seconds);
/* Accepts ISO 8601 with a timezone, or a plain date (YYYY-MM-DD, taken as UTC midnight). */
gboolean  ks_time_parse_iso       (const char *text, gint64 *out_unix_seconds);

G_END_DECLS

/* ks-time.h: timestamps. Kerbside stores Unix seconds (UTC) and speaks
 * ISO 8601 / W3C dates on the wire. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_TIME_ISO_BUF_SIZE 32

gint64    ks_time_now             (void);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf, returns its length. */
gsize     ks_time_format_iso      (gint64 unix_seconds, char buf[KS_TIME_ISO_BUF_SIZE]);
char     *ks_time_to_iso          (gint64 unix_seconds);
/* Accepts ISO 8601 with a timezone, or a plain date (YYYY-MM-DD, taken as UTC midnight). */
gboolean  ks_time_parse_iso       (const char *text, gint64 *out_unix_seconds);

G_END_DECLS

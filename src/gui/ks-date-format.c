/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-date-format.c: dates as people read them, in the desktop's locale. */
#include "config.h"
#include "ks-date-format.h"

#include <glib/gi18n.h>

#include "ks-time.h"

/* The desktop's time zone, taken again when TZ changes and at most once a
 * second otherwise: GLib reads /etc/localtime's link (two system calls) at
 * each g_time_zone_new_local(), and the list formats two dates, three zones
 * each, for every row it binds. */
static GTimeZone *
local_zone (void)
{
  static GMutex lock;
  static GTimeZone *zone;
  static char *zone_tz;
  static gint64 taken;
  const char *tz = g_getenv ("TZ");
  gint64 now = g_get_monotonic_time ();
  GTimeZone *z;

  g_mutex_lock (&lock);
  if (zone == NULL || now - taken > G_USEC_PER_SEC || g_strcmp0 (tz, zone_tz) != 0)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      g_free (zone_tz);
      zone = g_time_zone_new_local ();
      zone_tz = g_strdup (tz);
      taken = now;
    }
  z = g_time_zone_ref (zone);
  g_mutex_unlock (&lock);
  return z;
}

static GDateTime *
local_from_unix (gint64 unix_seconds)
{
  g_autoptr(GTimeZone) zone = local_zone ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);

  return utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
}

char *
ks_date_format_at (gint64     unix_seconds,
                   GDateTime *now)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autofree char *time = NULL;
  int y, m, d;

  if (unix_seconds <= 0 || now == NULL)
    return g_strdup ("");
  dt = local_from_unix (unix_seconds);
  if (dt == NULL)
    return g_strdup ("");

  time = g_date_time_format (dt, "%R");
  g_date_time_get_ymd (dt, &y, &m, &d);
  if (y == g_date_time_get_year (now) && m == g_date_time_get_month (now) &&
      d == g_date_time_get_day_of_month (now))
    /* TRANSLATORS: a date today; %s is the time, like 14:05 */
    return g_strdup_printf (_("Today %s"), time);
  yesterday = g_date_time_add_days (now, -1);
  if (y == g_date_time_get_year (yesterday) && m == g_date_time_get_month (yesterday) &&
      d == g_date_time_get_day_of_month (yesterday))
    /* TRANSLATORS: a date yesterday; %s is the time, like 14:05 */
    return g_strdup_printf (_("Yesterday %s"), time);
  return g_date_time_format (dt, "%x");
}

char *
ks_date_format (gint64 unix_seconds)
{
  g_autoptr(GDateTime) now = local_from_unix (ks_time_now ());

  return ks_date_format_at (unix_seconds, now);
}

char *
ks_date_format_full (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_seconds <= 0 || (dt = local_from_unix (unix_seconds)) == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%c");
}

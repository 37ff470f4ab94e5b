/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-date-format.c: dates as people read them, in the desktop's locale. */
#include "config.h"
#include "ks-date-format.h"

#include <glib/gi18n.h>

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
  dt = g_date_time_new_from_unix_local (unix_seconds);
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
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return ks_date_format_at (unix_seconds, now);
}

char *
ks_date_format_full (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_seconds <= 0 || (dt = g_date_time_new_from_unix_local (unix_seconds)) == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%c");
}

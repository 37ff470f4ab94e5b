/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-response-time.c: the report detail's sentence about its target response
 * time. */
#include "ks-response-time.h"

#include <glib/gi18n.h>

#define HOUR 3600
#define DAY (24 * HOUR)

/* "25 min", "3 h" (under two days), "4 days": whole units, rounded down. */
static char *
duration (gint64 seconds)
{
  if (seconds < HOUR)
    return g_strdup_printf (_("%d min"), (int) MAX (seconds / 60, 1));
  if (seconds < 2 * DAY)
    return g_strdup_printf (_("%d h"), (int) (seconds / HOUR));
  return g_strdup_printf (_("%d days"), (int) (seconds / DAY));
}

/* "14:30 Tue" within the coming week, else "14:30 12 Dec". */
static char *
moment (gint64 when,
        gint64 now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (when);

  return g_date_time_format (local, when - now < 6 * DAY ? "%H:%M %a" : "%H:%M %-d %b");
}

char *
ks_response_time_text (gint64   created,
                       gint64   response_hours,
                       gint64   responded,
                       gboolean open,
                       gint64   now)
{
  gint64 respond_by = created + response_hours * HOUR;
  g_autofree char *span = NULL;

  if (response_hours < 0 || created <= 0)
    return NULL;
  if (responded != 0)
    {
      span = duration (MAX (responded - created, 0));
      return responded <= respond_by ? g_strdup_printf (_("Responded in %s (met)"), span)
                                     : g_strdup_printf (_("Responded in %s (late)"), span);
    }
  if (now > respond_by)
    {
      if (!open)
        return NULL;
      span = duration (now - respond_by);
      return g_strdup_printf (_("Overdue by %s"), span);
    }
  span = moment (respond_by, now);
  return g_strdup_printf (_("Respond by %s"), span);
}

/* ks-time.c: timestamp formatting and parsing. */
#include "ks-time.h"

#include <string.h>
#include <time.h>

gint64
ks_time_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
put2 (char *p, int v)
{
  p[0] = '0' + (v / 10) % 10;
  p[1] = '0' + v % 10;
}

gsize
ks_time_format_iso (gint64 unix_seconds,
                    char   buf[KS_TIME_ISO_BUF_SIZE])
{
  time_t t = (time_t) unix_seconds;
  struct tm tm;
  int year;

  gmtime_r (&t, &tm);
  year = tm.tm_year + 1900;
  buf[0] = '0' + (year / 1000) % 10;
  buf[1] = '0' + (year / 100) % 10;
  buf[2] = '0' + (year / 10) % 10;
  buf[3] = '0' + year % 10;
  buf[4] = '-';
  put2 (buf + 5, tm.tm_mon + 1);
  buf[7] = '-';
  put2 (buf + 8, tm.tm_mday);
  buf[10] = 'T';
  put2 (buf + 11, tm.tm_hour);
  buf[13] = ':';
  put2 (buf + 14, tm.tm_min);
  buf[16] = ':';
  put2 (buf + 17, tm.tm_sec);
  buf[19] = 'Z';
  buf[20] = '\0';
  return 20;
}

char *
ks_time_to_iso (gint64 unix_seconds)
{
  char buf[KS_TIME_ISO_BUF_SIZE];
  ks_time_format_iso (unix_seconds, buf);
  return g_strdup (buf);
}

gboolean
ks_time_parse_iso (const char *text,
                   gint64     *out_unix_seconds)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return FALSE;

  utc = g_time_zone_new_utc ();
  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-')
    {
      g_autofree char *full = g_strconcat (text, "T00:00:00Z", NULL);
      dt = g_date_time_new_from_iso8601 (full, utc);
    }
  else
    dt = g_date_time_new_from_iso8601 (text, NULL);

  if (dt == NULL)
    return FALSE;
  if (out_unix_seconds)
    *out_unix_seconds = g_date_time_to_unix (dt);
  return TRUE;
}

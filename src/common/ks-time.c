/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-time.c: "now" (with a test clock that tests move forward), and
 * timestamp formatting and parsing. */
#include "ks-time.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set once at start-up, before any thread runs, and never again. */
static char *test_clock_file;
/* Microseconds added to the real time in a test program (0: none); read and
 * written atomically, since the app's worker threads read the clock too. */
static gint64 test_offset_us;

static gint64
test_clock_now (void)
{
  g_autofree char *text = NULL;
  double offset = 0;

  if (g_file_get_contents (test_clock_file, &text, NULL, NULL))
    offset = g_ascii_strtod (text, NULL);
  if (!isfinite (offset))
    offset = 0;
  return (gint64) floor (g_get_real_time () / (double) G_USEC_PER_SEC + offset);
}

gint64
ks_time_now (void)
{
  gint64 offset_us = __atomic_load_n (&test_offset_us, __ATOMIC_RELAXED);

  if (G_UNLIKELY (test_clock_file != NULL))
    return test_clock_now ();
  if (G_UNLIKELY (offset_us != 0))
    return (g_get_real_time () + offset_us) / G_USEC_PER_SEC;
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
ks_time_set_test_offset (double seconds)
{
  g_return_if_fail (isfinite (seconds));
  __atomic_store_n (&test_offset_us, (gint64) (seconds * G_USEC_PER_SEC), __ATOMIC_RELAXED);
}

gboolean
ks_time_set_test_clock (const char  *file,
                        GError     **error)
{
  struct stat st;

  g_return_val_if_fail (test_clock_file == NULL, FALSE);
  if (lstat (file, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ()
      || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   "The test clock %s must be a regular file of this user that no one else "
                   "may write (chmod 600).", file);
      return FALSE;
    }
  test_clock_file = g_strdup (file);
  return TRUE;
}

static void
put2 (char *p, int v)
{
  p[0] = '0' + (v / 10) % 10;
  p[1] = '0' + v % 10;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard
 * Hinnant's days_from_civil inverse. Written out because gmtime_r takes a lock
 * in glibc, and list and sync answers format hundreds of thousands of dates. */
static void
civil_from_days (gint64 z, int *y, int *m, int *d)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

gsize
ks_time_format_iso (gint64 unix_seconds,
                    char   buf[KS_TIME_ISO_BUF_SIZE])
{
  gint64 days = unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
  gint64 secs = unix_seconds - days * 86400;
  int year, month, day;

  civil_from_days (days, &year, &month, &day);
  if (year < 0 || year > 9999)
    {
      g_strlcpy (buf, "1970-01-01T00:00:00Z", KS_TIME_ISO_BUF_SIZE);
      return 20;
    }
  buf[0] = '0' + (year / 1000) % 10;
  buf[1] = '0' + (year / 100) % 10;
  buf[2] = '0' + (year / 10) % 10;
  buf[3] = '0' + year % 10;
  buf[4] = '-';
  put2 (buf + 5, month);
  buf[7] = '-';
  put2 (buf + 8, day);
  buf[10] = 'T';
  put2 (buf + 11, (int) (secs / 3600));
  buf[13] = ':';
  put2 (buf + 14, (int) (secs / 60 % 60));
  buf[16] = ':';
  put2 (buf + 17, (int) (secs % 60));
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-params.c: checks of Open311 parameters (ids, W3C dates,
 * coordinates, text, addresses); each failed check answers 400 naming it. */
#define G_LOG_DOMAIN "ks-open311-params"

#include "open311/ks-open311-private.h"
#include "http/ks-form.h"
#include "ks-time.h"

#include <math.h>
#include <string.h>

/* Strips ".xml" or ".json" from a path parameter; NULL when it has neither. */
char *
ks_open311_strip_format (const char *segment)
{
  if (segment == NULL)
    return NULL;
  if (g_str_has_suffix (segment, ".xml"))
    return g_strndup (segment, strlen (segment) - 4);
  if (g_str_has_suffix (segment, ".json"))
    return g_strndup (segment, strlen (segment) - 5);
  return NULL;
}

gboolean
ks_open311_parse_id (const char *s,
                     gint64     *out)
{
  char *end = NULL;
  gint64 v;

  if (s == NULL || *s == '\0' || strlen (s) > 18)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  v = g_ascii_strtoll (s, &end, 10);
  if (end == NULL || *end != '\0' || v <= 0)
    return FALSE;
  *out = v;
  return TRUE;
}

/* A W3C date-time. A '+' of a time zone that arrived as a space (an unescaped
 * query string) is taken back. */
static gboolean
parse_w3c (const char *text,
           gint64     *out)
{
  g_autofree char *fixed = NULL;

  if (text == NULL)
    return FALSE;
  if (ks_time_parse_iso (text, out))
    return TRUE;
  fixed = g_strdup (text);
  g_strstrip (fixed);
  if (strlen (fixed) > 19)
    for (char *p = fixed + 19; *p; p++)
      if (*p == ' ')
        *p = '+';
  return ks_time_parse_iso (fixed, out);
}

/* A date parameter; sets 400 naming it when malformed. *out 0 when absent. */
gboolean
ks_open311_date_param (KsOpen311Ctx *c,
                       const char   *name,
                       gint64       *out)
{
  const char *v = ks_open311_field (c, name);

  *out = 0;
  if (v == NULL)
    return TRUE;
  if (!parse_w3c (v, out) || *out <= 0)
    {
      ks_open311_error (c, 400, "%s “%s” is not a W3C date and time: write it like "
                        "2026-11-22T09:30:00Z or 2026-11-22T09:30:00+00:00.", name, v);
      return FALSE;
    }
  return TRUE;
}

gboolean
ks_open311_parse_coordinate (const char *text,
                             double      limit,
                             double     *out)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0' || strlen (text) > 40)
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == NULL || end == text || *end != '\0' || !isfinite (v) || fabs (v) > limit)
    return FALSE;
  *out = v;
  return TRUE;
}

/* A text field no longer than max characters (400 naming it otherwise). */
/* v with CRLF and lone CR made LF, kept by the context; v itself when it has no CR. */
static const char *
lf_line_ends (KsOpen311Ctx *c,
              const char   *v)
{
  char *lf, *q;

  if (strchr (v, '\r') == NULL)
    return v;
  lf = q = g_strdup (v);
  for (const char *p = v; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          *q++ = '\n';
          if (p[1] == '\n')
            p++;
        }
      else
        *q++ = *p;
    }
  *q = '\0';
  if (c->owned == NULL)
    c->owned = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (c->owned, lf);
  return lf;
}

gboolean
ks_open311_text_field (KsOpen311Ctx *c,
                       const char   *name,
                       gsize         max,
                       const char  **out)
{
  const char *v = ks_open311_field (c, name);

  *out = NULL;
  if (v == NULL)
    return TRUE;
  v = lf_line_ends (c, v);
  if (g_utf8_strlen (v, -1) > (glong) max)
    {
      ks_open311_error (c, 400, "%s is too long: send at most %" G_GSIZE_FORMAT " characters.", name, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* One URL: http or https, not too long. */
static gboolean
check_url (KsOpen311Ctx *c,
           const char   *name,
           const char   *v)
{
  if (g_utf8_strlen (v, -1) > MAX_URL)
    {
      ks_open311_error (c, 400, "%s is too long: send at most %d characters.", name, MAX_URL);
      return FALSE;
    }
  if (!g_str_has_prefix (v, "https://") && !g_str_has_prefix (v, "http://"))
    {
      ks_open311_error (c, 400, "%s must be an http or https address.", name);
      return FALSE;
    }
  return TRUE;
}

gboolean
ks_open311_url_list (KsOpen311Ctx *c,
                     const char   *name,
                     GPtrArray   **out)
{
  g_autoptr(GPtrArray) urls = g_ptr_array_new ();
  g_autofree char *list_name = g_strconcat (name, "[]", NULL);

  *out = NULL;
  for (guint i = 0; c->form != NULL && i < ks_form_size (c->form); i++)
    {
      const char *key = ks_form_key (c->form, i);
      const char *v = ks_form_value (c->form, i);

      if ((strcmp (key, name) != 0 && strcmp (key, list_name) != 0) || *v == '\0')
        continue;
      if (!check_url (c, name, v))
        return FALSE;
      g_ptr_array_add (urls, (gpointer) v);
    }
  /* Or once in the query string. */
  if (urls->len == 0 && ks_request_query (c->req, name) != NULL &&
      *ks_request_query (c->req, name) != '\0')
    {
      const char *v = ks_request_query (c->req, name);
      if (!check_url (c, name, v))
        return FALSE;
      g_ptr_array_add (urls, (gpointer) v);
    }
  if (urls->len > MAX_MEDIA_URLS)
    {
      ks_open311_error (c, 400, "Too many %s values (%u): send at most %d.", name, urls->len,
                        MAX_MEDIA_URLS);
      return FALSE;
    }
  *out = g_steal_pointer (&urls);
  return TRUE;
}

gboolean
ks_open311_email_field (KsOpen311Ctx *c,
                        const char   *name,
                        const char  **out)
{
  const char *at;

  if (!ks_open311_text_field (c, name, MAX_EMAIL, out))
    return FALSE;
  if (*out != NULL &&
      ((at = strchr (*out, '@')) == NULL || at == *out || at[1] == '\0' ||
       strpbrk (*out, " \t\r\n<>,;") != NULL))
    {
      ks_open311_error (c, 400, "%s “%s” is not an email address.", name, *out);
      return FALSE;
    }
  return TRUE;
}

/* "First Last" from first_name and last_name; NULL when both are empty. */
char *
ks_open311_person_name (const char *first,
                        const char *last)
{
  g_autofree char *joined = g_strjoin (" ", first ? first : "", last ? last : "", NULL);
  g_strstrip (joined);
  return *joined ? g_steal_pointer (&joined) : NULL;
}

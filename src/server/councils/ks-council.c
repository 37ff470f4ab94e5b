/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-council.c: creating and editing a council (see ks-council.h). */
#define G_LOG_DOMAIN "ks-council"

#include "councils/ks-council.h"
#include "api/ks-api-actions-private.h"
#include "mail/ks-mailer.h"
#include "ks-error.h"
#include "ks-json-writer.h"
#include "ks-password-policy.h"

#include <string.h>

#define COUNCIL_NAME_MAX        100
#define COUNCIL_SLUG_MAX        40
#define COUNCIL_URL_MAX         200
#define MAX_DUPLICATE_RADIUS   5000    /* metres, as for a category */
#define MAX_RETENTION_DAYS     36500   /* a hundred years */
#define DEFAULT_DUPLICATE_RADIUS 50

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (KS_ERROR, KS_ERROR_INVALID, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
slug_ok (const char *slug)
{
  size_t n = strlen (slug);

  if (n == 0 || n > COUNCIL_SLUG_MAX || slug[0] == '-')
    return FALSE;
  for (size_t i = 0; i < n; i++)
    if (!(g_ascii_islower (slug[i]) || g_ascii_isdigit (slug[i]) || slug[i] == '-'))
      return FALSE;
  return TRUE;
}

static gboolean
range_ok (gint64      value,
          gint64      lo,
          gint64      hi,
          const char *what,
          GError    **error)
{
  if (value < 0 || (value >= lo && value <= hi))
    return TRUE;
  return invalid (error, "The %s must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".",
                  what, lo, hi);
}

gboolean
ks_council_check (const KsBodySettings *s,
                  gboolean              creating,
                  GError              **error)
{
  if (creating && (s->name == NULL || s->slug == NULL))
    return invalid (error, "A new council needs a name and a slug (the short name used in "
                    "addresses, e.g. “oxford”).");
  if (s->name != NULL &&
      (*s->name == '\0' || g_utf8_strlen (s->name, -1) > COUNCIL_NAME_MAX ||
       strpbrk (s->name, "\r\n\t") != NULL || !g_utf8_validate (s->name, -1, NULL)))
    return invalid (error, "The council's name must be one line of 1 to %d characters.",
                    COUNCIL_NAME_MAX);
  if (s->slug != NULL && !slug_ok (s->slug))
    return invalid (error, "The slug “%s” is not usable: use 1 to %d lower-case letters, "
                    "digits and hyphens, starting with a letter or digit (e.g. “oxford”).",
                    s->slug, COUNCIL_SLUG_MAX);
  if (s->email != NULL && *s->email != '\0' && !ks_mailer_address_is_valid (s->email))
    return invalid (error, "The contact address “%s” is not a valid email address.", s->email);
  if (s->public_url != NULL && *s->public_url != '\0' &&
      ((!g_str_has_prefix (s->public_url, "https://") &&
        !g_str_has_prefix (s->public_url, "http://")) ||
       strlen (s->public_url) > COUNCIL_URL_MAX || strpbrk (s->public_url, " \t\r\n") != NULL ||
       strlen (s->public_url) <= strlen ("https://")))
    return invalid (error, "The public URL “%s” is not usable: give an address starting "
                    "with https:// (at most %d characters).", s->public_url, COUNCIL_URL_MAX);
  return range_ok (s->password_min_length, KS_PASSWORD_MIN_LENGTH_FLOOR, 64,
                   "minimum password length", error) &&
         range_ok (s->duplicate_radius, 0, MAX_DUPLICATE_RADIUS,
                   "duplicate radius (metres)", error) &&
         range_ok (s->retention_reporter_days, 0, MAX_RETENTION_DAYS,
                   "retention of reporters' details (days)", error) &&
         range_ok (s->retention_audit_days, 0, MAX_RETENTION_DAYS,
                   "retention of the audit log (days)", error) &&
         range_ok (s->retention_staff_days, 0, MAX_RETENTION_DAYS,
                   "days before an unused staff account is deactivated", error) &&
         range_ok (s->max_photos, 1, KS_MAX_PHOTOS_LIMIT,
                   "number of photos per report and per update", error);
}

const char *
ks_council_field_at_fault (const KsBodySettings *s)
{
  static const KsBodySettings unchanged = KS_BODY_SETTINGS_UNCHANGED;
  KsBodySettings one;

#define CHECK(f) \
  one = unchanged; one.f = s->f; \
  if (!ks_council_check (&one, FALSE, NULL)) return #f;
  CHECK (name) CHECK (slug) CHECK (email) CHECK (public_url)
  CHECK (password_min_length) CHECK (duplicate_radius)
  CHECK (retention_reporter_days) CHECK (retention_audit_days) CHECK (retention_staff_days)
  CHECK (max_photos)
#undef CHECK
  return NULL;
}

void
ks_council_defaults (KsBodySettings *s)
{
  if (s->require_2fa < 0)
    s->require_2fa = 0;
  if (s->password_min_length < 0)
    s->password_min_length = 8;
  if (s->duplicate_radius < 0)
    s->duplicate_radius = DEFAULT_DUPLICATE_RADIUS;
  if (s->retention_reporter_days < 0)
    s->retention_reporter_days = 0;
  if (s->retention_audit_days < 0)
    s->retention_audit_days = 0;
  if (s->retention_staff_days < 0)
    s->retention_staff_days = 0;
}

/* The audit details: the settings given. */
static char *
details (const KsBodySettings *s,
         const char           *via)
{
  GString *out = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, out);
  ks_json_writer_begin_object (&w);
#define STR(f) if (s->f != NULL) ks_json_writer_member_string (&w, #f, s->f);
#define NUM(f) if (s->f >= 0) ks_json_writer_member_int (&w, #f, s->f);
  STR (name) STR (slug) STR (email) STR (public_url)
  if (s->require_2fa >= 0)
    ks_json_writer_member_bool (&w, "require_2fa", s->require_2fa != 0);
  NUM (password_min_length) NUM (duplicate_radius)
  NUM (retention_reporter_days) NUM (retention_audit_days)
  NUM (retention_staff_days) NUM (max_photos)
#undef STR
#undef NUM
  if (via != NULL)
    ks_json_writer_member_string (&w, "via", via);
  ks_json_writer_end_object (&w);
  return g_string_free (out, FALSE);
}

static gboolean
slug_free (KsStore    *store,
           const char *slug,
           gint64      except_id,
           GError    **error)
{
  g_auto(KsOpen311Body) other = { 0 };
  gboolean found = FALSE;

  if (!ks_store_open311_find_body (store, slug, &found, &other, error))
    return FALSE;
  if (found && other.id != except_id)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT,
                   "The slug “%s” belongs to council %" G_GINT64_FORMAT " (%s) already: "
                   "choose another.", slug, other.id, other.name);
      return FALSE;
    }
  return TRUE;
}

gboolean
ks_council_create (KsStore              *store,
                   const KsPrincipal    *who,
                   const char           *via,
                   const KsBodySettings *settings,
                   gint64               *out_id,
                   GError              **error)
{
  KsBodySettings s = *settings;
  g_autofree char *what = NULL;

  ks_council_defaults (&s);
  if (!ks_council_check (&s, TRUE, error) || !slug_free (store, s.slug, 0, error))
    return FALSE;
  what = details (&s, via);
  return ks_store_councils_create_body (store, &s, out_id, error) &&
         (settings->max_photos < 0 ||
          ks_store_photos_set_max_photos (store, *out_id, (guint) s.max_photos, error)) &&
         ks_store_admin_ensure_default_roles (store, *out_id, error) &&
         ks_store_audit (store, who, *out_id, "create_body", "body", *out_id, what, error);
}

gboolean
ks_council_edit (KsStore              *store,
                 const KsPrincipal    *who,
                 const char           *via,
                 gint64                body_id,
                 const KsBodySettings *s,
                 GError              **error)
{
  g_autofree char *what = NULL;

  if (!ks_council_check (s, FALSE, error) ||
      (s->slug != NULL && !slug_free (store, s->slug, body_id, error)))
    return FALSE;
  what = details (s, via);
  return ks_store_councils_edit_body (store, body_id, s, error) &&
         (s->max_photos < 0 ||
          ks_store_photos_set_max_photos (store, body_id, (guint) s->max_photos, error)) &&
         ks_store_audit (store, who, body_id, "update_body", "body", body_id, what, error);
}

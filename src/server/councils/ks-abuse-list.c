/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-abuse-list.c: normalising and checking against a council's abuse list
 * (ks-abuse-list.h). */
#define G_LOG_DOMAIN "ks-abuse-list"

#include "councils/ks-abuse-list.h"
#include "mail/ks-mailer.h"
#include "ks-error.h"
#include "ks-json-writer.h"

#include <string.h>

#define PHONE_DIGITS     10
#define PHONE_MIN_DIGITS 6
#define MAX_DOMAIN       253

/* The last 10 digits of a phone number, however it is written; NULL with fewer
 * than 6. */
static char *
phone_digits (const char *phone)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = phone; p != NULL && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len < PHONE_MIN_DIGITS)
    return NULL;
  if (digits->len > PHONE_DIGITS)
    g_string_erase (digits, 0, digits->len - PHONE_DIGITS);
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

static gboolean
domain_is_valid (const char *d)
{
  gsize n = strlen (d);

  if (n == 0 || n > MAX_DOMAIN || d[0] == '.' || d[0] == '-' || d[n - 1] == '.' ||
      strstr (d, "..") != NULL || strchr (d, '.') == NULL)
    return FALSE;
  for (const char *p = d; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

char *
ks_abuse_normalise (const char *kind,
                    const char *value,
                    GError    **error)
{
  g_autofree char *v = NULL;

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "Give the value to ban.");
      return NULL;
    }
  v = g_ascii_strdown (value, -1);
  g_strstrip (v);
  if (g_strcmp0 (kind, "email") == 0)
    {
      if (!ks_mailer_address_is_valid (v))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "“%s” is not an email address.", value);
          return NULL;
        }
      return g_steal_pointer (&v);
    }
  if (g_strcmp0 (kind, "domain") == 0)
    {
      const char *d = v[0] == '@' ? v + 1 : v;

      if (!domain_is_valid (d))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "“%s” is not an email domain: give it as example.com.", value);
          return NULL;
        }
      return g_strdup (d);
    }
  if (g_strcmp0 (kind, "phone") == 0)
    {
      char *digits = phone_digits (v);

      if (digits == NULL)
        g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                     "“%s” is not a phone number: it needs at least %d digits.", value,
                     PHONE_MIN_DIGITS);
      return digits;
    }
  g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
               "The kind “%s” is not one: use email, phone or domain.", kind ? kind : "");
  return NULL;
}

gboolean
ks_abuse_check (KsStore    *store,
                gint64      body_id,
                const char *email,
                const char *phone,
                char      **out_refusal,
                GError    **error)
{
  g_auto(KsAbuseEntry) entry = { 0 };
  g_autofree char *email_lower = NULL;
  g_autofree char *digits = NULL;
  const char *domain = NULL, *at;
  gboolean found = FALSE;

  *out_refusal = NULL;
  if (email != NULL && *email != '\0')
    {
      email_lower = g_ascii_strdown (email, -1);
      g_strstrip (email_lower);
      if ((at = strrchr (email_lower, '@')) != NULL)
        domain = at + 1;
    }
  if (phone != NULL && *phone != '\0')
    digits = phone_digits (phone);
  if (email_lower == NULL && digits == NULL)
    return TRUE;
  if (!ks_store_abuse_match (store, body_id, email_lower, domain, digits, &entry, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  *out_refusal = g_strdup_printf ("The council does not accept reports from this %s. If you "
                                  "think this is a mistake, contact the council directly.",
                                  g_strcmp0 (entry.kind, "phone") == 0 ? "phone number" :
                                  g_strcmp0 (entry.kind, "domain") == 0 ? "email domain"
                                                                         : "email address");
  return TRUE;
}

char *
ks_abuse_audit_details (const KsAbuseEntry *entry,
                        const char         *via)
{
  GString *out = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, out);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "kind", entry->kind);
  if (g_strcmp0 (entry->kind, "domain") == 0)
    ks_json_writer_member_string (&w, "value", entry->value);
  else
    {
      g_autofree char *hash = ks_privacy_address_hash (entry->value);
      ks_json_writer_member_string (&w, "value_sha256", hash);
    }
  if (entry->reason != NULL && *entry->reason != '\0')
    ks_json_writer_member_string (&w, "reason", entry->reason);
  if (via != NULL)
    ks_json_writer_member_string (&w, "via", via);
  ks_json_writer_end_object (&w);
  return g_string_free (out, FALSE);
}

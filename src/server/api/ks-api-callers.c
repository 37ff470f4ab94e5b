/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-callers.c: finding a caller's reports (Customer Services on the
 * phone): GET /api/v1/caller-reports?by=email|phone|name|reference&q= gives the
 * council's reports whose reporter has that email, that phone number (its last
 * 10 digits, however it is written) or a name holding the text, or that have
 * that external reference; newest first, with the reporter's personal data.
 *
 * Who: staff of the report's council who take residents' details, i.e. who may
 * create reports on another's behalf (Customer Services, Inspectors,
 * Administrators). Every search is audited as a view of personal data (the field
 * searched and the reports found; not the text searched, itself personal data). */
#define G_LOG_DOMAIN "ks-api-callers"

#include "api/ks-api.h"
#include "api/ks-wire-report.h"

#include <string.h>

#define CALLERS_DEFAULT_LIMIT 50
#define CALLERS_MAX_LIMIT     100
#define TERM_MAX_LENGTH       200
#define PHONE_MIN_DIGITS      6
#define PHONE_DIGITS          10

static const char * const field_names[] = {
  [KS_CALLER_EMAIL] = "email",
  [KS_CALLER_PHONE] = "phone",
  [KS_CALLER_NAME] = "name",
  [KS_CALLER_REFERENCE] = "reference",
};

static gboolean
looks_like_phone (const char *s)
{
  guint digits = 0;

  for (; *s; s++)
    {
      if (g_ascii_isdigit (*s))
        digits++;
      else if (!strchr (" +-().", *s))
        return FALSE;
    }
  return digits >= PHONE_MIN_DIGITS;
}

/* by=, or what q looks like when by is absent: an email, a phone number or a name. */
static gboolean
read_field (KsRequest *req, const char *q, KsCallerField *out)
{
  const char *by = ks_request_query (req, "by");

  if (by == NULL || *by == '\0')
    {
      *out = strchr (q, '@') ? KS_CALLER_EMAIL : looks_like_phone (q) ? KS_CALLER_PHONE
                                                                     : KS_CALLER_NAME;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (strcmp (by, field_names[i]) == 0)
      {
        *out = (KsCallerField) i;
        return TRUE;
      }
  ks_request_error (req, 422, "invalid",
                    "The parameter “by” must be email, phone, name or reference.");
  return FALSE;
}

/* The term the store compares: the last 10 digits of a phone, a name in lower
 * case, the rest as typed (trimmed). NULL with a 422 answer when unusable. */
static char *
read_term (KsRequest *req, KsCallerField by, const char *q)
{
  g_autofree char *t = g_strstrip (g_strdup (q));
  GString *digits;

  switch (by)
    {
    case KS_CALLER_PHONE:
      digits = g_string_new (NULL);
      for (const char *p = t; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      if (digits->len < PHONE_MIN_DIGITS)
        {
          g_string_free (digits, TRUE);
          ks_request_error (req, 422, "invalid",
                            "A phone number needs at least %d digits.", PHONE_MIN_DIGITS);
          return NULL;
        }
      if (digits->len > PHONE_DIGITS)
        g_string_erase (digits, 0, digits->len - PHONE_DIGITS);
      return g_string_free (digits, FALSE);
    case KS_CALLER_NAME:
      if (g_utf8_strlen (t, -1) < 2)
        {
          ks_request_error (req, 422, "invalid",
                            "Give at least 2 letters of the caller's name.");
          return NULL;
        }
      return g_utf8_strdown (t, -1);
    case KS_CALLER_EMAIL:
    case KS_CALLER_REFERENCE:
    default:
      if (*t == '\0')
        {
          ks_request_error (req, 422, "invalid", "The parameter “q” must not be empty.");
          return NULL;
        }
      return g_steal_pointer (&t);
    }
}

typedef struct {
  KsJsonWriter *w;
  GString      *ids;     /* for the audit */
  guint         limit;
  gint64        last_id;
  guint         n;
  gboolean      more;    /* the store gave one row more than the page */
} Found;

static void
write_found (const KsReportRow *row, guint index, gpointer data)
{
  Found *f = data;
  KsJsonWriter *w = f->w;

  if (f->n == f->limit)
    {
      f->more = TRUE;
      return;
    }
  ks_json_writer_begin_object (w);
  ks_wire_report_list_members (w, row);
  ks_json_writer_member_string (w, "address", row->address);
  ks_json_writer_key (w, "reporter");
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "name", row->reporter_name);
  ks_json_writer_member_string (w, "email", row->reporter_email);
  ks_json_writer_member_string (w, "phone", row->reporter_phone);
  ks_json_writer_end_object (w);
  ks_json_writer_end_object (w);
  g_string_append_printf (f->ids, "%s%" G_GINT64_FORMAT, f->n > 0 ? "," : "", row->id);
  f->last_id = row->id;
  f->n++;
}

/* GET /api/v1/caller-reports?q=&by=&limit=&cursor= */
static void
handle_caller_reports (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *term = NULL, *details = NULL;
  const char *q = ks_request_query (req, "q");
  KsCallerField by = KS_CALLER_NAME;
  gint64 limit = 0, before = 0;
  KsJsonWriter w;
  Found found = { &w, ids, 0, 0, 0, FALSE };

  if (req->principal.body_id == 0)
    {
      ks_request_error (req, 403, "forbidden",
                        "Only staff of a council see its reporters' personal data: sign in "
                        "with your council account to find a caller's reports.");
      return;
    }
  if (!ks_request_query_int (req, "limit", 1, CALLERS_MAX_LIMIT, CALLERS_DEFAULT_LIMIT, &limit) ||
      !ks_request_query_int (req, "cursor", 1, G_MAXINT64, 0, &before))
    return;
  if (q == NULL || g_utf8_strlen (q, -1) > TERM_MAX_LENGTH)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “q” is required: the caller's email, phone number or "
                        "name, or the report's reference (at most %d characters).",
                        TERM_MAX_LENGTH);
      return;
    }
  if (!read_field (req, q, &by) || (term = read_term (req, by, q)) == NULL)
    return;
  found.limit = (guint) limit;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "by", field_names[by]);
  ks_json_writer_key (&w, "reports");
  ks_json_writer_begin_array (&w);
  if (!ks_store_caller_reports (req->store, req->principal.body_id, by, term, before,
                                (guint) limit + 1, write_found, &found, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_end_array (&w);
  if (found.more)
    {
      g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, found.last_id);

      ks_json_writer_member_string (&w, "next_cursor", cursor);
    }
  else
    ks_json_writer_member_null (&w, "next_cursor");
  ks_json_writer_end_object (&w);

  details = g_strdup_printf ("{\"search\":\"%s\",\"count\":%u,\"reports\":[%s]}",
                             field_names[by], found.n, ids->str);
  ks_request_audit (req, req->principal.body_id, "view_personal_data", "report", 0, details);
}

void
ks_api_callers_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/caller-reports", 0, KS_PERM_CREATE_REPORT_ON_BEHALF,
                 handle_caller_reports);
}

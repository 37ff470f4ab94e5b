/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-privacy.c: data protection: anonymise a report, everything held about one
 * person (right of access), terminate a person's data, the research export and
 * aggregate (small counts suppressed), and the email opt-out link.
 *
 * Staff act on their own council's data only; platform operators on every
 * council's. Every call that changes data or reveals personal data is audited;
 * audit entries name a person by the SHA-256 of their address, never the address. */
#define G_LOG_DOMAIN "ks-api-privacy"

#include "api/ks-api.h"
#include "http/ks-router.h"
#include "api/ks-api-util.h"
#include "api/ks-api-actions-private.h"
#include "api/ks-wire-privacy.h"
#include "api/ks-csv.h"
#include "http/ks-idempotency.h"
#include "mail/ks-mailer.h"
#include "store/ks-store-admin.h"
#include "ks-time.h"
#include "auth/ks-token.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define MAX_TOKEN_LENGTH  128

/* The council the caller acts on: their own; 0 (every council) for platform
 * operators. */
static gint64
caller_scope (KsRequest *req)
{
  return req->principal.is_superuser ? 0 : req->principal.body_id;
}

static gboolean
read_reason (KsRequest   *req,
             JsonObject  *obj,
             const char **out)
{
  if (!ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, out))
    return FALSE;
  if (ks_api_is_blank (*out))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “reason” must not be empty. Say why the personal data is "
                        "removed (for example “the resident asked us to”).");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_email (KsRequest  *req,
             const char *where,
             const char *email)
{
  if (email == NULL || ks_api_is_blank (email))
    {
      ks_request_error (req, 422, "invalid",
                        "The %s “email” is required: give the person's email address.", where);
      return FALSE;
    }
  if (strlen (email) > MAX_EMAIL_LENGTH || !ks_mailer_address_is_valid (email))
    {
      ks_request_error (req, 422, "invalid",
                        "The %s “email” must be an email address such as name@example.org.",
                        where);
      return FALSE;
    }
  return TRUE;
}

/* The person's staff account when the caller may act on it (their own council's,
 * or any for platform operators); 0 otherwise. */
static gboolean
account_in_scope (KsRequest  *req,
                  const char *email,
                  gint64     *out_id)
{
  g_autoptr(GError) error = NULL;
  KsPrivacyAccount account = { 0 };

  *out_id = 0;
  if (!ks_store_privacy_find_account (req->store, email, &account, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  if (account.id == 0)
    return TRUE;
  if (req->principal.is_superuser ||
      (account.body_id != 0 && account.body_id == req->principal.body_id))
    *out_id = account.id;
  return TRUE;
}

/* ---- erasing every copy ----
 *
 * Anonymise and terminate hold their own transaction (KS_ROUTE_NO_TXN): what
 * lives outside the database goes only once the erasure is committed. That is
 * the outbox files of the emails to the person (written and not yet delivered,
 * or delivered and moved to sent/), and the old versions of the changed pages in
 * the write-ahead log. */

static gboolean
erasure_begin (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return ks_idempotency_begin (req);
}

static void
erasure_finish (KsRequest *req, GPtrArray *files)
{
  g_autoptr(GError) error = NULL;

  if (req->status < 200 || req->status >= 300 || !ks_request_check_fields (req))
    {
      ks_store_rollback (req->store);
      return;
    }
  if (!ks_idempotency_finish (req, &error) || !ks_store_commit (req->store, &error))
    {
      ks_store_rollback (req->store);
      ks_request_gerror (req, error);
      return;
    }
  for (guint i = 0; i < files->len; i++)
    ks_mailer_remove_file (req->config->outbox_dir, g_ptr_array_index (files, i));
  if (!ks_store_privacy_purge_old_copies (req->store, &error))
    g_warning ("After an erasure: %s", error->message);
}

/* ---- POST /api/v1/reports/{id}/anonymise ---- */

static void
anonymise (KsRequest *req, GPtrArray *files)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsPrivacyCounts counts = { .email_files = files };
  KsJsonWriter w;
  JsonObject *obj;
  const char *reason = NULL;
  gint64 id, version = 0;
  gboolean changed = FALSE;

  if (!ks_request_param_id (req, "id", &id) || !ks_api_load_report (req, id, &report))
    return;
  if ((obj = ks_request_json_object (req)) == NULL ||
      !read_reason (req, obj, &reason) ||
      !ks_request_get_int (req, obj, "version", TRUE, 1, G_MAXINT64, &version))
    return;
  if (version != report.version)
    {
      g_autofree char *message =
        g_strdup_printf ("Someone changed this report while you were looking at it (you had "
                         "version %" G_GINT64_FORMAT ", it is now at version %" G_GINT64_FORMAT
                         "). Check the report as it is now and try again.",
                         version, report.version);

      ks_action_begin_conflict (req, &w, message);
      if (!ks_action_write_detail (req, &w, "current", report.id))
        return;
      ks_json_writer_end_object (&w);
      return;
    }

  if (!ks_store_privacy_anonymise_report (req->store, report.id, req->principal.user_id,
                                          reason, &changed, &counts, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (changed)
    {
      ks_json_writer_init (&w, details);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "updates", counts.updates);
      ks_json_writer_member_int (&w, "emails", counts.emails);
      ks_json_writer_member_int (&w, "answers", counts.answers);
      ks_json_writer_end_object (&w);
      if (!ks_request_audit (req, report.body_id, "anonymise", "report", report.id,
                             details->str))
        return;
    }

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  if (!ks_action_write_detail (req, &w, "report", report.id))
    return;
  ks_json_writer_member_bool (&w, "changed", changed);
  ks_json_writer_end_object (&w);
}

static void
handle_anonymise (KsRequest *req)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  if (!erasure_begin (req))
    return;
  anonymise (req, files);
  erasure_finish (req, files);
}

/* ---- GET /api/v1/people/export?email= ---- */

static void
handle_person_export (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *hash = NULL;
  const char *email = ks_request_query (req, "email");
  KsPrivacyCounts found = { 0 };
  KsJsonWriter w;
  gint64 account_id = 0;

  if (!check_email (req, "parameter", email) ||
      !account_in_scope (req, email, &account_id))
    return;

  ks_request_begin_json (req, 200, &w);
  if (!ks_wire_privacy_write_person (req->store, email, caller_scope (req), account_id, &w,
                                     &found, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  hash = ks_privacy_address_hash (email);
  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "email_sha256", hash);
  ks_json_writer_member_int (&w, "reports", found.reports);
  ks_json_writer_member_int (&w, "updates", found.updates);
  ks_json_writer_member_int (&w, "emails", found.emails);
  ks_json_writer_member_bool (&w, "staff_account", account_id != 0);
  ks_json_writer_end_object (&w);
  ks_request_audit (req, caller_scope (req), "personal_data_export",
                    account_id ? "user" : "person", account_id, details->str);
}

/* ---- POST /api/v1/people/terminate ---- */

static void
terminate (KsRequest *req, GPtrArray *files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *hash = NULL;
  KsPrivacyTermination t = { .anonymised.email_files = files };
  KsJsonWriter w;
  JsonObject *obj;
  const char *email = NULL, *reason = NULL;
  gint64 account_id = 0;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "email", TRUE, MAX_EMAIL_LENGTH + 1, &email) ||
      !check_email (req, "field", email) ||
      !read_reason (req, obj, &reason) ||
      !account_in_scope (req, email, &account_id))
    return;
  if ((req->principal.email != NULL && g_ascii_strcasecmp (email, req->principal.email) == 0) ||
      (account_id != 0 && account_id == req->principal.user_id))
    {
      ks_request_error (req, 422, "invalid",
                        "You cannot terminate your own account. Ask another administrator "
                        "to do it.");
      return;
    }

  if (!ks_store_privacy_terminate_person (req->store, email, caller_scope (req), account_id,
                                          req->principal.user_id, reason, &t, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  hash = ks_privacy_address_hash (email);
  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "email_sha256", hash);
  ks_json_writer_member_int (&w, "reports", t.anonymised.reports);
  ks_json_writer_member_int (&w, "updates", t.anonymised.updates);
  ks_json_writer_member_int (&w, "emails", t.anonymised.emails);
  ks_json_writer_member_bool (&w, "account_removed", t.account_removed);
  ks_json_writer_member_int (&w, "answers", t.anonymised.answers);
  ks_json_writer_end_object (&w);
  if (!ks_request_audit (req, caller_scope (req), "terminate_person",
                         account_id ? "user" : "person", account_id, details->str))
    return;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "reports_anonymised", t.anonymised.reports);
  ks_json_writer_member_int (&w, "updates_anonymised", t.anonymised.updates);
  ks_json_writer_member_int (&w, "emails_anonymised", t.anonymised.emails);
  ks_json_writer_member_bool (&w, "account_removed", t.account_removed);
  ks_json_writer_key (&w, "staff_id");
  if (t.account_removed)
    ks_json_writer_int (&w, account_id);
  else
    ks_json_writer_null (&w);
  ks_json_writer_member_int (&w, "staff_updates", t.staff_updates);
  ks_json_writer_member_int (&w, "shortlist_released", t.shortlist_released);
  ks_json_writer_member_int (&w, "sessions_ended", t.sessions);
  ks_json_writer_end_object (&w);
}

static void
handle_terminate (KsRequest *req)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  if (!erasure_begin (req))
    return;
  terminate (req, files);
  erasure_finish (req, files);
}

/* ---- GET /api/v1/research/export ---- */

/* No report id: it would link each row back to the public report (with its
 * exact place and its text). */
static const char *const research_columns[] = {
  "category", "group", "state", "priority", "ward", "created", "confirmed", "fixed",
  "lat", "lon", "has_photo", "source",
};

typedef struct {
  GString  *out;
  gboolean  csv;
  gint64    rows;
} ResearchWriter;

static void
append_int (GString *out, gint64 v)
{
  char buf[24];
  int i = sizeof buf;
  guint64 u = v < 0 ? -(guint64) v : (guint64) v;

  do
    {
      buf[--i] = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);
  if (v < 0)
    buf[--i] = '-';
  g_string_append_len (out, buf + i, sizeof buf - i);
}

/* "YYYY-MM-DD" (UTC) of a Unix time, without the C library's time functions. */
static void
append_day (GString *out, gint64 t)
{
  gint64 days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  gint64 d = doy - (153 * mp + 2) / 5 + 1;
  gint64 m = mp < 10 ? mp + 3 : mp - 9;
  gint64 y = yoe + era * 400 + (m <= 2);
  char buf[16];

  if (y < 0 || y > 9999)
    {
      g_string_append (out, "0000-00-00");
      return;
    }
  buf[0] = (char) ('0' + y / 1000);
  buf[1] = (char) ('0' + y / 100 % 10);
  buf[2] = (char) ('0' + y / 10 % 10);
  buf[3] = (char) ('0' + y % 10);
  buf[4] = '-';
  buf[5] = (char) ('0' + m / 10);
  buf[6] = (char) ('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char) ('0' + d / 10);
  buf[9] = (char) ('0' + d % 10);
  g_string_append_len (out, buf, 10);
}

/* A coordinate rounded to 3 decimals (about 100 m of latitude): the decimal
 * nearest to the stored value, as printf rounds it (-1.2885 is stored as
 * -1.28849999..., so it is -1.288, though -1.2885 * 1000 gives -1288.5). */
static void
append_coord (GString *out, double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.3f", x);
  g_string_append (out, strcmp (buf, "-0.000") == 0 ? "0.000" : buf);
}

static void
append_json_text (GString *out, const char *s)
{
  if (s == NULL)
    g_string_append (out, "null");
  else
    ks_json_escape_append (out, s, -1);
}

static void
write_research_row (const KsResearchRow *row,
                    gpointer             user_data)
{
  ResearchWriter *rw = user_data;
  GString *out = rw->out;
  void (*text) (GString *, const char *) = rw->csv ? ks_csv_append_text : append_json_text;
  const char *none = rw->csv ? "" : "null";

  if (!rw->csv)
    g_string_append (out, rw->rows == 0 ? "\n[" : ",\n[");
  text (out, row->category);
  g_string_append_c (out, ',');
  text (out, row->group ? row->group : "");
  g_string_append_c (out, ',');
  text (out, row->state);
  g_string_append_c (out, ',');
  if (row->priority != NULL)
    text (out, row->priority);
  else
    g_string_append (out, none);
  g_string_append_c (out, ',');
  text (out, row->ward ? row->ward : "");
  g_string_append_c (out, ',');
  /* Dates of day precision: a report's time of day is not research data. */
  {
    const gint64 times[3] = { row->created, row->confirmed, row->fixed };
    for (guint i = 0; i < 3; i++)
      {
        if (times[i] <= 0)
          g_string_append (out, none);
        else
          {
            if (!rw->csv)
              g_string_append_c (out, '"');
            append_day (out, times[i]);
            if (!rw->csv)
              g_string_append_c (out, '"');
          }
        g_string_append_c (out, ',');
      }
  }
  append_coord (out, row->lat);
  g_string_append_c (out, ',');
  append_coord (out, row->lon);
  g_string_append_c (out, ',');
  g_string_append (out, row->has_photo ? "true" : "false");
  g_string_append_c (out, ',');
  text (out, row->source);
  g_string_append (out, rw->csv ? "\r\n" : "]");
  rw->rows++;
}

static void
handle_research_export (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  const char *format = ks_request_query (req, "format");
  ResearchWriter rw = { 0 };
  KsJsonWriter w;
  gint64 body_id = 0, from = 0, to = 0;
  char iso[KS_TIME_ISO_BUF_SIZE];

  if (format == NULL)
    format = "json";
  if (strcmp (format, "json") != 0 && strcmp (format, "csv") != 0)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “format” must be json or csv.");
      return;
    }
  if (!ks_api_request_body (req, FALSE, &body_id) || !ks_api_query_range (req, &from, &to))
    return;

  g_string_truncate (req->response, 0);
  rw.out = req->response;
  rw.csv = strcmp (format, "csv") == 0;
  if (rw.csv)
    {
      for (guint i = 0; i < G_N_ELEMENTS (research_columns); i++)
        {
          if (i > 0)
            g_string_append_c (rw.out, ',');
          g_string_append (rw.out, research_columns[i]);
        }
      g_string_append (rw.out, "\r\n");
    }
  else
    {
      g_string_append (rw.out, "{\"body_id\": ");
      if (body_id != 0)
        append_int (rw.out, body_id);
      else
        g_string_append (rw.out, "null");
      ks_time_format_iso (ks_time_now (), iso);
      g_string_append_printf (rw.out, ", \"generated\": \"%s\", \"from\": ", iso);
      if (from > 0)
        {
          ks_time_format_iso (from, iso);
          g_string_append_printf (rw.out, "\"%s\"", iso);
        }
      else
        g_string_append (rw.out, "null");
      g_string_append (rw.out, ", \"to\": ");
      if (to > 0)
        {
          ks_time_format_iso (to, iso);
          g_string_append_printf (rw.out, "\"%s\"", iso);
        }
      else
        g_string_append (rw.out, "null");
      g_string_append (rw.out, ", \"columns\": [");
      for (guint i = 0; i < G_N_ELEMENTS (research_columns); i++)
        g_string_append_printf (rw.out, "%s\"%s\"", i > 0 ? ", " : "", research_columns[i]);
      g_string_append (rw.out, "], \"rows\": [");
    }

  if (!ks_store_privacy_foreach_research_row (req->store, body_id, from, to,
                                              write_research_row, &rw, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!rw.csv)
    {
      g_string_append (rw.out, "],\n\"count\": ");
      append_int (rw.out, rw.rows);
      g_string_append (rw.out, "}\n");
    }

  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "format", format);
  ks_json_writer_member_int (&w, "rows", rw.rows);
  ks_json_writer_member_timestamp (&w, "from", from);
  ks_json_writer_member_timestamp (&w, "to", to);
  ks_json_writer_end_object (&w);
  if (!ks_request_audit (req, body_id, "research_export", "body", body_id, details->str))
    return;

  req->status = 200;
  g_clear_pointer (&req->response_type, g_free);
  if (rw.csv)
    {
      req->response_type = g_strdup ("text/csv; charset=utf-8");
      ks_request_add_header (req, "Content-Disposition",
                             "attachment; filename=\"research.csv\"");
    }
}

/* ---- GET /api/v1/research/aggregate ---- */

/* Counts of fewer than this many reports are not given: "<5" instead. */
#define KS_RESEARCH_MIN_COUNT 5
#define KS_RESEARCH_MAX_BY    3

static const char *const aggregate_keys[] = {
  "category", "group", "state", "priority", "ward", "month", "source", "area", NULL
};

typedef struct {
  guint       by[KS_RESEARCH_MAX_BY];  /* indexes into aggregate_keys */
  guint       n_by;
  GHashTable *cells;                   /* "v1\x1fv2..." -> count (gsize) */
} Aggregate;

static void
append_aggregate_value (GString *key, guint which, const KsResearchRow *row)
{
  switch (which)
    {
    case 0: g_string_append (key, row->category ? row->category : ""); break;
    case 1: g_string_append (key, row->group ? row->group : ""); break;
    case 2: g_string_append (key, row->state ? row->state : ""); break;
    case 3: g_string_append (key, row->priority ? row->priority : ""); break;
    case 4: g_string_append (key, row->ward ? row->ward : ""); break;
    case 5:
      {
        GString *day = g_string_new (NULL);
        append_day (day, row->created);
        g_string_append_len (key, day->str, 7);    /* YYYY-MM */
        g_string_free (day, TRUE);
      }
      break;
    case 6: g_string_append (key, row->source ? row->source : ""); break;
    default:
      /* About 1 km: two decimals of each coordinate. */
      {
        char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append_printf (key, "%s,%s", g_ascii_formatd (lat, sizeof lat, "%.2f", row->lat),
                                g_ascii_formatd (lon, sizeof lon, "%.2f", row->lon));
      }
      break;
    }
}

static void
count_research_row (const KsResearchRow *row,
                    gpointer             user_data)
{
  Aggregate *agg = user_data;
  GString *key = g_string_new (NULL);
  gpointer old;

  for (guint i = 0; i < agg->n_by; i++)
    {
      if (i > 0)
        g_string_append_c (key, '\x1f');
      append_aggregate_value (key, agg->by[i], row);
    }
  old = g_hash_table_lookup (agg->cells, key->str);
  g_hash_table_replace (agg->cells, g_string_free (key, FALSE),
                        GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + 1));
}

typedef struct {
  char  *key;
  gsize  count;
} AggregateCell;

static int
compare_cells (gconstpointer a, gconstpointer b)
{
  const AggregateCell *x = a, *y = b;
  gboolean xs = x->count < KS_RESEARCH_MIN_COUNT, ys = y->count < KS_RESEARCH_MIN_COUNT;

  /* Largest first; the suppressed ones last, in key order (their order must not
   * tell their sizes apart). */
  if (xs != ys)
    return xs ? 1 : -1;
  if (!xs && x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->key, y->key);
}

static gboolean
parse_by (KsRequest *req, Aggregate *agg)
{
  const char *by = ks_request_query (req, "by");
  g_auto(GStrv) parts = NULL;

  if (by == NULL)
    by = "category";
  parts = g_strsplit (by, ",", -1);
  agg->n_by = 0;
  for (guint i = 0; parts[i]; i++)
    {
      const char *name = g_strstrip (parts[i]);
      guint which = 0;

      while (aggregate_keys[which] && strcmp (aggregate_keys[which], name) != 0)
        which++;
      if (aggregate_keys[which] == NULL || agg->n_by == KS_RESEARCH_MAX_BY)
        goto bad;
      for (guint j = 0; j < agg->n_by; j++)
        if (agg->by[j] == which)
          goto bad;
      agg->by[agg->n_by++] = which;
    }
  if (agg->n_by > 0)
    return TRUE;

bad:
  ks_request_error (req, 422, "invalid",
                    "The parameter “by” must be one to three different names, comma-separated, "
                    "of: category, group, state, priority, ward, month, source, area.");
  return FALSE;
}

static void
handle_research_aggregate (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (AggregateCell));
  const char *format = ks_request_query (req, "format");
  Aggregate agg = { 0 };
  GHashTableIter it;
  gpointer k, v;
  GString *out = req->response;
  KsJsonWriter w;
  gint64 body_id = 0, from = 0, to = 0, suppressed = 0;
  gboolean csv;

  if (format == NULL)
    format = "json";
  if (strcmp (format, "json") != 0 && strcmp (format, "csv") != 0)
    {
      ks_request_error (req, 422, "invalid", "The parameter “format” must be json or csv.");
      return;
    }
  csv = strcmp (format, "csv") == 0;
  if (!parse_by (req, &agg) || !ks_api_request_body (req, FALSE, &body_id) ||
      !ks_api_query_range (req, &from, &to))
    return;

  agg.cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!ks_store_privacy_foreach_research_row (req->store, body_id, from, to,
                                              count_research_row, &agg, &error))
    {
      g_hash_table_destroy (agg.cells);
      ks_request_gerror (req, error);
      return;
    }
  g_hash_table_iter_init (&it, agg.cells);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      AggregateCell c = { k, GPOINTER_TO_SIZE (v) };
      g_array_append_val (cells, c);
      if (c.count < KS_RESEARCH_MIN_COUNT)
        suppressed++;
    }
  g_array_sort (cells, compare_cells);

  g_string_truncate (out, 0);
  if (csv)
    {
      for (guint i = 0; i < agg.n_by; i++)
        g_string_append_printf (out, "%s,", aggregate_keys[agg.by[i]]);
      g_string_append (out, "count\r\n");
    }
  else
    {
      ks_json_writer_init (&w, out);
      ks_json_writer_begin_object (&w);
      ks_json_writer_key (&w, "body_id");
      if (body_id != 0)
        ks_json_writer_int (&w, body_id);
      else
        ks_json_writer_null (&w);
      ks_json_writer_member_timestamp (&w, "generated", ks_time_now ());
      ks_json_writer_member_timestamp (&w, "from", from);
      ks_json_writer_member_timestamp (&w, "to", to);
      ks_json_writer_key (&w, "by");
      ks_json_writer_begin_array (&w);
      for (guint i = 0; i < agg.n_by; i++)
        ks_json_writer_string (&w, aggregate_keys[agg.by[i]]);
      ks_json_writer_end_array (&w);
      ks_json_writer_member_int (&w, "min_count", KS_RESEARCH_MIN_COUNT);
      ks_json_writer_key (&w, "rows");
      ks_json_writer_begin_array (&w);
    }
  for (guint i = 0; i < cells->len; i++)
    {
      AggregateCell *c = &g_array_index (cells, AggregateCell, i);
      g_auto(GStrv) values = g_strsplit (c->key, "\x1f", KS_RESEARCH_MAX_BY);
      gboolean small = c->count < KS_RESEARCH_MIN_COUNT;

      if (!csv)
        ks_json_writer_begin_object (&w);
      for (guint j = 0; j < agg.n_by && values[j]; j++)
        {
          const char *value = values[j];

          if (csv)
            {
              ks_csv_append_text (out, value);
              g_string_append_c (out, ',');
            }
          else if (*value == '\0')
            ks_json_writer_member_null (&w, aggregate_keys[agg.by[j]]);
          else
            ks_json_writer_member_string (&w, aggregate_keys[agg.by[j]], value);
        }
      if (csv)
        {
          if (small)
            g_string_append (out, "<" G_STRINGIFY (KS_RESEARCH_MIN_COUNT));
          else
            append_int (out, (gint64) c->count);
          g_string_append (out, "\r\n");
        }
      else
        {
          if (small)
            ks_json_writer_member_string (&w, "count", "<" G_STRINGIFY (KS_RESEARCH_MIN_COUNT));
          else
            ks_json_writer_member_int (&w, "count", (gint64) c->count);
          ks_json_writer_end_object (&w);
        }
    }
  if (!csv)
    {
      ks_json_writer_end_array (&w);
      ks_json_writer_member_int (&w, "suppressed", suppressed);
      ks_json_writer_end_object (&w);
    }
  g_hash_table_destroy (agg.cells);

  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "format", format);
  ks_json_writer_key (&w, "by");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < agg.n_by; i++)
    ks_json_writer_string (&w, aggregate_keys[agg.by[i]]);
  ks_json_writer_end_array (&w);
  ks_json_writer_member_int (&w, "rows", cells->len);
  ks_json_writer_member_timestamp (&w, "from", from);
  ks_json_writer_member_timestamp (&w, "to", to);
  ks_json_writer_end_object (&w);
  if (!ks_request_audit (req, body_id, "research_aggregate", "body", body_id, details->str))
    return;

  req->status = 200;
  g_clear_pointer (&req->response_type, g_free);
  if (csv)
    {
      req->response_type = g_strdup ("text/csv; charset=utf-8");
      ks_request_add_header (req, "Content-Disposition",
                             "attachment; filename=\"research-aggregate.csv\"");
    }
}

/* ---- GET (or POST) /api/v1/unsubscribe?token= ---- */

static void
handle_unsubscribe (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *token = ks_request_query (req, "token");
  gboolean own_txn = strcmp (req->method, "GET") == 0;
  gboolean found = FALSE;
  KsJsonWriter w;

  if (token == NULL || ks_api_is_blank (token))
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “token” is required: open the whole link from the "
                        "email.");
      return;
    }
  if (strlen (token) > MAX_TOKEN_LENGTH)
    goto unknown;

  hash = ks_token_hash (token);
  if (own_txn && !ks_store_begin_write (req->store, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_store_privacy_optout_by_token (req->store, hash, &found, &error))
    goto fail;
  if (!found)
    {
      if (own_txn)
        ks_store_rollback (req->store);
      goto unknown;
    }
  if (!ks_store_audit (req->store, &req->principal, 0, "email_optout", NULL, 0, NULL, &error))
    goto fail;
  if (own_txn && !ks_store_commit (req->store, &error))
    goto fail;

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_bool (&w, "unsubscribed", TRUE);
  ks_json_writer_member_string (&w, "message",
                                "You will get no more emails about your reports. Emails that "
                                "you ask for to sign in to an account still come.");
  ks_json_writer_end_object (&w);
  return;

fail:
  if (own_txn)
    ks_store_rollback (req->store);
  ks_request_gerror (req, error);
  return;

unknown:
  ks_request_error (req, 404, "not_found",
                    "This unsubscribe link is not valid. Open the whole link from the email, "
                    "or reply to the email with “unsubscribe”.");
}

void
ks_api_privacy_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports/{id}/anonymise", KS_ROUTE_NO_TXN,
                 KS_PERM_MODERATE_REPORT, handle_anonymise);
  ks_router_add (router, "GET", "/api/v1/people/export", 0,
                 KS_PERM_MANAGE_STAFF, handle_person_export);
  ks_router_add (router, "POST", "/api/v1/people/terminate", KS_ROUTE_NO_TXN,
                 KS_PERM_MANAGE_STAFF, handle_terminate);
  ks_router_add (router, "GET", "/api/v1/research/export", KS_ROUTE_RAW,
                 KS_PERM_VIEW_DASHBOARD, handle_research_export);
  ks_router_add (router, "GET", "/api/v1/research/aggregate", KS_ROUTE_RAW,
                 KS_PERM_VIEW_DASHBOARD, handle_research_aggregate);
  ks_router_add (router, "GET", "/api/v1/unsubscribe", KS_ROUTE_PUBLIC,
                 KS_PERM_NONE, handle_unsubscribe);
  ks_router_add (router, "POST", "/api/v1/unsubscribe", KS_ROUTE_PUBLIC,
                 KS_PERM_NONE, handle_unsubscribe);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-reports.c: the reports part of the staff API: the filtered list, the sync
 * feed and the detail of one report. */
#define G_LOG_DOMAIN "ks-api-reports"

#include "api/ks-api.h"
#include "api/ks-api-reports-private.h"
#include "http/ks-router.h"
#include "api/ks-wire-report.h"
#include "api/ks-api-util.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

#define MAX_LIST_ITEMS 200
#define MAX_TEXT_PARAM 200
#define MAX_CURSOR_LENGTH 1024

/* 422 for a query parameter that the endpoint does not know. */
static gboolean
check_known_params (KsRequest         *req,
                    const char *const *known)
{
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, req->query);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      if (!g_strv_contains (known, key))
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “%s” is not known here. Leave it out; the API "
                            "documentation lists the parameters this address takes.",
                            (const char *) key);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_positive (const char *s, gint64 *out)
{
  gint64 v = 0;
  gsize len = 0;

  for (const char *p = s; *p; p++, len++)
    {
      if (!g_ascii_isdigit (*p) || len >= 18)
        return FALSE;
      v = v * 10 + (*p - '0');
    }
  if (len == 0 || v <= 0)
    return FALSE;
  *out = v;
  return TRUE;
}

/* A comma list of positive ids; "none" is accepted (and reported) when none is not NULL. */
static gboolean
parse_id_list (KsRequest  *req,
               const char *name,
               const char *text,
               GArray     *out,
               gboolean   *none)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint n = g_strv_length (parts);

  if (n > MAX_LIST_ITEMS)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “%s” lists too many values (at most %d).", name, MAX_LIST_ITEMS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *s = g_strstrip (parts[i]);
      gint64 id;

      if (none != NULL && strcmp (s, "none") == 0)
        *none = TRUE;
      else if (parse_positive (s, &id))
        g_array_append_val (out, id);
      else
        {
          ks_request_error (req, 422, "invalid",
                            none != NULL
                              ? "The parameter “%s” must be a comma-separated list of ids or “none”; “%s” is neither."
                              : "The parameter “%s” must be a comma-separated list of ids; “%s” is not one.",
                            name, s);
          return FALSE;
        }
    }
  return TRUE;
}

/* state=: state ids, or the kinds open, fixed and closed (and unconfirmed, hidden). */
static gboolean
parse_states (KsRequest  *req,
              const char *text,
              GPtrArray  *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) > MAX_LIST_ITEMS)
    {
      ks_request_error (req, 422, "invalid", "The parameter “state” lists too many values.");
      return FALSE;
    }
  for (guint i = 0; parts[i]; i++)
    {
      const char *s = g_strstrip (parts[i]);
      const KsState *state = ks_state_lookup (s);
      gboolean found = FALSE;

      /* A kind (open, fixed, closed) names all its states, even where a state has
       * the same id as its kind. */
      for (guint k = 0; k < ks_states_count (); k++)
        {
          const KsState *st = ks_states_nth (k);
          if (g_strcmp0 (ks_state_kind_id (st->kind), s) == 0)
            {
              found = TRUE;
              if (!g_ptr_array_find (out, st->id, NULL))
                g_ptr_array_add (out, (gpointer) st->id);
            }
        }
      if (!found && state != NULL)
        {
          found = TRUE;
          if (!g_ptr_array_find (out, state->id, NULL))
            g_ptr_array_add (out, (gpointer) state->id);
        }
      if (!found)
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “state” has an unknown state “%s”. Use state ids "
                            "(see GET /api/v1/states) or open, fixed or closed.", s);
          return FALSE;
        }
    }
  g_ptr_array_add (out, NULL);
  return TRUE;
}

/* A date (whole day) or a time. *out is the first second of it; *out_end the first
 * second after it (the next day for a date, the next second for a time). */
static gboolean
parse_date_param (KsRequest  *req,
                  const char *name,
                  gint64     *out,
                  gint64     *out_end)
{
  const char *s = ks_request_query (req, name);
  gint64 t;

  if (s == NULL)
    return TRUE;
  if (!ks_time_parse_iso (s, &t) || t <= 0)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “%s” must be a date (2025-03-01) or a time in ISO 8601 "
                        "with its time zone (2025-03-01T12:00:00Z).", name);
      return FALSE;
    }
  *out = t;
  if (out_end != NULL)
    *out_end = t + (strlen (s) == 10 ? 86400 : 1);
  return TRUE;
}

static gboolean
check_text_param (KsRequest *req, const char *name, const char *value)
{
  if (value != NULL && g_utf8_strlen (value, -1) > MAX_TEXT_PARAM)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “%s” is too long (at most %d characters).",
                        name, MAX_TEXT_PARAM);
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_word (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* ---- Cursors: base64url of "sort\nid\nvalue" ---- */

static char *
encode_cursor (KsReportSort sort, const KsReportCursor *c)
{
  g_autofree char *raw = NULL;
  char *b64;
  char *p;

  if (ks_report_sort_is_text (sort))
    raw = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s", ks_report_sort_name (sort), c->id,
                           c->value_text ? c->value_text : "");
  else
    raw = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT,
                           ks_report_sort_name (sort), c->id, c->value_int);
  b64 = g_base64_encode ((const guchar *) raw, strlen (raw));
  for (p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return b64;
}

static gboolean
decode_cursor (const char     *text,
               KsReportSort    sort,
               KsReportCursor *out)
{
  g_autoptr(GString) b64 = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree char *str = NULL;
  gsize len = 0;
  char *nl1, *nl2;
  gint64 v;

  if (strlen (text) > MAX_CURSOR_LENGTH)
    return FALSE;
  b64 = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (b64, *p);
      else if (*p == '-')
        g_string_append_c (b64, '+');
      else if (*p == '_')
        g_string_append_c (b64, '/');
      else
        return FALSE;
    }
  if (b64->len % 4 == 1)
    return FALSE;
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  raw = g_base64_decode (b64->str, &len);
  if (raw == NULL || len == 0 || memchr (raw, '\0', len) != NULL ||
      !g_utf8_validate ((const char *) raw, len, NULL))
    return FALSE;
  str = g_strndup ((const char *) raw, len);

  nl1 = strchr (str, '\n');
  if (nl1 == NULL)
    return FALSE;
  *nl1 = '\0';
  nl2 = strchr (nl1 + 1, '\n');
  if (nl2 == NULL)
    return FALSE;
  *nl2 = '\0';
  if (g_strcmp0 (str, ks_report_sort_name (sort)) != 0)
    return FALSE;
  if (!parse_positive (nl1 + 1, &out->id))
    return FALSE;
  if (ks_report_sort_is_text (sort))
    out->value_text = g_strdup (nl2 + 1);
  else
    {
      const char *s = nl2 + 1;
      char *end = NULL;
      if (*s == '\0' || strlen (s) > 20)
        return FALSE;
      v = g_ascii_strtoll (s, &end, 10);
      if (end == NULL || *end != '\0')
        return FALSE;
      out->value_int = v;
    }
  return TRUE;
}

/* ---- GET /api/v1/reports ---- */

/* "assigned": me, anyone, none, or a member of staff's id. */
static gboolean
parse_assigned (KsRequest     *req,
                const char    *value,
                KsReportQuery *query)
{
  gint64 id = 0;

  if (strcmp (value, "me") == 0 ||
      (g_ascii_isdigit (value[0]) &&
       g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &id, NULL)))
    {
      if (id == 0)
        id = req->principal.user_id;
      /* With shortlist=mine as well, someone else's holds nothing. */
      if (query->shortlist_user != 0 && query->shortlist_user != id)
        query->assigned = KS_REPORT_ASSIGNED_NOBODY;
      query->shortlist_user = id;
      return TRUE;
    }
  if (strcmp (value, "anyone") == 0)
    {
      query->assigned = KS_REPORT_ASSIGNED_SOMEONE;
      return TRUE;
    }
  if (strcmp (value, "none") == 0)
    {
      query->assigned = KS_REPORT_ASSIGNED_NOBODY;
      return TRUE;
    }
  ks_request_error (req, 422, "invalid",
                    "The parameter “assigned” must be “me”, “anyone”, “none” or the id of a "
                    "member of staff.");
  return FALSE;
}

static const char *const list_params[] = {
  "bbox", "state", "category", "group", "priority", "q", "created_from", "created_to",
  "updated_from", "updated_to", "ward", "shortlist", "assigned", "sort", "limit", "cursor", "body",
  "body_id", NULL
};

void
ks_list_query_init (KsListQuery *lq)
{
  memset (lq, 0, sizeof *lq);
  lq->categories = g_array_new (FALSE, FALSE, sizeof (gint64));
  lq->priorities = g_array_new (FALSE, FALSE, sizeof (gint64));
  lq->states = g_ptr_array_new ();
}

void
ks_list_query_clear (KsListQuery *lq)
{
  g_clear_pointer (&lq->categories, g_array_unref);
  g_clear_pointer (&lq->priorities, g_array_unref);
  g_clear_pointer (&lq->states, g_ptr_array_unref);
  ks_report_cursor_clear (&lq->after);
}

gboolean
ks_api_reports_parse_list_query (KsRequest   *req,
                                 KsListQuery *lq)
{
  GArray *categories = lq->categories;
  GArray *priorities = lq->priorities;
  GPtrArray *states = lq->states;
  const KsPrincipal *who = &req->principal;
  const char *shortlist = ks_request_query (req, "shortlist");
  const char *assigned = ks_request_query (req, "assigned");
  const char *s;
  KsReportQuery query = { 0 };
  gint64 limit;

  /* Without view_all_reports, only one's own shortlist. */
  if (!ks_principal_can (who, KS_PERM_VIEW_ALL_REPORTS) &&
      !(ks_principal_can (who, KS_PERM_VIEW_REPORT) &&
        (g_strcmp0 (shortlist, "mine") == 0 || g_strcmp0 (assigned, "me") == 0)))
    {
      ks_request_require (req, KS_PERM_VIEW_ALL_REPORTS);
      return FALSE;
    }
  if (!check_known_params (req, list_params))
    return FALSE;

  if ((s = ks_request_query (req, "bbox")) != NULL)
    {
      if (!ks_bbox_parse (s, &query.bbox))
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “bbox” must be min_lon,min_lat,max_lon,max_lat in "
                            "degrees, with the minimum before the maximum.");
          return FALSE;
        }
      query.has_bbox = TRUE;
    }

  if ((s = ks_request_query (req, "state")) != NULL)
    {
      if (!parse_states (req, s, states))
        return FALSE;
      query.states = (const char **) states->pdata;
    }

  if ((s = ks_request_query (req, "category")) != NULL)
    {
      if (!parse_id_list (req, "category", s, categories, NULL))
        return FALSE;
      query.category_ids = (const gint64 *) (gpointer) categories->data;
      query.n_category_ids = categories->len;
    }

  query.group = ks_request_query (req, "group");
  if (!check_text_param (req, "group", query.group))
    return FALSE;

  if ((s = ks_request_query (req, "priority")) != NULL)
    {
      if (!parse_id_list (req, "priority", s, priorities, &query.priority_none))
        return FALSE;
      query.priority_ids = (const gint64 *) (gpointer) priorities->data;
      query.n_priority_ids = priorities->len;
    }

  query.text = ks_request_query (req, "q");
  if (!check_text_param (req, "q", query.text))
    return FALSE;
  if (query.text != NULL && !has_word (query.text))
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “q” must contain at least one word or number to search for.");
      return FALSE;
    }

  {
    gint64 unused;
    if (!parse_date_param (req, "created_from", &query.created_from, NULL) ||
        !parse_date_param (req, "created_to", &unused, &query.created_before) ||
        !parse_date_param (req, "updated_from", &query.updated_from, NULL) ||
        !parse_date_param (req, "updated_to", &unused, &query.updated_before))
      return FALSE;
  }

  query.ward = ks_request_query (req, "ward");
  if (!check_text_param (req, "ward", query.ward))
    return FALSE;

  if (shortlist != NULL)
    {
      if (strcmp (shortlist, "mine") != 0)
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “shortlist” can only be “mine” (the reports on your "
                            "own shortlist).");
          return FALSE;
        }
      query.shortlist_user = who->user_id;
    }
  if (assigned != NULL && !parse_assigned (req, assigned, &query))
    return FALSE;

  query.sort = KS_REPORT_SORT_UPDATED;
  query.descending = TRUE;
  if ((s = ks_request_query (req, "sort")) != NULL)
    {
      gboolean desc = s[0] == '-';
      if (!ks_report_sort_from_name (desc ? s + 1 : s, &query.sort))
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “sort” must be one of id, created, updated, state, "
                            "priority, category, title or ward, with a “-” before it for "
                            "descending order.");
          return FALSE;
        }
      query.descending = desc;
    }

  if (!ks_request_query_int (req, "limit", 1, 1000, 100, &limit))
    return FALSE;
  query.limit = (guint) limit;

  if ((s = ks_request_query (req, "cursor")) != NULL)
    {
      if (!decode_cursor (s, query.sort, &lq->after))
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “cursor” is not a cursor of this list in this sort "
                            "order. Use the next_cursor of the previous page, with the same "
                            "filters and sort, or start again without it.");
          return FALSE;
        }
      query.after = &lq->after;
    }

  /* "body_id" as in the administration API. */
  if ((s = ks_request_query (req, "body")) != NULL ||
      (s = ks_request_query (req, "body_id")) != NULL)
    {
      gint64 body;
      if (!parse_positive (s, &body))
        {
          ks_request_error (req, 422, "invalid", "The parameter “body” must be a council id.");
          return FALSE;
        }
      if (!who->is_superuser && body != who->body_id)
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “body” can only name your own council: leave it out.");
          return FALSE;
        }
      query.body_id = body;
    }

  lq->query = query;
  return TRUE;
}

static void
handle_list (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCursor) next = { 0 };
  g_auto(KsListQuery) lq = { 0 };
  g_auto(KsWireReportPage) page = { 0 };
  const KsPrincipal *who = &req->principal;
  gboolean more = FALSE;
  KsJsonWriter w;
  gsize want;

  ks_list_query_init (&lq);
  if (!ks_api_reports_parse_list_query (req, &lq))
    return;

  /* Room for the page at once (a report is about 480 bytes), rather than the
   * answer growing, and being copied, as it fills. */
  want = MIN ((gsize) lq.query.limit, 1000) * 512 + 64;
  if (req->response->allocated_len < want)
    {
      g_string_free (req->response, TRUE);
      req->response = g_string_sized_new (want);
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "reports");
  ks_wire_report_page_begin (&page, &w);
  if (!ks_store_reports_list (req->store, who, &lq.query, ks_wire_report_page_row, &page,
                              &more, &next, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_wire_report_page_end (&page);
  ks_json_writer_key (&w, "next_cursor");
  if (more)
    {
      g_autofree char *c = encode_cursor (lq.query.sort, &next);
      ks_json_writer_string (&w, c);
    }
  else
    ks_json_writer_null (&w);
  ks_json_writer_end_object (&w);
}

/* ---- GET /api/v1/sync ---- */

static const char *const sync_params[] = { "since", "limit", "offline", "count", "body_id", NULL };

/* A 0/1/true/false query parameter (absent: FALSE). */
static gboolean
query_flag (KsRequest  *req,
            const char *name,
            gboolean   *out)
{
  const char *s = ks_request_query (req, name);

  *out = FALSE;
  if (s == NULL || strcmp (s, "0") == 0 || strcmp (s, "false") == 0)
    return TRUE;
  if (strcmp (s, "1") == 0 || strcmp (s, "true") == 0)
    {
      *out = TRUE;
      return TRUE;
    }
  ks_request_error (req, 422, "invalid", "The parameter “%s” must be 1 or 0 (true or false).", name);
  return FALSE;
}

static gboolean
flush_sync (gpointer data)
{
  return ks_request_flush (data);
}

static gboolean
pack_sync (gpointer data)
{
  return ks_request_pack (data);
}

static void
handle_sync (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  const char *offline_s;
  gboolean offline = FALSE, count = FALSE;
  gint64 since, limit;
  guint n_personal = 0;
  KsJsonWriter w;

  KsPrincipal scoped;
  gint64 body_id = 0;

  if (!check_known_params (req, sync_params) ||
      !ks_request_query_int (req, "since", 0, G_MAXINT64, 0, &since) ||
      !ks_request_query_int (req, "limit", 1, 50000, 5000, &limit) ||
      !ks_api_request_body (req, FALSE, &body_id))
    return;
  /* Platform operators sync one council at a time when they name it (the app
   * keeps a cache per council); without body_id, every council. */
  scoped = req->principal;
  scoped.body_id = body_id;

  offline_s = ks_request_query (req, "offline");
  if (offline_s != NULL)
    {
      if (strcmp (offline_s, "1") == 0 || strcmp (offline_s, "true") == 0)
        offline = TRUE;
      else if (strcmp (offline_s, "0") != 0 && strcmp (offline_s, "false") != 0)
        {
          ks_request_error (req, 422, "invalid",
                            "The parameter “offline” must be 1 or 0 (true or false).");
          return;
        }
    }
  if (!query_flag (req, "count", &count))
    return;
  if (offline && !ks_request_require (req, KS_PERM_VIEW_OFFLINE))
    return;

  ks_request_begin_json (req, 200, &w);
  /* A page streams out as it is written, except one with personal data: that
   * leaves only once its audit entry is written (below); it is compressed as
   * it is written. */
  if (!ks_wire_report_write_sync (req->store, &scoped, since, (guint) limit,
                                  offline, count, &w, offline ? pack_sync : flush_sync, req,
                                  &n_personal, &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  /* Personal data leaves only with its audit entry; if that cannot be written, the
   * answer is replaced by the error. */
  if (offline)
    {
      details = g_strdup_printf ("{\"count\":%u,\"since\":%" G_GINT64_FORMAT ",\"limit\":%" G_GINT64_FORMAT "}",
                                 n_personal, since, limit);
      ks_request_audit (req, body_id, "sync_personal_data", "report", 0, details);
    }
}

/* ---- GET /api/v1/reports/{id} ---- */

static void
handle_detail (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gboolean personal = FALSE;
  gint64 id, body_id = 0;
  KsJsonWriter w;

  if (!ks_request_param_id (req, "id", &id))
    return;
  ks_request_begin_json (req, 200, &w);
  if (!ks_wire_report_write_detail (req->store, &req->principal, id, &w, &body_id,
                                    &personal, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (personal)
    ks_request_audit (req, body_id, "view_personal_data", "report", id, NULL);
}

void
ks_api_reports_register (KsRouter *router)
{
  /* The permission is checked in the handler: without view_all_reports, view_report
   * is enough for one's own shortlist. */
  ks_router_add (router, "GET", "/api/v1/reports", 0, KS_PERM_NONE, handle_list);
  ks_router_add (router, "GET", "/api/v1/sync", 0, KS_PERM_VIEW_ALL_REPORTS, handle_sync);
  ks_router_add (router, "GET", "/api/v1/reports/{id}", 0, KS_PERM_VIEW_REPORT, handle_detail);
}

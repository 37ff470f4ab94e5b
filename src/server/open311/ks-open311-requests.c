/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-requests.c: Open311 service requests: the public list and one
 * request (GET requests, requests/{id}, tokens/{token}) and a client's new
 * request (POST requests). */
#define G_LOG_DOMAIN "ks-open311-requests"

#include "councils/ks-abuse-list.h"
#include "councils/ks-boundaries.h"
#include "open311/ks-open311-private.h"
#include "places/ks-places-locate.h"
#include "open311/ks-open311-status.h"
#include "http/ks-form.h"
#include "http/ks-media.h"
#include "store/ks-store.h"
#include "ks-time.h"

#include <string.h>

/* ---------------------------------------------------------------------------
 * GET requests, requests/{id}
 * ------------------------------------------------------------------------- */

typedef struct {
  KsOpen311Ctx          *c;
  KsXmlWriter   x;
  KsJsonWriter  w;
  guint         count;
} RequestsOut;

/* The public description: the title, then the detail unless it repeats it. */
static void
compose_description (GString    *out,
                     const char *title,
                     const char *detail)
{
  g_string_truncate (out, 0);
  if (detail == NULL || *detail == '\0' || strcmp (detail, title) == 0)
    g_string_append (out, title);
  else if (g_str_has_prefix (detail, title))
    g_string_append (out, detail);
  else
    {
      g_string_append (out, title);
      g_string_append_len (out, "\n\n", 2);
      g_string_append (out, detail);
    }
}

/* A photo stored by this server ("/api/v1/media/NAME") is published at
 * PUBLIC_URL/open311/v2/media/NAME; other media URLs (sent by Open311 clients) go
 * out as they came. */
char *
ks_open311_public_media_url (KsOpen311Ctx *c,
                             const char   *stored)
{
  const char *name = ks_media_name_from_ref (stored);
  const char *base;

  if (name == NULL)
    return g_strdup (stored);
  base = c->req->config->public_url ? c->req->config->public_url : "";
  return g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/",
                      "open311/v2/media/", name, NULL);
}

/* The request's public photos (the store's JSON array of stored refs and client
 * URLs, NULL: none) as published URLs; the first is media_url. */
static GPtrArray *
public_media_urls (KsOpen311Ctx *c,
                   const char   *stored)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (stored == NULL || stored[0] != '[' || stored[1] == ']')
    return out;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, stored, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return out;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonNode *n = json_array_get_element (json_node_get_array (root), i);

      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        g_ptr_array_add (out, ks_open311_public_media_url (c, json_node_get_string (n)));
    }
  return out;
}

static gboolean
write_request (const KsOpen311Request *r,
               gpointer                data)
{
  g_autoptr(GPtrArray) media_urls = NULL;
  g_autofree char *media_url = NULL;
  RequestsOut *o = data;
  GString *desc = o->c->scratch;
  char id[24];

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, r->id);
  compose_description (desc, r->title ? r->title : "", r->detail);
  media_url = ks_open311_public_media_url (o->c, r->media_url);
  media_urls = public_media_urls (o->c, r->media_urls);
  o->count++;

  if (o->c->json)
    {
      KsJsonWriter *w = &o->w;

      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "service_request_id", id);
      ks_json_writer_member_string (w, "status", ks_open311_open_or_closed (r->state));
      ks_json_writer_member_string (w, "status_notes", r->status_notes);
      ks_json_writer_member_string (w, "service_name", r->service_name);
      ks_json_writer_member_string (w, "service_code", r->service_code);
      ks_json_writer_key (w, "description");
      ks_json_writer_string_len (w, desc->str, desc->len);
      ks_json_writer_member_string (w, "agency_responsible", o->c->body.name);
      ks_json_writer_member_timestamp (w, "requested_datetime", r->created);
      ks_json_writer_member_timestamp (w, "updated_datetime", r->updated);
      ks_json_writer_member_string (w, "address", r->address);
      ks_json_writer_member_double (w, "lat", r->lat);
      ks_json_writer_member_double (w, "long", r->lon);
      ks_json_writer_member_string (w, "media_url", media_url);
      /* An extension: every public photo, not only the first. */
      ks_json_writer_key (w, "media_urls");
      ks_json_writer_begin_array (w);
      for (guint i = 0; i < media_urls->len; i++)
        ks_json_writer_string (w, g_ptr_array_index (media_urls, i));
      ks_json_writer_end_array (w);
      ks_json_writer_end_object (w);
    }
  else
    {
      KsXmlWriter *x = &o->x;

      ks_xml_writer_begin (x, "request");
      ks_xml_writer_element (x, "service_request_id", id);
      ks_xml_writer_element (x, "status", ks_open311_open_or_closed (r->state));
      ks_xml_writer_element (x, "status_notes", r->status_notes);
      ks_xml_writer_element (x, "service_name", r->service_name);
      ks_xml_writer_element (x, "service_code", r->service_code);
      ks_xml_writer_element_len (x, "description", desc->str, desc->len);
      ks_xml_writer_element (x, "agency_responsible", o->c->body.name);
      ks_xml_writer_element_timestamp (x, "requested_datetime", r->created);
      ks_xml_writer_element_timestamp (x, "updated_datetime", r->updated);
      ks_xml_writer_element (x, "address", r->address);
      ks_xml_writer_element_double (x, "lat", r->lat);
      ks_xml_writer_element_double (x, "long", r->lon);
      ks_xml_writer_element (x, "media_url", media_url);
      ks_xml_writer_begin (x, "media_urls");
      for (guint i = 0; i < media_urls->len; i++)
        ks_xml_writer_element (x, "media_url", g_ptr_array_index (media_urls, i));
      ks_xml_writer_end (x);
      ks_xml_writer_end (x);
    }
  return TRUE;
}

/* Runs q and answers the list; single: 404 when nothing matched (requests/{id}). */
static void
answer_requests (KsOpen311Ctx                  *c,
                 const KsOpen311Query *q,
                 gint64                single)
{
  g_autoptr(GError) error = NULL;
  RequestsOut o = { .c = c };

  c->scratch = g_string_sized_new (512);
  ks_open311_begin_answer (c, 200, &o.x, &o.w);
  /* One allocation for a full page (about 700 bytes a request) instead of a
   * dozen doublings, each a copy. */
  if (c->req->response->allocated_len < (gsize) q->limit * 800)
    {
      gsize used = c->req->response->len;
      g_string_set_size (c->req->response, (gsize) q->limit * 800);
      g_string_truncate (c->req->response, used);
    }
  if (c->json)
    ks_json_writer_begin_array (&o.w);
  else
    ks_xml_writer_begin (&o.x, "service_requests");

  if (!ks_store_open311_foreach_request (c->req->store, q, write_request, &o, &error))
    {
      ks_open311_gerror (c, error);
      return;
    }
  if (single != 0 && o.count == 0)
    {
      ks_open311_error (c, 404, "There is no public service request %" G_GINT64_FORMAT ".", single);
      return;
    }
  if (c->json)
    ks_json_writer_end_array (&o.w);
  else
    ks_xml_writer_end (&o.x);
}

/* A comma-separated parameter; NULL (and TRUE) when absent. */
static gboolean
comma_list (KsOpen311Ctx         *c,
            const char  *name,
            guint        max,
            GStrv       *out)
{
  const char *v = ks_open311_field (c, name);
  g_auto(GStrv) parts = NULL;
  GPtrArray *kept;

  *out = NULL;
  if (v == NULL)
    return TRUE;
  parts = g_strsplit (v, ",", -1);
  kept = g_ptr_array_new ();
  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_ptr_array_add (kept, g_strdup (parts[i]));
    }
  g_ptr_array_add (kept, NULL);
  *out = (GStrv) g_ptr_array_free (kept, FALSE);
  if (g_strv_length (*out) > max)
    {
      ks_open311_error (c, 400, "%s lists too many values: send at most %u, separated by commas.", name, max);
      g_clear_pointer (out, g_strfreev);
      return FALSE;
    }
  return TRUE;
}

static gboolean
int_param (KsOpen311Ctx        *c,
           const char *name,
           gint64      min,
           gint64      max,
           gint64      def,
           gint64     *out)
{
  const char *v = ks_open311_field (c, name);
  gint64 n;

  *out = def;
  if (v == NULL)
    return TRUE;
  if (!ks_open311_parse_id (v, &n) || n < min || n > max)
    {
      ks_open311_error (c, 400, "%s must be a whole number from %" G_GINT64_FORMAT " to %"
                        G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }
  *out = n;
  return TRUE;
}

static void
handle_requests_get (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_auto(GStrv) ids_text = NULL;
  g_auto(GStrv) codes = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  KsOpen311Query q = { 0 };
  const char *status;
  gint64 start, end, page, page_size;

  if (!ks_open311_ctx_begin (&c, req, FALSE))
    return;
  if (!comma_list (&c, "service_request_id", MAX_IDS, &ids_text) ||
      !comma_list (&c, "service_code", MAX_CODES, &codes) ||
      !ks_open311_date_param (&c, "start_date", &start) ||
      !ks_open311_date_param (&c, "end_date", &end) ||
      !int_param (&c, "page", 1, 1000000, 1, &page) ||
      !int_param (&c, "page_size", 1, MAX_RESULTS, MAX_RESULTS, &page_size))
    return;

  for (guint i = 0; ids_text && ids_text[i]; i++)
    {
      gint64 id;
      if (!ks_open311_parse_id (ids_text[i], &id))
        {
          ks_open311_error (&c, 400, "service_request_id “%s” is not a request id: send ids "
                            "(whole numbers) separated by commas.", ids_text[i]);
          return;
        }
      g_array_append_val (ids, id);
    }
  if (start != 0 && end != 0 && start > end)
    {
      ks_open311_error (&c, 400, "start_date is after end_date: swap them or widen the range.");
      return;
    }

  q.body_id = c.body.id;
  q.offset = (guint) ((page - 1) * page_size);
  q.limit = (guint) page_size;
  status = ks_open311_field (&c, "status");
  if (status != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (status, ",", -1);
      gboolean open = FALSE, closed = FALSE;

      for (guint i = 0; parts[i]; i++)
        {
          g_strstrip (parts[i]);
          if (g_ascii_strcasecmp (parts[i], "open") == 0)
            open = TRUE;
          else if (g_ascii_strcasecmp (parts[i], "closed") == 0)
            closed = TRUE;
          else if (*parts[i] != '\0')
            {
              ks_open311_error (&c, 400, "status “%s” is not known: use open or closed.", parts[i]);
              return;
            }
        }
      q.status = open == closed ? KS_OPEN311_STATUS_ANY
               : open ? KS_OPEN311_STATUS_OPEN : KS_OPEN311_STATUS_CLOSED;
    }

  if (ids->len > 0)
    {
      /* Asked by id: the other filters do not apply. */
      q.ids = (const gint64 *) ids->data;
      q.n_ids = ids->len;
      q.status = KS_OPEN311_STATUS_ANY;
      q.offset = 0;
      q.limit = MAX_RESULTS;
    }
  else
    {
      if (codes != NULL && codes[0] != NULL)
        {
          q.codes = (const char * const *) codes;
          q.n_codes = g_strv_length (codes);
        }
      /* Without dates: the last 90 days (before end_date, when given). */
      if (start == 0)
        start = (end != 0 ? end : ks_time_now ()) - REQUESTS_DEFAULT_DAYS * 24 * 3600;
      q.start = start;
      q.end = end;
    }
  answer_requests (&c, &q, 0);
}

static void
handle_request_get (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autofree char *text = NULL;
  KsOpen311Query q = { 0 };
  gint64 id;

  if (!ks_open311_ctx_begin (&c, req, FALSE))
    return;
  text = ks_open311_strip_format (ks_request_param (req, "id"));
  if (text == NULL)
    {
      ks_open311_error (&c, 404, "There is nothing at this address: end it in .xml or .json.");
      return;
    }
  if (!ks_open311_parse_id (text, &id))
    {
      ks_open311_error (&c, 404, "There is no public service request “%s”.", text);
      return;
    }
  q.body_id = c.body.id;
  q.ids = &id;
  q.n_ids = 1;
  q.limit = 1;
  answer_requests (&c, &q, id);
}

/* ---------------------------------------------------------------------------
 * GET tokens/{token}
 * ------------------------------------------------------------------------- */

static gboolean
count_request (const KsOpen311Request *request,
               gpointer                user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

/* Kerbside creates each request at once, so POST requests answers its
 * service_request_id and never makes a client wait on a token; a client that
 * asks with a token anyway gets the request whose id it is. */
static void
handle_token_get (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  KsOpen311Query q = { 0 };
  KsXmlWriter x;
  KsJsonWriter w;
  guint found = 0;
  gint64 id;

  if (!ks_open311_ctx_begin (&c, req, FALSE))
    return;
  text = ks_open311_strip_format (ks_request_param (req, "token"));
  if (text == NULL)
    {
      ks_open311_error (&c, 404, "There is nothing at this address: end it in .xml or .json.");
      return;
    }
  if (!ks_open311_parse_id (text, &id))
    {
      ks_open311_error (&c, 404, "There is no service request for the token “%s”.", text);
      return;
    }
  q.body_id = c.body.id;
  q.ids = &id;
  q.n_ids = 1;
  q.limit = 1;
  if (!ks_store_open311_foreach_request (req->store, &q, count_request, &found, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (found == 0)
    {
      ks_open311_error (&c, 404, "There is no service request for the token “%s”.", text);
      return;
    }
  ks_open311_begin_answer (&c, 200, &x, &w);
  if (c.json)
    {
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "service_request_id", text);
      ks_json_writer_member_string (&w, "token", text);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
    }
  else
    {
      ks_xml_writer_begin (&x, "service_requests");
      ks_xml_writer_begin (&x, "request");
      ks_xml_writer_element (&x, "service_request_id", text);
      ks_xml_writer_element (&x, "token", text);
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
    }
}

/* ---------------------------------------------------------------------------
 * POST requests
 * ------------------------------------------------------------------------- */

/* A title from the description: its first line, cut at a word near MAX_TITLE. */
static char *
derive_title (const char *description,
              const char *fallback)
{
  g_autofree char *line = NULL;
  const char *nl;
  glong len;

  if (description == NULL)
    return g_strdup (fallback);
  nl = strchr (description, '\n');
  line = nl ? g_strndup (description, nl - description) : g_strdup (description);
  g_strstrip (line);
  if (*line == '\0')
    return g_strdup (fallback);
  len = g_utf8_strlen (line, -1);
  if (len > MAX_TITLE)
    {
      char *cut = g_utf8_offset_to_pointer (line, MAX_TITLE - 1);
      char *space;

      *cut = '\0';
      space = strrchr (line, ' ');
      if (space != NULL && space - line > MAX_TITLE / 2)
        *space = '\0';
      return g_strconcat (line, "…", NULL);
    }
  return g_steal_pointer (&line);
}

/* Splits "attribute[CODE]" or "attribute[CODE][]"; NULL when key is not one. */
static char *
attribute_code (const char *key,
                gboolean   *malformed)
{
  const char *open = key + strlen ("attribute[");
  const char *close;

  *malformed = FALSE;
  if (!g_str_has_prefix (key, "attribute["))
    return NULL;
  close = strchr (open, ']');
  if (close == NULL || close == open || (close[1] != '\0' && strcmp (close + 1, "[]") != 0))
    {
      *malformed = TRUE;
      return NULL;
    }
  return g_strndup (open, close - open);
}

/* Collects attribute[...] fields as code, value pairs and checks them against the
 * service's questions. */
static gboolean
read_attributes (KsOpen311Ctx              *c,
                 const KsOpen311Service *s,
                 GPtrArray        *pairs,
                 char            **out_title)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) attrs = service_attributes (parser, s->extra);
  const KsQuestion *question = NULL;
  const char *bad_value = NULL;

  for (guint i = 0; i < ks_form_size (c->form); i++)
    {
      const char *key = ks_form_key (c->form, i);
      const char *value = ks_form_value (c->form, i);
      gboolean malformed;
      char *code = attribute_code (key, &malformed);

      if (malformed)
        {
          ks_open311_error (c, 400, "The field “%s” is not an attribute: write attribute[CODE] "
                            "or attribute[CODE][].", key);
          return FALSE;
        }
      if (code == NULL)
        continue;
      if (g_utf8_strlen (value, -1) > MAX_ATTRIBUTE_LEN)
        {
          ks_open311_error (c, 400, "attribute[%s] is too long: send at most %d characters.",
                            code, MAX_ATTRIBUTE_LEN);
          g_free (code);
          return FALSE;
        }
      if (pairs->len / 2 >= MAX_ATTRIBUTES)
        {
          ks_open311_error (c, 400, "There are too many attributes: send at most %d.", MAX_ATTRIBUTES);
          g_free (code);
          return FALSE;
        }
      if (strcmp (code, "title") == 0 && *value != '\0' && *out_title == NULL)
        *out_title = g_strdup (value);
      g_ptr_array_add (pairs, code);
      g_ptr_array_add (pairs, g_strdup (value));
    }

  switch (ks_questions_check (attrs, pairs, &question, &bad_value))
    {
    case KS_ANSWER_OK:
      return TRUE;
    case KS_ANSWER_NOT_LISTED:
      ks_open311_error (c, 400, "attribute[%s] “%s” is not one of the values the service "
                        "definition lists: GET services/%s.xml for them.", question->code, bad_value, s->code);
      return FALSE;
    case KS_ANSWER_NOT_A_NUMBER:
      ks_open311_error (c, 400, "attribute[%s] must be a number.", question->code);
      return FALSE;
    case KS_ANSWER_MISSING:
    default:
      ks_open311_error (c, 400, "attribute[%s] is required (%s): answer it and send the "
                        "request again.", question->code, question->description);
      return FALSE;
    }
}

static void
handle_requests_post (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(KsOpen311Service) s = { 0 };
  g_autoptr(GPtrArray) attributes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *title = NULL, *name = NULL;
  const char *code, *lat_text, *lon_text, *address, *description;
  const char *first, *last, *email, *phone;
  g_autoptr(GPtrArray) media_urls = NULL;
  KsOpen311NewRequest r = { 0 };
  g_autofree char *ward = NULL;
  gboolean found = FALSE, inside = TRUE;
  gint64 id = 0;
  char id_text[24];
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ks_open311_ctx_begin (&c, req, TRUE) || !ks_open311_ctx_require_key (&c, TRUE) ||
      !ks_open311_idempotency_begin (&c))
    return;

  code = ks_open311_field (&c, "service_code");
  if (code == NULL)
    {
      ks_open311_error (&c, 400, "service_code is required: GET services.xml for the list of services.");
      return;
    }
  if (!ks_store_open311_get_service (req->store, c.body.id, code, &found, &s, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (!found || !s.active || s.is_private)
    {
      ks_open311_error (&c, 400, "service_code “%s” is not a service of this council: "
                        "GET services.xml for the list of services.", code);
      return;
    }

  if (!ks_open311_text_field (&c, "address_string", MAX_ADDRESS, &address) ||
      !ks_open311_text_field (&c, "description", MAX_DESCRIPTION, &description) ||
      !ks_open311_text_field (&c, "first_name", MAX_NAME, &first) ||
      !ks_open311_text_field (&c, "last_name", MAX_NAME, &last) ||
      !ks_open311_email_field (&c, "email", &email) ||
      !ks_open311_text_field (&c, "phone", MAX_PHONE, &phone) ||
      !ks_open311_url_list (&c, "media_url", &media_urls))
    return;

  lat_text = ks_open311_field (&c, "lat");
  lon_text = ks_open311_field (&c, "long");
  if (lat_text != NULL || lon_text != NULL)
    {
      if (lat_text == NULL || lon_text == NULL)
        {
          ks_open311_error (&c, 400, "lat and long go together: send both, or address_string alone.");
          return;
        }
      if (!ks_open311_parse_coordinate (lat_text, 90.0, &r.lat))
        {
          ks_open311_error (&c, 400, "lat “%s” is not a latitude: send a number from -90 to 90.", lat_text);
          return;
        }
      if (!ks_open311_parse_coordinate (lon_text, 180.0, &r.lon))
        {
          ks_open311_error (&c, 400, "long “%s” is not a longitude: send a number from -180 to 180.", lon_text);
          return;
        }
    }
  else if (address != NULL)
    {
      /* Placed by the council's gazetteer: its postcode, or its street. */
      if (!ks_places_locate (req->store, c.body.id, address, &found, &r.lat, &r.lon, NULL,
                             &error))
        {
          ks_open311_gerror (&c, error);
          return;
        }
      if (!found)
        {
          ks_open311_error (&c, 400, "address_string “%s” is not an address this council "
                            "knows: neither its postcode nor its street is in the council's "
                            "list of places. Send lat and long.", address);
          return;
        }
    }
  else
    {
      ks_open311_error (&c, 400, "The location is missing: send lat and long, or "
                        "address_string.");
      return;
    }

  /* The ward from the council's boundaries; a point sent outside its area is
   * refused (one placed from the address alone is the staff's to locate). */
  if (!ks_boundaries_ward (req->store, c.body.id, r.lat, r.lon, 0, &inside, &ward, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (!inside && lat_text != NULL)
    {
      g_autofree char *message = ks_boundaries_outside_message (req->store, c.body.id, r.lat,
                                                                r.lon);
      ks_open311_error (&c, 400, "%s", message);
      return;
    }
  r.ward = ward;

  if (!read_attributes (&c, &s, attributes, &title))
    return;
  if (title == NULL)
    title = derive_title (description, s.name);
  else if (g_utf8_strlen (title, -1) > MAX_TITLE)
    {
      g_autofree char *long_title = g_steal_pointer (&title);
      title = derive_title (long_title, s.name);
    }
  name = ks_open311_person_name (first, last);
  {
    g_autofree char *refusal = NULL;

    if (!ks_abuse_check (req->store, c.body.id, email, phone, &refusal, &error))
      {
        ks_open311_gerror (&c, error);
        return;
      }
    if (refusal != NULL)
      {
        ks_open311_error (&c, 403, "%s", refusal);
        return;
      }
  }

  r.body_id = c.body.id;
  r.category_id = s.id;
  r.title = title;
  r.detail = description;
  r.address = address;
  r.reporter_name = name;
  r.reporter_email = email;
  r.reporter_phone = phone;
  r.media_url = media_urls->len > 0 ? g_ptr_array_index (media_urls, 0) : NULL;
  r.media_urls = (const char * const *) media_urls->pdata;
  r.n_media_urls = media_urls->len;
  r.attributes = (const char * const *) attributes->pdata;
  r.n_attributes = attributes->len / 2;
  if (!ks_store_open311_create_request (req->store, &r, &id, &error) ||
      !ks_open311_note_client (&c, id, &error) ||
      !ks_store_actions_apply_default_priority (req->store, id, NULL, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (!ks_open311_audit_client (&c, "open311_create_request", id, "service_code", s.code))
    return;

  g_snprintf (id_text, sizeof id_text, "%" G_GINT64_FORMAT, id);
  ks_open311_begin_answer (&c, 200, &x, &w);
  if (c.json)
    {
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "service_request_id", id_text);
      ks_json_writer_member_string (&w, "service_notice", "");
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
    }
  else
    {
      ks_xml_writer_begin (&x, "service_requests");
      ks_xml_writer_begin (&x, "request");
      ks_xml_writer_element (&x, "service_request_id", id_text);
      ks_xml_writer_element (&x, "service_notice", NULL);
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
    }
  ks_open311_idempotency_finish (&c);
}

void
ks_open311_requests_register (KsRouter *router)
{
  const KsRouteFlags pub = KS_ROUTE_PUBLIC | KS_ROUTE_RAW;

  ks_router_add (router, "GET", "/open311/v2/requests.xml", pub, KS_PERM_NONE, handle_requests_get);
  ks_router_add (router, "POST", "/open311/v2/requests.xml", pub, KS_PERM_NONE, handle_requests_post);
  ks_router_add (router, "GET", "/open311/v2/requests.json", pub, KS_PERM_NONE, handle_requests_get);
  ks_router_add (router, "POST", "/open311/v2/requests.json", pub, KS_PERM_NONE, handle_requests_post);
  /* {id}.xml / {id}.json: the handlers read the format from the ending. */
  ks_router_add (router, "GET", "/open311/v2/requests/{id}", pub, KS_PERM_NONE,
                 handle_request_get);
  ks_router_add (router, "GET", "/open311/v2/tokens/{token}", pub, KS_PERM_NONE,
                 handle_token_get);
}

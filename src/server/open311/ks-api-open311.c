/* ks-api-open311.c: Open311 GeoReport v2 with the servicerequestupdates extension,
 * in XML and JSON, at /open311/v2/; and the staff endpoints for API keys.
 *
 * Everything under /open311/ is public (no staff session): reads show only public
 * reports and updates and never personal data; writes need an API key of the
 * council (api_key), checked against the SHA-256 the store keeps. */
#define G_LOG_DOMAIN "ks-api-open311"

#include "open311/ks-api-open311.h"
#include "api/ks-api.h"
#include "http/ks-form.h"
#include "http/ks-media.h"
#include "api/ks-questions.h"
#include "http/ks-server-config.h"
#include "ks-states.h"
#include "ks-time.h"
#include "auth/ks-token.h"
#include "open311/ks-xml-writer.h"

#include <math.h>
#include <string.h>

#define XML_TYPE  "text/xml; charset=utf-8"
#define JSON_TYPE "application/json; charset=utf-8"

#define OPEN311_SPEC       "http://wiki.open311.org/GeoReport_v2"
#define OPEN311_CHANGESET  "2026-11-22T00:00:00Z"  /* when this API last changed */

#define MAX_RESULTS        1000    /* requests or updates in one answer */
#define MAX_IDS            1000
#define MAX_CODES          100
#define MAX_FORM_FIELDS    500
#define MAX_ATTRIBUTES     100
#define MAX_DESCRIPTION    4000
#define MAX_TITLE          120
#define MAX_ATTRIBUTE_LEN  4000
#define MAX_URL            2000
#define MAX_NAME           100
#define MAX_EMAIL          254
#define MAX_PHONE          50
#define MAX_ADDRESS        500
#define MAX_CLIENT_ID      200
#define REQUESTS_DEFAULT_DAYS 90
#define UPDATES_DEFAULT_SECONDS (24 * 3600)

/* ---------------------------------------------------------------------------
 * Statuses: Kerbside states <-> Open311 statuses (documented in docs/open311.md)
 * ------------------------------------------------------------------------- */

static const struct {
  const char *state;
  const char *status;
} state_statuses[] = {
  { "confirmed",            "open" },
  { "investigating",        "investigating" },
  { "in_progress",          "in_progress" },
  { "action_scheduled",     "action_scheduled" },
  { "awaiting_information", "investigating" },
  { "fixed",                "fixed" },
  { "no_further_action",    "no_further_action" },
  { "not_responsible",      "not_councils_responsibility" },
  { "duplicate",            "duplicate" },
  { "internal_referral",    "internal_referral" },
  { "closed",               "closed" },
};

/* Statuses a client may send. GENERIC_OPEN and GENERIC_CLOSED keep the report's
 * state when it is already open (or closed); otherwise they set the state given. */
typedef enum {
  STATUS_SPECIFIC,
  STATUS_GENERIC_OPEN,
  STATUS_GENERIC_CLOSED,
} StatusKind;

static const struct {
  const char *status;
  const char *state;
  StatusKind  kind;
} status_states[] = {
  { "open",                        "confirmed",            STATUS_GENERIC_OPEN },
  { "reopen",                      "confirmed",            STATUS_GENERIC_OPEN },
  { "for_triage",                  "confirmed",            STATUS_GENERIC_OPEN },
  { "investigating",               "investigating",        STATUS_SPECIFIC },
  { "in_progress",                 "in_progress",          STATUS_SPECIFIC },
  { "action_scheduled",            "action_scheduled",     STATUS_SPECIFIC },
  { "fixed",                       "fixed",                STATUS_SPECIFIC },
  { "closed",                      "closed",               STATUS_GENERIC_CLOSED },
  { "duplicate",                   "duplicate",            STATUS_SPECIFIC },
  { "not_councils_responsibility", "not_responsible",      STATUS_SPECIFIC },
  { "no_further_action",           "no_further_action",    STATUS_SPECIFIC },
  { "internal_referral",           "internal_referral",    STATUS_SPECIFIC },
  /* Kerbside's own names are accepted too. */
  { "confirmed",                   "confirmed",            STATUS_SPECIFIC },
  { "awaiting_information",        "awaiting_information", STATUS_SPECIFIC },
  { "not_responsible",             "not_responsible",      STATUS_SPECIFIC },
};

/* The detailed Open311 status of a state (servicerequestupdates). */
static const char *
status_of_state (const char *state)
{
  const KsState *s;

  for (guint i = 0; i < G_N_ELEMENTS (state_statuses); i++)
    if (strcmp (state_statuses[i].state, state) == 0)
      return state_statuses[i].status;
  /* A council's own state: by its kind. */
  s = ks_state_lookup (state);
  if (s != NULL && s->kind == KS_STATE_KIND_FIXED)
    return "fixed";
  if (s != NULL && s->kind == KS_STATE_KIND_CLOSED)
    return "closed";
  return "open";
}

/* open or closed (GET requests). */
static const char *
open_or_closed (const char *state)
{
  const KsState *s = ks_state_lookup (state);
  return s != NULL && (s->kind == KS_STATE_KIND_FIXED || s->kind == KS_STATE_KIND_CLOSED)
    ? "closed" : "open";
}

/* Maps a client's status ("IN_PROGRESS", "in progress", "Fixed") to the state a
 * report in current_state should take; *out_state NULL when it stays. FALSE when
 * the status is not known. */
static gboolean
state_for_status (const char  *status,
                  const char  *current_state,
                  const char **out_state)
{
  g_autofree char *norm = g_ascii_strdown (status, -1);
  const KsState *current = ks_state_lookup (current_state);

  g_strstrip (norm);
  for (char *p = norm; *p; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';

  for (guint i = 0; i < G_N_ELEMENTS (status_states); i++)
    {
      const char *state = status_states[i].state;

      if (strcmp (status_states[i].status, norm) != 0)
        continue;
      switch (status_states[i].kind)
        {
        case STATUS_GENERIC_OPEN:
          if (current != NULL && current->kind == KS_STATE_KIND_OPEN)
            state = NULL;
          break;
        case STATUS_GENERIC_CLOSED:
          if (current != NULL && (current->kind == KS_STATE_KIND_CLOSED ||
                                  current->kind == KS_STATE_KIND_FIXED))
            state = NULL;
          break;
        case STATUS_SPECIFIC:
        default:
          break;
        }
      if (state != NULL && g_strcmp0 (state, current_state) == 0)
        state = NULL;
      *out_state = state;
      return TRUE;
    }
  return FALSE;
}

/* ---------------------------------------------------------------------------
 * Answers and errors
 * ------------------------------------------------------------------------- */

static gboolean
path_wants_json (const char *path)
{
  return path != NULL && g_str_has_suffix (path, ".json");
}

static void
set_type (KsRequest  *req,
          const char *type)
{
  g_free (req->response_type);
  req->response_type = g_strdup (type);
}

void
ks_api_open311_write_error (KsRequest  *req,
                            const char *path,
                            guint       status,
                            const char *message)
{
  g_string_truncate (req->response, 0);
  req->status = status;
  if (path_wants_json (path))
    {
      KsJsonWriter w;

      ks_json_writer_init (&w, req->response);
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "code", status);
      ks_json_writer_member_string (&w, "description", message);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
      set_type (req, JSON_TYPE);
    }
  else
    {
      KsXmlWriter x;

      ks_xml_writer_init (&x, req->response);
      ks_xml_writer_begin (&x, "errors");
      ks_xml_writer_begin (&x, "error");
      ks_xml_writer_element_int (&x, "code", status);
      ks_xml_writer_element (&x, "description", message);
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
      set_type (req, XML_TYPE);
    }
}

typedef struct {
  KsRequest     *req;
  gboolean       json;
  KsForm        *form;       /* the POST body */
  KsOpen311Body  body;
  KsApiKey       key;
  GString       *scratch;
} Ctx;

static void
ctx_clear (Ctx *c)
{
  g_clear_pointer (&c->form, ks_form_free);
  ks_open311_body_clear (&c->body);
  ks_api_key_clear (&c->key);
  if (c->scratch)
    g_string_free (c->scratch, TRUE);
  c->scratch = NULL;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ctx, ctx_clear)

static void o311_error (Ctx *c, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
o311_error (Ctx        *c,
            guint       status,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  ks_api_open311_write_error (c->req, c->json ? ".json" : ".xml", status, message);
}

static void
o311_gerror (Ctx          *c,
             const GError *error)
{
  guint status = 500;

  if (error->domain == KS_ERROR)
    status = ks_error_http_status (error->code);
  if (status >= 500)
    {
      g_warning ("%s %s: %s", c->req->method, c->req->path, error->message);
      o311_error (c, status, "The server could not complete this request. Try again later.");
    }
  else
    o311_error (c, status, "%s", error->message);
}

/* A field of the request: the form body first (POST), then the query string. */
static const char *
field (Ctx        *c,
       const char *name)
{
  const char *v = c->form ? ks_form_get (c->form, name) : NULL;

  if (v != NULL && *v != '\0')
    return v;
  return ks_request_query (c->req, name);
}

/* Reads the format, the form body of a POST and the jurisdiction. */
static gboolean
ctx_begin (Ctx       *c,
           KsRequest *req,
           gboolean   post)
{
  g_autoptr(GError) error = NULL;
  const char *jurisdiction;
  gboolean found = FALSE;

  c->req = req;
  c->json = path_wants_json (req->path);

  if (post)
    {
      const char *type = req->content_type;
      const char *data = NULL;
      gsize len = 0;

      if (type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") != 0)
        {
          o311_error (c, 400, "Send the fields as application/x-www-form-urlencoded, "
                      "not %s.", type);
          return FALSE;
        }
      if (req->body != NULL)
        data = g_bytes_get_data (req->body, &len);
      c->form = ks_form_parse (data, len, MAX_FORM_FIELDS, &error);
      if (c->form == NULL)
        {
          o311_error (c, 400, "%s", error->message);
          return FALSE;
        }
    }

  jurisdiction = field (c, "jurisdiction_id");
  if (!ks_store_open311_find_body (req->store, jurisdiction, &found, &c->body, &error))
    {
      o311_gerror (c, error);
      return FALSE;
    }
  if (!found)
    {
      if (jurisdiction != NULL)
        o311_error (c, 404, "There is no jurisdiction “%s” here. Leave jurisdiction_id out, "
                    "or use the one discovery gives.", jurisdiction);
      else
        o311_error (c, 404, "This server has no council set up yet. Try again once it has one.");
      return FALSE;
    }
  return TRUE;
}

/* Checks api_key: 403 when missing, unknown, revoked or another council's. */
static gboolean
ctx_require_key (Ctx      *c,
                 gboolean  touch)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *key = field (c, "api_key");
  gboolean found = FALSE;

  if (key == NULL)
    {
      o311_error (c, 403, "This needs an API key: send it as api_key. "
                  "Ask the council for a key if you do not have one.");
      return FALSE;
    }
  hash = ks_token_hash (key);
  if (!ks_store_open311_find_api_key (c->req->store, hash, touch, &found, &c->key, &error))
    {
      o311_gerror (c, error);
      return FALSE;
    }
  if (!found)
    {
      o311_error (c, 403, "This API key is not valid or has been revoked. "
                  "Ask the council for a new key.");
      return FALSE;
    }
  if (c->key.body_id != c->body.id)
    {
      o311_error (c, 403, "This API key belongs to another jurisdiction (“%s”). "
                  "Send that jurisdiction_id, or use a key of this council.", c->key.body_slug);
      return FALSE;
    }
  return TRUE;
}

/* Strips ".xml" or ".json" from a path parameter; NULL when it has neither. */
static char *
strip_format (const char *segment)
{
  if (segment == NULL)
    return NULL;
  if (g_str_has_suffix (segment, ".xml"))
    return g_strndup (segment, strlen (segment) - 4);
  if (g_str_has_suffix (segment, ".json"))
    return g_strndup (segment, strlen (segment) - 5);
  return NULL;
}

static gboolean
parse_id (const char *s,
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
static gboolean
date_param (Ctx        *c,
            const char *name,
            gint64     *out)
{
  const char *v = field (c, name);

  *out = 0;
  if (v == NULL)
    return TRUE;
  if (!parse_w3c (v, out) || *out <= 0)
    {
      o311_error (c, 400, "%s “%s” is not a W3C date and time: write it like "
                  "2026-11-22T09:30:00Z or 2026-11-22T09:30:00+00:00.", name, v);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_coordinate (const char *text,
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
static gboolean
text_field (Ctx         *c,
            const char  *name,
            gsize        max,
            const char **out)
{
  const char *v = field (c, name);

  *out = NULL;
  if (v == NULL)
    return TRUE;
  if (g_utf8_strlen (v, -1) > (glong) max)
    {
      o311_error (c, 400, "%s is too long: send at most %" G_GSIZE_FORMAT " characters.", name, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
url_field (Ctx         *c,
           const char  *name,
           const char **out)
{
  if (!text_field (c, name, MAX_URL, out))
    return FALSE;
  if (*out != NULL && !g_str_has_prefix (*out, "https://") && !g_str_has_prefix (*out, "http://"))
    {
      o311_error (c, 400, "%s must be an http or https address.", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
email_field (Ctx         *c,
             const char  *name,
             const char **out)
{
  const char *at;

  if (!text_field (c, name, MAX_EMAIL, out))
    return FALSE;
  if (*out != NULL &&
      ((at = strchr (*out, '@')) == NULL || at == *out || at[1] == '\0' ||
       strpbrk (*out, " \t\r\n<>,;") != NULL))
    {
      o311_error (c, 400, "%s “%s” is not an email address.", name, *out);
      return FALSE;
    }
  return TRUE;
}

/* "First Last" from first_name and last_name; NULL when both are empty. */
static char *
person_name (const char *first,
             const char *last)
{
  g_autofree char *joined = g_strjoin (" ", first ? first : "", last ? last : "", NULL);
  g_strstrip (joined);
  return *joined ? g_steal_pointer (&joined) : NULL;
}

/* Starts an answer in the request's format. */
static void
begin_answer (Ctx          *c,
              guint         status,
              KsXmlWriter  *x,
              KsJsonWriter *w)
{
  g_string_truncate (c->req->response, 0);
  c->req->status = status;
  if (c->json)
    {
      ks_json_writer_init (w, c->req->response);
      set_type (c->req, JSON_TYPE);
    }
  else
    {
      ks_xml_writer_init (x, c->req->response);
      set_type (c->req, XML_TYPE);
    }
}

/* Writes the audit entry of a client's write (no staff member: the key is named). */
static gboolean
audit_client (Ctx        *c,
              const char *action,
              gint64      report_id,
              const char *extra_key,
              const char *extra_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "api_key_id", c->key.id);
  ks_json_writer_member_string (&w, "api_key", c->key.name);
  ks_json_writer_member_string (&w, "address", c->req->principal.address);
  if (extra_key != NULL)
    ks_json_writer_member_string (&w, extra_key, extra_value);
  ks_json_writer_end_object (&w);
  if (!ks_store_audit (c->req->store, NULL, c->body.id, action, "report", report_id,
                       details->str, &error))
    {
      o311_gerror (c, error);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------
 * Service definitions: a category's extra questions
 * ------------------------------------------------------------------------- */

/* The questions and the checks on answers are ks-questions.c's, shared with the
 * staff API. */
typedef KsQuestion Attribute;
#define service_attributes ks_questions_parse
#define value_text         ks_question_value_text
#define attribute_has_key  ks_question_has_key

static gboolean
has_visible_attributes (const char *extra)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) attrs = service_attributes (parser, extra);
  return attrs->len > 0;
}

/* ---------------------------------------------------------------------------
 * GET discovery
 * ------------------------------------------------------------------------- */

static void
handle_discovery (KsRequest *req)
{
  g_auto(Ctx) c = { 0 };
  g_autofree char *url = NULL;
  const char *base = req->config->public_url ? req->config->public_url : "";
  const char *contact;
  const char *key_service;
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ctx_begin (&c, req, FALSE))
    return;
  url = g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", "open311/v2", NULL);
  contact = c.body.email ? c.body.email : c.body.name;
  key_service = "Ask the council for an API key; council administrators make them "
                "in Kerbside (Administration, API keys).";

  begin_answer (&c, 200, &x, &w);
  if (c.json)
    {
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "changeset", OPEN311_CHANGESET);
      ks_json_writer_member_string (&w, "contact", contact);
      ks_json_writer_member_string (&w, "key_service", key_service);
      ks_json_writer_key (&w, "endpoints");
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "specification", OPEN311_SPEC);
      ks_json_writer_member_string (&w, "url", url);
      ks_json_writer_member_string (&w, "changeset", OPEN311_CHANGESET);
      ks_json_writer_member_string (&w, "type", "production");
      ks_json_writer_key (&w, "formats");
      ks_json_writer_begin_array (&w);
      ks_json_writer_string (&w, "text/xml");
      ks_json_writer_string (&w, "application/json");
      ks_json_writer_end_array (&w);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
      ks_json_writer_end_object (&w);
      return;
    }
  ks_xml_writer_begin (&x, "discovery");
  ks_xml_writer_element (&x, "changeset", OPEN311_CHANGESET);
  ks_xml_writer_element (&x, "contact", contact);
  ks_xml_writer_element (&x, "key_service", key_service);
  ks_xml_writer_begin (&x, "endpoints");
  ks_xml_writer_begin (&x, "endpoint");
  ks_xml_writer_element (&x, "specification", OPEN311_SPEC);
  ks_xml_writer_element (&x, "url", url);
  ks_xml_writer_element (&x, "changeset", OPEN311_CHANGESET);
  ks_xml_writer_element (&x, "type", "production");
  ks_xml_writer_begin (&x, "formats");
  ks_xml_writer_element (&x, "format", "text/xml");
  ks_xml_writer_element (&x, "format", "application/json");
  ks_xml_writer_end (&x);
  ks_xml_writer_end (&x);
  ks_xml_writer_end (&x);
  ks_xml_writer_end (&x);
}

/* ---------------------------------------------------------------------------
 * GET services, services/{code}
 * ------------------------------------------------------------------------- */

static void
handle_services (KsRequest *req)
{
  g_auto(Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ctx_begin (&c, req, FALSE))
    return;
  if (!ks_store_open311_list_services (req->store, c.body.id, &services, &error))
    {
      o311_gerror (&c, error);
      return;
    }

  begin_answer (&c, 200, &x, &w);
  if (c.json)
    ks_json_writer_begin_array (&w);
  else
    ks_xml_writer_begin (&x, "services");

  for (guint i = 0; i < services->len; i++)
    {
      KsOpen311Service *s = g_ptr_array_index (services, i);
      g_auto(GStrv) groups = NULL;
      gboolean metadata;
      guint n_groups;

      if (!s->active || s->is_private)
        continue;
      groups = g_strsplit (s->group_name ? s->group_name : "", "|", -1);
      n_groups = g_strv_length (groups);
      metadata = has_visible_attributes (s->extra);

      if (c.json)
        {
          ks_json_writer_begin_object (&w);
          ks_json_writer_member_string (&w, "service_code", s->code);
          ks_json_writer_member_string (&w, "service_name", s->name);
          ks_json_writer_member_string (&w, "description", s->description);
          ks_json_writer_member_bool (&w, "metadata", metadata);
          ks_json_writer_member_string (&w, "type", "realtime");
          ks_json_writer_member_string (&w, "keywords", "");
          ks_json_writer_member_string (&w, "group", n_groups > 0 ? groups[0] : "");
          if (n_groups > 1)
            {
              ks_json_writer_key (&w, "groups");
              ks_json_writer_begin_array (&w);
              for (guint g = 0; g < n_groups; g++)
                ks_json_writer_string (&w, groups[g]);
              ks_json_writer_end_array (&w);
            }
          ks_json_writer_end_object (&w);
        }
      else
        {
          ks_xml_writer_begin (&x, "service");
          ks_xml_writer_element (&x, "service_code", s->code);
          ks_xml_writer_element (&x, "service_name", s->name);
          ks_xml_writer_element (&x, "description", s->description);
          ks_xml_writer_element_bool (&x, "metadata", metadata);
          ks_xml_writer_element (&x, "type", "realtime");
          ks_xml_writer_element (&x, "keywords", NULL);
          ks_xml_writer_element (&x, "group", n_groups > 0 ? groups[0] : NULL);
          if (n_groups > 1)
            {
              ks_xml_writer_begin (&x, "groups");
              for (guint g = 0; g < n_groups; g++)
                ks_xml_writer_element (&x, "group", groups[g]);
              ks_xml_writer_end (&x);
            }
          ks_xml_writer_end (&x);
        }
    }

  if (c.json)
    ks_json_writer_end_array (&w);
  else
    ks_xml_writer_end (&x);
}

static void
handle_service_definition (KsRequest *req)
{
  g_auto(Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(KsOpen311Service) s = { 0 };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) attrs = NULL;
  g_autofree char *code = NULL;
  gboolean found = FALSE;
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ctx_begin (&c, req, FALSE))
    return;
  code = strip_format (ks_request_param (req, "code"));
  if (code == NULL)
    {
      o311_error (&c, 404, "There is nothing at this address: end it in .xml or .json.");
      return;
    }
  if (!ks_store_open311_get_service (req->store, c.body.id, code, &found, &s, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (!found || !s.active || s.is_private)
    {
      o311_error (&c, 404, "There is no service “%s”. GET services.xml for the list of services.", code);
      return;
    }

  parser = json_parser_new ();
  attrs = service_attributes (parser, s.extra);

  begin_answer (&c, 200, &x, &w);
  if (c.json)
    {
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "service_code", s.code);
      ks_json_writer_key (&w, "attributes");
      ks_json_writer_begin_array (&w);
    }
  else
    {
      ks_xml_writer_begin (&x, "service_definition");
      ks_xml_writer_element (&x, "service_code", s.code);
      ks_xml_writer_begin (&x, "attributes");
    }

  for (guint i = 0; i < attrs->len; i++)
    {
      const Attribute *a = &g_array_index (attrs, Attribute, i);
      guint n_values = a->values ? json_array_get_length (a->values) : 0;

      if (c.json)
        {
          ks_json_writer_begin_object (&w);
          ks_json_writer_member_bool (&w, "variable", a->variable);
          ks_json_writer_member_string (&w, "code", a->code);
          ks_json_writer_member_string (&w, "datatype", a->datatype);
          ks_json_writer_member_bool (&w, "required", a->required);
          ks_json_writer_member_string (&w, "datatype_description", a->datatype_description);
          ks_json_writer_member_int (&w, "order", a->order);
          ks_json_writer_member_string (&w, "description", a->description);
          if (a->hidden_field)
            ks_json_writer_member_string (&w, "automated", "hidden_field");
          ks_json_writer_key (&w, "values");
          ks_json_writer_begin_array (&w);
        }
      else
        {
          ks_xml_writer_begin (&x, "attribute");
          ks_xml_writer_element_bool (&x, "variable", a->variable);
          ks_xml_writer_element (&x, "code", a->code);
          ks_xml_writer_element (&x, "datatype", a->datatype);
          ks_xml_writer_element_bool (&x, "required", a->required);
          ks_xml_writer_element (&x, "datatype_description", a->datatype_description);
          ks_xml_writer_element_int (&x, "order", a->order);
          ks_xml_writer_element (&x, "description", a->description);
          if (a->hidden_field)
            ks_xml_writer_element (&x, "automated", "hidden_field");
          ks_xml_writer_begin (&x, "values");
        }
      for (guint v = 0; v < n_values; v++)
        {
          JsonNode *n = json_array_get_element (a->values, v);
          g_autofree char *key = NULL, *name = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (n))
            continue;
          key = value_text (json_node_get_object (n), "key");
          name = value_text (json_node_get_object (n), "name");
          if (c.json)
            {
              ks_json_writer_begin_object (&w);
              ks_json_writer_member_string (&w, "key", key);
              ks_json_writer_member_string (&w, "name", name);
              ks_json_writer_end_object (&w);
            }
          else
            {
              ks_xml_writer_begin (&x, "value");
              ks_xml_writer_element (&x, "key", key);
              ks_xml_writer_element (&x, "name", name);
              ks_xml_writer_end (&x);
            }
        }
      if (c.json)
        {
          ks_json_writer_end_array (&w);
          ks_json_writer_end_object (&w);
        }
      else
        {
          ks_xml_writer_end (&x);
          ks_xml_writer_end (&x);
        }
    }

  if (c.json)
    {
      ks_json_writer_end_array (&w);
      ks_json_writer_end_object (&w);
    }
  else
    {
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
    }
}

/* ---------------------------------------------------------------------------
 * GET requests, requests/{id}
 * ------------------------------------------------------------------------- */

typedef struct {
  Ctx          *c;
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
static char *
public_media_url (Ctx        *c,
                  const char *stored)
{
  const char *name = ks_media_name_from_ref (stored);
  const char *base;

  if (name == NULL)
    return g_strdup (stored);
  base = c->req->config->public_url ? c->req->config->public_url : "";
  return g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/",
                      "open311/v2/media/", name, NULL);
}

static gboolean
write_request (const KsOpen311Request *r,
               gpointer                data)
{
  g_autofree char *media_url = NULL;
  RequestsOut *o = data;
  GString *desc = o->c->scratch;
  char id[24];

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, r->id);
  compose_description (desc, r->title ? r->title : "", r->detail);
  media_url = public_media_url (o->c, r->media_url);
  o->count++;

  if (o->c->json)
    {
      KsJsonWriter *w = &o->w;

      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "service_request_id", id);
      ks_json_writer_member_string (w, "status", open_or_closed (r->state));
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
      ks_json_writer_end_object (w);
    }
  else
    {
      KsXmlWriter *x = &o->x;

      ks_xml_writer_begin (x, "request");
      ks_xml_writer_element (x, "service_request_id", id);
      ks_xml_writer_element (x, "status", open_or_closed (r->state));
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
      ks_xml_writer_end (x);
    }
  return TRUE;
}

/* Runs q and answers the list; single: 404 when nothing matched (requests/{id}). */
static void
answer_requests (Ctx                  *c,
                 const KsOpen311Query *q,
                 gint64                single)
{
  g_autoptr(GError) error = NULL;
  RequestsOut o = { .c = c };

  c->scratch = g_string_sized_new (512);
  begin_answer (c, 200, &o.x, &o.w);
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
      o311_gerror (c, error);
      return;
    }
  if (single != 0 && o.count == 0)
    {
      o311_error (c, 404, "There is no public service request %" G_GINT64_FORMAT ".", single);
      return;
    }
  if (c->json)
    ks_json_writer_end_array (&o.w);
  else
    ks_xml_writer_end (&o.x);
}

/* A comma-separated parameter; NULL (and TRUE) when absent. */
static gboolean
comma_list (Ctx         *c,
            const char  *name,
            guint        max,
            GStrv       *out)
{
  const char *v = field (c, name);
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
      o311_error (c, 400, "%s lists too many values: send at most %u, separated by commas.", name, max);
      g_clear_pointer (out, g_strfreev);
      return FALSE;
    }
  return TRUE;
}

static gboolean
int_param (Ctx        *c,
           const char *name,
           gint64      min,
           gint64      max,
           gint64      def,
           gint64     *out)
{
  const char *v = field (c, name);
  gint64 n;

  *out = def;
  if (v == NULL)
    return TRUE;
  if (!parse_id (v, &n) || n < min || n > max)
    {
      o311_error (c, 400, "%s must be a whole number from %" G_GINT64_FORMAT " to %"
                  G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }
  *out = n;
  return TRUE;
}

static void
handle_requests_get (KsRequest *req)
{
  g_auto(Ctx) c = { 0 };
  g_auto(GStrv) ids_text = NULL;
  g_auto(GStrv) codes = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  KsOpen311Query q = { 0 };
  const char *status;
  gint64 start, end, page, page_size;

  if (!ctx_begin (&c, req, FALSE))
    return;
  if (!comma_list (&c, "service_request_id", MAX_IDS, &ids_text) ||
      !comma_list (&c, "service_code", MAX_CODES, &codes) ||
      !date_param (&c, "start_date", &start) ||
      !date_param (&c, "end_date", &end) ||
      !int_param (&c, "page", 1, 1000000, 1, &page) ||
      !int_param (&c, "page_size", 1, MAX_RESULTS, MAX_RESULTS, &page_size))
    return;

  for (guint i = 0; ids_text && ids_text[i]; i++)
    {
      gint64 id;
      if (!parse_id (ids_text[i], &id))
        {
          o311_error (&c, 400, "service_request_id “%s” is not a request id: send ids "
                      "(whole numbers) separated by commas.", ids_text[i]);
          return;
        }
      g_array_append_val (ids, id);
    }
  if (start != 0 && end != 0 && start > end)
    {
      o311_error (&c, 400, "start_date is after end_date: swap them or widen the range.");
      return;
    }

  q.body_id = c.body.id;
  q.offset = (guint) ((page - 1) * page_size);
  q.limit = (guint) page_size;
  status = field (&c, "status");
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
              o311_error (&c, 400, "status “%s” is not known: use open or closed.", parts[i]);
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
  g_auto(Ctx) c = { 0 };
  g_autofree char *text = NULL;
  KsOpen311Query q = { 0 };
  gint64 id;

  if (!ctx_begin (&c, req, FALSE))
    return;
  text = strip_format (ks_request_param (req, "id"));
  if (text == NULL)
    {
      o311_error (&c, 404, "There is nothing at this address: end it in .xml or .json.");
      return;
    }
  if (!parse_id (text, &id))
    {
      o311_error (&c, 404, "There is no public service request “%s”.", text);
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
  g_auto(Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  KsOpen311Query q = { 0 };
  KsXmlWriter x;
  KsJsonWriter w;
  guint found = 0;
  gint64 id;

  if (!ctx_begin (&c, req, FALSE))
    return;
  text = strip_format (ks_request_param (req, "token"));
  if (text == NULL)
    {
      o311_error (&c, 404, "There is nothing at this address: end it in .xml or .json.");
      return;
    }
  if (!parse_id (text, &id))
    {
      o311_error (&c, 404, "There is no service request for the token “%s”.", text);
      return;
    }
  q.body_id = c.body.id;
  q.ids = &id;
  q.n_ids = 1;
  q.limit = 1;
  if (!ks_store_open311_foreach_request (req->store, &q, count_request, &found, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (found == 0)
    {
      o311_error (&c, 404, "There is no service request for the token “%s”.", text);
      return;
    }
  begin_answer (&c, 200, &x, &w);
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
read_attributes (Ctx              *c,
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
          o311_error (c, 400, "The field “%s” is not an attribute: write attribute[CODE] "
                      "or attribute[CODE][].", key);
          return FALSE;
        }
      if (code == NULL)
        continue;
      if (g_utf8_strlen (value, -1) > MAX_ATTRIBUTE_LEN)
        {
          o311_error (c, 400, "attribute[%s] is too long: send at most %d characters.",
                      code, MAX_ATTRIBUTE_LEN);
          g_free (code);
          return FALSE;
        }
      if (pairs->len / 2 >= MAX_ATTRIBUTES)
        {
          o311_error (c, 400, "There are too many attributes: send at most %d.", MAX_ATTRIBUTES);
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
      o311_error (c, 400, "attribute[%s] “%s” is not one of the values the service "
                  "definition lists: GET services/%s.xml for them.", question->code, bad_value, s->code);
      return FALSE;
    case KS_ANSWER_NOT_A_NUMBER:
      o311_error (c, 400, "attribute[%s] must be a number.", question->code);
      return FALSE;
    case KS_ANSWER_MISSING:
    default:
      o311_error (c, 400, "attribute[%s] is required (%s): answer it and send the "
                  "request again.", question->code, question->description);
      return FALSE;
    }
}

static void
handle_requests_post (KsRequest *req)
{
  g_auto(Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(KsOpen311Service) s = { 0 };
  g_autoptr(GPtrArray) attributes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *title = NULL, *name = NULL;
  const char *code, *lat_text, *lon_text, *address, *description;
  const char *first, *last, *email, *phone, *media_url;
  KsOpen311NewRequest r = { 0 };
  gboolean found = FALSE;
  gint64 id = 0;
  char id_text[24];
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ctx_begin (&c, req, TRUE) || !ctx_require_key (&c, TRUE))
    return;

  code = field (&c, "service_code");
  if (code == NULL)
    {
      o311_error (&c, 400, "service_code is required: GET services.xml for the list of services.");
      return;
    }
  if (!ks_store_open311_get_service (req->store, c.body.id, code, &found, &s, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (!found || !s.active || s.is_private)
    {
      o311_error (&c, 400, "service_code “%s” is not a service of this council: "
                  "GET services.xml for the list of services.", code);
      return;
    }

  if (!text_field (&c, "address_string", MAX_ADDRESS, &address) ||
      !text_field (&c, "description", MAX_DESCRIPTION, &description) ||
      !text_field (&c, "first_name", MAX_NAME, &first) ||
      !text_field (&c, "last_name", MAX_NAME, &last) ||
      !email_field (&c, "email", &email) ||
      !text_field (&c, "phone", MAX_PHONE, &phone) ||
      !url_field (&c, "media_url", &media_url))
    return;

  lat_text = field (&c, "lat");
  lon_text = field (&c, "long");
  if (lat_text != NULL || lon_text != NULL)
    {
      if (lat_text == NULL || lon_text == NULL)
        {
          o311_error (&c, 400, "lat and long go together: send both, or address_string alone.");
          return;
        }
      if (!parse_coordinate (lat_text, 90.0, &r.lat))
        {
          o311_error (&c, 400, "lat “%s” is not a latitude: send a number from -90 to 90.", lat_text);
          return;
        }
      if (!parse_coordinate (lon_text, 180.0, &r.lon))
        {
          o311_error (&c, 400, "long “%s” is not a longitude: send a number from -180 to 180.", lon_text);
          return;
        }
    }
  else if (address != NULL && c.body.has_area)
    {
      /* No geocoder: the report is placed at the middle of the council's area,
       * with the address as given, for staff to locate. */
      r.lat = (c.body.min_lat + c.body.max_lat) / 2;
      r.lon = (c.body.min_lon + c.body.max_lon) / 2;
    }
  else
    {
      o311_error (&c, 400, "The location is missing: send lat and long%s.",
                  c.body.has_area ? ", or address_string" : "");
      return;
    }

  if (!read_attributes (&c, &s, attributes, &title))
    return;
  if (title == NULL)
    title = derive_title (description, s.name);
  else if (g_utf8_strlen (title, -1) > MAX_TITLE)
    {
      g_autofree char *long_title = g_steal_pointer (&title);
      title = derive_title (long_title, s.name);
    }
  name = person_name (first, last);

  r.body_id = c.body.id;
  r.category_id = s.id;
  r.title = title;
  r.detail = description;
  r.address = address;
  r.reporter_name = name;
  r.reporter_email = email;
  r.reporter_phone = phone;
  r.media_url = media_url;
  r.attributes = (const char * const *) attributes->pdata;
  r.n_attributes = attributes->len / 2;
  if (!ks_store_open311_create_request (req->store, &r, &id, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (!audit_client (&c, "open311_create_request", id, "service_code", s.code))
    return;

  g_snprintf (id_text, sizeof id_text, "%" G_GINT64_FORMAT, id);
  begin_answer (&c, 200, &x, &w);
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
}

/* ---------------------------------------------------------------------------
 * GET servicerequestupdates
 * ------------------------------------------------------------------------- */

typedef struct {
  Ctx          *c;
  KsXmlWriter   x;
  KsJsonWriter  w;
} UpdatesOut;

static gboolean
write_update (const KsOpen311Update *u,
              gpointer               data)
{
  UpdatesOut *o = data;
  char id[24], rid[24];
  const char *status = status_of_state (u->state);
  g_autofree char *media_url = public_media_url (o->c, u->media_url);

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, u->id);
  g_snprintf (rid, sizeof rid, "%" G_GINT64_FORMAT, u->report_id);
  if (o->c->json)
    {
      KsJsonWriter *w = &o->w;

      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "update_id", id);
      ks_json_writer_member_string (w, "service_request_id", rid);
      ks_json_writer_member_string (w, "status", status);
      ks_json_writer_member_timestamp (w, "updated_datetime", u->created);
      ks_json_writer_member_string (w, "description", u->text ? u->text : "");
      ks_json_writer_member_string (w, "media_url", media_url);
      ks_json_writer_member_string (w, "external_status_code", u->state);
      ks_json_writer_end_object (w);
    }
  else
    {
      KsXmlWriter *x = &o->x;

      ks_xml_writer_begin (x, "request_update");
      ks_xml_writer_element (x, "update_id", id);
      ks_xml_writer_element (x, "service_request_id", rid);
      ks_xml_writer_element (x, "status", status);
      ks_xml_writer_element_timestamp (x, "updated_datetime", u->created);
      ks_xml_writer_element (x, "description", u->text);
      ks_xml_writer_element (x, "media_url", media_url);
      ks_xml_writer_element (x, "external_status_code", u->state);
      ks_xml_writer_end (x);
    }
  return TRUE;
}

static void
handle_updates_get (KsRequest *req)
{
  g_auto(Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  UpdatesOut o = { .c = &c };
  gint64 start, end;

  if (!ctx_begin (&c, req, FALSE) || !ctx_require_key (&c, TRUE))
    return;
  if (!date_param (&c, "start_date", &start) || !date_param (&c, "end_date", &end))
    return;
  if (start == 0 && end == 0)
    end = ks_time_now ();
  if (end == 0)
    end = MAX (start, ks_time_now ());
  if (start == 0)
    start = end - UPDATES_DEFAULT_SECONDS;
  if (start > end)
    {
      o311_error (&c, 400, "start_date is after end_date: swap them or widen the window.");
      return;
    }

  begin_answer (&c, 200, &o.x, &o.w);
  if (c.json)
    ks_json_writer_begin_array (&o.w);
  else
    ks_xml_writer_begin (&o.x, "service_request_updates");
  if (!ks_store_open311_foreach_update (req->store, c.body.id, start, end, MAX_RESULTS,
                                        write_update, &o, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (c.json)
    ks_json_writer_end_array (&o.w);
  else
    ks_xml_writer_end (&o.x);
}

/* ---------------------------------------------------------------------------
 * POST servicerequestupdates
 * ------------------------------------------------------------------------- */

static void
answer_update_id (Ctx    *c,
                  gint64  update_id)
{
  char id[24];
  KsXmlWriter x;
  KsJsonWriter w;

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, update_id);
  begin_answer (c, 200, &x, &w);
  if (c->json)
    {
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "update_id", id);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
    }
  else
    {
      ks_xml_writer_begin (&x, "service_request_updates");
      ks_xml_writer_begin (&x, "request_update");
      ks_xml_writer_element (&x, "update_id", id);
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
    }
}

static void
handle_updates_post (KsRequest *req)
{
  g_auto(Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(KsOpen311ReportInfo) report = { 0 };
  g_autofree char *name = NULL;
  const char *rid_text, *client_id, *status, *description, *media_url;
  const char *first, *last, *email, *new_state = NULL;
  KsOpen311NewUpdate u = { 0 };
  gboolean found = FALSE;
  gint64 rid, existing = 0, created = 0, update_id = 0, now = ks_time_now ();

  if (!ctx_begin (&c, req, TRUE) || !ctx_require_key (&c, TRUE))
    return;

  rid_text = field (&c, "service_request_id");
  if (rid_text == NULL)
    {
      o311_error (&c, 400, "service_request_id is required: send the id of the request to update.");
      return;
    }
  if (!parse_id (rid_text, &rid))
    {
      o311_error (&c, 404, "There is no public service request “%s”.", rid_text);
      return;
    }
  if (!ks_store_open311_get_report_info (req->store, rid, &found, &report, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (!found || report.body_id != c.body.id || !report.is_public)
    {
      o311_error (&c, 404, "There is no public service request %" G_GINT64_FORMAT ".", rid);
      return;
    }

  if (!text_field (&c, "update_id", MAX_CLIENT_ID, &client_id))
    return;
  if (client_id == NULL)
    {
      o311_error (&c, 400, "update_id is required: send your own id for this update, so that "
                  "it is applied only once.");
      return;
    }
  if (!ks_store_open311_find_client_update (req->store, rid, client_id, &existing, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (existing != 0)
    {
      /* Already applied: the same answer, nothing changes. */
      answer_update_id (&c, existing);
      return;
    }

  if (!text_field (&c, "description", MAX_DESCRIPTION, &description) ||
      !text_field (&c, "first_name", MAX_NAME, &first) ||
      !text_field (&c, "last_name", MAX_NAME, &last) ||
      !email_field (&c, "email", &email) ||
      !url_field (&c, "media_url", &media_url) ||
      !date_param (&c, "updated_datetime", &created))
    return;

  status = field (&c, "status");
  if (status != NULL && !state_for_status (status, report.state, &new_state))
    {
      o311_error (&c, 400, "status “%s” is not known: use open, closed, fixed, in_progress, "
                  "action_scheduled, investigating, duplicate, not_councils_responsibility, "
                  "no_further_action, internal_referral or reopen.", status);
      return;
    }
  if (description == NULL && status == NULL)
    {
      o311_error (&c, 400, "description is required: send the text of the update.");
      return;
    }
  /* The client's time, within the report's life. */
  if (created == 0 || created > now)
    created = now;
  if (created < report.created)
    created = report.created;
  name = person_name (first, last);

  u.report_id = rid;
  u.new_state = new_state;
  u.text = description;
  u.media_url = media_url;
  u.external_id = client_id;
  u.author_name = name;
  u.author_email = email;
  u.created = created;
  if (!ks_store_open311_add_update (req->store, &u, &update_id, &error))
    {
      o311_gerror (&c, error);
      return;
    }
  if (!audit_client (&c, new_state ? "open311_update_state" : "open311_update", rid,
                     "update_id", client_id))
    return;
  answer_update_id (&c, update_id);
}

/* ---------------------------------------------------------------------------
 * Staff: API keys (manage_staff)
 * ------------------------------------------------------------------------- */

static void
write_key (KsJsonWriter   *w,
           const KsApiKey *k)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", k->id);
  ks_json_writer_member_int (w, "body_id", k->body_id);
  ks_json_writer_member_string (w, "jurisdiction_id", k->body_slug);
  ks_json_writer_member_string (w, "name", k->name);
  ks_json_writer_member_timestamp (w, "created", k->created);
  ks_json_writer_member_timestamp (w, "revoked", k->revoked);
  ks_json_writer_member_timestamp (w, "last_used", k->last_used);
  ks_json_writer_end_object (w);
}

static void
handle_keys_list (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  gint64 body_id = req->principal.body_id;
  KsJsonWriter w;

  if (req->principal.is_superuser &&
      !ks_request_query_int (req, "body_id", 1, G_MAXINT64, 0, &body_id))
    return;
  if (!ks_store_open311_list_api_keys (req->store, body_id, &keys, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "api_keys");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < keys->len; i++)
    write_key (&w, g_ptr_array_index (keys, i));
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

static void
handle_keys_create (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsApiKey) key = { 0 };
  g_autofree char *token = NULL, *hash = NULL, *name = NULL;
  g_autoptr(GString) details_str = g_string_new (NULL);
  JsonObject *obj;
  const char *name_in = NULL;
  gint64 body_id = req->principal.body_id, id = 0;
  gboolean found = FALSE;
  KsJsonWriter w, dw;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "name", TRUE, MAX_NAME, &name_in))
    return;
  if (req->principal.is_superuser)
    {
      if (!ks_request_get_int (req, obj, "body_id", TRUE, 1, G_MAXINT64, &body_id))
        return;
    }
  else if (ks_request_has (obj, "body_id"))
    {
      gint64 given = 0;
      if (!ks_request_get_int (req, obj, "body_id", FALSE, 1, G_MAXINT64, &given))
        return;
      if (given != body_id)
        {
          ks_request_error (req, 422, "invalid",
                            "You can only make API keys for your own council: leave body_id out.");
          return;
        }
    }
  name = g_strstrip (g_strdup (name_in));

  token = ks_token_generate ();
  hash = ks_token_hash (token);
  if (!ks_store_open311_create_api_key (req->store, body_id, name, hash, &id, &error) ||
      !ks_store_open311_get_api_key (req->store, id, &found, &key, &error))
    {
      if (error != NULL && error->domain == KS_ERROR && error->code == KS_ERROR_CONFLICT)
        ks_request_error (req, 422, "invalid", "There is no council with body_id %" G_GINT64_FORMAT
                          ": give the id of an existing council.", body_id);
      else
        ks_request_gerror (req, error);
      return;
    }

  ks_json_writer_init (&dw, details_str);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_string (&dw, "name", name);
  ks_json_writer_end_object (&dw);
  if (!ks_request_audit (req, body_id, "api_key_create", "api_key", id, details_str->str))
    return;

  ks_request_begin_json (req, 201, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "api_key");
  write_key (&w, &key);
  ks_json_writer_member_string (&w, "key", token);
  ks_json_writer_end_object (&w);
}

static void
handle_keys_revoke (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsApiKey) key = { 0 };
  gboolean found = FALSE;
  gint64 id;
  KsJsonWriter w;

  if (!ks_request_param_id (req, "id", &id))
    return;
  if (!ks_store_open311_get_api_key (req->store, id, &found, &key, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!found || !ks_principal_in_body (&req->principal, key.body_id))
    {
      ks_request_error (req, 404, "not_found", "There is no API key %" G_GINT64_FORMAT
                        " in your council. Check the id in the list of keys.", id);
      return;
    }
  if (key.revoked == 0)
    {
      ks_api_key_clear (&key);
      if (!ks_store_open311_revoke_api_key (req->store, id, &error) ||
          !ks_store_open311_get_api_key (req->store, id, &found, &key, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      if (!ks_request_audit (req, key.body_id, "api_key_revoke", "api_key", id, NULL))
        return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "api_key");
  write_key (&w, &key);
  ks_json_writer_end_object (&w);
}

/* ---------------------------------------------------------------------------
 * Routes
 * ------------------------------------------------------------------------- */

void
ks_api_open311_register (KsRouter *router)
{
  static const char *formats[] = { "xml", "json" };
  const KsRouteFlags pub = KS_ROUTE_PUBLIC | KS_ROUTE_RAW;

  /* Open311 clients get every error in their own format, the server's too. */
  ks_router_add_group (router, "/open311", ks_api_open311_write_error);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const char *f = formats[i];
      g_autofree char *discovery = g_strdup_printf ("/open311/v2/discovery.%s", f);
      g_autofree char *services = g_strdup_printf ("/open311/v2/services.%s", f);
      g_autofree char *requests = g_strdup_printf ("/open311/v2/requests.%s", f);
      g_autofree char *updates = g_strdup_printf ("/open311/v2/servicerequestupdates.%s", f);

      ks_router_add (router, "GET", discovery, pub, KS_PERM_NONE, handle_discovery);
      ks_router_add (router, "GET", services, pub, KS_PERM_NONE, handle_services);
      ks_router_add (router, "GET", requests, pub, KS_PERM_NONE, handle_requests_get);
      ks_router_add (router, "POST", requests, pub, KS_PERM_NONE, handle_requests_post);
      ks_router_add (router, "GET", updates, pub, KS_PERM_NONE, handle_updates_get);
      ks_router_add (router, "POST", updates, pub, KS_PERM_NONE, handle_updates_post);
    }
  /* {code}.xml / {id}.json: the handlers read the format from the ending. */
  ks_router_add (router, "GET", "/open311/v2/services/{code}", pub, KS_PERM_NONE,
                 handle_service_definition);
  ks_router_add (router, "GET", "/open311/v2/requests/{id}", pub, KS_PERM_NONE,
                 handle_request_get);
  ks_router_add (router, "GET", "/open311/v2/tokens/{token}", pub, KS_PERM_NONE,
                 handle_token_get);

  ks_router_add (router, "GET", "/api/v1/api-keys", 0, KS_PERM_MANAGE_STAFF, handle_keys_list);
  ks_router_add (router, "POST", "/api/v1/api-keys", 0, KS_PERM_MANAGE_STAFF, handle_keys_create);
  ks_router_add (router, "DELETE", "/api/v1/api-keys/{id}", 0, KS_PERM_MANAGE_STAFF,
                 handle_keys_revoke);
}

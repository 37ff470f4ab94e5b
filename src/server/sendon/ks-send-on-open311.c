/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on-open311.c: the Open311 client of a contractor's service
 * (ks-send-on-open311.h), on libsoup's blocking calls: it runs on the send-on
 * worker's thread, never on a request's. */
#define G_LOG_DOMAIN "ks-send-on"

#include "sendon/ks-send-on-open311.h"
#include "http/ks-media.h"
#include "mail/ks-notices.h"
#include "ks-error.h"

#include <string.h>

static void
form_add (GString *form, const char *key, const char *value)
{
  g_autofree char *k = NULL, *v = NULL;

  if (value == NULL)
    return;
  k = g_uri_escape_string (key, NULL, FALSE);
  v = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (form, "%s%s=%s", form->len > 0 ? "&" : "", k, v);
}

static char *
url_of (const KsOpen311Endpoint *endpoint, const char *file)
{
  return g_strconcat (endpoint->endpoint, g_str_has_suffix (endpoint->endpoint, "/") ? "" : "/",
                      file, NULL);
}

gboolean
ks_send_on_open311_form (const KsServerConfig *config, KsStore *store,
                         const KsOpen311Endpoint *endpoint, gint64 report_id, char **out_form,
                         GError **error)
{
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsAdminRow) category = { 0 };
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *address = NULL;
  const char *code, *mapped;
  gboolean found = FALSE;
  double lat = 0, lon = 0;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (!ks_store_actions_get_report (store, report_id, &found, &report, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND, "The report is gone.");
      return FALSE;
    }
  if (!ks_store_admin_get (store, KS_ADMIN_OBJECT_CATEGORY, report.category_id, &category, error) ||
      !ks_store_actions_get_location (store, report_id, &lat, &lon, &address, error) ||
      !ks_store_actions_get_attributes (store, report_id, &pairs, error))
    return FALSE;
  code = ks_admin_row_get (&category, "code")->text;
  mapped = g_hash_table_lookup (endpoint->service_codes, code);

  form_add (form, "api_key", endpoint->api_key);
  form_add (form, "jurisdiction_id", endpoint->jurisdiction_id);
  form_add (form, "service_code", mapped ? mapped : code);
  form_add (form, "lat", g_ascii_formatd (number, sizeof number, "%.7f", lat));
  form_add (form, "long", g_ascii_formatd (number, sizeof number, "%.7f", lon));
  form_add (form, "address_string", address != NULL && *address != '\0' ? address : NULL);
  g_string_append (description, report.title ? report.title : "");
  if (report.detail != NULL && *report.detail != '\0' && g_strcmp0 (report.detail, report.title) != 0)
    g_string_append_printf (description, "\n\n%s", report.detail);
  g_string_append_printf (description, "\n\n(%s report %" G_GINT64_FORMAT ")",
                          report.council ? report.council : "Kerbside", report.id);
  form_add (form, "description", description->str);
  if (report.photo != NULL && ks_media_name_from_ref (report.photo) != NULL)
    {
      g_autofree char *base = ks_notices_public_base (config);
      g_autofree char *url = g_strconcat (base, "/open311/v2/media/",
                                          ks_media_name_from_ref (report.photo), NULL);
      form_add (form, "media_url", url);
    }
  for (guint i = 0; pairs != NULL && i + 1 < pairs->len; i += 2)
    {
      g_autofree char *key = g_strdup_printf ("attribute[%s]",
                                              (const char *) g_ptr_array_index (pairs, i));
      form_add (form, key, g_ptr_array_index (pairs, i + 1));
    }
  *out_form = g_string_free (g_steal_pointer (&form), FALSE);
  return TRUE;
}

/* The service's own words from an error answer ([{"code":..,"description":..}]). */
static char *
answer_message (guint status, GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (data != NULL && json_parser_load_from_data (parser, data, len, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (root), 0);
          if (JSON_NODE_HOLDS_OBJECT (first) &&
              json_object_has_member (json_node_get_object (first), "description"))
            return g_strdup_printf ("HTTP %u: %s", status,
                                    json_object_get_string_member_with_default (
                                      json_node_get_object (first), "description", ""));
        }
    }
  return g_strdup_printf ("HTTP %u %s", status, soup_status_get_phrase (status));
}

/* Errors that say the request never reached the service. */
static gboolean
never_reached (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR;
}

KsOpen311PostOutcome
ks_send_on_open311_post (SoupSession *session, const KsOpen311Endpoint *endpoint,
                         const char *form, const char *idempotency_key, char **out_remote_id,
                         char **out_message)
{
  g_autofree char *url = url_of (endpoint, "requests.json");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) request = g_bytes_new (form, strlen (form));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  guint status;
  gsize len = 0;
  const char *data;

  *out_remote_id = NULL;
  *out_message = NULL;
  msg = soup_message_new ("POST", url);
  if (msg == NULL)
    {
      *out_message = g_strdup_printf ("%s is not a URL.", url);
      return KS_OPEN311_REFUSED;
    }
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Idempotency-Key",
                               idempotency_key);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    {
      *out_message = g_strdup (error->message);
      return never_reached (error) ? KS_OPEN311_NOT_DELIVERED : KS_OPEN311_ANSWER_LOST;
    }
  status = soup_message_get_status (msg);
  if (status >= 500)
    {
      *out_message = answer_message (status, body);
      return KS_OPEN311_NOT_DELIVERED;
    }
  if (status != 200 && status != 201)
    {
      *out_message = answer_message (status, body);
      return KS_OPEN311_REFUSED;
    }
  data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (parser, data ? data : "", len, NULL) ||
      !JSON_NODE_HOLDS_ARRAY ((root = json_parser_get_root (parser))) ||
      json_array_get_length (json_node_get_array (root)) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (root), 0)))
    {
      *out_message = g_strdup ("The service's answer was not an Open311 list of requests.");
      return KS_OPEN311_REFUSED;
    }
  {
    JsonObject *o = json_array_get_object_element (json_node_get_array (root), 0);
    JsonNode *id = json_object_get_member (o, "service_request_id");

    if (id == NULL || JSON_NODE_TYPE (id) != JSON_NODE_VALUE)
      {
        *out_message = g_strdup ("The service accepted the request but gave no service_request_id "
                                 "(only a token): its updates cannot be followed.");
        return KS_OPEN311_REFUSED;
      }
    *out_remote_id = json_node_get_value_type (id) == G_TYPE_STRING
      ? g_strdup (json_node_get_string (id))
      : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
  }
  return KS_OPEN311_POSTED;
}

static char *
iso_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

JsonArray *
ks_send_on_open311_updates (SoupSession *session, const KsOpen311Endpoint *endpoint,
                            gint64 start, gint64 end, GError **error)
{
  g_autofree char *base = url_of (endpoint, "servicerequestupdates.json");
  g_autofree char *from = iso_time (start), *to = iso_time (end), *url = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  guint status;
  gsize len = 0;
  const char *data;

  form_add (query, "api_key", endpoint->api_key);
  form_add (query, "jurisdiction_id", endpoint->jurisdiction_id);
  form_add (query, "start_date", from);
  form_add (query, "end_date", to);
  url = g_strconcat (base, "?", query->str, NULL);
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s is not a URL.", base);
      return NULL;
    }
  body = soup_session_send_and_read (session, msg, NULL, error);
  if (body == NULL)
    return NULL;
  status = soup_message_get_status (msg);
  if (status != 200)
    {
      g_autofree char *why = answer_message (status, body);
      g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE, "%s", why);
      return NULL;
    }
  data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (parser, data ? data : "", len, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The service's updates were not an Open311 list.");
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}

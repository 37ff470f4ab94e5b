/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-request.c: request helpers for handlers. */
#define G_LOG_DOMAIN "ks-request"

#include "http/ks-request.h"

#include <string.h>

KsRequest *
ks_request_new (void)
{
  KsRequest *req = g_new0 (KsRequest, 1);
  req->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* A list page is 20-60 KB: start big and grow less. */
  req->response = g_string_sized_new (16384);
  req->response_headers = g_ptr_array_new_with_free_func (g_free);
  return req;
}

void
ks_request_free (KsRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->method);
  g_free (req->path);
  g_hash_table_unref (req->query);
  g_hash_table_unref (req->params);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->content_type);
  g_free (req->user_agent);
  g_free (req->idempotency_key);
  ks_principal_clear (&req->principal);
  g_string_free (req->response, TRUE);
  g_free (req->response_type);
  g_ptr_array_unref (req->response_headers);
  g_clear_object (&req->parser);
  g_clear_pointer (&req->fields_read, g_hash_table_unref);
  g_free (req);
}

const char *
ks_request_query (KsRequest  *req,
                  const char *name)
{
  const char *v = g_hash_table_lookup (req->query, name);
  return (v != NULL && *v != '\0') ? v : NULL;
}

const char *
ks_request_param (KsRequest  *req,
                  const char *name)
{
  return g_hash_table_lookup (req->params, name);
}

static gboolean
parse_int64 (const char *s, gint64 *out)
{
  char *end = NULL;
  gint64 v;

  if (s == NULL || *s == '\0' || strlen (s) > 19)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && !(p == s && *p == '-'))
      return FALSE;
  v = g_ascii_strtoll (s, &end, 10);
  if (end == NULL || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
ks_request_param_id (KsRequest  *req,
                     const char *name,
                     gint64     *out_id)
{
  gint64 v;

  if (!parse_int64 (ks_request_param (req, name), &v) || v <= 0)
    {
      ks_request_error (req, 404, "not_found", "There is no such %s.", name);
      return FALSE;
    }
  *out_id = v;
  return TRUE;
}

gboolean
ks_request_query_int (KsRequest  *req,
                      const char *name,
                      gint64      min,
                      gint64      max,
                      gint64      def,
                      gint64     *out)
{
  const char *s = ks_request_query (req, name);
  gint64 v;

  if (s == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (!parse_int64 (s, &v) || v < min || v > max)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “%s” must be a whole number from %" G_GINT64_FORMAT
                        " to %" G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* The deepest nesting of arrays and objects in JSON text, strings skipped.
 * json-glib's parser recurses once a level, so a body of a million '[' would
 * overflow the worker's stack: deep bodies are refused before parsing. json-glib
 * also reads 'single-quoted' strings and comments, which would hide brackets from
 * a count that knows only "strings": returns FALSE when a byte outside strings is
 * none of JSON's (punctuation, white space, numbers, true, false, null). */
static gboolean
json_depth (const char *data,
            gsize       len,
            guint      *out_depth)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          /* Not inside MAX (), which would count the step twice. */
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
      else if (c == '\0' || (!g_ascii_isalnum (c) && strchr (",: \t\r\n-+.]}", c) == NULL))
        return FALSE;
    }
  *out_depth = deepest;
  return TRUE;
}

JsonObject *
ks_request_json_object (KsRequest *req)
{
  JsonNode *root;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  guint depth = 0;
  const char *data;

  if (req->parser != NULL)
    {
      root = json_parser_get_root (req->parser);
      return root ? json_node_get_object (root) : NULL;
    }
  data = req->body ? g_bytes_get_data (req->body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      ks_request_error (req, 400, "bad_request", "The request needs a JSON object as its body.");
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      ks_request_error (req, 400, "bad_request", "The request body is not valid UTF-8 text.");
      return NULL;
    }
  /* json-glib cuts strings at an escaped NUL; refuse them rather than store less
   * than was sent. */
  if (g_strstr_len (data, len, "\\u0000") != NULL)
    {
      ks_request_error (req, 400, "bad_request", "Text must not contain NUL characters (\\u0000).");
      return NULL;
    }
  if (!json_depth (data, len, &depth))
    {
      ks_request_error (req, 400, "bad_request",
                        "The request body is not valid JSON: write strings in double quotes, "
                        "and leave out comments.");
      return NULL;
    }
  if (depth > KS_REQUEST_JSON_MAX_DEPTH)
    {
      ks_request_error (req, 400, "bad_request",
                        "The request body nests arrays and objects too deeply (at most %d levels).",
                        KS_REQUEST_JSON_MAX_DEPTH);
      return NULL;
    }
  req->parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (req->parser, data, len, &error))
    {
      g_clear_object (&req->parser);
      ks_request_error (req, 400, "bad_request", "The request body is not valid JSON: %s.", error->message);
      return NULL;
    }
  root = json_parser_get_root (req->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_object (&req->parser);
      ks_request_error (req, 400, "bad_request", "The request body must be a JSON object.");
      return NULL;
    }
  return json_node_get_object (root);
}

static GPrivate current_request;

void
ks_request_set_current (KsRequest *req)
{
  g_private_set (&current_request, req);
}

/* Notes that the handler read this member of the body's object. */
static void
note_read (KsRequest  *req,
           JsonObject *obj,
           const char *name)
{
  JsonNode *root;

  if (req == NULL || req->parser == NULL)
    return;
  root = json_parser_get_root (req->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) || json_node_get_object (root) != obj)
    return;
  if (req->fields_read == NULL)
    req->fields_read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_contains (req->fields_read, name))
    g_hash_table_add (req->fields_read, g_strdup (name));
}

gboolean
ks_request_has (JsonObject *obj,
                const char *name)
{
  JsonNode *n = json_object_get_member (obj, name);
  note_read (g_private_get (&current_request), obj, name);
  return n != NULL && !JSON_NODE_HOLDS_NULL (n);
}

JsonNode *
ks_request_member (KsRequest  *req,
                   JsonObject *obj,
                   const char *name)
{
  note_read (req, obj, name);
  return json_object_get_member (obj, name);
}

gboolean
ks_request_check_fields (KsRequest *req)
{
  JsonNode *root;
  JsonObjectIter it;
  const char *name;
  JsonNode *value;

  if (req->parser == NULL || (root = json_parser_get_root (req->parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  json_object_iter_init_ordered (&it, json_node_get_object (root));
  while (json_object_iter_next_ordered (&it, &name, &value))
    if (req->fields_read == NULL || !g_hash_table_contains (req->fields_read, name))
      {
        /* At most 60 characters of it (g_utf8_substring() must not be asked
         * for more than the name has: it would read past its end). */
        g_autofree char *shown = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 60));
        ks_request_error (req, 422, "unknown_field",
                          "The field “%s” is not one this request takes. Remove it "
                          "(docs/api.md lists the fields of each request).", shown);
        return FALSE;
      }
  return TRUE;
}

static JsonNode *
member_value (KsRequest *req, JsonObject *obj, const char *name, gboolean required,
              gboolean *ok)
{
  JsonNode *n = ks_request_member (req, obj, name);

  *ok = TRUE;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        {
          ks_request_error (req, 422, "invalid", "The field “%s” is required.", name);
          *ok = FALSE;
        }
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (n))
    {
      ks_request_error (req, 422, "invalid", "The field “%s” has the wrong type.", name);
      *ok = FALSE;
      return NULL;
    }
  return n;
}

gboolean
ks_api_is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

gboolean
ks_request_get_string (KsRequest   *req,
                       JsonObject  *obj,
                       const char  *name,
                       gboolean     required,
                       gsize        max_len,
                       const char **out)
{
  gboolean ok;
  JsonNode *n = member_value (req, obj, name, required, &ok);
  const char *s;

  if (n == NULL)
    return ok;
  if (json_node_get_value_type (n) != G_TYPE_STRING)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must be a string.", name);
      return FALSE;
    }
  s = json_node_get_string (n);
  if (required && ks_api_is_blank (s))
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must not be empty.", name);
      return FALSE;
    }
  if (max_len > 0 && g_utf8_strlen (s, -1) > (glong) max_len)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” is too long (at most %" G_GSIZE_FORMAT " characters).", name, max_len);
      return FALSE;
    }
  *out = s;
  return TRUE;
}

gboolean
ks_request_get_int (KsRequest  *req,
                    JsonObject *obj,
                    const char *name,
                    gboolean    required,
                    gint64      min,
                    gint64      max,
                    gint64     *out)
{
  gboolean ok;
  JsonNode *n = member_value (req, obj, name, required, &ok);
  gint64 v;

  if (n == NULL)
    return ok;
  if (json_node_get_value_type (n) != G_TYPE_INT64)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must be a whole number.", name);
      return FALSE;
    }
  v = json_node_get_int (n);
  if (v < min || v > max)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must be from %" G_GINT64_FORMAT
                        " to %" G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
ks_request_get_double (KsRequest  *req,
                       JsonObject *obj,
                       const char *name,
                       gboolean    required,
                       double     *out)
{
  gboolean ok;
  JsonNode *n = member_value (req, obj, name, required, &ok);
  GType t;

  if (n == NULL)
    return ok;
  t = json_node_get_value_type (n);
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must be a number.", name);
      return FALSE;
    }
  *out = json_node_get_double (n);
  return TRUE;
}

gboolean
ks_request_get_bool (KsRequest  *req,
                     JsonObject *obj,
                     const char *name,
                     gboolean    required,
                     gboolean   *out)
{
  gboolean ok;
  JsonNode *n = member_value (req, obj, name, required, &ok);

  if (n == NULL)
    return ok;
  if (json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    {
      ks_request_error (req, 422, "invalid", "The field “%s” must be true or false.", name);
      return FALSE;
    }
  *out = json_node_get_boolean (n);
  return TRUE;
}

gboolean
ks_request_require (KsRequest    *req,
                    KsPermission  perm)
{
  if (ks_principal_can (&req->principal, perm))
    return TRUE;
  ks_request_error (req, 403, "forbidden",
                    "Your account does not have the permission “%s” (%s). "
                    "Ask an administrator if you need it.",
                    ks_permission_id (perm), ks_permission_label (perm));
  return FALSE;
}

void
ks_request_begin_json (KsRequest    *req,
                       guint         status,
                       KsJsonWriter *writer)
{
  g_string_truncate (req->response, 0);
  req->status = status;
  g_clear_pointer (&req->response_type, g_free);
  ks_json_writer_init (writer, req->response);
}

static void
write_error (KsRequest  *req,
             guint       status,
             const char *code,
             const char *field,
             const char *message)
{
  KsJsonWriter w;

  ks_request_begin_json (req, status, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "error");
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "code", code);
  ks_json_writer_member_string (&w, "message", message);
  if (field != NULL)
    ks_json_writer_member_string (&w, "field", field);
  ks_json_writer_end_object (&w);
  ks_json_writer_end_object (&w);
}

void
ks_request_error (KsRequest  *req,
                  guint       status,
                  const char *code,
                  const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  write_error (req, status, code, NULL, message);
}

void
ks_request_field_error (KsRequest  *req,
                        const char *field,
                        const char *message)
{
  write_error (req, 422, "invalid", field, message);
}

void
ks_request_gerror (KsRequest    *req,
                   const GError *error)
{
  if (error->domain == KS_ERROR)
    {
      guint status = ks_error_http_status (error->code);
      if (status >= 500)
        g_warning ("%s %s: %s", req->method, req->path, error->message);
      /* The database is away (restart, failover): clients come back shortly.
       * The cause names hosts and sockets: it is logged above, not answered. */
      if (error->code == KS_ERROR_UNAVAILABLE)
        {
          ks_request_add_header (req, "Retry-After", KS_RETRY_AFTER_UNAVAILABLE);
          ks_request_error (req, status, ks_error_wire_code (error->code), "%s",
                            KS_UNAVAILABLE_MESSAGE);
          return;
        }
      ks_request_error (req, status, ks_error_wire_code (error->code), "%s", error->message);
    }
  else
    {
      g_warning ("%s %s: %s", req->method, req->path, error->message);
      ks_request_error (req, 500, "internal",
                        "The server could not complete this request. Try again; if it keeps "
                        "happening, tell your administrator.");
    }
}

void
ks_request_no_content (KsRequest *req)
{
  g_string_truncate (req->response, 0);
  req->status = 204;
}

void
ks_request_add_header (KsRequest  *req,
                       const char *name,
                       const char *value)
{
  g_ptr_array_add (req->response_headers, g_strdup (name));
  g_ptr_array_add (req->response_headers, g_strdup (value));
}

gboolean
ks_request_failed (KsRequest *req)
{
  return req->status >= 400;
}

gboolean
ks_request_flush (KsRequest *req)
{
  if (req->flush_func == NULL)
    return TRUE;
  return req->flush_func (req, req->flush_data);
}

gboolean
ks_request_pack (KsRequest *req)
{
  if (req->pack_func == NULL)
    return TRUE;
  return req->pack_func (req, req->flush_data);
}

gboolean
ks_request_audit (KsRequest  *req,
                  gint64      body_id,
                  const char *action,
                  const char *object_type,
                  gint64      object_id,
                  const char *details_json)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_audit (req->store, &req->principal, body_id, action, object_type,
                       object_id, details_json, &error))
    {
      ks_request_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

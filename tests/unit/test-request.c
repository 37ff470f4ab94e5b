/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-request.c: what handlers read from a request (http/ks-request.c): query
 * and path parameters, whole numbers in a range, the JSON body (refusals of
 * what is not one object), typed members with their 422 sentences, and the
 * fields a request does not take. Each refusal is checked for its status, code
 * and message as the client would get them. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "http/ks-request.h"

static KsRequest *
request_with_body (const char *body)
{
  KsRequest *req = ks_request_new ();

  if (body != NULL)
    req->body = g_bytes_new (body, strlen (body));
  return req;
}

/* The answer's error, asserting its status and code. */
static char *
error_message (KsRequest  *req,
               guint       status,
               const char *code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *err;

  g_assert_cmpuint (req->status, ==, status);
  g_assert_true (json_parser_load_from_data (parser, req->response->str, req->response->len, &error));
  g_assert_no_error (error);
  err = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "error");
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, code);
  return g_strdup (json_object_get_string_member (err, "message"));
}

static void
test_query_and_params (void)
{
  g_autoptr(KsRequest) req = ks_request_new ();
  gint64 v = 0;

  g_hash_table_insert (req->query, g_strdup ("limit"), g_strdup ("50"));
  g_hash_table_insert (req->query, g_strdup ("q"), g_strdup (""));
  g_hash_table_insert (req->params, g_strdup ("id"), g_strdup ("42"));
  g_assert_cmpstr (ks_request_query (req, "limit"), ==, "50");
  /* An empty query parameter counts as absent. */
  g_assert_null (ks_request_query (req, "q"));
  g_assert_null (ks_request_query (req, "missing"));
  g_assert_cmpstr (ks_request_param (req, "id"), ==, "42");
  g_assert_true (ks_request_param_id (req, "id", &v));
  g_assert_cmpint (v, ==, 42);
  g_assert_true (ks_request_query_int (req, "limit", 1, 500, 100, &v));
  g_assert_cmpint (v, ==, 50);
  g_assert_true (ks_request_query_int (req, "offset", 0, 10, 7, &v));
  g_assert_cmpint (v, ==, 7);
  g_assert_cmpuint (req->status, ==, 0);
}

static void
test_param_id_refused (void)
{
  static const char *const bad[] = { "0", "-3", "abc", "4x", "", "12345678901234567890", " 1" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(KsRequest) req = ks_request_new ();
      g_autofree char *message = NULL;
      gint64 v = -1;

      g_hash_table_insert (req->params, g_strdup ("report"), g_strdup (bad[i]));
      g_assert_false (ks_request_param_id (req, "report", &v));
      g_assert_cmpint (v, ==, -1);
      message = error_message (req, 404, "not_found");
      g_assert_cmpstr (message, ==, "There is no such report.");
    }
}

static void
test_query_int_refused (void)
{
  static const char *const bad[] = { "0", "501", "ten", "1.5", "-", "99999999999999999999" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(KsRequest) req = ks_request_new ();
      g_autofree char *message = NULL;
      gint64 v = -1;

      g_hash_table_insert (req->query, g_strdup ("limit"), g_strdup (bad[i]));
      g_assert_false (ks_request_query_int (req, "limit", 1, 500, 100, &v));
      g_assert_cmpint (v, ==, -1);
      message = error_message (req, 422, "invalid");
      g_assert_cmpstr (message, ==, "The parameter “limit” must be a whole number from 1 to 500.");
    }
}

static void
test_body_refused (void)
{
  static const struct { const char *body; gssize len; const char *says; } bad[] = {
    { NULL, 0, "needs a JSON object" },
    { "", 0, "needs a JSON object" },
    { "{\"a\": \"\xff\"}", -1, "not valid UTF-8" },
    { "{\"a\": \"x\\u0000y\"}", -1, "NUL" },
    { "{'a': 1}", -1, "double quotes" },
    { "{\"a\": 1} // note", -1, "leave out comments" },
    { "{\"a\": ", -1, "not valid JSON" },
    { "[1, 2]", -1, "must be a JSON object" },
    { "42", -1, "must be a JSON object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(KsRequest) req = request_with_body (bad[i].body);
      g_autofree char *message = NULL;

      g_assert_null (ks_request_json_object (req));
      message = error_message (req, 400, "bad_request");
      g_test_message ("body %u: %s", i, message);
      g_assert_nonnull (strstr (message, bad[i].says));
    }
}

static char *
nested (guint levels)
{
  GString *s = g_string_new ("{\"a\": ");

  for (guint i = 1; i < levels; i++)
    g_string_append_c (s, '[');
  for (guint i = 1; i < levels; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
test_body_depth (void)
{
  g_autofree char *shallow = nested (10);
  g_autofree char *deepest = nested (KS_REQUEST_JSON_MAX_DEPTH);
  g_autofree char *deep = nested (KS_REQUEST_JSON_MAX_DEPTH + 1);
  g_autoptr(GString) wide = g_string_new ("{\"items\": [");
  g_autoptr(KsRequest) taken = request_with_body (shallow);
  g_autoptr(KsRequest) refused = request_with_body (deep);
  g_autoptr(KsRequest) at_limit = NULL;
  g_autoptr(KsRequest) long_list = NULL;
  g_autofree char *message = NULL;

  /* Depth is how deep, not how many: a list of a thousand small objects (a bulk
   * action's items) is three levels. */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (wide, "%s{\"id\": %u, \"version\": 1}", i ? ", " : "", i + 1);
  g_string_append (wide, "]}");
  long_list = request_with_body (wide->str);
  at_limit = request_with_body (deepest);
  g_assert_nonnull (ks_request_json_object (long_list));
  g_assert_nonnull (ks_request_json_object (at_limit));
  g_assert_nonnull (ks_request_json_object (taken));
  g_assert_null (ks_request_json_object (refused));
  message = error_message (refused, 400, "bad_request");
  g_assert_cmpstr (message, ==, "The request body nests arrays and objects too deeply (at most 32 levels).");
}

static void
test_members (void)
{
  g_autoptr(KsRequest) req = request_with_body ("{\"title\": \"Broken kerb\", \"n\": 12, \"lat\": 51.5,"
                                                " \"whole\": 3, \"done\": true, \"none\": null}");
  JsonObject *obj = ks_request_json_object (req);
  const char *s = NULL;
  gint64 n = 0;
  double d = 0;
  gboolean b = FALSE;

  g_assert_nonnull (obj);
  g_assert_true (ks_request_get_string (req, obj, "title", TRUE, 100, &s));
  g_assert_cmpstr (s, ==, "Broken kerb");
  g_assert_true (ks_request_get_int (req, obj, "n", TRUE, 1, 12, &n));
  g_assert_cmpint (n, ==, 12);
  g_assert_true (ks_request_get_double (req, obj, "lat", TRUE, &d));
  g_assert_cmpfloat (d, ==, 51.5);
  /* A whole number is a number too. */
  g_assert_true (ks_request_get_double (req, obj, "whole", TRUE, &d));
  g_assert_cmpfloat (d, ==, 3.0);
  g_assert_true (ks_request_get_bool (req, obj, "done", TRUE, &b));
  g_assert_true (b);
  /* Absent or null and optional: left alone. */
  s = "kept";
  g_assert_true (ks_request_get_string (req, obj, "none", FALSE, 0, &s));
  g_assert_true (ks_request_get_string (req, obj, "missing", FALSE, 0, &s));
  g_assert_cmpstr (s, ==, "kept");
  g_assert_true (ks_request_has (obj, "title"));
  g_assert_false (ks_request_has (obj, "none"));
  g_assert_false (ks_request_has (obj, "missing"));
  g_assert_cmpuint (req->status, ==, 0);
}

typedef gboolean (*Reader) (KsRequest *req, JsonObject *obj);

static gboolean read_required_string (KsRequest *req, JsonObject *obj)
{ const char *s; return ks_request_get_string (req, obj, "v", TRUE, 5, &s); }
static gboolean read_int (KsRequest *req, JsonObject *obj)
{ gint64 n; return ks_request_get_int (req, obj, "v", TRUE, 1, 10, &n); }
static gboolean read_double (KsRequest *req, JsonObject *obj)
{ double d; return ks_request_get_double (req, obj, "v", TRUE, &d); }
static gboolean read_bool (KsRequest *req, JsonObject *obj)
{ gboolean b; return ks_request_get_bool (req, obj, "v", TRUE, &b); }

static void
test_members_refused (void)
{
  static const struct { Reader read; const char *body; const char *message; } bad[] = {
    { read_required_string, "{}", "The field “v” is required." },
    { read_required_string, "{\"v\": null}", "The field “v” is required." },
    { read_required_string, "{\"v\": 3}", "The field “v” must be a string." },
    { read_required_string, "{\"v\": \"  \"}", "The field “v” must not be empty." },
    { read_required_string, "{\"v\": \"éééééé\"}", "The field “v” is too long (at most 5 characters)." },
    { read_required_string, "{\"v\": [1]}", "The field “v” has the wrong type." },
    { read_int, "{\"v\": 1.5}", "The field “v” must be a whole number." },
    { read_int, "{\"v\": \"3\"}", "The field “v” must be a whole number." },
    { read_int, "{\"v\": 11}", "The field “v” must be from 1 to 10." },
    { read_int, "{\"v\": 0}", "The field “v” must be from 1 to 10." },
    { read_double, "{\"v\": \"1.5\"}", "The field “v” must be a number." },
    { read_bool, "{\"v\": 1}", "The field “v” must be true or false." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(KsRequest) req = request_with_body (bad[i].body);
      JsonObject *obj = ks_request_json_object (req);
      g_autofree char *message = NULL;

      g_assert_nonnull (obj);
      g_assert_false (bad[i].read (req, obj));
      message = error_message (req, 422, "invalid");
      g_assert_cmpstr (message, ==, bad[i].message);
    }
}

static void
test_unknown_fields (void)
{
  g_autoptr(KsRequest) req = request_with_body ("{\"title\": \"x\", \"colour\": \"red\"}");
  g_autoptr(KsRequest) all_read = request_with_body ("{\"title\": \"x\"}");
  JsonObject *obj = ks_request_json_object (req);
  const char *s = NULL;
  g_autofree char *message = NULL;

  g_assert_true (ks_request_get_string (req, obj, "title", TRUE, 0, &s));
  g_assert_false (ks_request_check_fields (req));
  message = error_message (req, 422, "unknown_field");
  g_assert_cmpstr (message, ==, "The field “colour” is not one this request takes. Remove it "
                   "(docs/api.md lists the fields of each request).");

  obj = ks_request_json_object (all_read);
  g_assert_true (ks_request_get_string (all_read, obj, "title", TRUE, 0, &s));
  g_assert_true (ks_request_check_fields (all_read));
  g_assert_cmpuint (all_read->status, ==, 0);
}

static void
test_blank (void)
{
  g_assert_true (ks_api_is_blank (NULL));
  g_assert_true (ks_api_is_blank (""));
  g_assert_true (ks_api_is_blank (" \t\r\n"));
  g_assert_false (ks_api_is_blank (" x "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/request/query-and-params", test_query_and_params);
  g_test_add_func ("/request/param-id-refused", test_param_id_refused);
  g_test_add_func ("/request/query-int-refused", test_query_int_refused);
  g_test_add_func ("/request/body-refused", test_body_refused);
  g_test_add_func ("/request/body-depth", test_body_depth);
  g_test_add_func ("/request/members", test_members);
  g_test_add_func ("/request/members-refused", test_members_refused);
  g_test_add_func ("/request/unknown-fields", test_unknown_fields);
  g_test_add_func ("/request/blank", test_blank);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-router.c: the route table (http/ks-router.c): METHOD + pattern to the
 * handler, "{name}" captures, a trailing slash, paths known under another
 * method (405 rather than 404), and the route groups' error writers. */
#include <glib.h>

#include "http/ks-router.h"

static void handle_list (KsRequest *req) { }
static void handle_get (KsRequest *req) { }
static void handle_patch (KsRequest *req) { }
static void handle_photo (KsRequest *req) { }
static void handle_services (KsRequest *req) { }

static void
write_open311_error (KsRequest  *req,
                     const char *path,
                     guint       status,
                     const char *message)
{
}

static KsRouter *
make_router (void)
{
  KsRouter *router = ks_router_new ();

  ks_router_add_group (router, "/open311/v2", write_open311_error);
  ks_router_add (router, "GET", "/api/v1/reports", KS_ROUTE_DEFAULT, KS_PERM_NONE, handle_list);
  ks_router_add (router, "GET", "/api/v1/reports/{id}", KS_ROUTE_DEFAULT, 3, handle_get);
  ks_router_add (router, "PATCH", "/api/v1/reports/{id}", KS_ROUTE_SLOW | KS_ROUTE_NO_TXN, 5, handle_patch);
  ks_router_add (router, "GET", "/api/v1/reports/{id}/photos/{name}", KS_ROUTE_RAW, KS_PERM_NONE, handle_photo);
  ks_router_add (router, "GET", "/open311/v2/services.{format}", KS_ROUTE_PUBLIC, KS_PERM_NONE, handle_services);
  return router;
}

static const KsRoute *
match (KsRouter   *router,
       const char *method,
       const char *path,
       GHashTable *params,
       gboolean   *known)
{
  return ks_router_match (router, method, path, params, known);
}

static void
test_match (void)
{
  KsRouter *router = make_router ();
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const KsRoute *route;
  gboolean known = FALSE;

  route = match (router, "GET", "/api/v1/reports", params, &known);
  g_assert_nonnull (route);
  g_assert_true (known);
  g_assert_true (route->handler == handle_list);
  g_assert_cmpint (route->permission, ==, KS_PERM_NONE);
  g_assert_cmpuint (g_hash_table_size (params), ==, 0);

  route = match (router, "GET", "/api/v1/reports/42", params, &known);
  g_assert_true (route->handler == handle_get);
  g_assert_cmpint (route->permission, ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "42");

  /* The same path under another method is another route, with its flags. */
  route = match (router, "PATCH", "/api/v1/reports/7", params, &known);
  g_assert_true (route->handler == handle_patch);
  g_assert_cmpint (route->flags, ==, KS_ROUTE_SLOW | KS_ROUTE_NO_TXN);
  g_assert_cmpstr (route->method, ==, "PATCH");
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "7");

  /* Two captures; the parameters of an earlier match are gone. */
  route = match (router, "GET", "/api/v1/reports/9/photos/ab12.jpg", params, &known);
  g_assert_true (route->handler == handle_photo);
  g_assert_cmpuint (g_hash_table_size (params), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "9");
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "ab12.jpg");

  /* A capture is a whole segment: "services.{format}" is taken as written. */
  g_assert_true (match (router, "GET", "/open311/v2/services.{format}", params, &known)->handler == handle_services);
  g_assert_null (match (router, "GET", "/open311/v2/services.xml", params, &known));
  g_assert_false (known);

  ks_router_free (router);
}

static void
test_trailing_slash (void)
{
  KsRouter *router = make_router ();
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean known = FALSE;

  g_assert_true (match (router, "GET", "/api/v1/reports/", params, &known)->handler == handle_list);
  g_assert_true (match (router, "GET", "/api/v1/reports/12/", params, &known)->handler == handle_get);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "12");
  /* Only one: two slashes leave an empty segment. */
  g_assert_null (match (router, "GET", "/api/v1/reports//", params, &known));
  ks_router_free (router);
}

static void
test_unknown (void)
{
  KsRouter *router = make_router ();
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean known = TRUE;

  /* A path that exists under other methods: known (405). */
  g_assert_null (match (router, "DELETE", "/api/v1/reports/42", params, &known));
  g_assert_true (known);
  g_assert_null (match (router, "get", "/api/v1/reports", params, &known));
  g_assert_true (known);
  /* Paths no route has: unknown (404). */
  g_assert_null (match (router, "GET", "/api/v1/report", params, &known));
  g_assert_false (known);
  g_assert_null (match (router, "GET", "/api/v1/reports/42/extra", params, &known));
  g_assert_false (known);
  g_assert_null (match (router, "GET", "/api/v1", params, &known));
  g_assert_false (known);
  /* An empty capture matches nothing. */
  g_assert_null (match (router, "GET", "/api/v1/reports//photos/x.jpg", params, &known));
  g_assert_false (known);
  g_assert_null (match (router, "GET", "", params, &known));
  g_assert_false (known);
  ks_router_free (router);
}

static void
test_groups (void)
{
  KsRouter *router = make_router ();
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean known = FALSE;

  /* A route under a group answers errors in the group's format. */
  g_assert_true (match (router, "GET", "/open311/v2/services.{format}", params, &known)->error_writer
                 == write_open311_error);
  g_assert_null (match (router, "GET", "/api/v1/reports", params, &known)->error_writer);
  /* Paths: the prefix itself and below it, not a longer name. */
  g_assert_true (ks_router_error_writer (router, "/open311/v2") == write_open311_error);
  g_assert_true (ks_router_error_writer (router, "/open311/v2/requests.xml") == write_open311_error);
  g_assert_null (ks_router_error_writer (router, "/open311/v2x/requests.xml"));
  g_assert_null (ks_router_error_writer (router, "/open311"));
  g_assert_null (ks_router_error_writer (router, "/api/v1/reports"));
  g_assert_null (ks_router_error_writer (router, NULL));
  ks_router_free (router);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/router/match", test_match);
  g_test_add_func ("/router/trailing-slash", test_trailing_slash);
  g_test_add_func ("/router/unknown", test_unknown);
  g_test_add_func ("/router/groups", test_groups);
  return g_test_run ();
}

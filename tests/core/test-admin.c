/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-admin.c: the administration's calls (ks-admin.c) against the real
 * kerbside-server: listing each collection, creating, changing and deleting,
 * API keys, signing staff out everywhere, and the server's refusals. */
#define G_LOG_DOMAIN "test-admin"

#include "ks-admin.h"
#include "ks-session.h"
#include "ks-error.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <string.h>

#define ADMIN "admin@demo.invalid"
#define INSPECTOR "inspector@demo.invalid"

static KsTestServer *server;

static KsSession *
sign_in (const char *email)
{
  return ks_test_sign_in (server, email);
}

static JsonArray *
list (KsClient *client, KsAdminCollection collection, const char *search, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ks_admin_list_async (client, collection, search, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  return ks_admin_list_finish (client, result, error);
}

static JsonNode *
finish_change (KsClient *client, GAsyncResult **result, GError **error)
{
  ks_test_wait (result);
  return ks_admin_change_finish (client, *result, error);
}

/* The object of items whose member is value, or NULL. */
static JsonObject *
find (JsonArray *items, const char *member, const char *value)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      if (g_strcmp0 (json_object_get_string_member_with_default (o, member, NULL), value) == 0)
        return o;
    }
  return NULL;
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_lists (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  KsClient *client = ks_session_get_client (session);

  for (KsAdminCollection c = 0; c < KS_N_ADMIN_COLLECTIONS; c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) items = list (client, c, NULL, &error);
      KsAdminCollection back;

      if (c == KS_ADMIN_COUNCILS)
        {
          /* Only platform operators list the councils. */
          g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
          g_assert_null (items);
          continue;
        }
      g_assert_no_error (error);
      g_assert_nonnull (items);
      g_assert_true (ks_admin_collection_from_id (ks_admin_collection_id (c), &back));
      g_assert_cmpint (back, ==, c);
      if (c == KS_ADMIN_ROLES)
        {
          g_assert_cmpuint (json_array_get_length (items), ==, 4);
          g_assert_nonnull (find (items, "name", "Administrators"));
        }
      if (c == KS_ADMIN_STAFF || c == KS_ADMIN_CATEGORIES || c == KS_ADMIN_TEMPLATES)
        g_assert_cmpuint (json_array_get_length (items), >, 0);
    }

  /* Staff: the search narrows the list. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) all = list (client, KS_ADMIN_STAFF, "", &error);
    g_autoptr(JsonArray) found = list (client, KS_ADMIN_STAFF, "ADMIN@demo", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (found), ==, 1);
    g_assert_cmpuint (json_array_get_length (all), >, 1);
    g_assert_nonnull (find (found, "email", ADMIN));
  }
}

/* The council's settings: read, a refused value naming its field (nothing
 * changed), then a change kept. */
static void
test_council_settings (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  KsClient *client = ks_session_get_client (session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) council = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) bad = parse ("{\"public_url\": \"ftp://files.example\", \"duplicate_radius\": 60}");
  g_autoptr(JsonNode) good = parse ("{\"public_url\": \"https://www.oxford.example/report\", \"duplicate_radius\": 60}");

  ks_admin_get_council_async (client, NULL, ks_test_store_result, &result);
  council = finish_change (client, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (council), "slug"), ==, "oxford");
  g_clear_object (&result);

  ks_admin_update_council_async (client, bad, NULL, ks_test_store_result, &result);
  refused = finish_change (client, &result, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_assert_null (refused);
  g_assert_cmpstr (ks_admin_error_field (result), ==, "public_url");
  g_assert_nonnull (strstr (error->message, "ftp://files.example"));
  g_clear_error (&error);
  g_clear_object (&result);

  ks_admin_update_council_async (client, good, NULL, ks_test_store_result, &result);
  changed = finish_change (client, &result, &error);
  g_assert_no_error (error);
  g_assert_null (ks_admin_error_field (result));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (changed), "public_url"), ==,
                   "https://www.oxford.example/report");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (changed), "duplicate_radius"), ==, 60);
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT duplicate_radius FROM bodies WHERE slug = 'oxford'"), ==, 60);
}

static void
test_create_update_delete (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  KsClient *client = ks_session_get_client (session);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = parse ("{\"name\": \"Core test priority\", \"response_hours\": 12}");
  g_autoptr(JsonNode) created = NULL, updated = NULL, deleted = NULL;
  g_autoptr(JsonArray) after = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  gint64 id;

  ks_admin_create_async (client, KS_ADMIN_PRIORITIES, body, NULL, ks_test_store_result, &r1);
  created = finish_change (client, &r1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (created));
  id = json_object_get_int_member (json_node_get_object (created), "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (created), "response_hours"), ==, 12);

  {
    g_autoptr(JsonNode) change = parse ("{\"name\": \"Core test priority (renamed)\"}");
    ks_admin_update_async (client, KS_ADMIN_PRIORITIES, id, change, NULL, ks_test_store_result, &r2);
  }
  updated = finish_change (client, &r2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (updated), "name"), ==,
                   "Core test priority (renamed)");
  g_assert_cmpint (ks_test_server_query_int (server,
                     "SELECT count(*) FROM audit_log WHERE action = 'update_priority'"), >=, 1);

  ks_admin_delete_async (client, KS_ADMIN_PRIORITIES, id, NULL, ks_test_store_result, &r3);
  deleted = finish_change (client, &r3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (deleted);
  g_assert_true (JSON_NODE_HOLDS_NULL (deleted));

  after = list (client, KS_ADMIN_PRIORITIES, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (find (after, "name", "Core test priority (renamed)"));
}

static void
test_api_key (void)
{
  g_autoptr(KsSession) session = sign_in (ADMIN);
  KsClient *client = ks_session_get_client (session);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = parse ("{\"name\": \"Core test client\"}");
  g_autoptr(JsonNode) created = NULL, revoked = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  JsonObject *key;
  gint64 id;

  ks_admin_create_async (client, KS_ADMIN_API_KEYS, body, NULL, ks_test_store_result, &r1);
  created = finish_change (client, &r1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (created), "key")), ==, 43);
  key = json_object_get_object_member (json_node_get_object (created), "api_key");
  id = json_object_get_int_member (key, "id");
  g_assert_true (json_object_get_null_member (key, "revoked"));

  ks_admin_delete_async (client, KS_ADMIN_API_KEYS, id, NULL, ks_test_store_result, &r2);
  revoked = finish_change (client, &r2, &error);
  g_assert_no_error (error);
  key = json_object_get_object_member (json_node_get_object (revoked), "api_key");
  g_assert_false (json_object_get_null_member (key, "revoked"));
  g_assert_cmpint (ks_test_server_query_int (server,
                     "SELECT count(*) FROM api_keys WHERE revoked IS NOT NULL"), ==, 1);
}

static void
test_sign_out_everywhere (void)
{
  g_autoptr(KsSession) admin = sign_in (ADMIN);
  g_autoptr(KsSession) inspector = sign_in (INSPECTOR);
  KsClient *client = ks_session_get_client (admin);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) staff = list (client, KS_ADMIN_STAFF, INSPECTOR, &error);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = json_object_get_int_member (find (staff, "email", INSPECTOR), "id");
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM sessions s "
                     "JOIN users u ON u.id = s.user_id WHERE u.email = 'inspector@demo.invalid' "
                     "AND s.revoked = 0"), >, 0);
  ks_admin_sign_out_everywhere_async (client, id, NULL, ks_test_store_result, &result);
  answer = finish_change (client, &result, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (answer));
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM sessions s "
                     "JOIN users u ON u.id = s.user_id WHERE u.email = 'inspector@demo.invalid' "
                     "AND s.revoked = 0"), ==, 0);
}

static void
test_refusals (void)
{
  g_autoptr(KsSession) admin = sign_in (ADMIN);
  g_autoptr(KsSession) inspector = sign_in (INSPECTOR);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = parse ("{\"name\": \"No code\"}");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonArray) staff = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 before = ks_test_server_query_int (server, "SELECT count(*) FROM categories");

  /* A category needs a code: the server's sentence comes back, nothing changes. */
  ks_admin_create_async (ks_session_get_client (admin), KS_ADMIN_CATEGORIES, body, NULL,
                         ks_test_store_result, &result);
  answer = finish_change (ks_session_get_client (admin), &result, &error);
  g_assert_null (answer);
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "code"));
  g_assert_cmpint (ks_test_server_query_int (server, "SELECT count(*) FROM categories"), ==, before);
  g_clear_error (&error);

  /* Inspectors do not manage staff. */
  staff = list (ks_session_get_client (inspector), KS_ADMIN_STAFF, NULL, &error);
  g_assert_null (staff);
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int rc;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 50);

  g_test_add_func ("/core/admin/lists", test_lists);
  g_test_add_func ("/core/admin/create-update-delete", test_create_update_delete);
  g_test_add_func ("/core/admin/council-settings", test_council_settings);
  g_test_add_func ("/core/admin/api-key", test_api_key);
  g_test_add_func ("/core/admin/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/core/admin/refusals", test_refusals);
  rc = g_test_run ();
  ks_test_server_free (server);
  return rc;
}

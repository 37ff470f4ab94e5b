/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-areas.c: a category restricted to its assigned staff, in the core
 * against the real kerbside-server: once the person may no longer see its
 * reports (the category restricted, or their assignment taken away), the next
 * sync takes them out of the session's reports, its filtered model and its
 * cache; assigned again, the next sync brings them back. */
#define G_LOG_DOMAIN "test-areas"

#include "ks-cache.h"
#include "ks-session.h"
#include "ks-test-http.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#define CUSTOMER_SERVICES "customer.services@demo.invalid"

static KsTestServer *server;

/* The ids of the session's reports of the category. */
static GHashTable *
reports_of (KsSession *session,
            gint64     category_id)
{
  GListModel *reports = ks_session_get_reports (session);
  GHashTable *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (reports); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (reports, i);

      if (ks_report_get_category_id (report) == category_id)
        g_hash_table_add (ids, g_memdup2 (&(gint64) { ks_report_get_id (report) }, sizeof (gint64)));
    }
  return ids;
}

/* None of ids is in the session: not in its reports, its filtered model, its
 * lookup or its cache. */
static void
assert_gone (KsSession  *session,
             GHashTable *ids)
{
  GListModel *filtered = G_LIST_MODEL (ks_session_get_filter (session));
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  ks_report_filter_reset (ks_session_get_filter (session));
  ks_report_filter_refilter (ks_session_get_filter (session));
  for (guint i = 0; i < g_list_model_get_n_items (filtered); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (filtered, i);
      gint64 id = ks_report_get_id (report);

      g_assert_false (g_hash_table_contains (ids, &id));
    }
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_null (ks_session_lookup_report (session, *(gint64 *) key));
  cached = ks_cache_load_reports (ks_session_get_cache (session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cached->len, >, 0);
  for (guint i = 0; i < cached->len; i++)
    {
      gint64 id = ks_report_get_id (g_ptr_array_index (cached, i));

      g_assert_false (g_hash_table_contains (ids, &id));
    }
}

static void
assert_all_there (KsSession  *session,
                  GHashTable *ids)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_nonnull (ks_session_lookup_report (session, *(gint64 *) key));
}

static void
patch (const char *path,
       const char *body)
{
  g_autofree char *admin = ks_test_api_login (server->url, "admin@demo.invalid");

  json_object_unref (ks_test_api (server->url, "PATCH", path, admin, body));
}

static void
test_sync_drops_what_is_no_longer_seen (void)
{
  g_autoptr(KsSession) session = ks_test_sign_in (server, CUSTOMER_SERVICES);
  g_autoptr(GHashTable) ids = NULL;
  g_autofree char *category_path = NULL, *staff_path = NULL, *assigned = NULL;
  gint64 category_id = 0;

  ks_test_sync (session);
  /* The category with the most of the session's reports. */
  {
    JsonArray *categories = ks_session_get_categories (session);
    guint most = 0;

    for (guint i = 0; i < json_array_get_length (categories); i++)
      {
        gint64 id = json_object_get_int_member (json_array_get_object_element (categories, i), "id");
        g_autoptr(GHashTable) of = reports_of (session, id);

        if (g_hash_table_size (of) > most)
          {
            most = g_hash_table_size (of);
            category_id = id;
          }
      }
  }
  ids = reports_of (session, category_id);
  g_test_message ("category %" G_GINT64_FORMAT ": %u reports", category_id, g_hash_table_size (ids));
  g_assert_cmpuint (g_hash_table_size (ids), >=, 3);

  category_path = g_strdup_printf ("/api/v1/categories/%" G_GINT64_FORMAT, category_id);
  staff_path = g_strdup_printf ("/api/v1/staff/%" G_GINT64_FORMAT, ks_session_get_user_id (session));
  assigned = g_strdup_printf ("{\"category_ids\": [%" G_GINT64_FORMAT "]}", category_id);

  /* Restricted, nobody assigned: the next sync takes them away. */
  patch (category_path, "{\"assigned_only\": true}");
  ks_test_sync (session);
  assert_gone (session, ids);

  /* Assigned to this person: back. */
  patch (staff_path, assigned);
  ks_test_sync (session);
  assert_all_there (session, ids);

  /* The assignment taken away: gone again. */
  patch (staff_path, "{\"category_ids\": []}");
  ks_test_sync (session);
  assert_gone (session, ids);

  /* Unrestricted: everyone's again. */
  patch (category_path, "{\"assigned_only\": false}");
  ks_test_sync (session);
  assert_all_there (session, ids);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = ks_test_init_env ();
  server = ks_test_server_new (dir, 300);
  g_test_add_func ("/areas/sync-drops-what-is-no-longer-seen", test_sync_drops_what_is_no_longer_seen);
  status = g_test_run ();
  ks_test_server_free (server);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-moderation.c: moderating one update of a report's timeline through the
 * core, against the real kerbside-server: the cached report shows the change at
 * once, the server takes it, it waits in the outbox while the server is away and
 * arrives once, and a role without the permission is refused and changes nothing. */
#define G_LOG_DOMAIN "test-moderation"

#include "ks-session.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-test-server.h"
#include "ks-test-session.h"

#include <string.h>

#define INSPECTOR "inspector@demo.invalid"
#define CUSTOMER_SERVICES "customer.services@demo.invalid"

static KsTestServer *server;

static gint64
server_int (const char *fmt, gint64 id)
{
  g_autofree char *sql = g_strdup_printf (fmt, id);
  return ks_test_server_query_int (server, sql);
}

/* Waits for an action; returns whether it was queued (server away). */
static gboolean
finish_action (KsSession *session, GAsyncResult **result, GError **error)
{
  gboolean queued = FALSE;
  gboolean ok;

  ks_test_wait (result);
  ok = ks_session_action_finish (session, *result, &queued, error);
  g_clear_object (result);
  g_assert_true (ok || queued == FALSE);
  return ok ? queued : FALSE;
}

static void
fetch (KsSession *session, gint64 id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) detail = NULL;

  ks_session_fetch_report_async (session, id, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  detail = ks_session_fetch_report_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (detail);
}

/* The cached report's update update_id. */
static JsonObject *
cached_update (KsSession *session, gint64 report_id, gint64 update_id)
{
  g_autoptr(JsonObject) json = ks_cache_get_report_json (ks_session_get_cache (session), report_id);
  JsonArray *updates;

  g_assert_nonnull (json);
  updates = json_object_get_array_member (json, "updates");
  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonObject *u = json_array_get_object_element (updates, i);
      if (json_object_get_int_member (u, "id") == update_id)
        return json_object_ref (u);
    }
  g_assert_not_reached ();
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (data) == 0;
}

static void
test_moderate_and_hide_update (void)
{
  g_autoptr(KsSession) inspector = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(KsSession) cs = ks_test_sign_in (server, CUSTOMER_SERVICES);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) u = NULL;
  KsOutbox *outbox = ks_session_get_outbox (cs);
  GListModel *model;
  gint64 id = 0, update_id, version;

  ks_test_sync (inspector);
  ks_test_sync (cs);
  model = ks_session_get_reports (inspector);
  for (guint i = 0; i < g_list_model_get_n_items (model) && id == 0; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0)
        id = ks_report_get_id (r);
    }
  g_assert_cmpint (id, >, 0);

  ks_session_add_update_async (inspector, id, "Ring Mr Jones on 07700 900321 about it.", TRUE,
                               NULL, ks_test_store_result, &result);
  g_assert_false (finish_action (inspector, &result, &error));
  g_assert_no_error (error);
  update_id = server_int ("SELECT max(id) FROM updates WHERE report_id = %" G_GINT64_FORMAT, id);
  fetch (cs, id);

  /* An inspector lacks moderate_report and hide_report: refused, nothing changes. */
  version = server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, id);
  fetch (inspector, id);
  ks_session_set_update_hidden_async (inspector, id, update_id, TRUE, "No reason", NULL,
                                      ks_test_store_result, &result);
  finish_action (inspector, &result, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  ks_session_moderate_update_async (inspector, id, update_id, "Edited", "No reason", NULL,
                                    ks_test_store_result, &result);
  finish_action (inspector, &result, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, version);
  g_assert_cmpint (server_int ("SELECT hidden FROM updates WHERE id = %" G_GINT64_FORMAT, update_id), ==, 0);

  /* Customer Services edit the text: the cache shows it at once, the server takes it. */
  ks_session_moderate_update_async (cs, id, update_id, "Please ring the council about it.",
                                    "A phone number in the text.", NULL, ks_test_store_result, &result);
  u = cached_update (cs, id, update_id);
  g_assert_cmpstr (json_object_get_string_member (u, "text"), ==, "Please ring the council about it.");
  g_clear_pointer (&u, json_object_unref);
  g_assert_false (finish_action (cs, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (server_int ("SELECT text = 'Please ring the council about it.' FROM updates "
                               "WHERE id = %" G_GINT64_FORMAT, update_id), ==, 1);
  g_assert_cmpint (server_int ("SELECT count(*) FROM moderation WHERE action = 'edit' AND "
                               "old_text LIKE '%%07700%%' AND update_id = %" G_GINT64_FORMAT,
                               update_id), ==, 1);

  /* Offline: the hide waits in the outbox, the cache already shows it hidden;
   * back online it arrives once. */
  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);
  ks_session_set_update_hidden_async (cs, id, update_id, TRUE, "Still too personal.", NULL,
                                      ks_test_store_result, &result);
  g_assert_true (finish_action (cs, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 1);
  u = cached_update (cs, id, update_id);
  g_assert_true (json_object_get_boolean_member (u, "hidden"));
  g_clear_pointer (&u, json_object_unref);
  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, outbox, 30));
  g_assert_cmpint (server_int ("SELECT hidden FROM updates WHERE id = %" G_GINT64_FORMAT, update_id), ==, 1);
  g_assert_cmpint (server_int ("SELECT count(*) FROM moderation WHERE action = 'hide' AND "
                               "update_id = %" G_GINT64_FORMAT, update_id), ==, 1);
  u = cached_update (cs, id, update_id);
  g_assert_true (json_object_get_boolean_member (u, "hidden"));
  g_clear_pointer (&u, json_object_unref);

  /* Shown again. */
  ks_session_set_update_hidden_async (cs, id, update_id, FALSE, "Hidden by mistake.", NULL,
                                      ks_test_store_result, &result);
  g_assert_false (finish_action (cs, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (server_int ("SELECT hidden FROM updates WHERE id = %" G_GINT64_FORMAT, update_id), ==, 0);
  u = cached_update (cs, id, update_id);
  g_assert_false (json_object_get_boolean_member (u, "hidden"));

  ks_test_sign_out (cs);
  ks_test_sign_out (inspector);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int status;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 200);
  g_test_add_func ("/core/moderation/update", test_moderate_and_hide_update);
  status = g_test_run ();
  ks_test_server_free (server);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-photos.c: a report's photos through the core, against the real
 * kerbside-server: photos added online and through the outbox while the server is
 * away (arriving once), a redaction and its undoing by Customer Services, and an
 * inspector (no moderate_report) refused with nothing changed. */
#define G_LOG_DOMAIN "test-photos"

#include "ks-session.h"
#include "ks-error.h"
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
  return ok ? queued : FALSE;
}

static JsonObject *
fetch (KsSession *session, gint64 id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *detail;

  ks_session_fetch_report_async (session, id, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  detail = ks_session_fetch_report_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (detail);
  return detail;
}

/* The address of the report's n-th own photo in its detail. */
static char *
own_photo (KsSession *session, gint64 id, guint n)
{
  g_autoptr(JsonObject) detail = fetch (session, id);
  JsonArray *photos = json_object_get_array_member (detail, "photos");
  guint seen = 0;

  for (guint i = 0; i < json_array_get_length (photos); i++)
    {
      JsonObject *p = json_array_get_object_element (photos, i);

      if (json_object_get_null_member (p, "update_id") && seen++ == n)
        return g_strdup (json_object_get_string_member (p, "url"));
    }
  g_assert_not_reached ();
}

/* One of the demo's photos, a real PNG from the server's media directory. */
static GBytes *
demo_photo (void)
{
  g_autofree char *media = g_strconcat (server->db, ".media", NULL);
  g_autoptr(GDir) dir = g_dir_open (media, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".png"))
      {
        g_autofree char *path = g_build_filename (media, name, NULL);
        g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);

        g_assert_nonnull (file);
        return g_mapped_file_get_bytes (file);
      }
  g_assert_not_reached ();
}

/* Whether the session's list shows the report with a photo. */
static gboolean
cached_has_photo (KsSession *session, gint64 id)
{
  GListModel *model = ks_session_get_reports (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (ks_report_get_id (r) == id)
        return ks_report_get_has_photo (r);
    }
  g_assert_not_reached ();
}

static gboolean
outbox_empty (gpointer data)
{
  return ks_outbox_get_n_pending (data) == 0;
}

static void
test_add_redact_restore (void)
{
  g_autoptr(KsSession) inspector = ks_test_sign_in (server, INSPECTOR);
  g_autoptr(KsSession) cs = ks_test_sign_in (server, CUSTOMER_SERVICES);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = demo_photo ();
  g_autofree char *first = NULL;
  g_autofree char *redacted = NULL;
  g_autofree char *sql = NULL;
  GBytes *two[] = { png, png };
  KsOutbox *outbox = ks_session_get_outbox (inspector);
  GListModel *model;
  gint64 id = 0, version;
  static const int rects[] = { 10, 20, 100, 50, 300, 200, 60, 60 };

  g_assert_true (ks_session_check_photo (png, NULL));
  ks_test_sync (inspector);
  ks_test_sync (cs);
  model = ks_session_get_reports (inspector);
  for (guint i = 0; i < g_list_model_get_n_items (model) && id == 0; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (ks_report_get_state (r), "confirmed") == 0 && !ks_report_get_has_photo (r))
        id = ks_report_get_id (r);
    }
  g_assert_cmpint (id, >, 0);

  /* Online: two photos at once; the cached report has a photo at once. */
  ks_session_add_photos_async (inspector, id, two, 2, NULL, ks_test_store_result, &result);
  g_assert_true (cached_has_photo (inspector, id));
  g_assert_false (finish_action (inspector, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (server_int ("SELECT count(*) FROM photos WHERE report_id = %" G_GINT64_FORMAT, id), ==, 2);

  /* Offline: the third waits in the outbox and arrives once. */
  ks_test_server_stop (server);
  ks_outbox_set_retry_interval (outbox, 1);
  ks_session_add_photos_async (inspector, id, two, 1, NULL, ks_test_store_result, &result);
  g_assert_true (finish_action (inspector, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ks_outbox_get_n_pending (outbox), ==, 1);
  ks_test_server_start (server);
  g_assert_true (ks_test_wait_for (outbox_empty, outbox, 30));
  g_assert_cmpint (server_int ("SELECT count(*) FROM photos WHERE report_id = %" G_GINT64_FORMAT, id), ==, 3);

  /* An inspector may not redact nor restore: refused, nothing changes. */
  ks_test_sync (cs);
  first = own_photo (cs, id, 0);
  version = server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, id);
  fetch (inspector, id);
  ks_session_redact_photo_async (inspector, id, first, rects, 2, "Faces", NULL,
                                 ks_test_store_result, &result);
  finish_action (inspector, &result, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpint (server_int ("SELECT version FROM reports WHERE id = %" G_GINT64_FORMAT, id), ==, version);

  /* Customer Services redact the first photo: a new file takes its place. */
  ks_session_redact_photo_async (cs, id, first, rects, 2, "A face and a number plate", NULL,
                                 ks_test_store_result, &result);
  g_assert_false (finish_action (cs, &result, &error));
  g_assert_no_error (error);
  redacted = own_photo (cs, id, 0);
  g_assert_cmpstr (redacted, !=, first);
  sql = g_strdup_printf ("SELECT count(*) FROM moderation WHERE action = 'redact_photo' AND "
                         "old_photo = '%s' AND new_photo = '%s' AND report_id = %%"
                         G_GINT64_FORMAT, first, redacted);
  g_assert_cmpint (server_int (sql, id), ==, 1);

  /* The inspector cannot undo it; Customer Services can. */
  fetch (inspector, id);
  ks_session_restore_photo_async (inspector, id, redacted, "Undo", NULL,
                                  ks_test_store_result, &result);
  finish_action (inspector, &result, &error);
  g_assert_error (error, KS_ERROR, KS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  ks_session_restore_photo_async (cs, id, redacted, "Redacted the wrong photo", NULL,
                                  ks_test_store_result, &result);
  g_assert_false (finish_action (cs, &result, &error));
  g_assert_no_error (error);
  g_free (redacted);
  redacted = own_photo (cs, id, 0);
  g_assert_cmpstr (redacted, ==, first);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_env ();
  int status;

  g_test_init (&argc, &argv, NULL);
  server = ks_test_server_new (dir, 200);
  g_test_add_func ("/core/photos/add-redact-restore", test_add_redact_restore);
  status = g_test_run ();
  ks_test_server_free (server);
  return status;
}

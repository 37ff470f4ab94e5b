/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-photos.c: the photos of a report through the session: adding some to
 * the report, redacting one (rectangles over faces and number plates) and
 * restoring a redacted one's original. Each write waits in the outbox when
 * offline, like every other action; the server's answer (the report with its
 * "photos") reaches the cache. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"

#include <string.h>

/* "/api/v1/reports/ID/photos/NAME/what" for a photo's address. */
static char *
photo_path (gint64      report_id,
            const char *photo,
            const char *what)
{
  const char *name = strrchr (photo, '/');

  return g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/photos/%s/%s", report_id,
                          name != NULL ? name + 1 : photo, what);
}

void
ks_session_add_photos_async (KsSession           *self,
                             gint64               report_id,
                             GBytes * const      *photos,
                             guint                n_photos,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/photos",
                                           report_id);
  JsonArray *list = json_array_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  for (guint i = 0; i < n_photos; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (photos[i], &len);

      g_autofree char *encoded = g_base64_encode (data, len);

      json_array_add_string_element (list, encoded);
    }
  json_object_set_array_member (body, "photos", list);
  json_object_set_boolean_member (opt, "has_photo", n_photos > 0);
  ks_session_run_action (self, "add_photos", report_id, "POST", path, body, TRUE, opt,
                         ks_session_add_photos_async, cancellable, callback, user_data);
}

/* Sends body, with "reason", to .../photos/NAME/what as the action "what_photo". */
static void
photo_action (KsSession           *self,
              gint64               report_id,
              const char          *photo,
              const char          *what,
              const char          *reason,
              JsonObject          *body,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autofree char *path = photo_path (report_id, photo, what);
  g_autofree char *action = g_strconcat (what, "_photo", NULL);

  json_object_set_string_member (body, "reason", reason ? reason : "");
  ks_session_run_action (self, action, report_id, "POST", path, body, TRUE, NULL,
                         source_tag, cancellable, callback, user_data);
}

void
ks_session_redact_photo_async (KsSession           *self,
                               gint64               report_id,
                               const char          *photo,
                               const int           *rects,
                               guint                n_rects,
                               const char          *reason,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *list = json_array_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  g_return_if_fail (photo != NULL);
  for (guint i = 0; i < n_rects; i++)
    {
      JsonObject *r = json_object_new ();

      json_object_set_int_member (r, "x", rects[4 * i]);
      json_object_set_int_member (r, "y", rects[4 * i + 1]);
      json_object_set_int_member (r, "width", rects[4 * i + 2]);
      json_object_set_int_member (r, "height", rects[4 * i + 3]);
      json_array_add_object_element (list, r);
    }
  json_object_set_array_member (body, "rectangles", list);
  photo_action (self, report_id, photo, "redact", reason, body,
                ks_session_redact_photo_async, cancellable, callback, user_data);
}

void
ks_session_restore_photo_async (KsSession           *self,
                                gint64               report_id,
                                const char          *photo,
                                const char          *reason,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  g_return_if_fail (photo != NULL);
  photo_action (self, report_id, photo, "restore", reason, body,
                ks_session_restore_photo_async, cancellable, callback, user_data);
}

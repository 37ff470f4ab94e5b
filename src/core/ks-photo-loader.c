/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-photo-loader.c: fetches a report's photo. The session token goes to the
 * Kerbside server only, never to a photo host. */
#define G_LOG_DOMAIN "ks-photo-loader"

#include "config.h"
#include "ks-photo-loader.h"
#include "ks-error.h"

#include <libsoup/soup.h>

struct _KsPhotoLoader
{
  GObject      parent_instance;
  SoupSession *session;   /* made at the first load */
};

G_DEFINE_FINAL_TYPE (KsPhotoLoader, ks_photo_loader, G_TYPE_OBJECT)

static void
ks_photo_loader_finalize (GObject *object)
{
  KsPhotoLoader *self = KS_PHOTO_LOADER (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (ks_photo_loader_parent_class)->finalize (object);
}

static void
ks_photo_loader_class_init (KsPhotoLoaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ks_photo_loader_finalize;
}

static void
ks_photo_loader_init (KsPhotoLoader *self)
{
}

KsPhotoLoader *
ks_photo_loader_new (void)
{
  return g_object_new (KS_TYPE_PHOTO_LOADER, NULL);
}

gboolean
ks_photo_same_origin (const char *a,
                      const char *b)
{
  g_autoptr(GUri) ua = a ? g_uri_parse (a, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GUri) ub = b ? g_uri_parse (b, G_URI_FLAGS_NONE, NULL) : NULL;

  return ua != NULL && ub != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (ua) ? g_uri_get_host (ua) : "",
                             g_uri_get_host (ub) ? g_uri_get_host (ub) : "") == 0 &&
         g_uri_get_port (ua) == g_uri_get_port (ub);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  if (msg == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAVAILABLE, "%s",
                               msg ? soup_message_get_reason_phrase (msg) : "no answer");
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

void
ks_photo_loader_load_async (KsPhotoLoader       *self,
                            KsClient            *client,
                            const char          *photo,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  const char *base;

  g_return_if_fail (KS_IS_PHOTO_LOADER (self));
  g_return_if_fail (KS_IS_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_photo_loader_load_async);

  base = ks_client_get_base_url (client);
  if (photo != NULL && photo[0] == '/')
    url = g_strconcat (base, photo, NULL);
  else if (photo != NULL && (g_str_has_prefix (photo, "https://") || g_str_has_prefix (photo, "http://")))
    url = g_strdup (photo);
  else
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "not a web address");
      return;
    }

  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "not a valid address");
      return;
    }
  /* The session token goes to the Kerbside server only, never to a photo host. */
  if (ks_client_get_token (client) && ks_photo_same_origin (url, base))
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", ks_client_get_token (client));
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", "Kerbside/" PACKAGE_VERSION, NULL);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_LOW, cancellable,
                                    on_read, g_steal_pointer (&task));
}

GBytes *
ks_photo_loader_load_finish (KsPhotoLoader  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

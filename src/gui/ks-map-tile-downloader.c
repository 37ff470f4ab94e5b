/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-tile-downloader.c: downloads map tiles with the app's User-Agent. */
#define G_LOG_DOMAIN "ks-map-tile-downloader"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "ks-map-tile-downloader.h"

#define KS_PROJECT_URL "https://kerbside.org/"
/* Tile servers (OpenStreetMap's among them) ask for at most two connections. */
#define MAX_CONNECTIONS 2
#define CACHE_SIZE_LIMIT (100 * 1000 * 1000)
#define CACHE_MAX_AGE (7 * G_TIME_SPAN_DAY)

struct _KsMapTileDownloader
{
  ShumateDataSource  parent_instance;

  char              *url_template;
  SoupSession       *session;
  ShumateFileCache  *cache;
};

G_DEFINE_FINAL_TYPE (KsMapTileDownloader, ks_map_tile_downloader, SHUMATE_TYPE_DATA_SOURCE)

enum {
  PROP_0,
  PROP_URL_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  int         x, y, z;
  GBytes     *cached;
  char       *etag;
  GDateTime  *modified;
  SoupMessage *message;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_pointer (&data->cached, g_bytes_unref);
  g_clear_pointer (&data->etag, g_free);
  g_clear_pointer (&data->modified, g_date_time_unref);
  g_clear_object (&data->message);
  g_free (data);
}

const char *
ks_map_tile_downloader_user_agent (void)
{
  return "Kerbside/" PACKAGE_VERSION " (+" KS_PROJECT_URL ")";
}

static void
append_number (GString *out, int value)
{
  g_string_append_printf (out, "%d", value);
}

char *
ks_map_tile_downloader_tile_url (const char *url_template,
                                 int         x,
                                 int         y,
                                 int         zoom_level)
{
  GString *out = g_string_sized_new (strlen (url_template) + 16);
  const char *p = url_template;

  while (*p != '\0')
    {
      if (g_str_has_prefix (p, "{x}"))
        {
          append_number (out, x);
          p += 3;
        }
      else if (g_str_has_prefix (p, "{y}"))
        {
          append_number (out, y);
          p += 3;
        }
      else if (g_str_has_prefix (p, "{z}"))
        {
          append_number (out, zoom_level);
          p += 3;
        }
      else if (g_str_has_prefix (p, "{tmsy}"))
        {
          append_number (out, (1 << zoom_level) - y - 1);
          p += 6;
        }
      else
        {
          g_string_append_c (out, *p);
          p++;
        }
    }

  return g_string_free (out, FALSE);
}

static void on_cache_read      (GObject *source, GAsyncResult *res, gpointer user_data);
static void on_message_sent    (GObject *source, GAsyncResult *res, gpointer user_data);
static void on_body_read       (GObject *source, GAsyncResult *res, gpointer user_data);
static void on_cache_stored    (GObject *source, GAsyncResult *res, gpointer user_data);

/* Takes over the reference to task. */
static void
fetch_from_network (GTask *task)
{
  KsMapTileDownloader *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;

  uri = ks_map_tile_downloader_tile_url (self->url_template, data->x, data->y, data->z);
  data->message = soup_message_new (SOUP_METHOD_GET, uri);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "The map tile address %s is not valid. "
                               "Check the tile URL in the preferences.", uri);
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (data->message);
  if (data->etag != NULL)
    soup_message_headers_append (headers, "If-None-Match", data->etag);
  else if (data->modified != NULL)
    {
      g_autofree char *since = g_date_time_format (data->modified, "%a, %d %b %Y %T GMT");
      soup_message_headers_append (headers, "If-Modified-Since", since);
    }

  soup_session_send_async (self->session, data->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_message_sent, task);
}

static void
on_cache_read (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  GTask *task = user_data;
  KsMapTileDownloader *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = NULL;

  data->cached = shumate_file_cache_get_tile_finish (SHUMATE_FILE_CACHE (source), &data->etag,
                                                     &data->modified, res, NULL);
  if (data->cached != NULL)
    {
      g_signal_emit_by_name (self, "received-data", data->x, data->y, data->z, data->cached);

      now = g_date_time_new_now_utc ();
      if (data->modified != NULL
          && g_date_time_difference (now, data->modified) < CACHE_MAX_AGE)
        {
          g_task_return_pointer (task, g_bytes_ref (data->cached), (GDestroyNotify) g_bytes_unref);
          g_object_unref (task);
          return;
        }
    }

  fetch_from_network (task);
}

/* Answers with the cached copy when there is one (the network failing must
 * not blank a map that was shown before), else with the error. */
static void
return_cached_or_error (GTask  *task,
                        GError *error)
{
  FetchData *data = g_task_get_task_data (task);

  if (data->cached != NULL)
    {
      g_debug ("Using the cached tile %d/%d/%d: %s", data->z, data->x, data->y, error->message);
      g_error_free (error);
      g_task_return_pointer (task, g_bytes_ref (data->cached), (GDestroyNotify) g_bytes_unref);
    }
  else
    g_task_return_error (task, error);
}

static void
on_message_sent (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsMapTileDownloader *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) body = NULL;
  GError *error = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  if (stream == NULL)
    {
      return_cached_or_error (task, error);
      return;
    }

  status = soup_message_get_status (data->message);
  if (status == SOUP_STATUS_NOT_MODIFIED && data->cached != NULL)
    {
      shumate_file_cache_mark_up_to_date (self->cache, data->x, data->y, data->z);
      g_task_return_pointer (task, g_bytes_ref (data->cached), (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      return_cached_or_error (task,
                              g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           "The tile server answered %u %s. "
                                           "Check the tile URL in the preferences, or try again later.",
                                           status, soup_message_get_reason_phrase (data->message)));
      return;
    }

  g_clear_pointer (&data->etag, g_free);
  data->etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (data->message),
                                                       "ETag"));

  body = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (body, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                on_body_read, g_steal_pointer (&task));
}

static void
on_body_read (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  GTask *task = user_data;
  KsMapTileDownloader *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), res, &error) < 0)
    {
      return_cached_or_error (task, error);
      g_object_unref (task);
      return;
    }

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  g_signal_emit_by_name (self, "received-data", data->x, data->y, data->z, bytes);
  g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);

  /* The task has answered; storing it on disk finishes in the background. */
  shumate_file_cache_store_tile_async (self->cache, data->x, data->y, data->z, bytes,
                                       data->etag, NULL, on_cache_stored, NULL);
  g_object_unref (task);
}

static void
on_cache_stored (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!shumate_file_cache_store_tile_finish (SHUMATE_FILE_CACHE (source), res, &error))
    g_debug ("Could not cache a map tile: %s", error->message);
}

static void
ks_map_tile_downloader_get_tile_data_async (ShumateDataSource   *source,
                                            int                  x,
                                            int                  y,
                                            int                  zoom_level,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  KsMapTileDownloader *self = KS_MAP_TILE_DOWNLOADER (source);
  GTask *task;
  FetchData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_map_tile_downloader_get_tile_data_async);
  data = g_new0 (FetchData, 1);
  data->x = x;
  data->y = y;
  data->z = zoom_level;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  /* The task's reference travels with the callbacks. */
  shumate_file_cache_get_tile_async (self->cache, x, y, zoom_level, cancellable,
                                     on_cache_read, task);
}

static GBytes *
ks_map_tile_downloader_get_tile_data_finish (ShumateDataSource  *source,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ks_map_tile_downloader_constructed (GObject *object)
{
  KsMapTileDownloader *self = KS_MAP_TILE_DOWNLOADER (object);
  g_autofree char *cache_key = NULL;

  G_OBJECT_CLASS (ks_map_tile_downloader_parent_class)->constructed (object);

  cache_key = g_strcanon (g_strdup (self->url_template != NULL ? self->url_template : ""),
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", '_');
  self->cache = shumate_file_cache_new_full (CACHE_SIZE_LIMIT, cache_key, NULL);
  self->session = soup_session_new_with_options ("user-agent", ks_map_tile_downloader_user_agent (),
                                                 "max-conns", MAX_CONNECTIONS,
                                                 "max-conns-per-host", MAX_CONNECTIONS,
                                                 NULL);
}

static void
ks_map_tile_downloader_finalize (GObject *object)
{
  KsMapTileDownloader *self = KS_MAP_TILE_DOWNLOADER (object);

  g_clear_pointer (&self->url_template, g_free);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (ks_map_tile_downloader_parent_class)->finalize (object);
}

static void
ks_map_tile_downloader_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KsMapTileDownloader *self = KS_MAP_TILE_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      g_value_set_string (value, self->url_template);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_map_tile_downloader_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KsMapTileDownloader *self = KS_MAP_TILE_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      g_free (self->url_template);
      self->url_template = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_map_tile_downloader_class_init (KsMapTileDownloaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->constructed = ks_map_tile_downloader_constructed;
  object_class->finalize = ks_map_tile_downloader_finalize;
  object_class->get_property = ks_map_tile_downloader_get_property;
  object_class->set_property = ks_map_tile_downloader_set_property;
  source_class->get_tile_data_async = ks_map_tile_downloader_get_tile_data_async;
  source_class->get_tile_data_finish = ks_map_tile_downloader_get_tile_data_finish;

  properties[PROP_URL_TEMPLATE] =
    g_param_spec_string ("url-template", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ks_map_tile_downloader_init (KsMapTileDownloader *self)
{
}

KsMapTileDownloader *
ks_map_tile_downloader_new (const char *url_template)
{
  g_return_val_if_fail (url_template != NULL, NULL);

  return g_object_new (KS_TYPE_MAP_TILE_DOWNLOADER, "url-template", url_template, NULL);
}

const char *
ks_map_tile_downloader_get_url_template (KsMapTileDownloader *self)
{
  g_return_val_if_fail (KS_IS_MAP_TILE_DOWNLOADER (self), NULL);

  return self->url_template;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-client.c: the HTTP client of the staff API (libsoup 3, async only). */
#define G_LOG_DOMAIN "ks-client"

#include "config.h"

#include "ks-client.h"
#include "ks-client-zstd.h"
#include "ks-error.h"

#include <libsoup/soup.h>
#include <string.h>

/* Bodies bigger than this are parsed on a worker thread. */
#define THREAD_PARSE_THRESHOLD (128 * 1024)
/* zstd bodies bigger than this are decoded on a worker thread (JSON shrinks
 * about ten times). */
#define THREAD_DECODE_THRESHOLD (16 * 1024)

/* What the client takes: zstd (decoded here, libsoup's decoder leaves it
 * alone as a coding it does not know), and gzip from a server without zstd
 * (decoded by libsoup). */
#define ACCEPT_ENCODING "zstd, gzip"

/* Seconds a request may wait for the server to connect, or to send or take the
 * next bytes, before it fails with a sentence. */
#define IO_TIMEOUT_SECONDS 20

/* While the server cannot be reached, its health is checked after 1, 2, 4, 5,
 * 5... seconds (and at once when the network changes). */
#define PROBE_FIRST_DELAY_MS 1000
#define PROBE_MAX_DELAY_MS   5000

/* A 503 with Retry-After (the server too busy signing others in to take one
 * more, or its database restarting) is sent again after the seconds it names:
 * at most this many times, and never waiting longer than this at once. */
#define RETRY_503_MAX_TRIES   5
#define RETRY_503_MAX_SECONDS 30

struct _KsClient
{
  GObject      parent_instance;

  SoupSession *session;
  SoupSession *long_session;   /* for ks_client_request_long_async(), made on first use */
  char        *base_url;
  char        *host;
  char        *token;
  guint        retry_after;
  gint64       council_id;   /* platform operators: the council they work in */

  gboolean      reachable;
  guint         probe_id;
  guint         probe_delay_ms;
  gboolean      probing;
  GCancellable *probe_cancellable;
  GNetworkMonitor *monitor;
  gulong        monitor_handler;
};

enum {
  PROP_0,
  PROP_REACHABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_UNAUTHORIZED,
  SIGNAL_TWO_FACTOR_SETUP_REQUIRED,
  SIGNAL_WAITING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KsClient, ks_client, G_TYPE_OBJECT)

static void
ks_client_dispose (GObject *object)
{
  KsClient *self = KS_CLIENT (object);

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  self->monitor = NULL;
  g_clear_handle_id (&self->probe_id, g_source_remove);
  if (self->probe_cancellable)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  G_OBJECT_CLASS (ks_client_parent_class)->dispose (object);
}

static void
ks_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KsClient *self = KS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_REACHABLE: g_value_set_boolean (value, self->reachable); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_client_finalize (GObject *object)
{
  KsClient *self = KS_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->long_session);
  g_free (self->base_url);
  g_free (self->host);
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  G_OBJECT_CLASS (ks_client_parent_class)->finalize (object);
}

static void
ks_client_class_init (KsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_client_dispose;
  object_class->finalize = ks_client_finalize;
  object_class->get_property = ks_client_get_property;

  properties[PROP_REACHABLE] = g_param_spec_boolean ("reachable", NULL, NULL, TRUE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                     G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_UNAUTHORIZED] =
    g_signal_new ("unauthorized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_TWO_FACTOR_SETUP_REQUIRED] =
    g_signal_new ("two-factor-setup-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_WAITING] =
    g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
}

static void probe_now (KsClient *self);
static GError *unreachable_error (const char *url, const GError *error, guint timeout);

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    KsClient        *self)
{
  /* A network came (or changed): check at once, and soon again. */
  if (!self->reachable && available)
    {
      self->probe_delay_ms = PROBE_FIRST_DELAY_MS;
      probe_now (self);
    }
}

static void
ks_client_init (KsClient *self)
{
  self->session = soup_session_new_with_options ("user-agent", "Kerbside/" PACKAGE_VERSION,
                                                 "timeout", IO_TIMEOUT_SECONDS,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  self->reachable = TRUE;
  self->probe_delay_ms = PROBE_FIRST_DELAY_MS;
  self->monitor = g_network_monitor_get_default ();
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);
}

/* Reachability: whether the last request reached the server. */

static gboolean probe_cb (gpointer data);

static void
schedule_probe (KsClient *self)
{
  if (self->probe_id != 0 || self->probing || self->reachable)
    return;
  self->probe_id = g_timeout_add (self->probe_delay_ms, probe_cb, self);
  self->probe_delay_ms = MIN (self->probe_delay_ms * 2, PROBE_MAX_DELAY_MS);
}

static void
set_reachable (KsClient *self,
               gboolean  reachable)
{
  if (self->reachable == reachable)
    return;
  self->reachable = reachable;
  if (reachable)
    {
      g_clear_handle_id (&self->probe_id, g_source_remove);
      self->probe_delay_ms = PROBE_FIRST_DELAY_MS;
    }
  else
    schedule_probe (self);
  g_debug ("server %s %s", self->host, reachable ? "reachable again" : "cannot be reached");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
}

static void
on_probe_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KsClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  self->probing = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes != NULL)
    set_reachable (self, TRUE);   /* any answer: the server is there */
  else
    schedule_probe (self);
}

static void
probe_now (KsClient *self)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_clear_handle_id (&self->probe_id, g_source_remove);
  if (self->probing || self->reachable || self->base_url == NULL)
    return;
  url = g_strconcat (self->base_url, "/api/v1/health", NULL);
  if ((msg = soup_message_new ("GET", url)) == NULL)
    return;
  if (self->probe_cancellable == NULL)
    self->probe_cancellable = g_cancellable_new ();
  self->probing = TRUE;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->probe_cancellable,
                                    on_probe_answer, g_object_ref (self));
}

static gboolean
probe_cb (gpointer data)
{
  KsClient *self = data;

  self->probe_id = 0;
  probe_now (self);
  return G_SOURCE_REMOVE;
}

gboolean
ks_client_get_reachable (KsClient *self)
{
  g_return_val_if_fail (KS_IS_CLIENT (self), FALSE);
  return self->reachable;
}

void
ks_client_check_reachable (KsClient *self)
{
  g_return_if_fail (KS_IS_CLIENT (self));
  self->probe_delay_ms = PROBE_FIRST_DELAY_MS;
  probe_now (self);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = g_strdup (host);
  if (bare[0] == '[')
    {
      gsize len = strlen (bare);
      if (len > 2 && bare[len - 1] == ']')
        {
          bare[len - 1] = '\0';
          memmove (bare, bare + 1, len - 1);
        }
    }
  addr = g_inet_address_new_from_string (bare);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

static char *
normalise (const char  *base_url,
           char       **out_host,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *scheme, *host, *path;
  GString *out;

  if (base_url == NULL || *base_url == '\0')
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "Enter the address of your council's Kerbside server, for example https://kerbside.example.gov.uk.");
      return NULL;
    }
  text = g_strstrip (g_strdup (base_url));
  if (strstr (text, "://") == NULL)
    {
      char *with = g_strconcat ("https://", text, NULL);
      g_free (text);
      text = with;
    }
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "“%s” is not a server address. Enter one like https://kerbside.example.gov.uk.", base_url);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "The server address must start with https://. Check the address and try again.");
          return NULL;
        }
      if (!host_is_loopback (host))
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "The server address must use https:// to keep your password and reports private. "
                       "Plain http:// is only allowed to this computer. Ask your administrator for the https address.");
          return NULL;
        }
    }
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The server address must not contain a user name, a “?” or a “#”. Enter just the address, like https://kerbside.example.gov.uk.");
      return NULL;
    }

  out = g_string_new (NULL);
  g_string_append (out, g_ascii_strcasecmp (scheme, "https") == 0 ? "https://" : "http://");
  if (strchr (host, ':') != NULL && host[0] != '[')
    g_string_append_printf (out, "[%s]", host);
  else
    g_string_append (out, host);
  if (g_uri_get_port (uri) > 0)
    g_string_append_printf (out, ":%d", g_uri_get_port (uri));
  path = g_uri_get_path (uri);
  if (path != NULL)
    g_string_append (out, path);
  while (out->len > 0 && out->str[out->len - 1] == '/')
    g_string_truncate (out, out->len - 1);
  if (out_host != NULL)
    *out_host = g_strdup (host);
  return g_string_free (out, FALSE);
}

char *
ks_client_normalise_url (const char  *base_url,
                         GError     **error)
{
  return normalise (base_url, NULL, error);
}

KsClient *
ks_client_new (const char  *base_url,
               GError     **error)
{
  g_autofree char *host = NULL;
  g_autofree char *url = normalise (base_url, &host, error);
  KsClient *self;

  if (url == NULL)
    return NULL;
  self = g_object_new (KS_TYPE_CLIENT, NULL);
  self->base_url = g_steal_pointer (&url);
  self->host = g_steal_pointer (&host);
  return self;
}

const char *
ks_client_get_base_url (KsClient *self)
{
  g_return_val_if_fail (KS_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
ks_client_get_host (KsClient *self)
{
  g_return_val_if_fail (KS_IS_CLIENT (self), NULL);
  return self->host;
}

void
ks_client_set_token (KsClient   *self,
                     const char *token)
{
  g_return_if_fail (KS_IS_CLIENT (self));
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

const char *
ks_client_get_token (KsClient *self)
{
  g_return_val_if_fail (KS_IS_CLIENT (self), NULL);
  return self->token;
}

void
ks_client_set_council_id (KsClient *self,
                          gint64    council_id)
{
  g_return_if_fail (KS_IS_CLIENT (self));
  self->council_id = council_id;
}

gint64
ks_client_get_council_id (KsClient *self)
{
  g_return_val_if_fail (KS_IS_CLIENT (self), 0);
  return self->council_id;
}

char *
ks_client_council_path (KsClient   *self,
                        const char *path)
{
  g_return_val_if_fail (KS_IS_CLIENT (self), NULL);
  if (self->council_id <= 0)
    return g_strdup (path);
  return g_strdup_printf ("%s%cbody_id=%" G_GINT64_FORMAT, path,
                          strchr (path, '?') != NULL ? '&' : '?', self->council_id);
}

guint
ks_client_get_retry_after (KsClient *self)
{
  g_return_val_if_fail (KS_IS_CLIENT (self), 0);
  return self->retry_after;
}

typedef struct {
  SoupMessage *msg;
  guint        status;
  gboolean     authenticated;
  gboolean     raw;            /* answer with the body's bytes, not parsed */
  guint        timeout;        /* seconds it may wait for the server's next bytes */
  gboolean     long_wait;      /* sent on the long session */
  guint        tries;          /* times sent again after a 503 */
  JsonNode    *error_body;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->msg);
  g_clear_pointer (&data->error_body, json_node_unref);
  g_free (data);
}

static JsonNode *
parse_bytes (GBytes  *bytes,
             GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return json_node_new (JSON_NODE_NULL);
  if (!json_parser_load_from_data (parser, data, size, NULL))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The server sent an answer the app cannot read. Check the server address, or try again later.");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static void
parse_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "bytes");
  gboolean zstd = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "zstd"));
  gboolean raw = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "raw"));
  g_autoptr(GBytes) plain = NULL;
  GError *error = NULL;
  JsonNode *node;

  if (zstd)
    {
      if ((plain = ks_client_zstd_decode (bytes, KS_CLIENT_ZSTD_MAX_SIZE, &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      bytes = plain;
    }
  if (raw)
    {
      g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  node = parse_bytes (bytes, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
on_parsed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  RequestData *data = g_task_get_task_data (outer);
  GError *error = NULL;
  gpointer answer = g_task_propagate_pointer (G_TASK (result), &error);

  if (answer == NULL)
    g_task_return_error (outer, error);
  else
    g_task_return_pointer (outer, answer,
                           data->raw ? (GDestroyNotify) g_bytes_unref : (GDestroyNotify) json_node_unref);
}

static void
set_error_from_answer (KsClient    *self,
                       RequestData *data,
                       GBytes      *bytes,
                       GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  const char *message = NULL;
  KsErrorCode code = ks_error_from_http_status (data->status);

  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    node = parse_bytes (bytes, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      JsonObject *err = json_object_get_object_member (obj, "error");

      if (err != NULL && json_object_has_member (err, "message"))
        message = json_object_get_string_member (err, "message");
      data->error_body = json_node_ref (node);
    }

  self->retry_after = 0;
  if (data->status == 429 || data->status == 503)
    {
      const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (data->msg),
                                                        "Retry-After");
      self->retry_after = retry ? (guint) g_ascii_strtoull (retry, NULL, 10) : 0;
    }

  if (message == NULL)
    {
      switch (code)
        {
        case KS_ERROR_UNAUTHORIZED:
          message = "Your session has ended. Sign in again.";
          break;
        case KS_ERROR_FORBIDDEN:
          message = "You do not have permission to do this. Ask an administrator if you need it.";
          break;
        case KS_ERROR_NOT_FOUND:
          message = "The server does not know this item, or this server is not a Kerbside server. Check the address and try again.";
          break;
        case KS_ERROR_THROTTLED:
          message = "The server is busy. Wait a minute and try again.";
          break;
        case KS_ERROR_UNAVAILABLE:
          message = "The server is not available at the moment. Try again in a few minutes.";
          break;
        default:
          message = "The server could not do this. Try again later, and tell your administrator if it keeps happening.";
          break;
        }
    }
  g_set_error_literal (error, KS_ERROR, code, message);
}

const char *
ks_client_error_code (JsonNode *error_body)
{
  JsonObject *obj, *err;

  if (error_body == NULL || !JSON_NODE_HOLDS_OBJECT (error_body))
    return NULL;
  obj = json_node_get_object (error_body);
  if (!json_object_has_member (obj, "error") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "error")))
    return NULL;
  err = json_object_get_object_member (obj, "error");
  if (!json_object_has_member (err, "code") ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (err, "code")))
    return NULL;
  return json_object_get_string_member (err, "code");
}

/* Seconds of a 503's Retry-After worth waiting for, or 0 (none, a date, or
 * tried enough). */
static guint
retry_503_seconds (RequestData *data)
{
  const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (data->msg),
                                                    "Retry-After");
  guint64 seconds;

  if (retry == NULL || data->tries >= RETRY_503_MAX_TRIES ||
      !g_ascii_string_to_unsigned (retry, 10, 0, G_MAXUINT, &seconds, NULL))
    return 0;
  return (guint) CLAMP (seconds, 1, RETRY_503_MAX_SECONDS);
}

static void on_sent (GObject *source, GAsyncResult *result, gpointer user_data);

/* The wait is over (or was cancelled): the same request again, on a new message. */
static gboolean
on_retry_due (GCancellable *cancellable_unused,
              gpointer      user_data)
{
  GTask *task = user_data;
  KsClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  SoupMessage *again;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GBytes *body;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  again = soup_message_new_from_uri (soup_message_get_method (data->msg), soup_message_get_uri (data->msg));
  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (data->msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_replace (soup_message_get_request_headers (again), name, value);
  body = g_object_get_data (G_OBJECT (task), "ks-request-body");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (again, NULL, body);
  g_set_object (&data->msg, again);
  g_object_unref (again);
  g_clear_pointer (&data->error_body, json_node_unref);
  soup_session_send_and_read_async (data->long_wait ? self->long_session : self->session, data->msg,
                                    G_PRIORITY_DEFAULT, cancellable, on_sent, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/* A 503 that names when to come back: "waiting" is emitted and the request is
 * sent again then (a cancel ends the wait at once). FALSE: answer the error now. */
static gboolean
send_again_later (KsClient *self,
                  GTask    *task,
                  GBytes   *bytes)
{
  RequestData *data = g_task_get_task_data (task);
  guint seconds = retry_503_seconds (data);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GSource) source = NULL;
  GUri *uri;

  if (seconds == 0)
    return FALSE;
  data->tries++;
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    node = parse_bytes (bytes, NULL);
  uri = soup_message_get_uri (data->msg);
  g_debug ("503 on %s: again in %u s", g_uri_get_path (uri), seconds);
  g_signal_emit (self, signals[SIGNAL_WAITING], 0, g_uri_get_path (uri), seconds,
                 ks_client_error_code (node));
  source = g_cancellable_source_new (g_task_get_cancellable (task));
  g_source_set_ready_time (source, g_get_monotonic_time () + seconds * G_USEC_PER_SEC);
  /* Cancelled already (by someone told of the wait): at once. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_source_set_ready_time (source, 0);
  g_source_set_callback (source, (GSourceFunc) G_CALLBACK (on_retry_due), g_object_ref (task), g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  return TRUE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  gboolean zstd;

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error->domain == G_TLS_ERROR ||
               soup_message_get_tls_peer_certificate_errors (data->msg) != 0)
        g_task_return_new_error (task, KS_ERROR, KS_ERROR_TLS,
                                 "The server's certificate is not trusted, so the connection to %s "
                                 "is not safe. Check the server address, or ask your administrator "
                                 "to fix the certificate.", self->host);
      else
        {
          g_debug ("request failed: %s", error->message);
          set_reachable (self, FALSE);
          g_task_return_error (task, unreachable_error (self->base_url, error, data->timeout));
        }
      return;
    }

  set_reachable (self, TRUE);
  data->status = soup_message_get_status (data->msg);
  zstd = g_strcmp0 (soup_message_headers_get_one (soup_message_get_response_headers (data->msg),
                                                   "Content-Encoding"), "zstd") == 0;
  /* Short answers and errors are decoded here, long ones on a worker thread. */
  if (zstd && (data->status < 200 || data->status >= 300 ||
               g_bytes_get_size (bytes) <= THREAD_DECODE_THRESHOLD))
    {
      GBytes *plain = ks_client_zstd_decode (bytes, KS_CLIENT_ZSTD_MAX_SIZE, &error);

      g_clear_pointer (&bytes, g_bytes_unref);
      if (plain == NULL && data->status >= 200 && data->status < 300)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_clear_error (&error);
      bytes = plain; /* an error's answer not read: said in general words */
      zstd = FALSE;
    }
  if (data->status == 503 && send_again_later (self, task, bytes))
    return;
  if (data->status < 200 || data->status >= 300)
    {
      GError *answer_error = NULL;

      set_error_from_answer (self, data, bytes, &answer_error);
      if (data->status == 401 && data->authenticated)
        g_signal_emit (self, signals[SIGNAL_UNAUTHORIZED], 0, answer_error->message);
      else if (data->status == 403 && data->authenticated &&
               g_strcmp0 (ks_client_error_code (data->error_body), "two_factor_setup_required") == 0)
        g_signal_emit (self, signals[SIGNAL_TWO_FACTOR_SETUP_REQUIRED], 0, answer_error->message);
      g_task_return_error (task, answer_error);
      return;
    }

  if (zstd || (!data->raw && g_bytes_get_size (bytes) > THREAD_PARSE_THRESHOLD))
    {
      /* Decode and parse big answers (sync pages) on a worker thread. */
      GTask *parse = g_task_new (self, g_task_get_cancellable (task), on_parsed, g_object_ref (task));

      g_task_set_check_cancellable (parse, FALSE);
      g_object_set_data_full (G_OBJECT (parse), "bytes", g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
      g_object_set_data (G_OBJECT (parse), "zstd", GINT_TO_POINTER (zstd));
      g_object_set_data (G_OBJECT (parse), "raw", GINT_TO_POINTER (data->raw));
      g_task_run_in_thread (parse, parse_thread);
      g_object_unref (parse);
    }
  else if (data->raw)
    g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  else
    {
      JsonNode *node = parse_bytes (bytes, &error);
      if (node == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
    }
}

static void
send_request (KsClient            *self,
              const char          *method,
              const char          *path,
              JsonNode            *body,
              const char          *idempotency_key,
              gboolean             raw,
              gboolean             long_wait,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  RequestData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  url = g_strconcat (self->base_url, path, NULL);
  data = g_new0 (RequestData, 1);
  data->raw = raw;
  data->timeout = long_wait ? KS_CLIENT_LONG_TIMEOUT_SECONDS : IO_TIMEOUT_SECONDS;
  data->long_wait = long_wait;
  data->msg = soup_message_new (method, url);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);
  if (data->msg == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "The app built a request the server cannot take. Report this to your administrator.");
      return;
    }

  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Accept-Encoding", ACCEPT_ENCODING);
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
      data->authenticated = TRUE;
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);

      soup_message_set_request_body_from_bytes (data->msg, "application/json", bytes);
      /* Kept to send again after a 503. */
      g_object_set_data_full (G_OBJECT (task), "ks-request-body", g_bytes_ref (bytes),
                              (GDestroyNotify) g_bytes_unref);
    }

  /* libsoup's timeout is the session's: the long requests have a session of their
   * own (its connections apart; they are few). */
  if (long_wait && self->long_session == NULL)
    self->long_session = soup_session_new_with_options ("user-agent", "Kerbside/" PACKAGE_VERSION,
                                                        "timeout", KS_CLIENT_LONG_TIMEOUT_SECONDS,
                                                        "idle-timeout", 60,
                                                        "max-conns-per-host", 2,
                                                        NULL);
  soup_session_send_and_read_async (long_wait ? self->long_session : self->session, data->msg,
                                    G_PRIORITY_DEFAULT, cancellable, on_sent, g_object_ref (task));
}

void
ks_client_request_async (KsClient            *self,
                         const char          *method,
                         const char          *path,
                         JsonNode            *body,
                         const char          *idempotency_key,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (KS_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL && path[0] == '/');

  send_request (self, method, path, body, idempotency_key, FALSE, FALSE, cancellable,
                callback, user_data, ks_client_request_async);
}

void
ks_client_request_long_async (KsClient            *self,
                              const char          *method,
                              const char          *path,
                              JsonNode            *body,
                              const char          *idempotency_key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KS_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL && path[0] == '/');

  send_request (self, method, path, body, idempotency_key, FALSE, TRUE, cancellable,
                callback, user_data, ks_client_request_async);
}

void
ks_client_get_bytes_async (KsClient            *self,
                           const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (KS_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  send_request (self, "GET", path, NULL, NULL, TRUE, FALSE, cancellable,
                callback, user_data, ks_client_get_bytes_async);
}

GBytes *
ks_client_get_bytes_finish (KsClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ks_client_get_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
ks_client_request_finish (KsClient      *self,
                          GAsyncResult  *result,
                          JsonNode     **out_error_body,
                          GError       **error)
{
  RequestData *data;
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  node = g_task_propagate_pointer (G_TASK (result), error);
  if (out_error_body != NULL)
    *out_error_body = (node == NULL && data != NULL && data->error_body != NULL)
                      ? json_node_ref (data->error_body) : NULL;
  return node;
}

/* Finding the server: which address answers, and if none, why. */

/* A bare loopback address first tries https for this long (a plain-http
 * server never completes the TLS handshake). */
#define LOOPBACK_HTTPS_TIMEOUT_SECONDS 3

typedef struct {
  GPtrArray *candidates;   /* URLs to try, in order */
  guint      next;
  GError    *first_error;  /* the first candidate's, kept when a later one is merely refused */
} FindData;

static void
find_data_free (FindData *data)
{
  g_ptr_array_unref (data->candidates);
  g_clear_error (&data->first_error);
  g_free (data);
}

static char *
authority_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

/* The sentence for a request that got no answer, naming the cause. */
static GError *
unreachable_error (const char   *url,
                   const GError *error,
                   guint         timeout)
{
  g_autofree char *where = authority_of (url);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (KS_ERROR, KS_ERROR_UNAVAILABLE,
                        "Nothing answers at %s: the connection was refused. Check the address and "
                        "the port, and that the Kerbside server is running.", where);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (KS_ERROR, KS_ERROR_UNAVAILABLE,
                        "The server at %s did not answer within %u seconds. Check the address, "
                        "or try again later.", where, timeout);
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (KS_ERROR, KS_ERROR_UNAVAILABLE,
                        "There is no server called %s. Check the address.", where);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (KS_ERROR, KS_ERROR_TLS,
                        "A secure (https) connection to %s failed: %s. Check the address, or ask "
                        "your administrator to fix the server's certificate.", where, error->message);
  return g_error_new (KS_ERROR, KS_ERROR_UNAVAILABLE,
                      "Could not reach the server at %s (%s). Check the address and your network "
                      "connection.", where, error->message);
}

static void try_candidate (GTask *task);

static void
on_find_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FindData *data = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  const char *url = g_ptr_array_index (data->candidates, data->next);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *where = authority_of (url);
  JsonObject *obj = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (bytes == NULL)
    {
      GError *sentence = unreachable_error (url, error,
                                            data->candidates->len > data->next + 1
                                            ? LOOPBACK_HTTPS_TIMEOUT_SECONDS : IO_TIMEOUT_SECONDS);

      g_debug ("%s: %s", url, error->message);
      if (data->first_error == NULL)
        data->first_error = g_error_copy (sentence);
      data->next++;
      if (data->next < data->candidates->len)
        {
          g_error_free (sentence);
          try_candidate (task);
          return;
        }
      /* Refused on the last try (plain http): the first try's cause says more. */
      if (data->next > 1 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) &&
          !g_error_matches (data->first_error, KS_ERROR, KS_ERROR_TLS))
        {
          g_error_free (sentence);
          sentence = g_error_copy (data->first_error);
        }
      g_task_return_error (task, sentence);
      return;
    }

  if (soup_message_get_status (msg) == 200 &&
      json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    obj = json_node_get_object (json_parser_get_root (parser));
  if (obj == NULL || g_strcmp0 (json_object_get_string_member_with_default (obj, "api", NULL), "v1") != 0)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_NOT_FOUND,
                               "The server at %s answered, but it is not a Kerbside server (it said "
                               "HTTP %u). Check the address and the port.",
                               where, soup_message_get_status (msg));
      return;
    }
  g_task_return_pointer (task, g_strdup (url), g_free);
}

static void
try_candidate (GTask *task)
{
  FindData *data = g_task_get_task_data (task);
  const char *url = g_ptr_array_index (data->candidates, data->next);
  gboolean more = data->candidates->len > data->next + 1;
  g_autofree char *health = g_strconcat (url, "/api/v1/health", NULL);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", health);

  if (msg == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "“%s” is not a server address. Enter one like https://kerbside.example.gov.uk.", url);
      return;
    }
  session = soup_session_new_with_options ("user-agent", "Kerbside/" PACKAGE_VERSION,
                                           "timeout", more ? LOOPBACK_HTTPS_TIMEOUT_SECONDS : IO_TIMEOUT_SECONDS,
                                           NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    on_find_answer, g_object_ref (task));
}

void
ks_client_find_server_async (const char          *typed,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = normalise (typed, &host, &error);
  FindData *data;

  g_task_set_source_tag (task, ks_client_find_server_async);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_new0 (FindData, 1);
  data->candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (data->candidates, g_strdup (url));
  /* No scheme typed, and this computer: the server may well speak plain http. */
  if (strstr (typed, "://") == NULL && host_is_loopback (host) && g_str_has_prefix (url, "https://"))
    g_ptr_array_add (data->candidates, g_strconcat ("http://", url + strlen ("https://"), NULL));
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  try_candidate (task);
}

char *
ks_client_find_server_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

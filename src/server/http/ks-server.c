/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-server.c: HTTP front of kerbside-server.
 *
 * The SoupServer runs on the main thread and only parses and answers; every API
 * request is paused and handed to a worker pool (each worker thread has its own
 * database connection), then its answer is set back on the main thread. CPU-heavy
 * requests (bcrypt) go to a separate low-priority pool so they never hold up the
 * others. */
#define G_LOG_DOMAIN "ks-server"

#include "config.h"
#include "http/ks-server.h"
#include "http/ks-router.h"
#include "http/ks-request.h"
#include "http/ks-idempotency.h"
#include "http/ks-media.h"
#include "councils/ks-retention.h"
#include "api/ks-wire-report.h"
#include "http/ks-compress.h"
#include "auth/ks-password-hash.h"
#include "http/ks-slow-admission.h"
#include "ks-time.h"
#include <glib/gstdio.h>

#include <gio/gio.h>
#include <string.h>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

struct _KsServer
{
  GObject         parent_instance;

  KsServerConfig  config;
  KsStore        *store;
  SoupServer     *soup;
  KsRouter       *router;
  GThreadPool    *pool;
  GThreadPool    *slow_pool;
  GMutex          slow_lock;     /* guards the three below */
  KsSlowAdmission *slow_admission; /* sign-ins queued or running on slow_pool */
  clockid_t       slow_clock;    /* the slow thread's CPU clock */
  gboolean        slow_clock_known;
  guint           port;

  gint            in_flight;     /* atomic */
  guint           answering;     /* answers handed to libsoup, not yet
                                  * written nor dropped (main thread) */
  gint64          answers_wait;  /* when shutdown began to wait for them */
  gboolean        shutting_down;
  GCallback       shutdown_done;
  gpointer        shutdown_data;
  guint           shutdown_source;
  guint           housekeeping_source;
  gint            housekeeping_running;  /* atomic: a run is under way */
  GCancellable   *housekeeping_cancel;   /* cancelled at shutdown: a long run stops */
};

G_DEFINE_FINAL_TYPE (KsServer, ks_server, G_TYPE_OBJECT)

/* TLS 1.2 and 1.3 only, and only key exchanges with forward secrecy (no static
 * RSA); the server picks among what both sides offer. glib-networking reads
 * this GnuTLS priority string from G_TLS_GNUTLS_PRIORITY when its first TLS
 * connection is made; an operator who sets that variable keeps their own. */
#define KS_TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:%SERVER_PRECEDENCE"

/* Sign-ins (bcrypt) are admitted only while the ones ahead of them and itself,
 * at the time one takes with the CPU the slow thread is getting now, leave it
 * done within this budget; the rest are answered at once with 503 and
 * Retry-After (ks-slow-admission.h). Half the 2 s a person waits for a
 * sign-in: beside a list load that fills both cores, the share of a core the
 * thread gets swings from one check to the next, and the ones admitted on a
 * budget of 1.5 s were done 2.5-3.5 s after admission (p95).
 * Never more than KS_SLOW_QUEUE_MAX wait, however fast they go. A sign-in with
 * none ahead when none has had to wait for KS_SLOW_CALM_USEC is admitted
 * however slow (someone alone, not a rush). When even one alone would be too
 * slow, the thread measures its share again at most every KS_SLOW_PROBE_USEC
 * (a sixteenth of a check), so that admission starts again when the load goes.
 *
 * While the machine is busy (the thread gets under half a core), the checks
 * admitted take at most KS_SLOW_BUSY_CAP of a core over time, after a burst
 * of KS_SLOW_BUSY_BURST_USEC of CPU's worth: what bcrypt takes from the
 * rest of the server is bounded by how many are let in, not by the thread's
 * priority. The thread runs at KS_SLOW_NICE, so that one admitted is done in
 * time. At 1,000,000 reports with ten sign-ins a second beside the list: at
 * nice 10 and no cap, 4-6 were admitted and done in 2.4-2.9 s (p95); at nice 5
 * and no cap, 26-28 in 1.3-1.5 s but the list's p99 rose 1.6-1.7 times; at
 * nice 5 and a tenth of a core, 11 in 1.2-1.6 s. */
#define KS_SLOW_BUDGET_USEC (1 * G_USEC_PER_SEC)
#define KS_SLOW_QUEUE_MAX 32
#define KS_SLOW_PROBE_USEC (1 * G_USEC_PER_SEC)
#define KS_SLOW_CALM_USEC (5 * G_USEC_PER_SEC)
#define KS_SLOW_NICE 5
#define KS_SLOW_BUSY_CAP 0.10
/* ...over time: a few in a row (half a second of CPU's worth) are let in. */
#define KS_SLOW_BUSY_BURST_USEC (G_USEC_PER_SEC / 2)

static gboolean housekeeping_tick (gpointer data);

/* How long shutdown waits for the last answers to be written. */
#define KS_SHUTDOWN_WRITE_USEC (5 * G_USEC_PER_SEC)

/* A streamed answer (ks_request_flush): at most this much written by the handler
 * and not yet sent before it waits, and at most this long without progress. */
#define KS_STREAM_UNSENT_MAX  (1024 * 1024)
/* The same for a compressed answer: a whole sync page of 50,000 reports is about
 * 4 MB compressed, so the worker writes it without waiting for a slow client (and
 * holds an eighth of what the plain page would take). */
#define KS_STREAM_UNSENT_MAX_COMPRESSED  (16 * 1024 * 1024)
#define KS_STREAM_STALL_USEC  (60 * G_USEC_PER_SEC)

typedef struct {
  KsServer          *server;
  SoupServerMessage *msg;
  KsRequest         *req;
  const KsRoute     *route;
  char              *authorization;
  KsEncoding         encoding;   /* the coding the client takes (Accept-Encoding) */
  KsCompressor      *compressor; /* a streamed or packed answer being compressed */

  /* A packed answer (ks_request_pack): compressed so far, for the status it had
   * then; pack_failed when the compressor failed. */
  GString           *packed;
  guint              packed_status;
  gboolean           pack_failed;

  /* A streamed answer. The worker sets streaming and stream_status; lock guards
   * unsent, gone and stalled between the worker and the main thread. */
  gboolean           streaming;
  guint              stream_status;
  GMutex             lock;
  GCond              cond;
  gsize              unsent;     /* handed to libsoup, not yet written */
  gboolean           gone;       /* the message finished: the client went */
  gboolean           stalled;    /* the client stopped reading */

  gint64             admitted_at; /* a sign-in: when it was admitted */
  gint64             expected_us; /* and how long it was expected to take */
} Job;

static void
job_free (Job *job)
{
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  g_object_unref (job->msg);
  ks_request_free (job->req);
  g_free (job->authorization);
  g_clear_pointer (&job->compressor, ks_compressor_free);
  if (job->packed != NULL)
    g_string_free (job->packed, TRUE);
  g_object_unref (job->server);
  g_free (job);
}

static void
set_response (SoupServerMessage *msg,
              KsRequest         *req)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  const char *type = req->response_type ? req->response_type : "application/json";

  for (guint i = 0; i + 1 < req->response_headers->len; i += 2)
    soup_message_headers_replace (h, g_ptr_array_index (req->response_headers, i),
                                  g_ptr_array_index (req->response_headers, i + 1));
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (msg, req->status ? req->status : 500, NULL);
  /* Replace whatever body was there (soup_server_message_set_response appends). */
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  if (req->status != 204 && req->response->len > 0)
    {
      gsize len = req->response->len;
      char *data = g_string_free (g_steal_pointer (&req->response), FALSE);
      req->response = g_string_new (NULL);
      soup_server_message_set_response (msg, type, SOUP_MEMORY_TAKE, data, len);
    }
}

/* ---- Streamed answers (ks_request_flush) ---- */

typedef struct {
  Job        *job;
  GBytes     *bytes;
  gboolean    start;     /* the first: sets the status and headers */
  guint       status;
  char       *type;
  GPtrArray  *headers;   /* name, value, ... */
} Chunk;

static gboolean
job_gone (Job *job)
{
  gboolean gone;

  g_mutex_lock (&job->lock);
  gone = job->gone;
  g_mutex_unlock (&job->lock);
  return gone;
}

static void
on_stream_wrote (SoupServerMessage *msg,
                 guint              size,
                 gpointer           data)
{
  Job *job = data;

  g_mutex_lock (&job->lock);
  job->unsent -= MIN (job->unsent, size);
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
}

static void
on_stream_finished (SoupServerMessage *msg,
                    gpointer           data)
{
  Job *job = data;

  g_mutex_lock (&job->lock);
  job->gone = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
}

static gboolean
send_chunk_on_main (gpointer data)
{
  Chunk *chunk = data;
  Job *job = chunk->job;
  SoupServerMessage *msg = job->msg;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (chunk->start && !job_gone (job))
    {
      SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

      for (guint i = 0; i + 1 < chunk->headers->len; i += 2)
        soup_message_headers_replace (h, g_ptr_array_index (chunk->headers, i),
                                      g_ptr_array_index (chunk->headers, i + 1));
      soup_message_headers_replace (h, "Cache-Control", "no-store");
      soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
      soup_server_message_set_status (msg, chunk->status, NULL);
      soup_message_headers_set_content_type (h, chunk->type, NULL);
      soup_message_headers_set_encoding (h, SOUP_ENCODING_CHUNKED);
      soup_message_body_truncate (body);
      /* Each chunk is dropped once written: the answer is never held whole. */
      soup_message_body_set_accumulate (body, FALSE);
      g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_stream_wrote), job);
      g_signal_connect (msg, "finished", G_CALLBACK (on_stream_finished), job);
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_stream_finished), job);
    }
  if (!job_gone (job))
    {
      /* An empty chunk would end a chunked body: only the headers then. */
      if (g_bytes_get_size (chunk->bytes) > 0)
        soup_message_body_append_bytes (body, chunk->bytes);
      soup_server_message_unpause (msg);
    }
  else
    on_stream_wrote (msg, g_bytes_get_size (chunk->bytes), job);

  g_bytes_unref (chunk->bytes);
  g_free (chunk->type);
  g_clear_pointer (&chunk->headers, g_ptr_array_unref);
  g_free (chunk);
  return G_SOURCE_REMOVE;
}

/* The worker's side of ks_request_flush(). */
static gboolean
job_flush (KsRequest *req,
           gpointer   data)
{
  Job *job = data;
  gboolean ok;
  gint64 deadline;

  if (req->response->len > 0 || !job->streaming)
    {
      Chunk *chunk = g_new0 (Chunk, 1);

      chunk->job = job;
      if (!job->streaming)
        {
          job->streaming = TRUE;
          job->stream_status = req->status ? req->status : 200;
          chunk->start = TRUE;
          chunk->status = job->stream_status;
          chunk->type = g_strdup (req->response_type ? req->response_type : "application/json");
          chunk->headers = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < req->response_headers->len; i++)
            g_ptr_array_add (chunk->headers, g_strdup (g_ptr_array_index (req->response_headers, i)));
          if (ks_compress_type_is_text (req->response_type))
            {
              g_ptr_array_add (chunk->headers, g_strdup ("Vary"));
              g_ptr_array_add (chunk->headers, g_strdup ("Accept-Encoding"));
            }
          if (job->encoding != KS_ENCODING_IDENTITY && ks_compress_type_is_text (req->response_type))
            {
              job->compressor = ks_compressor_new (job->encoding);
              g_ptr_array_add (chunk->headers, g_strdup ("Content-Encoding"));
              g_ptr_array_add (chunk->headers, g_strdup (ks_compress_encoding_name (job->encoding)));
            }
        }
      if (job->compressor != NULL)
        {
          /* What the compressor gives for this piece (it may keep some for the
           * next). */
          g_autoptr(GString) packed = g_string_sized_new (req->response->len / 6 + 64);

          if (!ks_compressor_feed (job->compressor, req->response->str, req->response->len,
                                   FALSE, packed))
            ks_request_error (req, 500, "internal", "The server could not answer this request.");
          chunk->bytes = g_string_free_to_bytes (g_steal_pointer (&packed));
        }
      else
        /* Copied out: the handler's writers keep writing on req->response. */
        chunk->bytes = g_bytes_new (req->response->str, req->response->len);
      g_string_truncate (req->response, 0);
      g_mutex_lock (&job->lock);
      job->unsent += g_bytes_get_size (chunk->bytes);
      g_mutex_unlock (&job->lock);
      g_main_context_invoke (NULL, send_chunk_on_main, chunk);
    }

  g_mutex_lock (&job->lock);
  deadline = g_get_monotonic_time () + KS_STREAM_STALL_USEC;
  while (job->unsent > (job->compressor != NULL ? KS_STREAM_UNSENT_MAX_COMPRESSED : KS_STREAM_UNSENT_MAX) &&
         !job->gone && !job->stalled)
    if (!g_cond_wait_until (&job->cond, &job->lock, deadline))
      job->stalled = TRUE;
  ok = !job->gone && !job->stalled;
  g_mutex_unlock (&job->lock);
  return ok;
}

/* The worker's side of ks_request_pack(). */
static gboolean
job_pack (KsRequest *req,
          gpointer   data)
{
  Job *job = data;

  if (job->encoding == KS_ENCODING_IDENTITY || !ks_compress_type_is_text (req->response_type) ||
      job->pack_failed || req->response->len == 0)
    return !job->pack_failed;
  if (job->packed == NULL)
    {
      job->compressor = ks_compressor_new (job->encoding);
      job->packed = g_string_sized_new (req->response->len / 4);
      job->packed_status = req->status ? req->status : 200;
    }
  if (!ks_compressor_feed (job->compressor, req->response->str, req->response->len, FALSE, job->packed))
    {
      job->pack_failed = TRUE;
      return FALSE;
    }
  g_string_truncate (req->response, 0);
  return TRUE;
}

/* The end of a packed answer: the rest compressed after what was packed, or,
 * when the answer became an error since, the error alone. */
static void
finish_packed (Job *job)
{
  KsRequest *req = job->req;
  g_autoptr(GString) packed = g_steal_pointer (&job->packed);

  if (req->status != job->packed_status)
    return;
  if (job->pack_failed ||
      !ks_compressor_feed (job->compressor, req->response->str, req->response->len, TRUE, packed))
    {
      ks_request_error (req, 500, "internal", "The server could not answer this request.");
      return;
    }
  g_string_free (req->response, TRUE);
  req->response = g_steal_pointer (&packed);
  ks_request_add_header (req, "Vary", "Accept-Encoding");
  ks_request_add_header (req, "Content-Encoding", ks_compress_encoding_name (job->encoding));
}

/* The end of a streamed answer: the rest and the last chunk; or, when the
 * answer became an error after it began or the client stopped reading, the
 * connection cut, so that the client sees an unfinished answer rather than a
 * finished wrong one. */
static void
finish_stream (Job *job)
{
  SoupServerMessage *msg = job->msg;
  KsRequest *req = job->req;
  gboolean stalled;

  g_mutex_lock (&job->lock);
  stalled = job->stalled;
  g_mutex_unlock (&job->lock);
  if (!job_gone (job))
    {
      if (stalled || req->status != job->stream_status)
        {
          GSocket *sock = soup_server_message_get_socket (msg);

          if (!stalled)
            g_warning ("%s %s: the answer failed after it began; the connection is cut",
                       req->method, req->path);
          if (sock != NULL)
            g_socket_shutdown (sock, TRUE, TRUE, NULL);
        }
      else
        {
          SoupMessageBody *body = soup_server_message_get_response_body (msg);

          if (req->response->len > 0)
            soup_message_body_append (body, SOUP_MEMORY_COPY, req->response->str,
                                      req->response->len);
          soup_message_body_complete (body);
        }
      soup_server_message_unpause (msg);
    }
  g_signal_handlers_disconnect_by_data (msg, job);
}

static void
on_answer_written (SoupServerMessage *msg,
                   gpointer           data)
{
  KsServer *self = data;

  g_signal_handlers_disconnect_by_func (msg, on_answer_written, self);
  if (self->answering > 0)
    self->answering--;
}

/* An answer handed to libsoup is written on a later turn of the main loop:
 * shutdown waits for it (or for its client to go), so that a request
 * finished while the server stops is not cut off before its answer. */
static void
count_answer (KsServer          *self,
              SoupServerMessage *msg)
{
  self->answering++;
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_answer_written), self, 0);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (on_answer_written), self, 0);
}

static gboolean
finish_on_main (gpointer data)
{
  Job *job = data;
  KsServer *self = job->server;

  if (job->streaming)
    {
      if (!job_gone (job))
        count_answer (self, job->msg);
      finish_stream (job);
    }
  else
    {
      count_answer (self, job->msg);
      set_response (job->msg, job->req);
      soup_server_message_unpause (job->msg);
    }
  g_atomic_int_dec_and_test (&self->in_flight);
  job_free (job);
  return G_SOURCE_REMOVE;
}

static gboolean
authenticate (Job *job)
{
  KsRequest *req = job->req;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup (req->principal.address);
  const char *auth = job->authorization;
  const char *token;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    {
      ks_request_error (req, 401, "unauthorized",
                        "You are not signed in. Sign in and try again.");
      ks_request_add_header (req, "WWW-Authenticate", "Bearer realm=\"kerbside\"");
      return FALSE;
    }
  token = auth + 7;
  while (*token == ' ')
    token++;
  if (!ks_store_auth_resolve_session_cached (req->store, token, req->config->session_idle,
                                             &req->principal, &error))
    {
      ks_request_gerror (req, error);
      ks_request_add_header (req, "WWW-Authenticate", "Bearer realm=\"kerbside\", error=\"invalid_token\"");
      return FALSE;
    }
  /* However often it is used, a session ends this long after it began. */
  if (req->principal.session_created + req->config->session_max_age <= ks_time_now ())
    {
      ks_principal_clear (&req->principal);
      ks_request_error (req, 401, "unauthorized",
                        "Your session has expired: a session ends a set time after signing in, "
                        "however much it is used. Sign in again.");
      ks_request_add_header (req, "WWW-Authenticate", "Bearer realm=\"kerbside\", error=\"invalid_token\"");
      return FALSE;
    }
  g_free (req->principal.address);
  req->principal.address = g_steal_pointer (&address);
  return TRUE;
}

static gboolean
is_write_method (const char *method)
{
  return strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0;
}

static void
run_write (Job *job)
{
  KsRequest *req = job->req;
  KsStore *store = req->store;
  g_autoptr(GError) error = NULL;

  if (!ks_store_begin_write (store, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_idempotency_begin (req))
    return;

  job->route->handler (req);

  /* A field the handler did not read is one it does not know: refuse it rather
   * than drop it silently, and change nothing. */
  if (req->status >= 200 && req->status < 300 && !ks_request_check_fields (req))
    {
      ks_store_rollback (store);
      return;
    }

  if (req->status >= 200 && req->status < 300)
    {
      if (!ks_idempotency_finish (req, &error))
        {
          ks_store_rollback (store);
          ks_request_gerror (req, error);
          return;
        }
      if (!ks_store_commit (store, &error))
        {
          ks_store_rollback (store);
          ks_request_gerror (req, error);
        }
    }
  else
    ks_store_rollback (store);
}

/* Rewrites an error answer the framework set (the staff API's JSON shape) into
 * the route group's own error format; leaves every other answer alone. */
static void
speak_route_format (KsRequest    *req,
                    KsErrorWriter error_writer)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *message = NULL;
  JsonNode *root;

  if (req->status < 400 || req->response_type != NULL)
    return;

  /* The framework's answer: {"error": {"code": ..., "message": ...}} */
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, req->response->str, req->response->len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *err = json_object_get_object_member (json_node_get_object (root), "error");
      if (err != NULL && json_object_has_member (err, "message"))
        message = g_strdup (json_object_get_string_member (err, "message"));
    }
  if (message == NULL)
    message = g_strdup ("The server could not answer this request. Try again later.");
  error_writer (req, req->path, req->status, message);
}

/* An error answer in the format of the group path falls in. */
static void
write_error (KsServer   *self,
             KsRequest  *req,
             const char *path,
             guint       status,
             const char *code,
             const char *message)
{
  KsErrorWriter error_writer = ks_router_error_writer (self->router, path);

  if (error_writer != NULL)
    error_writer (req, path, status, message);
  else
    ks_request_error (req, status, code, "%s", message);
}

/* On the worker, before the answer goes to the main thread: a whole answer
 * in a coding the client takes is compressed; a streamed one gets the end of
 * its compressed stream. */
static void
compress_answer (Job *job)
{
  KsRequest *req = job->req;

  if (job->streaming)
    {
      if (job->compressor != NULL && req->status == job->stream_status)
        {
          g_autoptr(GString) packed = g_string_sized_new (req->response->len / 6 + 64);

          if (ks_compressor_feed (job->compressor, req->response->str, req->response->len,
                                  TRUE, packed))
            {
              g_string_free (req->response, TRUE);
              req->response = g_steal_pointer (&packed);
            }
          else
            ks_request_error (req, 500, "internal", "The server could not answer this request.");
        }
      return;
    }
  if (job->packed != NULL)
    {
      finish_packed (job);
      if (job->packed_status == req->status)
        return;
    }
  if (req->status == 204 || req->response->len < KS_COMPRESS_MIN_SIZE ||
      !ks_compress_type_is_text (req->response_type))
    return;
  ks_request_add_header (req, "Vary", "Accept-Encoding");
  if (job->encoding != KS_ENCODING_IDENTITY && ks_compress_string (job->encoding, req->response))
    ks_request_add_header (req, "Content-Encoding", ks_compress_encoding_name (job->encoding));
}

/* Runs the handler and readies the answer; the caller then hands it to the
 * main thread with queue_answer. */
static void
answer_job (Job *job)
{
  KsRequest *req = job->req;
  const KsRoute *route = job->route;

  ks_request_set_current (req);
  if (!(route->flags & KS_ROUTE_PUBLIC) && !authenticate (job))
    goto out;

  if (req->principal.needs_2fa_setup && !(route->flags & KS_ROUTE_SETUP_OK))
    {
      ks_request_error (req, 403, "two_factor_setup_required",
                        "Two-factor authentication is required for your account. "
                        "Set it up on your account page before you continue.");
      goto out;
    }

  if (route->permission != KS_PERM_NONE && !ks_request_require (req, route->permission))
    goto out;

  if (is_write_method (req->method) && !(route->flags & KS_ROUTE_NO_TXN))
    run_write (job);
  else
    {
      /* Reads may stream a long answer (ks_request_flush). */
      if (!is_write_method (req->method))
        {
          req->flush_func = job_flush;
          req->pack_func = job_pack;
          req->flush_data = job;
        }
      route->handler (req);
    }

  if (req->status == 0)
    {
      g_warning ("%s %s: the handler set no answer", req->method, req->path);
      ks_request_error (req, 500, "internal", "The server could not answer this request.");
    }

out:
  ks_request_set_current (NULL);
  if (route->error_writer != NULL)
    speak_route_format (req, route->error_writer);
  compress_answer (job);
}

/* From here the main thread owns the job. */
static void
queue_answer (Job *job)
{
  KsRequest *req = job->req;

  if (req->answer_delay_us > 0 && !job->streaming)
    {
      /* The answer waits on the main loop's timer; the worker is free at once. */
      GSource *timer = g_timeout_source_new ((guint) (req->answer_delay_us / 1000));

      g_source_set_callback (timer, finish_on_main, job, NULL);
      g_source_attach (timer, NULL);
      g_source_unref (timer);
    }
  else
    g_main_context_invoke (NULL, finish_on_main, job);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  answer_job (data);
  queue_answer (data);
}

static void
slow_thread_priority (void)
{
  static GPrivate niced;
  if (g_private_get (&niced) == NULL)
    {
      /* Linux applies nice per thread: bcrypt behind the API workers. */
      setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), KS_SLOW_NICE);
      g_private_set (&niced, GINT_TO_POINTER (1));
    }
}

/* The slow thread's CPU time so far (the caller holds slow_lock); 0 before
 * the thread has begun one. */
static gint64
slow_thread_cpu (KsServer *self)
{
  struct timespec ts;

  if (!self->slow_clock_known || clock_gettime (self->slow_clock, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
slow_begin (KsServer *self)
{
  g_mutex_lock (&self->slow_lock);
  if (!self->slow_clock_known)
    self->slow_clock_known = pthread_getcpuclockid (pthread_self (), &self->slow_clock) == 0;
  ks_slow_admission_begin (self->slow_admission, g_get_monotonic_time (), slow_thread_cpu (self));
  g_mutex_unlock (&self->slow_lock);
}

static void
slow_end (KsServer *self,
          gboolean  check)
{
  g_mutex_lock (&self->slow_lock);
  if (check)
    ks_slow_admission_end (self->slow_admission, g_get_monotonic_time (), slow_thread_cpu (self));
  else
    ks_slow_admission_end_measure (self->slow_admission, g_get_monotonic_time (), slow_thread_cpu (self));
  g_mutex_unlock (&self->slow_lock);
}

/* Pushed on the slow pool to measure the share of a core the thread gets. */
static char slow_measure_tag;
#define SLOW_MEASURE ((gpointer) &slow_measure_tag)

static void
run_slow_job (gpointer data,
              gpointer user_data)
{
  KsServer *self = user_data;
  Job *job = data;
  gint64 t0, cpu0, hash0;

  slow_thread_priority ();
  if (data == self)
    {
      /* At start: what one bcrypt hash at the configured cost takes here. */
      slow_begin (self);
      g_free (ks_password_hash ("calibration", self->config.bcrypt_cost, NULL));
      slow_end (self, TRUE);
      return;
    }
  if (data == SLOW_MEASURE)
    {
      /* A sixteenth of a check: a few ms of CPU. */
      slow_begin (self);
      t0 = g_get_monotonic_time ();
      g_free (ks_password_hash ("measurement", MAX (self->config.bcrypt_cost - 4, KS_BCRYPT_COST_MIN),
                                NULL));
      slow_end (self, FALSE);
      g_debug ("sign-ins too slow even alone: measured again in %" G_GINT64_FORMAT " ms",
               (g_get_monotonic_time () - t0) / 1000);
      return;
    }
  slow_begin (self);
  t0 = g_get_monotonic_time ();
  g_mutex_lock (&self->slow_lock);
  cpu0 = slow_thread_cpu (self);
  g_mutex_unlock (&self->slow_lock);
  hash0 = ks_password_hash_thread_time ();
  answer_job (job);
  /* Where an admitted sign-in's time went (G_MESSAGES_DEBUG=ks-server). */
  {
    gint64 t1 = g_get_monotonic_time (), cpu1, hash;

    g_mutex_lock (&self->slow_lock);
    cpu1 = slow_thread_cpu (self);
    g_mutex_unlock (&self->slow_lock);
    hash = ks_password_hash_thread_time () - hash0;
    g_debug ("%s %s: %u; waited %" G_GINT64_FORMAT " ms, bcrypt %" G_GINT64_FORMAT
             " ms, the rest %" G_GINT64_FORMAT " ms, CPU %" G_GINT64_FORMAT
             " ms; done %" G_GINT64_FORMAT " ms after admission, expected %" G_GINT64_FORMAT " ms",
             job->req->method, job->req->path, job->req->status,
             (t0 - job->admitted_at) / 1000, hash / 1000, (t1 - t0 - hash) / 1000,
             (cpu1 - cpu0) / 1000, (t1 - job->admitted_at) / 1000, job->expected_us / 1000);
  }
  /* This sign-in stops counting before its answer is on its way: the client's
   * next sign-in, sent as soon as this answer arrives, must find it gone. */
  slow_end (self, TRUE);
  queue_answer (job);
}

/* Whether one more sign-in can be done within the budget; when not, how many
 * seconds until the ones ahead are done. */
static gboolean
slow_admit (KsServer *self,
            gint64   *expected_us,
            guint    *retry_after)
{
  gboolean ok, measure = FALSE;

  g_mutex_lock (&self->slow_lock);
  ok = ks_slow_admission_admit (self->slow_admission, g_get_monotonic_time (),
                                slow_thread_cpu (self), expected_us, retry_after, &measure);
  g_mutex_unlock (&self->slow_lock);
  if (measure)
    g_thread_pool_push (self->slow_pool, SLOW_MEASURE, NULL);
  return ok;
}

static void
answer_now (KsServer          *self,
            SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  g_autoptr(KsRequest) req = ks_request_new ();
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  write_error (self, req, path, status, code, message);
  set_response (msg, req);
}

/* Refuses paths that try to escape or hide: dot segments, empty segments,
 * encoded slashes or NULs, non-UTF-8. */
static gboolean
path_is_clean (const char *path)
{
  if (path == NULL || path[0] != '/' || !g_utf8_validate (path, -1, NULL))
    return FALSE;
  if (strstr (path, "//") || strstr (path, "/./") || strstr (path, "/../") ||
      g_str_has_suffix (path, "/..") || g_str_has_suffix (path, "/."))
    return FALSE;
  for (const char *p = path; *p; p++)
    {
      if (*p == '%')
        return FALSE; /* no API path needs escaped characters */
      if ((guchar) *p < 0x20 || *p == '\\')
        return FALSE;
    }
  return TRUE;
}

/* One name or value of a form-encoded query: '+' is a space, %XX escapes are
 * decoded; NULL when an escape is malformed, decodes to NUL, or the result is
 * not UTF-8. */
static char *
decode_query_part (const char *start,
                   gsize       len)
{
  g_autofree char *plus = g_strndup (start, len);
  char *out;

  for (char *p = plus; *p; p++)
    if (*p == '+')
      *p = ' ';
  out = g_uri_unescape_string (plus, NULL);
  if (out != NULL && !g_utf8_validate (out, -1, NULL))
    g_clear_pointer (&out, g_free);
  return out;
}

/* Fills query from a raw query string. A parameter that cannot be read is not
 * dropped silently: FALSE, with a sentence naming it. */
static gboolean
decode_query (const char  *raw,
              GHashTable  *query,
              char       **problem)
{
  g_auto(GStrv) pairs = g_strsplit (raw, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *pair = pairs[i];
      const char *eq = strchr (pair, '=');
      gsize name_len = eq ? (gsize) (eq - pair) : strlen (pair);
      g_autofree char *name = NULL, *value = NULL;

      if (*pair == '\0')
        continue;
      name = decode_query_part (pair, name_len);
      if (name == NULL)
        {
          *problem = g_strdup ("A query parameter's name is not valid UTF-8 text "
                               "(or has a malformed %-escape). Send names as UTF-8, percent-encoded.");
          return FALSE;
        }
      value = eq ? decode_query_part (eq + 1, strlen (eq + 1)) : g_strdup ("");
      if (value == NULL)
        {
          g_autofree char *shown = g_utf8_substring (name, 0, 40);
          *problem = g_strdup_printf ("The value of the query parameter “%s” is not valid UTF-8 text "
                                      "(or has a malformed %%-escape). Send it as UTF-8, percent-encoded.",
                                      shown);
          return FALSE;
        }
      g_hash_table_replace (query, g_steal_pointer (&name), g_steal_pointer (&value));
    }
  return TRUE;
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *unused_path,
                GHashTable        *unused_query,
                gpointer           user_data)
{
  KsServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (uri);
  const char *raw_query = g_uri_get_query (uri);
  SoupMessageHeaders *rh = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(KsRequest) req = NULL;
  const KsRoute *route;
  gboolean path_known = FALSE;
  GSocketAddress *remote;
  gint64 expected_us = 0;
  Job *job;

  if (self->shutting_down)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      answer_now (self, msg, 503, "unavailable", "The server is shutting down. Try again in a moment.");
      return;
    }

  if (!path_is_clean (path))
    {
      answer_now (self, msg, 400, "bad_request", "The request path is not valid.");
      return;
    }

  if ((gsize) body->length > self->config.max_body)
    {
      answer_now (self, msg, 413, "too_large", "The request body is too large.");
      return;
    }

  req = ks_request_new ();
  route = ks_router_match (self->router, method, path, req->params, &path_known);
  if (route == NULL)
    {
      if (path_known)
        answer_now (self, msg, 405, "method_not_allowed", "This address does not accept that method.");
      else
        answer_now (self, msg, 404, "not_found", "There is nothing at this address.");
      return;
    }

  req->server = self;
  req->config = &self->config;
  req->store = self->store;
  req->method = g_strdup (method);
  req->path = g_strdup (path);
  if (raw_query != NULL)
    {
      g_autofree char *problem = NULL;
      if (!decode_query (raw_query, req->query, &problem))
        {
          answer_now (self, msg, 400, "bad_request", problem);
          return;
        }
    }
  if (body->length > 0)
    req->body = soup_message_body_flatten (body);
  req->content_type = g_strdup (soup_message_headers_get_content_type (rh, NULL));
  req->user_agent = g_strdup (soup_message_headers_get_one (rh, "User-Agent"));
  {
    const char *k = soup_message_headers_get_one (rh, "Idempotency-Key");
    if (k != NULL)
      {
        if (strlen (k) == 0 || strlen (k) > 200 || !g_utf8_validate (k, -1, NULL))
          {
            answer_now (self, msg, 422, "invalid", "The Idempotency-Key header must be 1 to 200 characters.");
            return;
          }
        req->idempotency_key = g_strdup (k);
      }
  }
  remote = soup_server_message_get_remote_address (msg);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    req->principal.address =
      g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  /* Sign-ins wait for the one bcrypt thread; past what it can do in time, shed
   * load at once rather than let a queue build that people would wait in. */
  if (route->flags & KS_ROUTE_SLOW)
    {
      guint retry_after = 0;

      if (!slow_admit (self, &expected_us, &retry_after))
        {
          g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", seconds);
          answer_now (self, msg, 503, "busy",
                      "The server is busy signing other people in. Try again in a few seconds.");
          return;
        }
    }

  job = g_new0 (Job, 1);
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->req = g_steal_pointer (&req);
  job->route = route;
  job->authorization = g_strdup (soup_message_headers_get_one (rh, "Authorization"));
  job->encoding = ks_compress_choose (soup_message_headers_get_list (rh, "Accept-Encoding"));
  job->admitted_at = g_get_monotonic_time ();
  job->expected_us = expected_us;

  g_atomic_int_inc (&self->in_flight);
  soup_server_message_pause (msg);
  g_thread_pool_push ((route->flags & KS_ROUTE_SLOW) ? self->slow_pool : self->pool, job, NULL);
}

/* A request refused while its body is still coming: the answer is written on
 * the connection taken from libsoup, which would otherwise read the whole body
 * first. The connection is then closed; what the client still sends meanwhile
 * is read and dropped for a moment, so that it can see the answer rather than a
 * reset. */
typedef struct {
  GIOStream *stream;
  GBytes    *answer;
  gint64     deadline;
  guint8     sink[16384];
} Refusal;

#define KS_REFUSAL_LINGER_USEC (2 * G_USEC_PER_SEC)

static void
refusal_free (Refusal *r)
{
  g_clear_object (&r->stream);
  g_clear_pointer (&r->answer, g_bytes_unref);
  g_free (r);
}

static void
refusal_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  refusal_free (data);
}

static void
refusal_close (Refusal *r)
{
  g_io_stream_close_async (r->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed, r);
}

static void
refusal_drained (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Refusal *r = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0 && g_get_monotonic_time () < r->deadline)
    g_input_stream_read_async (g_io_stream_get_input_stream (r->stream), r->sink,
                               sizeof r->sink, G_PRIORITY_LOW, NULL, refusal_drained, r);
  else
    refusal_close (r);
}

static gboolean
refusal_timeout (gpointer data)
{
  GSocket *sock = g_object_get_data (G_OBJECT (data), "GSocket");

  /* A client that stops sending without closing: cut it off (the pending read
   * then ends and the connection is closed). */
  if (sock != NULL)
    g_socket_shutdown (sock, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
refusal_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Refusal *r = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_close (r);
      return;
    }
  g_output_stream_flush (G_OUTPUT_STREAM (source), NULL, NULL);
  g_timeout_add_full (G_PRIORITY_DEFAULT, KS_REFUSAL_LINGER_USEC / 1000 + 500,
                      refusal_timeout, g_object_ref (r->stream), g_object_unref);
  g_input_stream_read_async (g_io_stream_get_input_stream (r->stream), r->sink,
                             sizeof r->sink, G_PRIORITY_LOW, NULL, refusal_drained, r);
}

/* Answers msg at once with an error and closes its connection, without reading
 * the rest of its body. */
static void
refuse_and_close (KsServer          *self,
                  SoupServerMessage *msg,
                  guint              status,
                  const char        *code,
                  const char        *message)
{
  g_autoptr(KsRequest) req = ks_request_new ();
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *type = "application/json";
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Refusal *r;
  GIOStream *stream;

  write_error (self, req, path, status, code, message);
  if (req->response_type != NULL)
    type = req->response_type;

  date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  g_string_append_printf (head,
                          "HTTP/1.1 %u %s\r\n"
                          "Date: %s\r\n"
                          "Server: kerbside-server/" PACKAGE_VERSION "\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          req->status, soup_status_get_phrase (req->status), date,
                          type, req->response->len);
  g_string_append_len (head, req->response->str, req->response->len);

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  r = g_new0 (Refusal, 1);
  r->stream = stream;
  r->deadline = g_get_monotonic_time () + KS_REFUSAL_LINGER_USEC;
  r->answer = g_string_free_to_bytes (g_steal_pointer (&head));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (r->answer, NULL),
                                   g_bytes_get_size (r->answer),
                                   G_PRIORITY_DEFAULT, NULL, refusal_written, r);
}

static void
refuse_too_large (KsServer          *self,
                  SoupServerMessage *msg)
{
  g_autofree char *message =
    g_strdup_printf ("The request body is too large (at most %" G_GSIZE_FORMAT " bytes).",
                     self->config.max_body);
  refuse_and_close (self, msg, 413, "too_large", message);
}

/* The request line and headers are read: a body announced as too large is
 * refused before any of it is read, Expect: 100-continue or not. Errors libsoup
 * found in the headers get a JSON body like every other error. */
static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  KsServer *self = user_data;
  SoupMessageHeaders *rh = soup_server_message_get_request_headers (msg);
  guint status = soup_server_message_get_status (msg);

  if (soup_message_headers_get_encoding (rh) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      goffset len = soup_message_headers_get_content_length (rh);
      if (len < 0 || (guint64) len > self->config.max_body)
        {
          refuse_too_large (self, msg);
          return;
        }
    }

  if (status == 0)
    /* Drop the answer prepared for a request whose headers could not be read. */
    soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  else
    answer_now (self, msg, status, "bad_request",
                "The request could not be understood (check its address and headers).");
}

/* A chunked (or unannounced) body is cut off as soon as it passes the limit. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  KsServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if ((guint64) body->length > self->config.max_body)
    refuse_too_large (self, msg);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  static const char unreadable[] =
    "{\"error\":{\"code\":\"bad_request\",\"message\":"
    "\"The request could not be read: its request line or headers are malformed.\"}}";

  /* libsoup answers a request whose headers it cannot parse itself, with no
   * hook in between: prepare that answer now; on_got_headers drops it. */
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    unreadable, sizeof unreadable - 1);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), user_data, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), user_data, 0);
}

static void
ks_server_dispose (GObject *object)
{
  KsServer *self = (KsServer *) object;

  if (self->pool)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  if (self->slow_pool)
    g_thread_pool_free (g_steal_pointer (&self->slow_pool), FALSE, TRUE);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_handle_id (&self->shutdown_source, g_source_remove);
  g_clear_handle_id (&self->housekeeping_source, g_source_remove);
  G_OBJECT_CLASS (ks_server_parent_class)->dispose (object);
}

static void
ks_server_finalize (GObject *object)
{
  KsServer *self = (KsServer *) object;

  ks_router_free (self->router);
  ks_server_config_clear (&self->config);
  ks_slow_admission_free (self->slow_admission);
  g_clear_object (&self->housekeeping_cancel);
  g_mutex_clear (&self->slow_lock);
  G_OBJECT_CLASS (ks_server_parent_class)->finalize (object);
}

static void
ks_server_class_init (KsServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_server_dispose;
  object_class->finalize = ks_server_finalize;
}

static void
ks_server_init (KsServer *self)
{
  g_mutex_init (&self->slow_lock);
  self->housekeeping_cancel = g_cancellable_new ();
  self->slow_admission = ks_slow_admission_new (KS_SLOW_BUDGET_USEC, KS_SLOW_QUEUE_MAX,
                                                KS_SLOW_PROBE_USEC, KS_SLOW_CALM_USEC);
  ks_slow_admission_set_busy_cap (self->slow_admission, KS_SLOW_BUSY_CAP, KS_SLOW_BUSY_BURST_USEC);
}

KsServer *
ks_server_new (const KsServerConfig *config,
               KsStore              *store,
               KsRouter             *router)
{
  KsServer *self = g_object_new (KS_TYPE_SERVER, NULL);

  self->router = router;
  ks_server_config_copy (&self->config, config);
  self->store = g_object_ref (store);
  return self;
}

static gboolean
parse_listen (const char    *listen,
              GInetAddress **out_addr,
              guint         *out_port,
              GError       **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  char *end = NULL;
  guint64 port;

  if (colon == NULL)
    goto bad;
  host = g_strndup (listen, colon - listen);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == NULL || *end != '\0' || colon[1] == '\0' || port > 65535)
    goto bad;
  if (g_strcmp0 (host, "localhost") == 0)
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  *out_addr = g_inet_address_new_from_string (host);
  if (*out_addr == NULL)
    goto bad;
  *out_port = port;
  return TRUE;

bad:
  g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
               "“%s” is not an address to listen on; write ADDRESS:PORT, such as 127.0.0.1:8080.",
               listen);
  return FALSE;
}

gboolean
ks_server_start (KsServer  *self,
                 GError   **error)
{
  g_autoptr(GInetAddress) addr = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  SoupServerListenOptions options = 0;
  guint port = 0;
  GSList *uris;

  if (!parse_listen (self->config.listen, &addr, &port, error))
    return FALSE;

  self->soup = soup_server_new ("server-header", "kerbside-server/" PACKAGE_VERSION, NULL);

  if (self->config.tls_cert != NULL || self->config.tls_key != NULL)
    {
      g_autoptr(GTlsCertificate) cert = NULL;

      if (self->config.tls_cert == NULL || self->config.tls_key == NULL)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "HTTPS needs both --tls-cert and --tls-key.");
          return FALSE;
        }
      /* Before any TLS connection exists (glib-networking reads it once). */
      g_setenv ("G_TLS_GNUTLS_PRIORITY", KS_TLS_PRIORITY, FALSE);
      cert = g_tls_certificate_new_from_files (self->config.tls_cert, self->config.tls_key, error);
      if (cert == NULL)
        return FALSE;
      soup_server_set_tls_certificate (self->soup, cert);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  else if (!g_inet_address_get_is_loopback (addr))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "Plain HTTP is only allowed on a loopback address (127.0.0.1 or ::1). "
                   "To listen on %s, give a certificate with --tls-cert and --tls-key.",
                   self->config.listen);
      return FALSE;
    }

  self->pool = g_thread_pool_new (run_job, self, MAX (1, self->config.threads), TRUE, error);
  if (self->pool == NULL)
    return FALSE;
  self->slow_pool = g_thread_pool_new (run_slow_job, self, 1, TRUE, error);
  if (self->slow_pool == NULL)
    return FALSE;
  g_mutex_lock (&self->slow_lock);
  ks_slow_admission_reserve (self->slow_admission);
  g_mutex_unlock (&self->slow_lock);
  g_thread_pool_push (self->slow_pool, self, NULL);

  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (on_request_started), self, 0);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);

  sockaddr = g_inet_socket_address_new (addr, port);
  if (!soup_server_listen (self->soup, sockaddr, options, error))
    return FALSE;

  housekeeping_tick (self);
  self->housekeeping_source = g_timeout_add_seconds (MIN (self->config.housekeeping_seconds, G_MAXUINT / 2),
                                                     housekeeping_tick, self);

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

/* Photos nothing refers to (a request that wrote one and then failed, say) are
 * removed once they are a day old: old enough that no request still writing one
 * can be caught half-way. */
static void
remove_unreferenced_media (KsServer *self,
                           gint64    now)
{
  g_autoptr(GDir) dir = NULL;
  /* The server itself, seeing every council and the moderation history. */
  KsPrincipal system = KS_PRINCIPAL_SYSTEM_INIT;
  const char *name;
  guint removed = 0;

  if (self->config.media_dir == NULL ||
      (dir = g_dir_open (self->config.media_dir, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *ref = NULL;
      gboolean referenced = TRUE;
      GStatBuf st;

      if (!ks_media_name_is_valid (name))
        continue;
      path = g_build_filename (self->config.media_dir, name, NULL);
      if (g_stat (path, &st) != 0 || now - (gint64) st.st_mtime < 24 * 3600)
        continue;
      ref = g_strconcat ("/api/v1/media/", name, NULL);
      if (!ks_store_reports_media_visible (self->store, &system, ref, &referenced, &error))
        {
          g_warning ("Housekeeping of photos stopped: %s", error->message);
          return;
        }
      if (!referenced && g_unlink (path) == 0)
        removed++;
    }
  if (removed > 0)
    g_message ("Removed %u photos that no report refers to", removed);
}

/* The items kept ahead in housekeeping: behind everything else. */
#define KS_KEEP_AHEAD_NICE 19

static gpointer
keep_items_ahead_thread (gpointer data)
{
  KsServer *self = data;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gint64 since = 0;
  guint kept = 0, walked = 0;

  /* Linux applies nice per thread. This thread is the keeper's alone: a
   * thread of GLib's shared pool (the housekeeping's) could not be given
   * its priority back without the right to raise it. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), KS_KEEP_AHEAD_NICE);
  if (!ks_wire_report_keep_ahead (self->store, self->housekeeping_cancel, &kept, &walked, &since,
                                  &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The reports' sync items were not kept ahead: %s", error->message);
  if (kept > 0)
    g_message ("Kept %u reports' sync items ahead in %.1f s (%u reports walked after seq %"
               G_GINT64_FORMAT ")%s", kept, (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC,
               walked, since,
               error != NULL ? (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                ? " (stopped at shutdown)" : " (then stopped)") : "");
  return NULL;
}

/* The sync items the reports lack are rendered and kept, last and behind the
 * API workers (a thread of its own at KS_KEEP_AHEAD_NICE, waited for), so
 * that a sync copies them: a database from before they were kept, an import,
 * or a rename of a category with many reports would otherwise leave the first
 * sync after it rendering them all (about 5 s at 100,000 reports). The walk
 * starts at the first report without one; a store whose reports all have
 * theirs is not walked (which items are kept is read, not the items; no
 * write). Shutdown stops the walk between two pages. */
static void
keep_items_ahead (KsServer *self)
{
  g_thread_join (g_thread_new ("ks-keep-ahead", keep_items_ahead_thread, self));
}

static void
housekeeping_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  KsServer *self = source;
  g_autoptr(GError) error = NULL;
  gint64 now = ks_time_now ();

  if (!ks_store_housekeeping (self->store, now, &error))
    g_warning ("Housekeeping failed: %s", error->message);
  g_clear_error (&error);
  /* The councils' retention settings, once a day (by the clock tests move). */
  if (!ks_retention_run_daily (self->store, ks_time_now (), self->config.outbox_dir, &error))
    g_warning ("The retention job failed: %s", error->message);
  remove_unreferenced_media (self, now);
  if (self->config.keep_items_ahead)
    keep_items_ahead (self);
  g_atomic_int_set (&self->housekeeping_running, 0);
  g_task_return_boolean (task, TRUE);
}

/* Old idempotency answers, expired sessions and codes go once an hour, off the
 * main thread ([server] housekeeping-seconds); the retention job's day is taken then. */
static gboolean
housekeeping_tick (gpointer data)
{
  KsServer *self = data;
  g_autoptr(GTask) task = NULL;

  /* One run at a time: a long one (the day's retention job) is not caught up by
   * the next tick. */
  if (self->shutting_down ||
      !g_atomic_int_compare_and_exchange (&self->housekeeping_running, 0, 1))
    return G_SOURCE_CONTINUE;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_run_in_thread (task, housekeeping_thread);
  return G_SOURCE_CONTINUE;
}

static gboolean
shutdown_poll (gpointer data)
{
  KsServer *self = data;

  /* Housekeeping finishes too: its thread uses the store until it is done. */
  if (g_atomic_int_get (&self->in_flight) > 0 || g_atomic_int_get (&self->housekeeping_running))
    return G_SOURCE_CONTINUE;
  /* Then the answers of the last requests are written, for at most
   * KS_SHUTDOWN_WRITE_USEC (a client that reads nothing does not hold the
   * server up). */
  if (self->answering > 0)
    {
      gint64 now = g_get_monotonic_time ();

      if (self->answers_wait == 0)
        self->answers_wait = now;
      if (now - self->answers_wait < KS_SHUTDOWN_WRITE_USEC)
        return G_SOURCE_CONTINUE;
      g_message ("Stopping with %u answers not yet written", self->answering);
    }
  self->shutdown_source = 0;
  soup_server_disconnect (self->soup);
  if (self->shutdown_done)
    ((void (*) (gpointer)) self->shutdown_done) (self->shutdown_data);
  return G_SOURCE_REMOVE;
}

void
ks_server_shutdown (KsServer  *self,
                    GCallback  done,
                    gpointer   user_data)
{
  GSList *listeners;

  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;
  g_cancellable_cancel (self->housekeeping_cancel);
  self->shutdown_done = done;
  self->shutdown_data = user_data;
  /* Stop accepting new connections; requests in flight go on. */
  listeners = soup_server_get_listeners (self->soup);
  for (GSList *l = listeners; l; l = l->next)
    g_socket_shutdown (l->data, TRUE, FALSE, NULL);
  g_slist_free (listeners);
  self->shutdown_source = g_timeout_add (20, shutdown_poll, self);
}

guint
ks_server_get_port (KsServer *self)
{
  return self->port;
}

const KsServerConfig *
ks_server_get_config (KsServer *self)
{
  return &self->config;
}

KsStore *
ks_server_get_store (KsServer *self)
{
  return self->store;
}

KsRouter *
ks_server_get_router (KsServer *self)
{
  return self->router;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-request.h: one API request as its handler sees it, and its answer.
 *
 * Handlers run on a worker thread, never on the thread that serves the sockets.
 * They read the request (path parameters, query, JSON body), check what they must,
 * talk to the store, and set the answer with ks_request_json() or ks_request_error().
 * For write methods the framework has already opened a write transaction and will
 * commit it if the answer is 2xx (rolled back otherwise), together with the audit
 * entries the handler added and the idempotency record. */
#pragma once

#include <json-glib/json-glib.h>
#include "ks-error.h"
#include "ks-json-writer.h"
#include "auth/ks-principal.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

typedef struct _KsServer KsServer;
typedef struct _KsServerConfig KsServerConfig;

typedef struct _KsRequest {
  /* the request */
  KsServer        *server;
  const KsServerConfig *config;
  KsStore         *store;
  char            *method;
  char            *path;
  GHashTable      *query;          /* char* -> char*, never NULL */
  GHashTable      *params;         /* path parameters: "id" -> "42" */
  GBytes          *body;
  char            *content_type;
  char            *user_agent;
  char            *idempotency_key;
  KsPrincipal      principal;      /* user_id == 0 when not signed in */

  /* the answer */
  guint            status;
  GString         *response;
  char            *response_type;  /* default application/json */
  GPtrArray       *response_headers; /* name, value, name, value... */
  /* A step of a bulk action: the report's detail in the answer is left to the bulk
   * request, which reads every item's at the end, in a few queries for all of them.
   * The answer has null in its place and detail_report names the report. */
  gboolean         detail_deferred;
  gint64           detail_report;
  /* Held back this long (µs) after the handler, on the main loop's timer: a
   * sign-in slowed down after many failures waits there, not on the one bcrypt
   * thread that everyone else's sign-in needs. */
  gint64           answer_delay_us;

  /* streaming a long answer (ks_request_flush), or packing one
   * (ks_request_pack): set by the server for reads; both get flush_data */
  gboolean       (*flush_func) (struct _KsRequest *req, gpointer data);
  gboolean       (*pack_func)  (struct _KsRequest *req, gpointer data);
  gpointer         flush_data;

  /* parsed body, cached */
  JsonParser      *parser;
  GHashTable      *fields_read;    /* members of the body's object the handler read */
} KsRequest;

/* Parameters */
const char  *ks_request_query      (KsRequest *req, const char *name);
const char  *ks_request_param      (KsRequest *req, const char *name);
/* A positive integer path parameter; sets a 404 answer and returns FALSE otherwise. */
gboolean     ks_request_param_id   (KsRequest *req, const char *name, gint64 *out_id);
/* A query parameter as an integer in [min, max], or def when absent; 422 when malformed. */
gboolean     ks_request_query_int  (KsRequest *req, const char *name, gint64 min,
                                    gint64 max, gint64 def, gint64 *out);

/* The deepest nesting of arrays and objects a JSON body may have. */
#define KS_REQUEST_JSON_MAX_DEPTH 32

/* The body as a JSON object; sets a 400 answer and returns NULL when it is not one. */
JsonObject  *ks_request_json_object (KsRequest *req);

/* Typed members of a JSON object. Each sets a 422 answer naming the member and
 * returns FALSE when it is present with the wrong type, or missing and required.
 * When absent and optional, *out is left alone and TRUE returned. */
gboolean ks_request_get_string (KsRequest *req, JsonObject *obj, const char *name,
                                gboolean required, gsize max_len, const char **out);
gboolean ks_request_get_int    (KsRequest *req, JsonObject *obj, const char *name,
                                gboolean required, gint64 min, gint64 max, gint64 *out);
gboolean ks_request_get_double (KsRequest *req, JsonObject *obj, const char *name,
                                gboolean required, double *out);
gboolean ks_request_get_bool   (KsRequest *req, JsonObject *obj, const char *name,
                                gboolean required, gboolean *out);
gboolean ks_request_has        (JsonObject *obj, const char *name);
/* TRUE when s is NULL, empty or only white space (what a required text field
 * may not be; the handlers check their own fields with it too). */
gboolean ks_api_is_blank       (const char *s);
/* A member as it is (NULL when absent), for handlers that read it themselves. */
JsonNode *ks_request_member    (KsRequest *req, JsonObject *obj, const char *name);

/* Unknown fields. The helpers above note which members of the body's object a
 * handler reads; any other member is a field this request does not take. For
 * writes in the framework's transaction this is checked after the handler, and
 * the change rolled back. Handlers that commit themselves (KS_ROUTE_NO_TXN)
 * call ks_request_check_fields() once they have read the body, before changing
 * anything. Returns FALSE with a 422 answer naming the first unknown field. */
gboolean ks_request_check_fields (KsRequest *req);
/* The request the calling worker thread is serving (so that ks_request_has()
 * can note what it reads), or NULL. */
void     ks_request_set_current  (KsRequest *req);

/* Permission check: sets 403 and returns FALSE when the principal lacks perm. */
gboolean ks_request_require    (KsRequest *req, KsPermission perm);

/* Answers */
/* Starts a JSON answer: returns a writer on req->response, status set to status. */
void     ks_request_begin_json (KsRequest *req, guint status, KsJsonWriter *writer);
void     ks_request_error      (KsRequest *req, guint status, const char *code,
                                const char *format, ...) G_GNUC_PRINTF (4, 5);
/* 422 "invalid" naming the request's field at fault ("field"), for forms that
 * show the sentence beside it. */
void     ks_request_field_error (KsRequest *req, const char *field, const char *message);
/* Answers from a GError of the KS_ERROR domain (or 500 for others). */
/* Answers error (a KS_ERROR: its status and code; otherwise 500). A
 * KS_ERROR_UNAVAILABLE (the database away) is 503 with Retry-After. */
#define KS_RETRY_AFTER_UNAVAILABLE "5"
#define KS_UNAVAILABLE_MESSAGE "The database is busy or out of reach just now. Try again in a few seconds."
void     ks_request_gerror     (KsRequest *req, const GError *error);
void     ks_request_no_content (KsRequest *req);
void     ks_request_add_header (KsRequest *req, const char *name, const char *value);
gboolean ks_request_failed     (KsRequest *req);
/* Long answers. A read handler writing many rows calls this now and then: the
 * first call sends the status and headers set so far (the answer can no longer
 * become an error: one set later cuts the connection, so that the client sees
 * an unfinished answer), and every call sends what req->response holds as one
 * chunk of a chunked answer and empties it (writers on req->response go on
 * writing). It waits while much is still unsent. FALSE when the client has gone
 * or stopped reading: stop writing. Where nothing streams the request, it does
 * nothing and returns TRUE. */
gboolean ks_request_flush      (KsRequest *req);
/* Long answers that must not leave before the handler ends (personal data,
 * which leaves only once its audit entry is written). A read handler writing
 * many rows calls this now and then instead: what req->response holds is
 * compressed, in the coding the client takes, and kept aside, and
 * req->response is emptied; the whole answer is sent when the handler returns,
 * unless it became an error, which is then answered alone. So a long answer
 * never lies whole in memory uncompressed. Where the client takes no coding
 * (or nothing packs the request) it does nothing. FALSE when packing failed:
 * stop writing (the answer is then an error). */
gboolean ks_request_pack       (KsRequest *req);

/* Audit: recorded in the request's transaction (or on its own for reads). */
gboolean ks_request_audit      (KsRequest *req, gint64 body_id, const char *action,
                                const char *object_type, gint64 object_id,
                                const char *details_json);

KsRequest *ks_request_new  (void);
void       ks_request_free (KsRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsRequest, ks_request_free)

G_END_DECLS

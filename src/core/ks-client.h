/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-client.h: the HTTP client of the staff API (libsoup 3, async only).
 *
 * Answers are parsed JSON; failures are KS_ERROR GErrors whose message is the
 * server's sentence (or ours for network and TLS problems). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KS_TYPE_CLIENT (ks_client_get_type ())
G_DECLARE_FINAL_TYPE (KsClient, ks_client, KS, CLIENT, GObject)

/* base_url: "https://host[:port]" (a path prefix is allowed); plain "http://"
 * only for loopback hosts. Returns NULL with KS_ERROR_INVALID otherwise. */
KsClient   *ks_client_new              (const char *base_url, GError **error);
/* Checks a server address as ks_client_new() does; returns the normalised
 * base URL (no trailing slash) or NULL with an error sentence. */
char       *ks_client_normalise_url    (const char *base_url, GError **error);

const char *ks_client_get_base_url     (KsClient *self);
const char *ks_client_get_host         (KsClient *self);
void        ks_client_set_token        (KsClient *self, const char *token);
const char *ks_client_get_token        (KsClient *self);
/* The council a platform operator works in (0: none named, as for staff, whose
 * council is their own). ks_client_council_path() adds it to an API path as
 * "body_id" (a new string; the path unchanged when 0). */
void        ks_client_set_council_id   (KsClient *self, gint64 council_id);
gint64      ks_client_get_council_id   (KsClient *self);
char       *ks_client_council_path     (KsClient *self, const char *path);
/* Seconds of the last 429's or 503's Retry-After (0 when none). */
guint       ks_client_get_retry_after  (KsClient *self);

/* method: "GET", "POST", ...; path: "/api/v1/..." with an optional query string.
 * body: a JSON value to send (nullable, not consumed). idempotency_key: sent as
 * Idempotency-Key (nullable; writes from the outbox always give one). */
void        ks_client_request_async    (KsClient            *self,
                                        const char          *method,
                                        const char          *path,
                                        JsonNode            *body,
                                        const char          *idempotency_key,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* Seconds a long request (ks_client_request_long_async) may wait for the server's
 * answer: a bulk action of the most reports the server takes (5,000), on a busy
 * server. Other requests wait 20 seconds. */
#define KS_CLIENT_LONG_TIMEOUT_SECONDS 600
/* The same as ks_client_request_async(), for a request the server may take
 * minutes to answer (a bulk action over thousands of reports); finish it with
 * ks_client_request_finish(). */
void        ks_client_request_long_async (KsClient            *self,
                                          const char          *method,
                                          const char          *path,
                                          JsonNode            *body,
                                          const char          *idempotency_key,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* Returns the answer's JSON (a null node for 204), or NULL with error.
 * out_error_body (nullable): on an error answer, the whole JSON body
 * (e.g. 409's {"error": ..., "current": {...}}), or NULL. */
JsonNode   *ks_client_request_finish   (KsClient      *self,
                                        GAsyncResult  *result,
                                        JsonNode     **out_error_body,
                                        GError       **error);

/* The "code" of an error answer's {"error": {"code": ...}} (e.g.
 * "challenge_expired"), or NULL. */
const char *ks_client_error_code       (JsonNode *error_body);

/* GET path and answer with the body's bytes as they came, unparsed (for callers
 * that read big answers themselves, off the main thread). Errors as above. */
void        ks_client_get_bytes_async  (KsClient            *self,
                                        const char          *path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GBytes     *ks_client_get_bytes_finish (KsClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* Whether the last request reached the server (any HTTP answer counts). When
 * one could not, the client checks GET /api/v1/health after 1, 2, 4, then every
 * 5 seconds, and at once when GNetworkMonitor sees the network change, until
 * the server answers; "reachable" is notified both ways. */
gboolean    ks_client_get_reachable    (KsClient *self);
/* Checks now (e.g. the person pressed F5) when the server was unreachable. */
void        ks_client_check_reachable  (KsClient *self);

/* Finds the server as typed on the sign-in page: normalises the address and
 * asks GET /api/v1/health. A bare loopback address ("127.0.0.1:8080", no
 * scheme) tries https for 3 seconds, then plain http. Answers the address that
 * answered as a Kerbside server, or a sentence naming the cause: refused,
 * timed out, no such host, TLS failure, not a Kerbside server (KS_ERROR_UNAVAILABLE,
 * KS_ERROR_TLS, KS_ERROR_NOT_FOUND; KS_ERROR_INVALID for an address that is not
 * one). Cancellable. */
void        ks_client_find_server_async  (const char          *typed,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char       *ks_client_find_server_finish (GAsyncResult  *result,
                                          GError       **error);

/* Calls: the async methods built on the client (session, account, dashboard)
 * are one or a few API requests each. ks_client_task_new() makes such a
 * method's GTask (source tag set); ks_client_call() sends a request for it: a
 * failure finishes the task with its error, an answer goes to answer (with the
 * client, for a next request), which finishes the task (g_task_return_*) or sends the next request with it. The
 * method's _finish() is ks_client_task_finish() or
 * ks_client_task_finish_pointer(). */
typedef void (*KsClientAnswerFunc) (KsClient *client,
                                    GTask    *task,
                                    JsonNode *answer);

GTask      *ks_client_task_new           (gpointer             source_object,
                                          gpointer             source_tag,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* body: a JSON object to send (nullable, not consumed); answer NULL: the task
 * returns TRUE. */
void        ks_client_call               (KsClient           *self,
                                          GTask              *task,
                                          const char         *method,
                                          const char         *path,
                                          JsonObject         *body,
                                          KsClientAnswerFunc  answer);
/* Called instead of returning the error when a request sent with
 * ks_client_call_full() fails: it owns error and finishes the task (or not);
 * error_body: the error answer's JSON (e.g. {"error": {"code": ...}}) or NULL. */
typedef void (*KsClientFailFunc) (KsClient *client,
                                  GTask    *task,
                                  GError   *error,
                                  JsonNode *error_body);
/* ks_client_call() with the request's cancellable (usually the task's; NULL
 * for a request that goes on when the caller gives up), a body of any JSON
 * (nullable, not consumed) and failed (NULL: the task returns the error). */
void        ks_client_call_full          (KsClient           *self,
                                          GTask              *task,
                                          const char         *method,
                                          const char         *path,
                                          JsonNode           *body,
                                          GCancellable       *cancellable,
                                          KsClientAnswerFunc  answer,
                                          KsClientFailFunc    failed);
/* An answer that returns the answer's object (finish with
 * ks_client_task_finish_pointer(): a JsonObject to unref), or an error
 * sentence when it is not one. */
void        ks_client_answer_object      (KsClient           *client,
                                          GTask              *task,
                                          JsonNode           *answer);
/* The "name" array of an object answer, or NULL. */
JsonArray  *ks_client_answer_array       (JsonNode           *answer,
                                          const char         *name);
gboolean    ks_client_task_finish        (gpointer            source_object,
                                          GAsyncResult       *result,
                                          GError            **error);
gpointer    ks_client_task_finish_pointer (gpointer           source_object,
                                          GAsyncResult       *result,
                                          GError            **error);

/* Property: "reachable" (gboolean, read-only).
 * Signals:
 * "unauthorized" (const char *message): an authenticated request answered 401
 *   (expired or revoked session).
 * "two-factor-setup-required" (const char *message): an authenticated request
 *   answered 403 two_factor_setup_required (the council now requires 2FA).
 * "waiting" (const char *path, guint seconds, const char *code): a request was
 *   answered 503 with Retry-After (code "busy": the server is signing too many
 *   people in; "unavailable": its database is away) and is sent again in that
 *   many seconds (at most 30 at once, 5 times; then the 503 is the answer).
 *   Cancelling the request ends the wait. */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-private.h: what the files of open311/ share: the limits, the
 * request context every handler starts with, the format and parameter helpers,
 * and each file's route registration. */
#pragma once

#include "http/ks-router.h"
#include "http/ks-server-config.h"
#include "api/ks-questions.h"
#include "store/ks-store-open311.h"
#include "open311/ks-xml-writer.h"
#include "ks-states.h"

G_BEGIN_DECLS

#define XML_TYPE  "text/xml; charset=utf-8"
#define JSON_TYPE "application/json; charset=utf-8"

#define OPEN311_SPEC       "http://wiki.open311.org/GeoReport_v2"
#define OPEN311_CHANGESET  "2026-11-22T00:00:00Z"  /* when this API last changed */

#define MAX_RESULTS        1000    /* requests or updates in one answer */
#define MAX_IDS            1000
#define MAX_CODES          100
#define MAX_FORM_FIELDS    500
#define MAX_ATTRIBUTES     100
#define MAX_DESCRIPTION    4000
#define MAX_TITLE          120
#define MAX_ATTRIBUTE_LEN  4000
#define MAX_URL            2000
#define MAX_NAME           100
#define MAX_EMAIL          254
#define MAX_PHONE          50
#define MAX_ADDRESS        500
#define MAX_CLIENT_ID      200
#define MAX_MEDIA_URLS     20      /* media_url values in one request or update */
#define REQUESTS_DEFAULT_DAYS 90
#define UPDATES_DEFAULT_SECONDS (24 * 3600)

/* The questions and the checks on answers are ks-questions.c's, shared with the
 * staff API. */
typedef KsQuestion Attribute;
#define service_attributes ks_questions_parse
#define value_text         ks_question_value_text
#define attribute_has_key  ks_question_has_key

typedef struct _KsForm KsForm;

/* An Open311 request as its handler sees it. */
typedef struct {
  KsRequest     *req;
  gboolean       json;
  KsForm        *form;       /* the POST body */
  KsOpen311Body  body;
  KsApiKey       key;
  GString       *scratch;
  GPtrArray     *owned;      /* strings made from fields (CRLF made LF), freed with it */
} KsOpen311Ctx;

void ks_open311_ctx_clear (KsOpen311Ctx *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsOpen311Ctx, ks_open311_ctx_clear)

/* Sets an Open311 error answer (<errors><error>... or [{"code", "description"}],
 * chosen by the path's .json or .xml ending; XML when neither): the error format
 * of the route group /open311. */
void ks_api_open311_write_error (KsRequest  *req,
                                 const char *path,
                                 guint       status,
                                 const char *message);

/* Answers and errors (ks-open311-format.c) */
/* TRUE when the path asks for JSON (it ends in .json). */
gboolean ks_open311_path_wants_json (const char *path);
/* Sets the answer's content type. */
void ks_open311_set_type (KsRequest  *req,
                          const char *type);
/* Answers an error in the request's format: status and a sentence. */
void ks_open311_error (KsOpen311Ctx *c, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Answers an error from a GError of the KS_ERROR domain (500 for others). */
void ks_open311_gerror (KsOpen311Ctx *c,
                        const GError *error);
/* Starts an answer in the request's format: x for XML, w for JSON. */
void ks_open311_begin_answer (KsOpen311Ctx *c,
                              guint         status,
                              KsXmlWriter  *x,
                              KsJsonWriter *w);

/* The request (ks-open311-context.c) */
/* A field of the request: the form body first (POST), then the query string. */
const char *ks_open311_field (KsOpen311Ctx *c,
                              const char   *name);
/* Reads the format, the form body of a POST and the jurisdiction; FALSE with an
 * answer set when one of them is wrong. */
gboolean ks_open311_ctx_begin (KsOpen311Ctx *c,
                               KsRequest    *req,
                               gboolean      post);
/* Checks api_key: 403 when missing, unknown, revoked or another council's. */
gboolean ks_open311_ctx_require_key (KsOpen311Ctx *c,
                                     gboolean      touch);
/* Remembers which client sent the report in; when the client's key notifies
 * residents, queues the resident's confirmation (ks-store-notices.h). */
gboolean ks_open311_note_client (KsOpen311Ctx *c,
                                 gint64        report_id,
                                 GError      **error);
/* Writes the audit entry of a client's write (no staff member: the key is named). */
gboolean ks_open311_audit_client (KsOpen311Ctx *c,
                                  const char   *action,
                                  gint64        report_id,
                                  const char   *extra_key,
                                  const char   *extra_value);

/* Parameters (ks-open311-params.c) */
/* Strips ".xml" or ".json" from a path parameter; NULL when it has neither. */
char *ks_open311_strip_format (const char *segment);
/* A positive decimal id. */
gboolean ks_open311_parse_id (const char *s,
                              gint64     *out);
/* A date parameter; sets 400 naming it when malformed. *out 0 when absent. */
gboolean ks_open311_date_param (KsOpen311Ctx *c,
                                const char   *name,
                                gint64       *out);
/* A finite number no further from 0 than limit. */
gboolean ks_open311_parse_coordinate (const char *text,
                                      double      limit,
                                      double     *out);
/* A text field no longer than max characters (400 naming it otherwise). Line
 * ends are made LF: form posts send CRLF (and lone CR becomes LF too). */
gboolean ks_open311_text_field (KsOpen311Ctx *c,
                                const char   *name,
                                gsize         max,
                                const char  **out);
/* Every value of a repeated URL field (sent as name or name[]), each an http or
 * https address, at most MAX_MEDIA_URLS of them (400 naming the field otherwise).
 * *out (strings of the request) is empty when none is sent. */
gboolean ks_open311_url_list (KsOpen311Ctx *c,
                              const char   *name,
                              GPtrArray   **out);
/* An email address (400 naming it otherwise). */
gboolean ks_open311_email_field (KsOpen311Ctx *c,
                                 const char   *name,
                                 const char  **out);
/* "First Last" from first_name and last_name; NULL when both are empty. */
char *ks_open311_person_name (const char *first,
                              const char *last);

/* Idempotency-Key on POST requests (ks-open311-idempotency.c) */
/* Inside the write, after the API key is checked: TRUE to go on (no key, or a key
 * now claimed for this request); FALSE with the answer set: the stored answer of
 * the key's first request (same body), 422 for another body, or an error. */
gboolean ks_open311_idempotency_begin  (KsOpen311Ctx *c);
/* After the handler: keeps a 2xx answer with the key claimed (an error answer
 * otherwise, so that nothing is committed). */
void     ks_open311_idempotency_finish (KsOpen311Ctx *c);

/* Requests (ks-open311-requests.c) */
/* A photo stored by this server ("/api/v1/media/NAME") as published to Open311
 * clients; other media URLs go out as they came. */
char *ks_open311_public_media_url (KsOpen311Ctx *c,
                                   const char   *stored);

/* Each file registers its own routes. */
void ks_open311_services_register (KsRouter *router);
void ks_open311_requests_register (KsRouter *router);
void ks_open311_updates_register  (KsRouter *router);
void ks_open311_api_keys_register (KsRouter *router);

G_END_DECLS

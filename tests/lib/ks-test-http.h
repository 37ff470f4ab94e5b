/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-http.h: plain HTTP to the test server, as a second client would
 * (another person's token, the server's own view of a report). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The status of METHOD base_url+path with this bearer token (or none) and
 * JSON body (or none); *answer (when asked) the JSON object answered, or NULL.
 * Asserts only that the request reached the server. */
guint             ks_test_api_status        (const char *base_url, const char *method, const char *path,
                                             const char *token, const char *body, JsonObject **answer);
/* Like ks_test_api_status, but asserts the status is below 300 and returns
 * the answer. */
JsonObject       *ks_test_api               (const char *base_url, const char *method, const char *path,
                                             const char *token, const char *body);
/* A new token of email's own (the test password). */
char             *ks_test_api_login         (const char *base_url, const char *email);

/* Signs email in, again after each 503 (sign-ins turned away while others are
 * checked) until it is let in; returns the token. Once it returns, no sign-in
 * of this client waits on the server (email's password hash is at the
 * server's cost: the next sign-in changes nothing after answering). */
char             *ks_test_api_login_admitted (const char *base_url, const char *email);

/* A sign-in as email under way: returns once its whole request has been
 * written to the server (the main loop runs meanwhile), so that a request
 * sent after it reaches the server after it. ks_test_api_login_end() waits for
 * its answer and returns the status. */
typedef struct _KsTestLogin KsTestLogin;
KsTestLogin      *ks_test_api_login_begin   (const char *base_url, const char *email);
guint             ks_test_api_login_end     (KsTestLogin *login);

G_END_DECLS

/* ks-api-auth.h: sign-in helpers shared by the auth and account handlers. */
#pragma once

#include "ks-request.h"

G_BEGIN_DECLS

/* After signing in by email (every factor proven), the new session may set a
 * new password without the current one for this long (seconds), once. */
#define KS_PASSWORD_RESET_LIFETIME (15 * 60)

/* 429 with Retry-After when scope/key ("account" email, or "address") has had too
 * many failed sign-ins in the throttling window. */
gboolean ks_api_auth_check_throttle  (KsRequest *req, const char *scope, const char *key,
                                      int limit, gint64 now);
/* Both the account's and the client address's throttles. */
gboolean ks_api_auth_check_throttles (KsRequest *req, const char *account, gint64 now);
void     ks_api_auth_record_failure  (KsRequest *req, const char *account, gint64 now);
char    *ks_api_auth_strip_spaces    (const char *code);

G_END_DECLS

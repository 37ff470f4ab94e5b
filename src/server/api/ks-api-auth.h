/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-auth.h: sign-in helpers shared by the auth and account handlers. */
#pragma once

#include "http/ks-request.h"

G_BEGIN_DECLS

/* After signing in by email (every factor proven), the new session may set a
 * new password without the current one for this long (seconds), once. */
#define KS_PASSWORD_RESET_LIFETIME (15 * 60)

/* Throttling of failed sign-ins, kept in the database (a restart does not
 * reset it). A stranger's guesses must not lock the owner out, so the limit of
 * failures (--throttle-account, default 5 in --throttle-window) is per account
 * AND client address: the owner from another address is not affected. Each
 * address has its own limit over all accounts (--throttle-address). Past
 * KS_THROTTLE_ACCOUNT_FACTOR times the pair limit over every address, each
 * attempt on the account is slowed down by KS_THROTTLE_SLOWDOWN_US, never
 * refused. */
#define KS_THROTTLE_ACCOUNT_FACTOR 10
#define KS_THROTTLE_SLOWDOWN_US    (2 * G_USEC_PER_SEC)

/* 429 with Retry-After when scope/key has had limit failures in the window. */
gboolean ks_api_auth_check_throttle  (KsRequest *req, const char *scope, const char *key,
                                      int limit, gint64 now);
/* The (account, address) pair's, the address's and the account's throttles for
 * failures of scope ("account": passwords and authenticator codes; "email-code":
 * emailed codes, so that wrong passwords do not block sign-in by email). */
gboolean ks_api_auth_check_scope_throttles (KsRequest *req, const char *scope,
                                            const char *account, gint64 now);
void     ks_api_auth_record_scope_failure  (KsRequest *req, const char *scope,
                                            const char *account, gint64 now);
/* The same for scope "account". */
gboolean ks_api_auth_check_throttles (KsRequest *req, const char *account, gint64 now);
void     ks_api_auth_record_failure  (KsRequest *req, const char *account, gint64 now);
char    *ks_api_auth_strip_spaces    (const char *code);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-error.h: the project's error domain, shared by server and app. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_ERROR (ks_error_quark ())

typedef enum {
  KS_ERROR_FAILED,          /* 500: something went wrong on our side */
  KS_ERROR_INVALID,         /* 400/422: the input is not acceptable */
  KS_ERROR_UNAUTHORIZED,    /* 401: not signed in, or token expired */
  KS_ERROR_FORBIDDEN,       /* 403: signed in but not allowed */
  KS_ERROR_NOT_FOUND,       /* 404 */
  KS_ERROR_CONFLICT,        /* 409: stale version, held by someone else */
  KS_ERROR_TOO_LARGE,       /* 413 */
  KS_ERROR_THROTTLED,       /* 429 */
  KS_ERROR_UNAVAILABLE,     /* 503 / network down */
  KS_ERROR_TLS,             /* certificate problems */
  KS_ERROR_KEYRING,         /* no Secret Service */
  KS_ERROR_TWO_FACTOR_REQUIRED, /* the password was right; a 6-digit code is needed next */
} KsErrorCode;

GQuark       ks_error_quark           (void);
guint        ks_error_http_status     (KsErrorCode code);
const char  *ks_error_wire_code       (KsErrorCode code);
KsErrorCode  ks_error_from_http_status (guint status);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-error.c: the project's error domain and its HTTP mapping. */
#include "ks-error.h"

G_DEFINE_QUARK (ks-error-quark, ks_error)

guint
ks_error_http_status (KsErrorCode code)
{
  switch (code)
    {
    case KS_ERROR_INVALID:      return 422;
    case KS_ERROR_UNAUTHORIZED: return 401;
    case KS_ERROR_FORBIDDEN:    return 403;
    case KS_ERROR_NOT_FOUND:    return 404;
    case KS_ERROR_CONFLICT:     return 409;
    case KS_ERROR_TOO_LARGE:    return 413;
    case KS_ERROR_THROTTLED:    return 429;
    case KS_ERROR_UNAVAILABLE:  return 503;
    case KS_ERROR_TLS:
    case KS_ERROR_KEYRING:
    case KS_ERROR_FAILED:
    default:                    return 500;
    }
}

const char *
ks_error_wire_code (KsErrorCode code)
{
  switch (code)
    {
    case KS_ERROR_INVALID:      return "invalid";
    case KS_ERROR_UNAUTHORIZED: return "unauthorized";
    case KS_ERROR_FORBIDDEN:    return "forbidden";
    case KS_ERROR_NOT_FOUND:    return "not_found";
    case KS_ERROR_CONFLICT:     return "conflict";
    case KS_ERROR_TOO_LARGE:    return "too_large";
    case KS_ERROR_THROTTLED:    return "throttled";
    case KS_ERROR_UNAVAILABLE:  return "unavailable";
    case KS_ERROR_TLS:          return "tls";
    case KS_ERROR_KEYRING:      return "keyring";
    case KS_ERROR_FAILED:
    default:                    return "internal";
    }
}

KsErrorCode
ks_error_from_http_status (guint status)
{
  switch (status)
    {
    case 400: case 422: return KS_ERROR_INVALID;
    case 401:           return KS_ERROR_UNAUTHORIZED;
    case 403:           return KS_ERROR_FORBIDDEN;
    case 404:           return KS_ERROR_NOT_FOUND;
    case 409:           return KS_ERROR_CONFLICT;
    case 413:           return KS_ERROR_TOO_LARGE;
    case 429:           return KS_ERROR_THROTTLED;
    case 502: case 503: case 504: return KS_ERROR_UNAVAILABLE;
    default:            return KS_ERROR_FAILED;
    }
}

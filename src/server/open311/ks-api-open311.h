/* ks-api-open311.h: Open311 GeoReport v2 at /open311/v2/ (routes are registered by
 * ks_api_open311_register, declared in api/ks-api.h), and its error format, which
 * the route group /open311 declares for every error on those paths. */
#pragma once

#include "http/ks-request.h"

G_BEGIN_DECLS

/* Sets an Open311 error answer (<errors><error>... or [{"code", "description"}],
 * chosen by the path's .json or .xml ending; XML when neither). */
void     ks_api_open311_write_error (KsRequest  *req,
                                     const char *path,
                                     guint       status,
                                     const char *message);

G_END_DECLS

/* ks-api-open311.h: Open311 GeoReport v2 at /open311/v2/ (routes are registered by
 * ks_api_open311_register, declared in ks-router.h), and the hooks the server
 * uses so that its own errors on those paths speak the Open311 error format. */
#pragma once

#include "http/ks-request.h"

G_BEGIN_DECLS

/* TRUE for paths under /open311/. */
gboolean ks_api_open311_owns_path   (const char *path);
/* Sets an Open311 error answer (<errors><error>... or [{"code", "description"}],
 * chosen by the path's .json or .xml ending; XML when neither). */
void     ks_api_open311_write_error (KsRequest  *req,
                                     const char *path,
                                     guint       status,
                                     const char *message);
/* Rewrites an error answer the framework set on an Open311 path (staff API shape)
 * into the Open311 error format; leaves every other answer alone. */
void     ks_api_open311_adapt_error (KsRequest *req);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-router.h: maps METHOD + path pattern ("/api/v1/reports/{id}") to a handler,
 * and a route group (a path prefix) to the format its errors are written in. */
#pragma once

#include "http/ks-request.h"

G_BEGIN_DECLS

typedef void (*KsHandler) (KsRequest *req);

typedef enum {
  KS_ROUTE_DEFAULT = 0,
  KS_ROUTE_PUBLIC  = 1 << 0,  /* no session needed */
  KS_ROUTE_SLOW    = 1 << 1,  /* CPU-heavy (bcrypt): runs on the slow pool */
  KS_ROUTE_NO_TXN  = 1 << 2,  /* a write that manages its own transactions */
  KS_ROUTE_RAW     = 1 << 3,  /* answers something other than JSON */
  KS_ROUTE_SETUP_OK = 1 << 4, /* allowed while required 2FA is not yet set up */
} KsRouteFlags;

/* Writes an error answer (status and a sentence) in a route group's own format;
 * path is the request's (its ending may choose among formats). Routes outside
 * every group answer the staff API's JSON errors. */
typedef void (*KsErrorWriter) (KsRequest  *req,
                               const char *path,
                               guint       status,
                               const char *message);

/* No permission needed beyond being signed in. */
#define KS_PERM_NONE ((int) -1)

typedef struct {
  char         *method;
  char        **segments;    /* pattern split on '/'; "{name}" segments capture */
  KsRouteFlags  flags;
  int           permission;  /* a KsPermission, or KS_PERM_NONE */
  KsHandler     handler;
  KsErrorWriter error_writer; /* its group's, or NULL for JSON errors */
} KsRoute;

typedef struct _KsRouter KsRouter;

KsRouter      *ks_router_new   (void);
void           ks_router_free  (KsRouter *router);
void           ks_router_add   (KsRouter    *router,
                                const char  *method,
                                const char  *pattern,
                                KsRouteFlags flags,
                                int          permission,
                                KsHandler    handler);
/* Declares a route group: paths equal to prefix or under "prefix/" answer their
 * errors through error_writer, whether a route matches them or not. Declare a
 * group before adding its routes. */
void           ks_router_add_group (KsRouter     *router,
                                    const char   *prefix,
                                    KsErrorWriter error_writer);
/* The error writer of the group path falls in; NULL for JSON errors. */
KsErrorWriter  ks_router_error_writer (KsRouter   *router,
                                       const char *path);
/* Returns the matching route and fills params; NULL when none. *path_known is set
 * when some route has this path with another method (for 405). */
const KsRoute *ks_router_match (KsRouter    *router,
                                const char  *method,
                                const char  *path,
                                GHashTable  *params,
                                gboolean    *path_known);

G_END_DECLS

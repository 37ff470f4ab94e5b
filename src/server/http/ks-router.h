/* ks-router.h: maps METHOD + path pattern ("/api/v1/reports/{id}") to a handler. */
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

/* No permission needed beyond being signed in. */
#define KS_PERM_NONE ((int) -1)

typedef struct {
  char         *method;
  char        **segments;    /* pattern split on '/'; "{name}" segments capture */
  KsRouteFlags  flags;
  int           permission;  /* a KsPermission, or KS_PERM_NONE */
  KsHandler     handler;
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
/* Returns the matching route and fills params; NULL when none. *path_known is set
 * when some route has this path with another method (for 405). */
const KsRoute *ks_router_match (KsRouter    *router,
                                const char  *method,
                                const char  *path,
                                GHashTable  *params,
                                gboolean    *path_known);

/* Each API area registers its routes. */
void ks_api_auth_register    (KsRouter *router);
void ks_api_reports_register (KsRouter *router);
void ks_api_actions_register (KsRouter *router);
void ks_api_admin_register   (KsRouter *router);
void ks_api_account_register (KsRouter *router);
void ks_api_open311_register (KsRouter *router);
void ks_api_privacy_register (KsRouter *router);
void ks_api_media_register   (KsRouter *router);

G_END_DECLS

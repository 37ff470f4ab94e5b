/* ks-router.c: route table and matching. */
#define G_LOG_DOMAIN "ks-router"

#include "http/ks-router.h"

#include <string.h>

struct _KsRouter
{
  GPtrArray *routes;
};

static void
route_free (KsRoute *route)
{
  g_free (route->method);
  g_strfreev (route->segments);
  g_free (route);
}

KsRouter *
ks_router_new (void)
{
  KsRouter *router = g_new0 (KsRouter, 1);
  router->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  return router;
}

void
ks_router_free (KsRouter *router)
{
  if (router == NULL)
    return;
  g_ptr_array_unref (router->routes);
  g_free (router);
}

void
ks_router_add (KsRouter     *router,
               const char   *method,
               const char   *pattern,
               KsRouteFlags  flags,
               int           permission,
               KsHandler     handler)
{
  KsRoute *route = g_new0 (KsRoute, 1);

  route->method = g_strdup (method);
  route->segments = g_strsplit (pattern, "/", -1);
  route->flags = flags;
  route->permission = permission;
  route->handler = handler;
  g_ptr_array_add (router->routes, route);
}

static gboolean
segments_match (char       **pattern,
                char       **path,
                GHashTable  *params)
{
  guint i;

  for (i = 0; pattern[i] && path[i]; i++)
    {
      const char *p = pattern[i];
      gsize len = strlen (p);

      if (len > 2 && p[0] == '{' && p[len - 1] == '}')
        {
          if (*path[i] == '\0')
            return FALSE;
          if (params)
            g_hash_table_insert (params, g_strndup (p + 1, len - 2), g_strdup (path[i]));
        }
      else if (strcmp (p, path[i]) != 0)
        return FALSE;
    }
  return pattern[i] == NULL && path[i] == NULL;
}

const KsRoute *
ks_router_match (KsRouter   *router,
                 const char *method,
                 const char *path,
                 GHashTable *params,
                 gboolean   *path_known)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  /* A trailing slash is the same resource. */
  if (n > 2 && *parts[n - 1] == '\0')
    {
      g_free (parts[n - 1]);
      parts[n - 1] = NULL;
    }

  *path_known = FALSE;
  for (guint i = 0; i < router->routes->len; i++)
    {
      KsRoute *route = g_ptr_array_index (router->routes, i);

      if (!segments_match (route->segments, parts, NULL))
        continue;
      *path_known = TRUE;
      if (strcmp (route->method, method) != 0)
        continue;
      g_hash_table_remove_all (params);
      segments_match (route->segments, parts, params);
      return route;
    }
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-router.c: route table and matching, and the route groups' error formats. */
#define G_LOG_DOMAIN "ks-router"

#include "http/ks-router.h"

#include <string.h>

typedef struct {
  char          *prefix;
  KsErrorWriter  error_writer;
} RouteGroup;

struct _KsRouter
{
  GPtrArray *routes;
  GArray    *groups;   /* RouteGroup */
};

static void
group_clear (gpointer data)
{
  RouteGroup *group = data;
  g_free (group->prefix);
}

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
  router->groups = g_array_new (FALSE, TRUE, sizeof (RouteGroup));
  g_array_set_clear_func (router->groups, group_clear);
  return router;
}

void
ks_router_free (KsRouter *router)
{
  if (router == NULL)
    return;
  g_ptr_array_unref (router->routes);
  g_array_unref (router->groups);
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
  route->error_writer = ks_router_error_writer (router, pattern);
  g_ptr_array_add (router->routes, route);
}

void
ks_router_add_group (KsRouter     *router,
                     const char   *prefix,
                     KsErrorWriter error_writer)
{
  RouteGroup group = { g_strdup (prefix), error_writer };
  g_array_append_val (router->groups, group);
}

KsErrorWriter
ks_router_error_writer (KsRouter   *router,
                        const char *path)
{
  if (path == NULL)
    return NULL;
  for (guint i = 0; i < router->groups->len; i++)
    {
      RouteGroup *group = &g_array_index (router->groups, RouteGroup, i);
      gsize len = strlen (group->prefix);

      if (strncmp (path, group->prefix, len) == 0 && (path[len] == '\0' || path[len] == '/'))
        return group->error_writer;
    }
  return NULL;
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

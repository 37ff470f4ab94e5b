/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-media.c: serving stored photos.
 *
 * GET /api/v1/media/{name} answers a photo to staff who may see a report (or
 * update) that refers to it; GET /open311/v2/media/{name} answers it to anyone,
 * but only while it belongs to public output. Uploads come in with reports and
 * updates (ks-api-actions.c); the files live in the media directory (ks-media.h). */
#define G_LOG_DOMAIN "ks-api-media"

#include "api/ks-api.h"
#include "http/ks-router.h"
#include "http/ks-media.h"
#include "http/ks-server-config.h"
#include "store/ks-store-reports.h"

/* Reads the file and answers it with its type, or sets the error answer. */
static void
answer_file (KsRequest  *req,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const guint8 *data;

  bytes = ks_media_read (req->config->media_dir, name, &error);
  if (bytes == NULL)
    {
      ks_request_gerror (req, error);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  g_string_truncate (req->response, 0);
  g_string_append_len (req->response, (const char *) data, (gssize) len);
  g_free (req->response_type);
  req->response_type = g_strdup (ks_media_content_type (name));
  req->status = 200;
}

static void
not_found (KsRequest *req)
{
  ks_request_error (req, 404, "not_found",
                    "There is no such photo. Refresh the report and try again.");
}

static void
handle_media (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;
  const char *name = ks_request_param (req, "name");
  gboolean visible = FALSE;

  /* Exactly 32 hex digits and .jpeg or .png: nothing else reaches the file system. */
  if (!ks_media_name_is_valid (name))
    {
      not_found (req);
      return;
    }
  ref = g_strconcat (KS_MEDIA_PREFIX, name, NULL);
  if (!ks_store_reports_media_visible (req->store, &req->principal, ref, &visible, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!visible)
    {
      not_found (req);
      return;
    }
  answer_file (req, name);
}

static void
handle_public_media (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;
  const char *name = ks_request_param (req, "name");
  gboolean public = FALSE;

  if (!ks_media_name_is_valid (name))
    {
      not_found (req);
      return;
    }
  ref = g_strconcat (KS_MEDIA_PREFIX, name, NULL);
  if (!ks_store_reports_media_public (req->store, ref, &public, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!public)
    {
      not_found (req);
      return;
    }
  answer_file (req, name);
}

void
ks_api_media_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/media/{name}", KS_ROUTE_RAW,
                 KS_PERM_VIEW_REPORT, handle_media);
  ks_router_add (router, "GET", "/open311/v2/media/{name}",
                 KS_ROUTE_PUBLIC | KS_ROUTE_RAW, KS_PERM_NONE, handle_public_media);
}

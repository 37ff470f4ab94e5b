/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-body.c: a council's settings: its administrators read and change them
 * (/body); platform operators list, create and edit councils (/councils); every
 * member of staff reads the council's boundaries (/boundaries), which the app
 * draws and offers wards from. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"
#include "api/ks-wire-admin.h"
#include "councils/ks-boundaries.h"
#include "councils/ks-council.h"

#define MAX_URL_LENGTH 200

static void
answer_body (KsRequest *req,
             guint      status,
             gint64     body_id)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsBodyRow) body = { 0 };
  KsJsonWriter w;

  if (!ks_store_admin_get_body (req->store, body_id, &body, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, status, &w);
  ks_wire_write_body (&w, &body);
}

/* The settings in a request's body; name and slug only when identity is allowed
 * (a council's own administrators change its settings, not what it is called). */
static gboolean
read_settings (KsRequest      *req,
               JsonObject     *obj,
               gboolean        identity,
               KsBodySettings *s)
{
  int flag = -1;

  if ((identity &&
       (!ks_request_get_string (req, obj, "name", FALSE, KS_API_MAX_NAME_LENGTH, &s->name) ||
        !ks_request_get_string (req, obj, "slug", FALSE, 64, &s->slug))) ||
      !ks_request_get_string (req, obj, "email", FALSE, KS_API_MAX_EMAIL_LENGTH, &s->email) ||
      !ks_request_get_string (req, obj, "public_url", FALSE, MAX_URL_LENGTH, &s->public_url) ||
      !ks_api_admin_get_flag (req, obj, "require_2fa", &flag) ||
      !ks_request_get_int (req, obj, "password_min_length", FALSE, 0, G_MAXINT,
                           &s->password_min_length) ||
      !ks_request_get_int (req, obj, "duplicate_radius", FALSE, 0, G_MAXINT,
                           &s->duplicate_radius) ||
      !ks_request_get_int (req, obj, "retention_reporter_days", FALSE, 0, G_MAXINT,
                           &s->retention_reporter_days) ||
      !ks_request_get_int (req, obj, "retention_audit_days", FALSE, 0, G_MAXINT,
                           &s->retention_audit_days) ||
      !ks_request_get_int (req, obj, "retention_staff_days", FALSE, 0, G_MAXINT,
                           &s->retention_staff_days) ||
      !ks_request_get_int (req, obj, "max_photos", FALSE, 0, G_MAXINT, &s->max_photos))
    return FALSE;
  s->require_2fa = flag;
  return TRUE;
}

static gboolean
require_operator (KsRequest  *req,
                  const char *what)
{
  if (req->principal.is_superuser)
    return TRUE;
  ks_request_error (req, 403, "forbidden", "Only platform operators can %s.", what);
  return FALSE;
}

static void
handle_get_body (KsRequest *req)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  answer_body (req, 200, body_id);
}

static void
edit (KsRequest *req,
      gint64     body_id,
      gboolean   identity)
{
  g_autoptr(GError) error = NULL;
  KsBodySettings s = KS_BODY_SETTINGS_UNCHANGED;
  JsonObject *obj;

  if ((obj = ks_request_json_object (req)) == NULL || !read_settings (req, obj, identity, &s))
    return;
  if (!ks_council_edit (req->store, &req->principal, NULL, body_id, &s, &error))
    {
      const char *field = g_error_matches (error, KS_ERROR, KS_ERROR_INVALID)
                          ? ks_council_field_at_fault (&s) : NULL;

      if (field != NULL)
        ks_request_field_error (req, field, error->message);
      else
        ks_request_gerror (req, error);
      return;
    }
  answer_body (req, 200, body_id);
}

static void
handle_update_body (KsRequest *req)
{
  gint64 body_id = 0;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  edit (req, body_id, FALSE);
}

static void
handle_list_councils (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  KsJsonWriter w;

  if (!require_operator (req, "list the councils"))
    return;
  if (!ks_store_councils_list_bodies (req->store, &ids, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "councils");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(KsBodyRow) body = { 0 };

      if (!ks_store_admin_get_body (req->store, g_array_index (ids, gint64, i), &body, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      ks_wire_write_body (&w, &body);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

static void
handle_create_council (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsBodySettings s = KS_BODY_SETTINGS_UNCHANGED;
  g_autofree char *location = NULL;
  JsonObject *obj;
  gint64 id = 0;

  if (!require_operator (req, "create councils") ||
      (obj = ks_request_json_object (req)) == NULL || !read_settings (req, obj, TRUE, &s))
    return;
  if (!ks_council_create (req->store, &req->principal, NULL, &s, &id, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  answer_body (req, 201, id);
  location = g_strdup_printf ("/api/v1/councils/%" G_GINT64_FORMAT, id);
  ks_request_add_header (req, "Location", location);
}

static void
handle_edit_council (KsRequest *req)
{
  gint64 id = 0;

  if (!require_operator (req, "rename or edit councils") ||
      !ks_request_param_id (req, "id", &id))
    return;
  edit (req, id, TRUE);
}

typedef struct {
  KsJsonWriter *w;
  gboolean      area;
  gboolean      in_wards;
} BoundariesWriter;

static void
write_boundary (const KsBoundaryRow *row,
                gpointer             user_data)
{
  BoundariesWriter *b = user_data;
  KsJsonWriter *w = b->w;
  gboolean is_area = g_strcmp0 (row->kind, "area") == 0;

  if (is_area)
    ks_json_writer_key (w, "area");
  else if (!b->in_wards)
    {
      if (!b->area)
        ks_json_writer_member_null (w, "area");
      ks_json_writer_key (w, "wards");
      ks_json_writer_begin_array (w);
      b->in_wards = TRUE;
    }
  b->area |= is_area;
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "name", row->name);
  ks_json_writer_key (w, "bbox");
  ks_json_writer_begin_array (w);
  ks_json_writer_double (w, row->min_lon);
  ks_json_writer_double (w, row->min_lat);
  ks_json_writer_double (w, row->max_lon);
  ks_json_writer_double (w, row->max_lat);
  ks_json_writer_end_array (w);
  ks_json_writer_key (w, "geometry");
  ks_json_writer_raw (w, row->geometry);
  ks_json_writer_end_object (w);
}

static void
handle_boundaries (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  BoundariesWriter b = { 0 };
  gint64 body_id = 0, version = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      !ks_store_councils_boundaries_version (req->store, &version, &error))
    {
      if (error != NULL)
        ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  b.w = &w;
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "body_id", body_id);
  ks_json_writer_member_int (&w, "version", version);
  if (!ks_store_councils_boundaries_load (req->store, body_id, write_boundary, &b, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!b.in_wards)
    {
      if (!b.area)
        ks_json_writer_member_null (&w, "area");
      ks_json_writer_key (&w, "wards");
      ks_json_writer_begin_array (&w);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

void
ks_api_body_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/body", 0, KS_PERM_NONE, handle_get_body);
  ks_router_add (router, "PATCH", "/api/v1/body", 0, KS_PERM_MANAGE_STAFF, handle_update_body);
  ks_router_add (router, "GET", "/api/v1/councils", 0, KS_PERM_NONE, handle_list_councils);
  ks_router_add (router, "POST", "/api/v1/councils", 0, KS_PERM_NONE, handle_create_council);
  ks_router_add (router, "PATCH", "/api/v1/councils/{id}", 0, KS_PERM_NONE, handle_edit_council);
  ks_router_add (router, "GET", "/api/v1/boundaries", 0, KS_PERM_NONE, handle_boundaries);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-audit.c: reading the audit log, newest first, a page at a time. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"
#include "api/ks-wire-admin.h"

#include <string.h>

static void
handle_list_audit (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ks_audit_entry_free);
  KsAuditQuery q = { 0 };
  gboolean more = FALSE;
  const char *cursor = ks_request_query (req, "cursor");
  gint64 body_id = 0, limit = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, FALSE, &body_id) ||
      !ks_request_query_int (req, "limit", 1, KS_API_MAX_PAGE, KS_API_DEFAULT_PAGE, &limit) ||
      !ks_request_query_int (req, "user_id", 1, G_MAXINT64, 0, &q.user_id) ||
      !ks_request_query_int (req, "object_id", 1, G_MAXINT64, 0, &q.object_id))
    return;
  q.limit = limit;
  q.object_type = ks_request_query (req, "object_type");
  if (q.object_type != NULL && (strlen (q.object_type) > 50 || !ks_api_is_code (q.object_type)))
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “object_type” must be a type such as report, user or category.");
      return;
    }
  if (cursor != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (cursor, ".", 3);
      guint64 at = 0, id = 0;

      if (g_strv_length (parts) != 2 ||
          !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT64, &at, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXINT64, &id, NULL))
        {
          ks_request_error (req, 422, "invalid",
                            "The cursor is not valid. Start again from the first page.");
          return;
        }
      q.cursor_at = (gint64) at;
      q.cursor_id = (gint64) id;
    }
  if (!ks_store_admin_list_audit (req->store, body_id, &q, entries, &more, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_wire_write_audit_page (&w, entries, more);
}

void
ks_api_audit_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/audit", 0, KS_PERM_MANAGE_STAFF, handle_list_audit);
}

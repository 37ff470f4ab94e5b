/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-abuse.c: the council's abuse list (councils/ks-abuse-list.h), managed
 * by its administrators (manage staff; platform operators add ?body_id=):
 *
 *   GET    /api/v1/abuse-list        the entries, newest first
 *   POST   /api/v1/abuse-list        {"kind": "email"|"phone"|"domain", "value", "reason"}
 *   DELETE /api/v1/abuse-list/{id}
 *
 * Adding and removing are audited (abuse_list_add, abuse_list_remove) with the
 * value's SHA-256 for an address or a phone number. */
#define G_LOG_DOMAIN "ks-api-abuse"

#include "api/ks-api.h"
#include "api/ks-api-util.h"
#include "councils/ks-abuse-list.h"

#define MAX_VALUE_LENGTH  254
#define MAX_REASON_LENGTH 500

static void
write_entry (KsJsonWriter *w, const KsAbuseEntry *e)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", e->id);
  ks_json_writer_member_string (w, "kind", e->kind);
  ks_json_writer_member_string (w, "value", e->value);
  ks_json_writer_member_string (w, "reason", e->reason);
  ks_json_writer_member_timestamp (w, "created", e->created);
  ks_json_writer_member_string (w, "created_by", e->created_by);
  ks_json_writer_end_object (w);
}

static void
handle_list (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = NULL;
  KsJsonWriter w;
  gint64 body_id = 0;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  if (!ks_store_abuse_list (req->store, body_id, &entries, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "entries");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < entries->len; i++)
    write_entry (&w, &g_array_index (entries, KsAbuseEntry, i));
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

static void
handle_add (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *details = NULL;
  g_autoptr(GArray) entries = NULL;
  const char *kind = NULL, *given = NULL, *reason = NULL;
  JsonObject *obj;
  KsJsonWriter w;
  gint64 body_id = 0, id = 0;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "kind", TRUE, 16, &kind) ||
      !ks_request_get_string (req, obj, "value", TRUE, MAX_VALUE_LENGTH, &given) ||
      !ks_request_get_string (req, obj, "reason", FALSE, MAX_REASON_LENGTH, &reason))
    return;
  if ((value = ks_abuse_normalise (kind, given, &error)) == NULL ||
      !ks_store_abuse_add (req->store, body_id, kind, value, reason, req->principal.user_id, &id,
                           &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (id == 0)
    {
      ks_request_error (req, 409, "conflict", "The abuse list has “%s” already.", value);
      return;
    }
  {
    KsAbuseEntry e = { .id = id, .kind = (char *) kind, .value = value,
                       .reason = (char *) reason };

    details = ks_abuse_audit_details (&e, NULL);
  }
  if (!ks_request_audit (req, body_id, "abuse_list_add", "abuse_list", id, details))
    return;
  if (!ks_store_abuse_list (req->store, body_id, &entries, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    if (g_array_index (entries, KsAbuseEntry, i).id == id)
      {
        ks_request_begin_json (req, 201, &w);
        write_entry (&w, &g_array_index (entries, KsAbuseEntry, i));
        return;
      }
}

static void
handle_remove (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsAbuseEntry) removed = { 0 };
  g_autofree char *details = NULL;
  gboolean found = FALSE;
  gint64 body_id = 0, id;

  if (!ks_api_request_body (req, TRUE, &body_id) || !ks_request_param_id (req, "id", &id))
    return;
  if (!ks_store_abuse_remove (req->store, body_id, id, &removed, &found, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!found)
    {
      ks_request_error (req, 404, "not_found", "The abuse list has no entry %" G_GINT64_FORMAT ".",
                        id);
      return;
    }
  details = ks_abuse_audit_details (&removed, NULL);
  if (!ks_request_audit (req, body_id, "abuse_list_remove", "abuse_list", id, details))
    return;
  ks_request_no_content (req);
}

void
ks_api_abuse_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/abuse-list", 0, KS_PERM_MANAGE_STAFF, handle_list);
  ks_router_add (router, "POST", "/api/v1/abuse-list", 0, KS_PERM_MANAGE_STAFF, handle_add);
  ks_router_add (router, "DELETE", "/api/v1/abuse-list/{id}", 0, KS_PERM_MANAGE_STAFF,
                 handle_remove);
}

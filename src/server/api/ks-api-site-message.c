/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-site-message.c: the council's site message, a banner every member of
 * its staff sees in the app (out-of-hours notices and the like):
 *
 *   GET    /api/v1/site-message   any staff: {"site_message": {"text", "until"} or null}
 *   PUT    /api/v1/site-message   administrators: {"text", "until" (optional)}
 *   DELETE /api/v1/site-message   administrators
 *
 * /api/v1/me gives it too (body.site_message). A message whose end has passed is
 * no longer given. Setting and removing it are audited. */
#define G_LOG_DOMAIN "ks-api-site-message"

#include "api/ks-api.h"
#include "api/ks-api-util.h"
#include "api/ks-wire-account.h"
#include "ks-time.h"

#define MAX_MESSAGE_LENGTH 500

static void
answer (KsRequest *req, gint64 body_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 until = 0;
  KsJsonWriter w;

  if (!ks_store_councils_get_site_message (req->store, body_id, ks_time_now (), &text, &until,
                                           &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "site_message");
  ks_wire_write_site_message (&w, text, until);
  ks_json_writer_end_object (&w);
}

static void
handle_get (KsRequest *req)
{
  gint64 body_id = 0;

  if (ks_api_request_body (req, TRUE, &body_id))
    answer (req, body_id);
}

static void
handle_put (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *text = NULL;
  const char *given = NULL, *until_text = NULL;
  JsonObject *obj;
  KsJsonWriter w;
  gint64 body_id = 0, until = 0;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "text", TRUE, MAX_MESSAGE_LENGTH, &given) ||
      !ks_request_get_string (req, obj, "until", FALSE, 40, &until_text))
    return;
  text = g_strstrip (g_strdup (given));
  if (*text == '\0')
    {
      ks_request_error (req, 422, "invalid",
                        "The message is empty. Write it, or remove the message instead.");
      return;
    }
  if (until_text != NULL &&
      (!ks_time_parse_iso (until_text, &until) || until <= ks_time_now ()))
    {
      ks_request_error (req, 422, "invalid",
                        "“until” must be a time to come, such as 2026-12-24T08:00:00Z.");
      return;
    }
  if (!ks_store_councils_set_site_message (req->store, body_id, text, until, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "text", text);
  ks_json_writer_member_timestamp (&w, "until", until);
  ks_json_writer_end_object (&w);
  if (!ks_request_audit (req, body_id, "set_site_message", "body", body_id, details->str))
    return;
  answer (req, body_id);
}

static void
handle_delete (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 body_id = 0;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  if (!ks_store_councils_set_site_message (req->store, body_id, NULL, 0, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_request_audit (req, body_id, "remove_site_message", "body", body_id, NULL))
    return;
  ks_request_no_content (req);
}

void
ks_api_site_message_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/site-message", 0, KS_PERM_NONE, handle_get);
  ks_router_add (router, "PUT", "/api/v1/site-message", 0, KS_PERM_MANAGE_STAFF, handle_put);
  ks_router_add (router, "DELETE", "/api/v1/site-message", 0, KS_PERM_MANAGE_STAFF,
                 handle_delete);
}

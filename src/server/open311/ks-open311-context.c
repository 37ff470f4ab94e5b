/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-context.c: an Open311 request as its handlers see it: its format,
 * its form fields, its council (jurisdiction_id) and its client's API key; and
 * the audit entry of a client's write. */
#define G_LOG_DOMAIN "ks-open311-context"

#include "open311/ks-open311-private.h"
#include "ks-time.h"
#include "http/ks-form.h"
#include "auth/ks-token.h"

void
ks_open311_ctx_clear (KsOpen311Ctx *c)
{
  g_clear_pointer (&c->form, ks_form_free);
  ks_open311_body_clear (&c->body);
  ks_api_key_clear (&c->key);
  g_clear_pointer (&c->owned, g_ptr_array_unref);
  if (c->scratch)
    g_string_free (c->scratch, TRUE);
  c->scratch = NULL;
}

/* A field of the request: the form body first (POST), then the query string. */
const char *
ks_open311_field (KsOpen311Ctx *c,
                  const char   *name)
{
  const char *v = c->form ? ks_form_get (c->form, name) : NULL;

  if (v != NULL && *v != '\0')
    return v;
  return ks_request_query (c->req, name);
}

/* Reads the format, the form body of a POST and the jurisdiction. */
gboolean
ks_open311_ctx_begin (KsOpen311Ctx *c,
                      KsRequest    *req,
                      gboolean      post)
{
  g_autoptr(GError) error = NULL;
  const char *jurisdiction;
  gboolean found = FALSE;

  c->req = req;
  c->json = ks_open311_path_wants_json (req->path);

  if (post)
    {
      const char *type = req->content_type;
      const char *data = NULL;
      gsize len = 0;

      if (type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") != 0)
        {
          ks_open311_error (c, 400, "Send the fields as application/x-www-form-urlencoded, "
                            "not %s.", type);
          return FALSE;
        }
      if (req->body != NULL)
        data = g_bytes_get_data (req->body, &len);
      c->form = ks_form_parse (data, len, MAX_FORM_FIELDS, &error);
      if (c->form == NULL)
        {
          ks_open311_error (c, 400, "%s", error->message);
          return FALSE;
        }
    }

  jurisdiction = ks_open311_field (c, "jurisdiction_id");
  if (!ks_store_open311_find_body (req->store, jurisdiction, &found, &c->body, &error))
    {
      ks_open311_gerror (c, error);
      return FALSE;
    }
  if (!found)
    {
      if (jurisdiction != NULL)
        ks_open311_error (c, 404, "There is no jurisdiction “%s” here. Leave jurisdiction_id out, "
                          "or use the one discovery gives.", jurisdiction);
      else
        ks_open311_error (c, 404, "This server has no council set up yet. Try again once it has one.");
      return FALSE;
    }
  return TRUE;
}

/* Checks api_key: 403 when missing, unknown, revoked or another council's. */
gboolean
ks_open311_ctx_require_key (KsOpen311Ctx *c,
                            gboolean      touch)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *key = ks_open311_field (c, "api_key");
  gboolean found = FALSE;

  if (key == NULL)
    {
      ks_open311_error (c, 403, "This needs an API key: send it as api_key. "
                        "Ask the council for a key if you do not have one.");
      return FALSE;
    }
  hash = ks_token_hash (key);
  if (!ks_store_open311_find_api_key (c->req->store, hash, touch, &found, &c->key, &error))
    {
      ks_open311_gerror (c, error);
      return FALSE;
    }
  if (!found)
    {
      ks_open311_error (c, 403, "This API key is not valid or has been revoked. "
                        "Ask the council for a new key.");
      return FALSE;
    }
  if (c->key.body_id != c->body.id)
    {
      ks_open311_error (c, 403, "This API key belongs to another jurisdiction (“%s”). "
                        "Send that jurisdiction_id, or use a key of this council.", c->key.body_slug);
      return FALSE;
    }
  return TRUE;
}

gboolean
ks_open311_note_client (KsOpen311Ctx *c,
                        gint64        report_id,
                        GError      **error)
{
  KsNewNotice n = { report_id, KS_NOTICE_CONFIRMATION, ks_time_now (), ks_time_now (), 0, 0 };

  if (!ks_store_notices_set_client (c->req->store, report_id, c->key.id, error))
    return FALSE;
  return !c->key.notify_residents || ks_store_notices_queue (c->req->store, &n, NULL, error);
}

/* Writes the audit entry of a client's write (no staff member: the key is named). */
gboolean
ks_open311_audit_client (KsOpen311Ctx *c,
                         const char   *action,
                         gint64        report_id,
                         const char   *extra_key,
                         const char   *extra_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, details);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "api_key_id", c->key.id);
  ks_json_writer_member_string (&w, "api_key", c->key.name);
  ks_json_writer_member_string (&w, "address", c->req->principal.address);
  if (extra_key != NULL)
    ks_json_writer_member_string (&w, extra_key, extra_value);
  ks_json_writer_end_object (&w);
  if (!ks_store_audit (c->req->store, NULL, c->body.id, action, "report", report_id,
                       details->str, &error))
    {
      ks_open311_gerror (c, error);
      return FALSE;
    }
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-updates.c: Open311 service request updates (servicerequestupdates):
 * the public list, and a client's update of a request's status. */
#define G_LOG_DOMAIN "ks-open311-updates"

#include "open311/ks-open311-private.h"
#include "open311/ks-open311-status.h"
#include "ks-time.h"

#include <string.h>

/* ---------------------------------------------------------------------------
 * GET servicerequestupdates
 * ------------------------------------------------------------------------- */

/* Bytes of answer written before they are sent on as one chunk. */
#define UPDATES_CHUNK (64 * 1024)

typedef struct {
  KsOpen311Ctx          *c;
  KsXmlWriter   x;
  KsJsonWriter  w;
} UpdatesOut;

static gboolean
write_update (const KsOpen311Update *u,
              gpointer               data)
{
  UpdatesOut *o = data;
  char id[24], rid[24];
  const char *status = ks_open311_status_of_state (u->state);
  g_autofree char *media_url = ks_open311_public_media_url (o->c, u->media_url);

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, u->id);
  g_snprintf (rid, sizeof rid, "%" G_GINT64_FORMAT, u->report_id);
  if (o->c->json)
    {
      KsJsonWriter *w = &o->w;

      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "update_id", id);
      ks_json_writer_member_string (w, "service_request_id", rid);
      ks_json_writer_member_string (w, "status", status);
      ks_json_writer_member_timestamp (w, "updated_datetime", u->created);
      ks_json_writer_member_string (w, "description", u->text ? u->text : "");
      ks_json_writer_member_string (w, "media_url", media_url);
      ks_json_writer_member_string (w, "external_status_code", u->external_status_code);
      ks_json_writer_end_object (w);
    }
  else
    {
      KsXmlWriter *x = &o->x;

      ks_xml_writer_begin (x, "request_update");
      ks_xml_writer_element (x, "update_id", id);
      ks_xml_writer_element (x, "service_request_id", rid);
      ks_xml_writer_element (x, "status", status);
      ks_xml_writer_element_timestamp (x, "updated_datetime", u->created);
      ks_xml_writer_element (x, "description", u->text);
      ks_xml_writer_element (x, "media_url", media_url);
      ks_xml_writer_element (x, "external_status_code", u->external_status_code);
      ks_xml_writer_end (x);
    }
  /* A busy window streams out in chunks rather than being held whole; stop when
   * the client has gone. */
  if (o->c->req->response->len >= UPDATES_CHUNK)
    return ks_request_flush (o->c->req);
  return TRUE;
}

static void
handle_updates_get (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  UpdatesOut o = { .c = &c };
  gint64 start, end;

  if (!ks_open311_ctx_begin (&c, req, FALSE) || !ks_open311_ctx_require_key (&c, TRUE))
    return;
  if (!ks_open311_date_param (&c, "start_date", &start) || !ks_open311_date_param (&c, "end_date", &end))
    return;
  if (start == 0 && end == 0)
    end = ks_time_now ();
  if (end == 0)
    end = MAX (start, ks_time_now ());
  if (start == 0)
    start = end - UPDATES_DEFAULT_SECONDS;
  if (start > end)
    {
      ks_open311_error (&c, 400, "start_date is after end_date: swap them or widen the window.");
      return;
    }

  ks_open311_begin_answer (&c, 200, &o.x, &o.w);
  if (c.json)
    ks_json_writer_begin_array (&o.w);
  else
    ks_xml_writer_begin (&o.x, "service_request_updates");
  /* Every update of the window: clients such as FixMyStreet never page, so a cut
   * answer would lose the rest for good. */
  if (!ks_store_open311_foreach_update (req->store, c.body.id, start, end, 0,
                                        write_update, &o, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (c.json)
    ks_json_writer_end_array (&o.w);
  else
    ks_xml_writer_end (&o.x);
}

/* ---------------------------------------------------------------------------
 * POST servicerequestupdates
 * ------------------------------------------------------------------------- */

/* The answer: the update's id, and a sentence when the update was not applied
 * as sent (notice NULL: none). */
static void
answer_update_id (KsOpen311Ctx *c,
                  gint64        update_id,
                  const char   *notice)
{
  char id[24];
  KsXmlWriter x;
  KsJsonWriter w;

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, update_id);
  ks_open311_begin_answer (c, 200, &x, &w);
  if (c->json)
    {
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "update_id", id);
      if (notice != NULL)
        ks_json_writer_member_string (&w, "service_notice", notice);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
    }
  else
    {
      ks_xml_writer_begin (&x, "service_request_updates");
      ks_xml_writer_begin (&x, "request_update");
      ks_xml_writer_element (&x, "update_id", id);
      if (notice != NULL)
        ks_xml_writer_element (&x, "service_notice", notice);
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
    }
}

static void
handle_updates_post (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(KsOpen311ReportInfo) report = { 0 };
  g_autofree char *name = NULL;
  const char *rid_text, *client_id, *status, *description;
  g_autoptr(GPtrArray) media_urls = NULL;
  const char *first, *last, *email, *new_state = NULL, *notice = NULL;
  KsOpen311NewUpdate u = { 0 };
  gboolean found = FALSE;
  gint64 rid, existing = 0, created = 0, update_id = 0, now = ks_time_now ();

  if (!ks_open311_ctx_begin (&c, req, TRUE) || !ks_open311_ctx_require_key (&c, TRUE))
    return;

  rid_text = ks_open311_field (&c, "service_request_id");
  if (rid_text == NULL)
    {
      ks_open311_error (&c, 400, "service_request_id is required: send the id of the request to update.");
      return;
    }
  if (!ks_open311_parse_id (rid_text, &rid))
    {
      ks_open311_error (&c, 404, "There is no public service request “%s”.", rid_text);
      return;
    }
  if (!ks_store_open311_get_report_info (req->store, rid, &found, &report, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (!found || report.body_id != c.body.id || !report.is_public)
    {
      ks_open311_error (&c, 404, "There is no public service request %" G_GINT64_FORMAT ".", rid);
      return;
    }

  if (!ks_open311_text_field (&c, "update_id", MAX_CLIENT_ID, &client_id))
    return;
  if (client_id == NULL)
    {
      ks_open311_error (&c, 400, "update_id is required: send your own id for this update, so that "
                        "it is applied only once.");
      return;
    }
  if (!ks_store_open311_find_client_update (req->store, rid, client_id, &existing, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (existing != 0)
    {
      /* Already applied: the same answer, nothing changes. */
      answer_update_id (&c, existing, NULL);
      return;
    }

  if (!ks_open311_text_field (&c, "description", MAX_DESCRIPTION, &description) ||
      !ks_open311_text_field (&c, "first_name", MAX_NAME, &first) ||
      !ks_open311_text_field (&c, "last_name", MAX_NAME, &last) ||
      !ks_open311_email_field (&c, "email", &email) ||
      !ks_open311_url_list (&c, "media_url", &media_urls) ||
      !ks_open311_date_param (&c, "updated_datetime", &created))
    return;

  status = ks_open311_field (&c, "status");
  if (status != NULL && !ks_open311_state_for_status (status, report.state, &new_state))
    {
      ks_open311_error (&c, 400, "status “%s” is not known: use open, closed, fixed, in_progress, "
                        "action_scheduled, investigating, duplicate, not_councils_responsibility, "
                        "no_further_action, internal_referral, cancelled or reopen.", status);
      return;
    }
  if (description == NULL && status == NULL)
    {
      ks_open311_error (&c, 400, "description is required: send the text of the update.");
      return;
    }
  /* The client's time, within the report's life. */
  if (created == 0 || created > now)
    created = now;
  if (created < report.created)
    created = report.created;
  /* An update written before the report's latest state change (FixMyStreet sends
   * its comment's own time) does not undo that change: its text is kept, the
   * state stays. */
  if (new_state != NULL && created < report.state_changed)
    {
      new_state = NULL;
      notice = "The status was not applied: the report's state changed after this update "
               "was written. The update's text is recorded.";
    }
  name = ks_open311_person_name (first, last);

  u.report_id = rid;
  u.new_state = new_state;
  u.text = description;
  u.media_url = media_urls->len > 0 ? g_ptr_array_index (media_urls, 0) : NULL;
  u.media_urls = (const char * const *) media_urls->pdata;
  u.n_media_urls = media_urls->len;
  u.external_id = client_id;
  u.author_name = name;
  u.author_email = email;
  u.created = created;
  if (!ks_store_open311_add_update (req->store, &u, &update_id, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (!ks_open311_audit_client (&c, new_state ? "open311_update_state" : "open311_update", rid,
                     "update_id", client_id))
    return;
  answer_update_id (&c, update_id, notice);
}

void
ks_open311_updates_register (KsRouter *router)
{
  const KsRouteFlags pub = KS_ROUTE_PUBLIC | KS_ROUTE_RAW;

  ks_router_add (router, "GET", "/open311/v2/servicerequestupdates.xml", pub, KS_PERM_NONE,
                 handle_updates_get);
  ks_router_add (router, "POST", "/open311/v2/servicerequestupdates.xml", pub, KS_PERM_NONE,
                 handle_updates_post);
  ks_router_add (router, "GET", "/open311/v2/servicerequestupdates.json", pub, KS_PERM_NONE,
                 handle_updates_get);
  ks_router_add (router, "POST", "/open311/v2/servicerequestupdates.json", pub, KS_PERM_NONE,
                 handle_updates_post);
}

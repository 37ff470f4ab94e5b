/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-report-create.c: POST /api/v1/reports: staff create a report for a
 * resident (on the telephone or at the desk), with its answers to the category's
 * questions and optional photos. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "councils/ks-abuse-list.h"
#include "api/ks-api-actions-private.h"
#include "councils/ks-boundaries.h"
#include "ks-geo.h"
#include "mail/ks-mailer.h"

#include <math.h>
#include <string.h>

static void
handle_create (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *council = NULL;
  g_autofree char *email_lower = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  JsonObject *obj, *reporter = NULL;
  JsonNode *node;
  KsNewReport nr = { 0 };
  KsNewUpdate created = { 0 };
  KsReportCore report = { 0 };
  KsJsonWriter dw;
  gint64 category_id = 0, body_id = 0, report_id = 0, default_priority = 0;
  gboolean as_council = FALSE, show_name = FALSE, found = FALSE, active = FALSE;
  const char *title = NULL, *detail = NULL, *address = NULL;
  const char *name = NULL, *email = NULL, *phone = NULL;
  double lat = NAN, lon = NAN;
  g_autofree char *location = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ward = NULL;
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func (g_free);

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_int (req, obj, "category_id", TRUE, 1, G_MAXINT64, &category_id) ||
      !ks_request_get_string (req, obj, "title", TRUE, MAX_TITLE_LENGTH, &title) ||
      !ks_request_get_string (req, obj, "detail", TRUE, MAX_DETAIL_LENGTH, &detail) ||
      !ks_request_get_double (req, obj, "lat", TRUE, &lat) ||
      !ks_request_get_double (req, obj, "lon", TRUE, &lon) ||
      !ks_request_get_string (req, obj, "address", FALSE, MAX_ADDRESS_LENGTH, &address) ||
      !ks_request_get_bool (req, obj, "as_council", FALSE, &as_council) ||
      !ks_action_read_photos (req, obj, &photos))
    return;

  if (!ks_action_check_one_line (req, "title", title) || !ks_action_check_one_line (req, "address", address))
    return;
  if (!ks_geo_valid_lat_lon (lat, lon))
    {
      ks_request_error (req, 422, "invalid",
                        "The fields “lat” and “lon” must be a latitude (-90 to 90) and a "
                        "longitude (-180 to 180) in degrees.");
      return;
    }

  node = ks_request_member (req, obj, "reporter");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ks_request_error (req, 422, "invalid",
                            "The field “reporter” must be an object: {\"name\", \"email\", "
                            "\"phone\", \"show_name\"}.");
          return;
        }
      reporter = json_node_get_object (node);
    }
  if (as_council && reporter != NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "Give either “reporter” or “as_council”, not both.");
      return;
    }
  if (!as_council && reporter == NULL)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “reporter” is required (the resident's name and contact "
                        "details), unless “as_council” is true.");
      return;
    }
  if (reporter != NULL)
    {
      if (!ks_request_get_string (req, reporter, "name", TRUE, MAX_NAME_LENGTH, &name) ||
          !ks_request_get_string (req, reporter, "email", FALSE, MAX_EMAIL_LENGTH, &email) ||
          !ks_request_get_string (req, reporter, "phone", FALSE, MAX_PHONE_LENGTH, &phone) ||
          !ks_request_get_bool (req, reporter, "show_name", FALSE, &show_name))
        return;
      if (!ks_action_check_one_line (req, "name", name) || !ks_action_check_one_line (req, "phone", phone))
        return;
      if (ks_api_is_blank (email))
        email = NULL;
      if (ks_api_is_blank (phone))
        phone = NULL;
      if (email != NULL)
        {
          email_lower = g_utf8_strdown (email, -1);
          g_strstrip (email_lower);
          if (!ks_mailer_address_is_valid (email_lower))
            {
              ks_request_error (req, 422, "invalid",
                                "The reporter's email address “%s” is not valid. Check it, or "
                                "leave it out.", email);
              return;
            }
        }
    }

  if (!ks_store_actions_get_category (req->store, category_id, &found, &body_id, &active, &extra,
                                      &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!found || !ks_principal_in_body (&req->principal, body_id))
    {
      ks_request_error (req, 422, "invalid",
                        "There is no category %" G_GINT64_FORMAT " in your council. Choose one "
                        "from the list of categories.", category_id);
      return;
    }
  if (!active)
    {
      ks_request_error (req, 422, "invalid",
                        "That category is not in use any more. Choose another category.");
      return;
    }
  if (!as_council)
    {
      g_autofree char *refusal = NULL;

      if (!ks_abuse_check (req->store, body_id, email_lower, phone, &refusal, &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      if (refusal != NULL)
        {
          ks_request_error (req, 403, "reporter_banned", "%s", refusal);
          return;
        }
    }
  if (!ks_action_read_answers (req, obj, extra, NULL, answers, NULL) ||
      !ks_action_check_photo_limit (req, body_id, 0, photos->len))
    return;
  if (!ks_store_actions_get_council_name (req->store, body_id, &council, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  if (!ks_action_ward_at (req, body_id, lat, lon, 0, &ward))
    return;

  nr.body_id = body_id;
  nr.category_id = category_id;
  nr.title = title;
  nr.detail = detail;
  nr.lat = lat;
  nr.lon = lon;
  nr.address = ks_api_is_blank (address) ? NULL : address;
  nr.ward = ward;
  nr.created_by = req->principal.user_id;
  nr.attributes = (const char * const *) answers->pdata;
  nr.n_attributes = answers->len / 2;
  if (as_council)
    {
      nr.reporter_name = council;
      nr.show_name = TRUE;
    }
  else
    {
      nr.reporter_name = name;
      nr.reporter_email = email_lower;
      nr.reporter_phone = phone;
      nr.show_name = show_name;
    }

  if (!ks_action_save_photos (req, photos, refs))
    return;
  nr.photo = refs->len > 0 ? g_ptr_array_index (refs, 0) : NULL;
  if (!ks_store_actions_create_report (req->store, &nr, &report_id, &error) ||
      !ks_store_photos_add (req->store, report_id, 0, (const char * const *) refs->pdata,
                            refs->len, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  created.report_id = report_id;
  created.user_id = req->principal.user_id;
  created.author_name = req->principal.name;
  created.kind = "created";
  created.state = "confirmed";
  created.public = FALSE;
  if (!ks_store_actions_add_update (req->store, &created, NULL, &error) ||
      !ks_store_actions_apply_default_priority (req->store, report_id, &default_priority,
                                                &error))
    {
      ks_request_gerror (req, error);
      return;
    }

  report.id = report_id;
  report.body_id = body_id;
  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_int (&dw, "category_id", category_id);
  ks_json_writer_member_bool (&dw, "as_council", as_council);
  if (default_priority != 0)
    ks_json_writer_member_int (&dw, "default_priority_id", default_priority);
  ks_action_member_photos (&dw, refs);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "create_report", details))
    return;

  ks_action_answer_report (req, 201, report_id);
  if (req->status == 201)
    {
      location = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
      ks_request_add_header (req, "Location", location);
    }
}

void
ks_api_report_create_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports", 0,
                 KS_PERM_CREATE_REPORT_ON_BEHALF, handle_create);
}

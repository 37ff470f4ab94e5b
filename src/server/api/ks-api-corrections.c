/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-corrections.c: correcting a report: its category (the new category's
 * questions and priorities applied again), its location (the ward follows the
 * point) and its answers to the category's questions. Allowed to holders of
 * update_status or of moderate_report (DESIGN.md: inspectors correct in the
 * field, customer services at triage).
 *
 * Each handler runs inside the request's write transaction, checks all of its
 * input before it writes, needs the version the change was based on (409 with the
 * report as it is now otherwise), changes nothing when the report already is as
 * asked, and writes one internal timeline entry saying what changed. Answers a
 * correction drops or replaces are kept with that entry (its
 * "previous_attributes"), never lost. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "api/ks-api-actions-private.h"
#include "ks-geo.h"

#include <math.h>
#include <string.h>

static gboolean
require_correct (KsRequest *req)
{
  if (ks_principal_can (&req->principal, KS_PERM_UPDATE_STATUS) ||
      ks_principal_can (&req->principal, KS_PERM_MODERATE_REPORT))
    return TRUE;
  ks_request_error (req, 403, "forbidden",
                    "Your account may not correct reports: that needs the permission "
                    "“%s” (%s) or “%s” (%s). Ask an administrator if you need it.",
                    ks_permission_id (KS_PERM_UPDATE_STATUS),
                    ks_permission_label (KS_PERM_UPDATE_STATUS),
                    ks_permission_id (KS_PERM_MODERATE_REPORT),
                    ks_permission_label (KS_PERM_MODERATE_REPORT));
  return FALSE;
}

/* "code “value”, code “value”" for the pairs. */
static void
append_answers (GString         *out,
                const GPtrArray *pairs)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    g_string_append_printf (out, "%s%s “%s”", i ? ", " : "",
                            (const char *) g_ptr_array_index (pairs, i),
                            (const char *) g_ptr_array_index (pairs, i + 1));
}

/* The values of code in pairs, joined (for comparing and telling). */
static char *
values_of (const GPtrArray *pairs,
           const char      *code)
{
  GString *out = NULL;

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (strcmp (g_ptr_array_index (pairs, i), code) == 0)
      {
        if (out == NULL)
          out = g_string_new (NULL);
        else
          g_string_append (out, ", ");
        g_string_append_printf (out, "“%s”", (const char *) g_ptr_array_index (pairs, i + 1));
      }
  return out ? g_string_free (out, FALSE) : NULL;
}

/* Writes the timeline entry and keeps previous (nullable, may be empty) with it. */
static gboolean
record_entry (KsRequest       *req,
              gint64           report_id,
              const char      *kind,
              const char      *text,
              const GPtrArray *previous)
{
  g_autoptr(GError) error = NULL;
  KsNewUpdate update = { 0 };
  gint64 update_id = 0;

  update.report_id = report_id;
  update.user_id = req->principal.user_id;
  update.author_name = req->principal.name;
  update.kind = kind;
  update.text = text;
  update.public = FALSE;
  if (!ks_store_actions_add_update (req->store, &update, &update_id, &error) ||
      (previous != NULL && previous->len > 0 &&
       !ks_store_actions_keep_attributes (req->store, update_id,
                                          (const char * const *) previous->pdata,
                                          previous->len / 2, &error)))
    return ks_action_fail (req, error);
  return TRUE;
}

static gboolean
write_answers (KsRequest       *req,
               gint64           report_id,
               const GPtrArray *pairs)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_actions_set_attributes (req->store, report_id,
                                        (const char * const *) pairs->pdata, pairs->len / 2,
                                        &error))
    return ks_action_fail (req, error);
  return TRUE;
}

static void
member_codes (KsJsonWriter    *w,
              const char      *key,
              const GPtrArray *pairs)
{
  ks_json_writer_key (w, key);
  ks_json_writer_begin_array (w);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    ks_json_writer_string (w, g_ptr_array_index (pairs, i));
  ks_json_writer_end_array (w);
}

/* ---- category ---- */

static void
handle_category (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsReportCore) after = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *extra = NULL;
  KsReportCorrection change = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  gint64 category_id = 0, body_id = 0, priority_body = 0, default_priority = 0;
  gboolean found = FALSE, active = FALSE, applies = TRUE, p_active = FALSE;

  if (!require_correct (req) ||
      !ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_int (req, obj, "category_id", TRUE, 1, G_MAXINT64, &category_id))
    return;
  if (!ks_store_actions_get_category (req->store, category_id, &found, &body_id, &active,
                                      &extra, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!found || body_id != report.body_id)
    {
      ks_request_error (req, 422, "invalid",
                        "There is no category %" G_GINT64_FORMAT " in this report's council. "
                        "Choose one from the list of categories.", category_id);
      return;
    }
  if (!active && category_id != report.category_id)
    {
      ks_request_error (req, 422, "invalid",
                        "That category is not in use any more. Choose another category.");
      return;
    }
  if (!ks_action_check_version (req, obj, TRUE, &report))
    return;
  if (category_id == report.category_id)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }

  /* The new category's questions: the answers that still fit stay, the others
   * are dropped from the report (and kept with the timeline entry). */
  if (!ks_store_actions_get_attributes (req->store, report.id, &current, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!ks_action_read_answers (req, obj, extra, current, pairs, dropped))
    return;

  /* Its priorities: one that is not for the new category goes. */
  if (report.priority_id != 0 &&
      !ks_store_actions_get_priority (req->store, report.priority_id, category_id, &found,
                                      &priority_body, &p_active, &applies, &error))
    {
      ks_action_fail (req, error);
      return;
    }

  change.set_category = TRUE;
  change.category_id = category_id;
  change.clear_priority = report.priority_id != 0 && !applies;
  if (!ks_store_actions_correct_report (req->store, report.id, &change, &error) ||
      !ks_store_actions_get_report (req->store, report.id, &found, &after, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!ks_action_same_answers (current, pairs) && !write_answers (req, report.id, pairs))
    return;

  g_string_append_printf (text, "From “%s” to “%s”.", report.category, after.category);
  if (change.clear_priority)
    g_string_append (text, " Its priority was cleared: it is not one of the new category's.");
  if (dropped->len > 0)
    {
      g_string_append (text, " Answers the new category does not ask for, kept here: ");
      append_answers (text, dropped);
      g_string_append (text, ".");
    }
  if (!record_entry (req, report.id, "category", text->str, dropped))
    return;
  /* A report left without a priority takes the new category's default. */
  if (!ks_store_actions_apply_default_priority (req->store, report.id, &default_priority,
                                                &error))
    {
      ks_action_fail (req, error);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_int (&dw, "from", report.category_id);
  ks_json_writer_member_int (&dw, "to", category_id);
  ks_json_writer_member_bool (&dw, "priority_cleared", change.clear_priority);
  if (default_priority != 0)
    ks_json_writer_member_int (&dw, "default_priority_id", default_priority);
  member_codes (&dw, "dropped", dropped);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "change_category", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- location ---- */

static void
handle_location (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *old_address = NULL;
  g_autofree char *ward = NULL;
  KsReportCorrection change = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  JsonNode *address_node;
  const char *address = NULL;
  double lat = NAN, lon = NAN, old_lat = 0, old_lon = 0, moved;

  if (!require_correct (req) ||
      !ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_double (req, obj, "lat", TRUE, &lat) ||
      !ks_request_get_double (req, obj, "lon", TRUE, &lon) ||
      !ks_request_get_string (req, obj, "address", FALSE, MAX_ADDRESS_LENGTH, &address) ||
      !ks_action_check_one_line (req, "address", address))
    return;
  if (!ks_geo_valid_lat_lon (lat, lon))
    {
      ks_request_error (req, 422, "invalid",
                        "The fields “lat” and “lon” must be a latitude (-90 to 90) and a "
                        "longitude (-180 to 180) in degrees.");
      return;
    }
  if (!ks_action_check_version (req, obj, TRUE, &report))
    return;
  if (!ks_store_actions_get_location (req->store, report.id, &old_lat, &old_lon, &old_address,
                                      &error))
    {
      ks_action_fail (req, error);
      return;
    }

  address_node = ks_request_member (req, obj, "address");
  change.set_address = address_node != NULL &&
                       g_strcmp0 (ks_api_is_blank (address) ? NULL : address, old_address) != 0;
  change.address = ks_api_is_blank (address) ? NULL : address;
  change.set_location = lat != old_lat || lon != old_lon;
  if (!change.set_location && !change.set_address)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }

  /* The ward follows the point, which must stay in the council's area. */
  if (change.set_location && !ks_action_ward_at (req, report.body_id, lat, lon, report.id, &ward))
    return;
  change.lat = change.set_location ? lat : old_lat;
  change.lon = change.set_location ? lon : old_lon;
  change.ward = change.set_location ? (ward ? ward : "") : report.ward;
  change.set_location = TRUE;
  if (!ks_store_actions_correct_report (req->store, report.id, &change, &error))
    {
      ks_action_fail (req, error);
      return;
    }

  moved = ks_geo_distance_m (old_lat, old_lon, change.lat, change.lon);
  if (moved >= 1.0)
    g_string_append_printf (text, "Moved %.0f m.", moved);
  else if (change.lat != old_lat || change.lon != old_lon)
    g_string_append (text, "Moved by less than a metre.");
  if (g_strcmp0 (change.ward, report.ward ? report.ward : "") != 0)
    g_string_append_printf (text, "%sWard: “%s” to “%s”.", text->len ? " " : "",
                            report.ward ? report.ward : "", change.ward);
  if (change.set_address && change.address != NULL)
    g_string_append_printf (text, "%sAddress: “%s”.", text->len ? " " : "", change.address);
  else if (change.set_address)
    g_string_append_printf (text, "%sAddress cleared.", text->len ? " " : "");
  if (!record_entry (req, report.id, "location", text->str, NULL))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_key (&dw, "from");
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_double (&dw, "lat", old_lat);
  ks_json_writer_member_double (&dw, "lon", old_lon);
  ks_json_writer_member_string (&dw, "ward", report.ward);
  ks_json_writer_end_object (&dw);
  ks_json_writer_key (&dw, "to");
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_double (&dw, "lat", change.lat);
  ks_json_writer_member_double (&dw, "lon", change.lon);
  ks_json_writer_member_string (&dw, "ward", change.ward);
  ks_json_writer_end_object (&dw);
  ks_json_writer_member_bool (&dw, "address_changed", change.set_address);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "change_location", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- answers ---- */

static void
handle_attributes (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autofree char *extra = NULL;
  KsReportCorrection change = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  JsonNode *node;
  gint64 body_id = 0;
  gboolean found = FALSE, active = FALSE;

  if (!require_correct (req) ||
      !ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL)
    return;
  node = ks_request_member (req, obj, "attributes");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “attributes” is required: an object of answers to the "
                        "category's questions, {\"CODE\": \"answer\"} (null leaves one "
                        "unanswered).");
      return;
    }
  if (!ks_store_actions_get_category (req->store, report.category_id, &found, &body_id,
                                      &active, &extra, &error) ||
      !ks_store_actions_get_attributes (req->store, report.id, &current, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!ks_action_read_answers (req, obj, extra, current, pairs, NULL) ||
      !ks_action_check_version (req, obj, TRUE, &report))
    return;
  if (ks_action_same_answers (current, pairs))
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }

  if (!ks_store_actions_correct_report (req->store, report.id, &change, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!write_answers (req, report.id, pairs))
    return;

  /* What changed, code by code, in the order the codes come. */
  for (guint round = 0; round < 2; round++)
    {
      const GPtrArray *list = round == 0 ? pairs : current;

      for (guint i = 0; i + 1 < list->len; i += 2)
        {
          const char *code = g_ptr_array_index (list, i);
          g_autofree char *before = NULL;
          g_autofree char *now = NULL;

          if (g_hash_table_contains (codes, code))
            continue;
          g_hash_table_add (codes, (gpointer) code);
          before = values_of (current, code);
          now = values_of (pairs, code);
          if (g_strcmp0 (before, now) == 0)
            continue;
          g_ptr_array_add (changed, (gpointer) code);
          g_string_append_printf (text, "%s%s: %s to %s", text->len ? "; " : "", code,
                                  before ? before : "no answer", now ? now : "no answer");
        }
    }
  g_string_append (text, ".");
  if (!record_entry (req, report.id, "attributes", text->str, current))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_key (&dw, "changed");
  ks_json_writer_begin_array (&dw);
  for (guint i = 0; i < changed->len; i++)
    ks_json_writer_string (&dw, g_ptr_array_index (changed, i));
  ks_json_writer_end_array (&dw);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "change_attributes", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

void
ks_api_corrections_register (KsRouter *router)
{
  /* update_status or moderate_report: checked by each handler. */
  ks_router_add (router, "POST", "/api/v1/reports/{id}/category", 0,
                 KS_PERM_NONE, handle_category);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/location", 0,
                 KS_PERM_NONE, handle_location);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/attributes", 0,
                 KS_PERM_NONE, handle_attributes);
}

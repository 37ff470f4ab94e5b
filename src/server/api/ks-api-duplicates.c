/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-duplicates.c: duplicates: marking a report as a duplicate of another
 * (and undoing it), and the open reports near a report or a point that may be the
 * same problem.
 *
 * The link is kept on the duplicate (its "duplicate_of", with the state it had
 * before); the original lists its duplicates in its detail. Marking closes the
 * duplicate with the state "duplicate" and gives both reports a timeline entry (a
 * public change of state on the duplicate, which Open311 clients see; a private
 * note on the original) and a new sync sequence number. A duplicate cannot be the original of another
 * duplicate, so there are no chains and no cycles.
 *
 * Nearby suggestions: the store gives the reports of the category in a box around
 * the point (from its spatial index); the distance, the radius (the category's
 * duplicate_radius), the open states and the order (nearest first) are worked out
 * here, once for both stores. */
#define G_LOG_DOMAIN "ks-api-duplicates"

#include "api/ks-api.h"
#include "api/ks-api-actions-private.h"
#include "api/ks-wire-report.h"
#include "ks-geo.h"
#include "ks-states.h"

#include <math.h>
#include <stdlib.h>

#define NEARBY_DEFAULT_LIMIT 10
#define NEARBY_MAX_LIMIT     50

/* ---- the link ---- */

/* Adds a timeline entry; answers the error and returns FALSE on failure. */
static gboolean
add_entry (KsRequest  *req,
           gint64      report_id,
           const char *kind,
           const char *text,
           const char *state,
           gboolean    public)
{
  g_autoptr(GError) error = NULL;
  KsNewUpdate update = { 0 };

  update.report_id = report_id;
  update.user_id = req->principal.user_id;
  update.author_name = req->principal.name;
  update.kind = kind;
  update.text = text;
  update.state = state;
  update.public = public;
  if (!ks_store_actions_add_update (req->store, &update, NULL, &error))
    return ks_action_fail (req, error);
  return TRUE;
}

/* The report's link and point; answers the error and returns FALSE on failure. */
static gboolean
load_link (KsRequest       *req,
           gint64           report_id,
           KsDuplicateLink *link)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!ks_store_duplicates_get_link (req->store, report_id, &found, link, &error))
    return ks_action_fail (req, error);
  return TRUE;
}

static gboolean
audit_link (KsRequest          *req,
            const KsReportCore *report,
            const char         *action,
            gint64              of,
            const char         *from,
            const char         *to)
{
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_int (&dw, "of", of);
  ks_json_writer_member_string (&dw, "from", from);
  ks_json_writer_member_string (&dw, "to", to);
  ks_json_writer_end_object (&dw);
  return ks_action_audit (req, report, action, details);
}

/* POST /api/v1/reports/{id}/duplicate {"of": ID, "version": N} */
static void
handle_mark (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsReportCore) original = { 0 };
  g_auto(KsDuplicateLink) link = { 0 };
  g_auto(KsDuplicateLink) original_link = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *original_text = NULL;
  KsReportChange change = { 0 };
  JsonObject *obj;
  gint64 of = 0;
  gboolean found = FALSE, changes_state;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_int (req, obj, "of", TRUE, 1, G_MAXINT64, &of) ||
      !ks_action_check_version (req, obj, TRUE, &report) ||
      !load_link (req, report.id, &link))
    return;

  if (of == report.id)
    {
      ks_request_error (req, 422, "invalid",
                        "A report cannot be a duplicate of itself. Give the number of the "
                        "other report in “of”.");
      return;
    }
  if (link.of == of)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }
  if (link.of != 0)
    {
      ks_request_error (req, 422, "invalid",
                        "This report is already marked as a duplicate of report %" G_GINT64_FORMAT
                        ". Undo that first, then mark it again.", link.of);
      return;
    }
  if (!ks_action_check_not_hidden (req, &report))
    return;

  if (!ks_store_actions_get_report (req->store, of, &found, &original, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!found || original.body_id != report.body_id ||
      !ks_principal_sees_category (&req->principal, original.category_id))
    {
      ks_request_error (req, 422, "invalid",
                        "There is no report %" G_GINT64_FORMAT " in this report's council. "
                        "Check the number of the report it duplicates.", of);
      return;
    }
  if (g_strcmp0 (original.state, "hidden") == 0)
    {
      ks_request_error (req, 422, "invalid",
                        "Report %" G_GINT64_FORMAT " is hidden. Choose a report that is not "
                        "hidden as the original.", of);
      return;
    }
  if (!load_link (req, of, &original_link))
    return;
  if (original_link.of == report.id)
    {
      ks_request_error (req, 422, "invalid",
                        "Report %" G_GINT64_FORMAT " is marked as a duplicate of this report, "
                        "so this report cannot be its duplicate. Undo the mark on report %"
                        G_GINT64_FORMAT " first if this one is the duplicate.", of, of);
      return;
    }
  if (original_link.of != 0)
    {
      ks_request_error (req, 422, "invalid",
                        "Report %" G_GINT64_FORMAT " is itself a duplicate of report %"
                        G_GINT64_FORMAT ". Mark this report as a duplicate of report %"
                        G_GINT64_FORMAT " instead.", of, original_link.of, original_link.of);
      return;
    }

  changes_state = g_strcmp0 (report.state, "duplicate") != 0;
  change.set_state = changes_state;
  change.state = "duplicate";
  text = g_strdup_printf ("This report is a duplicate of report %" G_GINT64_FORMAT ", “%s”.",
                          original.id, original.title);
  original_text = g_strdup_printf ("Report %" G_GINT64_FORMAT ", “%s”, was marked as a "
                                   "duplicate of this report.", report.id, report.title);
  if (!ks_store_actions_change_report (req->store, report.id, &change, &error) ||
      !ks_store_duplicates_set_link (req->store, report.id, original.id, report.state, &error) ||
      !ks_store_duplicates_touch (req->store, original.id, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!add_entry (req, report.id, changes_state ? "state" : "update", text,
                  changes_state ? "duplicate" : NULL, TRUE) ||
      !add_entry (req, original.id, "update", original_text, NULL, FALSE) ||
      !audit_link (req, &report, "mark_duplicate", original.id, report.state, "duplicate"))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* DELETE /api/v1/reports/{id}/duplicate {"version": N} */
static void
handle_unmark (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsReportCore) original = { 0 };
  g_auto(KsDuplicateLink) link = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *original_text = NULL;
  KsReportChange change = { 0 };
  JsonObject *obj;
  const char *new_state;
  gboolean found = FALSE;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_action_check_version (req, obj, TRUE, &report) ||
      !load_link (req, report.id, &link))
    return;
  if (link.of == 0)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }
  if (!ks_action_check_not_hidden (req, &report))
    return;

  /* Back to the state it had before, unless staff moved it on since. */
  new_state = report.state;
  if (g_strcmp0 (report.state, "duplicate") == 0)
    new_state = ks_state_is_public (link.state_before) &&
                g_strcmp0 (link.state_before, "duplicate") != 0
                ? link.state_before : "confirmed";
  change.set_state = g_strcmp0 (new_state, report.state) != 0;
  change.state = new_state;

  if (!ks_store_actions_get_report (req->store, link.of, &found, &original, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  text = g_strdup_printf ("This report is no longer marked as a duplicate of report %"
                          G_GINT64_FORMAT ".", link.of);
  original_text = g_strdup_printf ("Report %" G_GINT64_FORMAT ", “%s”, is no longer marked "
                                   "as a duplicate of this report.", report.id, report.title);
  if (!ks_store_actions_change_report (req->store, report.id, &change, &error) ||
      !ks_store_duplicates_set_link (req->store, report.id, 0, NULL, &error) ||
      (found && !ks_store_duplicates_touch (req->store, original.id, &error)))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!add_entry (req, report.id, change.set_state ? "state" : "update", text,
                  change.set_state ? new_state : NULL, change.set_state) ||
      (found && !add_entry (req, original.id, "update", original_text, NULL, FALSE)) ||
      !audit_link (req, &report, "unmark_duplicate", link.of, report.state, new_state))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- nearby suggestions ---- */

typedef struct {
  double  distance;
  gint64  id;
  char   *json;
} Candidate;

typedef struct {
  double  lat;
  double  lon;
  double  radius;
  gint64  exclude_id;
  GArray *found;   /* Candidate */
  const KsPrincipal *who;
} Search;

static void
candidate_clear (gpointer data)
{
  g_free (((Candidate *) data)->json);
}

static void
search_row (const KsReportRow *row,
            guint              index,
            gpointer           user_data)
{
  Search *s = user_data;
  const KsState *state = ks_state_lookup (row->state);
  g_autoptr(GString) json = NULL;
  Candidate c;
  KsJsonWriter w;

  if (row->id == s->exclude_id || state == NULL || state->kind != KS_STATE_KIND_OPEN ||
      !ks_principal_sees_category (s->who, row->category_id))
    return;
  c.distance = ks_geo_distance_m (s->lat, s->lon, row->lat, row->lon);
  if (c.distance > s->radius)
    return;
  c.id = row->id;
  json = g_string_new (NULL);
  ks_json_writer_init (&w, json);
  ks_json_writer_begin_object (&w);
  ks_wire_report_list_members (&w, row);
  ks_json_writer_member_int (&w, "distance", (gint64) lround (c.distance));
  ks_json_writer_end_object (&w);
  c.json = g_string_free (g_steal_pointer (&json), FALSE);
  g_array_append_val (s->found, c);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Answers {"radius": metres, "reports": [list item + "distance" (metres)]}: the
 * open reports of the category within the category's radius of the point,
 * nearest first. */
static void
answer_nearby (KsRequest *req,
               gint64     body_id,
               gint64     category_id,
               gint64     radius,
               double     lat,
               double     lon,
               gint64     exclude_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Candidate));
  Search s = { lat, lon, (double) radius, exclude_id, found, &req->principal };
  gint64 limit;
  KsJsonWriter w;

  g_array_set_clear_func (found, candidate_clear);
  if (!ks_request_query_int (req, "limit", 1, NEARBY_MAX_LIMIT, NEARBY_DEFAULT_LIMIT, &limit))
    return;
  if (radius > 0)
    {
      /* A box a little larger than the circle; the distance decides. */
      double dlat = radius / 111000.0 * 1.01 + 1e-6;
      double dlon = dlat / MAX (cos (lat * G_PI / 180.0), 0.01);
      KsBBox box = { lon - dlon, lat - dlat, lon + dlon, lat + dlat };

      if (!ks_store_duplicates_in_box (req->store, body_id, category_id, &box, search_row, &s,
                                       &error))
        {
          ks_request_gerror (req, error);
          return;
        }
      g_array_sort (found, compare_candidates);
    }

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_int (&w, "radius", radius);
  ks_json_writer_key (&w, "reports");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < found->len && i < (guint) limit; i++)
    ks_json_writer_raw (&w, g_array_index (found, Candidate, i).json);
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

/* The category's council and radius; 422 when it is not a category of the
 * principal's council. */
static gboolean
load_radius (KsRequest *req,
             gint64     category_id,
             gint64    *out_body_id,
             gint64    *out_radius)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!ks_store_duplicates_category_radius (req->store, category_id, &found, out_body_id,
                                            out_radius, &error))
    return ks_action_fail (req, error);
  if (!found || !ks_principal_in_body (&req->principal, *out_body_id))
    {
      ks_request_error (req, 422, "invalid",
                        "There is no category %" G_GINT64_FORMAT " in your council. Choose one "
                        "from the list of categories.", category_id);
      return FALSE;
    }
  return TRUE;
}

/* GET /api/v1/reports/{id}/nearby */
static void
handle_report_nearby (KsRequest *req)
{
  g_auto(KsReportCore) report = { 0 };
  g_auto(KsDuplicateLink) link = { 0 };
  gint64 body_id = 0, radius = 0;

  if (!ks_action_load_report (req, "id", &report) ||
      !load_link (req, report.id, &link) ||
      !load_radius (req, report.category_id, &body_id, &radius))
    return;
  answer_nearby (req, report.body_id, report.category_id, radius, link.lat, link.lon,
                 report.id);
}

/* A query parameter that must be a number in [min, max]. */
static gboolean
query_coordinate (KsRequest  *req,
                  const char *name,
                  double      min,
                  double      max,
                  double     *out)
{
  const char *text = ks_request_query (req, name);
  char *end = NULL;

  if (text == NULL || *text == '\0')
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “%s” is required: the point to look around (lat, lon) "
                        "and the category (category_id).", name);
      return FALSE;
    }
  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*out) || *out < min || *out > max)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “%s” must be a number from %g to %g (decimal degrees).",
                        name, min, max);
      return FALSE;
    }
  return TRUE;
}

/* GET /api/v1/nearby?lat=&lon=&category_id= */
static void
handle_point_nearby (KsRequest *req)
{
  gint64 category_id = 0, body_id = 0, radius = 0;
  double lat = 0, lon = 0;

  if (!query_coordinate (req, "lat", -90, 90, &lat) ||
      !query_coordinate (req, "lon", -180, 180, &lon) ||
      !ks_request_query_int (req, "category_id", 1, G_MAXINT64, 0, &category_id))
    return;
  if (category_id == 0)
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “category_id” is required: nearby reports are those of "
                        "the same category.");
      return;
    }
  if (!load_radius (req, category_id, &body_id, &radius))
    return;
  answer_nearby (req, body_id, category_id, radius, lat, lon, 0);
}

void
ks_api_duplicates_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports/{id}/duplicate", 0,
                 KS_PERM_UPDATE_STATUS, handle_mark);
  ks_router_add (router, "DELETE", "/api/v1/reports/{id}/duplicate", 0,
                 KS_PERM_UPDATE_STATUS, handle_unmark);
  ks_router_add (router, "GET", "/api/v1/reports/{id}/nearby", 0,
                 KS_PERM_VIEW_REPORT, handle_report_nearby);
  ks_router_add (router, "GET", "/api/v1/nearby", 0, KS_PERM_VIEW_REPORT, handle_point_nearby);
}

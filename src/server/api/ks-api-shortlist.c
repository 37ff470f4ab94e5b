/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-shortlist.c: /api/v1/shortlist: the reports a member of staff keeps in
 * hand, in their order: list, add, reorder, remove. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "api/ks-api-actions-private.h"
#include "api/ks-wire-report.h"

#include <string.h>

static void
handle_shortlist_get (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  KsJsonWriter w;

  ks_request_begin_json (req, 200, &w);
  if (!ks_wire_report_write_shortlist (req->store, req->principal.user_id, &w, &error))
    ks_request_gerror (req, error);
}

/* A report leaving someone's shortlist disappears from their app when that is all
 * they may see. */
static gboolean
tombstone_if_needed (KsRequest          *req,
                     const KsReportCore *report,
                     gint64              user_id)
{
  g_autoptr(GError) error = NULL;
  gboolean sees_all = TRUE;

  if (!ks_store_actions_user_sees_all (req->store, user_id, &sees_all, &error) ||
      (!sees_all && !ks_store_actions_add_tombstone (req->store, report->id, report->body_id,
                                                     user_id, &error)))
    return ks_action_fail (req, error);
  return TRUE;
}

static void
handle_shortlist_add (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw;
  JsonObject *obj;
  gint64 report_id = 0, me = req->principal.user_id, previous;
  gboolean take = FALSE;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_int (req, obj, "report_id", TRUE, 1, G_MAXINT64, &report_id) ||
      !ks_request_get_bool (req, obj, "take", FALSE, &take))
    return;
  if (!ks_api_load_report (req, report_id, &report))
    return;

  previous = report.shortlist_user;
  if (previous == me)
    {
      ks_action_answer_report (req, 200, report.id);
      return;
    }
  if (previous != 0 && !take)
    {
      KsJsonWriter w;
      g_autofree char *message = g_strdup_printf (
        "This report is on %s's shortlist. Ask them, or take it over onto yours.",
        report.shortlist_user_name ? report.shortlist_user_name : "another inspector");

      ks_action_begin_conflict (req, &w, message);
      ks_json_writer_key (&w, "holder");
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "id", previous);
      ks_json_writer_member_string (&w, "name", report.shortlist_user_name);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_object (&w);
      return;
    }

  if (previous != 0 && !tombstone_if_needed (req, &report, previous))
    return;
  if (!ks_store_actions_shortlist_set (req->store, report.id, me, 0, &error))
    {
      ks_action_fail (req, error);
      return;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  if (previous != 0)
    ks_json_writer_member_int (&dw, "taken_from", previous);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "shortlist_add", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

static void
handle_shortlist_remove (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };

  if (!ks_action_load_report (req, "report_id", &report))
    return;
  if (report.shortlist_user != req->principal.user_id)
    {
      ks_request_error (req, 404, "not_found",
                        "Report %" G_GINT64_FORMAT " is not on your shortlist. Refresh your "
                        "shortlist.", report.id);
      return;
    }
  if (!ks_store_actions_shortlist_set (req->store, report.id, 0, 0, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!tombstone_if_needed (req, &report, req->principal.user_id) ||
      !ks_action_audit (req, &report, "shortlist_remove", NULL))
    return;

  /* Someone who sees only their shortlist may no longer see this report. */
  if (ks_principal_can (&req->principal, KS_PERM_VIEW_ALL_REPORTS))
    ks_action_answer_report (req, 200, report.id);
  else
    ks_request_no_content (req);
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
handle_shortlist_reorder (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) current = NULL;
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) sorted_current = NULL;
  g_autoptr(GArray) sorted_wanted = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw, w;
  JsonObject *obj;
  JsonNode *node;
  JsonArray *array;
  gboolean same = TRUE;
  guint n;

  if ((obj = ks_request_json_object (req)) == NULL)
    return;
  node = ks_request_member (req, obj, "report_ids");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “report_ids” is required: the ids of the reports on your "
                        "shortlist, in the order you want them.");
      return;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > MAX_SHORTLIST)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “report_ids” has too many ids (at most %d).", MAX_SHORTLIST);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64 ||
          (id = json_node_get_int (e)) <= 0)
        {
          ks_request_error (req, 422, "invalid",
                            "The field “report_ids” must hold report ids (whole numbers).");
          return;
        }
      g_array_append_val (wanted, id);
    }

  if (!ks_store_actions_shortlist_ids (req->store, req->principal.user_id, &current, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  sorted_current = g_array_copy (current);
  sorted_wanted = g_array_copy (wanted);
  g_array_sort (sorted_current, compare_ids);
  g_array_sort (sorted_wanted, compare_ids);
  if (sorted_current->len != sorted_wanted->len ||
      (n > 0 && memcmp (sorted_current->data, sorted_wanted->data, n * sizeof (gint64)) != 0))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “report_ids” must list exactly the reports on your shortlist "
                        "(%u of them), each once. Refresh your shortlist and try again.",
                        current->len);
      return;
    }

  for (guint i = 0; i < n; i++)
    if (g_array_index (current, gint64, i) != g_array_index (wanted, gint64, i))
      same = FALSE;
  /* Positions are rewritten 1..n even when the order is the same, which also
   * closes the gaps left by removals. */
  for (guint i = 0; i < n && !same; i++)
    if (!ks_store_actions_shortlist_set (req->store, g_array_index (wanted, gint64, i),
                                         req->principal.user_id, i + 1, &error))
      {
        ks_action_fail (req, error);
        return;
      }

  if (!same)
    {
      ks_json_writer_init (&dw, details);
      ks_json_writer_begin_object (&dw);
      ks_json_writer_member_int (&dw, "count", n);
      ks_json_writer_end_object (&dw);
      if (!ks_request_audit (req, req->principal.body_id, "shortlist_reorder", "user",
                             req->principal.user_id, details->str))
        return;
    }

  ks_request_begin_json (req, 200, &w);
  if (!ks_wire_report_write_shortlist (req->store, req->principal.user_id, &w, &error))
    ks_request_gerror (req, error);
}

void
ks_api_shortlist_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_get);
  ks_router_add (router, "POST", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_add);
  ks_router_add (router, "PUT", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_reorder);
  ks_router_add (router, "DELETE", "/api/v1/shortlist/{report_id}", 0,
                 KS_PERM_SHORTLIST, handle_shortlist_remove);
}

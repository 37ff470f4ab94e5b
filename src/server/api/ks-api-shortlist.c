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

/* The member of staff a report is assigned to, as the store gave them. */
typedef struct {
  gboolean found;
  gint64   id;
  char    *name;
  gint64   body_id;
  gboolean active;
  gboolean can_hold;
} Assignee;

static void
take_assignee (const KsAssigneeRow *row, gpointer user_data)
{
  Assignee *a = user_data;

  a->found = TRUE;
  a->id = row->id;
  g_free (a->name);
  a->name = g_strdup (row->name);
  a->body_id = row->body_id;
  a->active = row->active;
  a->can_hold = row->can_hold;
}

/* Checks that user_id may hold the report: active staff of its council with the
 * permission shortlist. Answers 422 and returns FALSE otherwise. */
static gboolean
load_assignee (KsRequest          *req,
               const KsReportCore *report,
               gint64              user_id,
               Assignee           *out)
{
  g_autoptr(GError) error = NULL;

  if (!ks_store_actions_get_assignee (req->store, user_id, take_assignee, out, &error))
    return ks_action_fail (req, error);
  if (!out->found || out->body_id != report->body_id)
    {
      ks_request_error (req, 422, "invalid",
                        "There is no member of staff %" G_GINT64_FORMAT " in this report's "
                        "council. Choose someone from the list of assignees.", user_id);
      return FALSE;
    }
  if (!out->active)
    {
      ks_request_error (req, 422, "invalid",
                        "%s's account is deactivated, so their shortlist cannot hold reports. "
                        "Choose someone else.", out->name);
      return FALSE;
    }
  if (!out->can_hold)
    {
      ks_request_error (req, 422, "invalid",
                        "%s does not have the permission shortlist, so their shortlist cannot "
                        "hold reports. Choose someone who has it, or ask an administrator.",
                        out->name);
      return FALSE;
    }
  return TRUE;
}

/* Puts a report on the caller's shortlist, or with "user_id" on a colleague's:
 * taking it from someone else needs "take". */
static void
handle_shortlist_add (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = g_string_new (NULL);
  Assignee assignee = { 0 };
  KsJsonWriter dw;
  JsonObject *obj;
  gint64 report_id = 0, me = req->principal.user_id, target = 0, previous;
  gboolean take = FALSE;

  if ((obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_int (req, obj, "report_id", TRUE, 1, G_MAXINT64, &report_id) ||
      !ks_request_get_int (req, obj, "user_id", FALSE, 1, G_MAXINT64, &target) ||
      !ks_request_get_bool (req, obj, "take", FALSE, &take))
    goto out;
  if (!ks_api_load_report (req, report_id, &report))
    goto out;
  if (target == 0)
    target = me;
  if (target != me && !load_assignee (req, &report, target, &assignee))
    goto out;

  previous = report.shortlist_user;
  if (previous == target)
    {
      ks_action_answer_report (req, 200, report.id);
      goto out;
    }
  if (previous != 0 && previous != me && !take)
    {
      KsJsonWriter w;
      const char *holder = report.shortlist_user_name ? report.shortlist_user_name
                                                      : "another inspector";
      g_autofree char *message = target == me
        ? g_strdup_printf ("This report is on %s's shortlist. Ask them, or take it over onto "
                           "yours.", holder)
        : g_strdup_printf ("This report is on %s's shortlist. Ask them, or take it over to give "
                           "it to %s.", holder, assignee.name);

      ks_action_begin_conflict (req, &w, message);
      ks_json_writer_key (&w, "holder");
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "id", previous);
      ks_json_writer_member_string (&w, "name", report.shortlist_user_name);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_object (&w);
      goto out;
    }

  if (previous != 0 && !tombstone_if_needed (req, &report, previous))
    goto out;
  if (!ks_store_actions_shortlist_set (req->store, report.id, target, 0, &error))
    {
      ks_action_fail (req, error);
      goto out;
    }

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  if (target != me)
    ks_json_writer_member_int (&dw, "user_id", target);
  if (previous != 0)
    ks_json_writer_member_int (&dw, "taken_from", previous);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, target == me ? "shortlist_add" : "shortlist_assign",
                        details))
    goto out;
  ks_action_answer_report (req, 200, report.id);
out:
  g_free (assignee.name);
}

/* Takes a report off the caller's shortlist, or with ?holder=USER_ID off a
 * colleague's (anyone who may assign reports to colleagues, i.e. holds
 * shortlist, may also take one back from them). */
static void
handle_shortlist_remove (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GString) details = NULL;
  gint64 me = req->principal.user_id, holder = 0;

  if (!ks_request_query_int (req, "holder", 1, G_MAXINT64, 0, &holder))
    return;
  if (holder == 0)
    holder = me;
  if (!ks_action_load_report (req, "report_id", &report))
    return;
  if (report.shortlist_user != holder)
    {
      if (holder == me)
        ks_request_error (req, 404, "not_found",
                          "Report %" G_GINT64_FORMAT " is not on your shortlist. Refresh your "
                          "shortlist.", report.id);
      else
        ks_request_error (req, 404, "not_found",
                          "Report %" G_GINT64_FORMAT " is not on the shortlist of member of "
                          "staff %" G_GINT64_FORMAT ". Refresh the report and try again.",
                          report.id, holder);
      return;
    }
  if (!ks_store_actions_shortlist_set (req->store, report.id, 0, 0, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (holder != me)
    {
      KsJsonWriter dw;

      details = g_string_new (NULL);
      ks_json_writer_init (&dw, details);
      ks_json_writer_begin_object (&dw);
      ks_json_writer_member_int (&dw, "holder", holder);
      ks_json_writer_end_object (&dw);
    }
  if (!tombstone_if_needed (req, &report, holder) ||
      !ks_action_audit (req, &report, "shortlist_remove", details))
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

/* ---- GET /api/v1/assignees ---- */

typedef struct {
  gint64  id;
  char   *name;
  char   *key;        /* the name's collation key */
  gboolean can_hold;
  gint64  held;
} AssigneeItem;

static void
assignee_item_free (gpointer data)
{
  AssigneeItem *item = data;

  g_free (item->name);
  g_free (item->key);
  g_free (item);
}

static void
collect_assignee (const KsAssigneeRow *row, gpointer user_data)
{
  GPtrArray *items = user_data;
  AssigneeItem *item = g_new0 (AssigneeItem, 1);

  item->id = row->id;
  item->name = g_strdup (row->name ? row->name : "");
  item->key = g_utf8_collate_key (item->name, -1);
  item->can_hold = row->can_hold;
  item->held = row->held;
  g_ptr_array_add (items, item);
}

/* By name, then id: sorted here, so that both stores give the same order. */
static gint
compare_assignees (gconstpointer a, gconstpointer b)
{
  const AssigneeItem *x = *(AssigneeItem * const *) a, *y = *(AssigneeItem * const *) b;
  int c = strcmp (x->key, y->key);

  if (c != 0)
    return c;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void
handle_assignees (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (assignee_item_free);
  gint64 body_id = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id))
    return;
  if (!ks_store_actions_assignees (req->store, body_id, collect_assignee, list, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  g_ptr_array_sort (list, compare_assignees);

  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "assignees");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < list->len; i++)
    {
      AssigneeItem *item = g_ptr_array_index (list, i);

      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "id", item->id);
      ks_json_writer_member_string (&w, "name", item->name);
      ks_json_writer_member_bool (&w, "can_hold", item->can_hold);
      ks_json_writer_member_int (&w, "held", item->held);
      ks_json_writer_end_object (&w);
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);
}

void
ks_api_shortlist_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_get);
  ks_router_add (router, "POST", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_add);
  ks_router_add (router, "PUT", "/api/v1/shortlist", 0, KS_PERM_SHORTLIST, handle_shortlist_reorder);
  ks_router_add (router, "DELETE", "/api/v1/shortlist/{report_id}", 0,
                 KS_PERM_SHORTLIST, handle_shortlist_remove);
  /* Everyone who sees reports may read who can hold them (the list's names). */
  ks_router_add (router, "GET", "/api/v1/assignees", 0, KS_PERM_VIEW_REPORT, handle_assignees);
}

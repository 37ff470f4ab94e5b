/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-bulk.c: one action over many reports (POST /api/v1/reports/bulk),
 * through the outbox.
 *
 * A bulk is ONE outbox entry, not one per report: it goes under one idempotency
 * key, so that a replay after a lost answer changes nothing twice, and the server
 * applies and answers it in one request (a thousand requests would take minutes
 * on a poor connection and fill the outbox list). Each item carries the version
 * of the report as the list showed it when the bulk was made; an item whose
 * report changed since comes back as a conflict, with the report as it is now, and
 * the others are applied. Nothing is changed in the list before the server answers:
 * its answer brings every report as it now is. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-error.h"
#include "ks-report-private.h"

static void
on_bulk_enqueued (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  g_autoptr(JsonNode) answer = ks_outbox_enqueue_finish (KS_OUTBOX (source), result, &queued,
                                                         &error);
  KsBulkResult *bulk;

  if (answer == NULL && !queued)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data (G_OBJECT (task), "queued", GINT_TO_POINTER (queued));
  if (answer == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  bulk = ks_bulk_result_new_from_json (JSON_NODE_HOLDS_OBJECT (answer)
                                       ? json_node_get_object (answer) : NULL, &error);
  if (bulk == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, bulk, (GDestroyNotify) ks_bulk_result_free);
}

void
ks_session_bulk_async (KsSession           *self,
                       const char          *action,
                       JsonObject          *params,
                       const gint64        *report_ids,
                       guint                n_reports,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *items;

  g_return_if_fail (KS_IS_SESSION (self));
  g_return_if_fail (action != NULL);

  task = ks_client_task_new (self, ks_session_bulk_async, cancellable, callback, user_data);
  if (!self->signed_in || self->outbox == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in to make changes.");
      return;
    }
  if (n_reports == 0)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "No report is selected. Select the reports to change first.");
      return;
    }
  if (n_reports > KS_SESSION_BULK_MAX)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "At most %d reports can be changed at once; %u are selected. "
                               "Narrow the selection (a filter helps), then do the rest.",
                               KS_SESSION_BULK_MAX, n_reports);
      return;
    }

  items = json_array_sized_new (n_reports);
  for (guint i = 0; i < n_reports; i++)
    {
      KsReport *report = ks_report_store_lookup (self->store, report_ids[i]);
      JsonObject *item;

      if (report == NULL)
        {
          json_array_unref (items);
          g_task_return_new_error (task, KS_ERROR, KS_ERROR_NOT_FOUND,
                                   "Report %" G_GINT64_FORMAT " is not in your list any more. "
                                   "Select the reports again.", report_ids[i]);
          return;
        }
      item = json_object_new ();
      json_object_set_int_member (item, "id", report->id);
      json_object_set_int_member (item, "version", report->version);
      json_array_add_object_element (items, item);
    }
  json_object_set_string_member (body, "action", action);
  if (params != NULL)
    json_object_set_object_member (body, "params", json_object_ref (params));
  json_object_set_array_member (body, "items", items);
  ks_outbox_enqueue_async (self->outbox, "bulk", 0, "POST", "/api/v1/reports/bulk", body, 0,
                           NULL, on_bulk_enqueued, g_object_ref (task));
}

KsBulkResult *
ks_session_bulk_finish (KsSession     *self,
                        GAsyncResult  *result,
                        gboolean      *out_queued,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  if (out_queued != NULL)
    *out_queued = g_object_get_data (G_OBJECT (result), "queued") != NULL;
  return ks_client_task_finish_pointer (self, result, error);
}

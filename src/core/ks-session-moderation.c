/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-moderation.c: moderating one update of a report's timeline through
 * the session: a new text with a reason, or hiding / showing it again. The
 * cached report shows the change at once (its "updates" copy); the write waits
 * in the outbox when offline and the server's answer replaces the guess. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"

/* The optimistic fields: the cached report's "updates" with update_id changed
 * by set_text (nullable) and hidden (-1: unchanged). NULL when the cache does not
 * hold the report's timeline. */
static JsonObject *
optimistic_updates (KsSession  *self,
                    gint64      report_id,
                    gint64      update_id,
                    const char *set_text,
                    int         hidden)
{
  g_autoptr(JsonObject) cached = NULL;
  JsonObject *opt;
  JsonArray *updates, *copy;

  if (self->cache == NULL ||
      (cached = ks_cache_get_report_json (self->cache, report_id)) == NULL ||
      !json_object_has_member (cached, "updates") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (cached, "updates")))
    return NULL;
  updates = json_object_get_array_member (cached, "updates");
  copy = json_array_sized_new (json_array_get_length (updates));
  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonNode *node = json_node_copy (json_array_get_element (updates, i));

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *u = json_node_get_object (node);

          if (json_object_get_int_member_with_default (u, "id", 0) == update_id)
            {
              if (set_text != NULL)
                json_object_set_string_member (u, "text", set_text);
              if (hidden >= 0)
                json_object_set_boolean_member (u, "hidden", hidden != 0);
            }
        }
      json_array_add_element (copy, node);
    }
  opt = json_object_new ();
  json_object_set_array_member (opt, "updates", copy);
  return opt;
}

static char *
update_path (gint64      report_id,
             gint64      update_id,
             const char *action)
{
  return g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/updates/%" G_GINT64_FORMAT "/%s",
                          report_id, update_id, action);
}

void
ks_session_moderate_update_async (KsSession *self, gint64 report_id, gint64 update_id,
                                  const char *text, const char *reason,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = NULL;
  g_autofree char *path = update_path (report_id, update_id, "moderate");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "text", text ? text : "");
  json_object_set_string_member (body, "reason", reason ? reason : "");
  opt = optimistic_updates (self, report_id, update_id, text, -1);
  ks_session_run_action (self, "moderate_update", report_id, "POST", path, body, TRUE, opt,
                         ks_session_moderate_update_async, cancellable, callback, user_data);
}

void
ks_session_set_update_hidden_async (KsSession *self, gint64 report_id, gint64 update_id,
                                    gboolean hidden, const char *reason,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = NULL;
  g_autofree char *path = update_path (report_id, update_id, hidden ? "hide" : "unhide");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "reason", reason ? reason : "");
  opt = optimistic_updates (self, report_id, update_id, NULL, hidden ? 1 : 0);
  ks_session_run_action (self, hidden ? "hide_update" : "unhide_update", report_id, "POST",
                         path, body, TRUE, opt, ks_session_set_update_hidden_async,
                         cancellable, callback, user_data);
}

/* "Hide everywhere": all of the report's reporter's reports and updates in the
 * council. The report itself shows hidden at once; the others follow at the
 * next sync. */
void
ks_session_set_reporter_hidden_async (KsSession *self, gint64 report_id, gboolean hidden,
                                      const char *reason, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/reporter/%s",
                                           report_id, hidden ? "hide" : "unhide");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "reason", reason ? reason : "");
  if (hidden)
    {
      opt = json_object_new ();
      json_object_set_string_member (opt, "state", "hidden");
    }
  ks_session_run_action (self, hidden ? "hide_everywhere" : "unhide_everywhere", report_id,
                         "POST", path, body, FALSE, opt, ks_session_set_reporter_hidden_async,
                         cancellable, callback, user_data);
}

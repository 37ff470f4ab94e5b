/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-placeholders.c: a report created while the server cannot be
 * reached shows at once in the model (the list, the map, the detail) as a
 * placeholder: the queued create's fields, with the id KS_OUTBOX_PLACEHOLDER_ID
 * of its outbox entry. It stays while the entry waits or was refused, goes when
 * the entry is discarded, and becomes the real report in place when the outbox
 * has sent it (ks-outbox.c renames it then). Placeholders live in the model
 * only: after a restart they are made again from the outbox the cache kept. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-report-private.h"

static KsReport *
placeholder_new (KsSession     *self,
                 KsOutboxEntry *entry)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body, *category;
  KsReport *report;

  if (entry->body == NULL || !json_parser_load_from_data (parser, entry->body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  body = json_node_get_object (json_parser_get_root (parser));
  /* What the server gives a new report at first; no photo is shown before it has one. */
  json_object_set_string_member (body, "state", "confirmed");
  json_object_set_int_member (body, "created", entry->created);
  json_object_set_int_member (body, "updated", entry->created);
  json_object_set_boolean_member (body, "has_photo", FALSE);
  category = ks_session_find_by_id (self->categories,
                                    json_object_get_int_member_with_default (body, "category_id", 0));
  if (category != NULL)
    {
      json_object_set_string_member (body, "category",
                                     json_object_get_string_member_with_default (category, "name", ""));
      json_object_set_string_member (body, "group",
                                     json_object_get_string_member_with_default (category, "group", ""));
    }
  report = ks_report_new_empty (KS_OUTBOX_PLACEHOLDER_ID (entry->id));
  ks_report_apply_json (report, body, FALSE);
  return report;
}

void
ks_session_sync_placeholders (KsSession *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GArray) gone = NULL;
  GHashTableIter iter;
  gpointer key;

  if (self->outbox == NULL || self->store == NULL)
    return;
  entries = ks_outbox_list (self->outbox);
  added = g_ptr_array_new_with_free_func (g_object_unref);
  wanted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      KsOutboxEntry *entry = g_ptr_array_index (entries, i);
      gint64 id = KS_OUTBOX_PLACEHOLDER_ID (entry->id);
      KsReport *report;

      if (g_strcmp0 (entry->action, "create") != 0)
        continue;
      g_hash_table_add (wanted, g_memdup2 (&id, sizeof id));
      if (ks_report_store_lookup (self->store, id) == NULL &&
          (report = placeholder_new (self, entry)) != NULL)
        g_ptr_array_add (added, report);
    }

  /* Those whose entry went (discarded; a sent one was renamed already). */
  gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_hash_table_iter_init (&iter, self->placeholders);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (wanted, key))
      {
        g_array_append_val (gone, *(gint64 *) key);
        g_hash_table_iter_remove (&iter);
      }
  if (gone->len > 0)
    ks_report_store_remove (self->store, (const gint64 *) (gpointer) gone->data, gone->len);

  for (guint i = 0; i < added->len; i++)
    {
      gint64 id = ks_report_get_id (g_ptr_array_index (added, i));
      g_hash_table_add (self->placeholders, g_memdup2 (&id, sizeof id));
    }
  if (added->len > 0)
    ks_report_store_upsert (self->store, added);
  /* At once, not at the filter's next idle: the window opens a new one in the
   * list as soon as it is queued. */
  if ((added->len > 0 || gone->len > 0) && self->filter != NULL)
    ks_report_filter_refilter (self->filter);
}

gboolean
ks_session_is_placeholder (gint64 report_id)
{
  return report_id < 0;
}

KsOutboxEntry *
ks_session_get_placeholder_entry (KsSession *self,
                                  gint64     report_id)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  if (self->outbox == NULL || report_id >= 0)
    return NULL;
  entries = ks_outbox_list (self->outbox);
  for (guint i = 0; i < entries->len; i++)
    {
      KsOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (KS_OUTBOX_PLACEHOLDER_ID (entry->id) == report_id && g_strcmp0 (entry->action, "create") == 0)
        return ks_outbox_entry_copy (entry);
    }
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-store.c: every cached report, as a GListModel of KsReport. */
#define G_LOG_DOMAIN "ks-report-store"

#include "ks-report-store.h"
#include "ks-report-private.h"

struct _KsReportStore
{
  GObject     parent_instance;

  GPtrArray  *items;   /* KsReport, owned */
  GHashTable *index;   /* gint64 id -> position (GUINT_TO_POINTER (pos + 1)) */
};

static GType
ks_report_store_get_item_type (GListModel *model)
{
  return KS_TYPE_REPORT;
}

static guint
ks_report_store_get_n_items (GListModel *model)
{
  return KS_REPORT_STORE (model)->items->len;
}

static gpointer
ks_report_store_get_item (GListModel *model,
                          guint       position)
{
  KsReportStore *self = KS_REPORT_STORE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
ks_report_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ks_report_store_get_item_type;
  iface->get_n_items = ks_report_store_get_n_items;
  iface->get_item = ks_report_store_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (KsReportStore, ks_report_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ks_report_store_list_model_init))

static void
ks_report_store_finalize (GObject *object)
{
  KsReportStore *self = KS_REPORT_STORE (object);

  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->index);
  G_OBJECT_CLASS (ks_report_store_parent_class)->finalize (object);
}

static void
ks_report_store_class_init (KsReportStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ks_report_store_finalize;
}

static void
ks_report_store_init (KsReportStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->index = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, NULL);
}

KsReportStore *
ks_report_store_new (void)
{
  return g_object_new (KS_TYPE_REPORT_STORE, NULL);
}

/* The index keys point into the reports' own id fields (stable for their life). */
static void
index_from (KsReportStore *self,
            guint          from)
{
  for (guint i = from; i < self->items->len; i++)
    {
      KsReport *r = g_ptr_array_index (self->items, i);
      g_hash_table_replace (self->index, &r->id, GUINT_TO_POINTER (i + 1));
    }
}

KsReport * const *
ks_report_store_peek_items (KsReportStore *self,
                            guint         *n_items)
{
  g_return_val_if_fail (KS_IS_REPORT_STORE (self), NULL);
  g_return_val_if_fail (n_items != NULL, NULL);
  *n_items = self->items->len;
  return (KsReport * const *) self->items->pdata;
}

guint
ks_report_store_find (KsReportStore *self,
                      gint64         id)
{
  gpointer v;

  g_return_val_if_fail (KS_IS_REPORT_STORE (self), G_MAXUINT);
  v = g_hash_table_lookup (self->index, &id);
  return v ? GPOINTER_TO_UINT (v) - 1 : G_MAXUINT;
}

KsReport *
ks_report_store_lookup (KsReportStore *self,
                        gint64         id)
{
  guint pos = ks_report_store_find (self, id);

  return pos == G_MAXUINT ? NULL : g_ptr_array_index (self->items, pos);
}

void
ks_report_store_replace_all (KsReportStore *self,
                             GPtrArray     *reports)
{
  guint old_n;

  g_return_if_fail (KS_IS_REPORT_STORE (self));

  old_n = self->items->len;
  g_hash_table_remove_all (self->index);
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < reports->len; i++)
    {
      KsReport *r = g_ptr_array_index (reports, i);
      if (g_hash_table_contains (self->index, &r->id))
        continue;
      g_ptr_array_add (self->items, g_object_ref (r));
      g_hash_table_insert (self->index, &r->id, GUINT_TO_POINTER (self->items->len));
    }
  if (old_n > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->items->len);
}

void
ks_report_store_take_from (KsReportStore *self,
                           KsReportStore *other)
{
  guint old_n;
  GPtrArray *items;
  GHashTable *index;

  g_return_if_fail (KS_IS_REPORT_STORE (self));
  g_return_if_fail (KS_IS_REPORT_STORE (other));

  old_n = self->items->len;
  items = self->items;
  index = self->index;
  self->items = other->items;
  self->index = other->index;
  /* other gets self's old arrays, emptied. */
  g_hash_table_remove_all (index);
  g_ptr_array_set_size (items, 0);
  other->items = items;
  other->index = index;
  if (old_n > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->items->len);
}

/* A copy of a report from before the one the model holds (a sync page fetched
 * before an action's answer arrived, say) must not bring back the old state:
 * each copy carries the change sequence number it was read at. */
static gboolean
is_older (KsReport *incoming,
          KsReport *held)
{
  return incoming->seq > 0 && held->seq > 0 && incoming->seq < held->seq;
}

guint
ks_report_store_upsert (KsReportStore *self,
                        GPtrArray     *reports)
{
  guint changed = 0, first_new;

  g_return_val_if_fail (KS_IS_REPORT_STORE (self), 0);

  first_new = self->items->len;
  for (guint i = 0; i < reports->len; i++)
    {
      KsReport *r = g_ptr_array_index (reports, i);
      guint pos = ks_report_store_find (self, r->id);

      if (pos == G_MAXUINT)
        {
          g_ptr_array_add (self->items, g_object_ref (r));
          g_hash_table_insert (self->index, &r->id, GUINT_TO_POINTER (self->items->len));
          changed++;
        }
      else if (is_older (r, g_ptr_array_index (self->items, pos)))
        continue;
      else if (ks_report_update_from (g_ptr_array_index (self->items, pos), r))
        {
          changed++;
          if (pos < first_new)
            g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
        }
    }
  if (self->items->len > first_new)
    g_list_model_items_changed (G_LIST_MODEL (self), first_new, 0, self->items->len - first_new);
  return changed;
}

gboolean
ks_report_store_rekey (KsReportStore *self,
                       gint64         old_id,
                       gint64         new_id)
{
  guint pos;
  KsReport *r;

  g_return_val_if_fail (KS_IS_REPORT_STORE (self), FALSE);

  pos = ks_report_store_find (self, old_id);
  if (pos == G_MAXUINT || old_id == new_id)
    return FALSE;
  if (ks_report_store_find (self, new_id) != G_MAXUINT)
    {
      ks_report_store_remove (self, &old_id, 1);
      return FALSE;
    }
  r = g_ptr_array_index (self->items, pos);
  g_hash_table_remove (self->index, &r->id);
  ks_report_set_id (r, new_id);
  g_hash_table_insert (self->index, &r->id, GUINT_TO_POINTER (pos + 1));
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
  return TRUE;
}

void
ks_report_store_remove (KsReportStore *self,
                        const gint64  *ids,
                        guint          n_ids)
{
  g_return_if_fail (KS_IS_REPORT_STORE (self));

  for (guint i = 0; i < n_ids; i++)
    {
      guint pos = ks_report_store_find (self, ids[i]);
      KsReport *r;

      if (pos == G_MAXUINT)
        continue;
      r = g_ptr_array_index (self->items, pos);
      g_hash_table_remove (self->index, &r->id);
      g_ptr_array_remove_index (self->items, pos);
      index_from (self, pos);
      g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
    }
}

void
ks_report_store_clear (KsReportStore *self)
{
  guint n;

  g_return_if_fail (KS_IS_REPORT_STORE (self));

  n = self->items->len;
  g_hash_table_remove_all (self->index);
  g_ptr_array_set_size (self->items, 0);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

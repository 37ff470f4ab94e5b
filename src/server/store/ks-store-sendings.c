/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-sendings.c: dispatchers of the store's reports sent on. */
#include "store/ks-store.h"

void
ks_sending_clear (KsSending *sending)
{
  g_clear_pointer (&sending->destination, g_free);
  g_clear_pointer (&sending->status, g_free);
  g_clear_pointer (&sending->last_error, g_free);
  g_clear_pointer (&sending->remote_id, g_free);
}

void
ks_sending_destination_clear (KsSendingDestination *d)
{
  g_clear_pointer (&d->name, g_free);
  g_clear_pointer (&d->endpoint, g_free);
  g_clear_pointer (&d->api_key, g_free);
  g_clear_pointer (&d->jurisdiction_id, g_free);
}

GArray *
ks_sendings_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (KsSending));
  g_array_set_clear_func (a, (GDestroyNotify) ks_sending_clear);
  return a;
}

gboolean ks_store_sendings_note (KsStore *self, gint64 report_id, gint64 now, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, note, report_id, now, error); }
gboolean ks_store_sendings_due (KsStore *self, gint64 now, guint limit, GArray **out_ids, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, due, now, limit, out_ids, error); }
gboolean ks_store_sendings_get (KsStore *self, gint64 id, gboolean *found, KsSending *out, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, get, id, found, out, error); }
gboolean ks_store_sendings_save (KsStore *self, const KsSending *sending, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, save, sending, error); }
gboolean ks_store_sendings_list (KsStore *self, gint64 report_id, GArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, list, report_id, out, error); }
gboolean ks_store_sendings_polled (KsStore *self, GArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, polled, out, error); }
gboolean ks_store_sendings_add_remote_id (KsStore *self, gint64 sending_id, const char *remote_id, gint64 now, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, add_remote_id, sending_id, remote_id, now, error); }
gboolean ks_store_sendings_remote_ids (KsStore *self, const gint64 *sending_ids, guint n_ids, GArray **out_sending_ids, GPtrArray **out_remote_ids, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, remote_ids, sending_ids, n_ids, out_sending_ids, out_remote_ids, error); }
gboolean ks_store_sendings_set_polled_until (KsStore *self, const gint64 *sending_ids, guint n_ids, gint64 until, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, set_polled_until, sending_ids, n_ids, until, error); }
gboolean ks_store_sendings_destination (KsStore *self, gint64 body_id, const char *name, gboolean *found, KsSendingDestination *out, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, destination, body_id, name, found, out, error); }
gboolean ks_store_sendings_note_update (KsStore *self, gint64 sending_id, const char *update_id, gint64 now, gboolean *out_new, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, note_update, sending_id, update_id, now, out_new, error); }
gboolean ks_store_sendings_count_failed (KsStore *self, gint64 body_id, gint64 *out_count, GError **error)
{ return KS_STORE_DISPATCH (self, sendings, count_failed, body_id, out_count, error); }

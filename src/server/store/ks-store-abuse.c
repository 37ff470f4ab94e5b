/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-abuse.c: dispatchers of the store's abuse lists. */
#include "store/ks-store.h"

void
ks_abuse_entry_clear (KsAbuseEntry *entry)
{
  g_clear_pointer (&entry->kind, g_free);
  g_clear_pointer (&entry->value, g_free);
  g_clear_pointer (&entry->reason, g_free);
  g_clear_pointer (&entry->created_by, g_free);
}

GArray *
ks_abuse_entries_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (KsAbuseEntry));
  g_array_set_clear_func (a, (GDestroyNotify) ks_abuse_entry_clear);
  return a;
}

gboolean ks_store_abuse_list (KsStore *self, gint64 body_id, GArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, abuse, list, body_id, out, error); }
gboolean ks_store_abuse_add (KsStore *self, gint64 body_id, const char *kind, const char *value, const char *reason, gint64 user_id, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, abuse, add, body_id, kind, value, reason, user_id, out_id, error); }
gboolean ks_store_abuse_remove (KsStore *self, gint64 body_id, gint64 id, KsAbuseEntry *out_removed, gboolean *out_found, GError **error)
{ return KS_STORE_DISPATCH (self, abuse, remove, body_id, id, out_removed, out_found, error); }
gboolean ks_store_abuse_match (KsStore *self, gint64 body_id, const char *email, const char *domain, const char *phone, KsAbuseEntry *out, gboolean *out_found, GError **error)
{ return KS_STORE_DISPATCH (self, abuse, match, body_id, email, domain, phone, out, out_found, error); }

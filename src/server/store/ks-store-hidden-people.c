/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-hidden-people.c: dispatchers of the store's "hide everywhere". */
#include "store/ks-store.h"

gboolean ks_store_hidden_people_add (KsStore *self, gint64 body_id, const char *email, const char *reason, gint64 user_id, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, hidden_people, add, body_id, email, reason, user_id, out_id, error); }
gboolean ks_store_hidden_people_find (KsStore *self, gint64 body_id, const char *email, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, hidden_people, find, body_id, email, out_id, error); }
gboolean ks_store_hidden_people_remove (KsStore *self, gint64 id, GError **error)
{ return KS_STORE_DISPATCH (self, hidden_people, remove, id, error); }
gboolean ks_store_hidden_people_mark (KsStore *self, gint64 body_id, const char *email, gint64 id, GArray **out_reports, GArray **out_updates, GError **error)
{ return KS_STORE_DISPATCH (self, hidden_people, mark, body_id, email, id, out_reports, out_updates, error); }
gboolean ks_store_hidden_people_unmark (KsStore *self, gint64 id, GArray **out_reports, GArray **out_updates, GError **error)
{ return KS_STORE_DISPATCH (self, hidden_people, unmark, id, out_reports, out_updates, error); }

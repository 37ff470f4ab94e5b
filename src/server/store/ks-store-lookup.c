/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-lookup.c: dispatchers of the store's look-ups. */
#include "store/ks-store.h"

gboolean ks_store_places_clear (KsStore *self, gint64 body_id, gint64 *out_removed, GError **error)
{ return KS_STORE_DISPATCH (self, lookup, places_clear, body_id, out_removed, error); }
gboolean ks_store_places_add (KsStore *self, gint64 body_id, const KsNewPlace *places, guint n, GError **error)
{ return KS_STORE_DISPATCH (self, lookup, places_add, body_id, places, n, error); }
gboolean ks_store_places_count (KsStore *self, gint64 body_id, gint64 *out, GError **error)
{ return KS_STORE_DISPATCH (self, lookup, places_count, body_id, out, error); }
gboolean ks_store_places_search (KsStore *self, gint64 body_id, const KsPlaceQuery *q, guint limit, KsPlaceFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, lookup, places_search, body_id, q, limit, func, user_data, error); }
gboolean ks_store_caller_reports (KsStore *self, gint64 body_id, KsCallerField by, const char *term, gint64 before_id, guint limit, KsReportRowFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, lookup, caller_reports, body_id, by, term, before_id, limit, func, user_data, error); }

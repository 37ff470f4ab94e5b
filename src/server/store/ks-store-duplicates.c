/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-duplicates.c: dispatchers of the store's duplicates operations. */
#include "store/ks-store.h"

void
ks_duplicate_link_clear (KsDuplicateLink *link)
{
  g_clear_pointer (&link->state_before, g_free);
}

gboolean ks_store_duplicates_get_link (KsStore *self, gint64 report_id, gboolean *found, KsDuplicateLink *out, GError **error)
{ return KS_STORE_DISPATCH (self, duplicates, get_link, report_id, found, out, error); }
gboolean ks_store_duplicates_set_link (KsStore *self, gint64 report_id, gint64 of, const char *state_before, GError **error)
{ return KS_STORE_DISPATCH (self, duplicates, set_link, report_id, of, state_before, error); }
gboolean ks_store_duplicates_touch (KsStore *self, gint64 report_id, GError **error)
{ return KS_STORE_DISPATCH (self, duplicates, touch, report_id, error); }
gboolean ks_store_duplicates_links (KsStore *self, gint64 report_id, KsDuplicateLinkFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, duplicates, links, report_id, func, user_data, error); }
gboolean ks_store_duplicates_category_radius (KsStore *self, gint64 category_id, gboolean *found, gint64 *out_body_id, gint64 *out_radius, GError **error)
{ return KS_STORE_DISPATCH (self, duplicates, category_radius, category_id, found, out_body_id, out_radius, error); }
gboolean ks_store_duplicates_in_box (KsStore *self, gint64 body_id, gint64 category_id, const KsBBox *box, KsReportRowFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, duplicates, in_box, body_id, category_id, box, func, user_data, error); }

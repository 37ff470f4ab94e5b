/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-photos.c: dispatchers of the store's photos operations. */
#include "store/ks-store.h"

gboolean ks_store_photos_max_photos (KsStore *self, gint64 body_id, guint *out, GError **error)
{ return KS_STORE_DISPATCH (self, photos, max_photos, body_id, out, error); }
gboolean ks_store_photos_set_max_photos (KsStore *self, gint64 body_id, guint max, GError **error)
{ return KS_STORE_DISPATCH (self, photos, set_max_photos, body_id, max, error); }
gboolean ks_store_photos_count (KsStore *self, gint64 report_id, gint64 update_id, guint *out, GError **error)
{ return KS_STORE_DISPATCH (self, photos, count, report_id, update_id, out, error); }
gboolean ks_store_photos_add (KsStore *self, gint64 report_id, gint64 update_id, const char * const *refs, guint n_refs, GError **error)
{ return KS_STORE_DISPATCH (self, photos, add, report_id, update_id, refs, n_refs, error); }
gboolean ks_store_photos_find (KsStore *self, gint64 report_id, const char *ref, gboolean *found, gint64 *out_update_id, GError **error)
{ return KS_STORE_DISPATCH (self, photos, find, report_id, ref, found, out_update_id, error); }
gboolean ks_store_photos_replace (KsStore *self, gint64 report_id, const char *old_ref, const char *new_ref, GError **error)
{ return KS_STORE_DISPATCH (self, photos, replace, report_id, old_ref, new_ref, error); }
gboolean ks_store_photos_remove (KsStore *self, gint64 report_id, const char *ref, GError **error)
{ return KS_STORE_DISPATCH (self, photos, remove, report_id, ref, error); }
gboolean ks_store_photos_record (KsStore *self, const KsNewPhotoModeration *moderation, GError **error)
{ return KS_STORE_DISPATCH (self, photos, record, moderation, error); }
gboolean ks_store_photos_original (KsStore *self, gint64 report_id, const char *ref, char **out_original, GError **error)
{ return KS_STORE_DISPATCH (self, photos, original, report_id, ref, out_original, error); }

char *
ks_store_photos_list_sql (gint64 first_report_id)
{
  /* Ids given in order, so that both stores number the rows alike. */
  return g_strdup_printf (
    "INSERT INTO photos (id, report_id, update_id, position, ref, created) "
    "  SELECT (SELECT coalesce (max (id), 0) FROM photos) + row_number () OVER (ORDER BY id), "
    "         id, NULL, 0, photo, created FROM reports "
    "  WHERE id >= %" G_GINT64_FORMAT " AND photo LIKE '/api/v1/media/%%';"
    "INSERT INTO photos (id, report_id, update_id, position, ref, created) "
    "  SELECT (SELECT coalesce (max (id), 0) FROM photos) + row_number () OVER (ORDER BY id), "
    "         report_id, id, 0, photo, created FROM updates "
    "  WHERE report_id >= %" G_GINT64_FORMAT " AND photo LIKE '/api/v1/media/%%';",
    first_report_id, first_report_id);
}

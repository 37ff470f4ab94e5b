/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-councils.c: dispatchers of the store's councils operations. */
#include "store/ks-store.h"

static void
report_point_clear (gpointer data)
{
  KsReportPoint *p = data;
  g_clear_pointer (&p->ward, g_free);
}

GArray *
ks_report_points_new (void)
{
  GArray *points = g_array_new (FALSE, TRUE, sizeof (KsReportPoint));
  g_array_set_clear_func (points, report_point_clear);
  return points;
}

void
ks_report_points_free (GArray *points)
{
  if (points != NULL)
    g_array_unref (points);
}

gboolean ks_store_councils_list_bodies (KsStore *self, GArray **out_ids, GError **error)
{ return KS_STORE_DISPATCH (self, councils, list_bodies, out_ids, error); }
gboolean ks_store_councils_create_body (KsStore *self, const KsBodySettings *settings, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, councils, create_body, settings, out_id, error); }
gboolean ks_store_councils_edit_body (KsStore *self, gint64 body_id, const KsBodySettings *settings, GError **error)
{ return KS_STORE_DISPATCH (self, councils, edit_body, body_id, settings, error); }
gboolean ks_store_councils_boundaries_version (KsStore *self, gint64 *out, GError **error)
{ return KS_STORE_DISPATCH (self, councils, boundaries_version, out, error); }
gboolean ks_store_councils_boundaries_load (KsStore *self, gint64 body_id, KsBoundaryRowFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, councils, boundaries_load, body_id, func, user_data, error); }
gboolean ks_store_councils_boundaries_replace (KsStore *self, gint64 body_id, const char *area_name, const KsBoundaryRow *rows, guint n_rows, GError **error)
{ return KS_STORE_DISPATCH (self, councils, boundaries_replace, body_id, area_name, rows, n_rows, error); }
gboolean ks_store_councils_report_points (KsStore *self, gint64 body_id, gint64 after_id, guint limit, GArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, councils, report_points, body_id, after_id, limit, out, error); }
gboolean ks_store_councils_set_report_ward (KsStore *self, gint64 report_id, const char *ward, GError **error)
{ return KS_STORE_DISPATCH (self, councils, set_report_ward, report_id, ward, error); }
gboolean ks_store_councils_get_site_message (KsStore *self, gint64 body_id, gint64 now, char **out_text, gint64 *out_until, GError **error)
{ return KS_STORE_DISPATCH (self, councils, get_site_message, body_id, now, out_text, out_until, error); }
gboolean ks_store_councils_set_site_message (KsStore *self, gint64 body_id, const char *text, gint64 until, GError **error)
{ return KS_STORE_DISPATCH (self, councils, set_site_message, body_id, text, until, error); }
gboolean ks_store_councils_create_staff (KsStore *self, gint64 body_id, const char *email, const char *name, const char *password_hash, gboolean superuser, GArray *role_ids, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, councils, create_staff, body_id, email, name, password_hash, superuser, role_ids, out_id, error); }

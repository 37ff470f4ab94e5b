/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-admin.c: dispatchers of the store's admin operations. */
#include "store/ks-store.h"

gboolean ks_store_admin_object_body (KsStore *self, KsAdminObject kind, gint64 id, gint64 *out_body_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, object_body, kind, id, out_body_id, error); }
gboolean ks_store_admin_check_ids (KsStore *self, KsAdminObject kind, gint64 body_id, GArray *ids, GError **error)
{ return KS_STORE_DISPATCH (self, admin, check_ids, kind, body_id, ids, error); }

gboolean ks_store_admin_list (KsStore *self, KsAdminObject kind, gint64 body_id, const KsAdminQuery *query, GArray *rows, gboolean *out_more, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list, kind, body_id, query, rows, out_more, error); }
gboolean ks_store_admin_get (KsStore *self, KsAdminObject kind, gint64 id, KsAdminRow *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, get, kind, id, out, error); }
gboolean ks_store_admin_create (KsStore *self, KsAdminObject kind, gint64 body_id, const KsAdminRow *in, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, create, kind, body_id, in, out_id, error); }
gboolean ks_store_admin_update (KsStore *self, KsAdminObject kind, gint64 id, const KsAdminRow *in, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update, kind, id, in, error); }
gboolean ks_store_admin_remove (KsStore *self, KsAdminObject kind, gint64 id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, remove, kind, id, error); }
gboolean ks_store_admin_user_permissions (KsStore *self, gint64 user_id, KsPermissionSet *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, user_permissions, user_id, out, error); }
gboolean ks_store_admin_ensure_default_roles (KsStore *self, gint64 body_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, ensure_default_roles, body_id, error); }

gboolean ks_store_admin_category_visibility_changed (KsStore *self, gint64 body_id, gint64 category_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, category_visibility_changed, body_id, category_id, error); }

gboolean ks_store_admin_get_body (KsStore *self, gint64 body_id, KsBodyRow *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, get_body, body_id, out, error); }
gboolean ks_store_admin_body_password_min_length (KsStore *self, gint64 body_id, guint *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, body_password_min_length, body_id, out, error); }
gboolean ks_store_admin_update_body (KsStore *self, gint64 body_id, int require_2fa, int password_min_length, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update_body, body_id, require_2fa, password_min_length, error); }

gboolean ks_store_admin_dashboard_summary (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 now, KsDashboardSummary *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_summary, who, body_id, now, out, error); }
gboolean ks_store_admin_dashboard_timeline (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 now, guint days, KsDashboardTimeline *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_timeline, who, body_id, now, days, out, error); }
gboolean ks_store_admin_dashboard_stats (KsStore *self, const KsPrincipal *who, gint64 body_id, KsStatsBy by, gint64 from, gint64 to, KsDashboardStats *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_stats, who, body_id, by, from, to, out, error); }
gboolean ks_store_admin_dashboard_export_csv (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 from, gint64 to, GString *out, gint64 *out_rows, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_export_csv, who, body_id, from, to, out, out_rows, error); }

gboolean ks_store_admin_list_audit (KsStore *self, gint64 body_id, const KsAuditQuery *query, GPtrArray *out, gboolean *out_more, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list_audit, body_id, query, out, out_more, error); }

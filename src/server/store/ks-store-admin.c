/* ks-store-admin.c: dispatchers of the store's admin operations. */
#include "store/ks-store.h"

void
ks_staff_info_clear (KsStaffInfo *info)
{
  g_clear_pointer (&info->email, g_free);
  g_clear_pointer (&info->name, g_free);
}

void
ks_role_info_clear (KsRoleInfo *info)
{
  g_clear_pointer (&info->name, g_free);
}

gboolean ks_store_admin_object_body (KsStore *self, KsAdminObject kind, gint64 id, gint64 *out_body_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, object_body, kind, id, out_body_id, error); }
gboolean ks_store_admin_check_ids (KsStore *self, KsAdminObject kind, gint64 body_id, GArray *ids, GError **error)
{ return KS_STORE_DISPATCH (self, admin, check_ids, kind, body_id, ids, error); }

gboolean ks_store_admin_list_categories (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list_categories, body_id, w, error); }
gboolean ks_store_admin_write_category (KsStore *self, gint64 id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, write_category, id, w, error); }
gboolean ks_store_admin_create_category (KsStore *self, gint64 body_id, const KsCategoryInput *in, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, create_category, body_id, in, out_id, error); }
gboolean ks_store_admin_update_category (KsStore *self, gint64 id, const KsCategoryInput *in, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update_category, id, in, error); }

gboolean ks_store_admin_list_priorities (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list_priorities, body_id, w, error); }
gboolean ks_store_admin_write_priority (KsStore *self, gint64 id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, write_priority, id, w, error); }
gboolean ks_store_admin_create_priority (KsStore *self, gint64 body_id, const KsPriorityInput *in, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, create_priority, body_id, in, out_id, error); }
gboolean ks_store_admin_update_priority (KsStore *self, gint64 id, const KsPriorityInput *in, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update_priority, id, in, error); }
gboolean ks_store_admin_delete_priority (KsStore *self, gint64 id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, delete_priority, id, error); }

gboolean ks_store_admin_list_templates (KsStore *self, gint64 body_id, gint64 category_id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list_templates, body_id, category_id, w, error); }
gboolean ks_store_admin_write_template (KsStore *self, gint64 id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, write_template, id, w, error); }
gboolean ks_store_admin_create_template (KsStore *self, gint64 body_id, const KsTemplateInput *in, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, create_template, body_id, in, out_id, error); }
gboolean ks_store_admin_update_template (KsStore *self, gint64 id, const KsTemplateInput *in, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update_template, id, in, error); }
gboolean ks_store_admin_delete_template (KsStore *self, gint64 id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, delete_template, id, error); }

gboolean ks_store_admin_list_staff (KsStore *self, gint64 body_id, const KsStaffQuery *query, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list_staff, body_id, query, w, error); }
gboolean ks_store_admin_write_staff (KsStore *self, gint64 id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, write_staff, id, w, error); }
gboolean ks_store_admin_get_staff (KsStore *self, gint64 id, KsStaffInfo *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, get_staff, id, out, error); }
gboolean ks_store_admin_create_staff (KsStore *self, gint64 body_id, const KsStaffInput *in, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, create_staff, body_id, in, out_id, error); }
gboolean ks_store_admin_update_staff (KsStore *self, gint64 id, const KsStaffInput *in, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update_staff, id, in, error); }
gboolean ks_store_admin_user_permissions (KsStore *self, gint64 user_id, KsPermissionSet *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, user_permissions, user_id, out, error); }

gboolean ks_store_admin_list_roles (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list_roles, body_id, w, error); }
gboolean ks_store_admin_write_role (KsStore *self, gint64 id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, write_role, id, w, error); }
gboolean ks_store_admin_get_role (KsStore *self, gint64 id, KsRoleInfo *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, get_role, id, out, error); }
gboolean ks_store_admin_create_role (KsStore *self, gint64 body_id, const char *name, gboolean is_default, KsPermissionSet permissions, gint64 *out_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, create_role, body_id, name, is_default, permissions, out_id, error); }
gboolean ks_store_admin_update_role (KsStore *self, gint64 id, const char *name, const KsPermissionSet *permissions, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update_role, id, name, permissions, error); }
gboolean ks_store_admin_delete_role (KsStore *self, gint64 id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, delete_role, id, error); }
gboolean ks_store_admin_ensure_default_roles (KsStore *self, gint64 body_id, GError **error)
{ return KS_STORE_DISPATCH (self, admin, ensure_default_roles, body_id, error); }

gboolean ks_store_admin_write_body (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, write_body, body_id, w, error); }
gboolean ks_store_admin_body_password_min_length (KsStore *self, gint64 body_id, guint *out, GError **error)
{ return KS_STORE_DISPATCH (self, admin, body_password_min_length, body_id, out, error); }
gboolean ks_store_admin_update_body (KsStore *self, gint64 body_id, int require_2fa, int password_min_length, GError **error)
{ return KS_STORE_DISPATCH (self, admin, update_body, body_id, require_2fa, password_min_length, error); }

gboolean ks_store_admin_dashboard_summary (KsStore *self, gint64 body_id, gint64 now, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_summary, body_id, now, w, error); }
gboolean ks_store_admin_dashboard_timeline (KsStore *self, gint64 body_id, gint64 now, guint days, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_timeline, body_id, now, days, w, error); }
gboolean ks_store_admin_dashboard_stats (KsStore *self, gint64 body_id, KsStatsBy by, gint64 from, gint64 to, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_stats, body_id, by, from, to, w, error); }
gboolean ks_store_admin_dashboard_export_csv (KsStore *self, gint64 body_id, gint64 from, gint64 to, GString *out, gint64 *out_rows, GError **error)
{ return KS_STORE_DISPATCH (self, admin, dashboard_export_csv, body_id, from, to, out, out_rows, error); }

gboolean ks_store_admin_list_audit (KsStore *self, gint64 body_id, const KsAuditQuery *query, KsJsonWriter *w, GError **error)
{ return KS_STORE_DISPATCH (self, admin, list_audit, body_id, query, w, error); }

/* ks-store-admin.h: the store's admin operations (see ks-store.h): categories,
 * priorities, templates, staff accounts, roles, council settings, the dashboard
 * and the audit log.
 *
 * Council scoping is the caller's job: these operations take the council
 * (body_id) they work on, and report which council an object belongs to with
 * ks_store_admin_object_body(). A body_id of 0 in a list means every council
 * (platform operators). Writes run inside the caller's write transaction. */
#pragma once

#include <glib-object.h>
#include "auth/ks-principal.h"
#include "ks-json-writer.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

typedef enum {
  KS_ADMIN_OBJECT_BODY,
  KS_ADMIN_OBJECT_CATEGORY,
  KS_ADMIN_OBJECT_PRIORITY,
  KS_ADMIN_OBJECT_TEMPLATE,
  KS_ADMIN_OBJECT_ROLE,
  KS_ADMIN_OBJECT_USER,
} KsAdminObject;

/* Fields of a category to create or change. NULL strings and -1 flags leave a
 * field alone (a create needs code and name). */
typedef struct {
  const char *code;
  const char *name;
  const char *groups;         /* '|'-separated group names */
  const char *description;
  gboolean    set_destination;
  const char *destination;    /* NULL clears it when set_destination */
  const char *extra;          /* JSON array of questions, already validated */
  int         active;         /* -1: leave */
  int         is_private;     /* -1: leave */
} KsCategoryInput;

typedef struct {
  const char *name;
  const char *description;
  gboolean    set_response_hours;
  gint64      response_hours; /* < 0: none */
  gboolean    set_position;
  gint64      position;
  int         active;         /* -1: leave */
  GArray     *category_ids;   /* gint64; NULL: leave */
} KsPriorityInput;

typedef struct {
  const char *title;
  const char *text;
  gboolean    set_state;
  const char *state;          /* NULL: none, when set_state */
  gboolean    set_position;
  gint64      position;
  GArray     *category_ids;   /* gint64; NULL: leave */
} KsTemplateInput;

typedef struct {
  const char      *email;          /* create only */
  const char      *name;
  const char      *password_hash;  /* NULL: leave (create: no password) */
  int              active;         /* -1: leave */
  gboolean         clear_two_factor;
  GArray          *role_ids;       /* gint64; NULL: leave */
  gboolean         set_permissions;
  KsPermissionSet  permissions;    /* single permissions besides the roles' */
} KsStaffInput;

typedef struct {
  gint64    id;
  gint64    body_id;     /* 0 for platform operators */
  char     *email;
  char     *name;
  gboolean  active;
  gboolean  is_superuser;
} KsStaffInfo;

void ks_staff_info_clear (KsStaffInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsStaffInfo, ks_staff_info_clear)

typedef struct {
  gint64           id;
  gint64           body_id;
  char            *name;
  gboolean         is_default;
  KsPermissionSet  permissions;
} KsRoleInfo;

void ks_role_info_clear (KsRoleInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsRoleInfo, ks_role_info_clear)

typedef struct {
  gint64       after_id;     /* cursor: ids greater than this */
  guint        limit;
  const char  *search;       /* in name or email, case-insensitive; NULL: all */
  int          active;       /* -1: all */
} KsStaffQuery;

typedef struct {
  gint64       cursor_at;    /* 0: from the newest */
  gint64       cursor_id;
  guint        limit;
  gint64       user_id;      /* 0: anyone */
  const char  *object_type;  /* NULL: any */
  gint64       object_id;    /* 0: any */
} KsAuditQuery;

typedef enum {
  KS_STATS_BY_CATEGORY,
  KS_STATS_BY_STATE,
  KS_STATS_BY_WARD,
  KS_STATS_BY_PRIORITY,
} KsStatsBy;

typedef struct {
  /* Which council an object belongs to; KS_ERROR_NOT_FOUND when it does not
   * exist. Platform operators' accounts answer body 0. */
  gboolean (*object_body)       (KsStore *self, KsAdminObject kind, gint64 id,
                                 gint64 *out_body_id, GError **error);
  /* KS_ERROR_INVALID naming the first id that is not an object of this kind in
   * this council. */
  gboolean (*check_ids)         (KsStore *self, KsAdminObject kind, gint64 body_id,
                                 GArray *ids, GError **error);

  gboolean (*list_categories)   (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error);
  gboolean (*write_category)    (KsStore *self, gint64 id, KsJsonWriter *w, GError **error);
  gboolean (*create_category)   (KsStore *self, gint64 body_id, const KsCategoryInput *in,
                                 gint64 *out_id, GError **error);
  gboolean (*update_category)   (KsStore *self, gint64 id, const KsCategoryInput *in,
                                 GError **error);

  gboolean (*list_priorities)   (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error);
  gboolean (*write_priority)    (KsStore *self, gint64 id, KsJsonWriter *w, GError **error);
  gboolean (*create_priority)   (KsStore *self, gint64 body_id, const KsPriorityInput *in,
                                 gint64 *out_id, GError **error);
  gboolean (*update_priority)   (KsStore *self, gint64 id, const KsPriorityInput *in,
                                 GError **error);
  /* KS_ERROR_CONFLICT while reports use it. */
  gboolean (*delete_priority)   (KsStore *self, gint64 id, GError **error);

  /* category_id 0: all; else the templates of that category and those of none. */
  gboolean (*list_templates)    (KsStore *self, gint64 body_id, gint64 category_id,
                                 KsJsonWriter *w, GError **error);
  gboolean (*write_template)    (KsStore *self, gint64 id, KsJsonWriter *w, GError **error);
  gboolean (*create_template)   (KsStore *self, gint64 body_id, const KsTemplateInput *in,
                                 gint64 *out_id, GError **error);
  gboolean (*update_template)   (KsStore *self, gint64 id, const KsTemplateInput *in,
                                 GError **error);
  gboolean (*delete_template)   (KsStore *self, gint64 id, GError **error);

  /* Writes {"staff": [...], "next_cursor": ...}. */
  gboolean (*list_staff)        (KsStore *self, gint64 body_id, const KsStaffQuery *query,
                                 KsJsonWriter *w, GError **error);
  gboolean (*write_staff)       (KsStore *self, gint64 id, KsJsonWriter *w, GError **error);
  gboolean (*get_staff)         (KsStore *self, gint64 id, KsStaffInfo *out, GError **error);
  /* KS_ERROR_CONFLICT when the email address is taken. */
  gboolean (*create_staff)      (KsStore *self, gint64 body_id, const KsStaffInput *in,
                                 gint64 *out_id, GError **error);
  gboolean (*update_staff)      (KsStore *self, gint64 id, const KsStaffInput *in,
                                 GError **error);
  /* What a user may do: their roles' permissions and their single ones. */
  gboolean (*user_permissions)  (KsStore *self, gint64 user_id, KsPermissionSet *out,
                                 GError **error);

  gboolean (*list_roles)        (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error);
  gboolean (*write_role)        (KsStore *self, gint64 id, KsJsonWriter *w, GError **error);
  gboolean (*get_role)          (KsStore *self, gint64 id, KsRoleInfo *out, GError **error);
  /* KS_ERROR_CONFLICT when the council has a role of that name. */
  gboolean (*create_role)       (KsStore *self, gint64 body_id, const char *name,
                                 gboolean is_default, KsPermissionSet permissions,
                                 gint64 *out_id, GError **error);
  /* name NULL: leave; permissions NULL: leave. */
  gboolean (*update_role)       (KsStore *self, gint64 id, const char *name,
                                 const KsPermissionSet *permissions, GError **error);
  gboolean (*delete_role)       (KsStore *self, gint64 id, GError **error);
  gboolean (*ensure_default_roles) (KsStore *self, gint64 body_id, GError **error);

  gboolean (*write_body)        (KsStore *self, gint64 body_id, KsJsonWriter *w, GError **error);
  gboolean (*body_password_min_length) (KsStore *self, gint64 body_id, guint *out,
                                 GError **error);
  /* -1 leaves a setting alone. */
  gboolean (*update_body)       (KsStore *self, gint64 body_id, int require_2fa,
                                 int password_min_length, GError **error);

  gboolean (*dashboard_summary) (KsStore *self, gint64 body_id, gint64 now,
                                 KsJsonWriter *w, GError **error);
  gboolean (*dashboard_timeline) (KsStore *self, gint64 body_id, gint64 now, guint days,
                                 KsJsonWriter *w, GError **error);
  /* from/to: creation times, 0 for open-ended. */
  gboolean (*dashboard_stats)   (KsStore *self, gint64 body_id, KsStatsBy by,
                                 gint64 from, gint64 to, KsJsonWriter *w, GError **error);
  /* Appends CSV (header and one line per report) to out. */
  gboolean (*dashboard_export_csv) (KsStore *self, gint64 body_id, gint64 from, gint64 to,
                                 GString *out, gint64 *out_rows, GError **error);

  /* Writes {"entries": [...], "next_cursor": ...}, newest first. */
  gboolean (*list_audit)        (KsStore *self, gint64 body_id, const KsAuditQuery *query,
                                 KsJsonWriter *w, GError **error);
} KsStoreAdminVTable;

gboolean ks_store_admin_object_body     (KsStore *self, KsAdminObject kind, gint64 id,
                                         gint64 *out_body_id, GError **error);
gboolean ks_store_admin_check_ids       (KsStore *self, KsAdminObject kind, gint64 body_id,
                                         GArray *ids, GError **error);

gboolean ks_store_admin_list_categories (KsStore *self, gint64 body_id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_write_category  (KsStore *self, gint64 id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_create_category (KsStore *self, gint64 body_id,
                                         const KsCategoryInput *in, gint64 *out_id,
                                         GError **error);
gboolean ks_store_admin_update_category (KsStore *self, gint64 id, const KsCategoryInput *in,
                                         GError **error);

gboolean ks_store_admin_list_priorities (KsStore *self, gint64 body_id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_write_priority  (KsStore *self, gint64 id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_create_priority (KsStore *self, gint64 body_id,
                                         const KsPriorityInput *in, gint64 *out_id,
                                         GError **error);
gboolean ks_store_admin_update_priority (KsStore *self, gint64 id, const KsPriorityInput *in,
                                         GError **error);
gboolean ks_store_admin_delete_priority (KsStore *self, gint64 id, GError **error);

gboolean ks_store_admin_list_templates  (KsStore *self, gint64 body_id, gint64 category_id,
                                         KsJsonWriter *w, GError **error);
gboolean ks_store_admin_write_template  (KsStore *self, gint64 id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_create_template (KsStore *self, gint64 body_id,
                                         const KsTemplateInput *in, gint64 *out_id,
                                         GError **error);
gboolean ks_store_admin_update_template (KsStore *self, gint64 id, const KsTemplateInput *in,
                                         GError **error);
gboolean ks_store_admin_delete_template (KsStore *self, gint64 id, GError **error);

gboolean ks_store_admin_list_staff      (KsStore *self, gint64 body_id,
                                         const KsStaffQuery *query, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_write_staff     (KsStore *self, gint64 id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_get_staff       (KsStore *self, gint64 id, KsStaffInfo *out,
                                         GError **error);
gboolean ks_store_admin_create_staff    (KsStore *self, gint64 body_id, const KsStaffInput *in,
                                         gint64 *out_id, GError **error);
gboolean ks_store_admin_update_staff    (KsStore *self, gint64 id, const KsStaffInput *in,
                                         GError **error);
gboolean ks_store_admin_user_permissions (KsStore *self, gint64 user_id, KsPermissionSet *out,
                                         GError **error);

gboolean ks_store_admin_list_roles      (KsStore *self, gint64 body_id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_write_role      (KsStore *self, gint64 id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_get_role        (KsStore *self, gint64 id, KsRoleInfo *out,
                                         GError **error);
gboolean ks_store_admin_create_role     (KsStore *self, gint64 body_id, const char *name,
                                         gboolean is_default, KsPermissionSet permissions,
                                         gint64 *out_id, GError **error);
gboolean ks_store_admin_update_role     (KsStore *self, gint64 id, const char *name,
                                         const KsPermissionSet *permissions, GError **error);
gboolean ks_store_admin_delete_role     (KsStore *self, gint64 id, GError **error);
/* Creates the four default roles of a council with exactly
 * ks_default_role_permissions(), or puts them right; idempotent. Runs in a
 * savepoint, so it may be called inside or outside a transaction. */
gboolean ks_store_admin_ensure_default_roles (KsStore *self, gint64 body_id, GError **error);

gboolean ks_store_admin_write_body      (KsStore *self, gint64 body_id, KsJsonWriter *w,
                                         GError **error);
gboolean ks_store_admin_body_password_min_length (KsStore *self, gint64 body_id, guint *out,
                                         GError **error);
gboolean ks_store_admin_update_body     (KsStore *self, gint64 body_id, int require_2fa,
                                         int password_min_length, GError **error);

gboolean ks_store_admin_dashboard_summary  (KsStore *self, gint64 body_id, gint64 now,
                                            KsJsonWriter *w, GError **error);
gboolean ks_store_admin_dashboard_timeline (KsStore *self, gint64 body_id, gint64 now,
                                            guint days, KsJsonWriter *w, GError **error);
gboolean ks_store_admin_dashboard_stats    (KsStore *self, gint64 body_id, KsStatsBy by,
                                            gint64 from, gint64 to, KsJsonWriter *w,
                                            GError **error);
gboolean ks_store_admin_dashboard_export_csv (KsStore *self, gint64 body_id, gint64 from,
                                              gint64 to, GString *out, gint64 *out_rows,
                                              GError **error);

gboolean ks_store_admin_list_audit      (KsStore *self, gint64 body_id,
                                         const KsAuditQuery *query, KsJsonWriter *w,
                                         GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-admin.h: the store's admin operations (see ks-store.h): the admin
 * kinds (categories, priorities, templates, staff accounts, roles: one generic
 * list/get/create/update/delete over their descriptions in ks-admin-kind.h),
 * council settings, the dashboard and the audit log.
 *
 * Council scoping is the caller's job: these operations take the council
 * (body_id) they work on, and report which council an object belongs to with
 * ks_store_admin_object_body(). A body_id of 0 in a list means every council
 * (platform operators). Writes run inside the caller's write transaction. */
#pragma once

#include <glib-object.h>
#include "auth/ks-principal.h"
#include "ks-json-writer.h"
#include "store/ks-admin-kind.h"
#include "store/ks-admin-rows.h"
#include "store/ks-response-times.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

typedef struct {
  gint64       cursor_at;    /* 0: from the newest */
  gint64       cursor_id;
  guint        limit;
  gint64       user_id;      /* 0: anyone */
  const char  *object_type;  /* NULL: any */
  gint64       object_id;    /* 0: any */
} KsAuditQuery;

typedef struct {
  /* Which council an object belongs to; KS_ERROR_NOT_FOUND when it does not
   * exist. Platform operators' accounts answer body 0. */
  gboolean (*object_body)       (KsStore *self, KsAdminObject kind, gint64 id,
                                 gint64 *out_body_id, GError **error);
  /* KS_ERROR_INVALID naming the first id that is not an object of this kind in
   * this council. */
  gboolean (*check_ids)         (KsStore *self, KsAdminObject kind, gint64 body_id,
                                 GArray *ids, GError **error);

  /* The objects of a kind in a council (0: all), in the kind's order; with a
   * query limit, *out_more says whether more follow. */
  gboolean (*list)              (KsStore *self, KsAdminObject kind, gint64 body_id,
                                 const KsAdminQuery *query, GArray *rows,
                                 gboolean *out_more, GError **error);
  /* One object (KS_ERROR_NOT_FOUND when there is none); out is initialised. */
  gboolean (*get)               (KsStore *self, KsAdminObject kind, gint64 id,
                                 KsAdminRow *out, GError **error);
  /* KS_ERROR_CONFLICT when a unique field's value is taken. */
  gboolean (*create)            (KsStore *self, KsAdminObject kind, gint64 body_id,
                                 const KsAdminRow *in, gint64 *out_id, GError **error);
  gboolean (*update)            (KsStore *self, KsAdminObject kind, gint64 id,
                                 const KsAdminRow *in, GError **error);
  /* KS_ERROR_CONFLICT while other objects use it. */
  gboolean (*remove)            (KsStore *self, KsAdminObject kind, gint64 id, GError **error);
  /* What a user may do: their roles' permissions and their single ones. */
  gboolean (*user_permissions)  (KsStore *self, gint64 user_id, KsPermissionSet *out,
                                 GError **error);
  gboolean (*ensure_default_roles) (KsStore *self, gint64 body_id, GError **error);
  /* Who sees the reports of a category may have changed (a category restricted
   * to its assigned staff, or an assignment): gives the reports of category_id
   * (0: of every restricted category of body_id) new sync sequence numbers and
   * tombstones, so every app fetches again those it sees and drops the others. */
  gboolean (*category_visibility_changed) (KsStore *self, gint64 body_id, gint64 category_id,
                                 GError **error);

  gboolean (*get_body)          (KsStore *self, gint64 body_id, KsBodyRow *out, GError **error);
  gboolean (*body_password_min_length) (KsStore *self, gint64 body_id, guint *out,
                                 GError **error);
  /* -1 leaves a setting alone. */
  gboolean (*update_body)       (KsStore *self, gint64 body_id, int require_2fa,
                                 int password_min_length, GError **error);

  gboolean (*dashboard_summary) (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 now,
                                 KsDashboardSummary *out, GError **error);
  gboolean (*dashboard_timeline) (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 now, guint days,
                                 KsDashboardTimeline *out, GError **error);
  /* from/to: creation times, 0 for open-ended. */
  gboolean (*dashboard_stats)   (KsStore *self, const KsPrincipal *who, gint64 body_id, KsStatsBy by,
                                 gint64 from, gint64 to, KsDashboardStats *out, GError **error);
  /* Appends CSV (header and one line per report) to out. */
  gboolean (*dashboard_export_csv) (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 from, gint64 to,
                                 GString *out, gint64 *out_rows, GError **error);

  /* The reports ks_store_response_times counts (ks-response-times.h), in no
   * particular order (ks-*-store-response.c). */
  gboolean (*response_rows)     (KsStore *self, const KsPrincipal *who, gint64 body_id,
                                 gint64 from, gint64 to, KsResponseRowFunc func,
                                 gpointer user_data, GError **error);

  /* Adds a page of entries (KsAuditEntry *), newest first, to out; *out_more
   * says whether more follow. */
  gboolean (*list_audit)        (KsStore *self, gint64 body_id, const KsAuditQuery *query,
                                 GPtrArray *out, gboolean *out_more, GError **error);
} KsStoreAdminVTable;

gboolean ks_store_admin_object_body     (KsStore *self, KsAdminObject kind, gint64 id,
                                         gint64 *out_body_id, GError **error);
gboolean ks_store_admin_check_ids       (KsStore *self, KsAdminObject kind, gint64 body_id,
                                         GArray *ids, GError **error);

gboolean ks_store_admin_list   (KsStore *self, KsAdminObject kind, gint64 body_id,
                                const KsAdminQuery *query, GArray *rows, gboolean *out_more,
                                GError **error);
gboolean ks_store_admin_get    (KsStore *self, KsAdminObject kind, gint64 id, KsAdminRow *out,
                                GError **error);
gboolean ks_store_admin_create (KsStore *self, KsAdminObject kind, gint64 body_id,
                                const KsAdminRow *in, gint64 *out_id, GError **error);
gboolean ks_store_admin_update (KsStore *self, KsAdminObject kind, gint64 id,
                                const KsAdminRow *in, GError **error);
gboolean ks_store_admin_remove (KsStore *self, KsAdminObject kind, gint64 id, GError **error);
gboolean ks_store_admin_user_permissions (KsStore *self, gint64 user_id, KsPermissionSet *out,
                                         GError **error);

/* Creates the four default roles of a council with exactly
 * ks_default_role_permissions(), or puts them right; idempotent. Runs in a
 * savepoint, so it may be called inside or outside a transaction. */
gboolean ks_store_admin_ensure_default_roles (KsStore *self, gint64 body_id, GError **error);

gboolean ks_store_admin_get_body        (KsStore *self, gint64 body_id, KsBodyRow *out,
                                         GError **error);
gboolean ks_store_admin_body_password_min_length (KsStore *self, gint64 body_id, guint *out,
                                         GError **error);
gboolean ks_store_admin_update_body     (KsStore *self, gint64 body_id, int require_2fa,
                                         int password_min_length, GError **error);

gboolean ks_store_admin_category_visibility_changed (KsStore *self, gint64 body_id,
                                                     gint64 category_id, GError **error);
gboolean ks_store_admin_dashboard_summary  (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 now,
                                            KsDashboardSummary *out, GError **error);
gboolean ks_store_admin_dashboard_timeline (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 now,
                                            guint days, KsDashboardTimeline *out,
                                            GError **error);
gboolean ks_store_admin_dashboard_stats    (KsStore *self, const KsPrincipal *who, gint64 body_id, KsStatsBy by,
                                            gint64 from, gint64 to, KsDashboardStats *out,
                                            GError **error);
gboolean ks_store_admin_dashboard_export_csv (KsStore *self, const KsPrincipal *who, gint64 body_id, gint64 from,
                                              gint64 to, GString *out, gint64 *out_rows,
                                              GError **error);

gboolean ks_store_admin_list_audit      (KsStore *self, gint64 body_id,
                                         const KsAuditQuery *query, GPtrArray *out,
                                         gboolean *out_more, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-permissions.h: the staff permissions and the default roles that grant them.
 * The default roles table is the product's specification (docs/permissions.md). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KS_PERM_VIEW_ALL_REPORTS,
  KS_PERM_VIEW_REPORT,
  KS_PERM_ACKNOWLEDGE_REPORT,
  KS_PERM_UPDATE_REPORT,
  KS_PERM_CREATE_REPORT_ON_BEHALF,
  KS_PERM_PRIORITISE_REPORT,
  KS_PERM_MODERATE_REPORT,
  KS_PERM_HIDE_REPORT,
  KS_PERM_UPDATE_STATUS,
  KS_PERM_REQUEST_MORE_INFO,
  KS_PERM_USE_TEMPLATES,
  KS_PERM_EDIT_TEMPLATES,
  KS_PERM_SHORTLIST,
  KS_PERM_VIEW_OFFLINE,
  KS_PERM_MANAGE_STAFF,
  KS_PERM_EDIT_CATEGORIES,
  KS_PERM_VIEW_DASHBOARD,
  KS_PERM_EDIT_PRIORITIES,
  KS_N_PERMISSIONS
} KsPermission;

/* A set of permissions as a bit mask: bit N is KsPermission N. */
typedef guint32 KsPermissionSet;

#define KS_PERMISSION_SET_HAS(set, perm) ((((set) >> (perm)) & 1u) != 0)
#define KS_PERMISSION_SET_ALL ((KsPermissionSet) ((1u << KS_N_PERMISSIONS) - 1))

typedef enum {
  KS_ROLE_CUSTOMER_SERVICES,
  KS_ROLE_INSPECTORS,
  KS_ROLE_INTERNAL_MAINTENANCE,
  KS_ROLE_ADMINISTRATORS,
  KS_N_DEFAULT_ROLES
} KsDefaultRole;

const char      *ks_permission_id              (KsPermission perm);
const char      *ks_permission_label           (KsPermission perm);
gboolean         ks_permission_from_id         (const char *id, KsPermission *out_perm);

const char      *ks_default_role_name          (KsDefaultRole role);
KsPermissionSet  ks_default_role_permissions   (KsDefaultRole role);

G_END_DECLS

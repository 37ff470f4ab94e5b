/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-permissions.c: permission identifiers and the default roles table. */
#include "ks-permissions.h"

#include <string.h>

static const struct {
  const char *id;
  const char *label;
} permissions[KS_N_PERMISSIONS] = {
  { "view_all_reports",        "View all reports across the council area" },
  { "view_report",             "View a single report" },
  { "acknowledge_report",      "Acknowledge a report" },
  { "update_report",           "Provide an update on a report" },
  { "create_report_on_behalf", "Create reports on another user's behalf" },
  { "prioritise_report",       "Prioritise a report" },
  { "moderate_report",         "Moderate a report" },
  { "hide_report",             "Hide a report" },
  { "update_status",           "Update a report's status" },
  { "request_more_info",       "Ask for more information" },
  { "use_templates",           "Use template responses" },
  { "edit_templates",          "Create template responses" },
  { "shortlist",               "Make a shortlist" },
  { "view_offline",            "View reports offline" },
  { "manage_staff",            "Manage staff accounts" },
  { "edit_categories",         "Set categories" },
  { "view_dashboard",          "Access dashboard: summary, timeline, stats" },
  { "edit_priorities",         "Set priority parameters" },
};

/* The default roles, column by column, in permission order:
 * Customer Services, Inspectors, Internal maintenance, Administrators. */
static const char default_roles_table[KS_N_PERMISSIONS][KS_N_DEFAULT_ROLES + 1] = {
  /* view_all_reports        */ "YYYY",
  /* view_report             */ "YYYY",
  /* acknowledge_report      */ "YYYY",
  /* update_report           */ "NYYY",
  /* create_report_on_behalf */ "YYNY",
  /* prioritise_report       */ "NYYY",
  /* moderate_report         */ "YNNY",
  /* hide_report             */ "YNNY",
  /* update_status           */ "NYYY",
  /* request_more_info       */ "NYYY",
  /* use_templates           */ "NYYY",
  /* edit_templates          */ "NNNY",
  /* shortlist               */ "NYYY",
  /* view_offline            */ "NYYY",
  /* manage_staff            */ "NNNY",
  /* edit_categories         */ "NNNY",
  /* view_dashboard          */ "YYYY",
  /* edit_priorities         */ "NNNY",
};

static const char *default_role_names[KS_N_DEFAULT_ROLES] = {
  "Customer Services",
  "Inspectors",
  "Internal maintenance",
  "Administrators",
};

const char *
ks_permission_id (KsPermission perm)
{
  g_return_val_if_fail (perm < KS_N_PERMISSIONS, NULL);
  return permissions[perm].id;
}

const char *
ks_permission_label (KsPermission perm)
{
  g_return_val_if_fail (perm < KS_N_PERMISSIONS, NULL);
  return permissions[perm].label;
}

gboolean
ks_permission_from_id (const char   *id,
                       KsPermission *out_perm)
{
  if (id == NULL)
    return FALSE;
  for (guint i = 0; i < KS_N_PERMISSIONS; i++)
    if (strcmp (permissions[i].id, id) == 0)
      {
        if (out_perm)
          *out_perm = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ks_default_role_name (KsDefaultRole role)
{
  g_return_val_if_fail (role < KS_N_DEFAULT_ROLES, NULL);
  return default_role_names[role];
}

KsPermissionSet
ks_default_role_permissions (KsDefaultRole role)
{
  KsPermissionSet set = 0;

  g_return_val_if_fail (role < KS_N_DEFAULT_ROLES, 0);
  for (guint p = 0; p < KS_N_PERMISSIONS; p++)
    if (default_roles_table[p][role] == 'Y')
      set |= 1u << p;
  return set;
}

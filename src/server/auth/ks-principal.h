/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-principal.h: who is asking: the signed-in staff member, resolved from their session. */
#pragma once

#include <glib.h>
#include "ks-permissions.h"

G_BEGIN_DECLS

typedef struct {
  gint64           user_id;
  gint64           body_id;      /* 0 for platform operators (superusers) */
  gint64           session_id;
  gint64           session_created; /* when the session began (Unix seconds) */
  gint64           session_expires; /* its idle expiry, as resolved (moved forward on use) */
  gint64           session_last_used; /* when its idle expiry was last moved forward */
  gboolean         is_superuser;
  KsPermissionSet  perms;
  char            *email;
  char            *name;
  char            *address;      /* client address, for the audit log */
  gboolean         needs_2fa_setup; /* 2FA is required of this user and not set up yet */
  /* gint64 ids, ascending: the council's categories restricted to their assigned
   * staff that this person is not assigned (NULL: none). */
  GArray          *hidden_categories;
} KsPrincipal;

/* The server itself (its housekeeping): every council, every permission, no
 * session and nothing to free. */
#define KS_PRINCIPAL_SYSTEM_INIT \
  { .user_id = -1, .is_superuser = TRUE, .perms = KS_PERMISSION_SET_ALL }

void     ks_principal_clear (KsPrincipal *principal);
gboolean ks_principal_can   (const KsPrincipal *principal, KsPermission perm);
/* TRUE when the principal may see data of this council. */
gboolean ks_principal_in_body (const KsPrincipal *principal, gint64 body_id);
/* TRUE when the principal sees every report of its council, whatever the
 * categories restricted to their assigned staff: platform operators and those
 * who may set categories or manage staff (they make the restriction). */
gboolean ks_principal_sees_all_categories (const KsPrincipal *principal);
/* TRUE when the principal may see reports of this category (of a council it
 * is in). */
gboolean ks_principal_sees_category (const KsPrincipal *principal, gint64 category_id);
/* TRUE when the principal may see this report: its council and its category. */
gboolean ks_principal_sees_report (const KsPrincipal *principal, gint64 body_id,
                                   gint64 category_id);
/* The hidden categories as a list literal for a statement parameter: "[1,2]"
 * (open '[', close ']': SQLite's json_each) or "{1,2}" (PostgreSQL's arrays). */
char    *ks_principal_hidden_list (const KsPrincipal *principal, char open, char close);

G_END_DECLS

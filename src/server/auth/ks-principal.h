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
  gboolean         is_superuser;
  KsPermissionSet  perms;
  char            *email;
  char            *name;
  char            *address;      /* client address, for the audit log */
  gboolean         needs_2fa_setup; /* 2FA is required of this user and not set up yet */
} KsPrincipal;

void     ks_principal_clear (KsPrincipal *principal);
gboolean ks_principal_can   (const KsPrincipal *principal, KsPermission perm);
/* TRUE when the principal may see data of this council. */
gboolean ks_principal_in_body (const KsPrincipal *principal, gint64 body_id);

G_END_DECLS

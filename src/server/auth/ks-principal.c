/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-principal.c: the signed-in staff member of a request. */
#include "auth/ks-principal.h"

void
ks_principal_clear (KsPrincipal *principal)
{
  g_clear_pointer (&principal->email, g_free);
  g_clear_pointer (&principal->name, g_free);
  g_clear_pointer (&principal->address, g_free);
  principal->user_id = principal->body_id = principal->session_id = 0;
  principal->perms = 0;
  principal->is_superuser = FALSE;
  principal->needs_2fa_setup = FALSE;
}

gboolean
ks_principal_can (const KsPrincipal *principal,
                  KsPermission       perm)
{
  return principal != NULL && principal->user_id != 0 &&
         (principal->is_superuser || KS_PERMISSION_SET_HAS (principal->perms, perm));
}

gboolean
ks_principal_in_body (const KsPrincipal *principal,
                      gint64             body_id)
{
  return principal != NULL && principal->user_id != 0 &&
         (principal->is_superuser || principal->body_id == body_id);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-principal.c: the signed-in staff member of a request. */
#include "auth/ks-principal.h"

void
ks_principal_clear (KsPrincipal *principal)
{
  g_clear_pointer (&principal->email, g_free);
  g_clear_pointer (&principal->name, g_free);
  g_clear_pointer (&principal->address, g_free);
  g_clear_pointer (&principal->hidden_categories, g_array_unref);
  principal->user_id = principal->body_id = principal->session_id = 0;
  principal->session_created = principal->session_expires = principal->session_last_used = 0;
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

gboolean
ks_principal_sees_all_categories (const KsPrincipal *principal)
{
  return principal->is_superuser ||
         KS_PERMISSION_SET_HAS (principal->perms, KS_PERM_EDIT_CATEGORIES) ||
         KS_PERMISSION_SET_HAS (principal->perms, KS_PERM_MANAGE_STAFF);
}

gboolean
ks_principal_sees_category (const KsPrincipal *principal,
                            gint64             category_id)
{
  GArray *hidden = principal->hidden_categories;

  for (guint i = 0; hidden != NULL && i < hidden->len; i++)
    if (g_array_index (hidden, gint64, i) == category_id)
      return FALSE;
  return TRUE;
}

gboolean
ks_principal_sees_report (const KsPrincipal *principal,
                          gint64             body_id,
                          gint64             category_id)
{
  return ks_principal_in_body (principal, body_id) &&
         ks_principal_sees_category (principal, category_id);
}

char *
ks_principal_hidden_list (const KsPrincipal *principal,
                          char               open,
                          char               close)
{
  GArray *hidden = principal->hidden_categories;
  GString *s = g_string_new (NULL);

  g_string_append_c (s, open);
  for (guint i = 0; hidden != NULL && i < hidden->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (hidden, gint64, i));
  g_string_append_c (s, close);
  return g_string_free (s, FALSE);
}

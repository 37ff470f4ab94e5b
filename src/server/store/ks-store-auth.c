/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-auth.c: dispatchers of the store's auth operations. */
#include "store/ks-store.h"

#include <string.h>
#include "auth/ks-principal-cache.h"
#include "auth/ks-token.h"
#include "ks-time.h"

void
ks_user_auth_clear (KsUserAuth *user)
{
  g_clear_pointer (&user->email, g_free);
  g_clear_pointer (&user->name, g_free);
  g_clear_pointer (&user->password_hash, g_free);
  if (user->totp_secret)
    memset (user->totp_secret, 0, strlen (user->totp_secret));
  g_clear_pointer (&user->totp_secret, g_free);
  g_clear_pointer (&user->body_name, g_free);
  g_clear_pointer (&user->body_area, g_free);
}

static void
role_ref_clear (gpointer data)
{
  KsRoleRef *role = data;
  g_clear_pointer (&role->name, g_free);
}

void
ks_me_clear (KsMe *me)
{
  g_clear_pointer (&me->email, g_free);
  g_clear_pointer (&me->name, g_free);
  g_clear_pointer (&me->phone, g_free);
  g_clear_pointer (&me->body_name, g_free);
  g_clear_pointer (&me->body_slug, g_free);
  g_clear_pointer (&me->body_area_name, g_free);
  g_clear_pointer (&me->roles, g_array_unref);
  memset (me, 0, sizeof *me);
}

/* A new empty array of KsRoleRef for KsMe.roles (its members freed with it). */
GArray *
ks_role_refs_new (void)
{
  GArray *roles = g_array_new (FALSE, TRUE, sizeof (KsRoleRef));
  g_array_set_clear_func (roles, role_ref_clear);
  return roles;
}

gboolean ks_store_auth_find_user_by_email (KsStore *self, const char *email, gboolean *found, KsUserAuth *out, GError **error)
{ return KS_STORE_DISPATCH (self, auth, find_user_by_email, email, found, out, error); }
gboolean ks_store_auth_set_password_hash (KsStore *self, gint64 user_id, const char *hash, GError **error)
{ return KS_STORE_DISPATCH (self, auth, set_password_hash, user_id, hash, error); }
gboolean ks_store_auth_count_failures (KsStore *self, const char *scope, const char *key, const char *address, gint64 since, int *out_count, gint64 *out_oldest, GError **error)
{ return KS_STORE_DISPATCH (self, auth, count_failures, scope, key, address, since, out_count, out_oldest, error); }
gboolean ks_store_auth_add_failure (KsStore *self, const char *scope, const char *key, const char *address, gint64 at, GError **error)
{ return KS_STORE_DISPATCH (self, auth, add_failure, scope, key, address, at, error); }
gboolean ks_store_auth_clear_failures (KsStore *self, const char *scope, const char *key, const char *address, GError **error)
{ return KS_STORE_DISPATCH (self, auth, clear_failures, scope, key, address, error); }
gboolean ks_store_auth_create_session (KsStore *self, gint64 user_id, const char *token_hash, gint64 expires, const char *address, const char *user_agent, gint64 *out_session_id, GError **error)
{ return KS_STORE_DISPATCH (self, auth, create_session, user_id, token_hash, expires, address, user_agent, out_session_id, error); }
gboolean
ks_store_auth_resolve_session (KsStore     *self,
                               const char  *token,
                               gint64       idle_seconds,
                               KsPrincipal *out,
                               GError     **error)
{
  g_clear_pointer (&out->hidden_categories, g_array_unref);
  if (!KS_STORE_DISPATCH (self, auth, resolve_session, token, idle_seconds, out, error))
    return FALSE;
  if (ks_principal_sees_all_categories (out) || out->body_id == 0)
    {
      g_clear_pointer (&out->hidden_categories, g_array_unref);
      return TRUE;
    }
  /* A store may read them with the session (PostgreSQL: one round trip). */
  if (out->hidden_categories == NULL &&
      !KS_STORE_DISPATCH (self, auth, hidden_categories, out->user_id, out->body_id,
                          &out->hidden_categories, error))
    return FALSE;
  if (out->hidden_categories->len == 0)
    g_clear_pointer (&out->hidden_categories, g_array_unref);
  return TRUE;
}

gboolean
ks_store_auth_epoch (KsStore *self, gint64 *out, GError **error)
{
  return KS_STORE_DISPATCH (self, auth, auth_epoch, out, error);
}

gboolean
ks_store_auth_resolve_session_cached (KsStore     *self,
                                      const char  *token,
                                      gint64       idle_seconds,
                                      KsPrincipal *out,
                                      GError     **error)
{
  KsPrincipalCache *cache = ks_store_get_principal_cache (self);
  g_autofree char *hash = NULL;
  gint64 epoch = 0, now;

  /* Not a token at all: the store says so as it always does. */
  if (token == NULL || *token == '\0' || strlen (token) > 128)
    return ks_store_auth_resolve_session (self, token, idle_seconds, out, error);
  /* Read before the principal: what is kept under an epoch is never older
   * than the epoch itself. */
  if (!ks_store_auth_epoch (self, &epoch, error))
    return FALSE;
  if (epoch < 0)
    return ks_store_auth_resolve_session (self, token, idle_seconds, out, error);
  hash = ks_token_hash (token);
  now = ks_time_now ();
  if (ks_principal_cache_get (cache, epoch, hash, now, out))
    {
      /* Move the idle expiry forward, at most once a minute per session, as
       * the store's resolve_session does. */
      if (now - out->session_last_used >= 60)
        {
          if (KS_STORE_DISPATCH (self, auth, touch_session, out->session_id, now,
                                 idle_seconds, NULL))
            {
              out->session_last_used = now;
              out->session_expires = now + idle_seconds;
              ks_principal_cache_touched (cache, hash, now, now + idle_seconds);
            }
          else
            g_debug ("Could not move session %" G_GINT64_FORMAT " forward", out->session_id);
        }
      return TRUE;
    }
  if (!ks_store_auth_resolve_session (self, token, idle_seconds, out, error))
    return FALSE;
  ks_principal_cache_put (cache, epoch, hash, out);
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

gboolean
ks_store_auth_assignment (KsStore *self,
                          gint64   user_id,
                          char  ***out_wards,
                          GArray **out_category_ids,
                          GError **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) wards = g_ptr_array_new ();

  if (!KS_STORE_DISPATCH (self, auth, assignment, user_id, &rows, out_category_ids, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      g_auto(GStrv) names = g_strsplit (g_ptr_array_index (rows, i), "|", -1);

      for (guint j = 0; names[j] != NULL; j++)
        if (*names[j] != '\0' && !g_hash_table_contains (seen, names[j]))
          {
            char *name = g_strdup (names[j]);
            g_hash_table_add (seen, name);
            g_ptr_array_add (wards, name);
          }
    }
  g_ptr_array_sort (wards, compare_names);
  g_ptr_array_add (wards, NULL);
  *out_wards = (char **) g_ptr_array_steal (wards, NULL);
  return TRUE;
}
gboolean ks_store_auth_revoke_session (KsStore *self, gint64 session_id, GError **error)
{ return KS_STORE_DISPATCH (self, auth, revoke_session, session_id, error); }
gboolean ks_store_auth_revoke_user_sessions (KsStore *self, gint64 user_id, gint64 except_session_id, GError **error)
{ return KS_STORE_DISPATCH (self, auth, revoke_user_sessions, user_id, except_session_id, error); }
gboolean ks_store_auth_get_me (KsStore *self, const KsPrincipal *who, KsMe *out, GError **error)
{ return KS_STORE_DISPATCH (self, auth, get_me, who, out, error); }
gboolean ks_store_auth_get_user (KsStore *self, gint64 user_id, gboolean *found, KsUserAuth *out, GError **error)
{ return KS_STORE_DISPATCH (self, auth, get_user, user_id, found, out, error); }
gboolean ks_store_auth_set_totp (KsStore *self, gint64 user_id, const char *secret, gboolean enabled, GError **error)
{ return KS_STORE_DISPATCH (self, auth, set_totp, user_id, secret, enabled, error); }
gboolean ks_store_auth_advance_totp_step (KsStore *self, gint64 user_id, gint64 step, gboolean *accepted, GError **error)
{ return KS_STORE_DISPATCH (self, auth, advance_totp_step, user_id, step, accepted, error); }
gboolean ks_store_auth_create_challenge (KsStore *self, gint64 user_id, const char *token_hash, const char *method, gint64 expires, GError **error)
{ return KS_STORE_DISPATCH (self, auth, create_challenge, user_id, token_hash, method, expires, error); }
gboolean ks_store_auth_find_challenge (KsStore *self, const char *token_hash, gboolean consume, gint64 *out_user_id, char **out_method, GError **error)
{ return KS_STORE_DISPATCH (self, auth, find_challenge, token_hash, consume, out_user_id, out_method, error); }
gboolean ks_store_auth_create_email_code (KsStore *self, gint64 user_id, const char *code_hash, const char *link_hash, gint64 expires, GError **error)
{ return KS_STORE_DISPATCH (self, auth, create_email_code, user_id, code_hash, link_hash, expires, error); }
gboolean ks_store_auth_take_email_code (KsStore *self, gint64 user_id, const char *code_hash, const char *link_hash, gint64 *out_user_id, GError **error)
{ return KS_STORE_DISPATCH (self, auth, take_email_code, user_id, code_hash, link_hash, out_user_id, error); }
gboolean ks_store_auth_grant_password_reset (KsStore *self, gint64 session_id, gint64 until, GError **error)
{ return KS_STORE_DISPATCH (self, auth, grant_password_reset, session_id, until, error); }
gboolean ks_store_auth_take_password_reset (KsStore *self, gint64 session_id, gboolean consume, gboolean *live, GError **error)
{ return KS_STORE_DISPATCH (self, auth, take_password_reset, session_id, consume, live, error); }
gboolean ks_store_auth_sessions (KsStore *self, gint64 user_id, KsSessionRowFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, auth, sessions, user_id, func, user_data, error); }
gboolean ks_store_auth_revoke_own_session (KsStore *self, gint64 user_id, gint64 session_id, gboolean *found, GError **error)
{ return KS_STORE_DISPATCH (self, auth, revoke_own_session, user_id, session_id, found, error); }
gboolean ks_store_auth_body_names (KsStore *self, gint64 body_id, char **out_name, char **out_area, GError **error)
{ return KS_STORE_DISPATCH (self, auth, body_names, body_id, out_name, out_area, error); }
gboolean ks_store_auth_replace_recovery_codes (KsStore *self, gint64 user_id, const char *const *hashes, guint n, GError **error)
{ return KS_STORE_DISPATCH (self, auth, replace_recovery_codes, user_id, hashes, n, error); }
gboolean ks_store_auth_unused_recovery_codes (KsStore *self, gint64 user_id, GArray **out_ids, GPtrArray **out_hashes, GError **error)
{ return KS_STORE_DISPATCH (self, auth, unused_recovery_codes, user_id, out_ids, out_hashes, error); }
gboolean ks_store_auth_use_recovery_code (KsStore *self, gint64 code_id, gint64 at, gboolean *used, GError **error)
{ return KS_STORE_DISPATCH (self, auth, use_recovery_code, code_id, at, used, error); }
gboolean ks_store_auth_count_recovery_codes (KsStore *self, gint64 user_id, gint64 *out_left, GError **error)
{ return KS_STORE_DISPATCH (self, auth, count_recovery_codes, user_id, out_left, error); }

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-principal-cache.c: sessions' principals kept in memory until the
 * authentication epoch moves. */
#include "auth/ks-principal-cache.h"

struct _KsPrincipalCache
{
  GMutex      lock;
  gint64      epoch;     /* the newest epoch seen; what is kept was read under it */
  guint       max_entries;
  GHashTable *entries;   /* token hash (char *) -> KsPrincipal * (no address) */
};

static void
entry_free (gpointer data)
{
  KsPrincipal *p = data;

  ks_principal_clear (p);
  g_free (p);
}

/* dst must be cleared; its address is left alone. hidden_categories is never
 * changed once resolved, so it is shared. */
static void
copy_principal (KsPrincipal *dst, const KsPrincipal *src)
{
  dst->user_id = src->user_id;
  dst->body_id = src->body_id;
  dst->session_id = src->session_id;
  dst->session_created = src->session_created;
  dst->session_expires = src->session_expires;
  dst->session_last_used = src->session_last_used;
  dst->is_superuser = src->is_superuser;
  dst->perms = src->perms;
  dst->needs_2fa_setup = src->needs_2fa_setup;
  g_free (dst->email);
  dst->email = g_strdup (src->email);
  g_free (dst->name);
  dst->name = g_strdup (src->name);
  g_clear_pointer (&dst->hidden_categories, g_array_unref);
  if (src->hidden_categories != NULL)
    dst->hidden_categories = g_array_ref (src->hidden_categories);
}

KsPrincipalCache *
ks_principal_cache_new (guint max_entries)
{
  KsPrincipalCache *self = g_new0 (KsPrincipalCache, 1);

  g_mutex_init (&self->lock);
  self->max_entries = MAX (max_entries, 1);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  return self;
}

void
ks_principal_cache_free (KsPrincipalCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_destroy (self->entries);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* Called locked: moves to a newer epoch, dropping what was kept. */
static void
see_epoch (KsPrincipalCache *self, gint64 epoch)
{
  if (epoch > self->epoch)
    {
      g_hash_table_remove_all (self->entries);
      self->epoch = epoch;
    }
}

gboolean
ks_principal_cache_get (KsPrincipalCache *self,
                        gint64            epoch,
                        const char       *token_hash,
                        gint64            now,
                        KsPrincipal      *out)
{
  const KsPrincipal *kept;
  gboolean found = FALSE;

  g_mutex_lock (&self->lock);
  see_epoch (self, epoch);
  /* An idle expiry passed here may have been moved forward by another
   * instance: only the database can tell, so it is asked. */
  if (epoch == self->epoch &&
      (kept = g_hash_table_lookup (self->entries, token_hash)) != NULL &&
      kept->session_expires > now)
    {
      copy_principal (out, kept);
      found = TRUE;
    }
  g_mutex_unlock (&self->lock);
  return found;
}

void
ks_principal_cache_put (KsPrincipalCache  *self,
                        gint64             epoch,
                        const char        *token_hash,
                        const KsPrincipal *principal)
{
  KsPrincipal *kept;

  g_mutex_lock (&self->lock);
  see_epoch (self, epoch);
  if (epoch == self->epoch)
    {
      /* Full: start again rather than keep a list of ages (sessions signed
       * in at once are many fewer than this in any deployment). */
      if (g_hash_table_size (self->entries) >= self->max_entries)
        g_hash_table_remove_all (self->entries);
      kept = g_new0 (KsPrincipal, 1);
      copy_principal (kept, principal);
      g_hash_table_replace (self->entries, g_strdup (token_hash), kept);
    }
  g_mutex_unlock (&self->lock);
}

void
ks_principal_cache_touched (KsPrincipalCache *self,
                            const char       *token_hash,
                            gint64            last_used,
                            gint64            expires)
{
  KsPrincipal *kept;

  g_mutex_lock (&self->lock);
  kept = g_hash_table_lookup (self->entries, token_hash);
  if (kept != NULL && last_used > kept->session_last_used)
    {
      kept->session_last_used = last_used;
      kept->session_expires = expires;
    }
  g_mutex_unlock (&self->lock);
}

guint
ks_principal_cache_size (KsPrincipalCache *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->entries);
  g_mutex_unlock (&self->lock);
  return n;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store.c: the abstract storage interface's dispatchers. */
#define G_LOG_DOMAIN "ks-store"

#include "store/ks-store.h"
#include "auth/ks-principal-cache.h"

typedef struct {
  KsPrincipalCache *principals;
} KsStorePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KsStore, ks_store, G_TYPE_OBJECT)

/* Sessions signed in at once that are kept (more: the cache starts again). */
#define PRINCIPALS_KEPT 10000

static void
ks_store_finalize (GObject *object)
{
  KsStorePrivate *priv = ks_store_get_instance_private (KS_STORE (object));

  g_clear_pointer (&priv->principals, ks_principal_cache_free);
  G_OBJECT_CLASS (ks_store_parent_class)->finalize (object);
}

static void
ks_store_class_init (KsStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ks_store_finalize;
}

static void
ks_store_init (KsStore *self)
{
  KsStorePrivate *priv = ks_store_get_instance_private (self);

  priv->principals = ks_principal_cache_new (PRINCIPALS_KEPT);
}

KsPrincipalCache *
ks_store_get_principal_cache (KsStore *self)
{
  KsStorePrivate *priv = ks_store_get_instance_private (self);

  return priv->principals;
}

gboolean
ks_store_begin_write (KsStore *self, GError **error)
{
  return KS_STORE_GET_CLASS (self)->begin_write (self, error);
}

gboolean
ks_store_commit (KsStore *self, GError **error)
{
  return KS_STORE_GET_CLASS (self)->commit (self, error);
}

void
ks_store_rollback (KsStore *self)
{
  KS_STORE_GET_CLASS (self)->rollback (self);
}

gboolean
ks_store_savepoint (KsStore *self, KsSavepointOp op, GError **error)
{
  return KS_STORE_GET_CLASS (self)->savepoint (self, op, error);
}

gint64
ks_store_next_seq (KsStore *self, GError **error)
{
  return KS_STORE_GET_CLASS (self)->next_seq (self, error);
}

gint64
ks_store_current_seq (KsStore *self, GError **error)
{
  return KS_STORE_GET_CLASS (self)->current_seq (self, error);
}

gboolean
ks_store_audit (KsStore           *self,
                const KsPrincipal *who,
                gint64             body_id,
                const char        *action,
                const char        *object_type,
                gint64             object_id,
                const char        *details_json,
                GError           **error)
{
  return KS_STORE_GET_CLASS (self)->audit (self, who, body_id, action, object_type,
                                           object_id, details_json, error);
}

gboolean
ks_store_idempotency_lookup (KsStore *self, gint64 user_id, const char *key,
                             char **out_method, char **out_path,
                             char **out_request_hash,
                             guint *out_status, char **out_response,
                             GError **error)
{
  return KS_STORE_GET_CLASS (self)->idempotency_lookup (self, user_id, key, out_method,
                                                        out_path, out_request_hash,
                                                        out_status, out_response, error);
}

gboolean
ks_store_idempotency_store (KsStore *self, gint64 user_id, const char *key,
                            const char *method, const char *path,
                            const char *request_hash,
                            guint status, const char *response,
                            GError **error)
{
  return KS_STORE_GET_CLASS (self)->idempotency_store (self, user_id, key, method, path,
                                                       request_hash, status, response,
                                                       error);
}

gboolean
ks_store_housekeeping (KsStore *self, gint64 now, GError **error)
{
  return KS_STORE_GET_CLASS (self)->housekeeping (self, now, error);
}

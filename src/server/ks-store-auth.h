/* ks-store-auth.h: the store's accounts, sessions and sign-in throttling (see ks-store.h). */
#pragma once

#include <glib-object.h>
#include "ks-principal.h"
#include "ks-json-writer.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

typedef struct {
  gint64    id;
  gint64    body_id;
  char     *email;
  char     *name;
  char     *password_hash;
  gboolean  active;
  gboolean  is_superuser;
  gboolean  totp_enabled;
} KsUserAuth;

void ks_user_auth_clear (KsUserAuth *user);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsUserAuth, ks_user_auth_clear)

typedef struct {
  /* Fills *out and returns TRUE with *found set; the email match ignores case. */
  gboolean (*find_user_by_email) (KsStore *self, const char *email, gboolean *found,
                                  KsUserAuth *out, GError **error);
  gboolean (*set_password_hash)  (KsStore *self, gint64 user_id, const char *hash,
                                  GError **error);
  /* Failed sign-ins of scope ("account" or "address") and key since a time. */
  gboolean (*count_failures)     (KsStore *self, const char *scope, const char *key,
                                  gint64 since, int *out_count, gint64 *out_oldest,
                                  GError **error);
  gboolean (*add_failure)        (KsStore *self, const char *scope, const char *key,
                                  gint64 at, GError **error);
  gboolean (*clear_failures)     (KsStore *self, const char *scope, const char *key,
                                  GError **error);
  gboolean (*create_session)     (KsStore *self, gint64 user_id, const char *token_hash,
                                  gint64 expires, const char *address,
                                  const char *user_agent, gint64 *out_session_id,
                                  GError **error);
  /* Resolves a raw bearer token to its principal; KS_ERROR_UNAUTHORIZED when the
   * token is unknown, revoked or expired, or the account deactivated. Moves the
   * idle expiry forward. */
  gboolean (*resolve_session)    (KsStore *self, const char *token, gint64 idle_seconds,
                                  KsPrincipal *out, GError **error);
  gboolean (*revoke_session)     (KsStore *self, gint64 session_id, GError **error);
  gboolean (*revoke_user_sessions) (KsStore *self, gint64 user_id, gint64 except_session_id,
                                  GError **error);
  /* The /me answer: user, council, roles and permissions. */
  gboolean (*write_me)           (KsStore *self, const KsPrincipal *who, KsJsonWriter *w,
                                  GError **error);
} KsStoreAuthVTable;

gboolean ks_store_auth_find_user_by_email (KsStore *self, const char *email, gboolean *found,
                                           KsUserAuth *out, GError **error);
gboolean ks_store_auth_set_password_hash  (KsStore *self, gint64 user_id, const char *hash,
                                           GError **error);
gboolean ks_store_auth_count_failures     (KsStore *self, const char *scope, const char *key,
                                           gint64 since, int *out_count, gint64 *out_oldest,
                                           GError **error);
gboolean ks_store_auth_add_failure        (KsStore *self, const char *scope, const char *key,
                                           gint64 at, GError **error);
gboolean ks_store_auth_clear_failures     (KsStore *self, const char *scope, const char *key,
                                           GError **error);
gboolean ks_store_auth_create_session     (KsStore *self, gint64 user_id, const char *token_hash,
                                           gint64 expires, const char *address,
                                           const char *user_agent, gint64 *out_session_id,
                                           GError **error);
gboolean ks_store_auth_resolve_session    (KsStore *self, const char *token, gint64 idle_seconds,
                                           KsPrincipal *out, GError **error);
gboolean ks_store_auth_revoke_session     (KsStore *self, gint64 session_id, GError **error);
gboolean ks_store_auth_revoke_user_sessions (KsStore *self, gint64 user_id,
                                           gint64 except_session_id, GError **error);
gboolean ks_store_auth_write_me           (KsStore *self, const KsPrincipal *who,
                                           KsJsonWriter *w, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store.h: the storage interface of kerbside-server.
 *
 * KsStore is abstract: KsSqliteStore implements it today and a PostgreSQL store can
 * follow. Operations are grouped by domain; each domain declares its table of
 * virtual functions and its dispatchers in its own header (ks-store-*.h).
 *
 * Threading: the store is used from several worker threads at once; each thread
 * gets its own connection. A write request runs inside begin_write()/commit() on
 * its thread, so that everything it changes (the change, the sequence bump, the
 * audit entry, the idempotency record) lands together or not at all. */
#pragma once

#include <glib-object.h>
#include "ks-permissions.h"
#include "ks-json-writer.h"
#include "auth/ks-principal.h"

G_BEGIN_DECLS

#define KS_TYPE_STORE (ks_store_get_type ())
G_DECLARE_DERIVABLE_TYPE (KsStore, ks_store, KS, STORE, GObject)

typedef enum {
  KS_SAVEPOINT_BEGIN,   /* sets the savepoint */
  KS_SAVEPOINT_KEEP,    /* keeps what was done since, and sets it again (one round trip) */
  KS_SAVEPOINT_UNDO,    /* undoes what was done since; the savepoint stays set */
  KS_SAVEPOINT_END,     /* keeps what was done since, and removes the savepoint */
} KsSavepointOp;


G_END_DECLS

#include "store/ks-store-auth.h"
#include "store/ks-store-reports.h"
#include "store/ks-store-actions.h"
#include "store/ks-store-admin.h"
#include "store/ks-store-open311.h"
#include "store/ks-store-privacy.h"
#include "store/ks-store-duplicates.h"
#include "store/ks-store-photos.h"
#include "store/ks-store-lookup.h"
#include "store/ks-store-notices.h"
#include "store/ks-store-councils.h"
#include "store/ks-store-retention.h"
#include "store/ks-store-abuse.h"
#include "store/ks-store-sendings.h"
#include "store/ks-store-hidden-people.h"

G_BEGIN_DECLS

struct _KsStoreClass
{
  GObjectClass parent_class;

  gboolean (*begin_write)  (KsStore *self, GError **error);
  gboolean (*commit)       (KsStore *self, GError **error);
  void     (*rollback)     (KsStore *self);
  /* Bumps the server-wide change sequence (inside a write) and returns it. */
  gint64   (*next_seq)     (KsStore *self, GError **error);
  gint64   (*current_seq)  (KsStore *self, GError **error);
  gboolean (*audit)        (KsStore           *self,
                            const KsPrincipal *who,
                            gint64             body_id,
                            const char        *action,
                            const char        *object_type,
                            gint64             object_id,
                            const char        *details_json,
                            GError           **error);
  /* Idempotency: look up a stored answer for (user, key); *out_status 0 when
   * there is none. request_hash: the SHA-256 of the request it answered
   * (NULL for answers stored before it was kept). */
  gboolean (*idempotency_lookup) (KsStore *self, gint64 user_id, const char *key,
                                  char **out_method, char **out_path,
                                  char **out_request_hash,
                                  guint *out_status, char **out_response,
                                  GError **error);
  gboolean (*idempotency_store)  (KsStore *self, gint64 user_id, const char *key,
                                  const char *method, const char *path,
                                  const char *request_hash,
                                  guint status, const char *response,
                                  GError **error);

  /* Deletes what is only kept for a while: old idempotency answers, expired
   * sessions, challenges and codes, old sign-in failures. */
  gboolean (*housekeeping) (KsStore *self, gint64 now, GError **error);

  /* One savepoint inside a write, for steps that may each be undone alone (the
   * items of a bulk action): BEGIN, then KEEP or UNDO after each step, END. */
  gboolean (*savepoint)    (KsStore *self, KsSavepointOp op, GError **error);

  KsStoreAuthVTable    auth;
  KsStoreReportsVTable reports;
  KsStoreActionsVTable actions;
  KsStoreAdminVTable   admin;
  KsStoreOpen311VTable open311;
  KsStorePrivacyVTable privacy;
  KsStoreDuplicatesVTable duplicates;
  KsStorePhotosVTable  photos;
  KsStoreLookupVTable  lookup;
  KsStoreNoticesVTable notices;
  KsStoreCouncilsVTable councils;
  KsStoreRetentionVTable retention;
  KsStoreAbuseVTable   abuse;
  KsStoreSendingsVTable sendings;
  KsStoreHiddenPeopleVTable hidden_people;

  gpointer padding[8];
};

gboolean ks_store_begin_write (KsStore *self, GError **error);
gboolean ks_store_commit      (KsStore *self, GError **error);
void     ks_store_rollback    (KsStore *self);
gint64   ks_store_next_seq    (KsStore *self, GError **error);
gint64   ks_store_current_seq (KsStore *self, GError **error);
gboolean ks_store_audit       (KsStore           *self,
                               const KsPrincipal *who,
                               gint64             body_id,
                               const char        *action,
                               const char        *object_type,
                               gint64             object_id,
                               const char        *details_json,
                               GError           **error);
gboolean ks_store_housekeeping (KsStore *self, gint64 now, GError **error);
gboolean ks_store_savepoint   (KsStore *self, KsSavepointOp op, GError **error);
gboolean ks_store_idempotency_lookup (KsStore *self, gint64 user_id, const char *key,
                                      char **out_method, char **out_path,
                                      char **out_request_hash,
                                      guint *out_status, char **out_response,
                                      GError **error);
gboolean ks_store_idempotency_store  (KsStore *self, gint64 user_id, const char *key,
                                      const char *method, const char *path,
                                      const char *request_hash,
                                      guint status, const char *response,
                                      GError **error);

/* The principals of this database's sessions kept in memory (for
 * ks_store_auth_resolve_session_cached). */
typedef struct _KsPrincipalCache KsPrincipalCache;
KsPrincipalCache *ks_store_get_principal_cache (KsStore *self);

/* Dispatch helper for the domain headers: calls KS_STORE_GET_CLASS(self)->dom.fn */
#define KS_STORE_DISPATCH(self, dom, fn, ...) \
  (KS_STORE_GET_CLASS (self)->dom.fn (self, __VA_ARGS__))

G_END_DECLS

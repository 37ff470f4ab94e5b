/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-auth.h: the store's accounts, sessions and sign-in throttling (see ks-store.h). */
#pragma once

#include <glib-object.h>
#include "auth/ks-principal.h"
#include "ks-geo.h"

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
  char     *totp_secret;          /* base32; set (pending) before it is enabled */
  gint64    totp_last_step;       /* last accepted TOTP time step */
  gboolean  require_2fa;          /* the council requires it, or a superuser */
  guint     password_min_length;  /* the council's policy */
  char     *body_name;            /* the council's name and area (NULL for operators) */
  char     *body_area;
} KsUserAuth;

void ks_user_auth_clear (KsUserAuth *user);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsUserAuth, ks_user_auth_clear)

/* A live session of a user, borrowed for one callback. */
typedef struct {
  gint64      id;
  gint64      created;
  gint64      last_used;
  gint64      expires;
  const char *address;
  const char *user_agent;
  gboolean    revoked;      /* only in the person export (the list has live ones) */
} KsSessionRow;

typedef void (*KsSessionRowFunc) (const KsSessionRow *row, gpointer user_data);

typedef struct {
  gint64  id;
  char   *name;
} KsRoleRef;

/* What the /me answer tells of the caller's account and council. */
typedef struct {
  gint64    id;
  char     *email;
  char     *name;
  char     *phone;
  gboolean  is_superuser;
  gboolean  totp_enabled;
  gint64    last_login;
  gint64    password_reset_until;   /* the session's live grant, 0 when none */
  gint64    body_id;                /* 0: no council (the body members are empty) */
  char     *body_name;
  char     *body_slug;
  char     *body_area_name;
  gboolean  body_has_bbox;
  KsBBox    body_bbox;
  gboolean  body_require_2fa;
  gint64    body_password_min_length;
  GArray   *roles;                  /* KsRoleRef, by name */
} KsMe;

void    ks_me_clear       (KsMe *me);
GArray *ks_role_refs_new  (void);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsMe, ks_me_clear)

typedef struct {
  /* Fills *out and returns TRUE with *found set; the email match ignores case. */
  gboolean (*find_user_by_email) (KsStore *self, const char *email, gboolean *found,
                                  KsUserAuth *out, GError **error);
  gboolean (*set_password_hash)  (KsStore *self, gint64 user_id, const char *hash,
                                  GError **error);
  /* Failed sign-ins of scope ("account", "email-code", "address", ...) and key
   * since a time; address (nullable: from anywhere) narrows them to the client
   * address they came from. */
  gboolean (*count_failures)     (KsStore *self, const char *scope, const char *key,
                                  const char *address, gint64 since, int *out_count,
                                  gint64 *out_oldest, GError **error);
  gboolean (*add_failure)        (KsStore *self, const char *scope, const char *key,
                                  const char *address, gint64 at, GError **error);
  /* Forgets them (address NULL: from everywhere). */
  gboolean (*clear_failures)     (KsStore *self, const char *scope, const char *key,
                                  const char *address, GError **error);
  gboolean (*create_session)     (KsStore *self, gint64 user_id, const char *token_hash,
                                  gint64 expires, const char *address,
                                  const char *user_agent, gint64 *out_session_id,
                                  GError **error);
  /* Resolves a raw bearer token to its principal; KS_ERROR_UNAUTHORIZED when the
   * token is unknown, revoked or expired, or the account deactivated. Moves the
   * idle expiry forward. */
  gboolean (*resolve_session)    (KsStore *self, const char *token, gint64 idle_seconds,
                                  KsPrincipal *out, GError **error);
  /* The authentication epoch (auth_epoch): moved forward by every change
   * that can alter a session's principal, in the same transaction; -1 when
   * its row is missing (then nothing is kept). */
  gboolean (*auth_epoch)         (KsStore *self, gint64 *out, GError **error);
  /* Moves a session's idle expiry forward to now + idle_seconds (only
   * forward: another instance may have moved it meanwhile). */
  gboolean (*touch_session)      (KsStore *self, gint64 session_id, gint64 now,
                                  gint64 idle_seconds, GError **error);
  gboolean (*revoke_session)     (KsStore *self, gint64 session_id, GError **error);
  gboolean (*revoke_user_sessions) (KsStore *self, gint64 user_id, gint64 except_session_id,
                                  GError **error);
  gboolean (*get_user)           (KsStore *self, gint64 user_id, gboolean *found,
                                  KsUserAuth *out, GError **error);
  gboolean (*set_totp)           (KsStore *self, gint64 user_id, const char *secret,
                                  gboolean enabled, GError **error);
  /* Accepts step only if it is later than the last accepted one (*accepted). */
  gboolean (*advance_totp_step)  (KsStore *self, gint64 user_id, gint64 step,
                                  gboolean *accepted, GError **error);
  /* method: how the first factor was proven ("password" or "email"). */
  gboolean (*create_challenge)   (KsStore *self, gint64 user_id, const char *token_hash,
                                  const char *method, gint64 expires, GError **error);
  /* Finds a live challenge; consume marks it used. *out_user_id 0 when none;
   * *out_method (nullable) its method. */
  gboolean (*find_challenge)     (KsStore *self, const char *token_hash, gboolean consume,
                                  gint64 *out_user_id, char **out_method, GError **error);
  gboolean (*create_email_code)  (KsStore *self, gint64 user_id, const char *code_hash,
                                  const char *link_hash, gint64 expires, GError **error);
  /* Uses up a live code, found by (user, code) or by link; *out_user_id 0 when none. */
  gboolean (*take_email_code)    (KsStore *self, gint64 user_id, const char *code_hash,
                                  const char *link_hash, gint64 *out_user_id, GError **error);
  /* A session that proved every factor with an emailed code may set a new
   * password without the current one until `until`, once. */
  gboolean (*grant_password_reset) (KsStore *self, gint64 session_id, gint64 until,
                                  GError **error);
  /* *live: session_id holds a live grant; consume uses it up. */
  gboolean (*take_password_reset)  (KsStore *self, gint64 session_id, gboolean consume,
                                  gboolean *live, GError **error);
  /* The user's live sessions, last used first. */
  gboolean (*sessions)           (KsStore *self, gint64 user_id, KsSessionRowFunc func,
                                  gpointer user_data, GError **error);
  gboolean (*revoke_own_session) (KsStore *self, gint64 user_id, gint64 session_id,
                                  gboolean *found, GError **error);
  /* The council's name and area name (*out NULL when none), for the password policy. */
  gboolean (*body_names)         (KsStore *self, gint64 body_id, char **out_name,
                                  char **out_area, GError **error);
  /* The caller's account, council and roles (KS_ERROR_UNAUTHORIZED when the
   * account no longer exists). */
  gboolean (*get_me)             (KsStore *self, const KsPrincipal *who, KsMe *out,
                                  GError **error);
  /* Two-factor recovery codes. Replaces the user's codes by these bcrypt hashes
   * (n 0: removes them all). */
  gboolean (*replace_recovery_codes) (KsStore *self, gint64 user_id, const char *const *hashes,
                                  guint n, GError **error);
  /* The user's unused codes: *out_ids (gint64) and *out_hashes (char *), in step. */
  gboolean (*unused_recovery_codes) (KsStore *self, gint64 user_id, GArray **out_ids,
                                  GPtrArray **out_hashes, GError **error);
  /* Uses up one code (*used FALSE when it was used meanwhile). */
  gboolean (*use_recovery_code)  (KsStore *self, gint64 code_id, gint64 at, gboolean *used,
                                  GError **error);
  gboolean (*count_recovery_codes) (KsStore *self, gint64 user_id, gint64 *out_left,
                                  GError **error);
  /* What the user is assigned, their own and through their roles: each row's
   * '|'-separated ward names (char *, in *out_wards) and the category ids
   * (gint64, ascending, once each, in *out_category_ids). */
  gboolean (*assignment)         (KsStore *self, gint64 user_id, GPtrArray **out_wards,
                                  GArray **out_category_ids, GError **error);
  /* The categories of body_id restricted to their assigned staff that the user
   * is not assigned (gint64, ascending). */
  gboolean (*hidden_categories)  (KsStore *self, gint64 user_id, gint64 body_id,
                                  GArray **out, GError **error);
} KsStoreAuthVTable;

gboolean ks_store_auth_find_user_by_email (KsStore *self, const char *email, gboolean *found,
                                           KsUserAuth *out, GError **error);
gboolean ks_store_auth_set_password_hash  (KsStore *self, gint64 user_id, const char *hash,
                                           GError **error);
gboolean ks_store_auth_count_failures     (KsStore *self, const char *scope, const char *key,
                                           const char *address, gint64 since, int *out_count,
                                           gint64 *out_oldest, GError **error);
gboolean ks_store_auth_add_failure        (KsStore *self, const char *scope, const char *key,
                                           const char *address, gint64 at, GError **error);
gboolean ks_store_auth_clear_failures     (KsStore *self, const char *scope, const char *key,
                                           const char *address, GError **error);
gboolean ks_store_auth_create_session     (KsStore *self, gint64 user_id, const char *token_hash,
                                           gint64 expires, const char *address,
                                           const char *user_agent, gint64 *out_session_id,
                                           GError **error);
/* Also fills out->hidden_categories (see ks_principal_sees_all_categories):
 * with the store's hidden_categories unless its resolve_session already did
 * (a store's resolve_session may leave it NULL, or fill it, even empty). */
gboolean ks_store_auth_resolve_session    (KsStore *self, const char *token, gint64 idle_seconds,
                                           KsPrincipal *out, GError **error);
/* The same, for a request's bearer token outside any transaction: answered
 * from the principals kept in memory (ks-principal-cache.h) while the
 * database's authentication epoch has not moved and the session's idle expiry
 * is ahead, at the cost of reading the epoch; resolved afresh (and kept)
 * otherwise. The idle expiry is moved forward as ks_store_auth_resolve_session
 * does. */
gboolean ks_store_auth_resolve_session_cached (KsStore *self, const char *token,
                                           gint64 idle_seconds, KsPrincipal *out,
                                           GError **error);
gboolean ks_store_auth_epoch              (KsStore *self, gint64 *out, GError **error);
/* The wards (sorted, once each, in *out_wards) and categories (gint64,
 * ascending) the user is assigned, their own and through their roles. */
gboolean ks_store_auth_assignment         (KsStore *self, gint64 user_id, char ***out_wards,
                                           GArray **out_category_ids, GError **error);
gboolean ks_store_auth_revoke_session     (KsStore *self, gint64 session_id, GError **error);
gboolean ks_store_auth_revoke_user_sessions (KsStore *self, gint64 user_id,
                                           gint64 except_session_id, GError **error);
gboolean ks_store_auth_get_user           (KsStore *self, gint64 user_id, gboolean *found,
                                           KsUserAuth *out, GError **error);
gboolean ks_store_auth_set_totp           (KsStore *self, gint64 user_id, const char *secret,
                                           gboolean enabled, GError **error);
gboolean ks_store_auth_advance_totp_step  (KsStore *self, gint64 user_id, gint64 step,
                                           gboolean *accepted, GError **error);
gboolean ks_store_auth_create_challenge   (KsStore *self, gint64 user_id, const char *token_hash,
                                           const char *method, gint64 expires, GError **error);
gboolean ks_store_auth_find_challenge     (KsStore *self, const char *token_hash, gboolean consume,
                                           gint64 *out_user_id, char **out_method, GError **error);
gboolean ks_store_auth_create_email_code  (KsStore *self, gint64 user_id, const char *code_hash,
                                           const char *link_hash, gint64 expires, GError **error);
gboolean ks_store_auth_take_email_code    (KsStore *self, gint64 user_id, const char *code_hash,
                                           const char *link_hash, gint64 *out_user_id,
                                           GError **error);
gboolean ks_store_auth_grant_password_reset (KsStore *self, gint64 session_id, gint64 until,
                                           GError **error);
gboolean ks_store_auth_take_password_reset  (KsStore *self, gint64 session_id, gboolean consume,
                                           gboolean *live, GError **error);
gboolean ks_store_auth_sessions           (KsStore *self, gint64 user_id,
                                           KsSessionRowFunc func, gpointer user_data,
                                           GError **error);
gboolean ks_store_auth_revoke_own_session (KsStore *self, gint64 user_id, gint64 session_id,
                                           gboolean *found, GError **error);
gboolean ks_store_auth_body_names         (KsStore *self, gint64 body_id, char **out_name,
                                           char **out_area, GError **error);
gboolean ks_store_auth_get_me             (KsStore *self, const KsPrincipal *who,
                                           KsMe *out, GError **error);
gboolean ks_store_auth_replace_recovery_codes (KsStore *self, gint64 user_id,
                                           const char *const *hashes, guint n, GError **error);
gboolean ks_store_auth_unused_recovery_codes  (KsStore *self, gint64 user_id, GArray **out_ids,
                                           GPtrArray **out_hashes, GError **error);
gboolean ks_store_auth_use_recovery_code  (KsStore *self, gint64 code_id, gint64 at,
                                           gboolean *used, GError **error);
gboolean ks_store_auth_count_recovery_codes (KsStore *self, gint64 user_id, gint64 *out_left,
                                           GError **error);

G_END_DECLS

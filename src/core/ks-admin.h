/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin.h: the council's administration over the staff API, without widgets:
 * the collections an administrator manages (staff, roles, categories,
 * priorities, templates, Open311 API keys, the texts of the emails to
 * residents), listed, created, changed and
 * deleted with typed async calls; the paths of the API stay in here. */
#pragma once

#include <json-glib/json-glib.h>
#include "ks-client.h"

G_BEGIN_DECLS

typedef enum {
  KS_ADMIN_STAFF,
  KS_ADMIN_ROLES,
  KS_ADMIN_CATEGORIES,
  KS_ADMIN_PRIORITIES,
  KS_ADMIN_TEMPLATES,
  KS_ADMIN_API_KEYS,
  KS_ADMIN_STATES,
  KS_ADMIN_EMAIL_TEMPLATES,
  KS_ADMIN_COUNCILS,        /* platform operators only */
  KS_ADMIN_OPEN311_DESTINATIONS,
  KS_N_ADMIN_COLLECTIONS,
} KsAdminCollection;

/* The collection's id ("staff", "roles", "categories", "priorities",
 * "templates", "api-keys", "email-templates"), and the one of that id (FALSE
 * when none). */
const char *ks_admin_collection_id   (KsAdminCollection collection);
gboolean    ks_admin_collection_from_id (const char *id, KsAdminCollection *out);

/* The collection's objects (lists and creations are those of the client's
 * council, for a platform operator; staff: the first 200 whose name or email holds
 * search; NULL or "" for all). Finishes with a new reference to the array of
 * objects, or NULL with an error sentence. Open311 destinations: the server
 * configuration's (read-only, "source": "config") follow the council's own. */
void        ks_admin_list_async      (KsClient            *client,
                                      KsAdminCollection    collection,
                                      const char          *search,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
JsonArray  *ks_admin_list_finish     (KsClient            *client,
                                      GAsyncResult        *result,
                                      GError             **error);

/* Changes: each finishes with ks_admin_change_finish(). A create answers the new
 * object (an API key: {"api_key": {...}, "key": the key, shown only now}); an
 * update the object as it now is; a delete (an API key: revoke) and signing a
 * staff member out everywhere a null node. Each sends its own idempotency key. */
void        ks_admin_create_async    (KsClient            *client,
                                      KsAdminCollection    collection,
                                      JsonNode            *body,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void        ks_admin_update_async    (KsClient            *client,
                                      KsAdminCollection    collection,
                                      gint64               id,
                                      JsonNode            *body,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void        ks_admin_delete_async    (KsClient            *client,
                                      KsAdminCollection    collection,
                                      gint64               id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void        ks_admin_sign_out_everywhere_async (KsClient            *client,
                                                gint64               staff_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* The settings of the council one works in (GET /body; a platform operator's:
 * the client's council), and changing them (a platform operator: PATCH
 * /councils/{id}, which also takes "name" and "slug"; a council's
 * administrator: PATCH /body). Finish with ks_admin_change_finish(): the
 * council's object as it now is, or NULL with the server's sentence (its
 * "field" in ks_admin_error_field()). */
void        ks_admin_get_council_async    (KsClient            *client,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void        ks_admin_update_council_async (KsClient            *client,
                                           JsonNode            *body,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);

/* The answer's JSON (a null node when there is no body), or NULL with error. */
JsonNode   *ks_admin_change_finish   (KsClient            *client,
                                      GAsyncResult        *result,
                                      GError             **error);

/* After a refusal: the request's field the server named as at fault, or NULL. */
const char *ks_admin_error_field     (GAsyncResult        *result);

G_END_DECLS

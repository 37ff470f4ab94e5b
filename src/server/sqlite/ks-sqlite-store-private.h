/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-private.h: what the SQLite store's domain files share: the
 * connection and statement toolkit (ks-sqlite-db.h), columns written as JSON
 * (ks-sqlite-json.h), and the functions that fill in the store's table. */
#pragma once

#include "sqlite/ks-sqlite-db.h"
#include "sqlite/ks-sqlite-json.h"
#include "sqlite/ks-sqlite-store.h"

G_BEGIN_DECLS

/* A condition on the report r: its category is not one the principal may not
 * see (the list bound with ks_sqlite_bind_hidden). */
#define KS_SQLITE_SEES(param) "r.category_id NOT IN (SELECT value FROM json_each (" param "))"
void ks_sqlite_bind_hidden (sqlite3_stmt *st, int i, const KsPrincipal *who);

/* Opens a read transaction so that several statements see one snapshot (and
 * take the file's lock once), unless the connection is inside a transaction
 * already (a write request): *started says whether ks_sqlite_end_read is to
 * close it (ks-sqlite-store-reports.c). */
gboolean ks_sqlite_begin_read (KsStore *store, gboolean *started, GError **error);
void     ks_sqlite_end_read   (KsStore *store, gboolean started);

/* The domain implementations fill in their virtual function tables. */
void ks_sqlite_store_auth_init    (KsStoreAuthVTable    *vtable);
void ks_sqlite_store_reports_init (KsStoreReportsVTable *vtable);
void ks_sqlite_store_actions_init (KsStoreActionsVTable *vtable);
/* The assignees' entries of the actions table (ks-sqlite-store-assignees.c). */
void ks_sqlite_store_assignees_init (KsStoreActionsVTable *vtable);
void ks_sqlite_store_moderation_init (KsStoreActionsVTable *vtable);
/* The corrections' share of the actions table (ks-sqlite-store-corrections.c). */
void ks_sqlite_store_corrections_init (KsStoreActionsVTable *vtable);
/* Response priorities' share of the actions and admin tables (ks-sqlite-store-response.c). */
void ks_sqlite_store_response_init (KsStoreActionsVTable *vtable, KsStoreAdminVTable *admin);
void ks_sqlite_store_admin_init   (KsStoreAdminVTable   *vtable);
void ks_sqlite_store_open311_init (KsStoreOpen311VTable *vtable);
/* Idempotency-Key on Open311 clients' POSTs (ks-sqlite-store-open311-idempotency.c). */
void ks_sqlite_store_open311_idempotency_init (KsStoreOpen311VTable *vtable);
void ks_sqlite_store_privacy_init (KsStorePrivacyVTable *vtable);
void ks_sqlite_store_duplicates_init (KsStoreDuplicatesVTable *vtable);
void ks_sqlite_store_photos_init (KsStorePhotosVTable *vtable);
/* Staff areas' entries of the auth and admin tables (ks-sqlite-store-areas.c). */
void ks_sqlite_store_areas_init (KsStoreAuthVTable *auth, KsStoreAdminVTable *admin);
void ks_sqlite_store_lookup_init (KsStoreLookupVTable *vtable);
void ks_sqlite_store_notices_init (KsStoreNoticesVTable *vtable);
void ks_sqlite_store_councils_init (KsStoreCouncilsVTable *vtable);
void ks_sqlite_store_retention_init (KsStoreRetentionVTable *vtable);
void ks_sqlite_store_abuse_init (KsStoreAbuseVTable *vtable);
void ks_sqlite_store_sendings_init (KsStoreSendingsVTable *vtable);
void ks_sqlite_store_hidden_people_init (KsStoreHiddenPeopleVTable *vtable);

G_END_DECLS

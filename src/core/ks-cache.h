/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-cache.h: the app's local SQLite cache, one file per server + user:
 * $XDG_DATA_HOME/kerbside/cache/<sha256(server|email)>.db
 *
 * Holds the reports (sync shape, with detail and reporter when given), the
 * reference lists (categories, priorities, templates, states), the user's /me
 * and permissions, the sync position, and the outbox. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "ks-outbox-entry.h"
#include "ks-report.h"

G_BEGIN_DECLS

#define KS_TYPE_CACHE (ks_cache_get_type ())
G_DECLARE_FINAL_TYPE (KsCache, ks_cache, KS, CACHE, GObject)

/* Sets SQLite up for the caches' use before it starts (a process's first
 * cache does it too; the app calls it first thing). */
void       ks_cache_prepare_sqlite   (void);

/* The file name for server + email (newly allocated). */
char      *ks_cache_path_for         (const char *server, const char *email);
/* A platform operator keeps one cache per council (council_id > 0), so that
 * councils never mix; 0 is ks_cache_path_for(). */
char      *ks_cache_path_for_council (const char *server, const char *email, gint64 council_id);
/* Deletes the cache file of server + email (and its -wal/-shm); TRUE if none left. */
gboolean   ks_cache_delete_for       (const char *server, const char *email, GError **error);

KsCache   *ks_cache_open             (const char *server, const char *email, GError **error);
KsCache   *ks_cache_open_for_council (const char *server, const char *email, gint64 council_id,
                                      GError **error);
/* Opens a given file (tests, benchmarks). */
KsCache   *ks_cache_open_path        (const char *path, GError **error);
const char *ks_cache_get_path        (KsCache *self);
/* A second connection to the same file (for a worker thread; use each connection
 * from one thread at a time). Fails once the cache was wiped: never creates it. */
KsCache   *ks_cache_open_another     (KsCache *self, GError **error);
/* Closes the database and deletes the file: nothing of it remains on disk. */
gboolean   ks_cache_wipe             (KsCache *self, GError **error);

gboolean   ks_cache_begin            (KsCache *self, GError **error);
gboolean   ks_cache_commit           (KsCache *self, GError **error);
void       ks_cache_rollback         (KsCache *self);

/* Key/value state: "seq" (sync position), "me" (JSON of /me), "categories",
 * "priorities", "templates", "states" (JSON arrays), "synced" (Unix seconds). */
char      *ks_cache_get_string       (KsCache *self, const char *key);
gboolean   ks_cache_set_string       (KsCache *self, const char *key, const char *value, GError **error);
gint64     ks_cache_get_int          (KsCache *self, const char *key, gint64 fallback);
gboolean   ks_cache_set_int          (KsCache *self, const char *key, gint64 value, GError **error);

/* Reports. Load returns a GPtrArray of KsReport (with free func). */
GPtrArray *ks_cache_load_reports     (KsCache *self, GError **error);
gint64     ks_cache_count_reports    (KsCache *self);
/* obj: a report in the sync/list/detail shape; merged over what is stored
 * (fields absent from obj are kept). */
gboolean   ks_cache_put_report       (KsCache *self, JsonObject *obj, GError **error);
/* The sync's fast path: stores report with json (its JSON object text, as the
 * server sent it) as is. merge: when the report is already stored, members of the
 * stored JSON that json lacks are kept (slower; not needed on a first sync). */
gboolean   ks_cache_put_report_text  (KsCache *self, KsReport *report, const char *json,
                                      gsize json_len, gboolean merge, GError **error);
gboolean   ks_cache_delete_report    (KsCache *self, gint64 id, GError **error);
gboolean   ks_cache_clear_reports    (KsCache *self, GError **error);
/* The stored JSON of a report (merged sync/detail fields), or NULL. */
JsonObject *ks_cache_get_report_json (KsCache *self, gint64 id);

/* Outbox rows. */
gboolean   ks_cache_outbox_add       (KsCache *self, KsOutboxEntry *entry, GError **error); /* sets entry->id */
gboolean   ks_cache_outbox_update    (KsCache *self, const KsOutboxEntry *entry, GError **error);
gboolean   ks_cache_outbox_remove    (KsCache *self, gint64 id, GError **error);
/* All entries in order, a GPtrArray of KsOutboxEntry. */
GPtrArray *ks_cache_outbox_list      (KsCache *self, GError **error);

G_END_DECLS

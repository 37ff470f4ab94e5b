/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-private.h: KsSession's fields and the steps its files share
 * (context, sign-in, catalogue, report actions). Not for widgets. */
#pragma once

#include "ks-session.h"

G_BEGIN_DECLS

struct _KsSession
{
  GObject          parent_instance;

  char            *server_url;
  char            *email;
  KsClient        *client;
  KsCache         *cache;
  KsReportStore   *preloaded;        /* the cache's reports, read before start_session() */
  struct _KsCacheReadAhead *read_ahead; /* ks_session_read_cache_ahead()'s read, not yet taken */
  KsSyncEngine    *sync;
  KsOutbox        *outbox;
  KsReportStore   *store;
  KsReportFilter  *filter;
  JsonObject      *me;
  KsPermissionSet  perms;
  gint64           user_id;
  char            *user_name;
  gboolean         signed_in;
  gulong           unauthorized_handler;
  gulong           setup_required_handler;
  char            *challenge;        /* after the password, for accounts with 2FA */
  gboolean         setup_pending;    /* signed in on the server, but 2FA must be set up first */
  guint            generation;       /* bumped by each sign-in, so late sign-out steps of an
                                      * earlier session leave a newer one alone */
  GCancellable    *cancellable;

  JsonArray       *categories;
  JsonArray       *priorities;
  JsonArray       *templates;
  JsonArray       *states;
  JsonArray       *assignees;
  JsonObject      *boundaries;       /* /boundaries; NULL until the first answer */
  gint64           council_id;       /* platform operators: the council they work in */
  gint64           preferred_council; /* platform operators: where to start, if it exists */
  GHashTable      *placeholders;     /* ids (gint64) of the placeholders in the store */
};

enum {
  KS_SESSION_PROP_0,
  KS_SESSION_PROP_SIGNED_IN,
  KS_SESSION_PROP_USER_NAME,
  KS_SESSION_N_PROPS
};

enum {
  KS_SESSION_SIGNAL_SIGNED_IN,
  KS_SESSION_SIGNAL_SIGNED_OUT,
  KS_SESSION_SIGNAL_KEYRING_ERROR,
  KS_SESSION_SIGNAL_TWO_FACTOR_SETUP_REQUIRED,
  KS_SESSION_SIGNAL_LISTS_CHANGED,
  KS_SESSION_SIGNAL_COUNCIL_CHANGED,
  KS_SESSION_SIGNAL_WAITING,
  KS_SESSION_N_SIGNALS
};

G_GNUC_INTERNAL extern GParamSpec *ks_session_properties[KS_SESSION_N_PROPS];
G_GNUC_INTERNAL extern guint ks_session_signals[KS_SESSION_N_SIGNALS];

/* ks-session.c: cancels the session's requests, stops and drops sync and outbox. */
G_GNUC_INTERNAL void ks_session_stop_engines (KsSession *self);
/* ks-session.c: stops sync, outbox, cache and models (signed-in goes FALSE). */
G_GNUC_INTERNAL void ks_session_stop_running (KsSession *self);
/* ks-session.c: stops everything and forgets the client, /me and the user. */
G_GNUC_INTERNAL void ks_session_teardown     (KsSession *self);

/* ks-session-catalogue.c: empties the lists (another council's are not kept). */
G_GNUC_INTERNAL void        ks_session_clear_lists           (KsSession *self);
/* ks-session-sign-in.c: opens the cache (of the council chosen), loads it and
 * starts the engines; then the background refresh, sync and outbox. */
G_GNUC_INTERNAL gboolean    ks_session_start                 (KsSession *self, GError **error);
G_GNUC_INTERNAL void        ks_session_start_background      (KsSession *self);
/* ks-session-council.c: the council a platform operator works in at the start
 * of a session (the one chosen before, else their account's). */
G_GNUC_INTERNAL void        ks_session_choose_start_council  (KsSession *self);
/* ks-session-council.c: lists the councils and switches to the first. */
G_GNUC_INTERNAL void        ks_session_start_first_council   (KsSession *self);
/* ks-session-catalogue.c: the lists as the cache last kept them. */
G_GNUC_INTERNAL void        ks_session_load_lists_from_cache (KsSession *self);
/* ks-session-catalogue.c: the object with this "id" in a list, or NULL. */
G_GNUC_INTERNAL JsonObject *ks_session_find_by_id            (JsonArray *array, gint64 id);

/* ks-session-assign.c: a list shown in the shortlist's order (the filter's sort)
 * takes the order the cache now holds (after a sync: reordered elsewhere). */
G_GNUC_INTERNAL void ks_session_follow_shortlist_order (KsSession *self);
/* ks-session-placeholders.c: the store holds a placeholder for each queued
 * create, and none for a create that is no longer queued. */
G_GNUC_INTERNAL void ks_session_sync_placeholders (KsSession *self);

/* ks-session-report-actions.c: applies the optimistic fields (may be NULL) to
 * the cached report, queues the write in the outbox, and finishes the task
 * (ks_session_action_finish) when the outbox has news. */
G_GNUC_INTERNAL void ks_session_run_action (KsSession *self, const char *action,
                                            gint64 report_id, const char *method,
                                            const char *path, JsonObject *body,
                                            gboolean send_version, JsonObject *optimistic,
                                            gpointer source_tag, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
/* ks-session-report-actions.c: writes fields into the cached report and the model. */
G_GNUC_INTERNAL void ks_session_apply_report_fields (KsSession *self, JsonObject *fields);

/* ks-session-sign-in.c: drops a read ahead nobody took (at dispose). */
void ks_session_drop_read_ahead (KsSession *self);

G_END_DECLS

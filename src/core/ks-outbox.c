/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-outbox.c: queued writes, sent in order, kept until the server has them. */
#define G_LOG_DOMAIN "ks-outbox"

#include "ks-outbox.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-time.h"

struct _KsOutbox
{
  GObject        parent_instance;

  KsClient      *client;
  KsCache       *cache;
  KsReportStore *store;

  GPtrArray     *entries;     /* KsOutboxEntry, in order */
  GHashTable    *waiters;     /* entry id (gint64 *) -> GTask */
  GCancellable  *cancellable;
  GNetworkMonitor *monitor;
  gulong         monitor_handler;
  gulong         reachable_handler;
  KsOutboxEntry *sending;     /* the entry in flight (owned by entries) */
  guint          retry_id;
  guint          retry_interval;
  gboolean       online;
  gboolean       stopped;
  gboolean       applying;    /* a bulk answer is going into the cache, a slice at a time */
};

enum {
  PROP_0,
  PROP_N_PENDING,
  PROP_ONLINE,
  N_PROPS
};

enum {
  SIGNAL_SENT,
  SIGNAL_CONFLICT,
  SIGNAL_REJECTED,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KsOutbox, ks_outbox, G_TYPE_OBJECT)

static void send_next (KsOutbox *self);

static void
ks_outbox_dispose (GObject *object)
{
  KsOutbox *self = KS_OUTBOX (object);

  ks_outbox_stop (self);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->monitor_handler, self->monitor);
  if (self->client != NULL)
    g_clear_signal_handler (&self->reachable_handler, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ks_outbox_parent_class)->dispose (object);
}

static void
ks_outbox_finalize (GObject *object)
{
  KsOutbox *self = KS_OUTBOX (object);

  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->waiters);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ks_outbox_parent_class)->finalize (object);
}

static void
ks_outbox_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KsOutbox *self = KS_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_N_PENDING: g_value_set_uint (value, ks_outbox_get_n_pending (self)); break;
    case PROP_ONLINE: g_value_set_boolean (value, self->online); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_outbox_class_init (KsOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_outbox_dispose;
  object_class->finalize = ks_outbox_finalize;
  object_class->get_property = ks_outbox_get_property;

  properties[PROP_N_PENDING] = g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, TRUE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, KS_TYPE_OUTBOX_ENTRY);
  signals[SIGNAL_CONFLICT] = g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 1, KS_TYPE_OUTBOX_ENTRY);
  signals[SIGNAL_REJECTED] = g_signal_new ("rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 1, KS_TYPE_OUTBOX_ENTRY);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ks_outbox_init (KsOutbox *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ks_outbox_entry_free);
  self->waiters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->retry_interval = 10;
  self->online = TRUE;
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    KsOutbox        *self)
{
  if (available && !self->online)
    ks_outbox_flush (self);
}

static void set_online (KsOutbox *self, gboolean online);

/* The client found the server again (its health check answered, or another
 * request got through): send what waits, at once. */
static void
on_client_reachable (KsClient   *client,
                     GParamSpec *pspec,
                     KsOutbox   *self)
{
  if (!ks_client_get_reachable (client))
    {
      set_online (self, FALSE);
      return;
    }
  set_online (self, TRUE);
  if (!self->stopped && self->sending == NULL)
    send_next (self);
}

KsOutbox *
ks_outbox_new (KsClient      *client,
               KsCache       *cache,
               KsReportStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  KsOutbox *self;

  g_return_val_if_fail (KS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (KS_IS_CACHE (cache), NULL);
  g_return_val_if_fail (KS_IS_REPORT_STORE (store), NULL);

  self = g_object_new (KS_TYPE_OUTBOX, NULL);
  self->client = g_object_ref (client);
  self->cache = g_object_ref (cache);
  self->store = g_object_ref (store);
  stored = ks_cache_outbox_list (cache, &error);
  if (stored == NULL)
    g_warning ("Could not read the outbox: %s", error->message);
  else
    for (guint i = 0; i < stored->len; i++)
      g_ptr_array_add (self->entries, ks_outbox_entry_copy (g_ptr_array_index (stored, i)));
  self->monitor = g_network_monitor_get_default ();
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  self->reachable_handler = g_signal_connect (client, "notify::reachable",
                                              G_CALLBACK (on_client_reachable), self);
  return self;
}

guint
ks_outbox_get_n_pending (KsOutbox *self)
{
  guint n = 0;

  g_return_val_if_fail (KS_IS_OUTBOX (self), 0);
  for (guint i = 0; i < self->entries->len; i++)
    if (((KsOutboxEntry *) g_ptr_array_index (self->entries, i))->state == KS_OUTBOX_PENDING)
      n++;
  return n;
}

GPtrArray *
ks_outbox_list (KsOutbox *self)
{
  GPtrArray *list;

  g_return_val_if_fail (KS_IS_OUTBOX (self), NULL);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) ks_outbox_entry_free);
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (list, ks_outbox_entry_copy (g_ptr_array_index (self->entries, i)));
  return list;
}

void
ks_outbox_set_retry_interval (KsOutbox *self,
                              guint     seconds)
{
  g_return_if_fail (KS_IS_OUTBOX (self));
  self->retry_interval = MAX (seconds, 1);
}

static KsOutboxEntry *
find_entry (KsOutbox *self,
            gint64    id,
            guint    *out_index)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      KsOutboxEntry *e = g_ptr_array_index (self->entries, i);
      if (e->id == id)
        {
          if (out_index)
            *out_index = i;
          return e;
        }
    }
  return NULL;
}

static void
emit_changed (KsOutbox *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
set_online (KsOutbox *self,
            gboolean  online)
{
  if (self->online != online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
}

static GTask *
steal_waiter (KsOutbox *self,
              gint64    id)
{
  gpointer key = NULL, value = NULL;

  if (!g_hash_table_steal_extended (self->waiters, &id, &key, &value))
    return NULL;
  g_free (key);
  return value;
}

/* Finds the report object inside an action's answer, if any. */
static JsonObject *
report_in_answer (JsonNode *answer)
{
  JsonObject *obj;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  obj = json_node_get_object (answer);
  if (json_object_has_member (obj, "report") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "report")))
    return json_object_get_object_member (obj, "report");
  if (json_object_has_member (obj, "current") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "current")))
    return json_object_get_object_member (obj, "current");
  if (json_object_has_member (obj, "id") && json_object_has_member (obj, "version"))
    return obj;
  return NULL;
}

/* Stores a report the server sent into the cache and the model. */
static void
apply_report (KsOutbox   *self,
              JsonObject *obj)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsReport) merged = NULL;
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(GPtrArray) one = NULL;
  gint64 id;

  if (obj == NULL || !json_object_has_member (obj, "id"))
    return;
  id = json_object_get_int_member (obj, "id");
  if (!ks_cache_put_report (self->cache, obj, &error))
    {
      g_warning ("Could not cache report %" G_GINT64_FORMAT ": %s", id, error->message);
      return;
    }
  full = ks_cache_get_report_json (self->cache, id);
  if (full == NULL || (merged = ks_report_new_from_json (full, NULL)) == NULL)
    return;
  one = g_ptr_array_new ();
  g_ptr_array_add (one, merged);
  ks_report_store_upsert (self->store, one);
}

/* The per-item results of a bulk action's answer, or NULL. */
static JsonArray *
bulk_results (JsonNode *answer)
{
  JsonObject *obj;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  obj = json_node_get_object (answer);
  if (!json_object_has_member (obj, "results") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "results")))
    return NULL;
  return json_object_get_array_member (obj, "results");
}

/* The reports a bulk action's answer carries (as they now are, changed or
 * not), from..to, into the cache; added to reports, for the model. */
static void
cache_results (KsOutbox  *self,
               JsonArray *results,
               guint      from,
               guint      to,
               GPtrArray *reports)
{
  g_autoptr(GError) error = NULL;
  gboolean in_txn = ks_cache_begin (self->cache, NULL);

  for (guint i = from; i < to; i++)
    {
      JsonObject *obj = report_in_answer (json_array_get_element (results, i));
      g_autoptr(JsonObject) full = NULL;
      KsReport *merged;

      if (obj == NULL || !json_object_has_member (obj, "id") ||
          !ks_cache_put_report (self->cache, obj, &error))
        {
          if (error != NULL)
            g_warning ("Could not cache a report: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      full = ks_cache_get_report_json (self->cache, json_object_get_int_member (obj, "id"));
      if (full != NULL && (merged = ks_report_new_from_json (full, NULL)) != NULL)
        g_ptr_array_add (reports, merged);
    }
  if (in_txn && !ks_cache_commit (self->cache, &error))
    {
      g_warning ("Could not cache the reports: %s", error->message);
      ks_cache_rollback (self->cache);
    }
}

/* A queued bulk action not sent yet names report_id at a version older than
 * new_version: move that item onto it. */
static gboolean
rebase_bulk_item (KsOutboxEntry *later,
                  gint64         report_id,
                  gint64         new_version)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;
  JsonArray *items;
  gboolean changed = FALSE;

  if (later->body == NULL || !json_parser_load_from_data (parser, later->body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  body = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (body, "items") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "items")))
    return FALSE;
  items = json_object_get_array_member (body, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *n = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;

      if (item != NULL && json_object_get_int_member_with_default (item, "id", 0) == report_id &&
          json_object_get_int_member_with_default (item, "version", 0) < new_version)
        {
          json_object_set_int_member (item, "version", new_version);
          changed = TRUE;
        }
    }
  if (changed)
    {
      g_free (later->body);
      later->body = json_to_string (json_parser_get_root (parser), FALSE);
    }
  return changed;
}

/* Later writes on report_id (after index) were based on a version older than
 * new_version: move them onto it. */
static void
rebase_later (KsOutbox *self,
              guint     index,
              gint64    report_id,
              gint64    new_version)
{
  g_autoptr(GError) save_error = NULL;

  if (report_id <= 0 || new_version <= 0)
    return;
  for (guint i = index + 1; i < self->entries->len; i++)
    {
      KsOutboxEntry *later = g_ptr_array_index (self->entries, i);
      gboolean changed = FALSE;

      /* Not one already sent: its key must come back with the very same body
       * (the server refuses a key with another body), and the server may have
       * applied it already; a stale version then comes back as a conflict. */
      if (later->state != KS_OUTBOX_PENDING || later->attempts != 0)
        continue;
      if (later->report_id == report_id && later->base_version > 0 &&
          later->base_version < new_version)
        {
          later->base_version = new_version;
          changed = TRUE;
        }
      else if (later->report_id == 0 && g_strcmp0 (later->action, "bulk") == 0)
        changed = rebase_bulk_item (later, report_id, new_version);
      if (changed && !ks_cache_outbox_update (self->cache, later, &save_error))
        {
          g_warning ("Could not update the outbox: %s", save_error->message);
          g_clear_error (&save_error);
        }
    }
}

static void
refresh_report_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KsOutbox) self = user_data;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) && self->cache != NULL)
    apply_report (self, report_in_answer (node));
}

/* After a refusal, undo the optimistic change by taking the server's copy. */
static void
refresh_report (KsOutbox *self,
                gint64    report_id)
{
  g_autofree char *path = NULL;

  if (report_id <= 0)
    return;
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
  ks_client_request_async (self->client, "GET", path, NULL, NULL, self->cancellable,
                           refresh_report_cb, g_object_ref (self));
}

static gboolean
retry_cb (gpointer data)
{
  KsOutbox *self = data;

  self->retry_id = 0;
  send_next (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (KsOutbox *self,
                guint     seconds)
{
  if (self->retry_id == 0 && !self->stopped)
    self->retry_id = g_timeout_add_seconds (MAX (seconds, 1), retry_cb, self);
}

/* The server cannot be reached: everyone waiting hears "queued". */
static void
release_waiters_queued (KsOutbox *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->waiters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GTask *task = value;
      g_object_set_data (G_OBJECT (task), "queued", GINT_TO_POINTER (1));
      g_task_return_pointer (task, NULL, NULL);
      g_hash_table_iter_remove (&iter);
    }
}

static void send_next (KsOutbox *self);

/* What follows a sent entry's answer: the caller's result, "sent", the next. */
static void
finish_sent (KsOutbox      *self,
             KsOutboxEntry *done,
             JsonNode      *answer)
{
  g_autoptr(GTask) waiter = steal_waiter (self, done->id);

  if (waiter != NULL)
    g_task_return_pointer (waiter, json_node_ref (answer), (GDestroyNotify) json_node_unref);
  g_signal_emit (self, signals[SIGNAL_SENT], 0, done);
  emit_changed (self);
  send_next (self);
}

/* A bulk answer's reports go into the cache a slice at a time, between
 * main-loop iterations (frames are drawn in between): a thousand reports
 * written, read back and built at once held the app up for over a second. The
 * model hears of them all at once at the end: each announcement makes the
 * filtered list refresh the range it touches, so one is cheaper than many. What
 * follows the answer waits for the last slice, and so does the next entry. */
#define APPLY_SLICE 100

typedef struct {
  KsOutbox      *self;
  JsonArray     *results;
  JsonNode      *answer;
  KsOutboxEntry *done;
  GPtrArray     *reports;     /* KsReport, built so far */
  guint          next;
} ApplyJob;

static void
apply_job_free (gpointer data)
{
  ApplyJob *job = data;

  g_object_unref (job->self);
  json_array_unref (job->results);
  json_node_unref (job->answer);
  ks_outbox_entry_free (job->done);
  g_ptr_array_unref (job->reports);
  g_free (job);
}

static gboolean
apply_slice (gpointer data)
{
  ApplyJob *job = data;
  guint n = json_array_get_length (job->results);
  guint to = MIN (job->next + APPLY_SLICE, n);

  if (!job->self->stopped)
    cache_results (job->self, job->results, job->next, to, job->reports);
  job->next = to;
  if (to < n && !job->self->stopped)
    return G_SOURCE_CONTINUE;
  job->self->applying = FALSE;
  if (!job->self->stopped && job->reports->len > 0)
    ks_report_store_upsert (job->self->store, job->reports);
  finish_sent (job->self, job->done, job->answer);
  return G_SOURCE_REMOVE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KsOutbox) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) error_body = NULL;
  g_autoptr(JsonNode) answer = ks_client_request_finish (KS_CLIENT (source), result, &error_body, &error);
  g_autoptr(GTask) waiter = NULL;
  g_autoptr(GError) save_error = NULL;
  KsOutboxEntry *entry = self->sending;
  guint index;

  self->sending = NULL;
  if (self->stopped || entry == NULL || find_entry (self, entry->id, &index) != entry)
    return;

  if (answer != NULL)
    {
      g_autoptr(KsOutboxEntry) done = ks_outbox_entry_copy (entry);
      JsonObject *report = report_in_answer (answer);
      JsonArray *results = bulk_results (answer);
      gint64 new_version = 0;

      set_online (self, TRUE);
      if (report != NULL && json_object_has_member (report, "version"))
        new_version = json_object_get_int_member (report, "version");
      else if (entry->base_version > 0)
        new_version = entry->base_version + 1;

      /* Later writes on the same report were based on the version this one
       * replaced: move them onto the new one. */
      if (entry->report_id > 0 && new_version > 0)
        rebase_later (self, index, entry->report_id, new_version);
      if (results != NULL)
        {
          for (guint i = 0; i < json_array_get_length (results); i++)
            {
              JsonNode *n = json_array_get_element (results, i);
              JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
              JsonObject *r = o != NULL ? report_in_answer (n) : NULL;

              if (r != NULL && g_strcmp0 (json_object_get_string_member_with_default (o, "status", ""),
                                          "ok") == 0)
                rebase_later (self, index, json_object_get_int_member_with_default (r, "id", 0),
                              json_object_get_int_member_with_default (r, "version", 0));
            }
          /* The answer, with every item's result, for those listening to "sent". */
          g_free (done->current);
          done->current = json_to_string (answer, FALSE);
        }

      if (!ks_cache_outbox_remove (self->cache, entry->id, &save_error))
        g_warning ("Could not update the outbox: %s", save_error->message);
      /* A created report's placeholder becomes the report itself, in place:
       * the same row, kept selected, now with the server's id. */
      if (g_strcmp0 (entry->action, "create") == 0 && report != NULL &&
          json_object_get_int_member_with_default (report, "id", 0) > 0)
        ks_report_store_rekey (self->store, KS_OUTBOX_PLACEHOLDER_ID (entry->id),
                               json_object_get_int_member (report, "id"));
      g_ptr_array_remove_index (self->entries, index);
      apply_report (self, report);
      if (results != NULL && json_array_get_length (results) > APPLY_SLICE)
        {
          ApplyJob *job = g_new0 (ApplyJob, 1);

          job->self = g_object_ref (self);
          job->results = json_array_ref (results);
          job->answer = json_node_ref (answer);
          job->done = g_steal_pointer (&done);
          job->reports = g_ptr_array_new_with_free_func (g_object_unref);
          self->applying = TRUE;
          g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, apply_slice, job, apply_job_free);
          return;
        }
      if (results != NULL)
        {
          g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);

          cache_results (self, results, 0, json_array_get_length (results), reports);
          if (reports->len > 0)
            ks_report_store_upsert (self->store, reports);
        }
      finish_sent (self, done, answer);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, KS_ERROR, KS_ERROR_UNAVAILABLE) ||
      g_error_matches (error, KS_ERROR, KS_ERROR_THROTTLED) ||
      g_error_matches (error, KS_ERROR, KS_ERROR_FAILED) ||
      g_error_matches (error, KS_ERROR, KS_ERROR_TLS))
    {
      /* Try again later; the entry stays first in line. */
      guint wait = self->retry_interval;

      /* The server's answer (429, or a 503 it still gave after the client's own
       * tries) says when to come back. */
      if ((g_error_matches (error, KS_ERROR, KS_ERROR_THROTTLED) || error_body != NULL) &&
          ks_client_get_retry_after (self->client) > 0)
        wait = ks_client_get_retry_after (self->client);
      if (g_error_matches (error, KS_ERROR, KS_ERROR_UNAVAILABLE))
        set_online (self, FALSE);
      g_debug ("outbox: will retry in %u s: %s", wait, error->message);
      release_waiters_queued (self);
      schedule_retry (self, wait);
      return;
    }

  if (g_error_matches (error, KS_ERROR, KS_ERROR_UNAUTHORIZED))
    {
      /* The session ended: keep everything until the next sign-in. */
      waiter = steal_waiter (self, entry->id);
      if (waiter != NULL)
        g_task_return_error (waiter, g_steal_pointer (&error));
      release_waiters_queued (self);
      return;
    }

  set_online (self, TRUE);
  g_free (entry->error_message);
  entry->error_message = g_strdup (error->message);
  if (g_error_matches (error, KS_ERROR, KS_ERROR_CONFLICT))
    {
      JsonObject *current = NULL;

      entry->state = KS_OUTBOX_CONFLICT;
      if (error_body != NULL && JSON_NODE_HOLDS_OBJECT (error_body))
        {
          JsonObject *obj = json_node_get_object (error_body);
          if (json_object_has_member (obj, "current") &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "current")))
            {
              current = json_object_get_object_member (obj, "current");
              g_free (entry->current);
              entry->current = json_to_string (json_object_get_member (obj, "current"), FALSE);
            }
        }
      if (current != NULL)
        apply_report (self, current);
      else
        refresh_report (self, entry->report_id);
    }
  else
    {
      entry->state = KS_OUTBOX_REJECTED;
      refresh_report (self, entry->report_id);
    }
  if (!ks_cache_outbox_update (self->cache, entry, &save_error))
    g_warning ("Could not update the outbox: %s", save_error->message);

  waiter = steal_waiter (self, entry->id);
  if (waiter != NULL)
    g_task_return_error (waiter, g_error_copy (error));
  g_signal_emit (self, signals[entry->state == KS_OUTBOX_CONFLICT ? SIGNAL_CONFLICT : SIGNAL_REJECTED],
                 0, entry);
  emit_changed (self);
  send_next (self);
}

static void
send_next (KsOutbox *self)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) body = NULL;
  KsOutboxEntry *entry = NULL;

  if (self->stopped || self->sending != NULL || self->applying)
    return;
  g_clear_handle_id (&self->retry_id, g_source_remove);

  for (guint i = 0; i < self->entries->len && entry == NULL; i++)
    {
      KsOutboxEntry *e = g_ptr_array_index (self->entries, i);
      if (e->state == KS_OUTBOX_PENDING)
        entry = e;
    }
  if (entry == NULL)
    return;

  if (entry->body != NULL)
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, entry->body, -1, NULL))
        body = json_node_copy (json_parser_get_root (parser));
    }
  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body) && entry->base_version > 0)
    json_object_set_int_member (json_node_get_object (body), "version", entry->base_version);

  /* Counted before it goes: from now on the server may have it under this key. */
  entry->attempts++;
  ks_cache_outbox_update (self->cache, entry, NULL);
  self->sending = entry;
  /* A bulk action over thousands of reports may take the server minutes. */
  if (g_strcmp0 (entry->action, "bulk") == 0)
    ks_client_request_long_async (self->client, entry->method, entry->path, body,
                                  entry->idempotency_key, self->cancellable, on_sent,
                                  g_object_ref (self));
  else
    ks_client_request_async (self->client, entry->method, entry->path, body,
                             entry->idempotency_key, self->cancellable, on_sent,
                             g_object_ref (self));
}

void
ks_outbox_flush (KsOutbox *self)
{
  g_return_if_fail (KS_IS_OUTBOX (self));
  if (self->stopped)
    {
      self->stopped = FALSE;
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  send_next (self);
}

void
ks_outbox_stop (KsOutbox *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (KS_IS_OUTBOX (self));

  self->stopped = TRUE;
  self->sending = NULL;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->waiters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_object_set_data (G_OBJECT (value), "queued", GINT_TO_POINTER (1));
      g_task_return_pointer (value, NULL, NULL);
      g_hash_table_iter_remove (&iter);
    }
}

void
ks_outbox_enqueue_async (KsOutbox            *self,
                         const char          *action,
                         gint64               report_id,
                         const char          *method,
                         const char          *path,
                         JsonObject          *body,
                         gint64               base_version,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  KsOutboxEntry *entry;
  gint64 *key;

  g_return_if_fail (KS_IS_OUTBOX (self));

  task = ks_client_task_new (self, ks_outbox_enqueue_async, cancellable, callback, user_data);
  g_task_set_check_cancellable (task, FALSE);

  entry = g_new0 (KsOutboxEntry, 1);
  entry->action = g_strdup (action);
  entry->report_id = report_id;
  entry->method = g_strdup (method);
  entry->path = g_strdup (path);
  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      entry->body = json_to_string (node, FALSE);
    }
  entry->idempotency_key = g_uuid_string_random ();
  entry->base_version = base_version;
  entry->state = KS_OUTBOX_PENDING;
  entry->created = ks_time_now ();

  if (!ks_cache_outbox_add (self->cache, entry, &error))
    {
      ks_outbox_entry_free (entry);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (self->entries, entry);
  g_object_set_data_full (G_OBJECT (task), "entry-id", g_memdup2 (&entry->id, sizeof entry->id), g_free);
  key = g_new (gint64, 1);
  *key = entry->id;
  g_hash_table_insert (self->waiters, key, g_object_ref (task));
  emit_changed (self);

  if (self->stopped)
    release_waiters_queued (self);
  else if (self->retry_id != 0 && !self->online)
    release_waiters_queued (self);   /* still offline: it waits for the next retry */
  else
    send_next (self);
}

JsonNode *
ks_outbox_enqueue_finish (KsOutbox      *self,
                          GAsyncResult  *result,
                          gboolean      *out_queued,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (out_queued != NULL)
    *out_queued = g_object_get_data (G_OBJECT (result), "queued") != NULL;
  return ks_client_task_finish_pointer (self, result, error);
}

gint64
ks_outbox_enqueue_get_entry_id (GAsyncResult *result)
{
  gint64 *id = g_object_get_data (G_OBJECT (result), "entry-id");

  return id != NULL ? *id : 0;
}

gboolean
ks_outbox_discard (KsOutbox  *self,
                   gint64     entry_id,
                   GError   **error)
{
  guint index;
  KsOutboxEntry *entry;
  gint64 report_id;

  g_return_val_if_fail (KS_IS_OUTBOX (self), FALSE);

  entry = find_entry (self, entry_id, &index);
  if (entry == NULL || entry == self->sending)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "This change is no longer waiting to be sent. Refresh and try again.");
      return FALSE;
    }
  if (!ks_cache_outbox_remove (self->cache, entry_id, error))
    return FALSE;
  report_id = entry->report_id;
  g_ptr_array_remove_index (self->entries, index);
  refresh_report (self, report_id);
  emit_changed (self);
  return TRUE;
}

gboolean
ks_outbox_retry (KsOutbox  *self,
                 gint64     entry_id,
                 GError   **error)
{
  KsOutboxEntry *entry;

  g_return_val_if_fail (KS_IS_OUTBOX (self), FALSE);

  entry = find_entry (self, entry_id, NULL);
  if (entry == NULL || entry->state == KS_OUTBOX_PENDING)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "This change is not waiting for a decision. Refresh and try again.");
      return FALSE;
    }
  if (entry->current != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, entry->current, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *cur = json_node_get_object (json_parser_get_root (parser));
          if (json_object_has_member (cur, "version"))
            entry->base_version = json_object_get_int_member (cur, "version");
        }
    }
  else if (entry->report_id > 0)
    {
      KsReport *r = ks_report_store_lookup (self->store, entry->report_id);
      if (r != NULL && entry->base_version > 0)
        entry->base_version = r->version;
    }
  entry->state = KS_OUTBOX_PENDING;
  g_clear_pointer (&entry->error_message, g_free);
  g_clear_pointer (&entry->current, g_free);
  /* A new key: the server remembers the refused attempt under the old one. */
  g_free (entry->idempotency_key);
  entry->idempotency_key = g_uuid_string_random ();
  entry->attempts = 0;
  if (!ks_cache_outbox_update (self->cache, entry, error))
    return FALSE;
  emit_changed (self);
  ks_outbox_flush (self);
  return TRUE;
}

/* ks-sync.c: keeps the cache and the report model up to date with the server.
 *
 * GET /api/v1/sync?since=SEQ pages through every report changed after SEQ, with
 * tombstones for reports the user may no longer see. Each page is written to the
 * cache in one transaction, then merged into the model in place. */
#define G_LOG_DOMAIN "ks-sync"

#include "ks-sync.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-time.h"

#define PAGE_LIMIT 5000

struct _KsSyncEngine
{
  GObject        parent_instance;

  KsClient      *client;
  KsCache       *cache;
  KsReportStore *store;
  gboolean       offline;

  GPtrArray     *waiting;      /* GTask, all finished by the current run */
  GCancellable  *cancellable;
  gboolean       syncing;
  gint64         seq;
  gint64         last_sync;
  guint          interval;
  guint          timer_id;

  /* the current run */
  gint64         since;
  char          *cursor;
  guint64        done;
  guint64        total;
};

enum {
  PROP_0,
  PROP_SYNCING,
  PROP_SEQ,
  PROP_LAST_SYNC,
  PROP_INTERVAL,
  N_PROPS
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KsSyncEngine, ks_sync_engine, G_TYPE_OBJECT)

static void fetch_page (KsSyncEngine *self);

static void
ks_sync_engine_dispose (GObject *object)
{
  KsSyncEngine *self = KS_SYNC_ENGINE (object);

  ks_sync_engine_stop (self);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ks_sync_engine_parent_class)->dispose (object);
}

static void
ks_sync_engine_finalize (GObject *object)
{
  KsSyncEngine *self = KS_SYNC_ENGINE (object);

  g_ptr_array_unref (self->waiting);
  g_clear_object (&self->cancellable);
  g_free (self->cursor);
  G_OBJECT_CLASS (ks_sync_engine_parent_class)->finalize (object);
}

static void
ks_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KsSyncEngine *self = KS_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_SYNCING: g_value_set_boolean (value, self->syncing); break;
    case PROP_SEQ: g_value_set_int64 (value, self->seq); break;
    case PROP_LAST_SYNC: g_value_set_int64 (value, self->last_sync); break;
    case PROP_INTERVAL: g_value_set_uint (value, self->interval); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_sync_engine_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_INTERVAL: ks_sync_engine_set_interval (KS_SYNC_ENGINE (object), g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_sync_engine_class_init (KsSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_sync_engine_dispose;
  object_class->finalize = ks_sync_engine_finalize;
  object_class->get_property = ks_sync_engine_get_property;
  object_class->set_property = ks_sync_engine_set_property;

  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEQ] = g_param_spec_int64 ("seq", NULL, NULL, 0, G_MAXINT64, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] = g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] = g_param_spec_uint ("interval", NULL, NULL, 0, G_MAXUINT, 0,
                                                 G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                           G_TYPE_UINT64, G_TYPE_UINT64);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
ks_sync_engine_init (KsSyncEngine *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

KsSyncEngine *
ks_sync_engine_new (KsClient      *client,
                    KsCache       *cache,
                    KsReportStore *store,
                    gboolean       offline)
{
  KsSyncEngine *self;

  g_return_val_if_fail (KS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (KS_IS_CACHE (cache), NULL);
  g_return_val_if_fail (KS_IS_REPORT_STORE (store), NULL);

  self = g_object_new (KS_TYPE_SYNC_ENGINE, NULL);
  self->client = g_object_ref (client);
  self->cache = g_object_ref (cache);
  self->store = g_object_ref (store);
  self->offline = offline;
  self->seq = ks_cache_get_int (cache, "seq", 0);
  self->last_sync = ks_cache_get_int (cache, "synced", 0);
  return self;
}

gboolean ks_sync_engine_get_syncing (KsSyncEngine *self) { g_return_val_if_fail (KS_IS_SYNC_ENGINE (self), FALSE); return self->syncing; }
gint64 ks_sync_engine_get_seq (KsSyncEngine *self) { g_return_val_if_fail (KS_IS_SYNC_ENGINE (self), 0); return self->seq; }
gint64 ks_sync_engine_get_last_sync (KsSyncEngine *self) { g_return_val_if_fail (KS_IS_SYNC_ENGINE (self), 0); return self->last_sync; }
guint ks_sync_engine_get_interval (KsSyncEngine *self) { g_return_val_if_fail (KS_IS_SYNC_ENGINE (self), 0); return self->interval; }

static void
finish_run (KsSyncEngine *self,
            GError       *error)
{
  g_autoptr(GPtrArray) waiting = self->waiting;

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->syncing = FALSE;
  g_clear_pointer (&self->cursor, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  if (error == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, error);
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static gint64
get_int (JsonObject *obj, const char *name, gint64 fallback)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  return json_node_get_int (node);
}

/* Writes one page to the cache and the model. Returns the new position. */
static gboolean
apply_page (KsSyncEngine  *self,
            JsonObject    *page,
            gint64        *out_seq,
            guint         *out_count,
            GError       **error)
{
  JsonArray *reports = NULL, *tombstones = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 seq = self->since;
  guint n;

  if (json_object_has_member (page, "reports") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (page, "reports")))
    reports = json_object_get_array_member (page, "reports");
  if (json_object_has_member (page, "tombstones") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (page, "tombstones")))
    tombstones = json_object_get_array_member (page, "tombstones");

  if (!ks_cache_begin (self->cache, error))
    return FALSE;
  n = reports ? json_array_get_length (reports) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (reports, i);
      JsonObject *obj;
      KsReport *r;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      obj = json_node_get_object (node);
      if (!ks_cache_put_report (self->cache, obj, error))
        {
          ks_cache_rollback (self->cache);
          return FALSE;
        }
      r = ks_report_new_from_json (obj, NULL);
      if (r != NULL)
        {
          seq = MAX (seq, r->seq);
          g_ptr_array_add (changed, r);
        }
    }
  for (guint i = 0; tombstones && i < json_array_get_length (tombstones); i++)
    {
      JsonNode *node = json_array_get_element (tombstones, i);
      gint64 id = 0;

      if (JSON_NODE_HOLDS_VALUE (node))
        id = json_node_get_int (node);
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *t = json_node_get_object (node);
          id = get_int (t, "id", get_int (t, "report_id", 0));
          seq = MAX (seq, get_int (t, "seq", 0));
        }
      if (id <= 0)
        continue;
      if (!ks_cache_delete_report (self->cache, id, error))
        {
          ks_cache_rollback (self->cache);
          return FALSE;
        }
      g_array_append_val (gone, id);
    }
  seq = MAX (seq, get_int (page, "seq", get_int (page, "next_since", 0)));
  if (!ks_cache_commit (self->cache, error))
    {
      ks_cache_rollback (self->cache);
      return FALSE;
    }

  ks_report_store_upsert (self->store, changed);
  if (gone->len > 0)
    ks_report_store_remove (self->store, (const gint64 *) gone->data, gone->len);
  *out_seq = seq;
  *out_count = changed->len + gone->len;
  return TRUE;
}

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KsSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);
  JsonObject *page;
  JsonNode *next;
  gint64 seq = 0;
  guint count = 0;
  gboolean more;

  if (node == NULL)
    {
      finish_run (self, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GError) bad = g_error_new (KS_ERROR, KS_ERROR_FAILED,
                                           "The server sent a sync answer the app cannot read. "
                                           "Update the app, or tell your administrator.");
      finish_run (self, bad);
      return;
    }
  page = json_node_get_object (node);
  if (!apply_page (self, page, &seq, &count, &error))
    {
      finish_run (self, error);
      return;
    }

  self->done += count;
  if (json_object_has_member (page, "total"))
    self->total = MAX ((guint64) get_int (page, "total", 0), self->done);
  else if (json_object_has_member (page, "remaining"))
    self->total = self->done + (guint64) get_int (page, "remaining", 0);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, MAX (self->total, self->done));

  next = json_object_get_member (page, "next_cursor");
  g_clear_pointer (&self->cursor, g_free);
  if (next != NULL && JSON_NODE_HOLDS_VALUE (next) && json_node_get_value_type (next) == G_TYPE_STRING)
    self->cursor = g_strdup (json_node_get_string (next));
  more = self->cursor != NULL ||
         (json_object_has_member (page, "more") && json_object_get_boolean_member (page, "more"));

  if (seq > self->since && self->cursor == NULL)
    self->since = seq;
  if (more && count > 0)
    {
      fetch_page (self);
      return;
    }

  /* Done: remember where we are. */
  self->seq = MAX (self->since, seq);
  self->last_sync = ks_time_now ();
  ks_cache_set_int (self->cache, "seq", self->seq, NULL);
  ks_cache_set_int (self->cache, "synced", self->last_sync, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEQ]);
  finish_run (self, NULL);
}

static void
fetch_page (KsSyncEngine *self)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/sync?since=");

  g_string_append_printf (path, "%" G_GINT64_FORMAT "&limit=%d", self->since, PAGE_LIMIT);
  if (self->offline)
    g_string_append (path, "&offline=1");
  if (self->cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->cursor, NULL, FALSE);
      g_string_append_printf (path, "&cursor=%s", escaped);
    }
  ks_client_request_async (self->client, "GET", path->str, NULL, NULL, self->cancellable,
                           on_page, g_object_ref (self));
}

void
ks_sync_engine_sync_async (KsSyncEngine        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KS_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_sync_engine_sync_async);
  g_task_set_check_cancellable (task, FALSE);
  g_ptr_array_add (self->waiting, task);
  if (self->syncing)
    return;

  self->syncing = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->since = self->seq;
  self->done = 0;
  self->total = 0;
  g_clear_pointer (&self->cursor, g_free);
  fetch_page (self);
}

gboolean
ks_sync_engine_sync_finish (KsSyncEngine  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
timer_cb (gpointer data)
{
  KsSyncEngine *self = data;

  if (!self->syncing)
    ks_sync_engine_sync_async (self, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

void
ks_sync_engine_set_interval (KsSyncEngine *self,
                             guint         seconds)
{
  g_return_if_fail (KS_IS_SYNC_ENGINE (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->interval = seconds;
  if (seconds > 0)
    self->timer_id = g_timeout_add_seconds (seconds, timer_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

void
ks_sync_engine_stop (KsSyncEngine *self)
{
  g_return_if_fail (KS_IS_SYNC_ENGINE (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

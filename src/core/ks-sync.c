/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sync.c: keeps the cache and the report model up to date with the server.
 *
 * GET /api/v1/sync?since=SEQ pages through every report changed after SEQ, with
 * tombstones for reports the user may no longer see. A run is a pipeline of three
 * steps, each on a different page at once:
 *
 *   fetch (libsoup) -> read (worker thread) -> write (worker thread) -> model
 *
 * The next page is asked for as soon as a page arrives: the answer's last bytes
 * say where it starts (ks_sync_page_peek_next()), and reading the page then
 * checks them: when the page says otherwise, the run fails (nothing from that
 * page on is written) and from then on each page is read before the next is
 * asked for. An answer that ends otherwise is read first, and its reading
 * gives the position. Pages are read one at a time, in order; they are written
 * to the cache in order, one transaction each, on a connection of the writer's
 * own; a written page is merged into the model in place, and only then does the
 * position advance.
 *
 * A first sync (nothing cached) asks for bigger pages and stores each report's
 * JSON text as the server sent it, without looking for a stored copy to merge.
 * Its written pages reach the model in batches that double: a batch goes in
 * once it holds as many reports as the model (so the first page shows at once,
 * and every view sorts the reports a few times rather than once a page), and
 * whatever is held goes in when the run ends, however it ends. */
#define G_LOG_DOMAIN "ks-sync"

#include "ks-sync.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-sync-page.h"
#include "ks-time.h"

typedef struct _PageWork PageWork;
static void page_work_free (PageWork *work);

/* Reports per page: incremental syncs, and a first sync. */
#define PAGE_LIMIT 5000
#define FIRST_PAGE_LIMIT 20000
/* The very first page of a first sync is small: its answer brings the count of
 * reports to come (for the progress bar) within a moment. */
#define OPENING_PAGE_LIMIT 2000

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
  guint          page_size;    /* 0: the defaults */
  gulong         reachable_handler;

  /* the current run */
  KsCache       *worker_cache; /* the writer's own connection to the cache file */
  gboolean       first;        /* nothing cached at the start: no merging */
  gboolean       ask_count;    /* ask the server how many reports remain */
  gint64         since;        /* where the next fetch starts */
  char          *cursor;
  guint64        done;
  guint64        total;
  gboolean       fetching;     /* a page request in flight */
  gboolean       reading;      /* a page being read */
  GQueue         to_read;      /* PageWork arrived while another was read, in order */
  gboolean       read_first;   /* a page's end misled: never ask ahead again */
  gboolean       writing;      /* a page being written */
  GQueue         to_write;     /* PageWork read, waiting for the writer, in order */
  gboolean       fetched_all;  /* nothing more to ask for */
  GError        *run_error;    /* the run's first error */
  GPtrArray     *held;         /* KsReport written, not yet in the model (a first sync) */
  gint64         fetch_start;  /* monotonic, for the debug log */
  gint64         fetch_us;
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

static void
ks_sync_engine_dispose (GObject *object)
{
  KsSyncEngine *self = KS_SYNC_ENGINE (object);

  ks_sync_engine_stop (self);
  if (self->client != NULL)
    g_clear_signal_handler (&self->reachable_handler, self->client);
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
  g_clear_object (&self->worker_cache);
  g_queue_clear_full (&self->to_write, (GDestroyNotify) page_work_free);
  g_queue_clear_full (&self->to_read, (GDestroyNotify) page_work_free);
  g_clear_error (&self->run_error);
  g_clear_pointer (&self->held, g_ptr_array_unref);
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
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The reports written and held back go into the model, in one change. */
static void
flush_held (KsSyncEngine *self)
{
  if (self->held->len == 0)
    return;
  if (self->store != NULL)
    ks_report_store_upsert (self->store, self->held);
  g_ptr_array_set_size (self->held, 0);
}

/* Back online: catch up at once rather than at the next timer. */
static void
on_client_reachable (KsClient     *client,
                     GParamSpec   *pspec,
                     KsSyncEngine *self)
{
  if (ks_client_get_reachable (client) && !self->syncing)
    ks_sync_engine_sync_async (self, NULL, NULL, NULL);
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
  self->reachable_handler = g_signal_connect (client, "notify::reachable",
                                              G_CALLBACK (on_client_reachable), self);
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
  g_clear_object (&self->worker_cache);
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

/* One page on its way through the pipeline. */
struct _PageWork {
  GBytes     *bytes;
  KsSyncPage *page;
  KsCache    *cache;
  gboolean    merge;
  gint64      since;     /* the position the page was asked from */
  gboolean    ahead;     /* the next page was asked for from ahead_seq on arrival */
  gint64      ahead_seq;
  gint64      position;  /* stored with the page: where it leaves off (0: none) */
  gint64      fetch_us;  /* for the debug log */
  gint64      read_us;
  gint64      write_us;
};

static void
page_work_free (PageWork *work)
{
  g_clear_pointer (&work->bytes, g_bytes_unref);
  g_clear_pointer (&work->page, ks_sync_page_free);
  g_clear_object (&work->cache);
  g_free (work);
}

/* Ends the run once nothing is in flight. */
static void
maybe_finish (KsSyncEngine *self)
{
  if (self->fetching || self->reading || !g_queue_is_empty (&self->to_read) || self->writing ||
      !g_queue_is_empty (&self->to_write))
    return;
  flush_held (self);
  if (self->run_error != NULL)
    {
      g_autoptr(GError) error = g_steal_pointer (&self->run_error);
      finish_run (self, error);
      return;
    }
  if (!self->fetched_all)
    return;

  /* Done: remember where we are. */
  self->last_sync = ks_time_now ();
  ks_cache_set_int (self->cache, "seq", self->seq, NULL);
  ks_cache_set_int (self->cache, "synced", self->last_sync, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEQ]);
  finish_run (self, NULL);
}

/* Stops asking for pages; pages already read are still written, unless the
 * writing itself failed. */
static void
fail_run (KsSyncEngine *self,
          GError       *error,
          gboolean      stop_writing)
{
  if (self->run_error == NULL)
    self->run_error = g_error_copy (error);
  self->fetched_all = TRUE;
  if (stop_writing)
    g_queue_clear_full (&self->to_write, (GDestroyNotify) page_work_free);
  maybe_finish (self);
}

/* Writes a page in one transaction, with the position it reaches, so that an
 * interrupted sync resumes after the last page written. */
static gboolean
write_page (KsCache     *cache,
            KsSyncPage  *page,
            gboolean     merge,
            gint64       position,
            GError     **error)
{
  if (!ks_cache_begin (cache, error))
    return FALSE;
  for (guint i = 0; i < page->reports->len; i++)
    {
      gsize len = 0;
      const char *text = ks_sync_page_get_text (page, i, &len);

      if (!ks_cache_put_report_text (cache, g_ptr_array_index (page->reports, i), text, len,
                                     merge, error))
        goto fail;
    }
  for (guint i = 0; i < page->tombstones->len; i++)
    if (!ks_cache_delete_report (cache, g_array_index (page->tombstones, gint64, i), error))
      goto fail;
  if (position > 0 && !ks_cache_set_int (cache, "seq", position, error))
    goto fail;
  if (!ks_cache_commit (cache, error))
    goto fail;
  return TRUE;

fail:
  ks_cache_rollback (cache);
  return FALSE;
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PageWork *work = task_data;
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!write_page (work->cache, work->page, work->merge, work->position, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  work->write_us = g_get_monotonic_time () - start;
  g_task_return_boolean (task, TRUE);
}

static void maybe_write (KsSyncEngine *self);

static void
on_page_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KsSyncEngine *self = KS_SYNC_ENGINE (source);
  g_autoptr(GError) error = NULL;
  PageWork *work = g_task_get_task_data (G_TASK (result));
  KsSyncPage *page = work->page;
  gint64 start = g_get_monotonic_time ();
  guint count;

  self->writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail_run (self, error, TRUE);
      return;
    }
  if (self->store == NULL)
    {
      /* Disposed meanwhile: the page is in the cache, the model is gone. */
      maybe_write (self);
      maybe_finish (self);
      return;
    }

  if (work->merge)
    ks_report_store_upsert (self->store, page->reports);
  else
    {
      for (guint i = 0; i < page->reports->len; i++)
        g_ptr_array_add (self->held, g_object_ref (g_ptr_array_index (page->reports, i)));
      if (self->held->len >= g_list_model_get_n_items (G_LIST_MODEL (self->store)) ||
          page->tombstones->len > 0)
        flush_held (self);
    }
  if (page->tombstones->len > 0)
    ks_report_store_remove (self->store, (const gint64 *) (gpointer) page->tombstones->data,
                            page->tombstones->len);
  count = page->reports->len + page->tombstones->len;
  if (work->position > 0)
    self->seq = work->position;
  g_debug ("page of %u reports, %u tombstones, %" G_GSIZE_FORMAT " bytes: fetched in %.0f ms, "
           "read in %.0f ms, written in %.0f ms%s, model %.0f ms",
           page->reports->len, page->tombstones->len, g_bytes_get_size (page->bytes),
           work->fetch_us / 1000.0, work->read_us / 1000.0, work->write_us / 1000.0,
           work->merge ? " (merging)" : "", (g_get_monotonic_time () - start) / 1000.0);

  self->done += count;
  if (page->total >= 0)
    self->total = MAX ((guint64) page->total, self->done);
  else if (page->remaining >= 0)
    self->total = self->done + (guint64) page->remaining;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, MAX (self->total, self->done));

  maybe_write (self);
  maybe_finish (self);
}

static void
maybe_write (KsSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  PageWork *work;

  if (self->writing || g_queue_is_empty (&self->to_write))
    return;
  work = g_queue_pop_head (&self->to_write);
  self->writing = TRUE;
  task = g_task_new (self, self->cancellable, on_page_written, NULL);
  g_task_set_source_tag (task, maybe_write);
  /* A page written before a cancellation still reaches the model. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, work, (GDestroyNotify) page_work_free);
  g_task_run_in_thread (task, write_thread);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PageWork *work = task_data;
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  if ((work->page = ks_sync_page_parse (work->bytes, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  work->read_us = g_get_monotonic_time () - start;
  g_task_return_boolean (task, TRUE);
}

static void fetch_page (KsSyncEngine *self);
static void read_start (KsSyncEngine *self, PageWork *work);

/* The first page that arrived while another was read, if any, is read now. */
static void
read_next (KsSyncEngine *self)
{
  if (!self->reading && !g_queue_is_empty (&self->to_read))
    read_start (self, g_queue_pop_head (&self->to_read));
}

static void
on_page_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  KsSyncEngine *self = KS_SYNC_ENGINE (source);
  PageWork *work = user_data;
  g_autoptr(GError) error = NULL;
  KsSyncPage *page;
  gint64 seq;

  self->reading = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      page_work_free (work);
      fail_run (self, error, FALSE);
      read_next (self);
      return;
    }
  if (self->run_error != NULL)
    {
      /* The page before it failed to be written: never write one after a gap. */
      page_work_free (work);
      read_next (self);
      maybe_finish (self);
      return;
    }
  page = work->page;
  seq = MAX (work->since, page->seq);

  if (work->ahead)
    {
      /* The next page was asked for from where this one's last bytes said. */
      if (page->next_cursor != NULL || !page->more || seq != work->ahead_seq ||
          page->reports->len + page->tombstones->len == 0)
        {
          g_set_error (&error, KS_ERROR, KS_ERROR_INVALID,
                       "The server's answer did not say where the next reports begin. "
                       "The next sync reads each answer whole first.");
          g_warning ("A sync page ended with seq %" G_GINT64_FORMAT " but reads as reaching %"
                     G_GINT64_FORMAT ": no longer asking ahead", work->ahead_seq, seq);
          self->read_first = TRUE;
          page_work_free (work);
          fail_run (self, error, FALSE);
          read_next (self);
          return;
        }
      work->position = seq;
    }
  else
    {
      /* Where the next page starts: ask for it while this one is written. */
      g_clear_pointer (&self->cursor, g_free);
      self->cursor = g_steal_pointer (&page->next_cursor);
      if (self->cursor == NULL)
        {
          self->since = seq;
          work->position = seq;
        }
      if (page->more && page->reports->len + page->tombstones->len > 0)
        fetch_page (self);
      else
        self->fetched_all = TRUE;
    }

  work->cache = g_object_ref (self->worker_cache);
  work->merge = !self->first;
  g_queue_push_tail (&self->to_write, work);
  maybe_write (self);
  read_next (self);
  maybe_finish (self);
}

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KsSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ks_client_get_bytes_finish (KS_CLIENT (source), result, &error);
  PageWork *work;

  self->fetching = FALSE;
  if (bytes == NULL)
    {
      /* A server from before "count" refuses it: ask again without. */
      if (self->ask_count && g_error_matches (error, KS_ERROR, KS_ERROR_INVALID))
        {
          self->ask_count = FALSE;
          fetch_page (self);
          return;
        }
      fail_run (self, error, FALSE);
      return;
    }
  self->ask_count = FALSE;

  if (self->worker_cache == NULL &&
      (self->worker_cache = ks_cache_open_another (self->cache, &error)) == NULL)
    {
      fail_run (self, error, FALSE);
      return;
    }
  work = g_new0 (PageWork, 1);
  work->bytes = g_steal_pointer (&bytes);
  work->since = self->since;
  work->fetch_us = g_get_monotonic_time () - self->fetch_start;
  /* Ask for the next page now when the answer's end says where it starts
   * (not after a failure, nor by a cursor, nor backwards). */
  if (!self->fetched_all && !self->read_first && self->cursor == NULL &&
      ks_sync_page_peek_next (work->bytes, &work->ahead_seq) && work->ahead_seq > self->since)
    {
      work->ahead = TRUE;
      self->since = work->ahead_seq;
      fetch_page (self);
    }
  g_queue_push_tail (&self->to_read, work);
  read_next (self);
}

static void
read_start (KsSyncEngine *self,
            PageWork     *work)
{
  g_autoptr(GTask) task = NULL;

  self->reading = TRUE;
  task = g_task_new (self, NULL, on_page_read, work);
  g_task_set_source_tag (task, read_start);
  g_task_set_task_data (task, work, NULL);   /* on_page_read takes it over */
  g_task_run_in_thread (task, read_thread);
}

static void
fetch_page (KsSyncEngine *self)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/sync?since=");
  g_autofree char *scoped = NULL;

  if (self->client == NULL)
    {
      self->fetched_all = TRUE;
      return;
    }
  g_string_append_printf (path, "%" G_GINT64_FORMAT "&limit=%u", self->since,
                          self->page_size > 0 ? self->page_size :
                          self->first && self->ask_count ? OPENING_PAGE_LIMIT :
                          self->first ? FIRST_PAGE_LIMIT : PAGE_LIMIT);
  if (self->offline)
    g_string_append (path, "&offline=1");
  if (self->ask_count)
    g_string_append (path, "&count=1");
  if (self->cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->cursor, NULL, FALSE);
      g_string_append_printf (path, "&cursor=%s", escaped);
    }
  self->fetching = TRUE;
  self->fetch_start = g_get_monotonic_time ();
  /* A platform operator's cache holds one council: the sync names it. */
  scoped = ks_client_council_path (self->client, path->str);
  ks_client_get_bytes_async (self->client, scoped, self->cancellable, on_page, g_object_ref (self));
}

void
ks_sync_engine_sync_async (KsSyncEngine        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KS_IS_SYNC_ENGINE (self));

  task = ks_client_task_new (self, ks_sync_engine_sync_async, cancellable, callback, user_data);
  g_task_set_check_cancellable (task, FALSE);
  g_ptr_array_add (self->waiting, task);
  if (self->syncing)
    return;

  self->syncing = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->since = self->seq;
  self->first = self->since == 0 && ks_cache_count_reports (self->cache) == 0;
  self->ask_count = TRUE;
  self->fetched_all = FALSE;
  g_clear_error (&self->run_error);
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
  return ks_client_task_finish (self, result, error);
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
ks_sync_engine_set_page_size (KsSyncEngine *self,
                              guint         reports)
{
  g_return_if_fail (KS_IS_SYNC_ENGINE (self));
  self->page_size = MIN (reports, 50000);
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
  if (self->client != NULL)
    g_clear_signal_handler (&self->reachable_handler, self->client);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

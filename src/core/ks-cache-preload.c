/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-cache-preload.c: an account's cache opened and read on a worker thread.
 * The cache's SQLite connection is made and used there only until the answer
 * is handed over; then only the main thread uses it. */
#include "config.h"

#include "ks-cache-preload.h"

void
ks_cache_preload_free (KsCachePreload *preload)
{
  if (preload == NULL)
    return;
  g_clear_object (&preload->cache);
  g_free (preload->me);
  g_clear_object (&preload->reports);
  g_free (preload);
}

static void
preload_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(KsCachePreload) preload = g_new0 (KsCachePreload, 1);
  g_autoptr(GPtrArray) reports = NULL;
  GError *error = NULL;

  if ((preload->cache = ks_cache_open_path (path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  preload->me = ks_cache_get_string (preload->cache, "me");
  if ((reports = ks_cache_load_reports (preload->cache, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Indexed here too, not on the main thread. */
  preload->reports = ks_report_store_new ();
  ks_report_store_replace_all (preload->reports, reports);
  g_task_return_pointer (task, g_steal_pointer (&preload), (GDestroyNotify) ks_cache_preload_free);
}

void
ks_cache_preload_async (const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ks_cache_preload_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, preload_thread);
}

KsCachePreload *
ks_cache_preload_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

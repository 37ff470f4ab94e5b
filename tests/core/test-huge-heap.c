/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-huge-heap.c: the heaps of the threads that make the reports (the
 * cache's reader, the sync's page reader) asked for in huge pages, as the app
 * asks once its process is prepared. Each case runs in a process of its own,
 * prepared first as the app's main() prepares it, so that no thread's heap
 * was asked for before. */
#define G_LOG_DOMAIN "test-huge-heap"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks-cache.h"
#include "ks-cache-preload.h"
#include "ks-huge-heap.h"
#include "ks-report-private.h"
#include "ks-sync-page.h"
#include "ks-test-mapping.h"
#include "ks-test-wait.h"

#define N_REPORTS 3000

/* FALSE, after skipping the test, where this process cannot have such heaps. */
static gboolean
can_test (void)
{
#ifdef KS_TEST_OTHER_ALLOCATOR
  g_test_skip ("Built with a sanitizer: its allocator has no such heaps");
  return FALSE;
#else
  const char *why_not = ks_test_no_huge_pages ();

  if (why_not != NULL)
    {
      g_test_skip (why_not);
      return FALSE;
    }
  return TRUE;
#endif
}

/* Runs the case in a process of its own (main() prepares it first). */
static void
in_own_process (gconstpointer data)
{
  if (!can_test ())
    return;
  g_test_trap_subprocess (data, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Every 100th report's text: where it lies in a worker's heap, that heap is
 * asked for in huge pages; most lie there. (A few small blocks come from the
 * main thread's heap: glibc's per-thread cache hands out again blocks the
 * thread freed, whichever heap they came from.) */
static void
assert_texts_in_huge_heaps (GPtrArray *reports)
{
  guint sampled = 0, in_worker_heap = 0;

  for (guint i = 0; i < reports->len; i += 100)
    {
      KsReport *report = g_ptr_array_index (reports, i);
      gboolean heap = TRUE, huge = FALSE;

      ks_test_find_mapping (report->title, &heap, &huge);
      sampled++;
      if (heap)
        continue;
      in_worker_heap++;
      g_assert_true (huge);
    }
  g_assert_cmpuint (in_worker_heap, >=, sampled / 2);
}

static gpointer
make_and_follow (gpointer data)
{
  gboolean *seen = data;
  char *block = malloc (200);
  gboolean heap = TRUE;

  g_assert_nonnull (block);
  memset (block, 1, 200);
  /* A new thread's heap is not asked for in huge pages by itself... */
  ks_test_find_mapping (block, &heap, &seen[0]);
  g_assert_false (heap);
  /* ...and is once a block of it was followed; again costs nothing. */
  ks_huge_heap_follow (block);
  ks_huge_heap_follow (block);
  ks_test_find_mapping (block, &heap, &seen[1]);
  free (block);
  return NULL;
}

static void
test_worker_block (void)
{
  gboolean seen[2] = { TRUE, FALSE };
  g_autoptr(GThread) thread = NULL;

  thread = g_thread_new ("maker", make_and_follow, seen);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_false (seen[0]);
  g_assert_true (seen[1]);
}

static void
test_cache_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KsCachePreload) preload = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  dir = g_dir_make_tmp ("ks-huge-heap-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "cache.db", NULL);
  {
    g_autoptr(KsCache) cache = ks_cache_open_path (path, &error);

    g_assert_no_error (error);
    g_assert_true (ks_cache_begin (cache, &error));
    for (gint64 id = 1; id <= N_REPORTS; id++)
      {
        g_autoptr(JsonObject) obj = json_object_new ();
        g_autofree char *title = g_strdup_printf ("Pothole outside number %" G_GINT64_FORMAT, id);

        json_object_set_int_member (obj, "id", id);
        json_object_set_string_member (obj, "title", title);
        json_object_set_string_member (obj, "state", "open");
        json_object_set_int_member (obj, "seq", id);
        g_assert_true (ks_cache_put_report (cache, obj, &error));
      }
    g_assert_true (ks_cache_commit (cache, &error));
  }

  /* The app's start reads the cache on a worker thread. */
  ks_cache_preload_async (path, NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  preload = ks_cache_preload_finish (result, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (preload->reports));
  g_assert_cmpuint (n, ==, N_REPORTS);
  /* Their texts, malloc()ed by the reader (not the objects, which may be
   * blocks the main thread freed: GLib's slices are shared by threads). */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (reports, g_list_model_get_item (G_LIST_MODEL (preload->reports), i));
  assert_texts_in_huge_heaps (reports);

  g_clear_pointer (&preload, ks_cache_preload_free);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gpointer
parse_page (gpointer data)
{
  g_autoptr(GString) text = g_string_new ("{\"reports\":[");
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  KsSyncPage *page;

  for (guint id = 1; id <= N_REPORTS; id++)
    g_string_append_printf (text, "%s{\"id\":%u,\"title\":\"Fly-tipping by gate %u\",\"seq\":%u}",
                            id > 1 ? "," : "", id, id, id);
  g_string_append_printf (text, "],\"seq\":%u,\"more\":false}", N_REPORTS);
  bytes = g_bytes_new (text->str, text->len);
  page = ks_sync_page_parse (bytes, &error);
  g_assert_no_error (error);
  return page;
}

static void
test_sync_page (void)
{
  g_autoptr(KsSyncPage) page = NULL;

  /* The sync reads its pages on a worker thread. */
  page = g_thread_join (g_thread_new ("page reader", parse_page, NULL));
  g_assert_cmpuint (page->reports->len, ==, N_REPORTS);
  assert_texts_in_huge_heaps (page->reports);
}

int
main (int argc, char **argv)
{
  /* As the app's main() does, before any thread. */
  ks_huge_heap_prepare ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/huge-heap/worker-block/subprocess", test_worker_block);
  g_test_add_func ("/huge-heap/cache-read/subprocess", test_cache_read);
  g_test_add_func ("/huge-heap/sync-page/subprocess", test_sync_page);
  g_test_add_data_func ("/huge-heap/worker-block", "/huge-heap/worker-block/subprocess", in_own_process);
  g_test_add_data_func ("/huge-heap/cache-read", "/huge-heap/cache-read/subprocess", in_own_process);
  g_test_add_data_func ("/huge-heap/sync-page", "/huge-heap/sync-page/subprocess", in_own_process);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-core.c: the app's core with a council's volume: first sync of N reports
 * from a local kerbside-server, loading them back from the cache (time, memory),
 * and filtering and searching them. Prints figures; no pass/fail thresholds. */
#define G_LOG_DOMAIN "bench-core"

#include "ks-session.h"
#include "ks-report-private.h"
#include "ks-test-server.h"

#include <stdio.h>
#include <string.h>

static long
rss_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (p = strstr (status, field)) == NULL)
    return -1;
  return strtol (p + strlen (field) + 1, NULL, 10);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gint64 sign_in_start;

static void
on_progress (KsSyncEngine *sync, guint64 done, guint64 total, gpointer data)
{
  printf ("    progress: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " at %.2f s\n",
          done, total, ms_since (sign_in_start) / 1000.0);
}

/* The sync engine exists once signed in; its first page comes later. */
static void
on_signed_in (KsSession *session, GParamSpec *pspec, gpointer data)
{
  if (ks_session_is_signed_in (session) && ks_session_get_sync (session) != NULL)
    g_signal_connect (ks_session_get_sync (session), "progress", G_CALLBACK (on_progress), NULL);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ks_test_init_dirs ();
  int n = argc > 1 ? atoi (argv[1]) : 100000;
  KsTestServer *server;
  g_autoptr(KsSession) session = ks_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KsCache) cache = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(KsReportStore) store = NULL;
  g_autoptr(KsReportFilter) filter = NULL;
  g_autofree char *cache_path = NULL;
  const char *open_states[] = { "confirmed", "investigating", "in_progress", "action_scheduled", NULL };
  gint64 cats[] = { 1, 3, 5 };
  const char *searches[] = { "street light", "blocked drain", "fly", "graffiti wall", "osney",
                             "12", "zzz", "the", NULL };
  double worst = 0;
  long rss_before;
  gint64 t;

  printf ("Core benchmark with %d reports\n", n);
  t = g_get_monotonic_time ();
  server = ks_test_server_new (dir, n);
  printf ("  demo database made in %.1f s\n", ms_since (t) / 1000.0);

  g_signal_connect (session, "notify::signed-in", G_CALLBACK (on_signed_in), NULL);
  sign_in_start = t = g_get_monotonic_time ();
  ks_session_sign_in_async (session, server->url, "inspector@demo.invalid", KS_TEST_PASSWORD, NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  if (!ks_session_sign_in_finish (session, result, &error))
    g_error ("sign-in: %s", error->message);
  g_clear_object (&result);
  printf ("  signed in after %.0f ms (the first sync runs from there)\n", ms_since (t));
  /* Sign-in started the first sync already; wait for it to finish. */
  ks_sync_engine_sync_async (ks_session_get_sync (session), NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  if (!ks_sync_engine_sync_finish (ks_session_get_sync (session), result, &error))
    g_error ("sync: %s", error->message);
  /* Against a fresh demo database, which keeps no rendered sync items: the
   * server renders every report for this sync (--benchmark app measures the
   * sync against a server that keeps them). */
  printf ("  first sync: %u reports in %.2f s from the sign-in request (offline data, cache written; "
          "a fresh database: the server renders every report)\n",
          g_list_model_get_n_items (ks_session_get_reports (session)), ms_since (t) / 1000.0);
  cache_path = g_strdup (ks_cache_get_path (ks_session_get_cache (session)));
  g_clear_object (&result);
  g_clear_object (&session);
  ks_test_server_free (server);

  /* A fresh start: open the cache and fill the model. */
  rss_before = rss_kb ("VmRSS:");
  t = g_get_monotonic_time ();
  cache = ks_cache_open_path (cache_path, &error);
  g_assert_no_error (error);
  reports = ks_cache_load_reports (cache, &error);
  g_assert_no_error (error);
  store = ks_report_store_new ();
  ks_report_store_replace_all (store, reports);
  filter = ks_report_filter_new (G_LIST_MODEL (store));
  printf ("  load from cache: %u reports in %.0f ms (model and sorted filtered view ready)\n",
          reports->len, ms_since (t));
  printf ("  memory: RSS %ld MB (%ld MB for the reports), peak %ld MB\n",
          rss_kb ("VmRSS:") / 1024, (rss_kb ("VmRSS:") - rss_before) / 1024, rss_kb ("VmHWM:") / 1024);

  t = g_get_monotonic_time ();
  ks_report_filter_set_states (filter, open_states);
  printf ("  filter by state: %u shown in %.1f ms\n", g_list_model_get_n_items (G_LIST_MODEL (filter)), ms_since (t));
  t = g_get_monotonic_time ();
  ks_report_filter_set_categories (filter, cats, G_N_ELEMENTS (cats));
  printf ("  + by category: %u shown in %.1f ms\n", g_list_model_get_n_items (G_LIST_MODEL (filter)), ms_since (t));
  ks_report_filter_reset (filter);
  t = g_get_monotonic_time ();
  ks_report_filter_set_text (filter, "pothole");
  printf ("  text search (the first one, text folded at load): %u shown in %.1f ms\n",
          g_list_model_get_n_items (G_LIST_MODEL (filter)), ms_since (t));
  t = g_get_monotonic_time ();
  ks_report_filter_set_text (filter, "street light");
  printf ("  text search (again): %u shown in %.1f ms\n",
          g_list_model_get_n_items (G_LIST_MODEL (filter)), ms_since (t));
  for (guint i = 0; searches[i] != NULL; i++)
    {
      double ms;

      t = g_get_monotonic_time ();
      ks_report_filter_set_text (filter, searches[i]);
      ms = ms_since (t);
      worst = MAX (worst, ms);
      printf ("  text search \"%s\": %u shown in %.1f ms\n", searches[i],
              g_list_model_get_n_items (G_LIST_MODEL (filter)), ms);
    }
  printf ("  slowest text search: %.1f ms\n", worst);
  t = g_get_monotonic_time ();
  ks_report_filter_set_text (filter, NULL);
  printf ("  clear the filter: %u shown in %.1f ms\n", g_list_model_get_n_items (G_LIST_MODEL (filter)), ms_since (t));
  printf ("  peak RSS %ld MB\n", rss_kb ("VmHWM:") / 1024);
  return 0;
}

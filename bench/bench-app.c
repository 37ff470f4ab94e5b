/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-app.c: the desktop app with a large cache. For each size (100,000 and
 * 500,000 reports unless KS_BENCH_REPORTS lists others, "100000,500000"), a
 * first process signs in as an inspector (who may keep reports offline) and
 * syncs every report from a local server (timed: the first sync through the
 * app; then the same by the core alone, for the ratio; KS_BENCH_RUNS such
 * pairs, the first pair's app filling the cache the starts read and the
 * others' syncing into caches of their own; all once the server's
 * housekeeping has kept every report's rendered item ahead, as a server that
 * has run a while has them, and after an uncounted sync); then the app is
 * started again KS_BENCH_RUNS times (default 3), each a new process, as a
 * person would the next morning. Each start measures the launch to the first
 * frame of any page, to the first frame showing reports,
 * to every report in the model, the memory in use, and a filter, a search and
 * a clear until their frame is drawn: straight after the first frame with
 * reports, and again a second later. Prints each run, the spread, and each figure
 * beside its target, with the load average before and after. With
 * KS_BENCH_PERF=PREFIX each start runs under `perf record -g` into
 * PREFIX-N-RUN.data (to see where the time goes: perf report -i ...), with
 * KS_BENCH_PERF_CALLGRAPH=dwarf as well for whole stacks through GLib and GTK.
 * KS_BENCH_VIEW=list makes the filter, search and clear with the list shown
 * instead of the map (the window's first view); KS_BENCH_REPEAT=N makes them N
 * times more, unmeasured, before the measured ones (for a profile of them).
 * With KS_BENCH_COMPARE=PATH (another build of bench-app, say the one before a
 * change), each run also starts that build, right after this one, on the same
 * cache: both are measured under the same load, interleaved.
 *
 * Run under tests/gui/run-gui-test.sh (X server and keyring). */
#define G_LOG_DOMAIN "bench-app"

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test-cache.h"
#include "ks-gui-test.h"
#include "ks-process.h"

#define MEASURE "--measure"
#define CORE_SYNC "--core-sync"

static KsWindow *window;

/* What one start measured, in ms (RSS in MiB). */
enum {
  FIG_ANY_FRAME,
  FIG_FIRST_REPORTS,
  FIG_REPORTS_FRAME,
  FIG_ALL_MODEL,
  FIG_CPU,
  FIG_RSS,
  FIG_VIEW,
  FIG_FILTER,
  FIG_SEARCH,
  FIG_CLEAR,
  FIG_START_CPU,
  FIG_CHANGES_CPU,
  FIG_SETTLED_FILTER,
  FIG_SETTLED_SEARCH,
  FIG_SETTLED_CLEAR,
  N_FIGS
};

static const struct {
  const char *key;
  const char *name;
} figs[N_FIGS] = {
  { "any_frame", "launch to the first frame (any page)" },
  { "first_reports", "launch to reports in the model" },
  { "reports_frame", "launch to the first frame showing reports" },
  { "all_model", "launch to every cached report in the model" },
  { "cpu", "CPU time used to the first frame with reports" },
  { "rss", "RSS after load (MiB)" },
  { "view", "KS_BENCH_VIEW's view opened, to its frame" },
  { "filter", "filter by state, to its frame" },
  { "search", "text search \"street light\", to its frame" },
  { "clear", "clear the filters, to its frame" },
  { "start_cpu", "CPU time of the whole start (every thread)" },
  { "changes_cpu", "CPU time of the filter, search and clear" },
  { "settled_filter", "a second later: filter, to its frame" },
  { "settled_search", "a second later: search, to its frame" },
  { "settled_clear", "a second later: clear, to its frame" },
};

/* The targets: first frame with reports <= 450 ms at 100,000 and < 1 s at
 * 500,000; RSS < 400 MB at 500,000; filter and search < 100 ms. */
static double
target_for (guint fig,
            guint n)
{
  switch (fig)
    {
    case FIG_REPORTS_FRAME: return n <= 100000 ? 450 : 1000;
    case FIG_RSS:           return n <= 100000 ? 300 * 1e6 / (1 << 20) : 400 * 1e6 / (1 << 20);
    case FIG_FILTER:
    case FIG_SEARCH:
    case FIG_CLEAR:
    case FIG_SETTLED_FILTER:
    case FIG_SETTLED_SEARCH:
    case FIG_SETTLED_CLEAR: return 100;
    default:                return 0;
    }
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

/* CPU time this process used so far (every thread), in ms. */
static double
cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  parts = g_strsplit (text, " ", 4);
  return g_strdup_printf ("%s %s %s", parts[0], parts[1], parts[2]);
}

/* The measured start (a child process) */

static gint64 first_paint;

static void
on_first_paint (GdkFrameClock *clock,
                gpointer       data)
{
  if (first_paint == 0)
    first_paint = g_get_monotonic_time ();
}

static gboolean
reports_in_model (gpointer data)
{
  KsSession *session = ks_window_get_session (window);

  return ks_gui_page_is (window, "main") &&
         g_list_model_get_n_items (G_LIST_MODEL (ks_session_get_filter (session))) > 0;
}

static gboolean
all_in_model (gpointer data)
{
  KsSession *session = ks_window_get_session (window);

  return ks_gui_page_is (window, "main") &&
         g_list_model_get_n_items (ks_session_get_reports (session)) >= GPOINTER_TO_UINT (data);
}

static double
ms_since (gint64 t)
{
  return (g_get_monotonic_time () - t) / 1000.0;
}

/* A change to the filter, until the window has drawn it. */
static double
time_to_frame (void (*change) (KsReportFilter *filter))
{
  KsReportFilter *filter = ks_session_get_filter (ks_window_get_session (window));
  gint64 t = g_get_monotonic_time ();

  change (filter);
  if (!ks_gui_wait_painted (GTK_WIDGET (window), 30))
    g_error ("The window was not drawn after a filter change.");
  return ms_since (t);
}

static void
filter_open (KsReportFilter *filter)
{
  static const char *open_states[] = { "confirmed", "investigating", "in_progress", "action_scheduled", NULL };

  ks_report_filter_set_states (filter, open_states);
}

static void
search_text (KsReportFilter *filter)
{
  ks_report_filter_set_text (filter, "street light");
}

static void
clear_filters (KsReportFilter *filter)
{
  ks_report_filter_freeze (filter);
  ks_report_filter_set_text (filter, NULL);
  ks_report_filter_set_states (filter, NULL);
  ks_report_filter_thaw (filter);
}

static int
measure (const char *url,
         guint       n)
{
  g_autoptr(KsApplication) app = NULL;
  double f[N_FIGS];
  gint64 t0;

  /* The measured start: the cache holds every report. */
  t0 = g_get_monotonic_time ();
  /* As the app starts: its startup (in the registration) starts reading
   * the cache, then GTK and libadwaita. */
  app = ks_gui_test_app_new (url, "inspector@demo.invalid");
  window = ks_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_first_paint), NULL);

  if (!ks_test_wait_for (reports_in_model, NULL, 120))
    g_error ("The app did not show the cached reports.");
  f[FIG_FIRST_REPORTS] = ms_since (t0);
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  f[FIG_REPORTS_FRAME] = ms_since (t0);
  f[FIG_CPU] = cpu_ms ();
  f[FIG_ANY_FRAME] = (first_paint - t0) / 1000.0;
  if (!ks_test_wait_for (all_in_model, GUINT_TO_POINTER (n), 120))
    g_error ("The app did not load every cached report.");
  f[FIG_ALL_MODEL] = ms_since (t0);
  ks_gui_wait_painted (GTK_WIDGET (window), 30);
  f[FIG_RSS] = rss_kib () / 1024.0;
  /* KS_BENCH_VIEW=list: the changes are made with the list shown (the map
   * is the first view). */
  f[FIG_VIEW] = 0;
  if (g_getenv ("KS_BENCH_VIEW") != NULL)
    {
      gint64 t = g_get_monotonic_time ();

      ks_window_set_view (window, g_getenv ("KS_BENCH_VIEW"));
      ks_gui_wait_painted (GTK_WIDGET (window), 30);
      f[FIG_VIEW] = ms_since (t);
    }

  /* KS_BENCH_REPEAT=N: the changes N times more before the measured ones,
   * so that a profile (KS_BENCH_PERF) is mostly theirs. */
  for (guint64 r = g_ascii_strtoull (g_getenv ("KS_BENCH_REPEAT") ? g_getenv ("KS_BENCH_REPEAT") : "0", NULL, 10);
       r > 0; r--)
    {
      time_to_frame (filter_open);
      time_to_frame (search_text);
      time_to_frame (clear_filters);
    }
  f[FIG_CHANGES_CPU] = cpu_ms ();
  f[FIG_FILTER] = time_to_frame (filter_open);
  f[FIG_SEARCH] = time_to_frame (search_text);
  f[FIG_CLEAR] = time_to_frame (clear_filters);
  f[FIG_CHANGES_CPU] = cpu_ms () - f[FIG_CHANGES_CPU];
  /* The same once the start's tail is over: the changes above come straight
   * after the first frame with reports, while the map draws its first tiles
   * and the window its first full frame with them. */
  ks_test_iterate (1000);
  f[FIG_SETTLED_FILTER] = time_to_frame (filter_open);
  f[FIG_SETTLED_SEARCH] = time_to_frame (search_text);
  f[FIG_SETTLED_CLEAR] = time_to_frame (clear_filters);
  f[FIG_START_CPU] = -1;   /* read by the parent */

  printf ("RESULT");
  for (guint i = 0; i < N_FIGS; i++)
    printf (" %s=%.1f", figs[i].key, f[i]);
  printf ("\n");
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* The same first sync by the core alone (a child process with a cache
 * directory of its own), for the app / core ratio: from the sign-in request
 * until every report is in the cache, and from the process's launch
 * (launched: the parent's monotonic time when it started it). */
static int
core_sync (const char *url,
           gint64      launched)
{
  g_autofree char *cache_dir = ks_test_make_tmp ("kerbside-bench-core");
  g_autoptr(KsSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0;

  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", cache_dir, TRUE);
  session = ks_session_new ();
  t0 = g_get_monotonic_time ();
  ks_session_sign_in_async (session, url, "inspector@demo.invalid", KS_TEST_PASSWORD, NULL,
                            ks_test_store_result, &result);
  ks_test_wait (&result);
  if (!ks_session_sign_in_finish (session, result, &error))
    g_error ("sign-in: %s", error->message);
  g_clear_object (&result);
  /* Sign-in started the first sync; this waits for it. */
  ks_sync_engine_sync_async (ks_session_get_sync (session), NULL, ks_test_store_result, &result);
  ks_test_wait (&result);
  if (!ks_sync_engine_sync_finish (ks_session_get_sync (session), result, &error))
    g_error ("sync: %s", error->message);
  printf ("RESULT core_sync=%.1f core_sync_from_launch=%.1f\n", ms_since (t0), ms_since (launched));
  return 0;
}

/* The core's first sync in a new process: ms from the sign-in; and in
 * *from_launch, from the process's launch. */
static double
run_core_sync (const char *self,
               const char *url,
               double     *from_launch)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *launched = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  const char *at, *at_launch;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, CORE_SYNC, url, launched, NULL);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (child) || (at = strstr (out, "core_sync=")) == NULL ||
      (at_launch = strstr (out, "core_sync_from_launch=")) == NULL)
    g_error ("The core's sync failed: %s", error ? error->message : out);
  if (from_launch != NULL)
    *from_launch = g_ascii_strtod (at_launch + strlen ("core_sync_from_launch="), NULL);
  return g_ascii_strtod (at + strlen ("core_sync="), NULL);
}

/* The benchmark (the first process) */

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* One measured start of prog (a new process), its figures appended to values. */
static void
measure_once (const char *prog,
              const char *url,
              guint       n,
              const char *n_text,
              guint       run,
              const char *tag,
              GArray    **values)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *line;
  struct rusage before, after;

  /* The child's CPU time, read here rather than by the child: the same
   * figure for any build measured, and steadier than wall-clock times on a
   * loaded machine. */
  getrusage (RUSAGE_CHILDREN, &before);
  if (g_getenv ("KS_BENCH_PERF"))
    {
      /* Sampled: perf record -g into KS_BENCH_PERF-N-RUN.data. */
      g_autofree char *data = g_strdup_printf ("%s%s-%u-%u.data", g_getenv ("KS_BENCH_PERF"), tag, n, run + 1);
      /* KS_BENCH_PERF_CALLGRAPH=dwarf: stacks through the libraries
       * built without frame pointers (GLib, GTK), at a lower rate. */
      const char *graph = g_getenv ("KS_BENCH_PERF_CALLGRAPH");

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                "perf", "record", "-q", "-F", graph ? "499" : "1999",
                                "--call-graph", graph ? graph : "fp", "-o", data, "--",
                                prog, MEASURE, url, n_text, NULL);
    }
  else
    child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              prog, MEASURE, url, n_text, NULL);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (child))
    g_error ("A measured start failed: %s", error ? error->message : "it did not exit cleanly");
  getrusage (RUSAGE_CHILDREN, &after);
  if ((line = strstr (out, "RESULT")) == NULL)
    g_error ("A measured start printed no result: %s", out);
  for (guint i = 0; i < N_FIGS; i++)
    {
      g_autofree char *key = g_strdup_printf (" %s=", figs[i].key);
      const char *at = strstr (line, key);
      double v = at ? g_ascii_strtod (at + strlen (key), NULL) : -1;

      if (i == FIG_START_CPU)
        v = (after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1000.0 +
            (after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1000.0;
      g_array_append_val (values[i], v);
    }
}

/* Each figure's spread, median and target (sorts values). */
static void
print_summary (GArray **values,
               guint    n,
               guint    runs)
{
  printf ("%-48s %-22s %-8s %s\n", "measure", "runs (min-max)", "median", "target");
  for (guint i = 0; i < N_FIGS; i++)
    {
      GArray *v = values[i];
      double target = target_for (i, n);
      double median;
      g_autofree char *spread = NULL;
      g_autofree char *verdict = NULL;

      g_array_sort (v, cmp_double);
      median = g_array_index (v, double, v->len / 2);
      spread = g_strdup_printf ("%.0f-%.0f", g_array_index (v, double, 0), g_array_index (v, double, v->len - 1));
      if (median < 0)
        verdict = g_strdup ("not measured by this build");
      else if (target > 0)
        verdict = g_strdup_printf ("%s %.0f: %s", i == FIG_RSS ? "<" : "<=", target,
                                   median <= target ? "met" : "NOT met");
      printf ("%-48s %-22s %-8.0f %s\n", figs[i].name, spread, median, verdict ? verdict : "-");
    }
  printf ("first frame with reports / first frame of any page (medians): %.2f\n",
          g_array_index (values[FIG_REPORTS_FRAME], double, runs / 2) /
          MAX (g_array_index (values[FIG_ANY_FRAME], double, runs / 2), 1));
}

/* Waits until every report has its sync item kept (the server's housekeeping
 * keeps them ahead from its start): TRUE; FALSE when ten seconds go by
 * without one more kept (a server that keeps none ahead). */
static gboolean
wait_kept_ahead (KsTestServer *server)
{
  gint64 missing = G_MAXINT64, last_progress = g_get_monotonic_time ();

  for (;;)
    {
      gint64 now_missing = ks_test_server_query_int (server,
        "SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM report_fragments f "
        "WHERE f.report_id = r.id AND f.seq = r.seq)");

      if (now_missing == 0)
        return TRUE;
      if (now_missing < missing)
        {
          missing = now_missing;
          last_progress = g_get_monotonic_time ();
        }
      else if (g_get_monotonic_time () - last_progress > 10 * G_USEC_PER_SEC)
        return FALSE;
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

/* The first syncs' figures, a value per pair. */
enum {
  SYNC_APP_SIGN_IN,
  SYNC_APP_LAUNCH,
  SYNC_CORE_SIGN_IN,
  SYNC_CORE_LAUNCH,
  SYNC_RATIO_LAUNCH,
  SYNC_RATIO_SIGN_IN,
  N_SYNCS
};

static void
add_sync (GArray **syncs,
          guint    which,
          double   value)
{
  g_array_append_val (syncs[which], value);
}

/* A first sync through the app into a cache of its own (a new data
 * directory), so that the cache the starts read stays as the first pair
 * left it. The app signs in with the same account: its token in the keyring
 * is written again. */
static double
app_sync_apart (const char *self,
                const char *url,
                guint       n,
                double     *from_sign_in)
{
  static const char *const names[] = { "XDG_DATA_HOME", "XDG_CACHE_HOME" };
  g_autofree char *dir = ks_test_make_tmp ("kerbside-bench-app-sync");
  char *kept[G_N_ELEMENTS (names)];
  double ms;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *sub = g_build_filename (dir, names[i], NULL);

      kept[i] = g_strdup (g_getenv (names[i]));
      g_mkdir_with_parents (sub, 0700);
      g_setenv (names[i], sub, TRUE);
    }
  ms = ks_gui_test_fill_cache (self, url, n, TRUE, from_sign_in);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (kept[i] != NULL)
        g_setenv (names[i], kept[i], TRUE);
      else
        g_unsetenv (names[i]);
      g_free (kept[i]);
    }
  return ms;
}

/* The spread (min-max) and median of a first-sync figure (sorts it). */
static char *
sync_spread (GArray     *v,
             const char *format)
{
  g_autofree char *fmt = g_strdup_printf ("%s-%s (%s)", format, format, format);

  g_array_sort (v, cmp_double);
  return g_strdup_printf (fmt, g_array_index (v, double, 0), g_array_index (v, double, v->len - 1),
                          g_array_index (v, double, v->len / 2));
}

static void
print_syncs (GArray **syncs,
             guint    n,
             guint    pairs)
{
  g_autofree char *app_in = sync_spread (syncs[SYNC_APP_SIGN_IN], "%.0f");
  g_autofree char *app_launch = sync_spread (syncs[SYNC_APP_LAUNCH], "%.0f");
  g_autofree char *core_in = sync_spread (syncs[SYNC_CORE_SIGN_IN], "%.0f");
  g_autofree char *core_launch = sync_spread (syncs[SYNC_CORE_LAUNCH], "%.0f");
  g_autofree char *ratio = sync_spread (syncs[SYNC_RATIO_LAUNCH], "%.2f");
  g_autofree char *ratio_in = sync_spread (syncs[SYNC_RATIO_SIGN_IN], "%.2f");
  double core_median = g_array_index (syncs[SYNC_CORE_SIGN_IN], double, pairs / 2);
  double ratio_median = g_array_index (syncs[SYNC_RATIO_LAUNCH], double, pairs / 2);

  printf ("first sync of %u reports, %u pairs (spread, median):\n"
          "  through the app: %s ms from the sign-in, %s ms from its launch\n"
          "  by the core alone: %s ms from the sign-in (target < 1000 at 100,000%s), %s ms from its launch\n"
          "  app / core, each from its launch: %s (target <= 1.5: %s)\n"
          "  app / core, each from the sign-in: %s\n",
          n, pairs, app_in, app_launch, core_in,
          n != 100000 ? "" : core_median < 1000 ? ": met" : ": NOT met",
          core_launch, ratio, ratio_median <= 1.5 ? "met" : "NOT met", ratio_in);
  fflush (stdout);
}

static void
run_size (const char *self,
          const char *dir,
          guint       n,
          guint       runs)
{
  g_autofree char *sub = g_strdup_printf ("%s/n%u", dir, n);
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  GArray *values[2][N_FIGS];
  const char *progs[2];
  guint n_progs;
  g_autofree char *load_before = NULL, *load_after = NULL;
  KsTestServer *server;
  GArray *syncs[N_SYNCS];
  gint64 t0;

  g_mkdir_with_parents (sub, 0700);
  printf ("\n== %u cached reports ==\n", n);
  t0 = g_get_monotonic_time ();
  server = ks_test_server_new (sub, (int) n);
  printf ("demo database of %u reports: %.1f s\n", n, ms_since (t0) / 1000.0);
  fflush (stdout);
  /* A fresh demo database keeps no rendered sync items: the server's
   * housekeeping keeps them ahead from its start (at the lowest priority), as
   * after an upgrade. The syncs below meet a server that has them, as one
   * that has run a while; the first is not counted. */
  t0 = g_get_monotonic_time ();
  if (wait_kept_ahead (server))
    printf ("every report's sync item kept ahead by the server's housekeeping: %.1f s after it "
            "listened (nothing else running)\n", ms_since (t0) / 1000.0);
  else
    printf ("the server's housekeeping stopped keeping items ahead after %.1f s with some "
            "missing: the first sync renders and keeps them\n", ms_since (t0) / 1000.0);
  printf ("a first sync (not counted): %.0f ms\n", run_core_sync (self, server->url, NULL));
  /* The first sync in pairs, the app's then the core's: the first pair's
   * app fills the cache the starts below read, the others' go to caches of
   * their own. The ratio that counts takes each process from its launch: the
   * app's start (GTK, the window) is part of its sync as a person meets it,
   * and the core's process start is counted the same way. From the sign-in
   * request, the same two syncs without either start. */
  for (guint i = 0; i < N_SYNCS; i++)
    syncs[i] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint pair = 0; pair < runs; pair++)
    {
      double app_from_launch, app_from_sign_in, core, core_from_launch;

      app_from_launch = pair == 0
        ? ks_gui_test_fill_cache (self, server->url, n, TRUE, &app_from_sign_in)
        : app_sync_apart (self, server->url, n, &app_from_sign_in);
      core = run_core_sync (self, server->url, &core_from_launch);
      printf ("first sync of %u reports by the core alone: %.0f ms from the sign-in, %.0f ms from its launch; "
              "app / core %.2f from the launches, %.2f from the sign-in\n",
              n, core, core_from_launch, app_from_launch / core_from_launch, app_from_sign_in / core);
      fflush (stdout);
      add_sync (syncs, SYNC_APP_LAUNCH, app_from_launch);
      add_sync (syncs, SYNC_APP_SIGN_IN, app_from_sign_in);
      add_sync (syncs, SYNC_CORE_SIGN_IN, core);
      add_sync (syncs, SYNC_CORE_LAUNCH, core_from_launch);
      add_sync (syncs, SYNC_RATIO_LAUNCH, app_from_launch / core_from_launch);
      add_sync (syncs, SYNC_RATIO_SIGN_IN, app_from_sign_in / core);
    }
  print_syncs (syncs, n, runs);
  for (guint i = 0; i < N_SYNCS; i++)
    g_array_unref (syncs[i]);

  /* With KS_BENCH_COMPARE (another build of this program), each run starts
   * that build too, right after this one, on the same cache and server: a
   * before / after in the same conditions. */
  progs[0] = self;
  progs[1] = g_getenv ("KS_BENCH_COMPARE");
  n_progs = progs[1] != NULL && progs[1][0] != '\0' ? 2 : 1;
  for (guint p = 0; p < n_progs; p++)
    for (guint i = 0; i < N_FIGS; i++)
      values[p][i] = g_array_new (FALSE, FALSE, sizeof (double));
  load_before = load_average ();
  for (guint run = 0; run < runs; run++)
    for (guint p = 0; p < n_progs; p++)
      {
        g_autofree char *load = load_average ();

        measure_once (progs[p], server->url, n, n_text, run, p == 1 ? "-compared" : "", values[p]);
        printf ("run %u%s (load %s):", run + 1, p == 1 ? " compared build" : "", load);
        for (guint i = 0; i < N_FIGS; i++)
          printf (" %s %.0f", figs[i].key, g_array_index (values[p][i], double, run));
        printf ("\n");
        fflush (stdout);
      }
  load_after = load_average ();

  for (guint p = 0; p < n_progs; p++)
    {
      if (n_progs > 1)
        printf ("-- %s --\n", p == 0 ? "this build" : progs[1]);
      print_summary (values[p], n, runs);
    }
  printf ("load average (1, 5, 15 min) before the runs: %s; after: %s\n", load_before, load_after);
  fflush (stdout);
  for (guint p = 0; p < n_progs; p++)
    for (guint i = 0; i < N_FIGS; i++)
      g_array_unref (values[p][i]);
  ks_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  int status;
  g_autofree char *dir = NULL;
  g_auto(GStrv) sizes = NULL;
  guint runs = 3;

  /* As the app's main() does: the measured starts are this program's. */
  ks_process_prepare ();
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (ks_gui_test_fill_cache_child (argc, argv, &status))
    return status;
  if (argc == 4 && g_str_equal (argv[1], MEASURE))
    return measure (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 4 && g_str_equal (argv[1], CORE_SYNC))
    return core_sync (argv[2], g_ascii_strtoll (argv[3], NULL, 10));

  sizes = g_strsplit (g_getenv ("KS_BENCH_REPORTS") ? g_getenv ("KS_BENCH_REPORTS") : "100000,500000", ",", -1);
  if (g_getenv ("KS_BENCH_RUNS"))
    runs = MAX ((guint) g_ascii_strtoull (g_getenv ("KS_BENCH_RUNS"), NULL, 10), 1);
  dir = ks_test_init_dirs ();
  printf ("App benchmark: %u starts a size; load average %s\n", runs, load_average ());
  for (guint i = 0; sizes[i] != NULL; i++)
    run_size (argv[0], dir, (guint) g_ascii_strtoull (sizes[i], NULL, 10), runs);
  return 0;
}

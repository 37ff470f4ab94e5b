/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo.c: the demo council and its data set.
 *
 * `kerbside-server demo` creates (or refreshes) Oxford City Council with its staff,
 * roles, categories, priorities, templates and N reports spread over the last two
 * years. The same seed gives the same data (times are relative to the moment of
 * generation).
 *
 * It works in three passes: plan every report and its timeline in memory (all the
 * random choices, from one GRand: ks-demo-plan.c, its words ks-demo-text.c),
 * number the changes in the order they happened (the sync sequence), then write
 * everything in one transaction through the store's demo writer (for SQLite,
 * sqlite/ks-sqlite-demo-writer.c). */
#define G_LOG_DOMAIN "ks-demo"

#include "demo/ks-demo.h"
#include "councils/ks-boundaries.h"
#include "places/ks-places-import.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <gio/gio.h>
#include "demo/ks-demo-plan.h"
#include "demo/ks-demo-photos.h"
#include "ks-error.h"
#include "auth/ks-password-hash.h"
#include "ks-permissions.h"
#include "ks-states.h"
#include "ks-time.h"

static gboolean
check_tables (GError **error)
{
  if (ks_demo_n_staff != N_STAFF)
    goto bad;
  for (guint s = 0; s < N_ST; s++)
    if (!ks_state_is_valid (ks_demo_state_ids[s]))
      goto bad;
  return TRUE;

bad:
  g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
               "The demo data tables do not match this build's states or staff; "
               "rebuild kerbside-server from a clean tree.");
  return FALSE;
}

/* bcrypt is slow on purpose: the staff passwords are hashed on threads of their
 * own while the reports are planned, before the write lock is taken. */
typedef struct {
  int      cost;
  char    *hash;
  GError  *error;
  GThread *thread;
} HashJob;

static gpointer
hash_thread (gpointer data)
{
  HashJob *job = data;

  job->hash = ks_password_hash (KS_DEMO_PASSWORD, job->cost, &job->error);
  return NULL;
}

/* KERBSIDE_DEMO_NOW (Unix seconds) pins the moment the data is laid out from, so
 * that the same seed gives exactly the same database (for tests and benchmarks). */
static gboolean
demo_now_override (gint64 *now, GError **error)
{
  const char *text = g_getenv ("KERBSIDE_DEMO_NOW");
  gint64 value;

  if (text == NULL || *text == '\0')
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, SPAN, G_MAXINT32, &value, NULL))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "KERBSIDE_DEMO_NOW must be a time in Unix seconds, such as 1767225600; "
                   "unset it to use the current time.");
      return FALSE;
    }
  *now = value;
  return TRUE;
}

static void
show_reward (gint64 done, gint64 changed, gpointer data)
{
  if (done % 10000 == 0 || done < 1000)
    g_printerr ("demo: wards of %" G_GINT64_FORMAT " reports checked (%" G_GINT64_FORMAT
                " changed)\n", done, changed);
}

/* The demo's area and wards (data/demo/): approximate, drawn by the project (the
 * wards are the areas nearest each ward's rough centre, inside an outline around
 * the town's streets), not Oxford's official boundaries. Every report takes its
 * ward from them, as a real council's reports do. */
static gboolean
import_boundaries (KsStore  *store,
                   gint64    body_id,
                   GError  **error)
{
  g_autoptr(GBytes) area = NULL, wards = NULL;
  g_autoptr(KsBoundarySet) set = NULL;
  g_autofree char *area_text = NULL, *wards_text = NULL;
  gint64 checked = 0, changed = 0;

  area = g_resources_lookup_data ("/org/kerbside/server/demo/oxford-area.geojson", 0, error);
  wards = g_resources_lookup_data ("/org/kerbside/server/demo/oxford-wards.geojson", 0, error);
  if (area == NULL || wards == NULL)
    return FALSE;
  area_text = g_strndup (g_bytes_get_data (area, NULL), g_bytes_get_size (area));
  wards_text = g_strndup (g_bytes_get_data (wards, NULL), g_bytes_get_size (wards));
  set = ks_boundary_set_new_from_geojson (area_text, wards_text, "name", error);
  if (set == NULL ||
      !ks_boundaries_import (store, body_id, set, "demo",
                             "{\"wards_file\":\"oxford-wards.geojson (approximate)\",\"via\":\"demo\"}",
                             show_reward, NULL, &checked, &changed, error))
    return FALSE;
  g_printerr ("demo: approximate ward boundaries imported (%u wards; %" G_GINT64_FORMAT
              " of %" G_GINT64_FORMAT " reports changed ward)\n",
              ks_boundary_set_n_wards (set), changed, checked);
  return TRUE;
}

/* The demo's gazetteer (data/demo/oxford-places.csv, made by tools/make-demo-places
 * from the demo's own streets and wards, with made-up postcodes at approximate
 * places), so that place search works in the demo as in a council that imported
 * its places. The import reads a file: the resource is written to one first. */
static gboolean
import_places (KsStore  *store,
               gint64    body_id,
               GError  **error)
{
  g_autoptr(GBytes) places = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  KsPlacesImportResult result;
  gboolean ok;

  /* In a folder of its own, so that the file has the same name every time (the
   * import's audit entry names it). */
  places = g_resources_lookup_data ("/org/kerbside/server/demo/oxford-places.csv", 0, error);
  if (places == NULL || (dir = g_dir_make_tmp ("kerbside-demo-XXXXXX", error)) == NULL)
    return FALSE;
  path = g_build_filename (dir, "oxford-places.csv", NULL);
  ok = g_file_set_contents (path, g_bytes_get_data (places, NULL), g_bytes_get_size (places),
                            error) &&
       ks_places_import (store, NULL, body_id, path, KS_PLACES_FORMAT_CSV, NULL, NULL, &result,
                         error);
  g_unlink (path);
  g_rmdir (dir);
  if (ok)
    g_printerr ("demo: %" G_GINT64_FORMAT " places imported (streets, wards, made-up "
                "postcodes)\n", result.added);
  return ok;
}

/* The demo's platform operator: a superuser of no council, with the demo's
 * password; two-factor authentication is set up at the first sign-in, as for
 * every operator. An account of that address that exists already is kept. */
static gboolean
ensure_operator (KsStore  *store,
                 int       cost,
                 GError  **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *hash = ks_password_hash (KS_DEMO_PASSWORD, cost, error);
  gint64 id = 0;

  if (hash == NULL || !ks_store_begin_write (store, error))
    return FALSE;
  if (!ks_store_councils_create_staff (store, 0, KS_DEMO_OPERATOR_EMAIL, KS_DEMO_OPERATOR_NAME,
                                       hash, TRUE, NULL, &id, &local) ||
      !ks_store_audit (store, NULL, 0, "create_staff", "user", id,
                       "{\"is_superuser\":true,\"via\":\"demo\"}", &local) ||
      !ks_store_commit (store, &local))
    {
      ks_store_rollback (store);
      if (!g_error_matches (local, KS_ERROR, KS_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ks_demo_generate (KsStore             *store,
                  const KsDemoWriter  *writer,
                  const KsDemoOptions *options,
                  GError             **error)
{
  g_auto(KsDemoPlan) d = { NULL, };
  char *hashes[N_STAFF] = { NULL, };
  HashJob jobs[N_STAFF];
  gint64 t0 = g_get_monotonic_time ();
  gint64 old_cache = -65536;
  gboolean ok = FALSE;

  g_return_val_if_fail (options != NULL, FALSE);
  if (!check_tables (error))
    return FALSE;

  d.rand = g_rand_new_with_seed (options->seed);
  d.now = ks_time_now ();
  if (!demo_now_override (&d.now, error))
    return FALSE;
  d.start = d.now - SPAN;
  d.n = options->n_reports;
  d.reports = g_new0 (KsDemoReport, MAX (d.n, 1));
  d.events = g_array_sized_new (FALSE, FALSE, sizeof (KsDemoEvent), d.n + d.n / 2 + 16);

  for (guint s = 0; s < N_STAFF; s++)
    {
      jobs[s].cost = options->bcrypt_cost;
      jobs[s].hash = NULL;
      jobs[s].error = NULL;
      jobs[s].thread = g_thread_new ("demo-bcrypt", hash_thread, &jobs[s]);
    }

  g_printerr ("demo: planning %u reports (seed %u)\n", d.n, options->seed);
  ks_demo_plan_make (&d);
  g_printerr ("demo: planned %u reports and %u updates (%.1f s)\n", d.n, d.events->len,
              (g_get_monotonic_time () - t0) / 1e6);
  if (options->media_dir != NULL)
    {
      if (!ks_demo_photos_write (options->media_dir, options->seed, d.photos, error))
        {
          g_prefix_error (error, "Could not write the demo photos to %s: ", options->media_dir);
          for (guint s = 0; s < N_STAFF; s++)
            {
              g_thread_join (jobs[s].thread);
              g_free (jobs[s].hash);
              g_clear_error (&jobs[s].error);
            }
          return FALSE;
        }
      g_printerr ("demo: %u photos written to %s (%.1f s)\n", KS_DEMO_N_PHOTOS,
                  options->media_dir, (g_get_monotonic_time () - t0) / 1e6);
    }

  for (guint s = 0; s < N_STAFF; s++)
    {
      g_thread_join (jobs[s].thread);
      hashes[s] = jobs[s].hash;
      if (jobs[s].error != NULL)
        {
          if (error != NULL && *error == NULL)
            g_propagate_error (error, jobs[s].error);
          else
            g_error_free (jobs[s].error);
        }
    }
  for (guint s = 0; s < N_STAFF; s++)
    if (hashes[s] == NULL)
      goto out;

  if (!writer->begin (store, &old_cache, error))
    {
      writer->end (store, old_cache);
      goto out;
    }
  if (!writer->write (store, &d, hashes, t0, error) ||
      !ks_store_commit (store, error))
    {
      ks_store_rollback (store);
      writer->end (store, old_cache);
      goto out;
    }
  writer->end (store, old_cache);
  g_printerr ("demo: committed (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);
  writer->checkpoint (store);
  if (!import_boundaries (store, d.body_id, error) ||
      !import_places (store, d.body_id, error) ||
      !ensure_operator (store, options->bcrypt_cost, error))
    goto out;

  g_printerr ("demo: %u reports, %u updates in %.1f s\n", d.n, d.events->len,
              (g_get_monotonic_time () - t0) / 1e6);
  g_print ("Demo council “Oxford City Council” is ready. Staff accounts (password %s):\n",
           KS_DEMO_PASSWORD);
  for (guint s = 0; s < N_STAFF; s++)
    g_print ("  %-32s %s (%s)\n", ks_demo_staff[s].email, ks_demo_staff[s].name,
             ks_default_role_name (ks_demo_staff[s].role));
  g_print ("  %-32s %s (platform operator: every council; sets up two-factor "
           "authentication at the first sign-in)\n", KS_DEMO_OPERATOR_EMAIL, KS_DEMO_OPERATOR_NAME);
  ok = TRUE;

out:
  for (guint s = 0; s < N_STAFF; s++)
    g_free (hashes[s]);
  return ok;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pg-actions.c: the report actions of the store give the same answers on
 * SQLite and on PostgreSQL. One demo database is made, copied into a throwaway
 * PostgreSQL cluster (run through tests/pg/pgcluster.py), and the same reads and
 * writes run on both stores; each writes down what it answered (ids, fields, the
 * change sequence, errors) and the two transcripts must be the same.
 *
 * Environment: KERBSIDE_SERVER (the built server, for `demo`), KS_COPY_SQLITE
 * (tests/pg/copy_sqlite.py), KS_PYTHON, and KS_PG_URI from pgcluster.py. */
#include "ks-store-open.h"
#include "store/ks-store-actions.h"
#include "store/ks-store-reports.h"
#include "ks-error.h"

#include <glib/gstdio.h>
#include <string.h>

static const char *
s (const char *text)
{
  return text ? text : "NULL";
}

static void
note_error (GString *out, const char *what, GError *error)
{
  g_string_append_printf (out, "%s: error %d %s\n", what, error->code, error->message);
}

static void
note_report (GString *out, KsStore *store, gint64 id)
{
  g_auto(KsReportCore) r = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  g_assert_true (ks_store_actions_get_report (store, id, &found, &r, &error));
  g_assert_no_error (error);
  if (!found)
    {
      g_string_append_printf (out, "report %" G_GINT64_FORMAT ": none\n", id);
      return;
    }
  g_string_append_printf (out,
    "report %" G_GINT64_FORMAT ": body %" G_GINT64_FORMAT " %s cat %" G_GINT64_FORMAT " %s "
    "[%s] [%s] ward %s state %s prio %" G_GINT64_FORMAT " %s %s show %d photo %s "
    "ack %s list %" G_GINT64_FORMAT " %s v%" G_GINT64_FORMAT "\n",
    r.id, r.body_id, s (r.council), r.category_id, s (r.category), s (r.title), s (r.detail),
    s (r.ward), s (r.state), r.priority_id, s (r.reporter_name), s (r.reporter_email),
    r.show_name, s (r.photo), r.acknowledged ? "yes" : "no", r.shortlist_user,
    s (r.shortlist_user_name), r.version);
}

static void
note_shortlist_row (const KsReportRow *row, guint index, gpointer user_data)
{
  GString *out = user_data;

  g_string_append_printf (out,
    "  %u: %" G_GINT64_FORMAT " [%s] cat %" G_GINT64_FORMAT " %s %s %s prio %" G_GINT64_FORMAT
    " %.17g %.17g %s list %" G_GINT64_FORMAT " photo %d v%" G_GINT64_FORMAT
    " seq %" G_GINT64_FORMAT " pos %" G_GINT64_FORMAT "\n",
    index, row->id, s (row->title), row->category_id, s (row->category), s (row->group),
    s (row->state), row->priority_id, row->lat, row->lon, s (row->ward), row->shortlist_user,
    row->has_photo, row->version, row->seq, row->shortlist_position);
}

static void
note_shortlist (GString *out, KsStore *store, gint64 user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  g_assert_true (ks_store_actions_shortlist_ids (store, user_id, &ids, &error));
  g_string_append_printf (out, "shortlist of %" G_GINT64_FORMAT ":", user_id);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, " %" G_GINT64_FORMAT, g_array_index (ids, gint64, i));
  g_string_append (out, "\n");
  g_assert_true (ks_store_actions_shortlist (store, user_id, note_shortlist_row, out, &error));
  g_assert_no_error (error);
}

/* What the store's reads answer about the demo data. */
static void
reads (GString *out, KsStore *store)
{
  for (gint64 id = 1; id <= 60; id++)
    {
      g_auto(KsReportCore) r = { 0 };
      g_autofree char *before = NULL;
      g_autoptr(GError) error = NULL;
      gboolean found;

      note_report (out, store, id);
      g_assert_true (ks_store_actions_get_report (store, id, &found, &r, &error));
      g_assert_true (ks_store_actions_state_before_hide (store, id, &before, &error));
      g_string_append_printf (out, "  before hide: %s\n", before);
      for (gint64 p = 1; p <= 12; p++)
        {
          gint64 body = 0;
          gboolean active = FALSE, applies = FALSE;

          g_assert_true (ks_store_actions_get_priority (store, p, r.category_id, &found, &body,
                                                        &active, &applies, &error));
          if (found)
            g_string_append_printf (out, "  priority %" G_GINT64_FORMAT ": body %" G_GINT64_FORMAT
                                    " active %d applies %d\n", p, body, active, applies);
        }
      for (gint64 t = 1; t <= 12; t++)
        {
          g_auto(KsTemplateRow) tr = { 0 };

          g_assert_true (ks_store_actions_get_template (store, t, r.category_id, &found, &tr,
                                                        &error));
          if (found)
            g_string_append_printf (out, "  template %" G_GINT64_FORMAT ": body %" G_GINT64_FORMAT
                                    " [%s] [%s] state %s applies %d\n", tr.id, tr.body_id,
                                    s (tr.title), s (tr.text), s (tr.state), tr.applies);
        }
    }
  for (gint64 c = 1; c <= 40; c++)
    {
      g_autofree char *extra = NULL;
      g_autoptr(GError) error = NULL;
      gint64 body = 0;
      gboolean found, active = FALSE;

      g_assert_true (ks_store_actions_get_category (store, c, &found, &body, &active, &extra,
                                                    &error));
      g_string_append_printf (out, "category %" G_GINT64_FORMAT ": %d body %" G_GINT64_FORMAT
                              " active %d extra %s\n", c, found, body, active, s (extra));
    }
  for (gint64 b = 1; b <= 3; b++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GError) error = NULL;

      if (ks_store_actions_get_council_name (store, b, &name, &error))
        g_string_append_printf (out, "council %" G_GINT64_FORMAT ": %s\n", b, name);
      else
        note_error (out, "council", error);
    }
  for (gint64 u = 1; u <= 20; u++)
    {
      g_autoptr(GError) error = NULL;
      gboolean all = FALSE;

      g_assert_true (ks_store_actions_user_sees_all (store, u, &all, &error));
      g_string_append_printf (out, "user %" G_GINT64_FORMAT " sees all: %d\n", u, all);
      note_shortlist (out, store, u);
    }
}

/* What the detail of a report says of its first response and of its updates' times. */
typedef struct {
  gint64  responded;
  GArray *update_times;
} Timing;

static void
timing_report (const KsReportRow *row, gpointer user_data)
{
  ((Timing *) user_data)->responded = row->responded;
}

static void
timing_update (const KsUpdateRow *row, gpointer user_data)
{
  g_array_append_val (((Timing *) user_data)->update_times, row->created);
}

static void
timing_moderation (const KsModerationRow *row, gpointer user_data)
{
}

/* The same writes on each store, inside one write transaction as a request does. */
static void
writes (GString *out, KsStore *store)
{
  static const char * const attributes[] = { "depth", "5 cm", "near_school", "yes" };
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) near = { 0 };
  gint64 id = 0, far = 0, update = 0, moderation = 0, email = 0;
  gboolean found;
  KsNewReport nr;
  KsReportChange change = { 0 };
  KsNewUpdate nu = { 0 };
  KsNewModeration nm = { 0 };

  g_assert_true (ks_store_actions_get_report (store, 5, &found, &near, &error));
  g_assert_true (found);

  g_assert_true (ks_store_begin_write (store, &error));
  g_string_append_printf (out, "seq before: %" G_GINT64_FORMAT "\n",
                          ks_store_current_seq (store, &error));

  /* A report next to report 5 takes a ward from the council's nearest one; one
   * far out at sea takes none. */
  nr = (KsNewReport) {
    .body_id = near.body_id, .category_id = near.category_id, .title = "Kerb stone loose",
    .detail = NULL, .lat = 51.75201, .lon = -1.25771, .address = "1 High Street",
    .reporter_name = "A. Resident", .reporter_email = "a.resident@example.invalid",
    .reporter_phone = NULL, .show_name = TRUE, .created_by = 2, .photo = NULL,
    .attributes = attributes, .n_attributes = 2,
  };
  g_assert_true (ks_store_actions_create_report (store, &nr, &id, &error));
  g_assert_no_error (error);
  nr.lat = 10.0;
  nr.lon = -30.0;
  nr.created_by = 0;
  nr.n_attributes = 0;
  g_assert_true (ks_store_actions_create_report (store, &nr, &far, &error));
  g_string_append_printf (out, "created %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT "\n", id, far);
  note_report (out, store, id);
  note_report (out, store, far);

  /* Hiding remembers the state it was in. */
  change.set_state = TRUE;
  change.state = "hidden";
  g_assert_true (ks_store_actions_change_report (store, 3, &change, &error));
  g_assert_no_error (error);
  {
    g_autofree char *before = NULL;
    g_assert_true (ks_store_actions_state_before_hide (store, 3, &before, &error));
    g_string_append_printf (out, "3 hidden, was %s\n", before);
  }
  change = (KsReportChange) {
    .set_priority = TRUE, .priority_id = 0, .set_acknowledged = TRUE, .acknowledged = 1700000000,
    .acknowledged_by = 2, .set_title = TRUE, .title = "Renamed", .set_detail = TRUE,
    .detail = NULL, .set_show_name = TRUE, .show_name = FALSE, .remove_photo = TRUE,
  };
  g_assert_true (ks_store_actions_change_report (store, 4, &change, &error));
  g_assert_no_error (error);
  note_report (out, store, 3);
  note_report (out, store, 4);
  g_assert_false (ks_store_actions_change_report (store, 999999, &change, &error));
  note_error (out, "change 999999", error);
  g_clear_error (&error);

  nu = (KsNewUpdate) { .report_id = 4, .user_id = 2, .author_name = "Staff", .kind = "update",
                       .text = NULL, .state = "investigating", .priority_id = 0, .public = TRUE };
  g_assert_true (ks_store_actions_add_update (store, &nu, &update, &error));
  nm = (KsNewModeration) { .report_id = 4, .user_id = 2, .reason = "tidy", .old_title = "x",
                           .new_title = "Renamed", .old_show_name = TRUE, .photo_removed = TRUE };
  g_assert_true (ks_store_actions_add_moderation (store, &nm, &moderation, &error));
  g_assert_true (ks_store_actions_record_email (store, "a@example.invalid", "Subject", NULL, 4,
                                                &email, &error));
  g_assert_no_error (error);
  g_string_append_printf (out, "update %" G_GINT64_FORMAT " moderation %" G_GINT64_FORMAT
                          " email %" G_GINT64_FORMAT "\n", update, moderation, email);

  /* A staff response's time is the report's first response, to the second: one clock
   * reading serves both, so a write that straddles a second's edge cannot part them. */
  {
    static const KsReportDetailFuncs funcs = { timing_report, timing_update, timing_moderation };
    KsPrincipal operator = { .user_id = 1, .is_superuser = TRUE };
    Timing timing = { 0, g_array_new (FALSE, FALSE, sizeof (gint64)) };
    gint64 body = 0;

    nu = (KsNewUpdate) { .report_id = id, .user_id = 2, .author_name = "Staff", .kind = "update",
                         .text = "On our list.", .public = TRUE, .created = 1700000123 };
    g_assert_true (ks_store_actions_add_update (store, &nu, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (ks_store_reports_detail (store, &operator, id, &funcs, &timing, &body, &error));
    g_assert_no_error (error);
    g_assert_cmpint (timing.responded, ==, 1700000123);
    g_assert_cmpuint (timing.update_times->len, >=, 1);
    g_assert_cmpint (g_array_index (timing.update_times, gint64, timing.update_times->len - 1),
                     ==, 1700000123);
    g_string_append_printf (out, "responded %" G_GINT64_FORMAT "\n", timing.responded);
    g_array_unref (timing.update_times);
  }

  /* Shortlists: to the end, at a place, moved from one holder to another, off. */
  g_assert_true (ks_store_actions_shortlist_set (store, 7, 3, 0, &error));
  g_assert_true (ks_store_actions_shortlist_set (store, 8, 3, 0, &error));
  g_assert_true (ks_store_actions_shortlist_set (store, 9, 3, 1, &error));
  g_assert_true (ks_store_actions_shortlist_set (store, id, 3, 0, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GArray) ids = NULL;

    /* Place 1 comes first; the others are added at the end, in order. */
    g_assert_true (ks_store_actions_shortlist_ids (store, 3, &ids, &error));
    g_assert_cmpuint (ids->len, >=, 4);
    g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 9);
    g_assert_cmpint (g_array_index (ids, gint64, ids->len - 3), ==, 7);
    g_assert_cmpint (g_array_index (ids, gint64, ids->len - 2), ==, 8);
    g_assert_cmpint (g_array_index (ids, gint64, ids->len - 1), ==, id);
  }
  note_shortlist (out, store, 3);
  g_assert_true (ks_store_actions_shortlist_set (store, 8, 4, 0, &error));
  g_assert_true (ks_store_actions_shortlist_set (store, 7, 0, 0, &error));
  g_assert_true (ks_store_actions_add_tombstone (store, 7, near.body_id, 3, &error));
  g_assert_true (ks_store_actions_add_tombstone (store, 8, near.body_id, 0, &error));
  g_assert_no_error (error);
  note_shortlist (out, store, 3);
  note_shortlist (out, store, 4);
  g_string_append_printf (out, "seq after: %" G_GINT64_FORMAT "\n",
                          ks_store_current_seq (store, &error));
  g_assert_true (ks_store_commit (store, &error));
  g_assert_no_error (error);
}

static char *
run_on (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = ks_store_open (db, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  reads (out, store);
  writes (out, store);
  return g_string_free (out, FALSE);
}

static void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

/* The first line where a and b differ, both shown (NULL: they are the same). */
static char *
first_difference (const char *a, const char *b)
{
  g_auto(GStrv) la = g_strsplit (a, "\n", -1);
  g_auto(GStrv) lb = g_strsplit (b, "\n", -1);

  for (guint i = 0; la[i] != NULL || lb[i] != NULL; i++)
    {
      if (la[i] == NULL || lb[i] == NULL || strcmp (la[i], lb[i]) != 0)
        return g_strdup_printf ("line %u:\n  %s\n  %s", i + 1, s (la[i]), s (lb[i]));
      if (la[i + 1] == NULL || lb[i + 1] == NULL)
        return la[i + 1] == lb[i + 1] ? NULL : g_strdup_printf ("line %u: one ends", i + 2);
    }
  return NULL;
}

static void
test_same_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kerbside-pg-actions-XXXXXX", &error);
  g_autofree char *lite = g_build_filename (dir, "demo.db", NULL);
  const char *uri = g_getenv ("KS_PG_URI");
  g_autofree char *on_lite = NULL, *on_pg = NULL;
  g_autofree char *rm = NULL;

  g_assert_no_error (error);
  {
    const char *demo[] = { g_getenv ("KERBSIDE_SERVER"), "demo", "--db", lite, "--reports", "300",
                           "--seed", "7", "--bcrypt-cost", "4", NULL };
    run (demo);
  }
  /* Opening it creates the schema; then the demo's rows go in. */
  g_object_unref (ks_store_open (uri, NULL, &error));
  g_assert_no_error (error);
  {
    const char *copy[] = { g_getenv ("KS_PYTHON"), g_getenv ("KS_COPY_SQLITE"), lite, uri, NULL };
    run (copy);
  }

  on_lite = run_on (lite);
  on_pg = run_on (uri);
  if (g_getenv ("KS_TEST_TRANSCRIPTS") != NULL)
    {
      g_autofree char *a = g_build_filename (g_getenv ("KS_TEST_TRANSCRIPTS"), "sqlite.txt", NULL);
      g_autofree char *b = g_build_filename (g_getenv ("KS_TEST_TRANSCRIPTS"), "postgresql.txt", NULL);
      g_file_set_contents (a, on_lite, -1, NULL);
      g_file_set_contents (b, on_pg, -1, NULL);
    }
  g_assert_cmpstr (first_difference (on_pg, on_lite), ==, NULL);

  rm = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("KS_PG_URI") == NULL || g_getenv ("KERBSIDE_SERVER") == NULL
      || g_getenv ("KS_COPY_SQLITE") == NULL || g_getenv ("KS_PYTHON") == NULL)
    {
      g_printerr ("Run through pgcluster.py with KERBSIDE_SERVER, KS_COPY_SQLITE and KS_PYTHON set.\n");
      return 77;
    }
  g_test_add_func ("/pg/actions/same-answers", test_same_answers);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-retention-command.c: `kerbside-server retention`: the daily retention job
 * (ks-retention.h) run by hand, or with --dry-run, a list of what it would
 * change. */
#define G_LOG_DOMAIN "kerbside-server"

#include "councils/ks-retention-command.h"
#include "councils/ks-council-command.h"
#include "councils/ks-retention.h"
#include "api/ks-api-states.h"
#include "ks-store-open.h"
#include "ks-time.h"

static void
print_plan (KsStore *store, const KsRetentionPlan *plan)
{
  g_auto(KsBodyRow) body = { 0 };
  char when[KS_TIME_ISO_BUF_SIZE];

  if (!ks_store_admin_get_body (store, plan->body_id, &body, NULL))
    return;
  g_print ("%s (%s):\n", body.name, body.slug);
  if (plan->reports_before == 0)
    g_print ("  reports: kept (retention_reporter_days is 0)\n");
  for (guint i = 0; i < plan->reports->len; i++)
    {
      const KsRetentionReport *r = &g_array_index (plan->reports, KsRetentionReport, i);

      ks_time_format_iso (r->updated, when);
      g_print ("  anonymise report %" G_GINT64_FORMAT " (%s, %s since %s): %s\n", r->id,
               r->state, "unchanged", when, r->title);
    }
  if (plan->staff_before == 0)
    g_print ("  staff: kept (retention_staff_days is 0)\n");
  for (guint i = 0; i < plan->staff->len; i++)
    {
      const KsRetentionStaff *s = &g_array_index (plan->staff, KsRetentionStaff, i);

      ks_time_format_iso (s->last_used, when);
      g_print ("  deactivate staff account %" G_GINT64_FORMAT " (%s <%s>, last used %s)\n",
               s->id, s->name, s->email, when);
    }
  if (plan->audit_before == 0)
    g_print ("  audit log: kept (retention_audit_days is 0)\n");
  else
    g_print ("  delete %" G_GINT64_FORMAT " audit entries\n", plan->audit_entries);
}

int
ks_retention_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("- apply the councils' retention settings now");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *council = NULL, *outbox = NULL, *test_clock = NULL;
  gboolean dry_run = FALSE;
  int status;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "council", 0, 0, G_OPTION_ARG_STRING, &council, "Only this council (id or slug); default: every council", "ID|SLUG" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "List what would change, and change nothing", NULL },
    { "outbox", 0, 0, G_OPTION_ARG_FILENAME, &outbox, "The server's outbox, where emails to anonymised reporters are removed from (default: FILE.outbox beside a SQLite database)", "DIR" },
    { "test-clock", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &test_clock, "Seconds to add to the clock, read from FILE", "FILE" },
    { NULL }
  };
  gint64 now;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc > 1)
    {
      g_printerr ("kerbside-server retention: %s\n",
                  error ? error->message : "unexpected arguments");
      return 2;
    }
  if (test_clock != NULL && !ks_time_set_test_clock (test_clock, &error))
    {
      g_printerr ("kerbside-server retention: %s\n", error->message);
      return 2;
    }
  if ((store = ks_command_open_store ("retention", &where, &status)) == NULL)
    return status;
  if (!ks_api_states_load (store, &error))
    {
      g_printerr ("kerbside-server retention: %s\n", error->message);
      return 1;
    }
  if (outbox == NULL && !ks_store_db_is_postgresql (where.db))
    outbox = g_strconcat (where.db, ".outbox", NULL);
  if (council != NULL)
    {
      gint64 id = ks_command_find_council (store, "retention", council);

      if (id == 0)
        return 1;
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (ids, id);
    }
  else if (!ks_store_councils_list_bodies (store, &ids, &error))
    {
      g_printerr ("kerbside-server retention: %s\n", error->message);
      return 1;
    }

  now = ks_time_now ();
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(KsRetentionPlan) plan = { 0 };
      KsRetentionDone done = { 0 };

      if (!ks_retention_plan (store, g_array_index (ids, gint64, i), now, &plan, &error))
        {
          g_printerr ("kerbside-server retention: %s\n", error->message);
          return 1;
        }
      print_plan (store, &plan);
      if (dry_run)
        continue;
      if (!ks_retention_apply (store, &plan, "command line", outbox, &done, &error))
        {
          g_printerr ("kerbside-server retention: %s\n", error->message);
          return 1;
        }
      g_print ("  done: %" G_GINT64_FORMAT " reports anonymised, %" G_GINT64_FORMAT
               " staff accounts deactivated, %" G_GINT64_FORMAT " audit entries deleted\n",
               done.reports, done.staff, done.audit_entries);
    }
  if (dry_run)
    g_print ("Dry run: nothing was changed.\n");
  return 0;
}

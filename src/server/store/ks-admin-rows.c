/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-rows.c: freeing the rows of the settings, dashboard and audit log. */
#include "store/ks-admin-rows.h"

void
ks_body_row_clear (KsBodyRow *row)
{
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->slug, g_free);
  g_clear_pointer (&row->area_name, g_free);
  g_clear_pointer (&row->email, g_free);
}

void
ks_dashboard_summary_clear (KsDashboardSummary *summary)
{
  g_clear_pointer (&summary->by_state, g_hash_table_unref);
}

void
ks_dashboard_timeline_clear (KsDashboardTimeline *timeline)
{
  g_clear_pointer (&timeline->created, g_free);
  g_clear_pointer (&timeline->fixed, g_free);
  g_clear_pointer (&timeline->closed, g_free);
}

void
ks_stats_row_free (gpointer data)
{
  KsStatsRow *row = data;

  g_free (row->key);
  g_free (row->name);
  g_free (row);
}

void
ks_dashboard_stats_clear (KsDashboardStats *stats)
{
  g_clear_pointer (&stats->rows, g_ptr_array_unref);
}

void
ks_audit_entry_free (KsAuditEntry *entry)
{
  g_free (entry->user_name);
  g_free (entry->user_email);
  g_free (entry->action);
  g_free (entry->object_type);
  g_free (entry->address);
  g_free (entry->details);
  g_free (entry);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-rows.c: the rows of the settings, dashboard and audit log: building
 * the dashboard's figures from what a store read (the same in every store),
 * and freeing them. */
#include "store/ks-admin-rows.h"
#include "api/ks-csv.h"
#include "ks-time.h"

#include <string.h>

void
ks_body_row_clear (KsBodyRow *row)
{
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->slug, g_free);
  g_clear_pointer (&row->area_name, g_free);
  g_clear_pointer (&row->email, g_free);
  g_clear_pointer (&row->public_url, g_free);
}

void
ks_dashboard_summary_clear (KsDashboardSummary *summary)
{
  g_clear_pointer (&summary->by_state, g_hash_table_unref);
}

void
ks_dashboard_summary_start (KsDashboardSummary *summary,
                            gint64              body_id,
                            gint64              now)
{
  memset (summary, 0, sizeof *summary);
  summary->by_state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  summary->body_id = body_id;
  summary->generated = now;
}

void
ks_dashboard_summary_add_state (KsDashboardSummary *summary,
                                const char         *state,
                                gint64              n)
{
  const KsState *s = ks_state_lookup (state);

  g_hash_table_insert (summary->by_state, g_strdup (state ? state : ""),
                       GSIZE_TO_POINTER ((gsize) n));
  summary->total += n;
  if (s != NULL)
    summary->by_kind[s->kind] += n;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

double
ks_dashboard_median_seconds (GArray *times)
{
  if (times->len == 0)
    return -1;
  g_array_sort (times, compare_gint64);
  if (times->len % 2 == 1)
    return g_array_index (times, gint64, times->len / 2);
  return (g_array_index (times, gint64, times->len / 2 - 1) +
          g_array_index (times, gint64, times->len / 2)) / 2.0;
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
ks_stats_tally_start (KsStatsTally     *tally,
                      KsDashboardStats *stats,
                      gint64            body_id,
                      KsStatsBy         by,
                      gint64            from,
                      gint64            to)
{
  stats->body_id = body_id;
  stats->by = by;
  stats->from = from;
  stats->to = to;
  stats->rows = g_ptr_array_new_with_free_func (ks_stats_row_free);
  tally->stats = stats;
  tally->rows = g_hash_table_new (g_str_hash, g_str_equal);
  tally->none = NULL;
}

void
ks_stats_tally_add (KsStatsTally *tally,
                    const char   *key,
                    const char   *state,
                    gint64        n)
{
  const KsState *s = ks_state_lookup (state);
  KsStatsRow *row;

  if (key == NULL || (tally->stats->by == KS_STATS_BY_WARD && *key == '\0'))
    {
      if (tally->none == NULL)
        {
          tally->none = g_new0 (KsStatsRow, 1);
          g_ptr_array_add (tally->stats->rows, tally->none);
        }
      row = tally->none;
    }
  else if ((row = g_hash_table_lookup (tally->rows, key)) == NULL)
    {
      row = g_new0 (KsStatsRow, 1);
      row->key = g_strdup (key);
      g_hash_table_insert (tally->rows, row->key, row);
      g_ptr_array_add (tally->stats->rows, row);
    }
  row->count += n;
  if (s != NULL)
    row->kinds[s->kind] += n;
}

static int
compare_stats_rows (gconstpointer a, gconstpointer b)
{
  const KsStatsRow *x = *(KsStatsRow * const *) a, *y = *(KsStatsRow * const *) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

void
ks_stats_tally_finish (KsStatsTally *tally,
                       GHashTable   *labels)
{
  GPtrArray *order = tally->stats->rows;

  g_ptr_array_sort (order, compare_stats_rows);
  for (guint i = 0; labels != NULL && i < order->len; i++)
    {
      KsStatsRow *row = g_ptr_array_index (order, i);
      if (row->key != NULL)
        row->name = g_strdup (g_hash_table_lookup (labels, row->key));
    }
  g_clear_pointer (&tally->rows, g_hash_table_unref);
  tally->none = NULL;
}

void
ks_dashboard_csv_append_report (GString    *out,
                                gint64      id,
                                gint64      created,
                                const char *category,
                                const char *state,
                                const char *priority,
                                const char *ward,
                                double      lat,
                                double      lon,
                                const char *title)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char iso[KS_TIME_ISO_BUF_SIZE];

  g_string_append_printf (out, "%" G_GINT64_FORMAT ",", id);
  ks_time_format_iso (created, iso);
  g_string_append (out, iso);
  g_string_append_c (out, ',');
  ks_csv_append_text (out, category);
  g_string_append_c (out, ',');
  ks_csv_append_text (out, state);
  g_string_append_c (out, ',');
  ks_csv_append_text (out, priority);
  g_string_append_c (out, ',');
  ks_csv_append_text (out, ward);
  g_string_append_c (out, ',');
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6f", lat));
  g_string_append_c (out, ',');
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6f", lon));
  g_string_append_c (out, ',');
  ks_csv_append_text (out, title);
  g_string_append (out, "\r\n");
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

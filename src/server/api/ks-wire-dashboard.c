/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-dashboard.c: the dashboard's summary, timeline and statistics as JSON. */
#include "api/ks-wire-dashboard.h"
#include "ks-time.h"

#define DAY (24 * 3600)

void
ks_wire_write_summary (KsJsonWriter             *w,
                       const KsDashboardSummary *s)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "body_id", s->body_id);
  ks_json_writer_member_timestamp (w, "generated", s->generated);
  ks_json_writer_member_int (w, "total", s->total);
  ks_json_writer_key (w, "by_state");
  ks_json_writer_begin_object (w);
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *state = ks_states_nth (i);
      ks_json_writer_member_int (w, state->id,
                                 GPOINTER_TO_SIZE (g_hash_table_lookup (s->by_state, state->id)));
    }
  {
    /* States this version does not know (a council's own) still count. */
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, s->by_state);
    while (g_hash_table_iter_next (&it, &k, &v))
      if (!ks_state_is_valid (k))
        ks_json_writer_member_int (w, k, GPOINTER_TO_SIZE (v));
  }
  ks_json_writer_end_object (w);
  ks_json_writer_key (w, "by_kind");
  ks_json_writer_begin_object (w);
  for (guint k = KS_STATE_KIND_UNCONFIRMED; k <= KS_STATE_KIND_CLOSED; k++)
    ks_json_writer_member_int (w, ks_state_kind_id (k), s->by_kind[k]);
  ks_json_writer_end_object (w);
  ks_json_writer_member_int (w, "created_last_7_days", s->created_7_days);
  ks_json_writer_member_int (w, "created_last_30_days", s->created_30_days);
  ks_json_writer_member_int (w, "fixed_last_7_days", s->fixed_7_days);
  ks_json_writer_member_int (w, "fixed_last_30_days", s->fixed_30_days);
  ks_json_writer_key (w, "median_hours_to_fix_90_days");
  if (s->median_seconds_to_fix < 0)
    ks_json_writer_null (w);
  else
    ks_json_writer_double (w, (double) (gint64) (s->median_seconds_to_fix / 360.0 + 0.5) / 10.0);
  ks_json_writer_member_int (w, "unacknowledged_open", s->unacknowledged_open);
  ks_json_writer_member_int (w, "failed_sendings", s->failed_sendings);
  ks_json_writer_end_object (w);
}

void
ks_wire_write_timeline (KsJsonWriter              *w,
                        const KsDashboardTimeline *t)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "body_id", t->body_id);
  ks_json_writer_member_int (w, "days", t->days);
  ks_json_writer_key (w, "timeline");
  ks_json_writer_begin_array (w);
  for (guint d = 0; d < t->days; d++)
    {
      char buf[KS_TIME_ISO_BUF_SIZE];

      ks_time_format_iso (t->start + (gint64) d * DAY, buf);
      buf[10] = '\0';
      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "date", buf);
      ks_json_writer_member_int (w, "created", t->created[d]);
      ks_json_writer_member_int (w, "fixed", t->fixed[d]);
      ks_json_writer_member_int (w, "closed", t->closed[d]);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);
}

/* What a group is called: a category's or priority's name, a state's label, a ward. */
static const char *
stats_label (KsStatsBy         by,
             const KsStatsRow *row)
{
  switch (by)
    {
    case KS_STATS_BY_CATEGORY:
    case KS_STATS_BY_PRIORITY:
      if (row->name != NULL)
        return row->name;
      return by == KS_STATS_BY_PRIORITY && row->key == NULL ? "No priority" : "Unknown";
    case KS_STATS_BY_STATE:
      {
        const KsState *s = ks_state_lookup (row->key);
        return s ? s->label : row->key;
      }
    case KS_STATS_BY_WARD:
    default:
      return row->key ? row->key : "No ward";
    }
}

void
ks_wire_write_stats (KsJsonWriter           *w,
                     const KsDashboardStats *stats)
{
  static const char *by_names[] = { "category", "state", "ward", "priority" };
  KsStatsBy by = stats->by;

  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "body_id", stats->body_id);
  ks_json_writer_member_string (w, "by", by_names[by]);
  ks_json_writer_key (w, "from");
  ks_json_writer_timestamp (w, stats->from);
  ks_json_writer_key (w, "to");
  ks_json_writer_timestamp (w, stats->to);
  ks_json_writer_key (w, "rows");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < stats->rows->len; i++)
    {
      const KsStatsRow *row = g_ptr_array_index (stats->rows, i);

      ks_json_writer_begin_object (w);
      ks_json_writer_key (w, "key");
      if (row->key == NULL)
        ks_json_writer_null (w);
      else if (by == KS_STATS_BY_CATEGORY || by == KS_STATS_BY_PRIORITY)
        ks_json_writer_int (w, g_ascii_strtoll (row->key, NULL, 10));
      else
        ks_json_writer_string (w, row->key);
      ks_json_writer_member_string (w, "label", stats_label (by, row));
      ks_json_writer_member_int (w, "count", row->count);
      ks_json_writer_member_int (w, "open", row->kinds[KS_STATE_KIND_OPEN]);
      ks_json_writer_member_int (w, "fixed", row->kinds[KS_STATE_KIND_FIXED]);
      ks_json_writer_member_int (w, "closed", row->kinds[KS_STATE_KIND_CLOSED]);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);
}

static void
write_response_counts (KsJsonWriter          *w,
                       const KsResponseCount *c)
{
  int percent = ks_response_count_met_percent (c);

  ks_json_writer_member_int (w, "with_target", c->with_target);
  ks_json_writer_member_int (w, "met", c->met);
  ks_json_writer_member_int (w, "late", c->late);
  ks_json_writer_key (w, "met_percent");
  if (percent < 0)
    ks_json_writer_null (w);
  else
    ks_json_writer_int (w, percent);
  ks_json_writer_member_int (w, "overdue", c->overdue);
  ks_json_writer_member_int (w, "waiting", c->waiting);
}

void
ks_wire_write_response_times (KsJsonWriter          *w,
                              const KsResponseTimes *t)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_timestamp (w, "from", t->from);
  ks_json_writer_member_timestamp (w, "to", t->to);
  ks_json_writer_member_timestamp (w, "generated", t->now);
  ks_json_writer_key (w, "overall");
  ks_json_writer_begin_object (w);
  write_response_counts (w, &t->overall);
  ks_json_writer_end_object (w);
  ks_json_writer_key (w, "priorities");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < t->priorities->len; i++)
    {
      const KsResponseCount *c = &g_array_index (t->priorities, KsResponseCount, i);

      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", c->id);
      ks_json_writer_member_string (w, "name", c->name);
      ks_json_writer_member_int (w, "response_hours", c->response_hours);
      write_response_counts (w, c);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);
}

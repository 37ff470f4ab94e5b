/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-response-times.c: counting reports against their priority's response time,
 * from the rows either store gives. */
#include "store/ks-response-times.h"
#include "store/ks-store.h"
#include "ks-states.h"

KsResponseOutcome
ks_response_outcome (const KsResponseRow *row,
                     gint64               now)
{
  gint64 respond_by = row->created + row->response_hours * 3600;
  const KsState *state;

  if (row->responded != 0)
    return row->responded <= respond_by ? KS_RESPONSE_MET : KS_RESPONSE_LATE;
  state = ks_state_lookup (row->state);
  if (now > respond_by && (state == NULL || state->kind == KS_STATE_KIND_OPEN))
    return KS_RESPONSE_OVERDUE;
  return KS_RESPONSE_WAITING;
}

int
ks_response_count_met_percent (const KsResponseCount *count)
{
  gint64 answered = count->met + count->late;

  if (answered == 0)
    return -1;
  return (int) ((count->met * 200 + answered) / (answered * 2));
}

void
ks_response_times_clear (KsResponseTimes *times)
{
  if (times->priorities != NULL)
    for (guint i = 0; i < times->priorities->len; i++)
      g_free (g_array_index (times->priorities, KsResponseCount, i).name);
  g_clear_pointer (&times->priorities, g_array_unref);
}

char *
ks_response_times_fill_sql (gint64 first_id)
{
  /* One pass over the timelines (the demo writes without its indexes). */
  return g_strdup_printf (
    "UPDATE reports SET responded = f.first"
    " FROM (SELECT u.report_id, min (u.created) AS first FROM updates u"
    "       WHERE u.report_id >= %" G_GINT64_FORMAT " AND u.user_id IS NOT NULL"
    "         AND u.source = 'staff'"
    "         AND (u.public != 0"
    "              OR (u.state IS NOT NULL"
    "                  AND u.state NOT IN ('confirmed', 'unconfirmed', 'hidden')))"
    "       GROUP BY u.report_id) f"
    " WHERE reports.id = f.report_id", first_id);
}

static KsResponseCount *
count_of (KsResponseTimes *times,
          gint64           priority_id)
{
  KsResponseCount fresh = { .id = priority_id };

  for (guint i = 0; i < times->priorities->len; i++)
    if (g_array_index (times->priorities, KsResponseCount, i).id == priority_id)
      return &g_array_index (times->priorities, KsResponseCount, i);
  g_array_append_val (times->priorities, fresh);
  return &g_array_index (times->priorities, KsResponseCount, times->priorities->len - 1);
}

static void
add (KsResponseCount  *count,
     KsResponseOutcome outcome)
{
  count->with_target++;
  switch (outcome)
    {
    case KS_RESPONSE_MET:     count->met++; break;
    case KS_RESPONSE_LATE:    count->late++; break;
    case KS_RESPONSE_OVERDUE: count->overdue++; break;
    case KS_RESPONSE_WAITING: count->waiting++; break;
    default: g_assert_not_reached ();
    }
}

static void
tally_row (const KsResponseRow *row,
           gpointer             user_data)
{
  KsResponseTimes *times = user_data;
  KsResponseOutcome outcome = ks_response_outcome (row, times->now);
  KsResponseCount *count = count_of (times, row->priority_id);

  if (count->name == NULL)
    count->response_hours = row->response_hours;
  add (count, outcome);
  add (&times->overall, outcome);
}

gboolean
ks_store_response_times (KsStore           *store,
                         const KsPrincipal *who,
                         gint64             body_id,
                         gint64             from,
                         gint64             to,
                         gint64             now,
                         KsResponseTimes   *out,
                         GError           **error)
{
  g_autoptr(GArray) rows = ks_admin_rows_new ();
  const KsAdminQuery all = KS_ADMIN_QUERY_INIT;

  *out = (KsResponseTimes) { .from = from, .to = to, .now = now };
  out->priorities = g_array_new (FALSE, TRUE, sizeof (KsResponseCount));
  /* The council's priorities with a response time first, in their order. */
  if (!ks_store_admin_list (store, KS_ADMIN_OBJECT_PRIORITY, body_id, &all, rows, NULL, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      KsAdminRow *row = &g_array_index (rows, KsAdminRow, i);
      const KsAdminValue *hours = ks_admin_row_get (row, "response_hours");
      KsResponseCount *count;

      if (hours->is_null)
        continue;
      count = count_of (out, ks_admin_row_id (row));
      count->name = g_strdup (ks_admin_row_get (row, "name")->text);
      count->response_hours = hours->number;
    }
  return KS_STORE_DISPATCH (store, admin, response_rows, who, body_id, from, to, tally_row, out,
                            error);
}

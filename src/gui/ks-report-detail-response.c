/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-response.c: the detail's "Response" row: the report measured
 * against its priority's response time (ks-response-time.h). */
#include "config.h"
#include "ks-report-detail-private.h"
#include "ks-response-time.h"
#include "ks-states.h"
#include "ks-time.h"

/* The priority's response time in hours, -1 when it has none. */
static gint64
response_hours (KsSession *session,
                gint64     priority_id)
{
  JsonArray *priorities = ks_session_get_priorities (session);

  for (guint i = 0; priority_id != 0 && i < json_array_get_length (priorities); i++)
    {
      JsonObject *p = json_array_get_object_element (priorities, i);
      JsonNode *hours;

      if (p == NULL || json_object_get_int_member_with_default (p, "id", 0) != priority_id)
        continue;
      hours = json_object_get_member (p, "response_hours");
      return hours && JSON_NODE_HOLDS_VALUE (hours) ? json_node_get_int (hours) : -1;
    }
  return -1;
}

char *
ks_report_detail_response_text (KsSession  *session,
                                KsReport   *report,
                                JsonObject *detail)
{
  const KsState *state;
  const char *responded;
  gint64 hours, responded_at = 0;

  if (session == NULL || report == NULL || detail == NULL ||
      !json_object_has_member (detail, "responded"))
    return NULL;
  hours = response_hours (session, ks_report_get_priority_id (report));
  if (hours < 0)
    return NULL;
  responded = json_object_get_string_member_with_default (detail, "responded", NULL);
  if (responded != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (responded, NULL);

      responded_at = when ? g_date_time_to_unix (when) : 0;
    }
  state = ks_state_lookup (ks_report_get_state (report));
  return ks_response_time_text (ks_report_get_created (report), hours, responded_at,
                                state == NULL || state->kind == KS_STATE_KIND_OPEN,
                                ks_time_now ());
}

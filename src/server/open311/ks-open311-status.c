/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-status.c: the Open311 status mapping: Kerbside states <-> Open311
 * statuses (servicerequestupdates), as documented in docs/open311.md. */
#define G_LOG_DOMAIN "ks-open311-status"

#include "open311/ks-open311-status.h"
#include "ks-states.h"

#include <string.h>

static const struct {
  const char *state;
  const char *status;
} state_statuses[] = {
  { "confirmed",            "open" },
  { "investigating",        "investigating" },
  { "in_progress",          "in_progress" },
  { "action_scheduled",     "action_scheduled" },
  { "awaiting_information", "investigating" },
  { "fixed",                "fixed" },
  { "no_further_action",    "no_further_action" },
  { "not_responsible",      "not_councils_responsibility" },
  { "duplicate",            "duplicate" },
  { "internal_referral",    "internal_referral" },
  { "closed",               "closed" },
};

/* Statuses a client may send. GENERIC_OPEN and GENERIC_CLOSED keep the report's
 * state when it is already open (or closed); otherwise they set the state given. */
typedef enum {
  STATUS_SPECIFIC,
  STATUS_GENERIC_OPEN,
  STATUS_GENERIC_CLOSED,
} StatusKind;

static const struct {
  const char *status;
  const char *state;
  StatusKind  kind;
} status_states[] = {
  { "open",                        "confirmed",            STATUS_GENERIC_OPEN },
  { "reopen",                      "confirmed",            STATUS_GENERIC_OPEN },
  { "for_triage",                  "confirmed",            STATUS_GENERIC_OPEN },
  { "investigating",               "investigating",        STATUS_SPECIFIC },
  { "in_progress",                 "in_progress",          STATUS_SPECIFIC },
  { "action_scheduled",            "action_scheduled",     STATUS_SPECIFIC },
  { "fixed",                       "fixed",                STATUS_SPECIFIC },
  { "closed",                      "closed",               STATUS_GENERIC_CLOSED },
  /* FixMyStreet's status for a report withdrawn on its side: closed here. */
  { "cancelled",                   "closed",               STATUS_GENERIC_CLOSED },
  { "duplicate",                   "duplicate",            STATUS_SPECIFIC },
  { "not_councils_responsibility", "not_responsible",      STATUS_SPECIFIC },
  { "no_further_action",           "no_further_action",    STATUS_SPECIFIC },
  { "internal_referral",           "internal_referral",    STATUS_SPECIFIC },
  /* Kerbside's own names are accepted too. */
  { "confirmed",                   "confirmed",            STATUS_SPECIFIC },
  { "awaiting_information",        "awaiting_information", STATUS_SPECIFIC },
  { "not_responsible",             "not_responsible",      STATUS_SPECIFIC },
};

/* The detailed Open311 status of a state (servicerequestupdates). */
const char *
ks_open311_status_of_state (const char *state)
{
  const KsState *s;

  for (guint i = 0; i < G_N_ELEMENTS (state_statuses); i++)
    if (strcmp (state_statuses[i].state, state) == 0)
      return state_statuses[i].status;
  /* A council's own state: the status it maps to, or by its kind. */
  s = ks_state_lookup (state);
  if (s != NULL && s->open311_status != NULL)
    return s->open311_status;
  if (s != NULL && s->kind == KS_STATE_KIND_FIXED)
    return "fixed";
  if (s != NULL && s->kind == KS_STATE_KIND_CLOSED)
    return "closed";
  return "open";
}

/* open or closed (GET requests). */
const char *
ks_open311_open_or_closed (const char *state)
{
  const KsState *s = ks_state_lookup (state);
  return s != NULL && (s->kind == KS_STATE_KIND_FIXED || s->kind == KS_STATE_KIND_CLOSED)
    ? "closed" : "open";
}

/* Maps a client's status ("IN_PROGRESS", "in progress", "Fixed") to the state a
 * report in current_state should take; *out_state NULL when it stays. FALSE when
 * the status is not known. */
gboolean
ks_open311_state_for_status (const char  *status,
                             const char  *current_state,
                             const char **out_state)
{
  g_autofree char *norm = g_ascii_strdown (status, -1);
  const KsState *current = ks_state_lookup (current_state);

  g_strstrip (norm);
  for (char *p = norm; *p; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';

  for (guint i = 0; i < G_N_ELEMENTS (status_states); i++)
    {
      const char *state = status_states[i].state;

      if (strcmp (status_states[i].status, norm) != 0)
        continue;
      switch (status_states[i].kind)
        {
        case STATUS_GENERIC_OPEN:
          if (current != NULL && current->kind == KS_STATE_KIND_OPEN)
            state = NULL;
          break;
        case STATUS_GENERIC_CLOSED:
          if (current != NULL && (current->kind == KS_STATE_KIND_CLOSED ||
                                  current->kind == KS_STATE_KIND_FIXED))
            state = NULL;
          break;
        case STATUS_SPECIFIC:
        default:
          break;
        }
      if (state != NULL && g_strcmp0 (state, current_state) == 0)
        state = NULL;
      *out_state = state;
      return TRUE;
    }
  return FALSE;
}

gboolean
ks_open311_status_known (const char *status)
{
  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (status_states); i++)
    if (strcmp (status_states[i].status, status) == 0)
      return TRUE;
  return FALSE;
}

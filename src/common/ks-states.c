/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-states.c: the report states table.
 *
 * The colours are the one palette of the app (map, list, filters, detail):
 * each at least 3:1 against white (the rim of a map mark, the list's
 * background) and every two at least 29 apart in CIELAB (Delta E 1976), so
 * no two states look alike. */
#include "ks-states.h"

#include <string.h>

static const KsState states[] = {
  { "unconfirmed",            "Unconfirmed",            KS_STATE_KIND_UNCONFIRMED, "#d27878" },
  { "hidden",                 "Hidden",                 KS_STATE_KIND_HIDDEN,      "#3d3846" },
  { "confirmed",              "Open",                   KS_STATE_KIND_OPEN,        "#e01b24" },
  { "investigating",          "Investigating",          KS_STATE_KIND_OPEN,        "#d95f00" },
  { "in_progress",            "In progress",            KS_STATE_KIND_OPEN,        "#c01c8c" },
  { "action_scheduled",       "Action scheduled",       KS_STATE_KIND_OPEN,        "#a87d00" },
  { "awaiting_information",   "Awaiting information",   KS_STATE_KIND_OPEN,        "#8f3fbf" },
  { "fixed",                  "Fixed",                  KS_STATE_KIND_FIXED,       "#1c8a4c" },
  { "no_further_action",      "No further action",      KS_STATE_KIND_CLOSED,      "#007c99" },
  { "not_responsible",        "Not the council's responsibility", KS_STATE_KIND_CLOSED, "#a587c3" },
  { "duplicate",              "Duplicate",              KS_STATE_KIND_CLOSED,      "#878769" },
  { "internal_referral",      "Internal referral",      KS_STATE_KIND_CLOSED,      "#4f6bed" },
  { "closed",                 "Closed",                 KS_STATE_KIND_CLOSED,      "#1a3f8a" },
};

guint
ks_states_count (void)
{
  return G_N_ELEMENTS (states);
}

const KsState *
ks_states_nth (guint n)
{
  g_return_val_if_fail (n < G_N_ELEMENTS (states), NULL);
  return &states[n];
}

const KsState *
ks_state_lookup (const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (strcmp (states[i].id, id) == 0)
      return &states[i];
  return NULL;
}

/* Open work first, newest first (confirmed is a new report nobody has looked
 * at), then the states staff need not act on. */
static const char *const urgency_order[] = {
  "confirmed", "investigating", "action_scheduled", "in_progress",
  "awaiting_information", "unconfirmed", "fixed", "internal_referral",
  "no_further_action", "not_responsible", "duplicate", "closed", "hidden",
};

guint
ks_state_urgency (const char *id)
{
  const KsState *state;

  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (urgency_order); i++)
    if (strcmp (urgency_order[i], id) == 0)
      return i;

  /* A council's own state: after the known ones of its group. */
  state = ks_state_lookup (id);
  if (state != NULL && state->kind == KS_STATE_KIND_OPEN)
    return 100;
  return 200;
}

gboolean
ks_state_is_valid (const char *id)
{
  return ks_state_lookup (id) != NULL;
}

gboolean
ks_state_is_public (const char *id)
{
  const KsState *s = ks_state_lookup (id);
  return s != NULL && s->kind != KS_STATE_KIND_UNCONFIRMED && s->kind != KS_STATE_KIND_HIDDEN;
}

const char *
ks_state_kind_id (KsStateKind kind)
{
  switch (kind)
    {
    case KS_STATE_KIND_UNCONFIRMED: return "unconfirmed";
    case KS_STATE_KIND_HIDDEN:      return "hidden";
    case KS_STATE_KIND_OPEN:        return "open";
    case KS_STATE_KIND_FIXED:       return "fixed";
    case KS_STATE_KIND_CLOSED:      return "closed";
    default:                        return NULL;
    }
}

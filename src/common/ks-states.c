/* ks-states.c: the report states table. */
#include "ks-states.h"

#include <string.h>

static const KsState states[] = {
  { "unconfirmed",            "Unconfirmed",            KS_STATE_KIND_UNCONFIRMED, "#9a9996" },
  { "hidden",                 "Hidden",                 KS_STATE_KIND_HIDDEN,      "#5e5c64" },
  { "confirmed",              "Open",                   KS_STATE_KIND_OPEN,        "#e01b24" },
  { "investigating",          "Investigating",          KS_STATE_KIND_OPEN,        "#ff7800" },
  { "in_progress",            "In progress",            KS_STATE_KIND_OPEN,        "#f6d32d" },
  { "action_scheduled",       "Action scheduled",       KS_STATE_KIND_OPEN,        "#e5a50a" },
  { "awaiting_information",   "Awaiting information",   KS_STATE_KIND_OPEN,        "#c061cb" },
  { "fixed",                  "Fixed",                  KS_STATE_KIND_FIXED,       "#2ec27e" },
  { "no_further_action",      "No further action",      KS_STATE_KIND_CLOSED,      "#3584e4" },
  { "not_responsible",        "Not the council's responsibility", KS_STATE_KIND_CLOSED, "#1c71d8" },
  { "duplicate",              "Duplicate",              KS_STATE_KIND_CLOSED,      "#99c1f1" },
  { "internal_referral",      "Internal referral",      KS_STATE_KIND_CLOSED,      "#62a0ea" },
  { "closed",                 "Closed",                 KS_STATE_KIND_CLOSED,      "#1a5fb4" },
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

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

/* Councils' own states: KsState structs never freed (so that pointers handed
 * out stay valid), their strings interned. */
static GRWLock   council_lock;
static GPtrArray *council_states;   /* KsState *, in list order */
static guint      states_serial;    /* changed by each registration */

guint
ks_states_count (void)
{
  guint n;

  g_rw_lock_reader_lock (&council_lock);
  n = G_N_ELEMENTS (states) + (council_states ? council_states->len : 0);
  g_rw_lock_reader_unlock (&council_lock);
  return n;
}

const KsState *
ks_states_nth (guint n)
{
  const KsState *s = NULL;

  if (n < G_N_ELEMENTS (states))
    return &states[n];
  g_rw_lock_reader_lock (&council_lock);
  n -= G_N_ELEMENTS (states);
  if (council_states != NULL && n < council_states->len)
    s = g_ptr_array_index (council_states, n);
  g_rw_lock_reader_unlock (&council_lock);
  g_return_val_if_fail (s != NULL, NULL);
  return s;
}

static const KsState *
builtin_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (strcmp (states[i].id, id) == 0)
      return &states[i];
  return NULL;
}

const KsState *
ks_state_lookup (const char *id)
{
  const KsState *s;

  if (id == NULL)
    return NULL;
  if ((s = builtin_lookup (id)) != NULL)
    return s;
  g_rw_lock_reader_lock (&council_lock);
  for (guint i = 0; council_states != NULL && i < council_states->len && s == NULL; i++)
    if (strcmp (((KsState *) g_ptr_array_index (council_states, i))->id, id) == 0)
      s = g_ptr_array_index (council_states, i);
  g_rw_lock_reader_unlock (&council_lock);
  return s;
}

static int
council_order (gconstpointer a,
               gconstpointer b)
{
  const KsState *x = *(const KsState * const *) a, *y = *(const KsState * const *) b;

  if (x->body_id != y->body_id)
    return x->body_id < y->body_id ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return g_utf8_collate (x->label, y->label);
}

gboolean
ks_states_register (const KsState *state)
{
  KsState *s = NULL;

  g_return_val_if_fail (state != NULL && state->id != NULL && state->label != NULL, FALSE);
  if (builtin_lookup (state->id) != NULL)
    return FALSE;
  g_rw_lock_writer_lock (&council_lock);
  if (council_states == NULL)
    council_states = g_ptr_array_new ();
  for (guint i = 0; i < council_states->len && s == NULL; i++)
    if (strcmp (((KsState *) g_ptr_array_index (council_states, i))->id, state->id) == 0)
      s = g_ptr_array_index (council_states, i);
  if (s != NULL && s->body_id != state->body_id)
    {
      g_rw_lock_writer_unlock (&council_lock);
      return FALSE;
    }
  if (s == NULL)
    {
      s = g_new0 (KsState, 1);
      s->id = g_intern_string (state->id);
      g_ptr_array_add (council_states, s);
    }
  s->label = g_intern_string (state->label);
  s->kind = state->kind;
  s->colour = g_intern_string (state->colour ? state->colour : ks_state_kind_colour (state->kind));
  s->body_id = state->body_id;
  s->open311_status = state->open311_status ? g_intern_string (state->open311_status) : NULL;
  s->inactive = state->inactive;
  s->position = state->position;
  g_ptr_array_sort (council_states, council_order);
  states_serial++;
  g_rw_lock_writer_unlock (&council_lock);
  return TRUE;
}

guint
ks_states_serial (void)
{
  guint serial;

  g_rw_lock_reader_lock (&council_lock);
  serial = states_serial;
  g_rw_lock_reader_unlock (&council_lock);
  return serial;
}

const char *
ks_state_kind_colour (KsStateKind kind)
{
  /* One colour per kind, each 3:1 against white, apart from the built-in ones. */
  switch (kind)
    {
    case KS_STATE_KIND_FIXED:  return "#2e7d32";
    case KS_STATE_KIND_CLOSED: return "#5e5c64";
    case KS_STATE_KIND_OPEN:
    default:                   return "#b5500b";
    }
}

gboolean
ks_state_in_body (const KsState *state,
                  gint64         body_id)
{
  return state != NULL && (state->body_id == 0 || state->body_id == body_id);
}

gboolean
ks_state_kind_from_id (const char  *id,
                       KsStateKind *out)
{
  static const KsStateKind kinds[] = { KS_STATE_KIND_OPEN, KS_STATE_KIND_FIXED,
                                       KS_STATE_KIND_CLOSED };

  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (ks_state_kind_id (kinds[i]), id) == 0)
      {
        *out = kinds[i];
        return TRUE;
      }
  return FALSE;
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

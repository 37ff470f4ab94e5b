/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-states.h: the report states (FixMyStreet's set) and their groups. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KS_STATE_KIND_UNCONFIRMED,
  KS_STATE_KIND_HIDDEN,
  KS_STATE_KIND_OPEN,
  KS_STATE_KIND_FIXED,
  KS_STATE_KIND_CLOSED,
} KsStateKind;

typedef struct {
  const char  *id;        /* wire identifier, e.g. "action_scheduled" */
  const char  *label;     /* for people, e.g. "Action scheduled" */
  KsStateKind  kind;
  const char  *colour;    /* "#rrggbb": the map, list, filters and detail */
  /* A council's own state (0 for the built-in ones): its council, the Open311
   * status it maps to (NULL: by its kind), whether it is offered for new
   * changes, and its place in lists. */
  gint64       body_id;
  const char  *open311_status;
  gboolean     inactive;
  int          position;
} KsState;

/* The built-in states, then the councils' own (by council, kind, position). */
guint           ks_states_count       (void);
const KsState  *ks_states_nth         (guint n);
const KsState  *ks_state_lookup       (const char *id);
gboolean        ks_state_is_valid     (const char *id);
gboolean        ks_state_is_public    (const char *id);
const char     *ks_state_kind_id      (KsStateKind kind);
/* How urgent a report in this state is for staff: 0 is the most urgent (a
 * new open report); open states come before fixed, closed and hidden ones.
 * The map colours a cluster by its most urgent report. */
guint           ks_state_urgency      (const char *id);

/* Councils' own states: adds the state, or updates the one of the same id
 * (ids are unique across councils and never those of built-in states; a
 * council's state is never removed, only made inactive). The strings are
 * copied. Thread-safe; a pointer from lookup or nth stays valid. FALSE when
 * the id is a built-in state's or another council's. */
gboolean        ks_states_register    (const KsState *state);
/* Changes with each ks_states_register(): a table built from ks_states_nth()
 * (a widget's rows, an index of colours) is out of date when the serial it
 * was built at differs (positions may have moved). */
guint           ks_states_serial      (void);
/* The colour of a council's state of this kind. */
const char     *ks_state_kind_colour  (KsStateKind kind);
/* TRUE when a report of council body_id may take this state: a built-in
 * state, or that council's own. */
gboolean        ks_state_in_body      (const KsState *state, gint64 body_id);
/* Parses "open", "fixed", "closed" (the kinds a council's state may be). */
gboolean        ks_state_kind_from_id (const char *id, KsStateKind *out);

G_END_DECLS

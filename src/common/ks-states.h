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
} KsState;

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

G_END_DECLS

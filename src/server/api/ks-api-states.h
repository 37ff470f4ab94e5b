/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-states.h: the councils' own report states, read into the process's
 * table of states (ks-states.h). */
#pragma once

#include "store/ks-store.h"
#include "ks-states.h"

G_BEGIN_DECLS

/* Reads every council's states from the store into the table of states. */
gboolean       ks_api_states_load   (KsStore *store, GError **error);
/* ks_state_lookup(), reading the councils' states again (at most once a second)
 * when id is not known. */
const KsState *ks_api_state_lookup  (KsStore *store, const char *id);

G_END_DECLS

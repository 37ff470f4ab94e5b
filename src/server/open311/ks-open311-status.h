/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-status.h: the Open311 status mapping (Kerbside states <-> Open311
 * statuses). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The detailed Open311 status of a state (servicerequestupdates). */
const char *ks_open311_status_of_state  (const char *state);
/* "open" or "closed" (the status of GET requests). */
const char *ks_open311_open_or_closed   (const char *state);
/* Maps a client's status ("IN_PROGRESS", "in progress", "Fixed") to the state a
 * report in current_state should take; *out_state NULL when it stays. FALSE when
 * the status is not known. */
gboolean    ks_open311_state_for_status (const char  *status,
                                         const char  *current_state,
                                         const char **out_state);

/* TRUE when a client's status word is known (as ks_open311_state_for_status
 * reads it): the Open311 status a council's own state may map to. */
gboolean    ks_open311_status_known     (const char *status);

G_END_DECLS

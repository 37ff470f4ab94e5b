/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-boundaries.h: the boundaries a server works with. Every instance keeps each
 * council's polygons prepared in memory (ks-boundary-set.h) and, before each
 * lookup, reads the store's boundaries counter (one row): an import by any
 * instance or by the command line bumps it, and the polygons are loaded again. */
#pragma once

#include "store/ks-store.h"
#include "councils/ks-boundary-set.h"

G_BEGIN_DECLS

typedef struct {
  gboolean  has_boundaries;  /* FALSE: the council has none imported */
  gboolean  inside;          /* in the council's area (TRUE without boundaries) */
  char     *ward;            /* the ward at the point; NULL: none */
} KsWardAt;

void ks_ward_at_clear (KsWardAt *at);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsWardAt, ks_ward_at_clear)

/* Where the point falls among the council's boundaries. */
gboolean ks_boundaries_locate (KsStore   *store,
                               gint64     body_id,
                               double     lat,
                               double     lon,
                               KsWardAt  *out,
                               GError   **error);

/* The ward of a new or moved report: from the council's boundaries when it has
 * some (*inside FALSE when the point is outside its area), else today's rule, the
 * ward of the nearest report of the council (except_report_id left out). *out_ward
 * is never NULL on success ("" for none). */
gboolean ks_boundaries_ward    (KsStore   *store,
                                gint64     body_id,
                                double     lat,
                                double     lon,
                                gint64     except_report_id,
                                gboolean  *inside,
                                char     **out_ward,
                                GError   **error);

/* The sentence a point outside the council's area is refused with. */
char    *ks_boundaries_outside_message (KsStore *store,
                                        gint64   body_id,
                                        double   lat,
                                        double   lon);

/* Loads every council's boundaries (at start, so that the first reports do not
 * wait for them). */
gboolean ks_boundaries_preload (KsStore  *store,
                                GError  **error);

/* Forgets what was loaded (tests; a store that is closed). */
void     ks_boundaries_reset   (void);

/* Called after each batch while reports get their wards again. */
typedef void (*KsRewardProgress) (gint64   done,
                                  gint64   changed,
                                  gpointer user_data);

/* Replaces the council's boundaries with set's and gives every report of the
 * council its ward from them, batch by batch (each batch its own write), then
 * audits both (via: who did it, e.g. "command line"). */
gboolean ks_boundaries_import (KsStore          *store,
                               gint64            body_id,
                               KsBoundarySet    *set,
                               const char       *via,
                               const char       *details_json,
                               KsRewardProgress  progress,
                               gpointer          user_data,
                               gint64           *out_checked,
                               gint64           *out_changed,
                               GError          **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-layer-private.h: what the layer draws, for tests. */
#pragma once

#include "ks-map-layer.h"

G_BEGIN_DECLS

/* The state whose colour the layer draws for report_id (as its next frame
 * does: an index made stale by items-changed is rebuilt first), and that
 * colour. FALSE when the layer does not hold the report. */
gboolean ks_map_layer_get_drawn_report (KsMapLayer  *self,
                                        gint64       report_id,
                                        const char **state_id,
                                        GdkRGBA     *colour);

typedef struct {
  double   x, y;     /* centre, in the layer's coordinates */
  int      size;     /* diameter in pixels */
  guint    count;    /* reports under the mark (1: a single report) */
  guint16  state;    /* index in ks_states_nth(), or KS_MAP_STATE_UNKNOWN */
  GdkRGBA  colour;   /* the colour it is filled with */
} KsMapLayerMark;

/* The mark of the last frame drawn whose disc holds (x, y) (the nearest
 * centre when several do). The selection ring is not a mark. */
gboolean ks_map_layer_get_mark_at      (KsMapLayer      *self,
                                        double           x,
                                        double           y,
                                        KsMapLayerMark  *mark);

/* How many times the layer has built its index. */
guint    ks_map_layer_get_n_builds     (KsMapLayer      *self);

G_END_DECLS

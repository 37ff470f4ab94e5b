/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-index.h: the map's spatial index and clusters of report positions. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Points are placed on a 2^KS_MAP_INDEX_DEPTH square grid over the world
 * (normalised Web Mercator); level L groups them into 2^L x 2^L cells
 * anchored to the world, so the cells of level L+1 nest in those of L. */
#define KS_MAP_INDEX_DEPTH 30
#define KS_MAP_STATE_UNKNOWN G_MAXUINT16

typedef struct {
  guint64  key;      /* Morton code of the point's grid position */
  double   x, y;     /* normalised Web Mercator, [0, 1), y southwards */
  gint64   id;       /* the report's id */
  guint16  state;    /* index in ks_states_nth(), or KS_MAP_STATE_UNKNOWN */
} KsMapPoint;

typedef struct {
  guint64  cell;     /* Morton code of the cell at its level */
  guint    start;    /* first point (in the index's Morton order) */
  guint    count;    /* how many points the cell holds */
  double   x, y;     /* mean position of its points */
  double   min_x, min_y, max_x, max_y;   /* extent of its points */
  guint16  state;    /* the most urgent state among its points (ks_state_urgency) */
} KsMapCluster;

typedef struct _KsMapIndex KsMapIndex;

/* Takes ownership of points (allocated with g_new), fills in their keys and
 * sorts them in Morton order (key, then id). */
KsMapIndex         *ks_map_index_new           (KsMapPoint  *points,
                                                guint        n_points);
void                ks_map_index_free          (KsMapIndex  *self);

guint               ks_map_index_get_n_points  (KsMapIndex  *self);
/* The points in Morton order. */
const KsMapPoint   *ks_map_index_get_points    (KsMapIndex  *self);

/* All clusters of a level (0 .. KS_MAP_INDEX_DEPTH) in Morton order; built on
 * first use with one pass over the sorted points, then kept. */
const KsMapCluster *ks_map_index_get_level     (KsMapIndex  *self,
                                                guint        level,
                                                guint       *n_clusters);
/* The cluster of cell (cx, cy) at level, or NULL when the cell is empty. */
const KsMapCluster *ks_map_index_lookup        (KsMapIndex  *self,
                                                guint        level,
                                                guint        cx,
                                                guint        cy);
/* The position in Morton order of report id, if it is there. */
gboolean            ks_map_index_find          (KsMapIndex  *self,
                                                gint64       id,
                                                guint       *position);

guint64             ks_map_morton_encode       (guint32      x,
                                                guint32      y);
void                ks_map_morton_decode       (guint64      code,
                                                guint32     *x,
                                                guint32     *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsMapIndex, ks_map_index_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-layer.h: a map layer that draws every report, clustered by zoom. */
#pragma once

#include <shumate/shumate.h>

#include "ks-map-index.h"

G_BEGIN_DECLS

#define KS_TYPE_MAP_LAYER (ks_map_layer_get_type ())
G_DECLARE_FINAL_TYPE (KsMapLayer, ks_map_layer, KS, MAP_LAYER, ShumateLayer)

typedef enum {
  KS_MAP_HIT_NONE,
  KS_MAP_HIT_REPORT,
  KS_MAP_HIT_CLUSTER,
} KsMapHitKind;

typedef struct {
  KsMapHitKind kind;
  gint64       report_id;    /* KS_MAP_HIT_REPORT: the report; CLUSTER: its first */
  guint        count;        /* reports under the mark */
  double       lat, lon;     /* where the mark is drawn */
  /* The extent of the reports under the mark. */
  double       min_lat, min_lon, max_lat, max_lon;
} KsMapHit;

typedef struct {
  guint level;          /* cluster level used */
  guint n_clusters;     /* bubbles drawn (two reports or more) */
  guint n_singles;      /* single reports drawn */
  guint n_reports;      /* reports under what was drawn */
  guint n_nodes;        /* render nodes appended */
  gint64 snapshot_us;   /* time the layer's snapshot took */
} KsMapLayerStats;

/* viewport: the map's (ShumateLayer's viewport is construct-only). */
KsMapLayer  *ks_map_layer_new              (ShumateViewport *viewport);

/* reports: a GListModel of KsReport, followed through items-changed
 * (the index is rebuilt once per burst of changes). NULL clears. */
void         ks_map_layer_set_reports      (KsMapLayer      *self,
                                            GListModel      *reports);
GListModel  *ks_map_layer_get_reports      (KsMapLayer      *self);

/* 0 selects nothing. */
void         ks_map_layer_set_selected     (KsMapLayer      *self,
                                            gint64           report_id);
gint64       ks_map_layer_get_selected     (KsMapLayer      *self);

/* Where report_id is, if the layer holds it. */
gboolean     ks_map_layer_get_report_location (KsMapLayer   *self,
                                               gint64        report_id,
                                               double       *lat,
                                               double       *lon);

/* What is drawn at (x, y), in the layer's coordinates. */
gboolean     ks_map_layer_hit_test         (KsMapLayer      *self,
                                            double           x,
                                            double           y,
                                            KsMapHit        *hit);

/* Where the report or cluster mark at (lat, lon) is drawn, in the layer's
 * coordinates (the viewport's rotation applied). */
gboolean     ks_map_layer_location_to_point (KsMapLayer     *self,
                                             double          lat,
                                             double          lon,
                                             double         *x,
                                             double         *y);

/* Where a cluster of the current zoom's level is drawn, in the layer's
 * coordinates. */
gboolean     ks_map_layer_cluster_to_point (KsMapLayer         *self,
                                            const KsMapCluster *cluster,
                                            double             *x,
                                            double             *y);

/* The cluster level used at a zoom level. */
guint        ks_map_layer_level_for_zoom   (KsMapLayer      *self,
                                            double           zoom);

/* The index over the current reports (brought up to date first). */
KsMapIndex  *ks_map_layer_get_index        (KsMapLayer      *self);

/* A rectangle being drawn over the map (layer coordinates), to select the
 * reports inside; NULL hides it. */
void         ks_map_layer_set_area         (KsMapLayer            *self,
                                            const graphene_rect_t *area);
/* The ids of the reports drawn inside area (layer coordinates; the reports
 * inside a cluster bubble count one by one), a new GArray of gint64. */
GArray      *ks_map_layer_reports_in_area  (KsMapLayer            *self,
                                            const graphene_rect_t *area);

/* What the last frame drew. */
void         ks_map_layer_get_stats        (KsMapLayer      *self,
                                            KsMapLayerStats *stats);

G_END_DECLS

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

G_END_DECLS

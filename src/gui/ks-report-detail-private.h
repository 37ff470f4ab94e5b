/* ks-report-detail-private.h: what the detail shows, for tests. */
#pragma once

#include "ks-report-detail.h"
#include "ks-map-view.h"

G_BEGIN_DECLS

/* The text shown for a field: "state" (the badge), "acknowledged",
 * "category", "priority", "location", "created", "updated", "shortlist". */
const char  *ks_report_detail_get_field_text (KsReportDetail *self, const char *field);
/* The timeline rows as shown, "heading\nbody" each (free with g_strfreev). */
char       **ks_report_detail_get_timeline   (KsReportDetail *self);
/* The group that holds the timeline (for screenshots). */
GtkWidget   *ks_report_detail_get_timeline_group (KsReportDetail *self);
/* The small location map (NULL before a report was shown). */
KsMapView   *ks_report_detail_get_map_view   (KsReportDetail *self);

G_END_DECLS

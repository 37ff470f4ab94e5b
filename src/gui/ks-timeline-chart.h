/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-timeline-chart.h: the dashboard's bar chart of reports created and fixed
 * per day, drawn in snapshot, with axis labels and a legend. */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KS_TYPE_TIMELINE_CHART (ks_timeline_chart_get_type ())
G_DECLARE_FINAL_TYPE (KsTimelineChart, ks_timeline_chart, KS, TIMELINE_CHART, GtkWidget)

GtkWidget *ks_timeline_chart_new          (void);
/* timeline: the "timeline" array of GET /api/v1/dashboard/timeline (objects
 * with "date", "created", "fixed"), oldest first. NULL clears. */
void       ks_timeline_chart_set_timeline (KsTimelineChart *self, JsonArray *timeline);
guint      ks_timeline_chart_get_n_days   (KsTimelineChart *self);
/* Sums over the days shown. */
gint64     ks_timeline_chart_get_total    (KsTimelineChart *self, gboolean fixed);

G_END_DECLS

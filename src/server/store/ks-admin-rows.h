/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-rows.h: what the store gives for the council's settings, the
 * dashboard and the audit log: plain rows, which the wire writers
 * (api/ks-wire-admin.c, ks-wire-dashboard.c) turn into JSON. */
#pragma once

#include <glib.h>
#include "ks-states.h"

G_BEGIN_DECLS

#define KS_N_STATE_KINDS (KS_STATE_KIND_CLOSED + 1)

/* A council and its settings. */
typedef struct {
  gint64    id;
  char     *name;
  char     *slug;
  char     *area_name;
  gboolean  has_bbox;
  double    min_lat, min_lon, max_lat, max_lon;
  gboolean  require_2fa;
  gint64    password_min_length;
  gint64    max_photos;           /* photos per report and per update */
  char     *email;
  gint64    created;
  char     *public_url;               /* NULL: none set */
  gint64    duplicate_radius;         /* metres: what new categories start with */
  gint64    retention_reporter_days;  /* 0: kept */
  gint64    retention_audit_days;     /* 0: kept */
  gint64    retention_staff_days;     /* 0: never deactivated */
} KsBodyRow;

void ks_body_row_clear (KsBodyRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsBodyRow, ks_body_row_clear)

typedef struct {
  gint64       body_id;
  gint64       generated;
  gint64       total;
  GHashTable  *by_state;        /* state id -> count (GSIZE_TO_POINTER), every state reports have */
  gint64       by_kind[KS_N_STATE_KINDS];
  gint64       created_7_days;
  gint64       created_30_days;
  gint64       fixed_7_days;
  gint64       fixed_30_days;
  double       median_seconds_to_fix;  /* over 90 days; < 0: none fixed */
  gint64       unacknowledged_open;
  gint64       failed_sendings;       /* reports that could not be sent on (ks-store-sendings.h) */
} KsDashboardSummary;

void ks_dashboard_summary_clear (KsDashboardSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsDashboardSummary, ks_dashboard_summary_clear)

/* Building a summary from what a store read: starts it empty (by_state made),
 * then counts n reports in a state (by_state, by_kind and total). */
void   ks_dashboard_summary_start     (KsDashboardSummary *summary, gint64 body_id, gint64 now);
void   ks_dashboard_summary_add_state (KsDashboardSummary *summary, const char *state, gint64 n);
/* The median of times (gint64 seconds; sorted here), or -1 when there are none. */
double ks_dashboard_median_seconds    (GArray *times);

typedef struct {
  gint64   body_id;
  gint64   start;               /* midnight UTC of the first day */
  guint    days;
  gint64  *created;             /* per day */
  gint64  *fixed;
  gint64  *closed;
} KsDashboardTimeline;

void ks_dashboard_timeline_clear (KsDashboardTimeline *timeline);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsDashboardTimeline, ks_dashboard_timeline_clear)

typedef enum {
  KS_STATS_BY_CATEGORY,
  KS_STATS_BY_STATE,
  KS_STATS_BY_WARD,
  KS_STATS_BY_PRIORITY,
} KsStatsBy;

/* One group of the statistics. */
typedef struct {
  char   *key;                  /* NULL: none (no priority, no ward) */
  char   *name;                 /* category or priority: its name; NULL when unknown */
  gint64  count;
  gint64  kinds[KS_N_STATE_KINDS];
} KsStatsRow;

void ks_stats_row_free (gpointer row);

typedef struct {
  gint64      body_id;
  KsStatsBy   by;
  gint64      from;
  gint64      to;
  GPtrArray  *rows;             /* KsStatsRow, most reports first, then by key */
} KsDashboardStats;

void ks_dashboard_stats_clear (KsDashboardStats *stats);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsDashboardStats, ks_dashboard_stats_clear)

/* Building statistics from what a store read: rows are counted in the order
 * their keys first come, then sorted by ks_stats_tally_finish(). */
typedef struct {
  KsDashboardStats *stats;
  GHashTable       *rows;       /* key -> KsStatsRow */
  KsStatsRow       *none;
} KsStatsTally;

void ks_stats_tally_start  (KsStatsTally *tally, KsDashboardStats *stats, gint64 body_id,
                            KsStatsBy by, gint64 from, gint64 to);
/* Counts n reports in state under key (NULL, or an empty ward: the row of none). */
void ks_stats_tally_add    (KsStatsTally *tally, const char *key, const char *state, gint64 n);
/* Sorts the rows (most reports first, then by key), names them from labels
 * (key -> name; may be NULL) and frees what the tally kept. */
void ks_stats_tally_finish (KsStatsTally *tally, GHashTable *labels);

/* The reports' CSV export: its header line and one line per report. */
#define KS_DASHBOARD_CSV_HEADER "id,created,category,state,priority,ward,lat,lon,title\r\n"
void ks_dashboard_csv_append_report (GString *out, gint64 id, gint64 created,
                                     const char *category, const char *state,
                                     const char *priority, const char *ward,
                                     double lat, double lon, const char *title);

/* One entry of the audit log. */
typedef struct {
  gint64    id;
  gint64    at;
  gboolean  has_body;
  gint64    body_id;
  gboolean  has_user;
  gint64    user_id;
  char     *user_name;
  char     *user_email;
  char     *action;
  char     *object_type;
  gboolean  has_object;
  gint64    object_id;
  char     *address;
  char     *details;            /* JSON text, or NULL */
} KsAuditEntry;

void ks_audit_entry_free (KsAuditEntry *entry);

G_END_DECLS

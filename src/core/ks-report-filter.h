/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-filter.h: the filtered and sorted view of the reports, as a
 * GListModel of KsReport. The map and the list both show this model.
 *
 * The reports are kept sorted (once, until the base or the order changes), so
 * each setter re-filters at once by a pass over them in that order, with no
 * sorting (about 10-30 ms for 100,000 reports), and emits a
 * single items-changed covering only the range that differs. Wrap several setters
 * in ks_report_filter_freeze() / ks_report_filter_thaw() to re-filter once.
 * Changes in the underlying model are picked up on the next idle. */
#pragma once

#include <gio/gio.h>
#include "ks-report.h"

G_BEGIN_DECLS

typedef enum {
  KS_REPORT_SORT_UPDATED_DESC,  /* most recently changed first (default) */
  KS_REPORT_SORT_UPDATED_ASC,
  KS_REPORT_SORT_CREATED_DESC,
  KS_REPORT_SORT_CREATED_ASC,
  KS_REPORT_SORT_ID_DESC,
  KS_REPORT_SORT_SHORTLIST,     /* shortlist holder, then the shortlist order, then id */
} KsReportSort;

/* Who holds the report on their shortlist. */
typedef enum {
  KS_REPORT_ASSIGNED_ANY,       /* no filter */
  KS_REPORT_ASSIGNED_ME,        /* the user given with it */
  KS_REPORT_ASSIGNED_SOMEONE,   /* anyone */
  KS_REPORT_ASSIGNED_NOBODY,
} KsReportAssigned;

#define KS_TYPE_REPORT_FILTER (ks_report_filter_get_type ())
G_DECLARE_FINAL_TYPE (KsReportFilter, ks_report_filter, KS, REPORT_FILTER, GObject)

/* base: a GListModel of KsReport (usually ks_session_get_reports()). */
KsReportFilter *ks_report_filter_new             (GListModel *base);
GListModel     *ks_report_filter_get_base        (KsReportFilter *self);

/* The result's reports, lent (no ref each): valid until the filter's next
 * items-changed. For a pass over every one (the map's points), which need
 * not take and give back a ref a report, and can ask for the next ones'
 * memory ahead (ks_report_prefetch()). */
KsReport * const *ks_report_filter_peek_items (KsReportFilter *self, guint *n_items);
/* Where report id is in the result, or G_MAXUINT when it is not there: a
 * scan of the result's pointers, no report taken or given back (a GUI looking
 * for its selected report after each change of the criteria). */
guint ks_report_filter_find_id         (KsReportFilter *self, gint64 id);

void  ks_report_filter_freeze          (KsReportFilter *self);
void  ks_report_filter_thaw            (KsReportFilter *self);

/* NULL or empty: any state. A NULL-terminated array of state ids. */
void  ks_report_filter_set_states      (KsReportFilter *self, const char * const *states);
/* n == 0: any category. */
void  ks_report_filter_set_categories  (KsReportFilter *self, const gint64 *ids, guint n);
/* NULL or "": any group. Matches one of a report's groups ("Roads|Lighting"). */
void  ks_report_filter_set_group       (KsReportFilter *self, const char *group);
/* NULL or "": any ward. Otherwise the ward's exact name. */
void  ks_report_filter_set_ward        (KsReportFilter *self, const char *ward);
/* NULL or empty: any ward. Otherwise one of these names (a person's area). */
void  ks_report_filter_set_wards       (KsReportFilter *self, const char * const *wards);
/* n == 0: any priority. Use id 0 for "no priority". */
void  ks_report_filter_set_priorities  (KsReportFilter *self, const gint64 *ids, guint n);
/* Created between from and to (Unix seconds, inclusive); 0: open-ended. */
void  ks_report_filter_set_date_range  (KsReportFilter *self, gint64 from, gint64 to);
/* Free text: every word must occur in the title, detail, ward, category or id
 * (case- and accent-insensitive for ASCII letters). NULL or "": no text filter.
 * A number alone also matches the report with that id. */
void  ks_report_filter_set_text        (KsReportFilter *self, const char *text);
/* user_id != 0: only reports on that user's shortlist. */
void  ks_report_filter_set_shortlist_user (KsReportFilter *self, gint64 user_id);
/* Who holds it: me is the user's id (for KS_REPORT_ASSIGNED_ME). */
void  ks_report_filter_set_assigned    (KsReportFilter *self, KsReportAssigned assigned,
                                        gint64 me);
/* The order of a shortlist (report ids, n of them) for KS_REPORT_SORT_SHORTLIST:
 * reports not in it come after, by id. */
void  ks_report_filter_set_shortlist_order (KsReportFilter *self, const gint64 *ids, guint n);
void  ks_report_filter_set_sort        (KsReportFilter *self, KsReportSort sort);
KsReportSort ks_report_filter_get_sort (KsReportFilter *self);
/* A view's order (a list's column sort): compare (a, b, data) on two KsReport
 * first, the sort for the ties. NULL: the sort alone. The reports are sorted
 * once, again only when the base, the sort or this order changes (call it
 * again when what compare reads changed); a change of the criteria is a pass
 * over them in that order. */
void  ks_report_filter_set_compare     (KsReportFilter *self, GCompareDataFunc compare,
                                        gpointer data);
/* A view's order given as two keys a report as well: keys (report, key, data)
 * fills key[0] and key[1], and compare orders as they do, ascending, key[0]
 * first (0 exactly when both are equal). Every report is then sorted by its
 * keys, taken once, instead of compare reading two reports at each step;
 * compare still places the few reports a change moves. */
typedef void (*KsReportSortKeys) (KsReport *report, gint64 key[2], gpointer data);
void  ks_report_filter_set_compare_keys (KsReportFilter *self, GCompareDataFunc compare,
                                         KsReportSortKeys keys, gpointer data);
/* Clears every criterion (sort is kept). */
void  ks_report_filter_reset           (KsReportFilter *self);

/* Re-filters now (also done on idle after the base model changes). A setter
 * given what the filter already has makes no pass. */
void  ks_report_filter_refilter        (KsReportFilter *self);
/* Inside the filter's items-changed: whether a change of its criteria (a
 * search, a state, an area...) made the change, rather than the reports or
 * their order changing. */
gboolean ks_report_filter_is_criteria_change (KsReportFilter *self);
/* How many passes over the reports the filter has made (for tests). */
guint ks_report_filter_get_n_passes    (KsReportFilter *self);
/* How many reports the base model has (the "N of M" figure). */
guint ks_report_filter_get_n_total     (KsReportFilter *self);

G_END_DECLS

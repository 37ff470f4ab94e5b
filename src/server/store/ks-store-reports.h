/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-reports.h: the store's report reads: the filtered list, the sync feed
 * and the detail of one report (see ks-store.h). */
#pragma once

#include <glib-object.h>
#include "ks-geo.h"
#include "auth/ks-principal.h"
#include "store/ks-report-row.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* Sort orders of the report list. Each is a keyset on (value, id). */
typedef enum {
  KS_REPORT_SORT_ID,
  KS_REPORT_SORT_CREATED,
  KS_REPORT_SORT_UPDATED,
  KS_REPORT_SORT_STATE,
  KS_REPORT_SORT_PRIORITY,   /* priority id; no priority sorts as 0 */
  KS_REPORT_SORT_CATEGORY,   /* category id */
  KS_REPORT_SORT_TITLE,
  KS_REPORT_SORT_WARD,
  KS_N_REPORT_SORTS
} KsReportSort;

/* "id", "created", ...; NULL when out of range. */
const char *ks_report_sort_name      (KsReportSort sort);
/* Parses a name (without the "-" prefix); FALSE when unknown. */
gboolean    ks_report_sort_from_name (const char *name, KsReportSort *out);
/* TRUE when the sort value is text (state, title, ward), FALSE for integers. */
gboolean    ks_report_sort_is_text   (KsReportSort sort);

/* A position in a sorted list: the last row's sort value and id. */
typedef struct {
  gint64  id;
  gint64  value_int;    /* for integer sorts */
  char   *value_text;   /* for text sorts */
} KsReportCursor;

void ks_report_cursor_clear (KsReportCursor *cursor);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsReportCursor, ks_report_cursor_clear)

/* Whether a report is on someone's shortlist (assigned to them). */
typedef enum {
  KS_REPORT_ASSIGNED_ANY,      /* no filter */
  KS_REPORT_ASSIGNED_SOMEONE,  /* on someone's shortlist */
  KS_REPORT_ASSIGNED_NOBODY,   /* on nobody's */
} KsReportAssigned;

/* The filters of the report list. Zero / NULL members do not filter. */
typedef struct {
  gboolean         has_bbox;
  KsBBox           bbox;
  const char     **states;          /* NULL-terminated state ids */
  const gint64    *category_ids;
  guint            n_category_ids;
  /* Never these categories (set by ks_store_reports_list from the principal:
   * the restricted categories it is not assigned). */
  const gint64    *hidden_category_ids;
  guint            n_hidden_category_ids;
  const char      *group;           /* one of the category's groups */
  const gint64    *priority_ids;
  guint            n_priority_ids;
  gboolean         priority_none;   /* also (or only) reports without a priority */
  const char      *text;            /* words to find in title and detail */
  gint64           created_from;    /* created >= created_from */
  gint64           created_before;  /* created <  created_before */
  gint64           updated_from;
  gint64           updated_before;
  const char      *ward;
  gint64           shortlist_user;  /* only reports on this user's shortlist */
  KsReportAssigned assigned;
  gint64           body_id;         /* superusers: one council, 0 for all; staff: ignored
                                     * (always their own council) */
  KsReportSort     sort;
  gboolean         descending;
  guint            limit;           /* 1..1000 */
  const KsReportCursor *after;      /* continue after this row, or NULL */
} KsReportQuery;

/* The words of a text search ("q"): runs of letters and digits (with their
 * combining marks), at most KS_REPORT_SEARCH_MAX_WORDS of them; every one must be
 * in the title or the detail. The text is never read as query syntax. NULL when
 * it holds no word. Both stores build their query from these words. */
#define KS_REPORT_SEARCH_MAX_WORDS 32
char   **ks_report_search_words  (const char *text);
/* TRUE, with the number, when the text (spaces around it aside) is 1 to 18
 * digits: the search also finds the report of that number. */
gboolean ks_report_search_number (const char *text, gint64 *out);

/* The grid of the newest-first map query: cells of 1/400 degree of latitude by
 * 1/250 degree of longitude (about 280 m), numbered
 * lat_index * KS_REPORT_CELL_LAT_STRIDE + lon_index, where
 * lat_index = (lat + 90) * KS_REPORT_CELL_LAT_SCALE truncated (and the same for the
 * longitude, from -180). The stores' cell indexes use this very arithmetic. */
#define KS_REPORT_CELL_LAT_SCALE  400.0
#define KS_REPORT_CELL_LON_SCALE  250.0
#define KS_REPORT_CELL_LAT_STRIDE 131072
/* Beyond this many cells a box is read another way. */
#define KS_REPORT_MAX_CELLS       256

/* The cell indexes a box covers (every point of the box falls in one of them).
 * TRUE when they are at most KS_REPORT_MAX_CELLS. */
gboolean ks_report_cell_range    (const KsBBox *bbox, gint64 *lat0, gint64 *lat1,
                                  gint64 *lon0, gint64 *lon1);

/* A page of the sync feed, besides its reports. */
typedef struct {
  GArray   *tombstones;   /* gint64 report ids the caller is to drop */
  gint64    seq;          /* where the next page starts */
  gboolean  more;
  gint64    remaining;    /* with_remaining: reports the caller may see changed after it */
} KsSyncPage;

void ks_sync_page_clear (KsSyncPage *page);

/* A report's rendered sync item (see KsReportRow's fragment), as rendered from the
 * row whose seq is given. */
typedef struct {
  gint64  report_id;
  gint64  seq;
  gsize   list_len;
  char   *body;      /* owned; the JSON object */
} KsReportFragment;

void ks_report_fragment_clear (KsReportFragment *fragment);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsSyncPage, ks_sync_page_clear)

typedef struct {
  /* Gives the reports of a list page (the list columns; or only the id and the
   * item kept rendered, fragment, when the report has one). When another page
   * follows, sets *out_more and fills out_next with the page's last row. */
  gboolean (*list)         (KsStore *self, const KsPrincipal *who,
                            const KsReportQuery *query, KsReportRowFunc func,
                            gpointer user_data, gboolean *out_more,
                            KsReportCursor *out_next, GError **error);
  /* Gives the reports changed after since (sync columns, reporter included), in
   * sequence order, and fills out with the tombstones and where the next page
   * starts. with_remaining also counts the reports after this page (a count over
   * the seq index: costs ~30 ms per million). Without with_reporter, a report
   * given with its kept item may come without its reporter columns and body_id
   * (the store then need not read the report's row). */
  gboolean (*sync)         (KsStore *self, const KsPrincipal *who, gint64 since,
                            guint limit, gboolean with_remaining, gboolean with_reporter,
                            KsReportRowFunc func, gpointer user_data, KsSyncPage *out,
                            GError **error);
  /* Keeps rendered sync items (see ks_store_reports_keep_fragments). */
  gboolean (*keep_fragments) (KsStore *self, const KsReportFragment *fragments,
                              guint n_fragments, GError **error);
  /* The first report without its kept item (see ks_store_reports_first_unkept). */
  gboolean (*first_unkept) (KsStore *self, gboolean *out_any, gint64 *out_seq,
                            GError **error);
  /* Gives the detail of a report (see ks_store_reports_detail). */
  gboolean (*detail)       (KsStore *self, const KsPrincipal *who, gint64 report_id,
                            const KsReportDetailFuncs *funcs, gpointer user_data,
                            gint64 *out_body_id, GError **error);
  /* Optional: reads the details of many reports at once (see
   * ks_store_reports_read_ahead), and forgets them. */
  gboolean (*read_ahead)   (KsStore *self, const gint64 *ids, guint n_ids, GError **error);
  void     (*forget_ahead) (KsStore *self);
  /* Whether who may see the stored photo ref ("/api/v1/media/NAME"). */
  gboolean (*media_visible) (KsStore *self, const KsPrincipal *who, const char *ref,
                             gboolean *out_visible, GError **error);
  /* Whether the stored photo ref belongs to public output (Open311). */
  gboolean (*media_public)  (KsStore *self, const char *ref, gboolean *out_public,
                             GError **error);
} KsStoreReportsVTable;

gboolean ks_store_reports_list   (KsStore *self, const KsPrincipal *who,
                                  const KsReportQuery *query, KsReportRowFunc func,
                                  gpointer user_data, gboolean *out_more,
                                  KsReportCursor *out_next, GError **error);
/* Not a member of any council: KS_ERROR_FORBIDDEN. out is filled on success (clear
 * it with ks_sync_page_clear). */
gboolean ks_store_reports_sync   (KsStore *self, const KsPrincipal *who,
                                  gint64 since, guint limit, gboolean with_remaining,
                                  gboolean with_reporter,
                                  KsReportRowFunc func, gpointer user_data,
                                  KsSyncPage *out, GError **error);

/* Keeps the rendered sync items of reports, each only while its report's seq is
 * still the one it was rendered from (a write transaction of its own; any later
 * change to the report or to what is rendered into it deletes it again). */
gboolean ks_store_reports_keep_fragments (KsStore *self, const KsReportFragment *fragments,
                                          guint n_fragments, GError **error);

/* Whether any report of any council lacks its kept sync item (*out_any), and
 * if so the seq of the first such report in seq order (*out_seq), so that a
 * walk of every report from just before it meets them all. Reads which items
 * are kept, not the items: a store whose reports all have theirs answers from
 * an index. */
gboolean ks_store_reports_first_unkept   (KsStore *self, gboolean *out_any, gint64 *out_seq,
                                          GError **error);

/* Gives the detail of a report: the report (with the detail columns and its
 * reporter), its updates and moderation history. KS_ERROR_NOT_FOUND (and nothing
 * given) when it does not exist or belongs to another council. Works inside a write
 * transaction too (then it reads what the transaction wrote). */
gboolean ks_store_reports_detail (KsStore *self, const KsPrincipal *who,
                                  gint64 report_id, const KsReportDetailFuncs *funcs,
                                  gpointer user_data, gint64 *out_body_id,
                                  GError **error);

/* Before writing the details of many reports (a bulk action's answer): a store
 * whose every read is a round trip to a server reads them all in a few queries,
 * and the detail of each (ks_store_reports_detail, its Open311 photo addresses,
 * its duplicate links, its emails) is then given from what was read, on the
 * calling thread, until ks_store_reports_forget_ahead. Nothing may be written in
 * between. A store without it (SQLite, in the process) reads each detail as usual. */
gboolean ks_store_reports_read_ahead   (KsStore *self, const gint64 *ids, guint n_ids,
                                        GError **error);
void     ks_store_reports_forget_ahead (KsStore *self);

/* TRUE in *out_visible when ref is the photo of a report, or of an update of a
 * report, of who's council (any council for superusers), or, for those who may
 * moderate, a photo that moderation removed from such a report. */
gboolean ks_store_reports_media_visible (KsStore *self, const KsPrincipal *who,
                                         const char *ref, gboolean *out_visible,
                                         GError **error);
/* TRUE in *out_public when ref is the photo of a public report (not unconfirmed,
 * hidden or of a private category), or of a public update of one. */
gboolean ks_store_reports_media_public  (KsStore *self, const char *ref,
                                         gboolean *out_public, GError **error);

G_END_DECLS

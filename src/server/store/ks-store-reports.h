/* ks-store-reports.h: the store's report reads: the filtered list, the sync feed
 * and the detail of one report (see ks-store.h). */
#pragma once

#include <glib-object.h>
#include "ks-geo.h"
#include "auth/ks-principal.h"
#include "ks-json-writer.h"

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

/* The filters of the report list. Zero / NULL members do not filter. */
typedef struct {
  gboolean         has_bbox;
  KsBBox           bbox;
  const char     **states;          /* NULL-terminated state ids */
  const gint64    *category_ids;
  guint            n_category_ids;
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
  gint64           body_id;         /* superusers: one council, 0 for all; staff: ignored
                                     * (always their own council) */
  KsReportSort     sort;
  gboolean         descending;
  guint            limit;           /* 1..1000 */
  const KsReportCursor *after;      /* continue after this row, or NULL */
} KsReportQuery;

typedef struct {
  /* Writes a JSON array of reports in the list shape. When another page follows,
   * sets *out_more and fills out_next with the last row written. */
  gboolean (*write_list)   (KsStore *self, const KsPrincipal *who,
                            const KsReportQuery *query, KsJsonWriter *w,
                            gboolean *out_more, KsReportCursor *out_next,
                            GError **error);
  /* Writes the sync object {"reports", "tombstones", "seq", "more"} of changes
   * after since. with_reporter adds the reporter's personal data to the reports of
   * the caller's own council; *out_n_personal counts them (for the audit).
   * with_remaining adds "remaining": how many reports the caller may see changed
   * after this page (a count over the seq index: costs ~30 ms per million). */
  gboolean (*write_sync)   (KsStore *self, const KsPrincipal *who, gint64 since,
                            guint limit, gboolean with_reporter, gboolean with_remaining,
                            KsJsonWriter *w, guint *out_n_personal, GError **error);
  /* Writes the detail object of a report. *out_personal is set when the reporter's
   * personal data was written. */
  gboolean (*write_detail) (KsStore *self, const KsPrincipal *who, gint64 report_id,
                            KsJsonWriter *w, gint64 *out_body_id,
                            gboolean *out_personal, GError **error);
  /* Whether who may see the stored photo ref ("/api/v1/media/NAME"). */
  gboolean (*media_visible) (KsStore *self, const KsPrincipal *who, const char *ref,
                             gboolean *out_visible, GError **error);
  /* Whether the stored photo ref belongs to public output (Open311). */
  gboolean (*media_public)  (KsStore *self, const char *ref, gboolean *out_public,
                             GError **error);
} KsStoreReportsVTable;

gboolean ks_store_reports_write_list   (KsStore *self, const KsPrincipal *who,
                                        const KsReportQuery *query, KsJsonWriter *w,
                                        gboolean *out_more, KsReportCursor *out_next,
                                        GError **error);
gboolean ks_store_reports_write_sync   (KsStore *self, const KsPrincipal *who,
                                        gint64 since, guint limit,
                                        gboolean with_reporter, gboolean with_remaining,
                                        KsJsonWriter *w,
                                        guint *out_n_personal, GError **error);

/* Writes the detail object of a report (docs/api.md): the report, its detail,
 * updates and moderation history. KS_ERROR_NOT_FOUND when it does not exist or
 * belongs to another council. The reporter's personal data is included when who is
 * staff of the report's council (who->body_id == *out_body_id); this does not
 * write the audit entry: the caller audits the view as "view_personal_data".
 * Works inside a write transaction too (then it reads what the transaction wrote). */
gboolean ks_store_reports_write_detail (KsStore *self, const KsPrincipal *who,
                                        gint64 report_id, KsJsonWriter *w,
                                        gint64 *out_body_id, GError **error);
/* The same, telling whether personal data was written (out_personal may be NULL). */
gboolean ks_store_reports_write_detail_full (KsStore *self, const KsPrincipal *who,
                                             gint64 report_id, KsJsonWriter *w,
                                             gint64 *out_body_id, gboolean *out_personal,
                                             GError **error);

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

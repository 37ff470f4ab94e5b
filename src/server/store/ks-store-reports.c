/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-reports.c: dispatchers of the store's report reads, and the sort names. */
#include "store/ks-store.h"

#include <string.h>

static const struct {
  const char *name;
  gboolean    is_text;
} sorts[KS_N_REPORT_SORTS] = {
  [KS_REPORT_SORT_ID]       = { "id", FALSE },
  [KS_REPORT_SORT_CREATED]  = { "created", FALSE },
  [KS_REPORT_SORT_UPDATED]  = { "updated", FALSE },
  [KS_REPORT_SORT_STATE]    = { "state", TRUE },
  [KS_REPORT_SORT_PRIORITY] = { "priority", FALSE },
  [KS_REPORT_SORT_CATEGORY] = { "category", FALSE },
  [KS_REPORT_SORT_TITLE]    = { "title", TRUE },
  [KS_REPORT_SORT_WARD]     = { "ward", TRUE },
};

const char *
ks_report_sort_name (KsReportSort sort)
{
  return (guint) sort < KS_N_REPORT_SORTS ? sorts[sort].name : NULL;
}

gboolean
ks_report_sort_from_name (const char   *name,
                          KsReportSort *out)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < KS_N_REPORT_SORTS; i++)
    if (strcmp (sorts[i].name, name) == 0)
      {
        *out = (KsReportSort) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
ks_report_sort_is_text (KsReportSort sort)
{
  return (guint) sort < KS_N_REPORT_SORTS && sorts[sort].is_text;
}

void
ks_report_cursor_clear (KsReportCursor *cursor)
{
  g_clear_pointer (&cursor->value_text, g_free);
  cursor->id = 0;
  cursor->value_int = 0;
}

void
ks_sync_page_clear (KsSyncPage *page)
{
  g_clear_pointer (&page->tombstones, g_array_unref);
  page->seq = 0;
  page->more = FALSE;
  page->remaining = 0;
}

gboolean ks_store_reports_list (KsStore *self, const KsPrincipal *who, const KsReportQuery *query, KsReportRowFunc func, gpointer user_data, gboolean *out_more, KsReportCursor *out_next, GError **error)
{ return KS_STORE_DISPATCH (self, reports, list, who, query, func, user_data, out_more, out_next, error); }
gboolean ks_store_reports_sync (KsStore *self, const KsPrincipal *who, gint64 since, guint limit, gboolean with_remaining, KsReportRowFunc func, gpointer user_data, KsSyncPage *out, GError **error)
{ return KS_STORE_DISPATCH (self, reports, sync, who, since, limit, with_remaining, func, user_data, out, error); }
gboolean ks_store_reports_detail (KsStore *self, const KsPrincipal *who, gint64 report_id, const KsReportDetailFuncs *funcs, gpointer user_data, gint64 *out_body_id, GError **error)
{ return KS_STORE_DISPATCH (self, reports, detail, who, report_id, funcs, user_data, out_body_id, error); }
gboolean ks_store_reports_media_visible (KsStore *self, const KsPrincipal *who, const char *ref, gboolean *out_visible, GError **error)
{ return KS_STORE_DISPATCH (self, reports, media_visible, who, ref, out_visible, error); }
gboolean ks_store_reports_media_public (KsStore *self, const char *ref, gboolean *out_public, GError **error)
{ return KS_STORE_DISPATCH (self, reports, media_public, ref, out_public, error); }

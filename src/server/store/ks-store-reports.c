/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-reports.c: dispatchers of the store's report reads, the sort names,
 * the words of a text search and the cells of the map grid. */
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

char **
ks_report_search_words (const char *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0' && words->len < KS_REPORT_SEARCH_MAX_WORDS)
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c))
        {
          const char *start = p;
          while (*p != '\0' &&
                 (g_unichar_isalnum (c = g_utf8_get_char (p)) || g_unichar_ismark (c)))
            p = g_utf8_next_char (p);
          g_ptr_array_add (words, g_strndup (start, p - start));
        }
      else
        p = g_utf8_next_char (p);
    }
  if (words->len == 0)
    return NULL;
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

gboolean
ks_report_search_number (const char *text,
                         gint64     *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  gsize len = 0;

  for (const char *p = s; *p; p++, len++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (len == 0 || len > 18)
    return FALSE;
  *out = g_ascii_strtoll (s, NULL, 10);
  return TRUE;
}

gboolean
ks_report_cell_range (const KsBBox *bbox,
                      gint64       *lat0,
                      gint64       *lat1,
                      gint64       *lon0,
                      gint64       *lon1)
{
  /* The arithmetic of the cell number, which is monotonic: every point in the
   * box falls in a cell of these ranges. */
  *lat0 = (gint64) ((bbox->min_lat + 90.0) * KS_REPORT_CELL_LAT_SCALE);
  *lat1 = (gint64) ((bbox->max_lat + 90.0) * KS_REPORT_CELL_LAT_SCALE);
  *lon0 = (gint64) ((bbox->min_lon + 180.0) * KS_REPORT_CELL_LON_SCALE);
  *lon1 = (gint64) ((bbox->max_lon + 180.0) * KS_REPORT_CELL_LON_SCALE);
  return (*lat1 - *lat0 + 1) * (*lon1 - *lon0 + 1) <= KS_REPORT_MAX_CELLS;
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

gboolean
ks_store_reports_list (KsStore             *self,
                       const KsPrincipal   *who,
                       const KsReportQuery *query,
                       KsReportRowFunc      func,
                       gpointer             user_data,
                       gboolean            *out_more,
                       KsReportCursor      *out_next,
                       GError             **error)
{
  KsReportQuery q = *query;

  if (who->hidden_categories != NULL)
    {
      q.hidden_category_ids = (const gint64 *) who->hidden_categories->data;
      q.n_hidden_category_ids = who->hidden_categories->len;
    }
  return KS_STORE_DISPATCH (self, reports, list, who, &q, func, user_data, out_more, out_next,
                            error);
}

void
ks_report_fragment_clear (KsReportFragment *fragment)
{
  g_clear_pointer (&fragment->body, g_free);
}

gboolean ks_store_reports_keep_fragments (KsStore *self, const KsReportFragment *fragments, guint n_fragments, GError **error)
{ return KS_STORE_DISPATCH (self, reports, keep_fragments, fragments, n_fragments, error); }

gboolean ks_store_reports_first_unkept (KsStore *self, gboolean *out_any, gint64 *out_seq, GError **error)
{ return KS_STORE_DISPATCH (self, reports, first_unkept, out_any, out_seq, error); }

gboolean ks_store_reports_sync (KsStore *self, const KsPrincipal *who, gint64 since, guint limit, gboolean with_remaining, gboolean with_reporter, KsReportRowFunc func, gpointer user_data, KsSyncPage *out, GError **error)
{ return KS_STORE_DISPATCH (self, reports, sync, who, since, limit, with_remaining, with_reporter, func, user_data, out, error); }
gboolean
ks_store_reports_read_ahead (KsStore *self, const gint64 *ids, guint n_ids, GError **error)
{
  KsStoreClass *klass = KS_STORE_GET_CLASS (self);

  return klass->reports.read_ahead == NULL || n_ids == 0 ||
         klass->reports.read_ahead (self, ids, n_ids, error);
}

void
ks_store_reports_forget_ahead (KsStore *self)
{
  KsStoreClass *klass = KS_STORE_GET_CLASS (self);

  if (klass->reports.forget_ahead != NULL)
    klass->reports.forget_ahead (self);
}

gboolean ks_store_reports_detail (KsStore *self, const KsPrincipal *who, gint64 report_id, const KsReportDetailFuncs *funcs, gpointer user_data, gint64 *out_body_id, GError **error)
{ return KS_STORE_DISPATCH (self, reports, detail, who, report_id, funcs, user_data, out_body_id, error); }
gboolean ks_store_reports_media_visible (KsStore *self, const KsPrincipal *who, const char *ref, gboolean *out_visible, GError **error)
{ return KS_STORE_DISPATCH (self, reports, media_visible, who, ref, out_visible, error); }
gboolean ks_store_reports_media_public (KsStore *self, const char *ref, gboolean *out_public, GError **error)
{ return KS_STORE_DISPATCH (self, reports, media_public, ref, out_public, error); }

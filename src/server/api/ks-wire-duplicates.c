/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-duplicates.c: a report's duplicate links in its detail (docs/api.md):
 * "duplicate_of" ({id, title, state} or null) and "duplicates" (the same, for each
 * report marked as a duplicate of this one, lowest id first). */
#include "api/ks-wire-duplicates.h"

typedef struct {
  KsJsonWriter *w;
  gboolean      in_duplicates;
} LinkWriter;

static void
write_link (gboolean    is_original,
            gint64      id,
            const char *title,
            const char *state,
            gpointer    user_data)
{
  LinkWriter *lw = user_data;

  if (!is_original && !lw->in_duplicates)
    {
      ks_json_writer_member_null (lw->w, "duplicate_of");
      ks_json_writer_key (lw->w, "duplicates");
      ks_json_writer_begin_array (lw->w);
      lw->in_duplicates = TRUE;
    }
  if (is_original)
    ks_json_writer_key (lw->w, "duplicate_of");
  ks_json_writer_begin_object (lw->w);
  ks_json_writer_member_int (lw->w, "id", id);
  ks_json_writer_member_string (lw->w, "title", title);
  ks_json_writer_member_string (lw->w, "state", state);
  ks_json_writer_end_object (lw->w);
  if (is_original)
    {
      ks_json_writer_key (lw->w, "duplicates");
      ks_json_writer_begin_array (lw->w);
      lw->in_duplicates = TRUE;
    }
}

gboolean
ks_wire_duplicates_write_links (KsStore      *store,
                               gint64        report_id,
                               KsJsonWriter *w,
                               GError      **error)
{
  LinkWriter lw = { w, FALSE };

  if (!ks_store_duplicates_links (store, report_id, write_link, &lw, error))
    return FALSE;
  if (!lw.in_duplicates)
    {
      ks_json_writer_member_null (w, "duplicate_of");
      ks_json_writer_key (w, "duplicates");
      ks_json_writer_begin_array (w);
    }
  ks_json_writer_end_array (w);
  return TRUE;
}


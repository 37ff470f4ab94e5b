/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-sendings.c: a report's sendings in its detail (ks-wire-sendings.h). */
#include "api/ks-wire-sendings.h"

#include <string.h>

gboolean
ks_wire_sendings_write (KsStore *store, gint64 report_id, KsJsonWriter *w, GError **error)
{
  g_autoptr(GArray) rows = NULL;

  if (!ks_store_sendings_list (store, report_id, &rows, error))
    return FALSE;
  ks_json_writer_key (w, "sendings");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < rows->len; i++)
    {
      const KsSending *s = &g_array_index (rows, KsSending, i);
      gboolean waiting = strcmp (s->status, KS_SENDING_RETRYING) == 0 ||
                         strcmp (s->status, KS_SENDING_PENDING) == 0;

      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", s->id);
      ks_json_writer_member_string (w, "destination", s->destination);
      ks_json_writer_member_string (w, "status", s->status);
      ks_json_writer_member_int (w, "attempts", s->attempts);
      ks_json_writer_member_string (w, "last_error", s->last_error);
      ks_json_writer_member_timestamp (w, "next_attempt", waiting ? s->next_attempt : 0);
      ks_json_writer_member_string (w, "remote_id", s->remote_id);
      ks_json_writer_member_timestamp (w, "created", s->created);
      ks_json_writer_member_timestamp (w, "updated", s->updated);
      ks_json_writer_member_timestamp (w, "sent", s->sent);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  return TRUE;
}

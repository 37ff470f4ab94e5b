/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-report.h: the report's wire shapes (docs/api.md): the list item, the sync
 * item, the shortlist item and the detail, written from the store's rows. */
#pragma once

#include "ks-json-writer.h"
#include <gio/gio.h>
#include "auth/ks-principal.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* The members of the list shape (without braces). */
void     ks_wire_report_list_members (KsJsonWriter *w, const KsReportRow *row);

/* Whether who may see the reporter's personal data of a report of body_id: staff of
 * the report's own council only. */
gboolean ks_wire_report_personal_visible (const KsPrincipal *who, gint64 body_id);

/* The "before" and "after" members of a moderation entry: what it changed. */
void     ks_wire_report_moderation_change (KsJsonWriter *w, const KsModerationRow *m);

/* A JSON array of reports in the list shape, whose rows may come out of order (a
 * KsReportRowFunc): those ahead of their turn wait in one buffer. */
typedef struct {
  KsJsonWriter *w;
  guint         next;      /* the index written next */
  GString      *waiting;   /* encoded rows that came early, each NUL-terminated */
  GArray       *offsets;   /* gsize per index: where it waits, G_MAXSIZE when not */
} KsWireReportPage;

void ks_wire_report_page_begin (KsWireReportPage *page, KsJsonWriter *w);
void ks_wire_report_page_row   (const KsReportRow *row, guint index, gpointer page);
/* Writes the rows still waiting, in order, and closes the array. */
void ks_wire_report_page_end   (KsWireReportPage *page);
void ks_wire_report_page_clear (KsWireReportPage *page);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsWireReportPage, ks_wire_report_page_clear)

/* Writes {"reports": [...], "tombstones": [...], ("remaining",) "seq", "more"}:
 * the sync page of changes after since. with_reporter adds "reporter" to every
 * report: the personal data for the reports of the caller's own council, else null;
 * *out_n_personal counts the reports whose personal data was written. */
/* Sends what the writer holds so far (a streamed answer); FALSE when the client
 * has gone and writing should stop. */
typedef gboolean (*KsWireFlushFunc) (gpointer data);

gboolean ks_wire_report_write_sync   (KsStore *store, const KsPrincipal *who,
                                      gint64 since, guint limit, gboolean with_reporter,
                                      gboolean with_remaining, KsJsonWriter *w,
                                      KsWireFlushFunc flush, gpointer flush_data,
                                      guint *out_n_personal, GError **error);

/* Keeps ahead the sync items of the reports that have none (every council's,
 * in sequence order, in pages), so that no sync has to render them: after a
 * migration, an import, or a rename that dropped many. The walk starts at the
 * first report without one (none when every report has its own: then only an
 * index is read); a page whose reports all have one writes nothing.
 * *out_kept: how many items were kept, *out_walked: how many reports were
 * walked, from the position *out_since; all three also when it fails, or
 * stops between two pages when cancellable is cancelled
 * (G_IO_ERROR_CANCELLED). */
gboolean ks_wire_report_keep_ahead   (KsStore *store, GCancellable *cancellable,
                                      guint *out_kept, guint *out_walked,
                                      gint64 *out_since, GError **error);

/* Writes the detail object of a report: the report, its detail, updates and
 * moderation history (KS_ERROR_NOT_FOUND, nothing written, when who may not see it).
 * The reporter's personal data is included when who is staff of the report's
 * council (*out_personal, nullable, says so); this does not write the audit entry:
 * the caller audits the view as "view_personal_data". */
gboolean ks_wire_report_write_detail (KsStore *store, const KsPrincipal *who,
                                      gint64 report_id, KsJsonWriter *w,
                                      gint64 *out_body_id, gboolean *out_personal,
                                      GError **error);

/* Writes the user's shortlist as {"reports": [...], "next_cursor": null}: the
 * reports in the list shape plus "shortlist_position", in order. */
gboolean ks_wire_report_write_shortlist (KsStore *store, gint64 user_id, KsJsonWriter *w,
                                         GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sync-page.h: one page of GET /api/v1/sync, read straight from the answer's
 * bytes (no JSON tree): the reports as KsReport, each with the span of its JSON
 * text in the answer (what the cache stores as is), the tombstones and the paging
 * members. Meant for a worker thread; the reports' search text is prepared. */
#pragma once

#include <gio/gio.h>
#include "ks-report.h"

G_BEGIN_DECLS

typedef struct {
  gsize offset;
  gsize length;
} KsSyncSpan;

typedef struct {
  GBytes    *bytes;
  GPtrArray *reports;     /* KsReport, owned */
  GArray    *spans;       /* KsSyncSpan into bytes, one per report */
  GArray    *tombstones;  /* gint64 report ids */
  gint64     seq;         /* the largest of "seq" (or "next_since") and the items' seq */
  gboolean   more;        /* "more" is true or "next_cursor" is given */
  char      *next_cursor; /* or NULL */
  gint64     remaining;   /* "remaining", or -1 when absent */
  gint64     total;       /* "total", or -1 when absent */
} KsSyncPage;

/* Reads a sync answer; strict JSON. Returns NULL with a KS_ERROR sentence when the
 * bytes are not a sync object. */
KsSyncPage *ks_sync_page_parse      (GBytes *bytes, GError **error);
/* Where the page after this one starts, read from the answer's last bytes
 * alone, before the page is read: TRUE when the answer ends as the server
 * writes a page with more to come (..."seq":N,"more":true}), with N in *seq.
 * FALSE for any other ending (the page must then be read to know). What the
 * whole page says is the truth: a caller that asked ahead checks it. */
gboolean    ks_sync_page_peek_next  (GBytes *bytes, gint64 *seq);
void        ks_sync_page_free       (KsSyncPage *page);
/* The JSON text of report i (not NUL-terminated). */
const char *ks_sync_page_get_text   (KsSyncPage *page, guint i, gsize *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsSyncPage, ks_sync_page_free)

G_END_DECLS

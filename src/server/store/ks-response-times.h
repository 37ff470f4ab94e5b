/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-response-times.h: reports measured against their priority's response time
 * (docs/admin.md, "Response times"). A report's "respond by" is its creation time
 * plus its priority's response_hours; it was responded to at its `responded`
 * time (ks_update_is_response). The stores give the rows; the counting is here,
 * once for both stores. */
#pragma once

#include <glib.h>
#include "auth/ks-principal.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* A report with a target, as the store reads it (strings valid during the call). */
typedef struct {
  gint64      priority_id;
  gint64      response_hours;
  gint64      created;
  gint64      responded;     /* 0: not yet */
  const char *state;
} KsResponseRow;

typedef void (*KsResponseRowFunc) (const KsResponseRow *row, gpointer user_data);

typedef enum {
  KS_RESPONSE_MET,       /* responded by the target */
  KS_RESPONSE_LATE,      /* responded after it */
  KS_RESPONSE_OVERDUE,   /* open, not responded, past the target now */
  KS_RESPONSE_WAITING,   /* not responded, before the target (or no longer open) */
} KsResponseOutcome;

KsResponseOutcome ks_response_outcome (const KsResponseRow *row, gint64 now);

/* The counts of one priority (or of all: id 0, name NULL). */
typedef struct {
  gint64   id;
  char    *name;
  gint64   response_hours;
  gint64   with_target;
  gint64   met;
  gint64   late;
  gint64   overdue;
  gint64   waiting;
} KsResponseCount;

/* met as a whole per cent of met + late (rounded); -1 when none was responded to. */
int ks_response_count_met_percent (const KsResponseCount *count);

typedef struct {
  gint64            from;        /* creation times, 0: open-ended */
  gint64            to;
  gint64            now;
  KsResponseCount   overall;
  GArray           *priorities;  /* KsResponseCount: the council's priorities with a
                                  * response time, by position, and any other with
                                  * reports counted */
} KsResponseTimes;

void ks_response_times_clear (KsResponseTimes *times);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsResponseTimes, ks_response_times_clear)

/* SQL (both stores) that sets responded, from their timelines, on the reports
 * with ids from first_id: what the migration did for the reports before it, for
 * reports written straight into the tables (the demo). */
char    *ks_response_times_fill_sql (gint64 first_id);

/* The council's reports created in [from, to) that the principal sees, with a
 * priority that has a response time, neither unconfirmed nor hidden, counted as
 * they stand at now. */
gboolean ks_store_response_times (KsStore *store, const KsPrincipal *who, gint64 body_id,
                                  gint64 from, gint64 to, gint64 now,
                                  KsResponseTimes *out, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report.h: one street-fault report as the app holds it (the sync shape). */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KS_TYPE_REPORT (ks_report_get_type ())
G_DECLARE_FINAL_TYPE (KsReport, ks_report, KS, REPORT, GObject)

/* Read-only properties: "id", "title", "category", "category-id", "group",
 * "state", "priority-id", "lat", "lon", "ward", "created", "updated",
 * "version", "acknowledged", "shortlist-user", "duplicate-of", "detail", "has-photo", "answers". */

gint64      ks_report_get_id             (KsReport *self);
const char *ks_report_get_title          (KsReport *self);
const char *ks_report_get_category       (KsReport *self); /* category name */
gint64      ks_report_get_category_id    (KsReport *self);
const char *ks_report_get_group          (KsReport *self);
const char *ks_report_get_state          (KsReport *self); /* a state id (ks-states.h) */
gint64      ks_report_get_priority_id    (KsReport *self); /* 0: none */
double      ks_report_get_lat            (KsReport *self);
double      ks_report_get_lon            (KsReport *self);
const char *ks_report_get_ward           (KsReport *self);
gint64      ks_report_get_created        (KsReport *self); /* Unix seconds */
gint64      ks_report_get_updated        (KsReport *self); /* Unix seconds */
gint64      ks_report_get_version        (KsReport *self);
gint64      ks_report_get_acknowledged   (KsReport *self); /* 0: not acknowledged */
gint64      ks_report_get_shortlist_user (KsReport *self); /* 0: on nobody's shortlist */
gint64      ks_report_get_duplicate_of   (KsReport *self); /* the report this one duplicates; 0: none */
/* The description when the sync gave it ("" otherwise: fetch the detail with
 * ks_session_fetch_report_async()). */
const char *ks_report_get_detail         (KsReport *self);
gboolean    ks_report_get_has_photo      (KsReport *self);
/* The answers to the category's questions (the sync's "attributes"): code and
 * value pairs, NULL-terminated, the values of a question answered more than once
 * joined with ", "; NULL when none. The value is the answer as sent (a list
 * question's key, not its name). */
const char * const *ks_report_get_answers (KsReport *self);
/* The answer to the question code, or NULL when the report has none. */
const char *ks_report_get_answer         (KsReport *self, const char *code);
/* The server's change sequence number of this copy. */
gint64      ks_report_get_seq            (KsReport *self);

/* Asks the processor for the report's fields ahead of reading them: for a pass
 * over many reports in a view's order (the map's points), a few reports ahead
 * of the one read. */
void        ks_report_prefetch           (KsReport *self);
/* How many reports ahead such a pass asks: far enough that the memory has come
 * by the time the pass reaches it, near enough that it is still cached. */
#define KS_REPORT_PREFETCH_AHEAD 16

/* Builds a report from a report object of the API (list, sync or detail shape).
 * Returns NULL (and sets error) when it lacks an id. */
KsReport   *ks_report_new_from_json      (JsonObject *obj, GError **error);

/* Copies every field of other into self, emitting notify for what changed.
 * Returns TRUE when anything changed. */
gboolean    ks_report_update_from        (KsReport *self, KsReport *other);

G_END_DECLS

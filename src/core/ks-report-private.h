/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-private.h: KsReport's fields, for the core's own fast paths
 * (cache loading, filtering). Not for widgets. */
#pragma once

#include "ks-report.h"
#include "ks-search-words.h"

G_BEGIN_DECLS

struct _KsReport
{
  GObject      parent_instance;

  gint64       id;
  char        *title;
  const char  *category;      /* interned */
  gint64       category_id;
  const char  *group;         /* interned */
  const char  *state;         /* interned */
  gint64       priority_id;
  double       lat;
  double       lon;
  const char  *ward;          /* interned */
  gint64       created;
  gint64       updated;
  gint64       version;
  gint64       acknowledged;
  gint64       shortlist_user;
  gint64       duplicate_of;  /* the report this one duplicates (the sync shape); 0: none */
  char        *detail;
  /* Bits side by side: 192 bytes a report instead of 208 as three gbooleans
   * apart (every cached report is one of these). */
  guint        has_photo : 1;
  guint        search_plain : 1;  /* the text is ASCII: searched where it is, no folded copy */
  guint        answers_known : 1; /* the answers came with the copy (the list shape lacks them) */
  gint64       seq;
  char       **answers;       /* code, value pairs, NULL-terminated; NULL: none */

  char        *search;        /* folded text for the filter, only for text beyond ASCII (most
                               * is ASCII, searched in place: a copy of every report's
                               * text was most of the memory of a large cache) */
};

/* An empty report with this id (fields filled by the caller, strings owned). */
KsReport   *ks_report_new_empty        (gint64 id);
/* The same with its title and detail (taken; NULL: empty). */
KsReport   *ks_report_new_with_text    (gint64 id, char *title, char *detail);
/* Gives the report another id, with notify (a placeholder becoming the report
 * the server made of it). Only the store may call it: its index is keyed on the id. */
void        ks_report_set_id           (KsReport *self, gint64 id);
void        ks_report_set_title_take   (KsReport *self, char *title);
void        ks_report_set_detail_take  (KsReport *self, char *detail);
/* Applies the fields present in obj (sync/list/detail shape), emitting notify
 * when notify is TRUE. Returns TRUE when anything changed. */
gboolean    ks_report_apply_json       (KsReport *self, JsonObject *obj, gboolean notify);
/* ks-report-answers.c. The answers (pairs, see there) from the wire's
 * "attributes" array ({code, value} objects); NULL when none. */
char      **ks_report_answers_from_json      (JsonArray *attributes);
/* Building them one answer at a time: adds value to code's answer in pairs (a
 * GPtrArray of owned strings; nothing for an empty code or value; a second
 * value of the same code is joined to the first), then the pairs as a
 * NULL-terminated vector (NULL when there are none; pairs is consumed). */
void        ks_report_answers_add            (GPtrArray *pairs, const char *code, const char *value);
char      **ks_report_answers_end            (GPtrArray *pairs);
/* The cache's text of the answers, and back. */
char       *ks_report_answers_encode         (const char * const *answers);
char      **ks_report_answers_decode         (const char *text);
/* Takes answers (NULL: none); TRUE when they differ from what self had. Marks
 * the answers known. No notify. */
gboolean    ks_report_set_answers_take       (KsReport *self, char **answers);
/* The folded search text (title, detail, ward, category, id), newly made
 * each time for ASCII text (kept otherwise): for tests. */
char       *ks_report_dup_search_text  (KsReport *self);
/* Made ready for the filter's first search: the folded copy for text beyond
 * ASCII, a mark for ASCII text (read from a sync page or the cache). */
void        ks_report_prepare_search   (KsReport *self);
/* Whether every word occurs in the folded title, detail, ward, category or
 * id. */
gboolean    ks_report_has_words        (KsReport *self, const KsSearchWords *words);
/* Asks the processor ahead for what a pass over reports reads of r: the
 * object's fields, and with ks_report_prefetch_text() its title and detail
 * (ks_report_prefetch() in ks-report.h is the first, for the GUI).
 * A pass in a view's order goes from one place in memory to the next, and
 * waiting on each was most of its time (with 500,000 reports, a search's
 * pass over 122,000 open ones took 70 ms; asked ahead, 37). */
static inline void
ks_report_prefetch_object (const KsReport *r)
{
  /* Every cache line the object spans, wherever it starts in the first. */
  const char *p = (const char *) r;

  G_STATIC_ASSERT (sizeof (KsReport) <= 192);
  __builtin_prefetch (p);
  __builtin_prefetch (p + 64);
  __builtin_prefetch (p + 128);
  __builtin_prefetch (p + sizeof (KsReport) - 1);
}

static inline void
ks_report_prefetch_text (const KsReport *r)
{
  __builtin_prefetch (r->title);
  __builtin_prefetch (r->detail);
}

/* ASCII letters lowered, common Latin accents stripped; newly allocated. */
char       *ks_report_fold_text        (const char *text);

G_END_DECLS

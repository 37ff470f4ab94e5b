/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-search-words.h: the words of a text search, made ready once for a scan
 * of every report's text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KsSearchWords KsSearchWords;

/* words: folded (see ks_report_fold_text()), NULL-terminated; empty words
 * are left out. */
KsSearchWords *ks_search_words_new       (char * const *words);
void           ks_search_words_free      (KsSearchWords *self);
guint          ks_search_words_get_n     (const KsSearchWords *self);
const char    *ks_search_words_get       (const KsSearchWords *self, guint i);
/* Whether word i is all digits (the only kind a report's id can hold). */
gboolean       ks_search_words_is_number (const KsSearchWords *self, guint i);
/* Whether word i occurs in text, ASCII letters of either case (text is
 * taken as it is; only ASCII letters are folded, whatever the locale). */
gboolean       ks_search_words_in_ascii  (const KsSearchWords *self, guint i, const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsSearchWords, ks_search_words_free)

G_END_DECLS

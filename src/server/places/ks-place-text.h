/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-place-text.h: place names as the gazetteer matches them. A name is folded to
 * its key (lower case, accents dropped, words of letters and digits with one
 * space between: "St. Mary's Road" -> "st mary s road") and its compact form (the
 * key without spaces: "OX1 1AA" -> "ox11aa"); what a person types is folded the
 * same way into words that each match the start of a word of a name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most words a search or an address is cut to. */
#define KS_PLACE_QUERY_MAX_WORDS 8

/* The key of s (an empty string when it has no letter or digit). */
char     *ks_place_text_key     (const char *s);
/* The key without its spaces. */
char     *ks_place_text_compact (const char *key);

/* What a person typed, folded: the words (at most KS_PLACE_QUERY_MAX_WORDS), the
 * key (the words with one space between) and the compact form. */
typedef struct {
  GStrv  words;
  char  *key;
  char  *compact;
} KsPlaceQuery;

/* FALSE when text has no letter or digit (q is then left empty). */
gboolean  ks_place_query_init   (KsPlaceQuery *q, const char *text);
void      ks_place_query_clear  (KsPlaceQuery *q);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsPlaceQuery, ks_place_query_clear)

/* Whether s reads as a UK postcode ("OX1 1AA", "SW1A 2AA", "ox11aa"). */
gboolean  ks_place_text_is_postcode (const char *s);

/* What an address written in one line may be found by in the gazetteer, best
 * first: the postcode in it ("OX1 1AA"), then each part between commas without
 * its house number ("12A High Street, Oxford" -> "High Street", "Oxford").
 * Returns a NULL-terminated array (empty when there is nothing to look up). */
GStrv     ks_place_text_address_candidates (const char *address);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-erased.h: the values an erasure removes (names, addresses, phone numbers),
 * gathered while a report is anonymised or a person terminated, and removed from
 * every other place that holds a copy: stored idempotency answers and audit
 * details (JSON text), failed sign-ins under an address. Every store uses it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KsErased KsErased;

KsErased  *ks_erased_new          (void);
void       ks_erased_free         (KsErased   *erased);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsErased, ks_erased_free)

/* Adds a value (NULL, empty or not UTF-8: ignored; stripped of spaces). */
void       ks_erased_add          (KsErased   *erased,
                                   const char *text);
/* Adds an email address: a value, and an address whose failed sign-ins go. */
void       ks_erased_add_address  (KsErased   *erased,
                                   const char *address);

/* For each value, a LIKE pattern (backslash escapes, ASCII case-insensitive
 * matching) that finds JSON text holding the value as it is written there. */
GPtrArray *ks_erased_like_patterns (KsErased  *erased);
/* The addresses added, lower-cased (ASCII). Strings owned by erased. */
GPtrArray *ks_erased_addresses    (KsErased   *erased);

typedef enum {
  KS_ERASED_UNCHANGED,    /* holds none of the values */
  KS_ERASED_SCRUBBED,     /* *out_json: the text without them */
  KS_ERASED_NOT_JSON,     /* could not be read as JSON */
} KsErasedScrub;

/* json with every string that is nothing but an erased value (whatever the case)
 * set to null, and the erased values of 5 characters or more inside longer
 * strings replaced by "[removed]" ("Al" must not be cut out of "Albert Street"). */
KsErasedScrub ks_erased_scrub_json (KsErased   *erased,
                                    const char *json,
                                    char      **out_json);

G_END_DECLS

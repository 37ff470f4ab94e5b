/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-lookup.h: the store's look-ups by what a person types (see ks-store.h):
 * the council's gazetteer (places: streets, postcodes, named places) and a
 * caller's reports (by their email, phone or name, or a report's external
 * reference). */
#pragma once

#include <glib-object.h>
#include "places/ks-place-text.h"
#include "store/ks-report-row.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* A place to add: key and compact as ks_place_text_key() and _compact() give. */
typedef struct {
  const char *kind;      /* "street", "postcode" or "place" */
  const char *name;
  const char *context;   /* "" when none */
  const char *key;
  const char *compact;
  double      lat;
  double      lon;
} KsNewPlace;

/* A place found. rank: 0 when the name is what was typed, 1 when it begins with
 * it, 2 when each typed word begins a word of the name. */
typedef struct {
  gint64      id;
  const char *kind;
  const char *name;
  const char *context;
  double      lat;
  double      lon;
  int         rank;
} KsPlaceRow;

typedef void (*KsPlaceFunc) (const KsPlaceRow *row, gpointer user_data);

/* What a caller's reports are found by. */
typedef enum {
  KS_CALLER_EMAIL,       /* the reporter's email, whatever its case */
  KS_CALLER_PHONE,       /* the last 10 digits of the reporter's phone */
  KS_CALLER_NAME,        /* a part of the reporter's name, whatever its case */
  KS_CALLER_REFERENCE,   /* the report's external reference, exactly */
} KsCallerField;

typedef struct {
  gboolean (*places_clear)   (KsStore *self, gint64 body_id, gint64 *out_removed,
                              GError **error);
  gboolean (*places_add)     (KsStore *self, gint64 body_id, const KsNewPlace *places,
                              guint n, GError **error);
  gboolean (*places_count)   (KsStore *self, gint64 body_id, gint64 *out, GError **error);
  gboolean (*places_search)  (KsStore *self, gint64 body_id, const KsPlaceQuery *q,
                              guint limit, KsPlaceFunc func, gpointer user_data,
                              GError **error);
  gboolean (*caller_reports) (KsStore *self, gint64 body_id, KsCallerField by,
                              const char *term, gint64 before_id, guint limit,
                              KsReportRowFunc func, gpointer user_data, GError **error);
} KsStoreLookupVTable;

/* Removes every place of the council (inside a write); *out_removed (nullable)
 * says how many there were. */
gboolean ks_store_places_clear  (KsStore *self, gint64 body_id, gint64 *out_removed,
                                 GError **error);
/* Adds n places to the council's gazetteer (inside a write). */
gboolean ks_store_places_add    (KsStore *self, gint64 body_id, const KsNewPlace *places,
                                 guint n, GError **error);
gboolean ks_store_places_count  (KsStore *self, gint64 body_id, gint64 *out, GError **error);
/* The most matching places a search ranks: a query of a letter or two matches a
 * large part of a big gazetteer, and ranking all of it would cost far more than
 * the few best of any part of it are worth (bench/bench-places.py). */
#define KS_PLACES_MAX_CANDIDATES 3000

/* The council's places whose words each begin with one of q's words, best first:
 * by rank, then the shorter name, then by name; at most limit, from the first
 * KS_PLACES_MAX_CANDIDATES matches. */
gboolean ks_store_places_search (KsStore *self, gint64 body_id, const KsPlaceQuery *q,
                                 guint limit, KsPlaceFunc func, gpointer user_data,
                                 GError **error);
/* The council's reports whose reporter or reference matches term (for
 * KS_CALLER_PHONE: the digits of a phone number, 10 at most; for KS_CALLER_NAME:
 * lower case), newest first (highest id), below before_id when it is not 0: the
 * list columns, the address and the reporter's personal data; at most limit. */
gboolean ks_store_caller_reports (KsStore *self, gint64 body_id, KsCallerField by,
                                  const char *term, gint64 before_id, guint limit,
                                  KsReportRowFunc func, gpointer user_data,
                                  GError **error);

G_END_DECLS

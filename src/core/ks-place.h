/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-place.h: names a place from the reports the app already holds (there is no
 * geocoder): the street of the nearest report that gives an address, and the
 * ward of the nearest report that has one. */
#pragma once

#include <gio/gio.h>
#include "ks-cache.h"

G_BEGIN_DECLS

typedef struct {
  char   *street;          /* "High Street, Oxford" (no house number), or NULL */
  double  street_metres;   /* how far the report that gave it is */
  char   *ward;            /* or NULL */
} KsPlace;

/* reports: a GListModel of KsReport; cache (nullable) gives their addresses.
 * A street is looked for within 400 m, a ward within 5 km. */
void  ks_place_describe (GListModel *reports,
                         KsCache    *cache,
                         double      lat,
                         double      lon,
                         KsPlace    *out);
void  ks_place_clear    (KsPlace    *place);

/* "12A High Street, Oxford" -> "High Street, Oxford". */
char *ks_place_street_of (const char *address);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsPlace, ks_place_clear)

G_END_DECLS

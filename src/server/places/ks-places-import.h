/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places-import.h: filling a council's gazetteer from a file: OS Open Names
 * (CSV, British National Grid coordinates converted with PROJ), a CSV of streets
 * and postcodes with latitude and longitude (a header row names the columns), or
 * GeoJSON (Point, LineString or MultiLineString features with a name).
 *
 * The import replaces the council's places in one write: either every place of
 * the file is in and the old ones are gone, or nothing changed. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

typedef enum {
  KS_PLACES_FORMAT_AUTO,
  KS_PLACES_FORMAT_OS_OPEN_NAMES,
  KS_PLACES_FORMAT_CSV,
  KS_PLACES_FORMAT_GEOJSON,
} KsPlacesFormat;

/* "os-open-names", "csv", "geojson" (and "auto"); FALSE when unknown. */
gboolean    ks_places_format_from_string (const char *s, KsPlacesFormat *out);
const char *ks_places_format_to_string   (KsPlacesFormat format);

typedef struct {
  KsPlacesFormat format;     /* the format read (never AUTO) */
  gint64         added;
  gint64         removed;    /* the council's places before */
  gint64         duplicates; /* rows with the kind, name and context of an earlier one */
  gint64         skipped;    /* GeoJSON features with no point or line */
} KsPlacesImportResult;

/* Called after each batch with the places read so far. */
typedef void (*KsPlacesProgressFunc) (gint64 n_read, gpointer user_data);

/* Reads path and replaces the council's places, audited as "places_import" (who
 * NULL: the command line). Errors name the line or feature that is wrong. */
gboolean ks_places_import (KsStore               *store,
                           const KsPrincipal     *who,
                           gint64                 body_id,
                           const char            *path,
                           KsPlacesFormat         format,
                           KsPlacesProgressFunc   progress,
                           gpointer               user_data,
                           KsPlacesImportResult  *out,
                           GError               **error);

G_END_DECLS

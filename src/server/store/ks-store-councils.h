/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-councils.h: the store's councils (see ks-store.h): creating and editing
 * a council's settings, and its boundaries (the area it serves and its wards, as
 * GeoJSON geometries with their boxes), with the counter every import bumps and
 * the reports' points that a new import gives wards again. */
#pragma once

#include <glib-object.h>
#include "store/ks-admin-rows.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* A council's settings to create or change. For a change, NULL strings and
 * negative numbers leave a setting as it is; an empty string clears email and
 * public_url. */
typedef struct {
  const char *name;
  const char *slug;
  const char *email;
  const char *public_url;
  int         require_2fa;             /* 0 or 1; -1: unchanged */
  gint64      password_min_length;
  gint64      duplicate_radius;
  gint64      retention_reporter_days;
  gint64      retention_audit_days;
  gint64      retention_staff_days;    /* staff accounts unused this long are deactivated */
  gint64      max_photos;              /* photos per report and per update */
} KsBodySettings;

#define KS_BODY_SETTINGS_UNCHANGED { NULL, NULL, NULL, NULL, -1, -1, -1, -1, -1, -1, -1 }

/* One boundary: kind "area" (the council's whole area) or "ward". */
typedef struct {
  const char *kind;
  const char *name;
  const char *geometry;     /* GeoJSON Polygon or MultiPolygon, WGS 84 */
  double      min_lat, min_lon, max_lat, max_lon;
} KsBoundaryRow;

typedef void (*KsBoundaryRowFunc) (const KsBoundaryRow *row, gpointer user_data);

/* A report's point and ward, for giving reports their wards again. */
typedef struct {
  gint64  id;
  double  lat;
  double  lon;
  char   *ward;
} KsReportPoint;

typedef struct {
  gboolean (*list_bodies)  (KsStore *self, GArray **out_ids, GError **error);
  gboolean (*create_body)  (KsStore *self, const KsBodySettings *settings, gint64 *out_id,
                            GError **error);
  gboolean (*edit_body)    (KsStore *self, gint64 body_id, const KsBodySettings *settings,
                            GError **error);
  gboolean (*boundaries_version) (KsStore *self, gint64 *out, GError **error);
  gboolean (*boundaries_load)    (KsStore *self, gint64 body_id, KsBoundaryRowFunc func,
                                  gpointer user_data, GError **error);
  gboolean (*boundaries_replace) (KsStore *self, gint64 body_id, const char *area_name,
                                  const KsBoundaryRow *rows, guint n_rows, GError **error);
  gboolean (*report_points)      (KsStore *self, gint64 body_id, gint64 after_id, guint limit,
                                  GArray **out, GError **error);
  gboolean (*set_report_ward)    (KsStore *self, gint64 report_id, const char *ward,
                                  GError **error);
  gboolean (*get_site_message)   (KsStore *self, gint64 body_id, gint64 now, char **out_text,
                                  gint64 *out_until, GError **error);
  gboolean (*set_site_message)   (KsStore *self, gint64 body_id, const char *text,
                                  gint64 until, GError **error);
  gboolean (*create_staff)       (KsStore *self, gint64 body_id, const char *email,
                                  const char *name, const char *password_hash,
                                  gboolean superuser, GArray *role_ids, gint64 *out_id,
                                  GError **error);
} KsStoreCouncilsVTable;

/* Every council's id, by name. */
gboolean ks_store_councils_list_bodies (KsStore *self, GArray **out_ids, GError **error);
/* Inserts a council (name and slug required; the rest default when negative or
 * NULL). Its default roles are the caller's to add. */
gboolean ks_store_councils_create_body (KsStore *self, const KsBodySettings *settings,
                                        gint64 *out_id, GError **error);
/* Changes what settings gives; KS_ERROR_NOT_FOUND when there is no such council. */
gboolean ks_store_councils_edit_body   (KsStore *self, gint64 body_id,
                                        const KsBodySettings *settings, GError **error);
/* The counter every boundaries import bumps (one row read). */
gboolean ks_store_councils_boundaries_version (KsStore *self, gint64 *out, GError **error);
/* The council's boundaries: its area first, then its wards by name. */
gboolean ks_store_councils_boundaries_load    (KsStore *self, gint64 body_id,
                                               KsBoundaryRowFunc func, gpointer user_data,
                                               GError **error);
/* Replaces the council's boundaries (inside a write), sets its area_name and box
 * from the area row, and bumps the counter. */
gboolean ks_store_councils_boundaries_replace (KsStore *self, gint64 body_id,
                                               const char *area_name,
                                               const KsBoundaryRow *rows, guint n_rows,
                                               GError **error);
/* Up to limit of the council's reports with an id above after_id, lowest first
 * (KsReportPoint; free with ks_report_points_free). */
gboolean ks_store_councils_report_points      (KsStore *self, gint64 body_id, gint64 after_id,
                                               guint limit, GArray **out, GError **error);
/* Sets a report's ward and gives it a new sync sequence number (its version and
 * updated time stay: the server, not a person, worked the ward out). */
gboolean ks_store_councils_set_report_ward    (KsStore *self, gint64 report_id,
                                               const char *ward, GError **error);

/* The council's site message shown at now: *out_text NULL when there is none
 * (or it ended); *out_until 0 when it has no end. */
gboolean ks_store_councils_get_site_message   (KsStore *self, gint64 body_id, gint64 now,
                                               char **out_text, gint64 *out_until,
                                               GError **error);
/* Sets it (text NULL: removes it; until 0: no end), inside a write. */
gboolean ks_store_councils_set_site_message   (KsStore *self, gint64 body_id, const char *text,
                                               gint64 until, GError **error);

/* A staff account (inside a write): body_id 0 is a platform operator's, who
 * belongs to no council; role_ids (may be NULL) are roles of body_id, checked by
 * the caller. KS_ERROR_CONFLICT when the address (in any case) has an account. */
gboolean ks_store_councils_create_staff       (KsStore *self, gint64 body_id,
                                               const char *email, const char *name,
                                               const char *password_hash, gboolean superuser,
                                               GArray *role_ids, gint64 *out_id,
                                               GError **error);

GArray  *ks_report_points_new  (void);
void     ks_report_points_free (GArray *points);

G_END_DECLS

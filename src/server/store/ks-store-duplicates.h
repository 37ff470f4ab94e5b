/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-duplicates.h: the store's duplicates (see ks-store.h): the link from a
 * report marked as a duplicate to the report it duplicates, and the box query
 * behind nearby suggestions (the distance, the radius and the order are worked out
 * once, in api/ks-api-duplicates.c, from what the box gives). */
#pragma once

#include <glib-object.h>
#include "ks-geo.h"
#include "store/ks-report-row.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* One end of a duplicate link: is_original is TRUE for the report the asked-about
 * one duplicates, FALSE for each of its own duplicates. */
typedef void (*KsDuplicateLinkFunc) (gboolean    is_original,
                                     gint64      id,
                                     const char *title,
                                     const char *state,
                                     gpointer    user_data);

/* What a report's duplicate link and its search for nearby reports start from. */
typedef struct {
  gint64  of;             /* the report it is marked as a duplicate of; 0: none */
  char   *state_before;   /* the state it had before it was marked; NULL: none */
  double  lat;
  double  lon;
} KsDuplicateLink;

void ks_duplicate_link_clear (KsDuplicateLink *link);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsDuplicateLink, ks_duplicate_link_clear)

typedef struct {
  gboolean (*get_link)        (KsStore *self, gint64 report_id, gboolean *found,
                               KsDuplicateLink *out, GError **error);
  gboolean (*set_link)        (KsStore *self, gint64 report_id, gint64 of,
                               const char *state_before, GError **error);
  gboolean (*touch)           (KsStore *self, gint64 report_id, GError **error);
  gboolean (*links)           (KsStore *self, gint64 report_id, KsDuplicateLinkFunc func,
                               gpointer user_data, GError **error);
  gboolean (*category_radius) (KsStore *self, gint64 category_id, gboolean *found,
                               gint64 *out_body_id, gint64 *out_radius, GError **error);
  gboolean (*in_box)          (KsStore *self, gint64 body_id, gint64 category_id,
                               const KsBBox *box, KsReportRowFunc func, gpointer user_data,
                               GError **error);
} KsStoreDuplicatesVTable;

/* The report's link (out->of 0: none) and its point; *found FALSE when there is
 * no such report. */
gboolean ks_store_duplicates_get_link (KsStore *self, gint64 report_id, gboolean *found,
                                       KsDuplicateLink *out, GError **error);
/* Links the report to of, remembering state_before; of 0 removes the link and
 * forgets the state. Changes neither its version nor its sequence number (the
 * caller's change of state does). */
gboolean ks_store_duplicates_set_link (KsStore *self, gint64 report_id, gint64 of,
                                       const char *state_before, GError **error);
/* Gives the report a new sync sequence number without changing its version or
 * updated time (its detail changed: another report was linked to it). */
gboolean ks_store_duplicates_touch    (KsStore *self, gint64 report_id, GError **error);
/* The report's links: the report it duplicates first (when there is one), then its
 * duplicates, lowest id first. */
gboolean ks_store_duplicates_links    (KsStore *self, gint64 report_id,
                                       KsDuplicateLinkFunc func, gpointer user_data,
                                       GError **error);
/* The category's council and its duplicate_radius (metres). */
gboolean ks_store_duplicates_category_radius (KsStore *self, gint64 category_id,
                                              gboolean *found, gint64 *out_body_id,
                                              gint64 *out_radius, GError **error);
/* Gives the council's reports of the category whose point is in the box (list
 * columns), from the spatial index, in no particular order; every state. */
gboolean ks_store_duplicates_in_box   (KsStore *self, gint64 body_id, gint64 category_id,
                                       const KsBBox *box, KsReportRowFunc func,
                                       gpointer user_data, GError **error);

G_END_DECLS

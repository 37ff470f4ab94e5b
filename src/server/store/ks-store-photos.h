/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-photos.h: the store's photos (see ks-store.h): the stored photos of a
 * report and of its updates, in order, the council's limit, and the moderation
 * entries of redacting a photo and of restoring its original.
 *
 * reports.photo and updates.photo stay the first photo: these functions keep them
 * so. All writes run inside the request's write transaction; none of them bumps the
 * report's version (the caller's change_report does). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* A photo redaction or its undoing, for the moderation history. */
typedef struct {
  gint64      report_id;
  gint64      update_id;        /* 0: a photo of the report itself */
  gint64      user_id;
  const char *reason;
  const char *action;           /* "redact_photo" or "restore_photo" */
  const char *old_photo;        /* the reference before */
  const char *new_photo;        /* the reference that took its place */
} KsNewPhotoModeration;

typedef struct {
  gboolean (*max_photos)   (KsStore *self, gint64 body_id, guint *out, GError **error);
  gboolean (*set_max_photos) (KsStore *self, gint64 body_id, guint max, GError **error);
  gboolean (*count)        (KsStore *self, gint64 report_id, gint64 update_id, guint *out,
                            GError **error);
  gboolean (*add)          (KsStore *self, gint64 report_id, gint64 update_id,
                            const char * const *refs, guint n_refs, GError **error);
  gboolean (*find)         (KsStore *self, gint64 report_id, const char *ref,
                            gboolean *found, gint64 *out_update_id, GError **error);
  gboolean (*replace)      (KsStore *self, gint64 report_id, const char *old_ref,
                            const char *new_ref, GError **error);
  gboolean (*remove)       (KsStore *self, gint64 report_id, const char *ref,
                            GError **error);
  gboolean (*record)       (KsStore *self, const KsNewPhotoModeration *moderation,
                            GError **error);
  gboolean (*original)     (KsStore *self, gint64 report_id, const char *ref,
                            char **out_original, GError **error);
} KsStorePhotosVTable;

/* The council's limit of photos per report and per update (5 unless changed). */
gboolean ks_store_photos_max_photos (KsStore *self, gint64 body_id, guint *out,
                                     GError **error);
gboolean ks_store_photos_set_max_photos (KsStore *self, gint64 body_id, guint max,
                                     GError **error);
/* How many stored photos the report has of its own (update_id 0) or the update has. */
gboolean ks_store_photos_count      (KsStore *self, gint64 report_id, gint64 update_id,
                                     guint *out, GError **error);
/* Adds stored photos ("/api/v1/media/NAME") after those the report (update_id 0)
 * or the update has; the first becomes the report's photo when it has none. */
gboolean ks_store_photos_add        (KsStore *self, gint64 report_id, gint64 update_id,
                                     const char * const *refs, guint n_refs,
                                     GError **error);
/* Whether ref is one of the report's stored photos now (its own or an update's);
 * *out_update_id: the update it belongs to, 0 for the report's own. */
gboolean ks_store_photos_find       (KsStore *self, gint64 report_id, const char *ref,
                                     gboolean *found, gint64 *out_update_id,
                                     GError **error);
/* Puts new_ref in old_ref's place everywhere the report and its updates refer to
 * it (the list of photos, the report's and the updates' first photo). */
gboolean ks_store_photos_replace    (KsStore *self, gint64 report_id, const char *old_ref,
                                     const char *new_ref, GError **error);
/* Takes one of the report's own photos out of its list (moderation's remove_photo);
 * the report's photo becomes the next one, if any. */
gboolean ks_store_photos_remove     (KsStore *self, gint64 report_id, const char *ref,
                                     GError **error);
/* Writes a moderation entry of a redaction or a restore. */
gboolean ks_store_photos_record     (KsStore *self, const KsNewPhotoModeration *moderation,
                                     GError **error);
/* The photo that the latest redaction whose result is ref replaced (NULL when ref
 * is not a redacted photo of the report). */
gboolean ks_store_photos_original   (KsStore *self, gint64 report_id, const char *ref,
                                     char **out_original, GError **error);

/* SQL (two statements, the same for both stores) that lists the stored photos of
 * the reports from first_report_id on, and of their updates, as the migration
 * listed those already there: for writers of many reports at once (the demo). */
char    *ks_store_photos_list_sql   (gint64 first_report_id);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-hidden-people.h: the store's "hide everywhere" (see ks-store.h): a
 * person (an email address, lower-cased) whose reports and updates in a council
 * a moderator hid at once. The reports and updates hidden so name the entry
 * (hidden_with), so that undoing it shows exactly those again. The actions
 * themselves (state changes, timeline rows, moderation records) are the
 * report actions' (ks-store-actions.h). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* An update to hide or show again: its report and itself. */
typedef struct {
  gint64 report_id;
  gint64 update_id;
} KsHiddenUpdate;

typedef struct {
  gboolean (*add)    (KsStore *self, gint64 body_id, const char *email, const char *reason,
                      gint64 user_id, gint64 *out_id, GError **error);
  gboolean (*find)   (KsStore *self, gint64 body_id, const char *email, gint64 *out_id,
                      GError **error);
  gboolean (*remove) (KsStore *self, gint64 id, GError **error);
  gboolean (*mark)   (KsStore *self, gint64 body_id, const char *email, gint64 id,
                      GArray **out_reports, GArray **out_updates, GError **error);
  gboolean (*unmark) (KsStore *self, gint64 id, GArray **out_reports, GArray **out_updates,
                      GError **error);
} KsStoreHiddenPeopleVTable;

/* Adds the council's entry for email (lower-cased; inside a write); *out_id 0
 * when there is one already. */
gboolean ks_store_hidden_people_add    (KsStore *self, gint64 body_id, const char *email,
                                        const char *reason, gint64 user_id, gint64 *out_id,
                                        GError **error);
/* The council's entry for email, or *out_id 0. */
gboolean ks_store_hidden_people_find   (KsStore *self, gint64 body_id, const char *email,
                                        gint64 *out_id, GError **error);
/* Removes entry id (inside a write). */
gboolean ks_store_hidden_people_remove (KsStore *self, gint64 id, GError **error);
/* Names entry id on the council's reports by email that are not hidden and on
 * the updates by email that are not hidden (inside a write), giving them:
 * report ids (gint64) and KsHiddenUpdate, in id order. */
gboolean ks_store_hidden_people_mark   (KsStore *self, gint64 body_id, const char *email,
                                        gint64 id, GArray **out_reports, GArray **out_updates,
                                        GError **error);
/* The reports and updates that name entry id, which then name none (inside a
 * write). */
gboolean ks_store_hidden_people_unmark (KsStore *self, gint64 id, GArray **out_reports,
                                        GArray **out_updates, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-retention.h: what the daily retention job (councils/ks-retention.h)
 * asks of the store (see ks-store.h): the reports and staff accounts past a
 * council's retention periods, old audit entries, and the day of the last run. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* A report that still holds its reporter's details. */
typedef struct {
  gint64  id;
  char   *state;
  char   *title;
  gint64  updated;
} KsRetentionReport;

/* An active staff account and when it was last used (its last sign-in, or when
 * it was made if it never signed in). */
typedef struct {
  gint64  id;
  char   *name;
  char   *email;
  gint64  last_used;
} KsRetentionStaff;

typedef struct {
  gboolean (*old_reports)  (KsStore *self, gint64 body_id, gint64 before, GArray **out,
                            GError **error);
  gboolean (*unused_staff) (KsStore *self, gint64 body_id, gint64 before, GArray **out,
                            GError **error);
  gboolean (*count_audit)  (KsStore *self, gint64 body_id, gint64 before, gint64 *out,
                            GError **error);
  gboolean (*purge_audit)  (KsStore *self, gint64 body_id, gint64 before, gint64 *out,
                            GError **error);
  gboolean (*claim_day)    (KsStore *self, gint64 day, gboolean *out_claimed, GError **error);
  gboolean (*last_day)     (KsStore *self, gint64 *out, GError **error);
} KsStoreRetentionVTable;

/* The council's reports not changed since before (updated < before) that still
 * hold a reporter's name, email or phone, oldest first (KsRetentionReport; free
 * with g_array_unref). The caller keeps those whose state is of a closed kind. */
gboolean ks_store_retention_old_reports  (KsStore *self, gint64 body_id, gint64 before,
                                          GArray **out, GError **error);
/* The council's active staff accounts (not platform operators) last used before
 * before, oldest first (KsRetentionStaff). */
gboolean ks_store_retention_unused_staff (KsStore *self, gint64 body_id, gint64 before,
                                          GArray **out, GError **error);
/* How many of the council's audit entries are older than before; purge deletes
 * them (inside a write). */
gboolean ks_store_retention_count_audit  (KsStore *self, gint64 body_id, gint64 before,
                                          gint64 *out, GError **error);
gboolean ks_store_retention_purge_audit  (KsStore *self, gint64 body_id, gint64 before,
                                          gint64 *out, GError **error);
/* Takes the day for a run (its own transaction): *out_claimed is FALSE when a run
 * of that day (or a later one) was already taken, by this instance or another. */
gboolean ks_store_retention_claim_day    (KsStore *self, gint64 day, gboolean *out_claimed,
                                          GError **error);
/* The day of the last run (0: never). */
gboolean ks_store_retention_last_day     (KsStore *self, gint64 *out, GError **error);

GArray  *ks_retention_reports_new (void);
GArray  *ks_retention_staff_new   (void);

/* Both kinds of candidate are an id, two texts and a time, in the columns of the
 * stores' queries in that order: the stores read either kind with one loop and
 * one of these (the texts are copied). */
typedef void (*KsRetentionAppend) (GArray *out, gint64 id, const char *a, const char *b,
                                   gint64 when);
void     ks_retention_reports_append (GArray *out, gint64 id, const char *state,
                                      const char *title, gint64 updated);
void     ks_retention_staff_append   (GArray *out, gint64 id, const char *name,
                                      const char *email, gint64 last_used);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-sendings.h: the store's reports sent on (see ks-store.h): a row per
 * report and destination (table sendings), made when a report is created in, or
 * moved into, a category with a destination, and worked by the send-on worker
 * (sendon/ks-send-on.h). One row per report and destination is what keeps a report
 * from being sent twice to the same place; the worker takes a row inside a write
 * (on PostgreSQL, rows another instance holds are skipped). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* Statuses of a sending. */
#define KS_SENDING_PENDING  "pending"   /* not tried yet */
#define KS_SENDING_SENDING  "sending"   /* an attempt is under way until next_attempt */
#define KS_SENDING_SENT     "sent"
#define KS_SENDING_RETRYING "retrying"  /* tried again at next_attempt */
#define KS_SENDING_FAILED   "failed"    /* last_error says why; staff may resend */

typedef struct {
  gint64  id;
  gint64  report_id;
  gint64  body_id;        /* the report's council (read only) */
  char   *destination;    /* an email address or open311:NAME */
  char   *status;
  gint64  attempts;       /* since it was made or last resent */
  char   *last_error;     /* NULL: none */
  gint64  next_attempt;
  char   *remote_id;      /* Open311: the contractor's service_request_id; NULL: none */
  gint64  generation;     /* resends so far */
  gint64  created;
  gint64  updated;
  gint64  sent;           /* 0: never */
  gint64  polled_until;   /* Open311: the contractor's updates were read up to here; 0: never */
} KsSending;

void    ks_sending_clear (KsSending *sending);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsSending, ks_sending_clear)
/* A GArray of KsSending that clears its elements. */
GArray *ks_sendings_new  (void);

/* A council's active Open311 destination (table open311_destinations, edited as
 * an admin kind): what the worker sends with. */
typedef struct {
  char     *name;
  char     *endpoint;
  char     *api_key;          /* NULL: none */
  char     *jurisdiction_id;  /* NULL: none */
  gboolean  idempotent;
} KsSendingDestination;

void    ks_sending_destination_clear (KsSendingDestination *d);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsSendingDestination, ks_sending_destination_clear)

typedef struct {
  gboolean (*note)        (KsStore *self, gint64 report_id, gint64 now, GError **error);
  gboolean (*due)         (KsStore *self, gint64 now, guint limit, GArray **out_ids,
                           GError **error);
  gboolean (*get)         (KsStore *self, gint64 id, gboolean *found, KsSending *out,
                           GError **error);
  gboolean (*save)        (KsStore *self, const KsSending *sending, GError **error);
  gboolean (*list)        (KsStore *self, gint64 report_id, GArray **out, GError **error);
  gboolean (*polled)      (KsStore *self, GArray **out, GError **error);
  gboolean (*add_remote_id) (KsStore *self, gint64 sending_id, const char *remote_id,
                             gint64 now, GError **error);
  gboolean (*remote_ids)  (KsStore *self, const gint64 *sending_ids, guint n_ids,
                           GArray **out_sending_ids, GPtrArray **out_remote_ids,
                           GError **error);
  gboolean (*set_polled_until) (KsStore *self, const gint64 *sending_ids, guint n_ids,
                                gint64 until, GError **error);
  gboolean (*destination) (KsStore *self, gint64 body_id, const char *name, gboolean *found,
                           KsSendingDestination *out, GError **error);
  gboolean (*note_update) (KsStore *self, gint64 sending_id, const char *update_id,
                           gint64 now, gboolean *out_new, GError **error);
  gboolean (*count_failed) (KsStore *self, gint64 body_id, gint64 *out_count,
                            GError **error);
} KsStoreSendingsVTable;

/* After a report was created or its category changed (in the same write): a
 * pending sending to its category's destination, unless the category has none,
 * the report has one to that destination already, or the destination is in the
 * reserved domain .invalid (RFC 2606), which no mail reaches: the demo council's
 * teams are there, so that a demo never sends work on. */
gboolean ks_store_sendings_note   (KsStore *self, gint64 report_id, gint64 now,
                                   GError **error);
/* Up to limit sendings due at now (pending, retrying, or sending past its time),
 * earliest first; in a write transaction, those rows are this transaction's
 * until it ends (another instance skips them). */
gboolean ks_store_sendings_due    (KsStore *self, gint64 now, guint limit, GArray **out_ids,
                                   GError **error);
gboolean ks_store_sendings_get    (KsStore *self, gint64 id, gboolean *found,
                                   KsSending *out, GError **error);
/* Writes the row's status, attempts, last_error, next_attempt, remote_id,
 * generation, updated, sent and polled_until. */
gboolean ks_store_sendings_save   (KsStore *self, const KsSending *sending, GError **error);
/* The report's sendings, oldest first. */
gboolean ks_store_sendings_list   (KsStore *self, gint64 report_id, GArray **out,
                                   GError **error);
/* The Open311 sendings that ever made a request at their contractor (whose
 * updates are read), whatever their status now, by council, destination and id. */
gboolean ks_store_sendings_polled (KsStore *self, GArray **out, GError **error);
/* Keeps a request the sending made (its remote id), beside those it made before. */
gboolean ks_store_sendings_add_remote_id (KsStore *self, gint64 sending_id,
                                          const char *remote_id, gint64 now, GError **error);
/* Every remote id the sendings ever had, in one read whatever their number:
 * two arrays of the same length, the sending's id (gint64) and the remote id
 * (strings), by sending and each sending's oldest first. */
gboolean ks_store_sendings_remote_ids (KsStore *self, const gint64 *sending_ids, guint n_ids,
                                       GArray **out_sending_ids, GPtrArray **out_remote_ids,
                                       GError **error);
/* The contractor's updates were read up to until, for each of the sendings (in
 * one statement on a store that is a round trip away; the rows' other columns
 * are left alone). */
gboolean ks_store_sendings_set_polled_until (KsStore *self, const gint64 *sending_ids,
                                             guint n_ids, gint64 until, GError **error);
/* The council's active Open311 destination called name (*found FALSE: none). */
gboolean ks_store_sendings_destination (KsStore *self, gint64 body_id, const char *name,
                                        gboolean *found, KsSendingDestination *out,
                                        GError **error);
/* Records that the contractor's update update_id was applied; *out_new FALSE when
 * it had been already. */
gboolean ks_store_sendings_note_update (KsStore *self, gint64 sending_id,
                                        const char *update_id, gint64 now,
                                        gboolean *out_new, GError **error);
/* Failed sendings of the council's reports (body_id 0: of all councils). */
gboolean ks_store_sendings_count_failed (KsStore *self, gint64 body_id, gint64 *out_count,
                                         GError **error);

G_END_DECLS

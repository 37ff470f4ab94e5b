/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-notices.h: the store's emails to residents (see ks-store.h): a queue in
 * the database (table resident_emails), filled by the changes that call for an
 * email and emptied by the server's notice worker (mail/ks-notices.h).
 *
 * A queued email is the debounce: while one of a kind is queued for a report, more
 * changes are gathered into it (one queued row per report and kind, held by a
 * unique index). Being in the database, it survives a restart, and instances
 * sharing one PostgreSQL database each take a due email only once (the worker
 * takes them inside its write transaction; PostgreSQL skips rows another instance
 * holds). */
#pragma once

#include <glib-object.h>
#include "store/ks-store-actions.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* Kinds of emails to residents. */
#define KS_NOTICE_CONFIRMATION  "confirmation"
#define KS_NOTICE_UPDATE        "update"
#define KS_NOTICE_MODERATED     "moderated"
#define KS_NOTICE_QUESTIONNAIRE "questionnaire"
/* Not to a resident: a report sent on to its category's email destination
 * (sendon/ks-send-on.h); a council may have its own text for it too. */
#define KS_NOTICE_SEND_ON       "send_on"

/* Whether kind is one of the five above. */
gboolean ks_notices_kind_is_valid (const char *kind);

typedef struct {
  gint64      report_id;
  const char *kind;
  gint64      now;
  gint64      due;          /* the earliest time to send it */
  gint64      gather;       /* seconds after the last one of its kind was sent before
                             * another is due (0: no wait) */
  gint64      from_update;  /* update: the first timeline row it tells of (0: none) */
} KsNewNotice;

/* One email to a resident, queued or done. */
typedef struct {
  gint64  id;
  gint64  report_id;
  char   *kind;
  char   *state;        /* queued, sent, opted_out, failed, skipped */
  gint64  created;
  gint64  due;
  gint64  from_update;  /* 0: none */
  gint64  sent;         /* 0: not yet */
  char   *subject;
  char   *file;
  char   *error;
  gint64  answered;     /* questionnaire: 0 not answered */
  char   *answer;
} KsNotice;

void ks_notice_clear (KsNotice *notice);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsNotice, ks_notice_clear)

typedef void (*KsNoticeFunc) (const KsNotice *notice, gpointer user_data);

/* One public update of a report's timeline, for the email that tells of it. */
typedef struct {
  gint64      id;
  const char *text;
  const char *email_text;   /* NULL: the email gives text */
  const char *state;        /* NULL: it did not change the state */
  gint64      created;
} KsNoticeUpdate;

typedef void (*KsNoticeUpdateFunc) (const KsNoticeUpdate *update, gpointer user_data);

/* How a finished email ends (ks_store_notices_finish). */
typedef struct {
  const char *state;        /* sent, opted_out, failed, skipped */
  gint64      sent;
  const char *subject;
  const char *file;
  const char *error;
  const char *token_hash;   /* questionnaire: the link's token, hashed */
} KsNoticeResult;

/* A response template applied by itself when a report reaches a state. */
typedef struct {
  gint64  id;
  char   *text;
  char   *email_text;     /* NULL: the email gives text */
  char   *external_status_code;  /* for other systems (Open311); NULL: none */
} KsAutoResponse;

void ks_auto_response_clear (KsAutoResponse *response);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsAutoResponse, ks_auto_response_clear)

typedef struct {
  gboolean (*queue)          (KsStore *self, const KsNewNotice *notice, gboolean *out_queued,
                              GError **error);
  gboolean (*due)            (KsStore *self, gint64 now, guint limit, GArray **out_ids,
                              GError **error);
  gboolean (*get)            (KsStore *self, gint64 id, gboolean *found, KsNotice *out,
                              GError **error);
  gboolean (*finish)         (KsStore *self, gint64 id, const KsNoticeResult *result,
                              GError **error);
  gboolean (*list)           (KsStore *self, gint64 report_id, KsNoticeFunc func,
                              gpointer user_data, GError **error);
  gboolean (*updates_since)  (KsStore *self, gint64 report_id, gint64 from_update,
                              KsNoticeUpdateFunc func, gpointer user_data, GError **error);
  gboolean (*by_token)       (KsStore *self, const char *token_hash, gboolean *found,
                              KsNotice *out, GError **error);
  gboolean (*answer)         (KsStore *self, gint64 id, const char *answer, gint64 now,
                              GError **error);
  gboolean (*set_client)     (KsStore *self, gint64 report_id, gint64 api_key_id,
                              GError **error);
  gboolean (*set_client_notify) (KsStore *self, gint64 api_key_id, gboolean notify,
                                 GError **error);
  gboolean (*auto_response)  (KsStore *self, gint64 report_id, const char *state,
                              gboolean *found, KsAutoResponse *out, GError **error);
} KsStoreNoticesVTable;

/* Queues an email of notice->kind about the report, unless one of the kind is
 * queued for it already (the change is then gathered into that one) or the report
 * is not to be emailed: no reporter address, or sent in by an Open311 client whose
 * key does not notify residents. Due at notice->due, or gather seconds after the
 * last one of the kind was sent when that is later. *out_queued (nullable): a new
 * email was queued. */
gboolean ks_store_notices_queue          (KsStore *self, const KsNewNotice *notice,
                                          gboolean *out_queued, GError **error);
/* Up to limit queued emails due at now, earliest first; in a write transaction,
 * those rows are this transaction's until it ends (another instance skips them). */
gboolean ks_store_notices_due            (KsStore *self, gint64 now, guint limit,
                                          GArray **out_ids, GError **error);
gboolean ks_store_notices_get            (KsStore *self, gint64 id, gboolean *found,
                                          KsNotice *out, GError **error);
gboolean ks_store_notices_finish         (KsStore *self, gint64 id,
                                          const KsNoticeResult *result, GError **error);
/* The report's emails, oldest first. */
gboolean ks_store_notices_list           (KsStore *self, gint64 report_id, KsNoticeFunc func,
                                          gpointer user_data, GError **error);
/* The report's public updates (not hidden) from the row from_update on, oldest first. */
gboolean ks_store_notices_updates_since  (KsStore *self, gint64 report_id, gint64 from_update,
                                          KsNoticeUpdateFunc func, gpointer user_data,
                                          GError **error);
/* The questionnaire whose link has this token. */
gboolean ks_store_notices_by_token       (KsStore *self, const char *token_hash,
                                          gboolean *found, KsNotice *out, GError **error);
gboolean ks_store_notices_answer         (KsStore *self, gint64 id, const char *answer,
                                          gint64 now, GError **error);
/* The Open311 client (API key) that sent the report in. */
gboolean ks_store_notices_set_client     (KsStore *self, gint64 report_id, gint64 api_key_id,
                                          GError **error);
/* Whether reports of this client are emailed like the others. */
gboolean ks_store_notices_set_client_notify (KsStore *self, gint64 api_key_id,
                                             gboolean notify, GError **error);
/* The auto-response template of the report's council for state and the report's
 * category (one tied to no category counts for all), the first by position. */
gboolean ks_store_notices_auto_response  (KsStore *self, gint64 report_id, const char *state,
                                          gboolean *found, KsAutoResponse *out,
                                          GError **error);

/* ---- What the changes to reports queue (called by the actions' dispatchers) ---- */

/* The delays, set once at start from the server's settings (seconds). */
typedef struct {
  gint64 delay;              /* a change's email waits this long for more (60) */
  gint64 gather;             /* after one was sent, the next waits until this has passed (300) */
  gint64 questionnaire;      /* after a report is fixed, the questionnaire waits (28 days) */
  const char *public_url;    /* for {{url}} in auto-responses; NULL: none */
} KsNoticeTimes;

void                 ks_store_notices_set_times (const KsNoticeTimes *times);
const KsNoticeTimes *ks_store_notices_times     (void);

/* After a timeline row was added: queues what it calls for (a confirmation for a
 * report created by staff, an update email for a public update or a change of
 * state, a questionnaire when it was fixed) and applies an auto-response for the
 * state it reached. */
gboolean ks_store_notices_note_update     (KsStore *self, const KsNewUpdate *update,
                                           gint64 update_id, GError **error);
/* The values of template placeholders for a report that will be in state: id,
 * title, category, state (its label), council, ward, reporter_name, url
 * (PUBLIC_URL/reports/ID). */
GHashTable *ks_report_template_values     (const KsReportCore *report, const char *state,
                                           const char *public_url);

/* After the report was moderated. */
gboolean ks_store_notices_note_moderation (KsStore *self, gint64 report_id, GError **error);

G_END_DECLS

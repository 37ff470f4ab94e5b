/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-notices.h: the notice worker: writes the emails to residents that the queue
 * in the database (store/ks-store-notices.h) holds, when they are due.
 *
 * Each round takes the due emails in one write transaction (on PostgreSQL, rows
 * another instance holds are skipped), builds each from the council's email
 * template for its kind (or the built-in text), writes it to the outbox under a
 * name of its own (resident-ID.eml) and marks it sent. A round that dies before
 * it commits leaves the rows queued; the next round finds the file already in
 * the outbox (or sent/) and marks the row sent without writing it again, so each
 * email is written once, across restarts and instances. */
#pragma once

#include <glib.h>
#include "http/ks-server-config.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

typedef struct _KsNotices KsNotices;

/* Starts the worker thread (every config->notice_poll_seconds). */
KsNotices *ks_notices_start (const KsServerConfig *config, KsStore *store);
/* Stops it after the round in progress. */
void       ks_notices_stop  (KsNotices *notices);

/* One round now: writes every email due at ks_time_now(). *out_handled
 * (nullable): how many emails it finished (sent, opted out, failed or skipped). */
gboolean   ks_notices_run   (const KsServerConfig *config, KsStore *store, guint *out_handled,
                             GError **error);

/* The server's public address without a trailing slash (a placeholder when unset). */
char      *ks_notices_public_base (const KsServerConfig *config);

/* The questionnaire link for an answer ("fixed" or "not_fixed"). */
char      *ks_notices_questionnaire_url (const KsServerConfig *config, const char *token,
                                         const char *answer);

/* The council's email template of kind (its subject, text and HTML; *html NULL
 * when it has none), or the built-in text. */
gboolean   ks_notices_template (KsStore *store, gint64 body_id, const char *kind,
                                char **subject, char **text, char **html, GError **error);
/* Text as HTML paragraphs (blank lines part them, http(s) addresses become links). */
void       ks_notices_append_html_text (GString *out, const char *text);
/* Template values made safe for HTML. */
GHashTable *ks_notices_html_values (GHashTable *values);
/* A whole HTML document around body_html. */
char      *ks_notices_html_document (const char *subject, const char *body_html);

G_END_DECLS

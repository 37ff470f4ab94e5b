/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-mailer.h: the mail outbox.
 *
 * kerbside-server does not speak SMTP: each email is written as an RFC 5322 message
 * (a .eml file) into the outbox directory (config->outbox_dir), from where the
 * council's mail system picks it up, and is recorded in the emails table. Files
 * appear atomically (written under a temporary name, then renamed), so a reader
 * never sees half a message; only names ending in .eml are finished messages. */
#pragma once

#include <glib.h>
#include "http/ks-server-config.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* Writes one plain-text email to the outbox and records it (in the current write
 * transaction, when there is one). security: a mail about the account itself
 * (sign-in codes, password changes), which the recipient cannot opt out of; all
 * other mails carry an opt-out link (PUBLIC_URL/unsubscribe?token=..., a token good
 * for this recipient alone) and a List-Unsubscribe header, and are not written
 * when the recipient has opted out (only recorded, with no file). report_id: the
 * report the mail is about, or 0. KS_ERROR_INVALID when the address is not one. */
gboolean ks_mailer_send (const KsServerConfig *config,
                         KsStore              *store,
                         const char           *to,
                         const char           *subject,
                         const char           *body,
                         gboolean              security,
                         gint64                report_id,
                         GError              **error);

/* One email. */
typedef struct {
  const char *to;
  const char *subject;
  const char *text;        /* the plain-text body */
  const char *html;        /* NULL: text only; else a multipart/alternative message */
  const char *from_name;   /* the sender's name (the council's); NULL: "Kerbside" */
  const char *reply_to;    /* replies go here (the council's address); NULL: none */
  gboolean    security;    /* as for ks_mailer_send() */
  gint64      report_id;   /* 0: none */
  const char *file_name;   /* NULL: a new name; else this one, written only when no
                            * file of that name is in the outbox, sent/ or sending/ */
} KsMail;

typedef enum {
  KS_MAIL_WRITTEN,          /* written to the outbox now */
  KS_MAIL_ALREADY_WRITTEN,  /* file_name was in the outbox already: not written again */
  KS_MAIL_OPTED_OUT,        /* recorded, not written: the recipient opted out */
} KsMailOutcome;

/* ks_mailer_send() with all the parts. out_outcome (nullable): what happened. */
gboolean ks_mailer_send_mail (const KsServerConfig *config,
                              KsStore              *store,
                              const KsMail         *mail,
                              KsMailOutcome        *out_outcome,
                              GError              **error);

/* Whether an outbox file of this name exists (waiting, being delivered, or sent). */
gboolean ks_mailer_file_exists (const KsServerConfig *config,
                                const char           *name);

/* Whether text looks like a deliverable email address (one @, no spaces or
 * header-breaking characters, at most 254 characters). */
gboolean ks_mailer_address_is_valid (const char *address);
/* Removes an email (its file name as recorded) from the outbox, from sent/
 * and from any relay's hands (sending/INSTANCE/), once an erasure that listed
 * it is committed; its name is remembered for a day (OUTBOX/erased/). */
void     ks_mailer_remove_file (const char *outbox_dir, const char *name);
/* Whether the email of that file name was erased: a relay that held it
 * meanwhile drops its copy rather than put it back or keep it in sent/. */
gboolean ks_mailer_was_erased  (const char *outbox_dir, const char *name);

G_END_DECLS

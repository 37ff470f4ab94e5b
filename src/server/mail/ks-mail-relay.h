/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-mail-relay.h: delivers the mail outbox to an SMTP relay.
 *
 * The outbox directory is the queue: ks_mailer_send() writes each message there
 * as a .eml file; when an SMTP relay is configured, a background thread sends the
 * files in name order and moves each delivered one into outbox/sent/. A relay that
 * is down only delays mail: nothing is lost, and sending never holds up a request. */
#pragma once

#include <glib.h>
#include "http/ks-server-config.h"

G_BEGIN_DECLS

typedef struct _KsMailRelay KsMailRelay;

/* Starts the relay thread; NULL (and no thread) when no relay is configured. */
KsMailRelay *ks_mail_relay_start (const KsServerConfig *config);
/* Stops the thread after the message in progress. */
void         ks_mail_relay_stop  (KsMailRelay *relay);

/* Sends one message file now (used by the thread and by tests). */
gboolean     ks_mail_relay_send_file (const KsServerConfig *config, const char *path,
                                      GError **error);

G_END_DECLS

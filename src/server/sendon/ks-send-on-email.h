/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on-email.h: a report sent on by email: the council's send_on email
 * template (or the built-in text) filled from the report (summary, reference,
 * state, location and a map link, the answers to the category's questions, photo
 * links), written to the outbox with the council's reply address as Reply-To. */
#pragma once

#include <glib.h>
#include "http/ks-server-config.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* Writes the email of sending (to its destination) to the outbox, under the name
 * sendon-ID-GENERATION.eml, once: a file of that name already there (written by a
 * round that died before it committed) is not written again. Run inside the write
 * that marks the sending sent. FALSE with KS_ERROR_INVALID when it cannot be sent
 * (why in the message); other errors may pass. */
gboolean ks_send_on_email (const KsServerConfig *config, KsStore *store,
                           const KsSending *sending, GError **error);

G_END_DECLS

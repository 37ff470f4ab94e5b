/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-change-text.h: a queued change and the server's copy of a report, told in
 * the staff's words (for the dialogs that ask what to do about a conflict). */
#pragma once

#include "ks-outbox-entry.h"
#include "ks-session.h"

G_BEGIN_DECLS

/* "Change the state to “Investigating”." and the like, with the change's
 * fields named and their values formatted. */
char *ks_change_text_describe (KsSession *session, const KsOutboxEntry *entry);
/* What the server holds now ("“Title”: Investigating, priority High, changed
 * 3 Dec 2026, 18:03."), or NULL when the app does not know it. */
char *ks_change_text_current  (KsSession *session, const char *current_json);

G_END_DECLS

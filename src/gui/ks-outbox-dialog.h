/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-outbox-dialog.h: a change from the outbox that the server refused or that
 * met someone else's: both versions, and what the person decides. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_OUTBOX_DIALOG (ks_outbox_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsOutboxDialog, ks_outbox_dialog, KS, OUTBOX_DIALOG, AdwMessageDialog)

/* conflict: the change met a newer version ("conflict-dialog": take theirs,
 * keep mine; or take over a report on a colleague's shortlist); else the
 * server refused it ("rejected-dialog": drop it, try again). */
GtkWidget *ks_outbox_dialog_new (GtkWindow     *parent,
                                 KsSession     *session,
                                 KsOutboxEntry *entry,
                                 gboolean       conflict);

/* Signals:
 * "toast" (const char *message): the result of the decision, to show. */

G_END_DECLS

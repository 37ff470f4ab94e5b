/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-new-council-dialog.h: a platform operator creates a council from the
 * council picker: its name, short name (slug) and contact address, sent to
 * POST /api/v1/councils; the server's refusal shows under the field it names. */
#pragma once

#include <adwaita.h>
#include "ks-session.h"

G_BEGIN_DECLS

#define KS_TYPE_NEW_COUNCIL_DIALOG (ks_new_council_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KsNewCouncilDialog, ks_new_council_dialog, KS, NEW_COUNCIL_DIALOG, AdwWindow)

/* Not yet presented. "created" (gint64 id, const char *name) is emitted once the
 * server made the council; the dialog then closes itself. */
GtkWidget  *ks_new_council_dialog_new       (GtkWindow *parent, KsSession *session);

/* For tests: a field ("name", "slug", "email") as typed; pressing Create; the
 * sentence under a field (or NULL), and whether a request is under way. */
void        ks_new_council_dialog_set       (KsNewCouncilDialog *self, const char *field,
                                             const char *value);
void        ks_new_council_dialog_create    (KsNewCouncilDialog *self);
const char *ks_new_council_dialog_get_error (KsNewCouncilDialog *self, const char *field);
gboolean    ks_new_council_dialog_get_busy  (KsNewCouncilDialog *self);

G_END_DECLS

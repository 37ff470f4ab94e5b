/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-council.h: creating and editing a council, the same from the command line
 * (kerbside-server council) and from the staff API (platform operators): the
 * checks, with a sentence for each refusal, the default roles of a new council,
 * and the audit entry. Runs inside the caller's write. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

/* Checks every setting given (creating: name and slug are required). */
gboolean ks_council_check  (const KsBodySettings *settings,
                            gboolean              creating,
                            GError              **error);
/* The wire name of the first setting that ks_council_check() refuses on its
 * own, or NULL. */
const char *ks_council_field_at_fault (const KsBodySettings *settings);
/* Fills what settings leaves out with the defaults of a new council. */
void     ks_council_defaults (KsBodySettings *settings);

gboolean ks_council_create (KsStore              *store,
                            const KsPrincipal    *who,
                            const char           *via,
                            const KsBodySettings *settings,
                            gint64               *out_id,
                            GError              **error);
gboolean ks_council_edit   (KsStore              *store,
                            const KsPrincipal    *who,
                            const char           *via,
                            gint64                body_id,
                            const KsBodySettings *settings,
                            GError              **error);

G_END_DECLS

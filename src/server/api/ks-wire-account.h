/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-account.h: the account's wire shapes (docs/api.md): the /me object and
 * the list of one's sessions, written from the store's rows. */
#pragma once

#include "ks-json-writer.h"
#include "auth/ks-principal.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* Writes the /me object of who: user, council, roles and permissions
 * (KS_ERROR_UNAUTHORIZED, nothing written, when the account no longer exists). */
/* The council's site message: {"text", "until"} (until null: no end), or null. */
void     ks_wire_write_site_message     (KsJsonWriter *w, const char *text, gint64 until);
gboolean ks_wire_account_write_me       (KsStore *store, const KsPrincipal *who,
                                         KsJsonWriter *w, GError **error);
/* The same with the new two-factor recovery codes in clear, "recovery_codes"
 * (shown once: never stored as written). */
gboolean ks_wire_account_write_me_with_codes (KsStore *store, const KsPrincipal *who,
                                         const char *const *codes, KsJsonWriter *w,
                                         GError **error);

/* Writes {"sessions": [...]}: the user's live sessions, last used first, the one
 * of current_session_id marked "current". */
gboolean ks_wire_account_write_sessions (KsStore *store, gint64 user_id,
                                         gint64 current_session_id, KsJsonWriter *w,
                                         GError **error);

G_END_DECLS

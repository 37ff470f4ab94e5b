/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-key.h: issuing and revoking the API keys of Open311 clients, one step
 * each for every caller (the staff API and the command line): the token, what
 * the store keeps of it, and the audit entry. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

/* Issues a key named name for the council: *out_token is the key itself (shown
 * once; the store keeps its hash). Audited as api_key_create by who (NULL: the
 * command line) with {"name", and "via" when given}. Runs in the caller's write
 * transaction. */
gboolean ks_api_key_issue  (KsStore *store, const KsPrincipal *who, const char *via,
                            gint64 body_id, const char *name, gint64 *out_id,
                            char **out_token, GError **error);
/* Revokes key (as loaded by the caller) unless it is already; audited as
 * api_key_revoke ({"via"} when given). key is then reloaded. Runs in the
 * caller's write transaction. */
gboolean ks_api_key_revoke (KsStore *store, const KsPrincipal *who, const char *via,
                            KsApiKey *key, GError **error);
/* Whether the residents whose reports this client sends in get Kerbside's
 * emails (off by default: the client tells its own users). Audited as
 * update_api_key {"notify_residents", and "via" when given}; key is then
 * reloaded. Runs in the caller's write transaction. */
gboolean ks_api_key_set_notify_residents (KsStore *store, const KsPrincipal *who,
                                          const char *via, KsApiKey *key, gboolean notify,
                                          GError **error);

G_END_DECLS

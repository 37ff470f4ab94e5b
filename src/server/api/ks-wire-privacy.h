/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-privacy.h: the data-protection wire shapes (docs/api.md, "Data
 * protection"): everything held about one person, as one JSON document. */
#pragma once

#include "ks-json-writer.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* Writes everything held about the person as one JSON object; account_id: their
 * staff account when the caller may see it, else 0. found (nullable) gets how many
 * of their reports, updates and emails it holds. */
gboolean ks_wire_privacy_write_person (KsStore *store, const char *email, gint64 body_id,
                                       gint64 account_id, KsJsonWriter *w,
                                       KsPrivacyCounts *found, GError **error);

G_END_DECLS

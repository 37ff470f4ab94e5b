/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-privacy-private.h: what the SQLite store's data-protection files give
 * each other (their virtual functions are filled in ks-sqlite-store-privacy.c). */
#pragma once

#include "sqlite/ks-sqlite-store-private.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* SQL: emails to the address ?1: about the council's reports, or about the
 * account (?3: its id, 0 when none) when ?2, the council, is not 0. */
#define EMAILS_IN_SCOPE \
  "e.recipient = ?1 COLLATE NOCASE AND (?2 = 0 OR " \
  "  (e.report_id IS NULL AND ?3 != 0) OR " \
  "  e.report_id IN (SELECT id FROM reports WHERE body_id = ?2))"

/* The right of access (ks-sqlite-store-person.c). */
gboolean ks_sqlite_privacy_get_person (KsStore *store, const char *email, gint64 body_id,
                                       gint64 account_id, KsPersonData *out,
                                       GError **error);
/* The research export (ks-sqlite-store-research.c). */
gboolean ks_sqlite_privacy_foreach_research_row (KsStore *store, gint64 body_id, gint64 from,
                                                 gint64 to, KsResearchRowFunc func,
                                                 gpointer user_data, GError **error);

G_END_DECLS

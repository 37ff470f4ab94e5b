/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-privacy-private.h: what the PostgreSQL store's data-protection files give
 * each other (their virtual functions are filled in ks-pg-store-privacy.c). */
#pragma once

#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* SQL: emails to the address $1: about the council's reports, or about the
 * account ($3: its id, 0 when none) when $2, the council, is not 0. */
#define KS_PG_EMAILS_IN_SCOPE \
  "lower (e.recipient) = lower ($1::text COLLATE \"C\") AND ($2::bigint = 0 OR " \
  "  (e.report_id IS NULL AND $3::bigint <> 0) OR " \
  "  e.report_id IN (SELECT id FROM reports WHERE body_id = $2))"

/* The right of access (ks-pg-store-person.c). */
gboolean ks_pg_privacy_get_person (KsStore *store, const char *email, gint64 body_id,
                                   gint64 account_id, KsPersonData *out, GError **error);
/* The research export (ks-pg-store-research.c). */
gboolean ks_pg_privacy_foreach_research_row (KsStore *store, gint64 body_id, gint64 from,
                                             gint64 to, KsResearchRowFunc func,
                                             gpointer user_data, GError **error);

G_END_DECLS

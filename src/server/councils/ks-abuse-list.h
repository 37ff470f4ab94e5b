/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-abuse-list.h: a council's abuse list: email addresses, phone numbers and
 * email domains (a domain also bans its subdomains) that may not report, through
 * Open311 or on their behalf. The same checks from the staff API, Open311 and
 * the command line (kerbside-server abuse). */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

/* The value as the list keeps it: an address or a domain lower-cased, a phone
 * number as its last 10 digits (at least 6). KS_ERROR_INVALID, with a sentence,
 * for an unknown kind or a value that is not one. */
char    *ks_abuse_normalise (const char *kind,
                             const char *value,
                             GError    **error);

/* Whether a reporter may report to the council: *out_refusal is NULL when they
 * may, else the sentence that says why not (to show them). */
gboolean ks_abuse_check     (KsStore    *store,
                             gint64      body_id,
                             const char *email,
                             const char *phone,
                             char      **out_refusal,
                             GError    **error);

/* The audit details of an entry: kind, reason, and the value itself for a
 * domain, or its SHA-256 for an address or a phone number (personal data). */
char    *ks_abuse_audit_details (const KsAbuseEntry *entry,
                                 const char         *via);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-privacy.c: dispatchers of the store's data-protection operations. */
#include "store/ks-store.h"

#include <string.h>

char *
ks_privacy_address_hash (const char *address)
{
  g_autofree char *lower = g_ascii_strdown (address ? address : "", -1);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, lower, -1);
}

gboolean ks_store_privacy_anonymise_report (KsStore *self, gint64 report_id, gint64 user_id, const char *reason, gboolean *out_changed, KsPrivacyCounts *counts, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, anonymise_report, report_id, user_id, reason, out_changed, counts, error); }
gboolean ks_store_privacy_find_account (KsStore *self, const char *email, KsPrivacyAccount *out, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, find_account, email, out, error); }
gboolean ks_store_privacy_get_person (KsStore *self, const char *email, gint64 body_id, gint64 account_id, KsPersonData *out, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, get_person, email, body_id, account_id, out, error); }
gboolean ks_store_privacy_terminate_person (KsStore *self, const char *email, gint64 body_id, gint64 account_id, gint64 user_id, const char *reason, KsPrivacyTermination *out, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, terminate_person, email, body_id, account_id, user_id, reason, out, error); }
gboolean ks_store_privacy_foreach_research_row (KsStore *self, gint64 body_id, gint64 from, gint64 to, KsResearchRowFunc func, gpointer user_data, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, foreach_research_row, body_id, from, to, func, user_data, error); }
gboolean ks_store_privacy_add_optout_token (KsStore *self, const char *token_hash, const char *address_hash, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, add_optout_token, token_hash, address_hash, error); }
gboolean ks_store_privacy_optout_by_token (KsStore *self, const char *token_hash, gboolean *found, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, optout_by_token, token_hash, found, error); }
gboolean ks_store_privacy_is_opted_out (KsStore *self, const char *address_hash, gboolean *out, GError **error)
{ return KS_STORE_DISPATCH (self, privacy, is_opted_out, address_hash, out, error); }
gboolean ks_store_privacy_purge_old_copies (KsStore *self, GError **error)
{ return KS_STORE_GET_CLASS (self)->privacy.purge_old_copies (self, error); }

void
ks_person_data_init (KsPersonData *data)
{
  memset (data, 0, sizeof *data);
  data->strings = g_string_chunk_new (4096);
  data->roles = g_array_new (FALSE, TRUE, sizeof (KsPersonRole));
  data->permissions = g_array_new (FALSE, TRUE, sizeof (const char *));
  data->sessions = g_array_new (FALSE, TRUE, sizeof (KsSessionRow));
  data->shortlist = g_array_new (FALSE, TRUE, sizeof (gint64));
  data->failed_sign_ins = g_array_new (FALSE, TRUE, sizeof (gint64));
  data->reports = g_array_new (FALSE, TRUE, sizeof (KsPersonReport));
  data->attributes = g_array_new (FALSE, TRUE, sizeof (KsPersonAttribute));
  data->updates = g_array_new (FALSE, TRUE, sizeof (KsPersonUpdate));
  data->previous_answers = g_array_new (FALSE, TRUE, sizeof (KsPersonPreviousAnswer));
  data->moderation = g_array_new (FALSE, TRUE, sizeof (KsModerationRow));
  data->media = g_array_new (FALSE, TRUE, sizeof (KsPersonMedia));
  data->emails = g_array_new (FALSE, TRUE, sizeof (KsPersonEmail));
  data->audit = g_array_new (FALSE, TRUE, sizeof (KsPersonAudit));
}

void
ks_person_data_clear (KsPersonData *data)
{
  g_clear_pointer (&data->strings, g_string_chunk_free);
  g_clear_pointer (&data->roles, g_array_unref);
  g_clear_pointer (&data->permissions, g_array_unref);
  g_clear_pointer (&data->sessions, g_array_unref);
  g_clear_pointer (&data->shortlist, g_array_unref);
  g_clear_pointer (&data->failed_sign_ins, g_array_unref);
  g_clear_pointer (&data->reports, g_array_unref);
  g_clear_pointer (&data->attributes, g_array_unref);
  g_clear_pointer (&data->updates, g_array_unref);
  g_clear_pointer (&data->previous_answers, g_array_unref);
  g_clear_pointer (&data->moderation, g_array_unref);
  g_clear_pointer (&data->media, g_array_unref);
  g_clear_pointer (&data->emails, g_array_unref);
  g_clear_pointer (&data->audit, g_array_unref);
}

const char *
ks_person_data_string (KsPersonData *data,
                       const char   *s)
{
  return s != NULL ? g_string_chunk_insert (data->strings, s) : NULL;
}

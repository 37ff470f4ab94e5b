/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-privacy.c: data protection in PostgreSQL: anonymising reports,
 * terminating a person's data and email opt-outs (everything held about one person
 * is read in ks-pg-store-person.c, the research export in ks-pg-store-research.c).
 *
 * As on SQLite, a person is their email address, compared without regard to
 * ASCII case: lower () of byte-ordered ("C") text folds A-Z only, as SQLite's
 * NOCASE does, and the indexes of data/sql-pg are on lower (column). "Their"
 * updates are those with no staff author that carry their address, and, on their
 * own reports, those with no staff author and no address at all. The values an
 * erasure removes are gathered in a KsErased (store/ks-erased.h) and removed from
 * every copy as on SQLite. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-privacy-private.h"
#include "store/ks-erased.h"
#include "ks-time.h"

#include <string.h>

/* ---- helpers ---- */

/* A change to a report: version, updated and a new sync sequence number. */
static gboolean
bump_report (KsStore *store, gint64 report_id, GError **error)
{
  static const KsPgStatement stmt = { "privacy_bump_report",
    "UPDATE reports SET version = version + 1, updated = $1, seq = $2 WHERE id = $3" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 seq = ks_store_next_seq (store, error);

  if (seq < 0)
    return FALSE;
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_int (&args, seq);
  ks_pg_args_int (&args, report_id);
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

/* The outbox files (column 0, may be NULL) of the email records res changed. */
static void
collect_email_files (PGresult *res, GPtrArray *files)
{
  if (files == NULL)
    return;
  for (int i = 0; i < PQntuples (res); i++)
    if (!ks_pg_null (res, i, 0))
      g_ptr_array_add (files, g_strdup (ks_pg_text (res, i, 0)));
}

/* ---- every copy of what an erasure removes ---- */

/* Stored idempotency answers keep a copy of what a write answered (a report with
 * its reporter, for one): the erased values go from them too. The answers stay
 * (a replayed key must still not apply its change twice), without the values. */
static gboolean
scrub_stored_answers (KsStore *store, KsErased *e, gint64 *out_count, GError **error)
{
  /* ILIKE of byte-ordered text: ASCII case-insensitive, as SQLite's LIKE. */
  static const KsPgStatement find = { "privacy_answers_holding",
    "SELECT user_id, key, response FROM idempotency "
    "WHERE response COLLATE \"C\" ILIKE $1 ESCAPE '\\'" };
  static const KsPgStatement update = { "privacy_answer_scrub",
    "UPDATE idempotency SET response = $1 WHERE user_id = $2 AND key = $3" };
  static const KsPgStatement drop = { "privacy_answer_drop",
    "DELETE FROM idempotency WHERE user_id = $1 AND key = $2" };
  g_autoptr(GPtrArray) patterns = ks_erased_like_patterns (e);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) PQclear);

  for (guint p = 0; p < patterns->len; p++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      PGresult *res;

      ks_pg_args_text (&args, g_ptr_array_index (patterns, p));
      res = ks_pg_store_query (store, &find, &args, error);
      if (res == NULL)
        return FALSE;
      g_ptr_array_add (results, res);
    }

  for (guint r = 0; r < results->len; r++)
    {
      PGresult *res = g_ptr_array_index (results, r);

      for (int i = 0; i < PQntuples (res); i++)
        {
          g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
          g_autofree char *scrubbed = NULL;
          char *id = g_strdup_printf ("%s %s", ks_pg_text (res, i, 0), ks_pg_text (res, i, 1));
          KsErasedScrub scrub;

          if (!g_hash_table_add (seen, id))
            continue;
          scrub = ks_erased_scrub_json (e, ks_pg_text (res, i, 2), &scrubbed);
          if (scrub == KS_ERASED_UNCHANGED)
            continue;
          if (scrub == KS_ERASED_SCRUBBED)
            {
              ks_pg_args_text (&args, scrubbed);
              ks_pg_args_text (&args, ks_pg_text (res, i, 0));
              ks_pg_args_text (&args, ks_pg_text (res, i, 1));
              if (!ks_pg_store_exec (store, &update, &args, NULL, error))
                return FALSE;
            }
          else
            {
              /* Not JSON: nothing can be kept of it. */
              ks_pg_args_text (&args, ks_pg_text (res, i, 0));
              ks_pg_args_text (&args, ks_pg_text (res, i, 1));
              if (!ks_pg_store_exec (store, &drop, &args, NULL, error))
                return FALSE;
            }
          if (out_count != NULL)
            (*out_count)++;
        }
    }
  return TRUE;
}

/* Failed sign-ins are kept under the address tried (and, for throttling by
 * account and address, keys that hold it). An address with no staff account is
 * only a trace of the person: it goes. A staff account's stay until the account
 * is removed (they guard it). */
static gboolean
forget_failed_sign_ins (KsStore *store, KsErased *e, GError **error)
{
  static const KsPgStatement stmt = { "privacy_forget_failed_sign_ins",
    "DELETE FROM login_failures WHERE strpos (lower (key COLLATE \"C\"), $1) > 0 "
    "AND NOT EXISTS (SELECT 1 FROM users WHERE lower (email) = $1)" };
  g_autoptr(GPtrArray) addresses = ks_erased_addresses (e);

  for (guint i = 0; i < addresses->len; i++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

      ks_pg_args_text (&args, g_ptr_array_index (addresses, i));
      if (!ks_pg_store_exec (store, &stmt, &args, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* Audit entries about a removed account stay (with its number), without what
 * they said of it (the address given when it was created, for one). */
static gboolean
scrub_audit_of_account (KsStore *store, KsErased *e, gint64 account_id, GError **error)
{
  static const KsPgStatement find = { "privacy_audit_of_account",
    "SELECT id, details FROM audit_log WHERE object_type = 'user' AND object_id = $1 "
    "AND details IS NOT NULL" };
  static const KsPgStatement update = { "privacy_audit_scrub",
    "UPDATE audit_log SET details = $1 WHERE id = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, account_id);
  res = ks_pg_store_query (store, &find, &args, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_auto(KsPgArgs) up = KS_PG_ARGS_INIT;
      g_autofree char *scrubbed = NULL;

      if (ks_erased_scrub_json (e, ks_pg_text (res, i, 1), &scrubbed) != KS_ERASED_SCRUBBED)
        continue;
      ks_pg_args_text (&up, scrubbed);
      ks_pg_args_int (&up, ks_pg_int (res, i, 0));
      if (!ks_pg_store_exec (store, &update, &up, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
erase_copies (KsStore *store, KsErased *e, KsPrivacyCounts *counts, GError **error)
{
  return scrub_stored_answers (store, e, counts ? &counts->answers : NULL, error) &&
         forget_failed_sign_ins (store, e, error);
}

/* ---- anonymising one report ---- */

static gboolean
anonymise_one (KsStore *store, gint64 report_id, gint64 user_id, const char *reason,
               gboolean *out_changed, KsPrivacyCounts *counts, KsErased *erased,
               GError **error)
{
  static const KsPgStatement get = { "privacy_anonymise_get",
    "SELECT reporter_name, reporter_email, reporter_phone, show_name, title, detail "
    "FROM reports WHERE id = $1" };
  /* The reporter's own updates: no staff author, and their address or none. The
   * values they held come back to be erased elsewhere too. */
  static const KsPgStatement own_updates = { "privacy_anonymise_updates",
    "WITH own AS ("
    "  SELECT id, author_name, author_email FROM updates "
    "  WHERE report_id = $1 AND user_id IS NULL "
    "    AND (author_name IS NOT NULL OR author_email IS NOT NULL) "
    "    AND (author_email IS NULL OR lower (author_email) = lower ($2::text COLLATE \"C\"))) "
    "UPDATE updates u SET author_name = NULL, author_email = NULL FROM own "
    "WHERE u.id = own.id RETURNING own.author_name, own.author_email" };
  /* The record of the emails about this report that went to the reporter. */
  static const KsPgStatement own_emails = { "privacy_anonymise_emails",
    "UPDATE emails SET recipient = '' "
    "WHERE report_id = $1 AND lower (recipient) = lower ($2::text COLLATE \"C\") RETURNING file" };
  static const KsPgStatement clear = { "privacy_anonymise_report",
    "UPDATE reports SET reporter_name = NULL, reporter_email = NULL, reporter_phone = NULL, "
    "  show_name = 0, version = version + 1, updated = $1, seq = $2 WHERE id = $3" };
  /* The history keeps what changed that may be kept: not the personal data. */
  static const KsPgStatement moderation = { "privacy_anonymise_moderation",
    "INSERT INTO moderation (report_id, user_id, reason, created, old_title, new_title, "
    "  old_detail, new_detail, old_show_name, new_show_name, old_photo, photo_removed) "
    "VALUES ($1, $2, $3, $4, $5, $5, $6, $6, $7, 0, NULL, 0)" };
  g_autofree char *name = NULL, *email = NULL, *phone = NULL, *title = NULL, *detail = NULL;
  gboolean show_name, had_reporter;
  gint64 updates = 0, emails = 0;
  gint64 seq;

  *out_changed = FALSE;
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
    g_autoptr(PGresult) res = NULL;

    ks_pg_args_int (&args, report_id);
    res = ks_pg_store_query (store, &get, &args, error);
    if (res == NULL)
      return FALSE;
    if (PQntuples (res) == 0)
      {
        g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                     "There is no report %" G_GINT64_FORMAT ". Check the number, or refresh "
                     "your list.", report_id);
        return FALSE;
      }
    name = g_strdup (ks_pg_text (res, 0, 0));
    email = g_strdup (ks_pg_text (res, 0, 1));
    phone = g_strdup (ks_pg_text (res, 0, 2));
    show_name = ks_pg_int (res, 0, 3) != 0;
    title = g_strdup (ks_pg_text (res, 0, 4));
    detail = g_strdup (ks_pg_text (res, 0, 5));
  }
  had_reporter = name != NULL || email != NULL || phone != NULL || show_name;
  ks_erased_add (erased, name);
  ks_erased_add_address (erased, email);
  ks_erased_add (erased, phone);

  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
    g_autoptr(PGresult) res = NULL;

    ks_pg_args_int (&args, report_id);
    ks_pg_args_text (&args, email);
    res = ks_pg_store_query (store, &own_updates, &args, error);
    if (res == NULL)
      return FALSE;
    for (int i = 0; i < PQntuples (res); i++)
      {
        ks_erased_add (erased, ks_pg_text (res, i, 0));
        ks_erased_add_address (erased, ks_pg_text (res, i, 1));
      }
    updates = PQntuples (res);
  }

  if (email != NULL)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_autoptr(PGresult) res = NULL;

      ks_pg_args_int (&args, report_id);
      ks_pg_args_text (&args, email);
      res = ks_pg_store_query (store, &own_emails, &args, error);
      if (res == NULL)
        return FALSE;
      collect_email_files (res, counts ? counts->email_files : NULL);
      emails = PQntuples (res);
    }

  if (!had_reporter && updates == 0 && emails == 0)
    return TRUE;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

    ks_pg_args_int (&args, ks_time_now ());
    ks_pg_args_int (&args, seq);
    ks_pg_args_int (&args, report_id);
    if (!ks_pg_store_exec (store, &clear, &args, NULL, error))
      return FALSE;
  }
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

    ks_pg_args_int (&args, report_id);
    ks_pg_args_id (&args, user_id);
    ks_pg_args_text (&args, reason ? reason : "");
    ks_pg_args_int (&args, ks_time_now ());
    ks_pg_args_text (&args, title);
    ks_pg_args_text (&args, detail);
    ks_pg_args_int (&args, show_name ? 1 : 0);
    if (!ks_pg_store_exec (store, &moderation, &args, NULL, error))
      return FALSE;
  }

  *out_changed = TRUE;
  if (counts != NULL)
    {
      counts->reports++;
      counts->updates += updates;
      counts->emails += emails;
    }
  return TRUE;
}

static gboolean
anonymise_report (KsStore *store, gint64 report_id, gint64 user_id, const char *reason,
                  gboolean *out_changed, KsPrivacyCounts *counts, GError **error)
{
  g_autoptr(KsErased) erased = ks_erased_new ();

  return anonymise_one (store, report_id, user_id, reason, out_changed, counts, erased, error) &&
         erase_copies (store, erased, counts, error);
}

static gboolean
find_account (KsStore *store, const char *email, KsPrivacyAccount *out, GError **error)
{
  static const KsPgStatement stmt = { "privacy_find_account",
    "SELECT id, coalesce (body_id, 0), is_superuser FROM users "
    "WHERE lower (email) = lower ($1::text COLLATE \"C\")" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  memset (out, 0, sizeof *out);
  ks_pg_args_text (&args, email);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;
  out->id = ks_pg_int (res, 0, 0);
  out->body_id = ks_pg_int (res, 0, 1);
  out->is_superuser = ks_pg_int (res, 0, 2) != 0;
  return TRUE;
}

static gboolean
is_opted_out (KsStore *store, const char *address_hash, gboolean *out, GError **error)
{
  static const KsPgStatement stmt = { "privacy_is_opted_out",
    "SELECT 1 FROM email_optouts WHERE address_hash = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *out = FALSE;
  ks_pg_args_text (&args, address_hash);
  res = ks_pg_store_query (store, &stmt, &args, error);
  if (res == NULL)
    return FALSE;
  *out = PQntuples (res) > 0;
  return TRUE;
}

/* ---- terminating a person's data ---- */

/* Gives every report whose synced fields name the account (shortlist_user,
 * acknowledged_by) or that it created a new sync sequence number, each its own, in
 * one statement. The updates it wrote are not part of what sync sends: their
 * reports keep their numbers. (Writes hold the store's write lock: no other
 * writer takes numbers meanwhile.) */
static gboolean
bump_reports_of_account (KsStore *store, gint64 account_id, GError **error)
{
  static const KsPgStatement renumber = { "privacy_bump_reports_of_account",
    "UPDATE reports SET seq = $2 + n.k "
    "FROM (SELECT id, row_number () OVER (ORDER BY id) AS k FROM ("
    "        SELECT id FROM reports WHERE shortlist_user = $1 "
    "        UNION SELECT id FROM reports WHERE created_by = $1 "
    "        UNION SELECT id FROM reports WHERE acknowledged_by = $1) AS mine) AS n "
    "WHERE reports.id = n.id" };
  static const KsPgStatement advance = { "privacy_advance_seq",
    "UPDATE meta SET value = value + $1 WHERE key = 'seq'" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 base = ks_store_current_seq (store, error);
  gint64 n = 0;

  if (base < 0)
    return FALSE;
  ks_pg_args_int (&args, account_id);
  ks_pg_args_int (&args, base);
  if (!ks_pg_store_exec (store, &renumber, &args, &n, error))
    return FALSE;
  if (n > 0)
    {
      g_auto(KsPgArgs) more = KS_PG_ARGS_INIT;

      ks_pg_args_int (&more, n);
      if (!ks_pg_store_exec (store, &advance, &more, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* Removes the staff account's name from everything it wrote or holds, then the
 * account itself (its sessions, roles, permissions, challenges and email codes go
 * with it: ON DELETE CASCADE). */
static gboolean
remove_account (KsStore *store, gint64 account_id, KsPrivacyTermination *out, GError **error)
{
  static const KsPgStatement updates = { "privacy_account_updates",
    "UPDATE updates SET user_id = NULL, author_name = NULL WHERE user_id = $1" };
  static const KsPgStatement shortlist = { "privacy_account_shortlist",
    "UPDATE reports SET shortlist_user = NULL, shortlist_pos = NULL WHERE shortlist_user = $1" };
  static const KsPgStatement clears[] = {
    { "privacy_account_created_by",
      "UPDATE reports SET created_by = NULL WHERE created_by = $1" },
    { "privacy_account_acknowledged_by",
      "UPDATE reports SET acknowledged_by = NULL WHERE acknowledged_by = $1" },
    { "privacy_account_moderation",
      "UPDATE moderation SET user_id = NULL WHERE user_id = $1" },
    { "privacy_account_idempotency",
      "DELETE FROM idempotency WHERE user_id = $1" },
  };
  static const KsPgStatement sessions = { "privacy_account_sessions",
    "SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked = 0 AND expires > $2" };
  static const KsPgStatement remove = { "privacy_account_remove",
    "DELETE FROM users WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 removed = 0;

  /* First, while the references still say which reports they are. */
  if (!bump_reports_of_account (store, account_id, error))
    return FALSE;
  ks_pg_args_int (&args, account_id);
  if (!ks_pg_store_exec (store, &updates, &args, &out->staff_updates, error) ||
      !ks_pg_store_exec (store, &shortlist, &args, &out->shortlist_released, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (clears); i++)
    if (!ks_pg_store_exec (store, &clears[i], &args, NULL, error))
      return FALSE;
  {
    g_auto(KsPgArgs) count_args = KS_PG_ARGS_INIT;
    g_autoptr(PGresult) res = NULL;

    ks_pg_args_int (&count_args, account_id);
    ks_pg_args_int (&count_args, ks_time_now ());
    res = ks_pg_store_query (store, &sessions, &count_args, error);
    if (res == NULL)
      return FALSE;
    out->sessions = ks_pg_int (res, 0, 0);
  }
  if (!ks_pg_store_exec (store, &remove, &args, &removed, error))
    return FALSE;
  out->account_removed = removed == 1;
  return TRUE;
}

static gboolean
terminate_one (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
               gint64 user_id, const char *reason, KsPrivacyTermination *out,
               KsErased *erased, GError **error)
{
  static const KsPgStatement their_reports = { "privacy_terminate_reports",
    "SELECT id FROM reports WHERE lower (reporter_email) = lower ($1::text COLLATE \"C\") "
    "AND ($2::bigint = 0 OR body_id = $2) ORDER BY id" };
  static const KsPgStatement other_reports = { "privacy_terminate_other_reports",
    "SELECT DISTINCT u.report_id FROM updates u JOIN reports r ON r.id = u.report_id "
    "WHERE lower (u.author_email) = lower ($1::text COLLATE \"C\") AND u.user_id IS NULL "
    "AND ($2::bigint = 0 OR r.body_id = $2) ORDER BY u.report_id" };
  /* Their updates on one of those, with the names they gave. */
  static const KsPgStatement other_updates = { "privacy_terminate_other_updates",
    "WITH theirs AS ("
    "  SELECT id, author_name FROM updates "
    "  WHERE lower (author_email) = lower ($1::text COLLATE \"C\") AND user_id IS NULL "
    "    AND report_id = $2) "
    "UPDATE updates u SET author_name = NULL, author_email = NULL FROM theirs "
    "WHERE u.id = theirs.id RETURNING theirs.author_name" };
  static const KsPgStatement their_emails = { "privacy_terminate_emails",
    "UPDATE emails AS e SET recipient = '' WHERE " KS_PG_EMAILS_IN_SCOPE " RETURNING e.file" };
  static const KsPgStatement account = { "privacy_terminate_account",
    "SELECT name, phone, email FROM users WHERE id = $1" };
  static const KsPgStatement failures = { "privacy_terminate_failures",
    "DELETE FROM login_failures WHERE scope = 'account' AND key = lower ($1::text COLLATE \"C\")" };
  g_autoptr(PGresult) reports = NULL;
  g_autoptr(PGresult) others = NULL;

  ks_erased_add_address (erased, email);

  /* Their reports. */
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

    ks_pg_args_text (&args, email);
    ks_pg_args_int (&args, body_id);
    reports = ks_pg_store_query (store, &their_reports, &args, error);
    if (reports == NULL)
      return FALSE;
  }
  for (int i = 0; i < PQntuples (reports); i++)
    {
      gboolean changed = FALSE;
      if (!anonymise_one (store, ks_pg_int (reports, i, 0), user_id, reason,
                          &changed, &out->anonymised, erased, error))
        return FALSE;
    }

  /* Their updates on other people's reports. */
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

    ks_pg_args_text (&args, email);
    ks_pg_args_int (&args, body_id);
    others = ks_pg_store_query (store, &other_reports, &args, error);
    if (others == NULL)
      return FALSE;
  }
  for (int i = 0; i < PQntuples (others); i++)
    {
      g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
      g_autoptr(PGresult) res = NULL;
      gint64 id = ks_pg_int (others, i, 0);

      ks_pg_args_text (&args, email);
      ks_pg_args_int (&args, id);
      res = ks_pg_store_query (store, &other_updates, &args, error);
      if (res == NULL)
        return FALSE;
      for (int j = 0; j < PQntuples (res); j++)
        ks_erased_add (erased, ks_pg_text (res, j, 0));
      out->anonymised.updates += PQntuples (res);
      if (!bump_report (store, id, error))
        return FALSE;
    }

  /* The record of the emails sent to them, and the files. */
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
    g_autoptr(PGresult) res = NULL;

    ks_pg_args_text (&args, email);
    ks_pg_args_int (&args, body_id);
    ks_pg_args_int (&args, account_id);
    res = ks_pg_store_query (store, &their_emails, &args, error);
    if (res == NULL)
      return FALSE;
    collect_email_files (res, out->anonymised.email_files);
    out->anonymised.emails += PQntuples (res);
  }

  if (account_id != 0)
    {
      {
        g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
        g_autoptr(PGresult) res = NULL;

        ks_pg_args_int (&args, account_id);
        res = ks_pg_store_query (store, &account, &args, error);
        if (res == NULL)
          return FALSE;
        if (PQntuples (res) > 0)
          {
            ks_erased_add (erased, ks_pg_text (res, 0, 0));
            ks_erased_add (erased, ks_pg_text (res, 0, 1));
            ks_erased_add_address (erased, ks_pg_text (res, 0, 2));
          }
      }
      if (!remove_account (store, account_id, out, error))
        return FALSE;
      {
        g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

        ks_pg_args_text (&args, email);
        if (!ks_pg_store_exec (store, &failures, &args, NULL, error))
          return FALSE;
      }
    }
  return TRUE;
}

static gboolean
terminate_person (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
                  gint64 user_id, const char *reason, KsPrivacyTermination *out,
                  GError **error)
{
  GPtrArray *files = out->anonymised.email_files;
  g_autoptr(KsErased) erased = ks_erased_new ();

  memset (out, 0, sizeof *out);
  out->anonymised.email_files = files;
  return terminate_one (store, email, body_id, account_id, user_id, reason, out, erased,
                        error) &&
         erase_copies (store, erased, &out->anonymised, error) &&
         (account_id == 0 || scrub_audit_of_account (store, erased, account_id, error));
}

/* After an erasure is committed: VACUUM the tables an erasure changes, so that the
 * old versions of the rows it changed or removed, and the index entries that
 * pointed at them, are gone from the tables and indexes (INDEX_CLEANUP ON: even
 * when there are few, which VACUUM would otherwise leave). PostgreSQL does not
 * overwrite the space they took until it reuses it, and the write-ahead log keeps
 * them until its segments are recycled: docs/api.md, "Data protection". */
static gboolean
purge_old_copies (KsStore *store, GError **error)
{
  KsPgDb *db = ks_pg_store_db (store);

  if (ks_pg_db_in_transaction (db))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The old copies of erased data are removed after the erasure is "
                   "committed, not inside a transaction.");
      return FALSE;
    }
  return ks_pg_db_exec (db,
    "VACUUM (INDEX_CLEANUP ON) reports, updates, emails, idempotency, login_failures, "
    "audit_log, users, sessions, user_roles, user_permissions, login_challenges, email_codes",
    error);
}

/* ---- email opt-outs ---- */

static gboolean
add_optout_token (KsStore *store, const char *token_hash, const char *address_hash,
                  GError **error)
{
  static const KsPgStatement stmt = { "privacy_add_optout_token",
    "INSERT INTO email_optout_tokens (token_hash, address_hash, created) "
    "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, token_hash);
  ks_pg_args_text (&args, address_hash);
  ks_pg_args_int (&args, ks_time_now ());
  return ks_pg_store_exec (store, &stmt, &args, NULL, error);
}

static gboolean
optout_by_token (KsStore *store, const char *token_hash, gboolean *found, GError **error)
{
  static const KsPgStatement optout = { "privacy_optout_by_token",
    "INSERT INTO email_optouts (address_hash, created) "
    "SELECT address_hash, $2 FROM email_optout_tokens WHERE token_hash = $1 "
    "ON CONFLICT DO NOTHING" };
  static const KsPgStatement known = { "privacy_optout_token_known",
    "SELECT 1 FROM email_optout_tokens WHERE token_hash = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_auto(KsPgArgs) known_args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  *found = FALSE;
  ks_pg_args_text (&args, token_hash);
  ks_pg_args_int (&args, ks_time_now ());
  if (!ks_pg_store_exec (store, &optout, &args, NULL, error))
    return FALSE;
  ks_pg_args_text (&known_args, token_hash);
  res = ks_pg_store_query (store, &known, &known_args, error);
  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  return TRUE;
}

void
ks_pg_store_privacy_init (KsStorePrivacyVTable *vtable)
{
  vtable->anonymise_report = anonymise_report;
  vtable->find_account = find_account;
  vtable->get_person = ks_pg_privacy_get_person;
  vtable->terminate_person = terminate_person;
  vtable->foreach_research_row = ks_pg_privacy_foreach_research_row;
  vtable->add_optout_token = add_optout_token;
  vtable->optout_by_token = optout_by_token;
  vtable->is_opted_out = is_opted_out;
  vtable->purge_old_copies = purge_old_copies;
}

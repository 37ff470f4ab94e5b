/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-privacy.c: data protection in SQLite: anonymising reports,
 * terminating a person's data and email opt-outs (everything held about one person
 * is read in ks-sqlite-store-person.c, the research export in
 * ks-sqlite-store-research.c).
 *
 * A person is their email address, compared without regard to ASCII case (the
 * indexes of 0007-privacy.sql are NOCASE for this). "Their" updates are those
 * with no staff author that carry their address, and, on their own reports,
 * those with no staff author and no address at all (residents who update their
 * report from the website). */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-privacy-private.h"
#include "store/ks-erased.h"
#include "store/ks-store.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

/* ---- helpers ---- */

/* A change to a report: version, updated and a new sync sequence number. */
static gboolean
bump_report (KsStore *store, gint64 report_id, GError **error)
{
  g_autoptr(KsStmt) st = NULL;
  gint64 seq = ks_store_next_seq (store, error);

  if (seq < 0)
    return FALSE;
  st = ks_sqlite_stmt (store,
    "UPDATE reports SET version = version + 1, updated = ?, seq = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, ks_time_now ());
  sqlite3_bind_int64 (st, 2, seq);
  sqlite3_bind_int64 (st, 3, report_id);
  return ks_sqlite_step_done (st, error);
}

/* ---- every copy of what an erasure removes (store/ks-erased.h) ---- */

typedef struct {
  gint64  user_id;
  char   *key;
  char   *response;
} StoredAnswer;

static void
stored_answer_free (gpointer data)
{
  StoredAnswer *a = data;
  g_free (a->key);
  g_free (a->response);
  g_free (a);
}

/* Stored idempotency answers keep a copy of what a write answered (a report with
 * its reporter, for one): the erased values go from them too. The answers stay
 * (a replayed key must still not apply its change twice), without the values. */
static gboolean
scrub_stored_answers (KsStore *store, KsErased *e, gint64 *out_count, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (stored_answer_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) patterns = ks_erased_like_patterns (e);

  for (guint p = 0; p < patterns->len; p++)
    {
      /* LIKE (ASCII case-insensitive): ten times faster here than lower() and instr(). */
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "SELECT user_id, key, response FROM idempotency WHERE response LIKE ? ESCAPE '\\'",
        error);
      int rc;

      if (st == NULL)
        return FALSE;
      ks_bind_text (st, 1, g_ptr_array_index (patterns, p));
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          StoredAnswer *a = g_new0 (StoredAnswer, 1);
          g_autofree char *id = NULL;

          a->user_id = ks_col_int (st, 0);
          a->key = g_strdup (ks_col_text (st, 1));
          a->response = g_strdup (ks_col_text (st, 2));
          id = g_strdup_printf ("%" G_GINT64_FORMAT " %s", a->user_id, a->key);
          if (g_hash_table_contains (seen, id))
            {
              stored_answer_free (a);
              continue;
            }
          g_hash_table_add (seen, g_steal_pointer (&id));
          g_ptr_array_add (found, a);
        }
      if (rc != SQLITE_DONE)
        return ks_sqlite_stmt_fail (st, error);
    }

  for (guint i = 0; i < found->len; i++)
    {
      StoredAnswer *a = g_ptr_array_index (found, i);
      g_autofree char *scrubbed = NULL;
      g_autoptr(KsStmt) st = NULL;
      KsErasedScrub scrub = ks_erased_scrub_json (e, a->response, &scrubbed);

      if (scrub == KS_ERASED_UNCHANGED)
        continue;
      if (scrub == KS_ERASED_SCRUBBED)
        {
          st = ks_sqlite_stmt (store,
            "UPDATE idempotency SET response = ? WHERE user_id = ? AND key = ?", error);
          if (st == NULL)
            return FALSE;
          ks_bind_text (st, 1, scrubbed);
          sqlite3_bind_int64 (st, 2, a->user_id);
          ks_bind_text (st, 3, a->key);
        }
      else
        {
          /* Not JSON: nothing can be kept of it. */
          st = ks_sqlite_stmt (store, "DELETE FROM idempotency WHERE user_id = ? AND key = ?",
                               error);
          if (st == NULL)
            return FALSE;
          sqlite3_bind_int64 (st, 1, a->user_id);
          ks_bind_text (st, 2, a->key);
        }
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
      if (out_count != NULL)
        (*out_count)++;
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
  g_autoptr(GPtrArray) addresses = ks_erased_addresses (e);

  for (guint i = 0; i < addresses->len; i++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "DELETE FROM login_failures WHERE instr (lower (key), ?1) > 0 "
        "AND NOT EXISTS (SELECT 1 FROM users WHERE email = ?1)", error);
      if (st == NULL)
        return FALSE;
      ks_bind_text (st, 1, g_ptr_array_index (addresses, i));
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

/* The outbox files of the email records (matched by where) that are about to
 * lose their recipient. */
static gboolean
collect_email_files (KsStmt *st, GPtrArray *files, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    if (files != NULL && !ks_col_null (st, 0))
      g_ptr_array_add (files, g_strdup (ks_col_text (st, 0)));
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* Audit entries about a removed account stay (with its number), without what
 * they said of it (the address given when it was created, for one). */
static gboolean
scrub_audit_of_account (KsStore *store, KsErased *e, gint64 account_id, GError **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT id, details FROM audit_log WHERE object_type = 'user' AND object_id = ? "
      "AND details IS NOT NULL", error);
    int rc;

    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        gint64 id = ks_col_int (st, 0);
        g_array_append_val (ids, id);
        g_ptr_array_add (texts, g_strdup (ks_col_text (st, 1)));
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *scrubbed = NULL;
      g_autoptr(KsStmt) st = NULL;

      if (ks_erased_scrub_json (e, g_ptr_array_index (texts, i), &scrubbed) !=
          KS_ERASED_SCRUBBED)
        continue;
      st = ks_sqlite_stmt (store, "UPDATE audit_log SET details = ? WHERE id = ?", error);
      if (st == NULL)
        return FALSE;
      ks_bind_text (st, 1, scrubbed);
      sqlite3_bind_int64 (st, 2, g_array_index (ids, gint64, i));
      if (!ks_sqlite_step_done (st, error))
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
  g_autofree char *name = NULL, *email = NULL, *phone = NULL, *title = NULL, *detail = NULL;
  gboolean show_name, had_reporter;
  int updates = 0, emails = 0;
  gint64 seq;

  *out_changed = FALSE;
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT reporter_name, reporter_email, reporter_phone, show_name, title, detail "
      "FROM reports WHERE id = ?", error);
    int rc;

    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, report_id);
    rc = sqlite3_step (st);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                     "There is no report %" G_GINT64_FORMAT ". Check the number, or refresh "
                     "your list.", report_id);
        return FALSE;
      }
    if (rc != SQLITE_ROW)
      return ks_sqlite_stmt_fail (st, error);
    name = g_strdup (ks_col_text (st, 0));
    email = g_strdup (ks_col_text (st, 1));
    phone = g_strdup (ks_col_text (st, 2));
    show_name = ks_col_int (st, 3) != 0;
    title = g_strdup (ks_col_text (st, 4));
    detail = g_strdup (ks_col_text (st, 5));
  }
  had_reporter = name != NULL || email != NULL || phone != NULL || show_name;
  ks_erased_add (erased, name);
  ks_erased_add_address (erased, email);
  ks_erased_add (erased, phone);

  /* The reporter's own updates: no staff author, and their address or none. */
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT author_name, author_email FROM updates "
      "WHERE report_id = ?1 AND user_id IS NULL "
      "  AND (author_name IS NOT NULL OR author_email IS NOT NULL) "
      "  AND (author_email IS NULL OR author_email = ?2 COLLATE NOCASE)", error);
    int rc;

    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, report_id);
    ks_bind_text (st, 2, email);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        ks_erased_add (erased, ks_col_text (st, 0));
        ks_erased_add_address (erased, ks_col_text (st, 1));
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "UPDATE updates SET author_name = NULL, author_email = NULL "
      "WHERE report_id = ?1 AND user_id IS NULL "
      "  AND (author_name IS NOT NULL OR author_email IS NOT NULL) "
      "  AND (author_email IS NULL OR author_email = ?2 COLLATE NOCASE)", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, report_id);
    ks_bind_text (st, 2, email);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
    updates = ks_sqlite_changes (store);
  }

  /* The record of the emails about this report that went to the reporter. */
  if (email != NULL)
    {
      g_autoptr(KsStmt) files = ks_sqlite_stmt (store,
        "SELECT file FROM emails WHERE report_id = ? AND recipient = ? COLLATE NOCASE", error);
      g_autoptr(KsStmt) st = NULL;

      if (files == NULL)
        return FALSE;
      sqlite3_bind_int64 (files, 1, report_id);
      ks_bind_text (files, 2, email);
      if (!collect_email_files (files, counts ? counts->email_files : NULL, error))
        return FALSE;
      st = ks_sqlite_stmt (store,
        "UPDATE emails SET recipient = '' WHERE report_id = ? AND recipient = ? COLLATE NOCASE",
        error);
      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, report_id);
      ks_bind_text (st, 2, email);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
      emails = ks_sqlite_changes (store);
    }

  if (!had_reporter && updates == 0 && emails == 0)
    return TRUE;

  if ((seq = ks_store_next_seq (store, error)) < 0)
    return FALSE;
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "UPDATE reports SET reporter_name = NULL, reporter_email = NULL, reporter_phone = NULL, "
      "  show_name = 0, version = version + 1, updated = ?, seq = ? WHERE id = ?", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, ks_time_now ());
    sqlite3_bind_int64 (st, 2, seq);
    sqlite3_bind_int64 (st, 3, report_id);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
  }
  {
    /* The history keeps what changed that may be kept: not the personal data. */
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "INSERT INTO moderation (report_id, user_id, reason, created, old_title, new_title, "
      "  old_detail, new_detail, old_show_name, new_show_name, old_photo, photo_removed) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, 0)", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, report_id);
    ks_bind_id (st, 2, user_id);
    ks_bind_text (st, 3, reason ? reason : "");
    sqlite3_bind_int64 (st, 4, ks_time_now ());
    ks_bind_text (st, 5, title);
    ks_bind_text (st, 6, title);
    ks_bind_text (st, 7, detail);
    ks_bind_text (st, 8, detail);
    sqlite3_bind_int (st, 9, show_name ? 1 : 0);
    if (!ks_sqlite_step_done (st, error))
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
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT id, coalesce (body_id, 0), is_superuser FROM users WHERE email = ?", error);
  gboolean found;

  memset (out, 0, sizeof *out);
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, email);
  if (!ks_sqlite_step_row (st, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  out->id = ks_col_int (st, 0);
  out->body_id = ks_col_int (st, 1);
  out->is_superuser = ks_col_int (st, 2) != 0;
  return TRUE;
}

static gboolean
is_opted_out (KsStore *store, const char *address_hash, gboolean *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT 1 FROM email_optouts WHERE address_hash = ?", error);

  *out = FALSE;
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, address_hash);
  return ks_sqlite_step_row (st, out, error);
}

/* ---- terminating a person's data ---- */

/* Removes the staff account's name from everything it wrote or holds, then the
 * account itself (its sessions, roles, permissions, challenges and email codes go
 * with it). */
/* Gives every report whose synced fields name the account (shortlist_user,
 * acknowledged_by) or that it created a new sync sequence number, each its own, in
 * one statement. The updates it wrote are not part of what sync sends: their
 * reports keep their numbers. */
static gboolean
bump_reports_of_account (KsStore *store, gint64 account_id, GError **error)
{
  gint64 base = ks_store_current_seq (store, error);
  gint64 n;

  if (base < 0)
    return FALSE;
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "UPDATE reports SET seq = ?2 + n.k "
      "FROM (SELECT id, row_number () OVER (ORDER BY id) AS k FROM ("
      "        SELECT id FROM reports WHERE shortlist_user = ?1 "
      "        UNION SELECT id FROM reports WHERE created_by = ?1 "
      "        UNION SELECT id FROM reports WHERE acknowledged_by = ?1)) AS n "
      "WHERE reports.id = n.id", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    sqlite3_bind_int64 (st, 2, base);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
    n = ks_sqlite_changes (store);
  }
  if (n > 0)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "UPDATE meta SET value = value + ? WHERE key = 'seq'", error);
      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, n);
      if (!ks_sqlite_step_done (st, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
remove_account (KsStore *store, gint64 account_id, KsPrivacyTermination *out, GError **error)
{
  /* First, while the references still say which reports they are. */
  if (!bump_reports_of_account (store, account_id, error))
    return FALSE;
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "UPDATE updates SET user_id = NULL, author_name = NULL WHERE user_id = ?", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
    out->staff_updates = ks_sqlite_changes (store);
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "UPDATE reports SET shortlist_user = NULL, shortlist_pos = NULL WHERE shortlist_user = ?",
      error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
    out->shortlist_released = ks_sqlite_changes (store);
  }
  {
    static const char *const clears[] = {
      "UPDATE reports SET created_by = NULL WHERE created_by = ?",
      "UPDATE reports SET acknowledged_by = NULL WHERE acknowledged_by = ?",
      "UPDATE moderation SET user_id = NULL WHERE user_id = ?",
      "DELETE FROM idempotency WHERE user_id = ?",
    };
    for (guint i = 0; i < G_N_ELEMENTS (clears); i++)
      {
        g_autoptr(KsStmt) st = ks_sqlite_stmt (store, clears[i], error);
        if (st == NULL)
          return FALSE;
        sqlite3_bind_int64 (st, 1, account_id);
        if (!ks_sqlite_step_done (st, error))
          return FALSE;
      }
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT count(*) FROM sessions WHERE user_id = ? AND revoked = 0 AND expires > ?", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    sqlite3_bind_int64 (st, 2, ks_time_now ());
    if (sqlite3_step (st) != SQLITE_ROW)
      return ks_sqlite_stmt_fail (st, error);
    out->sessions = ks_col_int (st, 0);
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store, "DELETE FROM users WHERE id = ?", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
    out->account_removed = ks_sqlite_changes (store) == 1;
  }
  return TRUE;
}

static gboolean
terminate_one (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
               gint64 user_id, const char *reason, KsPrivacyTermination *out,
               KsErased *erased, GError **error)
{
  g_autoptr(GArray) reports = NULL;
  g_autoptr(GArray) others = NULL;

  ks_erased_add_address (erased, email);

  /* Their reports. */
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT id FROM reports WHERE reporter_email = ?1 COLLATE NOCASE "
      "AND (?2 = 0 OR body_id = ?2) ORDER BY id", error);
    if (st == NULL)
      return FALSE;
    ks_bind_text (st, 1, email);
    sqlite3_bind_int64 (st, 2, body_id);
    if (!ks_sqlite_collect_ids (st, &reports, error))
      return FALSE;
  }
  for (guint i = 0; i < reports->len; i++)
    {
      gboolean changed = FALSE;
      if (!anonymise_one (store, g_array_index (reports, gint64, i), user_id, reason,
                          &changed, &out->anonymised, erased, error))
        return FALSE;
    }

  /* Their updates on other people's reports. */
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT DISTINCT u.report_id FROM updates u JOIN reports r ON r.id = u.report_id "
      "WHERE u.author_email = ?1 COLLATE NOCASE AND u.user_id IS NULL "
      "AND (?2 = 0 OR r.body_id = ?2) ORDER BY u.report_id", error);
    if (st == NULL)
      return FALSE;
    ks_bind_text (st, 1, email);
    sqlite3_bind_int64 (st, 2, body_id);
    if (!ks_sqlite_collect_ids (st, &others, error))
      return FALSE;
  }
  if (others->len > 0)
    {
      g_autoptr(KsStmt) names = ks_sqlite_stmt (store,
        "SELECT author_name FROM updates "
        "WHERE author_email = ?1 COLLATE NOCASE AND user_id IS NULL AND report_id = ?2", error);
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "UPDATE updates SET author_name = NULL, author_email = NULL "
        "WHERE author_email = ?1 COLLATE NOCASE AND user_id IS NULL AND report_id = ?2", error);
      if (st == NULL || names == NULL)
        return FALSE;
      for (guint i = 0; i < others->len; i++)
        {
          gint64 id = g_array_index (others, gint64, i);
          int rc;

          sqlite3_reset (names);
          ks_bind_text (names, 1, email);
          sqlite3_bind_int64 (names, 2, id);
          while ((rc = sqlite3_step (names)) == SQLITE_ROW)
            ks_erased_add (erased, ks_col_text (names, 0));
          if (rc != SQLITE_DONE)
            return ks_sqlite_stmt_fail (names, error);

          sqlite3_reset (st);
          ks_bind_text (st, 1, email);
          sqlite3_bind_int64 (st, 2, id);
          if (!ks_sqlite_step_done (st, error))
            return FALSE;
          out->anonymised.updates += ks_sqlite_changes (store);
          if (!bump_report (store, id, error))
            return FALSE;
        }
    }

  /* The record of the emails sent to them, and the files. */
  {
    g_autoptr(KsStmt) files = ks_sqlite_stmt (store,
      "SELECT e.file FROM emails AS e WHERE " EMAILS_IN_SCOPE, error);
    g_autoptr(KsStmt) st = NULL;

    if (files == NULL)
      return FALSE;
    ks_bind_text (files, 1, email);
    sqlite3_bind_int64 (files, 2, body_id);
    sqlite3_bind_int64 (files, 3, account_id);
    if (!collect_email_files (files, out->anonymised.email_files, error))
      return FALSE;
    st = ks_sqlite_stmt (store, "UPDATE emails AS e SET recipient = '' WHERE " EMAILS_IN_SCOPE,
                         error);
    if (st == NULL)
      return FALSE;
    ks_bind_text (st, 1, email);
    sqlite3_bind_int64 (st, 2, body_id);
    sqlite3_bind_int64 (st, 3, account_id);
    if (!ks_sqlite_step_done (st, error))
      return FALSE;
    out->anonymised.emails += ks_sqlite_changes (store);
  }

  if (account_id != 0)
    {
      {
        g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
          "SELECT name, phone, email FROM users WHERE id = ?", error);
        gboolean found;

        if (st == NULL)
          return FALSE;
        sqlite3_bind_int64 (st, 1, account_id);
        if (!ks_sqlite_step_row (st, &found, error))
          return FALSE;
        if (found)
          {
            ks_erased_add (erased, ks_col_text (st, 0));
            ks_erased_add (erased, ks_col_text (st, 1));
            ks_erased_add_address (erased, ks_col_text (st, 2));
          }
      }
      if (!remove_account (store, account_id, out, error))
        return FALSE;
      {
        g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
          "DELETE FROM login_failures WHERE scope = 'account' AND key = lower (?)", error);
        if (st == NULL)
          return FALSE;
        ks_bind_text (st, 1, email);
        if (!ks_sqlite_step_done (st, error))
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

/* After an erasure: the WAL into the database file, and the WAL truncated.
 * Readers still on an older snapshot are waited for (busy_timeout). */
static gboolean
purge_old_copies (KsStore *store, GError **error)
{
  sqlite3_stmt *st = ks_sqlite_prepare (store, "PRAGMA wal_checkpoint (TRUNCATE)", error);
  int rc;

  if (st == NULL)
    return FALSE;
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW && sqlite3_column_int (st, 0) != 0)
    {
      sqlite3_finalize (st);
      g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
                   "The database is busy: the old copies of erased data leave the "
                   "write-ahead log at its next checkpoint.");
      return FALSE;
    }
  sqlite3_finalize (st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ks_sqlite_fail (ks_sqlite_db (store, NULL), error);
  return TRUE;
}

/* ---- email opt-outs ---- */

static gboolean
add_optout_token (KsStore *store, const char *token_hash, const char *address_hash,
                  GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT OR IGNORE INTO email_optout_tokens (token_hash, address_hash, created) "
    "VALUES (?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, token_hash);
  ks_bind_text (st, 2, address_hash);
  sqlite3_bind_int64 (st, 3, ks_time_now ());
  return ks_sqlite_step_done (st, error);
}

static gboolean
optout_by_token (KsStore *store, const char *token_hash, gboolean *found, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT OR IGNORE INTO email_optouts (address_hash, created) "
    "SELECT address_hash, ?2 FROM email_optout_tokens WHERE token_hash = ?1", error);
  g_autoptr(KsStmt) known = NULL;

  *found = FALSE;
  if (st == NULL)
    return FALSE;
  ks_bind_text (st, 1, token_hash);
  sqlite3_bind_int64 (st, 2, ks_time_now ());
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  known = ks_sqlite_stmt (store, "SELECT 1 FROM email_optout_tokens WHERE token_hash = ?", error);
  if (known == NULL)
    return FALSE;
  ks_bind_text (known, 1, token_hash);
  return ks_sqlite_step_row (known, found, error);
}

void
ks_sqlite_store_privacy_init (KsStorePrivacyVTable *vtable)
{
  vtable->anonymise_report = anonymise_report;
  vtable->find_account = find_account;
  vtable->get_person = ks_sqlite_privacy_get_person;
  vtable->terminate_person = terminate_person;
  vtable->foreach_research_row = ks_sqlite_privacy_foreach_research_row;
  vtable->add_optout_token = add_optout_token;
  vtable->optout_by_token = optout_by_token;
  vtable->is_opted_out = is_opted_out;
  vtable->purge_old_copies = purge_old_copies;
}

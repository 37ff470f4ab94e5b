/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-store-person.c: the right of access in SQLite: everything held about
 * one person (their staff account, reports, updates, moderation, Open311 media,
 * emails and audit entries), read into a KsPersonData. */
#define G_LOG_DOMAIN "ks-sqlite-store"

#include "sqlite/ks-sqlite-store-private.h"
#include "sqlite/ks-sqlite-privacy-private.h"
#include "store/ks-store.h"

#define TEXT(i) ks_person_data_string (out, ks_col_text (st, (i)))

/* The updates the person wrote: as a resident (their address, or no address on
 * their own report) or with their staff account (?3). */
#define MINE \
  "WITH mine (id) AS (" \
  "  SELECT u.id FROM updates u WHERE u.author_email = ?1 COLLATE NOCASE AND u.user_id IS NULL " \
  "  UNION " \
  "  SELECT u.id FROM reports r JOIN updates u ON u.report_id = r.id " \
  "  WHERE r.reporter_email = ?1 COLLATE NOCASE AND u.user_id IS NULL AND u.author_email IS NULL " \
  "  UNION " \
  "  SELECT u.id FROM updates u WHERE u.user_id = ?3) "

/* -1 for NULL, else 0 or 1. */
static int
col_tristate (sqlite3_stmt *st, int i)
{
  return ks_col_null (st, i) ? -1 : ks_col_int (st, i) != 0;
}

/* Binds who is asked about: ?1 the email, ?2 the council (0: every council), and
 * ?3 their staff account (0: none) in the statements that name it. */
static void
bind_person (sqlite3_stmt *st, const char *email, gint64 body_id, gint64 account_id)
{
  ks_bind_text (st, 1, email);
  sqlite3_bind_int64 (st, 2, body_id);
  if (sqlite3_bind_parameter_count (st) >= 3)
    sqlite3_bind_int64 (st, 3, account_id);
}

static gboolean
read_account (KsStore *store, gint64 account_id, const char *email, KsPersonData *out,
              GError **error)
{
  int rc;

  if (account_id == 0)
    return TRUE;
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT u.id, u.body_id, b.name, u.email, u.name, u.phone, u.is_superuser, u.active, "
      "       u.totp_enabled, u.created, u.updated, u.last_login "
      "FROM users u LEFT JOIN bodies b ON b.id = u.body_id WHERE u.id = ?", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    rc = sqlite3_step (st);
    if (rc == SQLITE_DONE)
      return TRUE;
    if (rc != SQLITE_ROW)
      return ks_sqlite_stmt_fail (st, error);
    out->has_account = TRUE;
    out->account = (KsPersonAccount) {
      .id = ks_col_int (st, 0),
      .has_body_id = !ks_col_null (st, 1),
      .body_id = ks_col_int (st, 1),
      .council = TEXT (2),
      .email = TEXT (3),
      .name = TEXT (4),
      .phone = TEXT (5),
      .is_superuser = ks_col_int (st, 6) != 0,
      .active = ks_col_int (st, 7) != 0,
      .totp_enabled = ks_col_int (st, 8) != 0,
      .created = ks_col_int (st, 9),
      .updated = ks_col_int (st, 10),
      .last_login = ks_col_int (st, 11),
    };
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id "
      "WHERE ur.user_id = ? ORDER BY r.name", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        KsPersonRole role = { ks_col_int (st, 0), TEXT (1) };
        g_array_append_val (out->roles, role);
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT permission FROM user_permissions WHERE user_id = ? ORDER BY permission", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        const char *permission = TEXT (0);
        g_array_append_val (out->permissions, permission);
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }
  {
    /* Never the token hashes. */
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT id, created, last_used, expires, address, user_agent, revoked "
      "FROM sessions WHERE user_id = ? ORDER BY id", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        KsSessionRow session = {
          .id = ks_col_int (st, 0),
          .created = ks_col_int (st, 1),
          .last_used = ks_col_int (st, 2),
          .expires = ks_col_int (st, 3),
          .address = TEXT (4),
          .user_agent = TEXT (5),
          .revoked = ks_col_int (st, 6) != 0,
        };
        g_array_append_val (out->sessions, session);
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT id FROM reports WHERE shortlist_user = ? ORDER BY shortlist_pos, id", error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64 (st, 1, account_id);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        gint64 id = ks_col_int (st, 0);
        g_array_append_val (out->shortlist, id);
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }
  {
    g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
      "SELECT at FROM login_failures WHERE scope = 'account' AND key = lower (?) ORDER BY at",
      error);
    if (st == NULL)
      return FALSE;
    ks_bind_text (st, 1, email);
    while ((rc = sqlite3_step (st)) == SQLITE_ROW)
      {
        gint64 at = ks_col_int (st, 0);
        g_array_append_val (out->failed_sign_ins, at);
      }
    if (rc != SQLITE_DONE)
      return ks_sqlite_stmt_fail (st, error);
  }
  return TRUE;
}

static gboolean
read_attributes (KsStore *store, gint64 report_id, KsPersonData *out, KsPersonReport *report,
                 GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT code, value FROM report_attributes WHERE report_id = ? ORDER BY position", error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, report_id);
  report->first_attribute = out->attributes->len;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPersonAttribute attribute = { TEXT (0), TEXT (1) };
      g_array_append_val (out->attributes, attribute);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  report->n_attributes = out->attributes->len - report->first_attribute;
  return TRUE;
}

static gboolean
read_reports (KsStore *store, const char *email, gint64 body_id, KsPersonData *out,
              GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT r.id, r.body_id, b.name, r.category_id, c.name, r.title, r.detail, r.lat, r.lon, "
    "       r.ward, r.address, r.state, r.priority_id, r.reporter_name, r.reporter_email, "
    "       r.reporter_phone, r.show_name, r.photo, r.source, r.external_id, r.created, "
    "       r.confirmed, r.updated, r.acknowledged, r.version "
    "FROM reports r JOIN bodies b ON b.id = r.body_id JOIN categories c ON c.id = r.category_id "
    "WHERE r.reporter_email = ?1 COLLATE NOCASE AND (?2 = 0 OR r.body_id = ?2) ORDER BY r.id",
    error);
  int rc;

  if (st == NULL)
    return FALSE;
  bind_person (st, email, body_id, 0);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPersonReport report = {
        .id = ks_col_int (st, 0),
        .body_id = ks_col_int (st, 1),
        .council = TEXT (2),
        .category_id = ks_col_int (st, 3),
        .category = TEXT (4),
        .title = TEXT (5),
        .detail = TEXT (6),
        .lat = ks_col_double (st, 7),
        .lon = ks_col_double (st, 8),
        .ward = TEXT (9),
        .address = TEXT (10),
        .state = TEXT (11),
        .has_priority_id = !ks_col_null (st, 12),
        .priority_id = ks_col_int (st, 12),
        .reporter_name = TEXT (13),
        .reporter_email = TEXT (14),
        .reporter_phone = TEXT (15),
        .show_name = ks_col_int (st, 16) != 0,
        .photo = TEXT (17),
        .source = TEXT (18),
        .external_id = TEXT (19),
        .created = ks_col_int (st, 20),
        .confirmed = ks_col_int (st, 21),
        .updated = ks_col_int (st, 22),
        .acknowledged = ks_col_int (st, 23),
        .version = ks_col_int (st, 24),
      };
      if (!read_attributes (store, report.id, out, &report, error))
        return FALSE;
      g_array_append_val (out->reports, report);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
read_updates (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
              KsPersonData *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    MINE
    "SELECT u.id, u.report_id, u.kind, u.text, u.state, u.public, u.source, u.author_name, "
    "       u.author_email, u.user_id, u.photo, u.created "
    "FROM mine JOIN updates u ON u.id = mine.id JOIN reports r ON r.id = u.report_id "
    "WHERE (?2 = 0 OR r.body_id = ?2) ORDER BY u.created, u.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  bind_person (st, email, body_id, account_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPersonUpdate update = {
        .id = ks_col_int (st, 0),
        .report_id = ks_col_int (st, 1),
        .by_staff = !ks_col_null (st, 9),
        .kind = TEXT (2),
        .text = TEXT (3),
        .state = TEXT (4),
        .is_public = ks_col_int (st, 5) != 0,
        .source = TEXT (6),
        .author_name = TEXT (7),
        .author_email = TEXT (8),
        .photo = TEXT (10),
        .created = ks_col_int (st, 11),
      };
      g_array_append_val (out->updates, update);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* Their answers that corrections of their reports replaced or dropped, in the
 * order of the reports (by id), then of the corrections; each report's run noted
 * in it. Who corrected is not their data. */
static gboolean
read_previous_answers (KsStore *store, const char *email, gint64 body_id, KsPersonData *out,
                       GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT u.report_id, h.update_id, u.created, h.code, h.value "
    "FROM reports r JOIN updates u ON u.report_id = r.id "
    "JOIN attribute_history h ON h.update_id = u.id "
    "WHERE r.reporter_email = ?1 COLLATE NOCASE AND (?2 = 0 OR r.body_id = ?2) "
    "ORDER BY u.report_id, u.created, h.update_id, h.position", error);
  guint report = 0;
  int rc;

  if (st == NULL)
    return FALSE;
  bind_person (st, email, body_id, 0);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 report_id = ks_col_int (st, 0);
      KsPersonPreviousAnswer answer = {
        .update_id = ks_col_int (st, 1),
        .changed = ks_col_int (st, 2),
        .code = TEXT (3),
        .value = TEXT (4),
      };
      KsPersonReport *r = NULL;

      /* Both lists are by report id: walk to this row's report. */
      for (; report < out->reports->len; report++)
        {
          r = &g_array_index (out->reports, KsPersonReport, report);
          if (r->id >= report_id)
            break;
        }
      if (report >= out->reports->len || r->id != report_id)
        continue;
      if (r->n_previous == 0)
        r->first_previous = out->previous_answers->len;
      g_array_append_val (out->previous_answers, answer);
      r->n_previous++;
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* The moderation history of their reports, and of the updates they wrote (their
 * words before and after). Who moderated is not their data. */
static gboolean
read_moderation (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
                 KsPersonData *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    MINE
    "SELECT m.id, m.report_id, m.reason, m.created, m.old_title, m.new_title, m.old_detail, "
    "       m.new_detail, m.old_show_name, m.new_show_name, m.old_photo, m.photo_removed, "
    "       m.update_id, m.action, m.old_text, m.new_text, m.old_hidden, m.new_hidden "
    "FROM moderation m JOIN reports r ON r.id = m.report_id "
    "WHERE (?2 = 0 OR r.body_id = ?2) AND "
    "  ((m.update_id IS NULL AND r.reporter_email = ?1 COLLATE NOCASE) OR "
    "   m.update_id IN (SELECT id FROM mine)) ORDER BY m.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  bind_person (st, email, body_id, account_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsModerationRow m = {
        .id = ks_col_int (st, 0),
        .report_id = ks_col_int (st, 1),
        .reason = TEXT (2),
        .created = ks_col_int (st, 3),
        .old_title = TEXT (4),
        .new_title = TEXT (5),
        .old_detail = TEXT (6),
        .new_detail = TEXT (7),
        .old_show_name = ks_col_int (st, 8) != 0,
        .new_show_name = ks_col_int (st, 9) != 0,
        .old_photo = TEXT (10),
        .photo_removed = ks_col_int (st, 11) != 0,
        .update_id = ks_col_int (st, 12),
        .action = TEXT (13),
        .old_text = TEXT (14),
        .new_text = TEXT (15),
        .old_hidden = col_tristate (st, 16),
        .new_hidden = col_tristate (st, 17),
      };
      g_array_append_val (out->moderation, m);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* The media URLs Open311 clients sent with their reports and with the updates
 * they wrote (another resident's photos on their report are that person's). */
static gboolean
read_media (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
            KsPersonData *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    MINE
    "SELECT m.report_id, m.update_id, m.url "
    "FROM open311_media m JOIN reports r ON r.id = m.report_id "
    "WHERE (?2 = 0 OR r.body_id = ?2) AND "
    "  ((m.update_id IS NULL AND r.reporter_email = ?1 COLLATE NOCASE) OR "
    "   m.update_id IN (SELECT id FROM mine)) "
    "ORDER BY m.report_id, m.update_id IS NOT NULL, m.update_id, m.position", error);
  int rc;

  if (st == NULL)
    return FALSE;
  bind_person (st, email, body_id, account_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPersonMedia media = {
        .report_id = ks_col_int (st, 0),
        .update_id = ks_col_int (st, 1),
        .url = TEXT (2),
      };
      g_array_append_val (out->media, media);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

static gboolean
read_emails (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
             KsPersonData *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT e.id, e.recipient, e.subject, e.file, e.report_id, e.created FROM emails e "
    "WHERE " EMAILS_IN_SCOPE " ORDER BY e.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  bind_person (st, email, body_id, account_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPersonEmail e = {
        .id = ks_col_int (st, 0),
        .recipient = TEXT (1),
        .subject = TEXT (2),
        .file = TEXT (3),
        .has_report_id = !ks_col_null (st, 4),
        .report_id = ks_col_int (st, 4),
        .created = ks_col_int (st, 5),
      };
      g_array_append_val (out->emails, e);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

/* Audit entries by the account or about it, and about the person's reports. */
static gboolean
read_audit (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
            KsPersonData *out, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "SELECT a.id, a.at, a.user_id, a.body_id, a.action, a.object_type, a.object_id, "
    "       a.address, a.details FROM audit_log a WHERE a.id IN ("
    "  SELECT id FROM audit_log WHERE user_id = ?3 "
    "  UNION SELECT id FROM audit_log WHERE object_type = 'user' AND object_id = ?3 "
    "  UNION SELECT a2.id FROM reports r JOIN audit_log a2 "
    "    ON a2.object_type = 'report' AND a2.object_id = r.id "
    "    WHERE r.reporter_email = ?1 COLLATE NOCASE) "
    "AND (?2 = 0 OR a.body_id = ?2) ORDER BY a.id", error);
  int rc;

  if (st == NULL)
    return FALSE;
  bind_person (st, email, body_id, account_id);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      KsPersonAudit a = {
        .id = ks_col_int (st, 0),
        .at = ks_col_int (st, 1),
        .user_id = ks_col_int (st, 2),
        .has_body_id = !ks_col_null (st, 3),
        .body_id = ks_col_int (st, 3),
        .action = TEXT (4),
        .object_type = TEXT (5),
        .has_object_id = !ks_col_null (st, 6),
        .object_id = ks_col_int (st, 6),
        .address = TEXT (7),
        .details = TEXT (8),
      };
      g_array_append_val (out->audit, a);
    }
  if (rc != SQLITE_DONE)
    return ks_sqlite_stmt_fail (st, error);
  return TRUE;
}

gboolean
ks_sqlite_privacy_get_person (KsStore      *store,
                              const char   *email,
                              gint64        body_id,
                              gint64        account_id,
                              KsPersonData *out,
                              GError      **error)
{
  g_autofree char *hash = ks_privacy_address_hash (email);

  return ks_store_privacy_is_opted_out (store, hash, &out->email_opt_out, error) &&
         read_account (store, account_id, email, out, error) &&
         read_reports (store, email, body_id, out, error) &&
         read_updates (store, email, body_id, account_id, out, error) &&
         read_previous_answers (store, email, body_id, out, error) &&
         read_moderation (store, email, body_id, account_id, out, error) &&
         read_media (store, email, body_id, account_id, out, error) &&
         read_emails (store, email, body_id, account_id, out, error) &&
         read_audit (store, email, body_id, account_id, out, error);
}

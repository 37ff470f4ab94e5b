/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-person.c: the right of access in PostgreSQL: everything held about
 * one person (their staff account, reports, updates, moderation, Open311 media,
 * emails and audit entries), read into a KsPersonData, in the same order as on SQLite. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-privacy-private.h"

#define TEXT(i) ks_person_data_string (out, ks_pg_text (res, row, (i)))

/* The updates the person wrote: as a resident (their address, or no address on
 * their own report) or with their staff account ($3). */
#define MINE \
  "WITH mine (id) AS (" \
  "  SELECT u.id FROM updates u " \
  "  WHERE lower (u.author_email) = lower ($1::text COLLATE \"C\") AND u.user_id IS NULL " \
  "  UNION " \
  "  SELECT u.id FROM reports r JOIN updates u ON u.report_id = r.id " \
  "  WHERE lower (r.reporter_email) = lower ($1::text COLLATE \"C\") AND u.user_id IS NULL " \
  "    AND u.author_email IS NULL " \
  "  UNION " \
  "  SELECT u.id FROM updates u WHERE u.user_id = $3) "

/* -1 for NULL, else 0 or 1. */
static int
pg_tristate (PGresult *res, int row, int col)
{
  return ks_pg_null (res, row, col) ? -1 : ks_pg_int (res, row, col) != 0;
}

/* Runs stmt about who is asked about: $1 the email, $2 the council (0: every
 * council), and $3 their staff account (0: none) in the statements that name it. */
static PGresult *
query_person (KsStore *store, const KsPgStatement *stmt, const char *email, gint64 body_id,
              gint64 account_id, gboolean with_account, GError **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_text (&args, email);
  ks_pg_args_int (&args, body_id);
  if (with_account)
    ks_pg_args_int (&args, account_id);
  return ks_pg_store_query (store, stmt, &args, error);
}

/* Runs stmt with one integer parameter (an account or report id). */
static PGresult *
query_by_id (KsStore *store, const KsPgStatement *stmt, gint64 id, GError **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, id);
  return ks_pg_store_query (store, stmt, &args, error);
}

static gboolean
read_account (KsStore *store, gint64 account_id, const char *email, KsPersonData *out,
              GError **error)
{
  static const KsPgStatement account = { "person_account",
    "SELECT u.id, u.body_id, b.name, u.email, u.name, u.phone, u.is_superuser, u.active, "
    "       u.totp_enabled, u.created, u.updated, u.last_login "
    "FROM users u LEFT JOIN bodies b ON b.id = u.body_id WHERE u.id = $1" };
  static const KsPgStatement roles = { "person_roles",
    "SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id "
    "WHERE ur.user_id = $1 ORDER BY r.name" };
  static const KsPgStatement permissions = { "person_permissions",
    "SELECT permission FROM user_permissions WHERE user_id = $1 ORDER BY permission" };
  /* Never the token hashes. */
  static const KsPgStatement sessions = { "person_sessions",
    "SELECT id, created, last_used, expires, address, user_agent, revoked "
    "FROM sessions WHERE user_id = $1 ORDER BY id" };
  static const KsPgStatement shortlist = { "person_shortlist",
    "SELECT id FROM reports WHERE shortlist_user = $1 ORDER BY shortlist_pos, id" };
  static const KsPgStatement failures = { "person_failed_sign_ins",
    "SELECT at FROM login_failures WHERE scope = 'account' "
    "AND key = lower ($1::text COLLATE \"C\") ORDER BY at" };

  if (account_id == 0)
    return TRUE;
  {
    g_autoptr(PGresult) res = query_by_id (store, &account, account_id, error);
    int row = 0;

    if (res == NULL)
      return FALSE;
    if (PQntuples (res) == 0)
      return TRUE;
    out->has_account = TRUE;
    out->account = (KsPersonAccount) {
      .id = ks_pg_int (res, row, 0),
      .has_body_id = !ks_pg_null (res, row, 1),
      .body_id = ks_pg_int (res, row, 1),
      .council = TEXT (2),
      .email = TEXT (3),
      .name = TEXT (4),
      .phone = TEXT (5),
      .is_superuser = ks_pg_int (res, row, 6) != 0,
      .active = ks_pg_int (res, row, 7) != 0,
      .totp_enabled = ks_pg_int (res, row, 8) != 0,
      .created = ks_pg_int (res, row, 9),
      .updated = ks_pg_int (res, row, 10),
      .last_login = ks_pg_int (res, row, 11),
    };
  }
  {
    g_autoptr(PGresult) res = query_by_id (store, &roles, account_id, error);

    if (res == NULL)
      return FALSE;
    for (int row = 0; row < PQntuples (res); row++)
      {
        KsPersonRole role = { ks_pg_int (res, row, 0), TEXT (1) };
        g_array_append_val (out->roles, role);
      }
  }
  {
    g_autoptr(PGresult) res = query_by_id (store, &permissions, account_id, error);

    if (res == NULL)
      return FALSE;
    for (int row = 0; row < PQntuples (res); row++)
      {
        const char *permission = TEXT (0);
        g_array_append_val (out->permissions, permission);
      }
  }
  {
    g_autoptr(PGresult) res = query_by_id (store, &sessions, account_id, error);

    if (res == NULL)
      return FALSE;
    for (int row = 0; row < PQntuples (res); row++)
      {
        KsSessionRow session = {
          .id = ks_pg_int (res, row, 0),
          .created = ks_pg_int (res, row, 1),
          .last_used = ks_pg_int (res, row, 2),
          .expires = ks_pg_int (res, row, 3),
          .address = TEXT (4),
          .user_agent = TEXT (5),
          .revoked = ks_pg_int (res, row, 6) != 0,
        };
        g_array_append_val (out->sessions, session);
      }
  }
  {
    g_autoptr(PGresult) res = query_by_id (store, &shortlist, account_id, error);

    if (res == NULL)
      return FALSE;
    for (int row = 0; row < PQntuples (res); row++)
      {
        gint64 id = ks_pg_int (res, row, 0);
        g_array_append_val (out->shortlist, id);
      }
  }
  {
    g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
    g_autoptr(PGresult) res = NULL;

    ks_pg_args_text (&args, email);
    res = ks_pg_store_query (store, &failures, &args, error);
    if (res == NULL)
      return FALSE;
    for (int row = 0; row < PQntuples (res); row++)
      {
        gint64 at = ks_pg_int (res, row, 0);
        g_array_append_val (out->failed_sign_ins, at);
      }
  }
  return TRUE;
}

/* The answers to the extra questions of the person's reports, in the order of
 * the reports (by id) and of the answers, each report's run noted in it. */
static gboolean
read_attributes (KsStore *store, const char *email, gint64 body_id, KsPersonData *out,
                 GError **error)
{
  static const KsPgStatement stmt = { "person_attributes",
    "SELECT a.report_id, a.code, a.value FROM reports r "
    "JOIN report_attributes a ON a.report_id = r.id "
    "WHERE lower (r.reporter_email) = lower ($1::text COLLATE \"C\") "
    "AND ($2::bigint = 0 OR r.body_id = $2) ORDER BY a.report_id, a.position" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, 0, FALSE, error);
  int row = 0;

  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < out->reports->len; i++)
    {
      KsPersonReport *report = &g_array_index (out->reports, KsPersonReport, i);

      report->first_attribute = out->attributes->len;
      for (; row < PQntuples (res) && ks_pg_int (res, row, 0) == report->id; row++)
        {
          KsPersonAttribute attribute = { TEXT (1), TEXT (2) };
          g_array_append_val (out->attributes, attribute);
        }
      report->n_attributes = out->attributes->len - report->first_attribute;
    }
  return TRUE;
}

static gboolean
read_reports (KsStore *store, const char *email, gint64 body_id, KsPersonData *out,
              GError **error)
{
  static const KsPgStatement stmt = { "person_reports",
    "SELECT r.id, r.body_id, b.name, r.category_id, c.name, r.title, r.detail, r.lat, r.lon, "
    "       r.ward, r.address, r.state, r.priority_id, r.reporter_name, r.reporter_email, "
    "       r.reporter_phone, r.show_name, r.photo, r.source, r.external_id, r.created, "
    "       r.confirmed, r.updated, r.acknowledged, r.version "
    "FROM reports r JOIN bodies b ON b.id = r.body_id JOIN categories c ON c.id = r.category_id "
    "WHERE lower (r.reporter_email) = lower ($1::text COLLATE \"C\") "
    "AND ($2::bigint = 0 OR r.body_id = $2) ORDER BY r.id" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, 0, FALSE, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      KsPersonReport report = {
        .id = ks_pg_int (res, row, 0),
        .body_id = ks_pg_int (res, row, 1),
        .council = TEXT (2),
        .category_id = ks_pg_int (res, row, 3),
        .category = TEXT (4),
        .title = TEXT (5),
        .detail = TEXT (6),
        .lat = ks_pg_double (res, row, 7),
        .lon = ks_pg_double (res, row, 8),
        .ward = TEXT (9),
        .address = TEXT (10),
        .state = TEXT (11),
        .has_priority_id = !ks_pg_null (res, row, 12),
        .priority_id = ks_pg_int (res, row, 12),
        .reporter_name = TEXT (13),
        .reporter_email = TEXT (14),
        .reporter_phone = TEXT (15),
        .show_name = ks_pg_int (res, row, 16) != 0,
        .photo = TEXT (17),
        .source = TEXT (18),
        .external_id = TEXT (19),
        .created = ks_pg_int (res, row, 20),
        .confirmed = ks_pg_int (res, row, 21),
        .updated = ks_pg_int (res, row, 22),
        .acknowledged = ks_pg_int (res, row, 23),
        .version = ks_pg_int (res, row, 24),
      };
      g_array_append_val (out->reports, report);
    }
  return read_attributes (store, email, body_id, out, error);
}

static gboolean
read_updates (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
              KsPersonData *out, GError **error)
{
  static const KsPgStatement stmt = { "person_updates",
    MINE
    "SELECT u.id, u.report_id, u.kind, u.text, u.state, u.public, u.source, u.author_name, "
    "       u.author_email, u.user_id, u.photo, u.created "
    "FROM mine JOIN updates u ON u.id = mine.id JOIN reports r ON r.id = u.report_id "
    "WHERE ($2::bigint = 0 OR r.body_id = $2) ORDER BY u.created, u.id" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, account_id, TRUE, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      KsPersonUpdate update = {
        .id = ks_pg_int (res, row, 0),
        .report_id = ks_pg_int (res, row, 1),
        .by_staff = !ks_pg_null (res, row, 9),
        .kind = TEXT (2),
        .text = TEXT (3),
        .state = TEXT (4),
        .is_public = ks_pg_int (res, row, 5) != 0,
        .source = TEXT (6),
        .author_name = TEXT (7),
        .author_email = TEXT (8),
        .photo = TEXT (10),
        .created = ks_pg_int (res, row, 11),
      };
      g_array_append_val (out->updates, update);
    }
  return TRUE;
}

/* Their answers that corrections of their reports replaced or dropped, in the
 * order of the reports (by id), then of the corrections; each report's run noted
 * in it. Who corrected is not their data. */
static gboolean
read_previous_answers (KsStore *store, const char *email, gint64 body_id, KsPersonData *out,
                       GError **error)
{
  static const KsPgStatement stmt = { "person_previous_answers",
    "SELECT u.report_id, h.update_id, u.created, h.code, h.value "
    "FROM reports r JOIN updates u ON u.report_id = r.id "
    "JOIN attribute_history h ON h.update_id = u.id "
    "WHERE lower (r.reporter_email) = lower ($1::text COLLATE \"C\") "
    "AND ($2::bigint = 0 OR r.body_id = $2) "
    "ORDER BY u.report_id, u.created, h.update_id, h.position" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, 0, FALSE, error);
  int row = 0;

  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < out->reports->len; i++)
    {
      KsPersonReport *report = &g_array_index (out->reports, KsPersonReport, i);

      report->first_previous = out->previous_answers->len;
      for (; row < PQntuples (res) && ks_pg_int (res, row, 0) == report->id; row++)
        {
          KsPersonPreviousAnswer answer = {
            .update_id = ks_pg_int (res, row, 1),
            .changed = ks_pg_int (res, row, 2),
            .code = TEXT (3),
            .value = TEXT (4),
          };
          g_array_append_val (out->previous_answers, answer);
        }
      report->n_previous = out->previous_answers->len - report->first_previous;
    }
  return TRUE;
}

/* The moderation history of their reports, and of the updates they wrote (their
 * words before and after). Who moderated is not their data. */
static gboolean
read_moderation (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
                 KsPersonData *out, GError **error)
{
  static const KsPgStatement stmt = { "person_moderation",
    MINE
    "SELECT m.id, m.report_id, m.reason, m.created, m.old_title, m.new_title, m.old_detail, "
    "       m.new_detail, m.old_show_name, m.new_show_name, m.old_photo, m.photo_removed, "
    "       m.update_id, m.action, m.old_text, m.new_text, m.old_hidden, m.new_hidden "
    "FROM moderation m JOIN reports r ON r.id = m.report_id "
    "WHERE ($2::bigint = 0 OR r.body_id = $2) AND "
    "  ((m.update_id IS NULL AND lower (r.reporter_email) = lower ($1::text COLLATE \"C\")) OR "
    "   m.update_id IN (SELECT id FROM mine)) ORDER BY m.id" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, account_id, TRUE, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      KsModerationRow m = {
        .id = ks_pg_int (res, row, 0),
        .report_id = ks_pg_int (res, row, 1),
        .reason = TEXT (2),
        .created = ks_pg_int (res, row, 3),
        .old_title = TEXT (4),
        .new_title = TEXT (5),
        .old_detail = TEXT (6),
        .new_detail = TEXT (7),
        .old_show_name = ks_pg_int (res, row, 8) != 0,
        .new_show_name = ks_pg_int (res, row, 9) != 0,
        .old_photo = TEXT (10),
        .photo_removed = ks_pg_int (res, row, 11) != 0,
        .update_id = ks_pg_int (res, row, 12),
        .action = TEXT (13),
        .old_text = TEXT (14),
        .new_text = TEXT (15),
        .old_hidden = pg_tristate (res, row, 16),
        .new_hidden = pg_tristate (res, row, 17),
      };
      g_array_append_val (out->moderation, m);
    }
  return TRUE;
}

/* The media URLs Open311 clients sent with their reports and with the updates
 * they wrote (another resident's photos on their report are that person's). */
static gboolean
read_media (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
            KsPersonData *out, GError **error)
{
  static const KsPgStatement stmt = { "person_media",
    MINE
    "SELECT m.report_id, m.update_id, m.url "
    "FROM open311_media m JOIN reports r ON r.id = m.report_id "
    "WHERE ($2::bigint = 0 OR r.body_id = $2) AND "
    "  ((m.update_id IS NULL AND lower (r.reporter_email) = lower ($1::text COLLATE \"C\")) OR "
    "   m.update_id IN (SELECT id FROM mine)) "
    "ORDER BY m.report_id, m.update_id NULLS FIRST, m.position" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, account_id, TRUE, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      KsPersonMedia media = {
        .report_id = ks_pg_int (res, row, 0),
        .update_id = ks_pg_int (res, row, 1),
        .url = TEXT (2),
      };
      g_array_append_val (out->media, media);
    }
  return TRUE;
}

static gboolean
read_emails (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
             KsPersonData *out, GError **error)
{
  static const KsPgStatement stmt = { "person_emails",
    "SELECT e.id, e.recipient, e.subject, e.file, e.report_id, e.created FROM emails e "
    "WHERE " KS_PG_EMAILS_IN_SCOPE " ORDER BY e.id" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, account_id, TRUE, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      KsPersonEmail e = {
        .id = ks_pg_int (res, row, 0),
        .recipient = TEXT (1),
        .subject = TEXT (2),
        .file = TEXT (3),
        .has_report_id = !ks_pg_null (res, row, 4),
        .report_id = ks_pg_int (res, row, 4),
        .created = ks_pg_int (res, row, 5),
      };
      g_array_append_val (out->emails, e);
    }
  return TRUE;
}

/* Audit entries by the account or about it, and about the person's reports. */
static gboolean
read_audit (KsStore *store, const char *email, gint64 body_id, gint64 account_id,
            KsPersonData *out, GError **error)
{
  static const KsPgStatement stmt = { "person_audit",
    "SELECT a.id, a.at, a.user_id, a.body_id, a.action, a.object_type, a.object_id, "
    "       a.address, a.details FROM audit_log a WHERE a.id IN ("
    "  SELECT id FROM audit_log WHERE user_id = $3 "
    "  UNION SELECT id FROM audit_log WHERE object_type = 'user' AND object_id = $3 "
    "  UNION SELECT a2.id FROM reports r JOIN audit_log a2 "
    "    ON a2.object_type = 'report' AND a2.object_id = r.id "
    "    WHERE lower (r.reporter_email) = lower ($1::text COLLATE \"C\")) "
    "AND ($2::bigint = 0 OR a.body_id = $2) ORDER BY a.id" };
  g_autoptr(PGresult) res = query_person (store, &stmt, email, body_id, account_id, TRUE, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      KsPersonAudit a = {
        .id = ks_pg_int (res, row, 0),
        .at = ks_pg_int (res, row, 1),
        .user_id = ks_pg_int (res, row, 2),
        .has_body_id = !ks_pg_null (res, row, 3),
        .body_id = ks_pg_int (res, row, 3),
        .action = TEXT (4),
        .object_type = TEXT (5),
        .has_object_id = !ks_pg_null (res, row, 6),
        .object_id = ks_pg_int (res, row, 6),
        .address = TEXT (7),
        .details = TEXT (8),
      };
      g_array_append_val (out->audit, a);
    }
  return TRUE;
}

gboolean
ks_pg_privacy_get_person (KsStore      *store,
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

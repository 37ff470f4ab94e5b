/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-retention.c: what the daily retention job reads and deletes in
 * PostgreSQL (ks-store-retention.h): the statements of the SQLite store's
 * ks-sqlite-store-retention.c. Several instances share the database: the day's
 * run goes to the one whose UPDATE of the meta row changes it. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"

/* Runs a candidates statement (parameters: the council, the time before which)
 * and appends each row (id, text, text, time) to a new array of new_array's kind. */
static gboolean
candidates (KsStore *store, const KsPgStatement *st, gint64 body_id, gint64 before,
            GArray *(*new_array) (void), KsRetentionAppend append, GArray **out,
            GError **error)
{
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, before);
  if ((res = ks_pg_store_query (store, st, &args, error)) == NULL)
    return FALSE;
  *out = new_array ();
  for (int i = 0; i < PQntuples (res); i++)
    append (*out, ks_pg_int (res, i, 0), ks_pg_text (res, i, 1), ks_pg_text (res, i, 2),
            ks_pg_int (res, i, 3));
  return TRUE;
}

static gboolean
old_reports (KsStore *store, gint64 body_id, gint64 before, GArray **out, GError **error)
{
  static const KsPgStatement st = { "retention_old_reports",
    "SELECT id, state, title, updated FROM reports "
    "WHERE body_id = $1 AND updated < $2 "
    "  AND (reporter_name IS NOT NULL OR reporter_email IS NOT NULL "
    "       OR reporter_phone IS NOT NULL) "
    "ORDER BY updated, id" };

  return candidates (store, &st, body_id, before, ks_retention_reports_new,
                     ks_retention_reports_append, out, error);
}

static gboolean
unused_staff (KsStore *store, gint64 body_id, gint64 before, GArray **out, GError **error)
{
  static const KsPgStatement st = { "retention_unused_staff",
    "SELECT id, name, email, coalesce (last_login, created) AS used FROM users "
    "WHERE body_id = $1 AND active = 1 AND is_superuser = 0 "
    "  AND coalesce (last_login, created) < $2 "
    "ORDER BY used, id" };

  return candidates (store, &st, body_id, before, ks_retention_staff_new,
                     ks_retention_staff_append, out, error);
}

static gboolean
count_audit (KsStore *store, gint64 body_id, gint64 before, gint64 *out, GError **error)
{
  static const KsPgStatement st = { "retention_count_audit",
    "SELECT count(*) FROM audit_log WHERE body_id = $1 AND at < $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, before);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out = ks_pg_int (res, 0, 0);
  return TRUE;
}

static gboolean
purge_audit (KsStore *store, gint64 body_id, gint64 before, gint64 *out, GError **error)
{
  static const KsPgStatement st = { "retention_purge_audit",
    "DELETE FROM audit_log WHERE body_id = $1 AND at < $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_int (&args, before);
  return ks_pg_store_exec (store, &st, &args, out, error);
}

static gboolean
claim_day (KsStore *store, gint64 day, gboolean *out_claimed, GError **error)
{
  /* The row lock makes a second instance wait for the first's commit, then find
   * the value no longer below the day. */
  static const KsPgStatement st = { "retention_claim_day",
    "UPDATE meta SET value = $1 WHERE key = 'retention_day' AND value < $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  gint64 changed = 0;

  ks_pg_args_int (&args, day);
  if (!ks_pg_store_exec (store, &st, &args, &changed, error))
    return FALSE;
  *out_claimed = changed > 0;
  return TRUE;
}

static gboolean
last_day (KsStore *store, gint64 *out, GError **error)
{
  static const KsPgStatement st = { "retention_last_day",
    "SELECT value FROM meta WHERE key = 'retention_day'" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

void
ks_pg_store_retention_init (KsStoreRetentionVTable *vtable)
{
  vtable->old_reports = old_reports;
  vtable->unused_staff = unused_staff;
  vtable->count_audit = count_audit;
  vtable->purge_audit = purge_audit;
  vtable->claim_day = claim_day;
  vtable->last_day = last_day;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-store-hidden-people.c: "hide everywhere" in PostgreSQL (table
 * hidden_people, columns hidden_with; ks-store-hidden-people.h): the statements
 * of ks-sqlite-store-hidden-people.c. */
#define G_LOG_DOMAIN "ks-pg-store"

#include "config.h"
#include "postgres/ks-pg-store-private.h"
#include "store/ks-store.h"
#include "ks-time.h"

static gboolean
add (KsStore *store, gint64 body_id, const char *email, const char *reason, gint64 user_id,
     gint64 *out_id, GError **error)
{
  static const KsPgStatement st = { "hidden_people_add",
    "INSERT INTO hidden_people (body_id, email, reason, created, created_by) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (body_id, email) DO NOTHING RETURNING id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, email);
  ks_pg_args_text (&args, reason ? reason : "");
  ks_pg_args_int (&args, ks_time_now ());
  ks_pg_args_id (&args, user_id > 0 ? user_id : 0);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_id = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
find (KsStore *store, gint64 body_id, const char *email, gint64 *out_id, GError **error)
{
  static const KsPgStatement st = { "hidden_people_find",
    "SELECT id FROM hidden_people WHERE body_id = $1 AND email = $2" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) res = NULL;

  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, email);
  if ((res = ks_pg_store_query (store, &st, &args, error)) == NULL)
    return FALSE;
  *out_id = PQntuples (res) > 0 ? ks_pg_int (res, 0, 0) : 0;
  return TRUE;
}

static gboolean
remove_entry (KsStore *store, gint64 id, GError **error)
{
  static const KsPgStatement st = { "hidden_people_remove",
    "DELETE FROM hidden_people WHERE id = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, id);
  return ks_pg_store_exec (store, &st, &args, NULL, error);
}

/* The reports and updates that name entry id. */
static gboolean
marked (KsStore *store, gint64 id, GArray **out_reports, GArray **out_updates, GError **error)
{
  static const KsPgStatement reports = { "hidden_people_reports",
    "SELECT id FROM reports WHERE hidden_with = $1 ORDER BY id" };
  static const KsPgStatement updates = { "hidden_people_updates",
    "SELECT report_id, id FROM updates WHERE hidden_with = $1 ORDER BY id" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;
  g_autoptr(PGresult) r = NULL;
  g_autoptr(PGresult) u = NULL;

  ks_pg_args_int (&args, id);
  if ((r = ks_pg_store_query (store, &reports, &args, error)) == NULL ||
      (u = ks_pg_store_query (store, &updates, &args, error)) == NULL)
    return FALSE;
  *out_reports = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int i = 0; i < PQntuples (r); i++)
    {
      gint64 report_id = ks_pg_int (r, i, 0);
      g_array_append_val (*out_reports, report_id);
    }
  *out_updates = g_array_new (FALSE, FALSE, sizeof (KsHiddenUpdate));
  for (int i = 0; i < PQntuples (u); i++)
    {
      KsHiddenUpdate h = { ks_pg_int (u, i, 0), ks_pg_int (u, i, 1) };
      g_array_append_val (*out_updates, h);
    }
  return TRUE;
}

static gboolean
mark (KsStore *store, gint64 body_id, const char *email, gint64 id, GArray **out_reports,
      GArray **out_updates, GError **error)
{
  static const KsPgStatement reports = { "hidden_people_mark_reports",
    "UPDATE reports SET hidden_with = $1 "
    "WHERE body_id = $2 AND lower (reporter_email) = $3 AND state <> 'hidden'" };
  static const KsPgStatement updates = { "hidden_people_mark_updates",
    "UPDATE updates SET hidden_with = $1 "
    "WHERE lower (author_email) = $3 AND hidden = 0 "
    "  AND report_id IN (SELECT id FROM reports WHERE body_id = $2)" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, id);
  ks_pg_args_int (&args, body_id);
  ks_pg_args_text (&args, email);
  return ks_pg_store_exec (store, &reports, &args, NULL, error) &&
         ks_pg_store_exec (store, &updates, &args, NULL, error) &&
         marked (store, id, out_reports, out_updates, error);
}

static gboolean
unmark (KsStore *store, gint64 id, GArray **out_reports, GArray **out_updates, GError **error)
{
  static const KsPgStatement reports = { "hidden_people_unmark_reports",
    "UPDATE reports SET hidden_with = NULL WHERE hidden_with = $1" };
  static const KsPgStatement updates = { "hidden_people_unmark_updates",
    "UPDATE updates SET hidden_with = NULL WHERE hidden_with = $1" };
  g_auto(KsPgArgs) args = KS_PG_ARGS_INIT;

  ks_pg_args_int (&args, id);
  return marked (store, id, out_reports, out_updates, error) &&
         ks_pg_store_exec (store, &reports, &args, NULL, error) &&
         ks_pg_store_exec (store, &updates, &args, NULL, error);
}

void
ks_pg_store_hidden_people_init (KsStoreHiddenPeopleVTable *vtable)
{
  vtable->add = add;
  vtable->find = find;
  vtable->remove = remove_entry;
  vtable->mark = mark;
  vtable->unmark = unmark;
}
